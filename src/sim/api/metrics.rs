//! `/metrics` in Prometheus text format (version 0.0.4).

use std::fmt::Write as _;

use super::http::{Answer, State, text};

/// Escapes a label value (backslash, quote, newline).
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

pub(super) fn answer(state: &State) -> Answer {
    text("text/plain; version=0.0.4; charset=utf-8", render(state))
}

fn family(name: &str, kind: &str, help: &str, out: &mut String) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

fn render(state: &State) -> String {
    let sim = &state.sim;
    let stats = sim.inbox.stats();
    let mut out = String::new();
    counter(
        &mut out,
        ("pushlab_sim_deliveries_total", "push_type"),
        "Notifications accepted, by push type.",
        &stats.delivered_by_push_type,
    );
    counter(
        &mut out,
        ("pushlab_sim_rejections_total", "reason"),
        "Requests refused, by reason.",
        &stats.rejected_by_reason,
    );
    counter(
        &mut out,
        ("pushlab_sim_rejections_by_status_total", "status"),
        "Requests refused, by HTTP status.",
        &stats.rejected_by_status,
    );
    family(
        "pushlab_sim_answer_latency_milliseconds",
        "summary",
        "HTTP/2 answer time over the most recent requests.",
        &mut out,
    );
    if let Some(p) = stats.latency_ms {
        for (q, v) in [
            ("0.5", p.p50),
            ("0.9", p.p90),
            ("0.99", p.p99),
            ("1", p.max),
        ] {
            let _ = writeln!(
                out,
                "pushlab_sim_answer_latency_milliseconds{{quantile=\"{q}\"}} {v}"
            );
        }
        let _ = writeln!(
            out,
            "pushlab_sim_answer_latency_milliseconds_count {}",
            p.samples
        );
    }
    gauges(state, &mut out);
    out
}

/// A counter family with one label: a line per value.
fn counter<'a, K, I>(out: &mut String, (name, label_name): (&str, &str), help: &str, rows: I)
where
    K: std::fmt::Display + 'a,
    I: IntoIterator<Item = (&'a K, &'a u64)>,
{
    family(name, "counter", help, out);
    for (value, n) in rows {
        let _ = writeln!(
            out,
            "{name}{{{label_name}=\"{}\"}} {n}",
            label(&value.to_string())
        );
    }
}

/// What the simulator holds now, and the event stream's readers.
fn gauges(state: &State, out: &mut String) {
    let sim = &state.sim;
    let gauges = [
        (
            "pushlab_sim_inbox_kept",
            "Deliveries kept in the inbox.",
            sim.inbox.kept() as u64,
        ),
        (
            "pushlab_sim_devices",
            "Devices in the registry.",
            sim.registry.len() as u64,
        ),
        (
            "pushlab_sim_channels",
            "Broadcast channels.",
            sim.channels.all().len() as u64,
        ),
        (
            "pushlab_sim_event_followers",
            "Event stream readers now.",
            state.followers.count() as u64,
        ),
    ];
    for (name, help, value) in gauges {
        family(name, "gauge", help, out);
        let _ = writeln!(out, "{name} {value}");
    }
    family(
        "pushlab_sim_event_followers_dropped_total",
        "counter",
        "Event stream readers cut off for falling behind.",
        out,
    );
    let _ = writeln!(
        out,
        "pushlab_sim_event_followers_dropped_total {}",
        state.followers.dropped()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}

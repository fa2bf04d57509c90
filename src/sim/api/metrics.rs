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
    family(
        "pushlab_sim_deliveries_total",
        "counter",
        "Notifications accepted, by push type.",
        &mut out,
    );
    for (push_type, n) in &stats.delivered_by_push_type {
        let _ = writeln!(
            out,
            "pushlab_sim_deliveries_total{{push_type=\"{}\"}} {n}",
            label(push_type)
        );
    }
    family(
        "pushlab_sim_rejections_total",
        "counter",
        "Requests refused, by reason.",
        &mut out,
    );
    for (reason, n) in &stats.rejected_by_reason {
        let _ = writeln!(
            out,
            "pushlab_sim_rejections_total{{reason=\"{}\"}} {n}",
            label(reason)
        );
    }
    family(
        "pushlab_sim_rejections_by_status_total",
        "counter",
        "Requests refused, by HTTP status.",
        &mut out,
    );
    for (status, n) in &stats.rejected_by_status {
        let _ = writeln!(
            out,
            "pushlab_sim_rejections_by_status_total{{status=\"{status}\"}} {n}"
        );
    }
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
        family(name, "gauge", help, &mut out);
        let _ = writeln!(out, "{name} {value}");
    }
    family(
        "pushlab_sim_event_followers_dropped_total",
        "counter",
        "Event stream readers cut off for falling behind.",
        &mut out,
    );
    let _ = writeln!(
        out,
        "pushlab_sim_event_followers_dropped_total {}",
        state.followers.dropped()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}

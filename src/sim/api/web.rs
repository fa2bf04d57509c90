//! The web inbox at `/`: the inbox drawn as the phone shows it, rendered on the server (so
//! the list works without JavaScript) and kept live by a small script on the event stream.
//! Every piece of outside text is HTML-escaped: payloads, topics and headers are whatever a
//! backend sent.

use std::fmt::Write as _;

use super::filter::Filter;
use super::http::{Answer, State, text};
use super::text::html_escape as esc;
use crate::apns::PushType;
use crate::sim::{Activity, Delivery};

pub(super) const STYLE: &str = include_str!("web/inbox.css");
pub(super) const SCRIPT: &str = include_str!("web/inbox.js");

/// Deliveries drawn on the page at most; the API lists more.
const SHOWN: usize = 200;

pub(super) fn page(state: &State, filter: &Filter) -> Answer {
    text("text/html; charset=utf-8", render(state, filter))
}

fn field(label: &str, name: &str, value: &str) -> String {
    format!(
        r#"<label>{label} <input name="{name}" value="{}" autocomplete="off"></label>"#,
        esc(value)
    )
}

fn render(state: &State, filter: &Filter) -> String {
    let sim = &state.sim;
    let mut html = String::with_capacity(16 * 1024);
    let token = filter.token.as_ref().map(hex::encode).unwrap_or_default();
    let _ = write!(
        html,
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pushlab simulator inbox</title>
<link rel="stylesheet" href="/assets/inbox.css">
<script src="/assets/inbox.js" defer></script>
</head><body>
<header class="bar"><h1>Simulator inbox</h1>
<span class="where">{env} · APNs on {addr}</span>
<span id="live" class="live" role="status">not live (reload to see new pushes)</span></header>
<form class="filters" method="get" action="/" role="search">
{token_field}{topic_field}<label>Push type <select name="push_type"><option value="">any</option>"#,
        env = esc(sim.environment.label()),
        addr = esc(&sim.apns_addr.to_string()),
        token_field = field("Token", "token", &token),
        topic_field = field(
            "Topic",
            "topic",
            filter.topic.as_deref().unwrap_or_default()
        ),
    );
    for t in PushType::ALL {
        let selected = if filter.push_type == Some(t) {
            " selected"
        } else {
            ""
        };
        let _ = write!(html, r#"<option{selected}>{}</option>"#, esc(t.as_str()));
    }
    let _ = write!(
        html,
        r#"</select></label>{text_field}<button type="submit">Filter</button> <a href="/">Clear filters</a></form>
<main class="phone">
<section id="activities" aria-label="Live Activities">"#,
        text_field = field("Text", "text", filter.text.as_deref().unwrap_or_default()),
    );
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    for a in sim.inbox.activities() {
        activity_card(&mut html, &a, now);
    }
    html.push_str("</section>\n<section id=\"list\" aria-label=\"Notifications\">\n");
    let deliveries: Vec<std::sync::Arc<Delivery>> = sim
        .inbox
        .newest_shared()
        .into_iter()
        .filter(|d| filter.matches(d))
        .take(SHOWN)
        .collect();
    let empty_hidden = if deliveries.is_empty() { "" } else { " hidden" };
    let _ = writeln!(
        html,
        r#"<p id="empty" class="empty"{empty_hidden}>No notifications yet.</p>"#
    );
    for d in &deliveries {
        delivery_card(&mut html, d);
    }
    html.push_str("</section></main></body></html>\n");
    html
}

fn delivery_card(html: &mut String, d: &Delivery) {
    let banner = d.banner();
    let time = d
        .time
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    // The phone shows the time of day; the full time is in the attribute (UTC).
    let clock = time.get(11..19).unwrap_or_default();
    let _ = write!(
        html,
        r#"<article class="notif" data-apns-id="{id}" data-token="{token}" data-topic="{topic}" data-push-type="{pt}">
<div class="head"><span class="app">{topic}</span><time datetime="{time}">{clock}</time></div>
"#,
        id = esc(&d.apns_id),
        token = esc(&d.token.to_hex()),
        topic = esc(&d.topic),
        pt = esc(d.push_type.as_str()),
    );
    for (class, value) in [
        ("title", &banner.title),
        ("subtitle", &banner.subtitle),
        ("body", &banner.body),
    ] {
        if let Some(v) = value {
            let _ = writeln!(html, r#"<div class="{class}">{}</div>"#, esc(v));
        }
    }
    let mut meta = vec![d.push_type.as_str().to_owned()];
    if let Some(b) = banner.badge {
        meta.push(format!("badge {b}"));
    }
    if let Some(s) = &banner.sound {
        meta.push(format!("sound {s}"));
    }
    if banner.silent {
        meta.push("silent".to_owned());
    }
    if let Some(c) = &d.channel {
        meta.push(format!("channel {}", c.as_str()));
    }
    let _ = writeln!(
        html,
        r#"<div class="meta">{}</div>"#,
        esc(&meta.join(" · "))
    );
    html.push_str("<details><summary>Headers and JSON</summary><table class=\"headers\">");
    let _ = write!(
        html,
        "<tr><th>device</th><td>{}</td></tr>",
        esc(&d.token.to_hex())
    );
    for (name, value) in &d.headers {
        let _ = write!(
            html,
            "<tr><th>{}</th><td>{}</td></tr>",
            esc(name),
            esc(value)
        );
    }
    let pretty = serde_json::to_string_pretty(&d.payload).unwrap_or_default();
    let _ = writeln!(
        html,
        "</table><pre class=\"json\">{}</pre></details></article>",
        esc(&pretty)
    );
}

fn activity_card(html: &mut String, a: &Activity, now: i64) {
    let phase = match a.phase(now) {
        crate::sim::ActivityPhase::Active => "active",
        crate::sim::ActivityPhase::Stale => "stale",
        crate::sim::ActivityPhase::Ended => "ended",
        crate::sim::ActivityPhase::Dismissed => "dismissed",
    };
    let state = serde_json::to_string_pretty(&a.content_state).unwrap_or_default();
    let _ = write!(
        html,
        r#"<article class="activity" data-activity="{id}"><div class="head"><span class="app">{topic}</span><span class="phase">{phase}</span></div>
<div class="title">{title}</div>"#,
        id = esc(&a.id),
        topic = esc(&a.topic),
        title = esc(a.title()),
    );
    if let Some(body) = &a.alert_body {
        let _ = write!(html, r#"<div class="body">{}</div>"#, esc(body));
    }
    let _ = write!(
        html,
        r#"<pre class="json">{}</pre><div class="meta">{} pushes applied</div>"#,
        esc(&state),
        a.pushes
    );
    match &a.start_token {
        Some(start) => {
            let _ = write!(
                html,
                r#"<div class="meta">started by a push to {}; update token <code>{}</code></div>"#,
                esc(start),
                esc(&a.id)
            );
        }
        None => {
            let _ = write!(
                html,
                r#"<div class="meta">update token <code>{}</code></div>"#,
                esc(&a.id)
            );
        }
    }
    if let Some(channel) = &a.channel {
        let _ = write!(
            html,
            r#"<div class="meta">start asked to follow channel {}</div>"#,
            esc(channel)
        );
    }
    if a.token_requested {
        html.push_str(r#"<div class="meta">start asked for its own update token</div>"#);
    }
    if let Some(ignored) = &a.last_ignored {
        let _ = write!(
            html,
            r#"<div class="meta ignored">last ignored: {}</div>"#,
            esc(&ignored.why.to_string())
        );
    }
    html.push_str("</article>\n");
}

//! The simulator's line per request, for what the plain log line does not say.

/// A line for a request to the channel API: `201 create  com.x  <id>`.
pub(super) fn channel_line(e: &pushlab::sim::RequestEvent) -> String {
    let Some(c) = &e.channel else {
        return String::new();
    };
    let what = match (e.reason, c.devices) {
        (Some(reason), _) => reason.to_owned(),
        (None, Some(n)) => format!("broadcast to {n} device{}", if n == 1 { "" } else { "s" }),
        (None, None) => c.action.to_owned(),
    };
    format!(
        "{:>3} {what:<26} {:<12} {:<28} channel {}",
        e.status,
        c.action,
        c.bundle,
        c.channel.as_deref().unwrap_or("-")
    )
}

/// What a delivered Live Activity push did to its activity, for the line per request.
pub(super) fn live_activity_note(outcome: Option<&pushlab::sim::ActivityOutcome>) -> String {
    let Some(o) = outcome else {
        return String::new();
    };
    let event = o.event.map(|e| e.as_str()).unwrap_or("?");
    // The timestamp applied: which of two pushes of one second a phone keeps is by it.
    let at = o
        .timestamp
        .map(|t| format!(" (timestamp {t})"))
        .unwrap_or_default();
    match &o.ignored {
        // A backend learns the update token from the app; the line says it for the rehearsal.
        None if o.started() => format!(
            " live activity {event}: applied{at}, update token {}",
            o.activity
        ),
        None => format!(" live activity {event}: applied{at}"),
        Some(why) => format!(" live activity {event}: ignored, {why}"),
    }
}

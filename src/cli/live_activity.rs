//! A Live Activity push written from options (`--event`, `--content-state`, …), as the app's
//! Live Activity card writes it: the payload is made by [`apns::LiveActivityPush`], stamped
//! with the time of sending, so a tester does not have to write `aps` by hand.

use anyhow::{Context as _, bail};
use clap::Args;
use pushlab::apns::{self, LiveActivityEvent, LiveActivityPush};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, Args)]
pub struct LiveArgs {
    /// A Live Activity push: start, update or end (with --push-type liveactivity, or a
    /// broadcast with --channel). The payload is written from these options and stamped with
    /// the time of sending.
    #[arg(long, value_name = "start|update|end", value_parser = parse_event)]
    pub event: Option<LiveActivityEvent>,
    /// A field of the activity's content state: KEY=VALUE (repeatable). VALUE is JSON when it
    /// reads as JSON (3, true, {"a":1}), otherwise text, e.g. status=preparing eta=12.
    #[arg(long, value_name = "KEY=VALUE")]
    pub content_state: Vec<String>,
    /// With --event start: the name of the app's ActivityAttributes type.
    #[arg(long, value_name = "NAME")]
    pub attributes_type: Option<String>,
    /// With --event start: a field of the activity's attributes, KEY=VALUE (repeatable).
    #[arg(long, value_name = "KEY=VALUE")]
    pub attribute: Vec<String>,
    /// When the content goes out of date if no update came: Unix time, or +SECONDS from now.
    #[arg(long, value_name = "TIME")]
    pub stale_date: Option<String>,
    /// With --event end: when the ended activity leaves the Lock Screen: Unix time, +SECONDS
    /// from now, or now (removes it at once).
    #[arg(long, value_name = "TIME")]
    pub dismissal_date: Option<String>,
    /// With --event start (iOS 18): ask the started activity for an update token of its own
    /// (input-push-token: 1), which the app sends its server for the updates.
    #[arg(long)]
    pub input_push_token: bool,
    /// With --event start (iOS 18): subscribe the started activity to this broadcast channel
    /// (input-push-channel), so `send --channel` updates it.
    #[arg(long, value_name = "CHANNEL_ID")]
    pub input_push_channel: Option<String>,
}

/// The time of sending as a Live Activity timestamp: one past the last one pushlab stamped
/// when the clock has not moved on since ([`pushlab::files::next_stamp`]), so a start and an
/// update sent in the same second carry rising timestamps; the clock alone when the data
/// folder cannot be used.
pub fn stamp_now() -> i64 {
    stamp_at(time::OffsetDateTime::now_utc().unix_timestamp())
}

/// [`stamp_now`] at `now`.
pub fn stamp_at(now: i64) -> i64 {
    let Some(dir) = pushlab::files::data_dir() else {
        return now;
    };
    pushlab::files::next_stamp(&dir, now).unwrap_or_else(|e| {
        eprintln!(
            "note: could not keep the last Live Activity timestamp in {} ({e}): two sends in one second carry the same one",
            pushlab::words::for_terminal(&dir.display().to_string())
        );
        now
    })
}

fn parse_event(text: &str) -> Result<LiveActivityEvent, String> {
    LiveActivityEvent::parse(text.trim()).ok_or_else(|| "start, update or end".to_owned())
}

/// The alert-form options a Live Activity push carries, from the command line.
pub struct LiveAlert<'a> {
    pub title: Option<&'a str>,
    pub body: Option<&'a str>,
    pub sound: Option<&'a str>,
    pub relevance_score: Option<f64>,
    pub custom: &'a [String],
}

impl LiveArgs {
    /// Whether any Live Activity option is given.
    pub fn any(&self) -> bool {
        self.event.is_some()
            || !self.content_state.is_empty()
            || self.attributes_type.is_some()
            || !self.attribute.is_empty()
            || self.stale_date.is_some()
            || self.dismissal_date.is_some()
            || self.input_push_token
            || self.input_push_channel.is_some()
    }

    /// The payload these options write, stamped `timestamp`, its dates (`+SECONDS`, `now`)
    /// from the clock's `now` (Unix seconds). An option that does not belong to the event is
    /// an error, not left out silently.
    pub fn payload(
        &self,
        alert: &LiveAlert<'_>,
        timestamp: i64,
        now: i64,
    ) -> anyhow::Result<Value> {
        let Some(event) = self.event else {
            bail!("a Live Activity push needs --event start, update or end (or a whole --payload)");
        };
        let start = event == LiveActivityEvent::Start;
        if !start && (self.attributes_type.is_some() || !self.attribute.is_empty()) {
            bail!(
                "--attributes-type and --attribute are for --event start: an {} keeps the activity's attributes",
                event.as_str()
            );
        }
        if event != LiveActivityEvent::End && self.dismissal_date.is_some() {
            bail!("--dismissal-date is for --event end");
        }
        if !start && (self.input_push_token || self.input_push_channel.is_some()) {
            bail!(
                "--input-push-token and --input-push-channel are for --event start: an {} goes to the activity they made",
                event.as_str()
            );
        }
        let channel = self
            .input_push_channel
            .as_deref()
            .map(apns::ChannelId::parse)
            .transpose()
            .map_err(|e| anyhow::anyhow!("--input-push-channel: {e}"))?;
        let mut push = LiveActivityPush::new(event, timestamp);
        push.content_state = fields("--content-state", &self.content_state)?;
        push.attributes = fields("--attribute", &self.attribute)?;
        push.attributes_type = self.attributes_type.clone().unwrap_or_default();
        push.alert_title = alert.title.map(str::to_owned);
        push.alert_body = alert.body.map(str::to_owned);
        push.alert_sound = alert.sound.map(str::to_owned);
        push.relevance_score = alert.relevance_score;
        push.stale_date = self
            .stale_date
            .as_deref()
            .map(|t| date("--stale-date", t, now))
            .transpose()?;
        push.dismissal_date = self
            .dismissal_date
            .as_deref()
            .map(|t| date("--dismissal-date", t, now))
            .transpose()?;
        push.input_push_token = self.input_push_token;
        push.input_push_channel = channel.map(|c| c.to_string());
        push.kept.outside = fields("--custom", alert.custom)?;
        Ok(push.to_json())
    }
}

/// KEY=VALUE options as a dictionary, each value read as the app's form reads it.
fn fields(option: &str, pairs: &[String]) -> anyhow::Result<Map<String, Value>> {
    let mut map = Map::new();
    for pair in pairs {
        let (key, value) = pair
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .with_context(|| format!("{option} {pair}: write KEY=VALUE"))?;
        map.insert(key.trim().to_owned(), apns::value_from_text(value));
    }
    Ok(map)
}

/// A date option: Unix seconds, `+SECONDS` from `now`, or `now`.
fn date(option: &str, text: &str, now: i64) -> anyhow::Result<i64> {
    let t = text.trim();
    let bad = || anyhow::anyhow!("{option} {text}: write Unix time, +SECONDS from now, or now");
    if t == "now" {
        return Ok(now);
    }
    if let Some(secs) = t.strip_prefix('+') {
        let secs: i64 = secs.parse().map_err(|_| bad())?;
        return Ok(now.saturating_add(secs));
    }
    match t.parse::<i64>() {
        Ok(at) if at >= 0 => Ok(at),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn alert() -> LiveAlert<'static> {
        LiveAlert {
            title: None,
            body: None,
            sound: None,
            relevance_score: None,
            custom: &[],
        }
    }

    fn args(event: LiveActivityEvent) -> LiveArgs {
        LiveArgs {
            event: Some(event),
            ..Default::default()
        }
    }

    #[test]
    fn an_update_is_written_as_apples_pages_show_it() {
        let mut a = args(LiveActivityEvent::Update);
        a.content_state = vec![
            "status=preparing".into(),
            "eta=12".into(),
            "ok=\"3\"".into(),
        ];
        a.stale_date = Some("+600".into());
        let la = LiveAlert {
            title: Some("Order"),
            body: Some("On its way"),
            sound: Some("chime.caf"),
            ..alert()
        };
        let p = a.payload(&la, NOW, NOW).unwrap();
        assert_eq!(
            p,
            serde_json::json!({"aps": {
                "event": "update", "timestamp": NOW,
                "content-state": {"status": "preparing", "eta": 12, "ok": "3"},
                "alert": {"title": "Order", "body": "On its way", "sound": "chime.caf"},
                "stale-date": NOW + 600,
            }})
        );
        let bytes = serde_json::to_vec(&p).unwrap();
        let check = apns::check_payload(&bytes, apns::PushType::LiveActivity, Some(10));
        assert!(check.errors.is_empty(), "{:?}", check.errors);
    }

    #[test]
    fn a_start_carries_attributes_and_an_end_its_dismissal() {
        let mut a = args(LiveActivityEvent::Start);
        a.attributes_type = Some("DeliveryAttributes".into());
        a.attribute = vec!["order=A-17".into()];
        a.content_state = vec!["status=preparing".into()];
        let la = LiveAlert {
            body: Some("Started"),
            ..alert()
        };
        let p = a.payload(&la, NOW, NOW).unwrap();
        assert_eq!(p["aps"]["attributes-type"], "DeliveryAttributes");
        assert_eq!(p["aps"]["attributes"]["order"], "A-17");
        let mut end = args(LiveActivityEvent::End);
        end.dismissal_date = Some("now".into());
        let p = end.payload(&alert(), NOW, NOW).unwrap();
        assert_eq!(p["aps"]["dismissal-date"], NOW);
        assert!(p["aps"].get("content-state").is_none());
    }

    #[test]
    fn an_option_that_does_not_belong_to_the_event_is_an_error() {
        let mut a = args(LiveActivityEvent::Update);
        a.attribute = vec!["order=A-17".into()];
        let e = a.payload(&alert(), NOW, NOW).unwrap_err().to_string();
        assert!(e.contains("--event start"), "{e}");
        let mut a = args(LiveActivityEvent::Update);
        a.dismissal_date = Some("now".into());
        assert!(a.payload(&alert(), NOW, NOW).is_err());
        let none = LiveArgs::default();
        let e = none.payload(&alert(), NOW, NOW).unwrap_err().to_string();
        assert!(e.contains("--event"), "{e}");
        let mut a = args(LiveActivityEvent::Update);
        a.content_state = vec!["=3".into()];
        assert!(a.payload(&alert(), NOW, NOW).is_err());
        a.content_state = vec![];
        a.stale_date = Some("tomorrow".into());
        assert!(a.payload(&alert(), NOW, NOW).is_err());
    }
}

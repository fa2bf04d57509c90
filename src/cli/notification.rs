//! What `send`, `batch` and `channels` share about the notification itself: its headers, its
//! payload, the payload's checks, and a reason explained.

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use clap::Args;
use pushlab::apns::{self, DeviceToken, Notification, PayloadFields, PushType};

use super::live_activity::{LiveAlert, LiveArgs};
use super::target::Resolved;

#[derive(Debug, Clone, Args)]
pub struct HeaderArgs {
    /// alert, background, voip, liveactivity, complication, controls, fileprovider, location, mdm, pushtotalk, widgets.
    #[arg(long, default_value = "alert")]
    pub push_type: PushType,
    /// apns-topic (default: the certificate's bundle id, with the push type's suffix).
    #[arg(long)]
    pub topic: Option<String>,
    /// 10 (now), 5 (power-friendly) or 1.
    #[arg(long)]
    pub priority: Option<u8>,
    /// Unix time, 0 (try once), or +SECONDS from now.
    #[arg(long)]
    pub expiration: Option<String>,
    /// apns-collapse-id: a newer push with the same id replaces this one on the device (at
    /// most 64 bytes).
    #[arg(long)]
    pub collapse_id: Option<String>,
    /// A UUID to identify the push (APNs makes one otherwise).
    #[arg(long)]
    pub apns_id: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct PayloadArgs {
    /// JSON payload from a file, or - for standard input.
    #[arg(long, value_name = "FILE|-", conflicts_with_all = [
        "alert", "title", "subtitle", "badge", "sound",
        "event", "content_state", "attributes_type", "attribute", "stale_date", "dismissal_date",
        "input_push_token", "input_push_channel",
    ])]
    pub payload: Option<PathBuf>,
    /// Alert body text.
    #[arg(long, value_name = "TEXT")]
    pub alert: Option<String>,
    /// Alert title, shown in bold above the body.
    #[arg(long)]
    pub title: Option<String>,
    /// Alert subtitle, between the title and the body.
    #[arg(long)]
    pub subtitle: Option<String>,
    /// The number on the app icon (0 clears it).
    #[arg(long)]
    pub badge: Option<u32>,
    /// A sound file name, or "default".
    #[arg(long)]
    pub sound: Option<String>,
    /// Play the sound as a critical alert.
    #[arg(long)]
    pub critical: bool,
    /// The notification category (its action buttons), as registered by the app.
    #[arg(long)]
    pub category: Option<String>,
    /// Groups notifications with the same thread id together.
    #[arg(long)]
    pub thread_id: Option<String>,
    /// content-available: 1, wakes the app in the background (a background push).
    #[arg(long)]
    pub content_available: bool,
    /// mutable-content: 1, lets the app's notification service extension change it.
    #[arg(long)]
    pub mutable_content: bool,
    /// passive, active, time-sensitive or critical.
    #[arg(long)]
    pub interruption_level: Option<String>,
    /// 0 to 1: which notification of a group is featured in the summary.
    #[arg(long)]
    pub relevance_score: Option<f64>,
    /// The window or content the app brings forward when the notification is opened.
    #[arg(long)]
    pub target_content_id: Option<String>,
    /// A custom top-level key: KEY=JSON (repeatable), e.g. door=\"front\".
    #[arg(long, value_name = "KEY=JSON")]
    pub custom: Vec<String>,
    /// Set the payload's aps.timestamp to the time of sending (a Live Activity: a phone ignores
    /// an update older than the one it has, so a file sent again with its old timestamp
    /// changes nothing).
    #[arg(long)]
    pub timestamp_now: bool,
    #[command(flatten)]
    pub live: LiveArgs,
}

impl PayloadArgs {
    /// The payload bytes: the file, the fields, or the push type's template.
    pub fn build(&self, push_type: PushType) -> anyhow::Result<Vec<u8>> {
        let payload = self.build_unstamped(push_type)?;
        if !self.timestamp_now {
            return Ok(payload);
        }
        let mut value: serde_json::Value =
            serde_json::from_slice(&payload).context("--timestamp-now: the payload is not JSON")?;
        anyhow::ensure!(
            apns::set_timestamp(&mut value, super::live_activity::stamp_now()),
            "--timestamp-now: the payload has no \"aps\" dictionary to stamp"
        );
        Ok(serde_json::to_vec(&value)?)
    }

    fn build_unstamped(&self, push_type: PushType) -> anyhow::Result<Vec<u8>> {
        if let Some(path) = &self.payload {
            return super::read_small(path, super::MAX_PAYLOAD_FILE, "the payload", true);
        }
        if push_type == PushType::LiveActivity && (self.live.any() || self.has_alert_fields()) {
            return self.live_activity();
        }
        if self.live.any() {
            bail!(
                "--event and the other Live Activity options are for --push-type liveactivity (or a broadcast with --channel), not {push_type}"
            );
        }
        let mut f = PayloadFields {
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            body: self.alert.clone(),
            badge: self.badge,
            sound: self.sound.clone(),
            critical: self.critical,
            category: self.category.clone(),
            thread_id: self.thread_id.clone(),
            content_available: self.content_available,
            mutable_content: self.mutable_content,
            interruption_level: self.interruption_level.clone(),
            relevance_score: self.relevance_score,
            target_content_id: self.target_content_id.clone(),
            ..Default::default()
        };
        for kv in &self.custom {
            let (k, v) = kv
                .split_once('=')
                .with_context(|| format!("--custom {kv}: write KEY=JSON"))?;
            let value =
                serde_json::from_str(v).unwrap_or_else(|_| serde_json::Value::String(v.to_owned()));
            f.custom.insert(k.to_owned(), value);
        }
        let value = if f == PayloadFields::default() {
            apns::template(push_type)
        } else {
            f.to_json()
        };
        Ok(serde_json::to_vec(&value)?)
    }

    fn has_alert_fields(&self) -> bool {
        self.alert.is_some()
            || self.title.is_some()
            || self.sound.is_some()
            || self.relevance_score.is_some()
            || !self.custom.is_empty()
            || !self.not_in_live_activity().is_empty()
    }

    /// The alert form's options a Live Activity push has no place for.
    fn not_in_live_activity(&self) -> Vec<&'static str> {
        [
            ("--subtitle", self.subtitle.is_some()),
            ("--badge", self.badge.is_some()),
            ("--critical", self.critical),
            ("--category", self.category.is_some()),
            ("--thread-id", self.thread_id.is_some()),
            ("--content-available", self.content_available),
            ("--mutable-content", self.mutable_content),
            ("--interruption-level", self.interruption_level.is_some()),
            ("--target-content-id", self.target_content_id.is_some()),
        ]
        .into_iter()
        .filter_map(|(option, given)| given.then_some(option))
        .collect()
    }

    /// A Live Activity payload from `--event` and its options, the alert's title, body and
    /// sound in its alert, stamped now.
    fn live_activity(&self) -> anyhow::Result<Vec<u8>> {
        let foreign = self.not_in_live_activity();
        if !foreign.is_empty() {
            bail!(
                "{} not part of a Live Activity push (its alert has --title, --alert and --sound)",
                match foreign.as_slice() {
                    [one] => format!("{one} is"),
                    many => format!("{} are", many.join(", ")),
                }
            );
        }
        let alert = LiveAlert {
            title: self.title.as_deref(),
            body: self.alert.as_deref(),
            sound: self.sound.as_deref(),
            relevance_score: self.relevance_score,
            custom: &self.custom,
        };
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let stamp = super::live_activity::stamp_at(now);
        let payload = self.live.payload(&alert, stamp, now)?;
        Ok(serde_json::to_vec(&payload)?)
    }
}

/// Checks a payload and prints its problems; errors stop the command.
pub fn check_payload(
    payload: &[u8],
    push_type: PushType,
    priority: Option<u8>,
) -> anyhow::Result<()> {
    say_check(&apns::check_payload(payload, push_type, priority))
}

/// Prints a payload check's warnings; its first error stops the send.
pub fn say_check(check: &apns::PayloadCheck) -> anyhow::Result<()> {
    for w in &check.warnings {
        eprintln!("warning: {w}");
    }
    if let Some(e) = check.errors.first() {
        let at = e
            .line()
            .map(|l| format!(" (line {l}, column {})", e.column().unwrap_or(0)))
            .unwrap_or_default();
        bail!("payload: {e}{at}");
    }
    Ok(())
}

impl HeaderArgs {
    /// Where and with what these headers' pushes go (the route, found with the topic given or
    /// the credential's), the topic they carry, and what will fail said before sending: the
    /// same for `send` and `batch`.
    pub async fn resolve_route(
        &self,
        target: &super::target::TargetArgs,
        credential: &super::target::CredentialArgs,
    ) -> anyhow::Result<(Resolved, Option<String>)> {
        let resolved = super::target::resolve(
            target,
            credential,
            super::target::Intent {
                topic: self.topic.as_deref(),
                push_type: Some(self.push_type),
            },
        )
        .await?;
        let topic = self.topic(&resolved);
        resolved.say_before_sending(topic.as_deref(), self.push_type);
        Ok((resolved, topic))
    }

    pub fn topic(&self, resolved: &Resolved) -> Option<String> {
        self.topic.clone().or_else(|| {
            resolved
                .route
                .bundle_id
                .as_ref()
                .map(|b| self.push_type.topic_for(b))
        })
    }

    /// A notification for `token` with these headers.
    pub fn notification(
        &self,
        token: DeviceToken,
        topic: Option<String>,
        payload: bytes::Bytes,
    ) -> anyhow::Result<Notification> {
        let headers = self.apns_headers(topic)?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let n = headers.notification(token, self.push_type, payload, now)?;
        Ok(n)
    }

    /// The library's headers from these options (`--expiration` read), not yet checked.
    pub fn apns_headers(&self, topic: Option<String>) -> anyhow::Result<apns::Headers> {
        Ok(apns::Headers {
            topic,
            priority: self.priority,
            expiration: match self.expiration.as_deref() {
                None => apns::Expiration::None,
                Some(e) => apns::Expiration::parse(e).context("--expiration")?,
            },
            collapse_id: self.collapse_id.clone(),
            apns_id: self.apns_id.clone(),
        })
    }
}

/// Why a `TopicDisallowed` came back, when the push type is one Apple takes only over a
/// token-based connection and it went over a certificate: not the topic.
pub fn over_certificate(
    reason: &str,
    auth: &pushlab::client::ClientAuth,
    push_type: PushType,
) -> Option<String> {
    (matches!(auth, pushlab::client::ClientAuth::Certificate(_))
        && push_type.refused_for_certificate(apns::Reason::parse(reason)))
    .then(|| {
        format!(
            "Apple takes {push_type} pushes only over a token-based connection: send them with an auth key (--auth-key FILE --team-id ID), not a certificate"
        )
    })
}

/// One sentence on what a reason means and what to do.
pub fn explain(reason: Option<&str>) -> Option<String> {
    let r = apns::Reason::parse(reason?)?;
    Some(format!("{} {}", r.meaning(), r.fix()))
}

//! `pushlab channels …`: broadcast channel management (iOS 18), and `pushlab send --channel`.

use std::time::Duration;

use clap::{Args, Subcommand};
use pushlab::apns::{
    Broadcast, BundleId, ChannelApi, ChannelId, ChannelRequest, DEFAULT_BROADCAST_EXPIRATION,
    DEFAULT_BROADCAST_PRIORITY, MessageStoragePolicy, PushType, Reason, ServerReason,
    explain_channel_reason,
};
use pushlab::client::{
    BroadcastResponse, ChannelOutcome, ChannelResponse, Connection, Destination, Outcome, SendError,
};
use pushlab::words::for_terminal;

use super::error::{CliError, Exit, outln};
use super::exit;
use super::notification::HeaderArgs;
use super::target::{self, CredentialArgs, Resolved, TargetArgs};

#[derive(Debug, Subcommand)]
pub enum ChannelsCommand {
    /// Create a channel; prints its id, which the app passes to ActivityKit.
    Create(CreateArgs),
    /// Read a channel's settings.
    Read(IdArgs),
    /// List every channel of the app.
    List(CommonArgs),
    /// Delete a channel: devices subscribed to it get no more broadcasts on it.
    Delete(DeleteArgs),
}

#[derive(Debug, Args)]
pub struct CommonArgs {
    #[command(flatten)]
    target: TargetArgs,
    #[command(flatten)]
    credential: CredentialArgs,
    /// The app whose channels these are (default: the certificate's bundle id).
    #[arg(long, value_name = "ID")]
    bundle_id: Option<String>,
    /// apns-request-id to send (a UUID), for matching the request in Apple's logs.
    #[arg(long, value_name = "UUID")]
    request_id: Option<String>,
    /// One JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// What APNs keeps for a device that is offline: no-storage (0, Apple's advice for
    /// frequent updates) or most-recent (1, the latest push is delivered when it is back).
    #[arg(long, value_name = "POLICY", default_value = "no-storage", value_parser = MessageStoragePolicy::parse)]
    policy: MessageStoragePolicy,
}

#[derive(Debug, Args)]
pub struct IdArgs {
    /// The channel id, as `channels create` printed it.
    #[arg(value_name = "CHANNEL_ID")]
    channel: String,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    id: IdArgs,
    /// Delete without asking: a deleted channel cannot be brought back, and the devices
    /// subscribed to it get no more updates on it.
    #[arg(long)]
    yes: bool,
}

pub fn run(cmd: ChannelsCommand) -> Exit {
    let (common, request) = match cmd {
        ChannelsCommand::Create(a) => (a.common, ChannelRequest::Create(a.policy)),
        ChannelsCommand::Read(a) => (a.common, ChannelRequest::Read(channel_id(&a.channel)?)),
        ChannelsCommand::List(common) => (common, ChannelRequest::ListAll),
        ChannelsCommand::Delete(a) => {
            if !a.yes {
                return Err(CliError::new(format!(
                    "deleting channel {} cannot be undone and ends its updates on every subscribed device: pass --yes to delete it",
                    a.id.channel.trim()
                )));
            }
            (
                a.id.common,
                ChannelRequest::Delete(channel_id(&a.id.channel)?),
            )
        }
    };
    if let Some(id) = &common.request_id
        && !pushlab::apns::is_canonical_uuid(id)
    {
        return Err(CliError::new(format!(
            "--request-id: '{id}' is not a lower-case 8-4-4-4-12 UUID"
        )));
    }
    super::block_on(async move {
        let (resolved, bundle, connection) = connect(
            &common.target,
            &common.credential,
            common.bundle_id.as_deref(),
            true,
        )
        .await?;
        let answer = connection
            .manage_channel(&bundle, &request, common.request_id.as_deref())
            .await;
        let code = report(&request, &bundle, answer, common.json);
        resolved.finish().await;
        code
    })
}

fn channel_id(text: &str) -> Result<ChannelId, CliError> {
    ChannelId::parse(text).map_err(CliError::new)
}

/// Resolves the credential and destination, works out the app, and connects: to Apple's
/// channel management host for `manage`, else to the push host. On an error the in-process
/// simulator, if any, is stopped.
pub(super) async fn connect(
    target: &TargetArgs,
    credential: &CredentialArgs,
    bundle_id: Option<&str>,
    manage: bool,
) -> Result<(Resolved, BundleId, Connection), CliError> {
    let mut resolved = target::resolve(
        target,
        credential,
        target::Intent {
            topic: bundle_id,
            // Apple's channel and broadcast pages: a token or a certificate.
            push_type: None,
        },
    )
    .await?;
    let ready = match app_bundle(bundle_id, &resolved) {
        Ok(bundle) if manage => management_host(&mut resolved).map(|()| bundle),
        other => other,
    };
    let bundle = match ready {
        Ok(bundle) => bundle,
        Err(e) => {
            resolved.finish().await;
            return Err(e);
        }
    };
    match Connection::open(
        &resolved.route.target,
        &resolved.route.auth,
        Duration::from_secs(10),
    )
    .await
    {
        Ok(c) => Ok((resolved, bundle, c)),
        Err(e) => {
            let label = resolved.route.target.label.clone();
            resolved.finish().await;
            Err(CliError::new(format!(
                "{label}: {}\n(run `pushlab check` with the same options for a step-by-step diagnosis)",
                for_terminal(&e.to_string())
            )))
        }
    }
}

/// The app whose channels these are: --bundle-id, else the certificate's.
fn app_bundle(bundle_id: Option<&str>, resolved: &Resolved) -> Result<BundleId, CliError> {
    match bundle_id
        .map(str::to_owned)
        .or(resolved.route.bundle_id.clone())
        .map(|b| BundleId::parse(&b))
    {
        Some(Ok(b)) => match pushlab::apns::check_channel_bundle(&b) {
            Ok(()) => Ok(b),
            Err(note) => Err(CliError::new(format!("--bundle-id: {note}"))),
        },
        Some(Err(e)) => Err(CliError::new(format!("--bundle-id: {e}"))),
        None => Err(CliError::new(
            "give --bundle-id: the app whose channels these are (a token-auth key does not name one)",
        )),
    }
}

/// Apple manages channels on a host of its own; elsewhere (a simulator, a HOST:PORT) the push
/// host answers both.
fn management_host(resolved: &mut Resolved) -> Result<(), CliError> {
    if let Destination::Apple(_) = resolved.destination {
        let via = resolved.route.target.proxy.clone();
        let extra = resolved.route.target.extra_roots.clone();
        let mut t = resolved
            .destination
            .channels_target(None, extra, None)
            .map_err(CliError::new)?;
        t.proxy = via;
        resolved.route.target = t;
    }
    Ok(())
}

fn report(
    request: &ChannelRequest,
    bundle: &BundleId,
    answer: Result<ChannelResponse, SendError>,
    json: bool,
) -> Exit {
    let action = match request {
        ChannelRequest::Create(_) => "create",
        ChannelRequest::Read(_) => "read",
        ChannelRequest::ListAll => "list",
        ChannelRequest::Delete(_) => "delete",
    };
    let r = match answer {
        Ok(r) => r,
        Err(e) => {
            let outcome = no_answer(&e);
            if json {
                outln!(
                    "{}",
                    serde_json::json!({"action": action, "bundle_id": bundle, "outcome": outcome, "status": null, "error": e.to_string()})
                )?;
            } else {
                outln!("{}: {}", outcome.label(), for_terminal(&e.to_string()))?;
                if e.is_unconfirmed() && matches!(request, ChannelRequest::Create(_)) {
                    outln!(
                        "    the channel may have been created: list the channels before creating it again"
                    )?;
                }
            }
            return Ok(exit::UNCONFIRMED);
        }
    };
    if json {
        let mut value = serde_json::to_value(&r).unwrap_or_default();
        value["action"] = action.into();
        value["bundle_id"] = bundle.as_str().into();
        if let Some(reason) = r.known_reason() {
            value["explanation"] = explain_channel_reason(reason, ChannelApi::Manage).into();
        }
        outln!("{value}")?;
    } else {
        print_answer(request, bundle, &r)?;
    }
    Ok(if r.is_success() {
        exit::OK
    } else {
        exit::PROBLEM
    })
}

/// A channel management answer, for people.
fn print_answer(
    request: &ChannelRequest,
    bundle: &BundleId,
    r: &ChannelResponse,
) -> Result<(), CliError> {
    match &r.outcome {
        ChannelOutcome::Created { channel_id } => outln!(
            "created channel {channel_id} for {} ({})",
            bundle.as_str(),
            match request {
                ChannelRequest::Create(p) => p.as_str(),
                _ => "",
            }
        )?,
        ChannelOutcome::Read { config } => outln!(
            "channel {}: message-storage-policy {} ({}), push-type LiveActivity",
            request.channel().map(ChannelId::as_str).unwrap_or("?"),
            config.message_storage_policy.as_number(),
            config.message_storage_policy.as_str()
        )?,
        ChannelOutcome::Listed { channels } => {
            for id in channels {
                outln!("{id}")?;
            }
            eprintln!("{} channels for {}", channels.len(), bundle.as_str());
        }
        ChannelOutcome::Deleted => outln!(
            "deleted channel {}",
            request.channel().map(ChannelId::as_str).unwrap_or("?")
        )?,
        ChannelOutcome::Rejected { status, reason } => {
            outln!(
                "{status} {}",
                for_terminal(reason.as_deref().unwrap_or("(no reason)"))
            )?;
            if let Some(ex) = explain(reason.as_ref(), ChannelApi::Manage) {
                outln!("    {ex}")?;
            }
        }
        ChannelOutcome::Unreadable { status, why } => {
            outln!(
                "{status}, but the answer does not read: {}",
                for_terminal(why)
            )?;
        }
    }
    if let Some(id) = &r.request_id {
        eprintln!("apns-request-id {id}  {:.1} ms", r.latency_ms);
    }
    Ok(())
}

/// `pushlab send --channel ID`: one push on a broadcast channel.
pub(super) async fn send_broadcast(
    target: &TargetArgs,
    credential: &CredentialArgs,
    bundle_id: Option<&str>,
    channel: ChannelId,
    headers: &HeaderArgs,
    payload: Vec<u8>,
    json: bool,
) -> Exit {
    let (resolved, bundle, connection) = connect(target, credential, bundle_id, false).await?;
    // APNs requires apns-priority and apns-expiration on a broadcast: what was not chosen
    // gets the library's default, and the output says so.
    let mut b = Broadcast::new(bundle.clone(), channel.clone(), payload);
    let defaults = match broadcast_headers(&mut b, headers) {
        Ok(defaults) => defaults,
        Err(e) => {
            resolved.finish().await;
            return Err(e);
        }
    };
    if !json {
        eprintln!(
            "→ {} (broadcast on channel {channel} of {})",
            resolved.route.target.label,
            bundle.as_str()
        );
        if !defaults.is_empty() {
            eprintln!(
                "  APNs requires both headers on a broadcast; defaults sent: {} (choose with --priority / --expiration)",
                defaults.join(", ")
            );
        }
    }
    let answer = connection.broadcast(&b).await;
    let code = match answer {
        Ok(r) => print_broadcast(&b, &r, &defaults, json),
        Err(e) => print_unanswered_broadcast(&channel, &e, json),
    };
    resolved.finish().await;
    code
}

/// Sets the broadcast's priority and expiration from the options; the headers left to their
/// defaults, said for people.
fn broadcast_headers(b: &mut Broadcast, headers: &HeaderArgs) -> Result<Vec<String>, CliError> {
    let mut defaults = Vec::new();
    match headers.priority {
        Some(p) => b.priority = Some(p),
        None => defaults.push(format!("apns-priority {}", DEFAULT_BROADCAST_PRIORITY)),
    }
    match headers.expiration.as_deref() {
        None => defaults.push(format!(
            "apns-expiration {DEFAULT_BROADCAST_EXPIRATION} (not stored: the only value a no-storage channel takes)"
        )),
        Some(e) => {
            let exp = pushlab::apns::Expiration::parse(e)
                .map_err(|e| CliError::new(format!("--expiration: {e}")))?;
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            // `None` is Expiration::None, which a broadcast cannot leave out: 0 then.
            b.expiration = Some(exp.at(now).unwrap_or(DEFAULT_BROADCAST_EXPIRATION));
        }
    }
    Ok(defaults)
}

/// A broadcast without an answer: unconfirmed or not sent, never sent again.
fn print_unanswered_broadcast(channel: &ChannelId, e: &SendError, json: bool) -> Exit {
    let outcome = no_answer(e);
    if json {
        outln!(
            "{}",
            serde_json::json!({"channel": channel, "outcome": outcome, "status": null, "error": e.to_string()})
        )?;
    } else {
        outln!(
            "channel {channel}  {}: {}",
            outcome.label(),
            for_terminal(&e.to_string())
        )?;
        if e.is_unconfirmed() {
            outln!(
                "    it was not sent again, so no device shows it twice; check a subscribed device before sending again"
            )?;
        }
    }
    Ok(exit::UNCONFIRMED)
}

fn print_broadcast(b: &Broadcast, r: &BroadcastResponse, defaults: &[String], json: bool) -> Exit {
    let channel = &b.channel;
    let ok = r.is_success();
    let explanation = explain(r.reason.as_ref(), ChannelApi::Broadcast);
    if json {
        outln!(
            "{}",
            serde_json::json!({
                "channel": channel,
                "push_type": PushType::LiveActivity.as_str(),
                "outcome": if ok { Outcome::Delivered } else { Outcome::Rejected },
                "status": r.status, "reason": r.reason,
                "apns_id": r.apns_id, "request_id": r.request_id, "apns_unique_id": r.apns_unique_id,
                "latency_ms": r.latency_ms,
                "priority": b.priority, "expiration": b.expiration, "defaults": defaults,
                "explanation": explanation,
            })
        )?;
    } else if ok {
        outln!(
            "channel {channel}  200 accepted for every subscribed device  apns-id {}  {:.1} ms",
            r.apns_id
                .as_deref()
                .or(r.request_id.as_deref())
                .unwrap_or("-"),
            r.latency_ms
        )?;
    } else {
        outln!(
            "channel {channel}  {} {}  {:.1} ms",
            r.status,
            for_terminal(r.reason.as_deref().unwrap_or("(no reason)")),
            r.latency_ms
        )?;
        if let Some(ex) = explanation {
            outln!("    {ex}")?;
        }
    }
    Ok(if ok { exit::OK } else { exit::PROBLEM })
}

/// A channel refusal explained as Apple's channel pages do, where they differ from a push's.
fn explain(reason: Option<&ServerReason>, api: ChannelApi) -> Option<String> {
    let known: Reason = reason?.known()?;
    Some(explain_channel_reason(known, api))
}

/// What a request without an answer is: unconfirmed if it may have been processed, else not
/// sent.
fn no_answer(e: &SendError) -> Outcome {
    if e.is_unconfirmed() {
        Outcome::Unconfirmed
    } else {
        Outcome::NotSent
    }
}

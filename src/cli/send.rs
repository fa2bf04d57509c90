use std::time::Duration;

use clap::Args;
use pushlab::apns::{DeviceToken, Notification, PushType};
use pushlab::client::{ClientAuth, ConnectionPool, Outcome, PushResponse, SingleSendError};
use pushlab::words::for_terminal;

use super::error::{CliError, Exit, outln};
use super::exit;
use super::notification::{self, HeaderArgs, PayloadArgs};
use super::target::{self, CredentialArgs, TargetArgs};

#[derive(Debug, Args)]
pub struct SendArgs {
    /// Device token, in any common form (repeatable).
    #[arg(
        long = "token",
        value_name = "HEX",
        required_unless_present = "channel"
    )]
    tokens: Vec<String>,
    /// Broadcast on this channel (iOS 18 Live Activities) instead of sending to tokens: one
    /// push reaches every device subscribed to it. The push type is liveactivity.
    #[arg(long, value_name = "CHANNEL_ID", conflicts_with_all = ["tokens", "legacy", "print_curl"])]
    channel: Option<String>,
    /// With --channel: the app the channel belongs to (default: the certificate's bundle id).
    #[arg(long, value_name = "ID", requires = "channel")]
    bundle_id: Option<String>,
    #[command(flatten)]
    target: TargetArgs,
    #[command(flatten)]
    credential: CredentialArgs,
    #[command(flatten)]
    headers: HeaderArgs,
    #[command(flatten)]
    payload: PayloadArgs,
    /// Print the equivalent `curl --http2` command instead of sending (secrets as placeholders).
    #[arg(long)]
    print_curl: bool,
    /// One JSON object per token.
    #[arg(long)]
    json: bool,
    /// [legacy] Send over the binary interface (port 2195) Apple retired on 31 March 2021.
    /// Hidden: `pushlab legacy-send` is the one way to do that; this stays for a release.
    #[arg(long, hide = true)]
    legacy: bool,
    /// [legacy] Frame format: 0 (simple), 1 (enhanced) or 2 (frames, the default).
    #[arg(long, default_value_t = 2, requires = "legacy", hide = true)]
    legacy_command: u8,
    /// [legacy] How long to wait for the gateway to confirm the end of the batch, in seconds;
    /// what it has not confirmed by then is reported unconfirmed (exit code 3).
    #[arg(
        long,
        visible_alias = "legacy-confirm-timeout",
        value_name = "SECONDS",
        default_value = "10",
        value_parser = super::legacy::confirm_timeout,
        requires = "legacy",
        hide = true
    )]
    confirm_timeout: Duration,
}

pub fn run(args: SendArgs) -> Exit {
    if let Some(channel) = &args.channel {
        return broadcast(&args, channel);
    }
    let tokens = parse_tokens(&args.tokens)?;
    let payload = args.payload.build(args.headers.push_type)?;
    notification::check_payload(&payload, args.headers.push_type, args.headers.priority)?;
    if args.legacy {
        return send_legacy(&args, tokens, payload);
    }
    super::block_on(async move {
        let (resolved, topic) = args
            .headers
            .resolve_route(&args.target, &args.credential)
            .await?;
        let payload = bytes::Bytes::from(payload);
        let notes = tokens
            .iter()
            .map(|token| {
                args.headers
                    .notification(token.clone(), topic.clone(), payload.clone())
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        if args.print_curl {
            for n in &notes {
                outln!("{}", curl_command(&resolved, n))?;
            }
            resolved.finish().await;
            return Ok(exit::OK);
        }
        if !args.json {
            eprintln!(
                "→ {} ({})",
                resolved.route.target.label,
                credential_words(&resolved)
            );
        }
        let pool = ConnectionPool::new();
        if let Err(e) = pool
            .connection(
                &resolved.route.target,
                &resolved.route.auth,
                CONNECT_TIMEOUT,
            )
            .await
        {
            resolved.finish().await;
            return Err(CliError::new(format!(
                "{e}\n(run `pushlab check` with the same options for a step-by-step diagnosis)"
            )));
        }
        let code = send_each(&args, &resolved, &pool, &notes).await;
        resolved.finish().await;
        code
    })
}

/// How long opening a connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The --token values, each parsed; the first that is not a token stops the command.
fn parse_tokens(values: &[String]) -> Result<Vec<DeviceToken>, CliError> {
    values
        .iter()
        .map(|t| {
            DeviceToken::parse(t)
                .map_err(|e| CliError::new(format!("token '{}': {e}", for_terminal(t.trim()))))
        })
        .collect()
}

/// The credential in use, said for the line before sending.
fn credential_words(resolved: &target::Resolved) -> String {
    match &resolved.route.auth {
        ClientAuth::Certificate(_) => format!(
            "certificate for {}",
            resolved.route.bundle_id.as_deref().unwrap_or("?")
        ),
        ClientAuth::Token(s) => format!(
            "token auth, key {} team {}, provider token {}",
            s.key().key_id,
            s.key().team_id,
            match s.token() {
                Ok((_, 0)) => "made now".to_owned(),
                Ok((_, age)) => format!("{age} s old"),
                Err(e) => format!("not made: {e}"),
            }
        ),
    }
}

/// Sends each notification on the pool's connection and prints its answer. The exit code: 3
/// if any push has no answer, else 1 if any was refused, else 0.
async fn send_each(
    args: &SendArgs,
    resolved: &target::Resolved,
    pool: &ConnectionPool,
    notes: &[Notification],
) -> Exit {
    let mut code = exit::OK;
    for n in notes {
        let result = pool
            .send(
                &resolved.route.target,
                &resolved.route.auth,
                n,
                CONNECT_TIMEOUT,
            )
            .await;
        match result {
            Ok(r) => {
                if r.status != 200 && code == exit::OK {
                    code = exit::PROBLEM;
                }
                print_answer(args.json, resolved, n, &r)?;
            }
            Err(e) => {
                code = exit::UNCONFIRMED;
                print_no_answer(args.json, n, &e)?;
            }
        }
    }
    Ok(code)
}

/// APNs' answer to one push: a JSON line, or a line with what to do about a refusal.
fn print_answer(
    json: bool,
    resolved: &target::Resolved,
    n: &Notification,
    r: &PushResponse,
) -> Result<(), CliError> {
    if json {
        return outln!(
            "{}",
            serde_json::json!({
                "token": n.token.to_hex(),
                "outcome": if r.status == 200 { Outcome::Delivered } else { Outcome::Rejected },
                "status": r.status, "reason": r.reason,
                "apns_id": r.apns_id, "apns_unique_id": r.apns_unique_id, "timestamp": r.timestamp,
                "latency_ms": r.latency_ms, "attempts": 1,
                "explanation": notification::explain(r.reason.as_deref()),
            })
        );
    }
    if r.status == 200 {
        return outln!(
            "{}  200 delivered  apns-id {}{}  {:.1} ms",
            n.token.short(),
            r.apns_id.as_deref().unwrap_or("-"),
            r.apns_unique_id
                .as_deref()
                .map(|u| format!("  apns-unique-id {u}"))
                .unwrap_or_default(),
            r.latency_ms
        );
    }
    let reason = r.reason.as_deref().unwrap_or("(no reason)");
    outln!(
        "{}  {} {}  apns-id {}  {:.1} ms",
        n.token.short(),
        r.status,
        for_terminal(reason),
        r.apns_id.as_deref().unwrap_or("-"),
        r.latency_ms
    )?;
    if let Some(ex) = notification::explain(r.reason.as_deref()) {
        outln!("    {ex}")?;
    }
    if let Some(ts) = r.timestamp {
        outln!("    APNs last knew this token as valid at {ts} ms since 1970")?;
    }
    if let Some(why) = notification::over_certificate(reason, &resolved.route.auth, n.push_type) {
        outln!("    {why}")?;
    }
    if reason == "ExpiredProviderToken" && matches!(resolved.route.auth, ClientAuth::Token(_)) {
        outln!(
            "    the token was made moments ago: if APNs calls it expired, this computer's clock is probably wrong — check its time and time zone"
        )?;
    }
    if reason == "BadDeviceToken" {
        let other = match resolved.route.target.environment {
            Some(pushlab::apns::Environment::Production) => Some("sandbox"),
            Some(pushlab::apns::Environment::Sandbox) => Some("production"),
            None => None,
        };
        if let Some(other) = other {
            outln!(
                "    is it a token from the other environment? try the same command with --server {other}"
            )?;
        }
    }
    Ok(())
}

/// A push without an answer: unconfirmed or not sent, and never sent again.
fn print_no_answer(json: bool, n: &Notification, e: &SingleSendError) -> Result<(), CliError> {
    let outcome = if e.is_unconfirmed() {
        Outcome::Unconfirmed
    } else {
        Outcome::NotSent
    };
    if json {
        return outln!(
            "{}",
            serde_json::json!({"token": n.token.to_hex(), "outcome": outcome, "status": null, "error": e.to_string()})
        );
    }
    outln!(
        "{}  {}: {}",
        n.token.short(),
        outcome.label(),
        for_terminal(&e.to_string())
    )?;
    if let SingleSendError::Send(e) = e
        && e.is_unconfirmed()
    {
        outln!(
            "    it was not sent again, so the phone never shows it twice; check the phone, and send again if it did not arrive"
        )?;
    }
    Ok(())
}

/// `send --channel`: the payload is a Live Activity's, checked as one, then broadcast.
fn broadcast(args: &SendArgs, channel: &str) -> Exit {
    let channel = pushlab::apns::ChannelId::parse(channel)
        .map_err(|e| CliError::new(format!("--channel: {e}")))?;
    let push_type = args.headers.push_type;
    if !matches!(push_type, PushType::Alert | PushType::LiveActivity) {
        return Err(CliError::new(format!(
            "a broadcast carries a Live Activity update: --push-type {push_type} cannot go on a channel"
        )));
    }
    let payload = args.payload.build(PushType::LiveActivity)?;
    // A broadcast is checked as one: 5,120 bytes, and no "event": "start".
    let priority = args
        .headers
        .priority
        .unwrap_or(pushlab::apns::DEFAULT_BROADCAST_PRIORITY);
    let check = pushlab::apns::check_broadcast_payload(&payload, Some(priority));
    notification::say_check(&check)?;
    super::block_on(super::channels::send_broadcast(
        &args.target,
        &args.credential,
        args.bundle_id.as_deref(),
        channel,
        &args.headers,
        payload,
        args.json,
    ))
}

fn curl_command(resolved: &target::Resolved, n: &pushlab::apns::Notification) -> String {
    pushlab::client::curl_command(
        &resolved.route.target,
        &resolved.route.auth,
        resolved.local.is_some(),
        n,
    )
}

fn send_legacy(args: &SendArgs, tokens: Vec<DeviceToken>, payload: Vec<u8>) -> Exit {
    use pushlab::legacy::{self, Endpoint};
    let Some(command) = legacy::Command::from_code(args.legacy_command) else {
        return Err(CliError::new("--legacy-command is 0, 1 or 2"));
    };
    let (host, port) = match args.target.server.as_str() {
        "production" => (legacy::APPLE_GATEWAY.0.to_owned(), legacy::APPLE_GATEWAY.1),
        "sandbox" => (
            legacy::APPLE_GATEWAY_SANDBOX.0.to_owned(),
            legacy::APPLE_GATEWAY_SANDBOX.1,
        ),
        "local" => {
            return Err(CliError::new(
                "the legacy interface of the simulator runs in `pushlab sim --legacy-port N`; then use --server 127.0.0.1:N --ca <the simulator's ca.pem>",
            ));
        }
        custom => {
            let t = pushlab::client::Target::custom(custom).map_err(CliError::new)?;
            (t.host, args.target.port.unwrap_or(t.port))
        }
    };
    let credential = match target::load_credential(&args.credential)? {
        Some(ClientAuth::Certificate(c)) => c,
        _ => {
            return Err(CliError::new(
                "the legacy interface needs a push certificate: --cert FILE (token auth did not exist then)",
            ));
        }
    };
    let proxy = args.target.proxy.for_host(&host)?.map(|(p, source)| {
        eprintln!("note: connecting {}", super::proxy::describe(&p, &source));
        p
    });
    let mut endpoint = Endpoint::new(host, port, credential).proxy(proxy);
    for path in &args.target.ca {
        let f = pushlab::cert::load_file(path, None).map_err(CliError::new)?;
        for c in f.certificates {
            endpoint = endpoint.trust(c);
        }
    }
    super::legacy::send_legacy(
        endpoint,
        command,
        args.confirm_timeout,
        tokens,
        payload,
        args.json,
    )
}

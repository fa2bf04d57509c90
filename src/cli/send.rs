use std::time::Duration;

use clap::Args;
use pushlab::apns::{DeviceToken, PushType};
use pushlab::client::{ClientAuth, ConnectionPool, Outcome, SingleSendError};
use pushlab::words::for_terminal;

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

pub fn run(args: SendArgs) -> u8 {
    if let Some(channel) = &args.channel {
        return broadcast(&args, channel);
    }
    let mut tokens = Vec::new();
    for t in &args.tokens {
        match DeviceToken::parse(t) {
            Ok(tok) => tokens.push(tok),
            Err(e) => {
                eprintln!("error: token '{}': {e}", for_terminal(t.trim()));
                return exit::FAILED;
            }
        }
    }
    let payload = match args.payload.build(args.headers.push_type) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e:#}");
            return exit::FAILED;
        }
    };
    if let Err(e) =
        notification::check_payload(&payload, args.headers.push_type, args.headers.priority)
    {
        eprintln!("error: {e:#}");
        return exit::FAILED;
    }
    if args.legacy {
        return send_legacy(&args, tokens, payload);
    }
    super::block_on(async move {
        let resolved = match target::resolve(
            &args.target,
            &args.credential,
            args.headers.topic.as_deref(),
        )
        .await
        {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e:#}");
                return exit::FAILED;
            }
        };
        let topic = args.headers.topic(&resolved);
        if let Some(note) = &resolved.proxy_note {
            eprintln!("note: connecting {note}");
        }
        for w in resolved.warnings(topic.as_deref(), args.headers.push_type) {
            eprintln!("warning: {}", for_terminal(&w.to_string()));
        }
        let payload = bytes::Bytes::from(payload);
        let mut notes = Vec::new();
        for token in &tokens {
            match args
                .headers
                .notification(token.clone(), topic.clone(), payload.clone())
            {
                Ok(n) => notes.push(n),
                Err(e) => {
                    eprintln!("error: {e:#}");
                    return exit::FAILED;
                }
            }
        }
        if args.print_curl {
            for n in &notes {
                println!("{}", curl_command(&resolved, n));
            }
            resolved.finish().await;
            return exit::OK;
        }
        if !args.json {
            eprintln!(
                "→ {} ({})",
                resolved.target.label,
                match &resolved.auth {
                    ClientAuth::Certificate(_) => format!(
                        "certificate for {}",
                        resolved.bundle_id.as_deref().unwrap_or("?")
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
            );
        }
        let pool = ConnectionPool::new();
        let connect_timeout = Duration::from_secs(10);
        match pool
            .connection(&resolved.target, &resolved.auth, connect_timeout)
            .await
        {
            Ok(_) => {}
            Err(e) => {
                eprintln!("error: {e}");
                eprintln!(
                    "(run `pushlab check` with the same options for a step-by-step diagnosis)"
                );
                resolved.finish().await;
                return exit::FAILED;
            }
        };
        let mut code = exit::OK;
        for n in &notes {
            let result = pool
                .send(&resolved.target, &resolved.auth, n, connect_timeout)
                .await;
            match result {
                Ok(r) => {
                    if r.status != 200 && code == exit::OK {
                        code = exit::PROBLEM;
                    }
                    if args.json {
                        println!(
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
                    } else if r.status == 200 {
                        println!(
                            "{}  200 delivered  apns-id {}{}  {:.1} ms",
                            n.token.short(),
                            r.apns_id.as_deref().unwrap_or("-"),
                            r.apns_unique_id
                                .as_deref()
                                .map(|u| format!("  apns-unique-id {u}"))
                                .unwrap_or_default(),
                            r.latency_ms
                        );
                    } else {
                        let reason = r.reason.as_deref().unwrap_or("(no reason)");
                        println!(
                            "{}  {} {}  apns-id {}  {:.1} ms",
                            n.token.short(),
                            r.status,
                            for_terminal(reason),
                            r.apns_id.as_deref().unwrap_or("-"),
                            r.latency_ms
                        );
                        if let Some(ex) = notification::explain(r.reason.as_deref()) {
                            println!("    {ex}");
                        }
                        if let Some(ts) = r.timestamp {
                            println!(
                                "    APNs last knew this token as valid at {ts} ms since 1970"
                            );
                        }
                        if reason == "ExpiredProviderToken"
                            && matches!(resolved.auth, ClientAuth::Token(_))
                        {
                            println!(
                                "    the token was made moments ago: if APNs calls it expired, this computer's clock is probably wrong — check its time and time zone"
                            );
                        }
                        if reason == "BadDeviceToken" {
                            let other = match resolved.target.environment {
                                Some(pushlab::cert::Environment::Production) => Some("sandbox"),
                                Some(pushlab::cert::Environment::Sandbox) => Some("production"),
                                None => None,
                            };
                            if let Some(other) = other {
                                println!(
                                    "    is it a token from the other environment? try the same command with --server {other}"
                                );
                            }
                        }
                    }
                }
                Err(e) => {
                    code = exit::UNCONFIRMED;
                    let outcome = if e.is_unconfirmed() {
                        Outcome::Unconfirmed
                    } else {
                        Outcome::NotSent
                    };
                    if args.json {
                        println!(
                            "{}",
                            serde_json::json!({"token": n.token.to_hex(), "outcome": outcome, "status": null, "error": e.to_string()})
                        );
                    } else {
                        println!(
                            "{}  {}: {}",
                            n.token.short(),
                            outcome.label(),
                            for_terminal(&e.to_string())
                        );
                        if let SingleSendError::Send(e) = &e
                            && e.is_unconfirmed()
                        {
                            println!(
                                "    it was not sent again, so the phone never shows it twice; check the phone, and send again if it did not arrive"
                            );
                        }
                    }
                }
            }
        }
        resolved.finish().await;
        code
    })
}

/// `send --channel`: the payload is a Live Activity's, checked as one, then broadcast.
fn broadcast(args: &SendArgs, channel: &str) -> u8 {
    let channel = match pushlab::apns::ChannelId::parse(channel) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: --channel: {e}");
            return exit::FAILED;
        }
    };
    let push_type = args.headers.push_type;
    if !matches!(push_type, PushType::Alert | PushType::LiveActivity) {
        eprintln!(
            "error: a broadcast carries a Live Activity update: --push-type {push_type} cannot go on a channel"
        );
        return exit::FAILED;
    }
    let payload = match args.payload.build(PushType::LiveActivity) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e:#}");
            return exit::FAILED;
        }
    };
    // A broadcast is checked as one: 5,120 bytes, and no "event": "start".
    let priority = args
        .headers
        .priority
        .unwrap_or(pushlab::apns::DEFAULT_BROADCAST_PRIORITY);
    let check = pushlab::apns::check_broadcast_payload(&payload, Some(priority));
    if let Err(e) = notification::say_check(&check) {
        eprintln!("error: {e:#}");
        return exit::FAILED;
    }
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
        &resolved.target,
        &resolved.auth,
        resolved.local.is_some(),
        n,
    )
}

fn send_legacy(args: &SendArgs, tokens: Vec<DeviceToken>, payload: Vec<u8>) -> u8 {
    use pushlab::legacy::{self, Endpoint};
    let fail = |msg: String| {
        eprintln!("error: {msg}");
        exit::FAILED
    };
    let Some(command) = legacy::Command::from_code(args.legacy_command) else {
        return fail("--legacy-command is 0, 1 or 2".to_owned());
    };
    let (host, port) = match args.target.server.as_str() {
        "production" => (legacy::APPLE_GATEWAY.0.to_owned(), legacy::APPLE_GATEWAY.1),
        "sandbox" => (
            legacy::APPLE_GATEWAY_SANDBOX.0.to_owned(),
            legacy::APPLE_GATEWAY_SANDBOX.1,
        ),
        "local" => {
            return fail("the legacy interface of the simulator runs in `pushlab sim --legacy-port N`; then use --server 127.0.0.1:N --ca <the simulator's ca.pem>".to_owned());
        }
        custom => match pushlab::client::Target::custom(custom) {
            Ok(t) => (t.host, args.target.port.unwrap_or(t.port)),
            Err(e) => return fail(e),
        },
    };
    let credential = match target::load_credential(&args.credential) {
        Ok(Some(ClientAuth::Certificate(c))) => c,
        Ok(_) => return fail("the legacy interface needs a push certificate: --cert FILE (token auth did not exist then)".to_owned()),
        Err(e) => return fail(format!("{e:#}")),
    };
    let proxy = match args.target.proxy.for_host(&host) {
        Ok(p) => p.map(|(p, source)| {
            eprintln!("note: connecting {}", super::proxy::describe(&p, &source));
            p
        }),
        Err(e) => return fail(format!("{e:#}")),
    };
    let mut endpoint = Endpoint::new(host, port, credential).proxy(proxy);
    for path in &args.target.ca {
        match pushlab::cert::load_file(path, None) {
            Ok(f) => {
                for c in f.certificates {
                    endpoint = endpoint.trust(c);
                }
            }
            Err(e) => return fail(e.to_string()),
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

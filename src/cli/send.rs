use std::time::Duration;

use clap::Args;
use pushlab::apns::DeviceToken;
use pushlab::client::{ClientAuth, Connection};

use super::exit;
use super::push::{self, CredentialArgs, HeaderArgs, PayloadArgs, TargetArgs};

#[derive(Debug, Args)]
pub struct SendArgs {
    /// Device token, in any common form (repeatable).
    #[arg(long = "token", value_name = "HEX", required = true)]
    tokens: Vec<String>,
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
}

pub fn run(args: SendArgs) -> u8 {
    let mut tokens = Vec::new();
    for t in &args.tokens {
        match DeviceToken::parse(t) {
            Ok(tok) => tokens.push(tok),
            Err(e) => {
                eprintln!("error: token '{}': {e}", t.trim());
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
    if let Err(e) = push::check_payload(&payload, args.headers.push_type, args.headers.priority) {
        eprintln!("error: {e:#}");
        return exit::FAILED;
    }
    super::block_on(async move {
        let resolved = match push::resolve(
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
        for w in resolved.warnings(topic.as_deref(), args.headers.push_type) {
            eprintln!("warning: {w}");
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
                        "token auth, key {} team {}",
                        s.key().key_id,
                        s.key().team_id
                    ),
                }
            );
        }
        let conn = match Connection::open(&resolved.target, &resolved.auth, Duration::from_secs(10))
            .await
        {
            Ok(c) => c,
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
            let result = conn.send(n).await;
            match result {
                Ok(r) => {
                    if r.status != 200 {
                        code = exit::PROBLEM;
                    }
                    if args.json {
                        println!(
                            "{}",
                            serde_json::json!({
                                "token": n.token.to_hex(), "status": r.status, "reason": r.reason,
                                "apns_id": r.apns_id, "apns_unique_id": r.apns_unique_id, "timestamp": r.timestamp,
                                "latency_ms": r.latency_ms, "attempts": 1,
                                "explanation": push::explain(r.reason.as_deref()),
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
                            "{}  {} {reason}  apns-id {}  {:.1} ms",
                            n.token.short(),
                            r.status,
                            r.apns_id.as_deref().unwrap_or("-"),
                            r.latency_ms
                        );
                        if let Some(ex) = push::explain(r.reason.as_deref()) {
                            println!("    {ex}");
                        }
                        if let Some(ts) = r.timestamp {
                            println!(
                                "    APNs last knew this token as valid at {ts} ms since 1970"
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
                                    "    is it a token from the other environment? try the same command with --env {other}"
                                );
                            }
                        }
                    }
                }
                Err(e) => {
                    code = exit::PROBLEM;
                    if args.json {
                        println!(
                            "{}",
                            serde_json::json!({"token": n.token.to_hex(), "status": null, "error": e.to_string(), "attempts": 1})
                        );
                    } else {
                        println!("{}  no answer: {e}", n.token.short());
                    }
                }
            }
        }
        resolved.finish().await;
        code
    })
}

fn curl_command(resolved: &push::Resolved, n: &pushlab::apns::Notification) -> String {
    pushlab::client::curl_command(
        &resolved.target,
        &resolved.auth,
        resolved.local.is_some(),
        n,
    )
}

use std::io::{BufRead as _, BufReader, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context as _;
use clap::Args;
use pushlab::apns::DeviceToken;
use pushlab::client::{self, BatchEvent, BatchItem, BatchOptions, CancelFlag, Outcome};
use pushlab::files::{self, OutputFile, WriteOptions};

use super::exit;
use super::push::{self, CredentialArgs, HeaderArgs, PayloadArgs, TargetArgs};

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Tokens, one per line, optionally followed by a name or group (`TOKEN Alice's iPhone`); - for standard input.
    #[arg(long, value_name = "FILE|-")]
    tokens: PathBuf,
    /// One JSON payload per line (JSON Lines), paired with the tokens line by line.
    #[arg(long, value_name = "FILE", conflicts_with = "payload")]
    payloads: Option<PathBuf>,
    #[command(flatten)]
    target: TargetArgs,
    #[command(flatten)]
    credential: CredentialArgs,
    #[command(flatten)]
    headers: HeaderArgs,
    #[command(flatten)]
    payload: PayloadArgs,
    /// Write tokens to remove (Unregistered, ExpiredToken, BadDeviceToken) to this file.
    #[arg(long, value_name = "FILE")]
    dead_tokens: Option<PathBuf>,
    /// Replace an existing --dead-tokens file.
    #[arg(long)]
    force: bool,
    /// HTTP/2 connections to spread the batch over.
    #[arg(long, default_value_t = 1)]
    connections: usize,
    /// Most pushes in flight per connection (the server's limit applies too).
    #[arg(long, default_value_t = 1000)]
    max_in_flight: usize,
    /// One JSON object per token, then {"summary": …}.
    #[arg(long)]
    json: bool,
    /// Print only problems and the summary.
    #[arg(long)]
    quiet: bool,
}

fn open(path: &PathBuf) -> anyhow::Result<Box<dyn std::io::BufRead + Send>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(BufReader::new(std::io::stdin())));
    }
    let f =
        std::fs::File::open(path).with_context(|| format!("could not open {}", path.display()))?;
    Ok(Box::new(BufReader::with_capacity(1 << 16, f)))
}

pub fn run(args: BatchArgs) -> u8 {
    match run_inner(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            exit::FAILED
        }
    }
}

fn run_inner(args: BatchArgs) -> anyhow::Result<u8> {
    let push_type = args.headers.push_type;
    let shared_payload = match &args.payloads {
        Some(_) => None,
        None => {
            let p = args.payload.build(push_type)?;
            push::check_payload(&p, push_type, args.headers.priority)?;
            Some(bytes::Bytes::from(p))
        }
    };
    let tokens = open(&args.tokens)?;
    let payload_lines = args.payloads.as_ref().map(open).transpose()?;
    let mut dead = match &args.dead_tokens {
        Some(p) => Some(create_dead_tokens(p, &args)?),
        None => None,
    };
    super::block_on_current_thread(async move {
        let resolved = push::resolve(
            &args.target,
            &args.credential,
            args.headers.topic.as_deref(),
        )
        .await?;
        let topic = args.headers.topic(&resolved);
        for w in resolved.warnings(topic.as_deref(), push_type) {
            eprintln!("warning: {w}");
        }
        let invalid = Arc::new(AtomicU64::new(0));
        let bad = invalid.clone();
        let headers = args.headers.clone();
        let mut payloads = payload_lines.map(|r| r.lines());
        // Streamed: lines are read as the batch needs them.
        let items = tokens.lines().enumerate().filter_map(move |(i, line)| {
            let line = line.ok()?;
            let payload_line = payloads
                .as_mut()
                .map(|p| p.next().and_then(Result::ok).unwrap_or_default());
            let text = line.split('#').next().unwrap_or_default().trim();
            if text.is_empty() {
                return None;
            }
            let (tok, name) = match text.split_once(['\t', ',', ' ']) {
                Some((t, n)) => (t, Some(n.trim().to_owned()).filter(|n| !n.is_empty())),
                None => (text, None),
            };
            let report = |msg: String| {
                bad.fetch_add(1, Ordering::Relaxed);
                eprintln!("line {}: {msg} — not sent", i + 1);
            };
            let token = match DeviceToken::parse(tok) {
                Ok(t) => t,
                Err(e) => {
                    report(format!("'{tok}': {e}"));
                    return None;
                }
            };
            let payload = match (&shared_payload, payload_line) {
                (Some(p), _) => p.clone(),
                (None, Some(p)) => {
                    let check =
                        pushlab::apns::check_payload(p.as_bytes(), push_type, headers.priority);
                    if let Some(e) = check.errors.first() {
                        report(format!("payload: {}", e.message));
                        return None;
                    }
                    bytes::Bytes::from(p)
                }
                (None, None) => return None,
            };
            match headers.notification(token, topic.clone(), payload) {
                Ok(notification) => Some(BatchItem { notification, name }),
                Err(e) => {
                    report(format!("{e:#}"));
                    None
                }
            }
        });
        let (tx, mut rx) = tokio::sync::mpsc::channel(4096);
        let (json, quiet) = (args.json, args.quiet);
        let progress_on_tty = !json && std::io::stderr().is_terminal();
        let printer = tokio::spawn(async move {
            let mut out = std::io::BufWriter::new(std::io::stdout());
            while let Some(event) = rx.recv().await {
                match event {
                    BatchEvent::Result(r) => {
                        if let Some(d) = dead.as_mut()
                            && r.is_dead_token()
                        {
                            let _ =
                                writeln!(d, "{}\t{}", r.token, r.reason.as_deref().unwrap_or(""));
                        }
                        if json {
                            let _ =
                                writeln!(out, "{}", serde_json::to_string(&r).unwrap_or_default());
                        } else if !quiet || r.outcome != Outcome::Delivered {
                            let name = r
                                .name
                                .as_deref()
                                .map(|n| format!(" ({n})"))
                                .unwrap_or_default();
                            let what = match r.outcome {
                                Outcome::Delivered => "200 delivered".to_owned(),
                                Outcome::Rejected => format!(
                                    "{} {}",
                                    r.status.unwrap_or(0),
                                    r.reason.as_deref().unwrap_or("")
                                ),
                                Outcome::Failed => {
                                    format!("failed: {}", r.error.as_deref().unwrap_or("no answer"))
                                }
                                Outcome::Cancelled => "cancelled".to_owned(),
                            };
                            let _ =
                                writeln!(out, "{}{name}  {what}  attempts {}", r.token, r.attempts);
                        }
                    }
                    BatchEvent::Progress {
                        done,
                        total,
                        per_second,
                        eta_seconds,
                        ..
                    } if progress_on_tty => {
                        let total = total.map(|t| format!("/{t}")).unwrap_or_default();
                        let eta = eta_seconds
                            .map(|e| format!(", ETA {e:.0} s"))
                            .unwrap_or_default();
                        let _ = out.flush();
                        eprint!("\r{done}{total} done, {per_second:.0}/s{eta}   ");
                    }
                    BatchEvent::ConnectFailed(e) => eprintln!("connection failed (retrying): {e}"),
                    BatchEvent::Progress { .. } => {}
                }
            }
            let _ = out.flush();
            if progress_on_tty {
                eprintln!();
            }
            dead
        });
        let cancel = CancelFlag::default();
        let on_ctrl_c = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("\ncancelling: waiting for the answers in flight…");
                on_ctrl_c.cancel();
            }
        });
        let options = BatchOptions {
            connections: args.connections.max(1),
            max_in_flight: args.max_in_flight.max(1),
            ..Default::default()
        };
        let target = resolved.target.clone();
        let auth = resolved.auth.clone();
        let summary = client::send_batch(&target, &auth, items, None, &options, tx, cancel).await;
        // The list takes its file's name only now, complete; an old file stays until then.
        let dead_saved = match printer.await.ok().flatten().map(OutputFile::commit) {
            Some(Err(e)) => {
                let e = super::output_problem(&e);
                eprintln!("error: the dead tokens were not saved: {e}");
                false
            }
            _ => true,
        };
        let invalid = invalid.load(Ordering::Relaxed);
        if json {
            let mut s = serde_json::to_value(&summary)?;
            s["invalid_lines"] = invalid.into();
            println!("{}", serde_json::json!({ "summary": s }));
        } else {
            println!(
                "{} sent in {:.2} s ({:.0}/s) over {} connection(s): {} delivered, {} rejected, {} failed, {} cancelled, {} retries{}",
                summary.total,
                summary.seconds,
                summary.per_second,
                summary.connections_opened,
                summary.delivered,
                summary.rejected,
                summary.failed,
                summary.cancelled,
                summary.retries,
                if invalid > 0 {
                    format!(", {invalid} invalid lines not sent")
                } else {
                    String::new()
                }
            );
            for (reason, count) in &summary.reasons {
                println!(
                    "  {count:>8}  {reason}  {}",
                    push::explain(Some(reason)).unwrap_or_default()
                );
            }
            if summary.dead_tokens > 0 && dead_saved {
                match &args.dead_tokens {
                    Some(p) => println!(
                        "{} dead tokens written to {} — remove them from your database",
                        summary.dead_tokens,
                        p.display()
                    ),
                    None => println!(
                        "{} dead tokens — write them to a file with --dead-tokens FILE",
                        summary.dead_tokens
                    ),
                }
            }
        }
        resolved.finish().await;
        let all_good = summary.delivered == summary.total && invalid == 0;
        let code = match (dead_saved, all_good) {
            (false, _) => exit::FAILED,
            (true, true) => exit::OK,
            (true, false) => exit::PROBLEM,
        };
        anyhow::Ok(code)
    })
}

/// Opens the `--dead-tokens` file before anything is sent: never an input, an existing file
/// only with `--force`. It is written beside its destination and renamed at the end.
fn create_dead_tokens(path: &Path, args: &BatchArgs) -> anyhow::Result<OutputFile> {
    let inputs: Vec<&Path> = std::iter::once(args.tokens.as_path())
        .chain(args.payloads.as_deref())
        .filter(|p| p.as_os_str() != "-")
        .collect();
    let options = WriteOptions {
        overwrite: args.force,
        secret: false,
    };
    files::refuse_same_file(path, &inputs)
        .and_then(|()| OutputFile::create(path, options))
        .map_err(|e| anyhow::anyhow!("--dead-tokens: {}", super::output_problem(&e)))
}

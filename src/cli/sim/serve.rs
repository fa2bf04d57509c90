//! `pushlab sim` running: the simulator, its control API, one line per request, and the token
//! list read again on SIGHUP.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use pushlab::sim::api::{ApiConfig, ApiServer};
use pushlab::sim::{DeviceRegistry, Interface, RequestEvent, SimConfig, Simulator};
use pushlab::words::for_terminal;
use tokio::sync::broadcast;

use super::lines::{channel_line, live_activity_note};
use super::{RunArgs, config};
use crate::cli::exit;

/// Prints a line; a reader that went away (a closed pipe) must not stop the simulator.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub(super) fn serve(args: RunArgs) -> anyhow::Result<u8> {
    let config = config(&args)?;
    let runtime = crate::cli::runtime(true)?;
    runtime.block_on(run(args, config))
}

async fn run(args: RunArgs, config: SimConfig) -> anyhow::Result<u8> {
    let ca_dir = config.identity.dir.clone();
    let env = config.environment;
    let legacy_error_delay = config.legacy_error_delay;
    let sim = Simulator::start(config).await?;
    // Caught before the first line, so a script that waits for "listening on" may send
    // SIGHUP at once (uncaught, it would end the process).
    #[cfg(unix)]
    let reloader = args.tokens.clone().map(|path| {
        let hangups = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup());
        let (registry, channels) = (sim.registry().clone(), sim.channels().clone());
        tokio::spawn(reload_on_hangup(path, hangups, registry, channels))
    });
    say!(
        "listening on {} ({env}, HTTP/2 APNs provider API)",
        sim.addr()
    );
    say_legacy(&sim, legacy_error_delay);
    let api = match args.api_port {
        Some(port) => match start_api(&sim, &args, port).await {
            Ok(api) => Some(api),
            Err(e) => {
                sim.shutdown().await;
                return Err(e);
            }
        },
        None => None,
    };
    match ca_dir {
        Some(dir) => say!(
            "trust the simulator's CA: {} (or `pushlab sim export-ca --out ca.pem`)",
            dir.join("ca.pem").display()
        ),
        None => say!("the CA is throwaway for this run"),
    }
    say!("test certificate: `pushlab sim issue-cert --bundle-id com.example.app --out ck.pem`");
    // Quiet: no subscriber at all, so no request pays for an event nobody prints.
    let printer = (!args.quiet).then(|| tokio::spawn(print_events(sim.inbox().subscribe())));
    wait(args.duration).await;
    let (total, rejected) = (sim.inbox().total(), sim.inbox().rejected());
    if let Some(api) = api {
        api.shutdown().await;
    }
    sim.shutdown().await;
    if let Some(printer) = printer {
        printer.abort();
    }
    #[cfg(unix)]
    if let Some(task) = reloader {
        task.abort();
    }
    say!("stopped: {total} delivered, {rejected} rejected");
    Ok(exit::OK)
}

/// The legacy gateway's and the feedback service's addresses, when they run.
fn say_legacy(sim: &Simulator, legacy_error_delay: Duration) {
    if let Some(addr) = sim.legacy_addr() {
        say!(
            "legacy gateway listening on {addr} (binary interface, retired by Apple on 31 March 2021)"
        );
        if !legacy_error_delay.is_zero() {
            say!(
                "legacy gateway: error packets are sent {} ms after the refused notification (--legacy-error-delay)",
                legacy_error_delay.as_millis()
            );
        }
    }
    if let Some(addr) = sim.feedback_addr() {
        say!("feedback service listening on {addr}");
    }
}

/// Starts the control API on `port` and says where it listens.
async fn start_api(sim: &Simulator, args: &RunArgs, port: u16) -> anyhow::Result<ApiServer> {
    let config = ApiConfig {
        bind: std::net::SocketAddr::new(args.api_bind, port),
        token: args.api_token.clone(),
        ..ApiConfig::default()
    };
    let api = ApiServer::start(sim, config).await?;
    say!(
        "control API listening on {} (http://{}/api/v1/, web inbox http://{}/{})",
        api.addr(),
        api.addr(),
        api.addr(),
        if args.api_token.is_some() {
            ", token required"
        } else {
            ""
        }
    );
    Ok(api)
}

/// Until --duration has passed, or Ctrl-C.
async fn wait(duration: Option<u64>) {
    match duration {
        Some(secs) => tokio::time::sleep(Duration::from_secs(secs)).await,
        None => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// One line per request, as they come.
async fn print_events(mut events: broadcast::Receiver<RequestEvent>) {
    use broadcast::error::RecvError;
    loop {
        match events.recv().await {
            Ok(e) if e.channel.is_some() => say!("{}", channel_line(&e)),
            Ok(e) => say!("{}", request_line(&e)),
            Err(RecvError::Lagged(n)) => {
                say!("… {n} requests not shown (printing cannot keep up)");
            }
            Err(RecvError::Closed) => break,
        }
    }
}

/// A push's line: status, reason or "delivered", push type, topic, token, apns-id.
fn request_line(e: &RequestEvent) -> String {
    let short = pushlab::apns::DeviceToken::parse(&e.token)
        .map(|t| t.short())
        .unwrap_or(e.token.clone());
    let legacy = e.interface == Interface::Legacy;
    // A refused legacy notification got error status 8; the reason is what HTTP/2 answers
    // for the same token.
    let (status, what) = match e.reason {
        Some(reason) if legacy => ("8".to_owned(), format!("InvalidToken ({reason})")),
        Some(reason) => (e.status.to_string(), reason.to_owned()),
        None => (e.status.to_string(), "delivered".to_owned()),
    };
    format!(
        "{status:>3} {what:<26} {:<12} {:<28} {} {}{}{}{}",
        e.push_type.map(|p| p.as_str()).unwrap_or("-"),
        e.topic.as_deref().unwrap_or("-"),
        short,
        e.apns_id,
        if legacy { " legacy" } else { "" },
        live_activity_note(e.live_activity.as_ref()),
        if e.refused_over_certificate() {
            " (over a certificate: Apple takes these only token-based)"
        } else {
            ""
        }
    )
}

/// Reads the tokens file again on each SIGHUP: its lines replace the registry, and the
/// channels they name are created (for the app of each line's topic). A file that does not
/// read leaves the registry as it was.
#[cfg(unix)]
async fn reload_on_hangup(
    path: PathBuf,
    hangups: std::io::Result<tokio::signal::unix::Signal>,
    registry: Arc<DeviceRegistry>,
    channels: Arc<pushlab::sim::ChannelStore>,
) {
    let Ok(mut hangups) = hangups else {
        say!("SIGHUP cannot be caught here: the tokens file is read once");
        return;
    };
    while hangups.recv().await.is_some() {
        let read = crate::cli::read_small(
            &path,
            crate::cli::MAX_TOKEN_FILE,
            "the simulator's token list",
            false,
        )
        .map_err(|e| format!("{e:#}"))
        .and_then(|bytes| {
            DeviceRegistry::parse_bytes(&bytes)
                .map_err(|e| for_terminal(&e.to_string()).into_owned())
        });
        match read {
            Ok(fresh) => {
                let n = fresh.len();
                registry.replace_with(fresh);
                channels.ensure_subscribed(&registry);
                say!("tokens reloaded: {n} devices from {}", path.display());
            }
            Err(e) => say!(
                "tokens not reloaded, the previous ones stay: {}: {e}",
                path.display()
            ),
        }
    }
}

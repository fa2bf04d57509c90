//! `pushlab feedback` and `pushlab legacy-send`: Apple's retired binary interface, for the
//! simulator and in-house gateways that still speak it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, bail};
use clap::Args;
use pushlab::apns::DeviceToken;
use pushlab::cert::{self, Credential};
use pushlab::legacy::{
    APPLE_GATEWAY, APPLE_GATEWAY_SANDBOX, BatchReport, Command, Endpoint, LegacyClient,
    LegacyError, LegacyOutcome, Notification,
};
use pushlab::words::for_terminal;
use serde_json::json;

use super::cert::Loader;
use super::error::{CliError, Exit, outln};
use super::exit;
use super::proxy::{ProxyArgs, describe};
use super::secrets::PassphraseArgs;

mod feedback;

pub use feedback::feedback;

const NOTICE: &str = "note: this is Apple's legacy binary interface (gateway port 2195, feedback port 2196), retired by Apple on 31 March 2021: Apple's hosts no longer answer. Use it with `pushlab sim --legacy-port 0 --feedback-port 0` or an in-house gateway; to reach Apple, use the HTTP/2 API.";

/// The push certificate and the CAs to trust, as both legacy commands take them.
#[derive(Debug, Args)]
pub struct LegacyTlsArgs {
    /// Push certificate: combined PEM (ck.pem), .p12, or the .cer with --key.
    #[arg(long, value_name = "FILE")]
    cert: PathBuf,
    /// The private key, when it is in another file (e.g. key.pem or the .p12 from Keychain).
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    #[command(flatten)]
    passphrase: PassphraseArgs,
    /// Also trust this CA for the server's certificate (e.g. the simulator's ca.pem);
    /// repeatable. Without it the system's roots are trusted.
    #[arg(long, value_name = "FILE")]
    ca: Vec<PathBuf>,
    #[command(flatten)]
    proxy: ProxyArgs,
}

/// `pushlab feedback`.
#[derive(Debug, Args)]
pub struct FeedbackArgs {
    /// production (feedback.push.apple.com:2196), sandbox (feedback.sandbox.push.apple.com:2196)
    /// or HOST:PORT, as `--server` everywhere else [default: production].
    // `--env` and `--host` were its names before: hidden aliases for the scripts that spell them.
    #[arg(
        long,
        aliases = ["env", "host"],
        value_name = "production|sandbox|HOST:PORT"
    )]
    server: Option<String>,
    /// The same as --server sandbox (kept for older scripts).
    #[arg(long, hide = true, conflicts_with = "server")]
    sandbox: bool,
    #[command(flatten)]
    tls: LegacyTlsArgs,
    /// One JSON object per record: {"token", "time" (RFC 3339), "timestamp" (seconds)}.
    #[arg(long)]
    json: bool,
    /// Give up after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    timeout: u64,
}

/// `pushlab legacy-send`.
#[derive(Debug, Args)]
pub struct LegacySendArgs {
    /// production (gateway.push.apple.com:2195), sandbox (gateway.sandbox.push.apple.com:2195)
    /// or HOST:PORT, as `--server` everywhere else [default: production].
    // `--env` and `--host` were its names before: hidden aliases for the scripts that spell them.
    #[arg(
        long,
        aliases = ["env", "host"],
        value_name = "production|sandbox|HOST:PORT"
    )]
    server: Option<String>,
    /// The same as --server sandbox (kept for older scripts).
    #[arg(long, hide = true, conflicts_with = "server")]
    sandbox: bool,
    #[command(flatten)]
    tls: LegacyTlsArgs,
    /// A device token in hex (spaces and <angle brackets> are fine); repeatable.
    #[arg(long = "token", value_name = "HEX")]
    token: Vec<String>,
    /// A file of device tokens: the first word of each line, `#` starts a comment (the
    /// simulator's --tokens file works as is).
    #[arg(long = "tokens", value_name = "FILE")]
    tokens_file: Option<PathBuf>,
    /// The JSON payload to send, from a file.
    #[arg(long, value_name = "FILE", required_unless_present = "alert")]
    payload: Option<PathBuf>,
    /// Send {"aps":{"alert":TEXT,"sound":"default"}} instead of a payload file.
    #[arg(long, value_name = "TEXT", conflicts_with = "payload")]
    alert: Option<String>,
    /// Frame format: 0 simple (no error answers), 1 enhanced, 2 framed.
    #[arg(long, value_name = "0|1|2", default_value_t = 2, value_parser = clap::value_parser!(u8).range(0..=2))]
    command: u8,
    /// One JSON object per token, then a summary object.
    #[arg(long)]
    json: bool,
    /// Limit for connecting, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    timeout: u64,
    /// How long to wait for the gateway to confirm the end of each connection's batch
    /// (decimals allowed); what it has not confirmed by then is reported unconfirmed.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = confirm_timeout)]
    confirm_timeout: Duration,
}

/// Parses `--confirm-timeout`: seconds, decimals allowed, more than 0 and at most a day.
pub(super) fn confirm_timeout(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number of seconds, e.g. 10 or 2.5"))?;
    if !(secs > 0.0 && secs <= 86_400.0) {
        return Err(format!(
            "{text} seconds: give more than 0 and at most 86400 (a day)"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Runs `pushlab legacy-send`.
pub fn legacy_send(args: LegacySendArgs) -> Exit {
    let prepared = (|| {
        let timeout = Duration::from_secs(args.timeout.max(1));
        let (host, default) = place(
            args.server.as_deref(),
            args.sandbox,
            APPLE_GATEWAY,
            APPLE_GATEWAY_SANDBOX,
        )?;
        let endpoint = endpoint(host, default, &args.tls, timeout)?;
        let command = Command::from_code(args.command)
            .context("--command takes 0 (simple), 1 (enhanced) or 2 (framed)")?;
        let tokens = tokens(&args.token, args.tokens_file.as_deref())?;
        let payload = match (&args.payload, &args.alert) {
            (Some(path), _) => {
                super::read_small(path, super::MAX_PAYLOAD_FILE, "the payload file", false)?
            }
            (None, Some(text)) => json!({ "aps": { "alert": text, "sound": "default" } })
                .to_string()
                .into_bytes(),
            (None, None) => bail!("give the payload with --payload FILE or --alert TEXT"),
        };
        anyhow::Ok((endpoint, command, tokens, payload))
    })();
    let (endpoint, command, tokens, payload) = prepared.inspect_err(|_| eprintln!("{NOTICE}"))?;
    send_legacy(
        endpoint,
        command,
        args.confirm_timeout,
        tokens,
        payload,
        args.json,
    )
}

/// Sends `payload` to every token over the binary interface with [`LegacyClient`] (one
/// connection, plus one more after each error packet, resending what the gateway discarded;
/// each connection's end confirmed by the gateway's answer to an end-of-batch marker, waited
/// for up to `confirm_timeout`), prints one line per token with its outcome (or one JSON
/// object with `--json`) and a summary, and returns the exit code: 0 every push confirmed
/// accepted, 1 some rejected or invalid (and every other one confirmed), 3 some unconfirmed or
/// not sent, 2 could not start. Prints the legacy notice on stderr first. For `pushlab send
/// --legacy` too.
pub fn send_legacy(
    endpoint: Endpoint,
    command: Command,
    confirm_timeout: Duration,
    tokens: Vec<DeviceToken>,
    payload: Vec<u8>,
    json: bool,
) -> Exit {
    eprintln!("{NOTICE}");
    if command == Command::Simple {
        eprintln!("{SIMPLE_NOTICE}");
    }
    if tokens.is_empty() {
        return Err(CliError::new(
            "no device tokens: give --token HEX or --tokens FILE",
        ));
    }
    let notifications: Vec<Notification> = tokens
        .iter()
        .zip(1u32..)
        .map(|(t, id)| {
            Notification::new(t.as_bytes().to_vec(), payload.clone()).with_identifier(id)
        })
        .collect();
    let runtime = super::runtime(false)?;
    let (host, port) = (endpoint.host.clone(), endpoint.port);
    let trusts_extra_ca = !endpoint.trusted_ca.is_empty();
    let client = LegacyClient::new(endpoint)
        .command(command)
        .confirm_timeout(confirm_timeout);
    let report = runtime.block_on(client.send(&notifications)).map_err(|e| {
        let hint = if !trusts_extra_ca && matches!(e, LegacyError::Handshake { .. }) {
            format!("\n{CA_HINT}")
        } else {
            String::new()
        };
        CliError::new(format!("nothing was sent to {host}:{port}: {e}{hint}"))
    })?;
    for (token, outcome) in tokens.iter().zip(&report.outcomes) {
        print_outcome(token, *outcome, json)?;
    }
    print_summary(&report, json)?;
    let code = exit_code(&report.outcomes);
    match &report.gave_up {
        // Said after the results it explains, ending with their exit code.
        Some(e) => Err(CliError::new(format!("stopped before the end: {e}")).with_code(code)),
        None => Ok(code),
    }
}

/// 0 all confirmed accepted; 3 any unconfirmed or not sent (nobody knows what happened to
/// those); otherwise 1 (some rejected or invalid).
fn exit_code(outcomes: &[LegacyOutcome]) -> u8 {
    if outcomes
        .iter()
        .any(|o| matches!(o, LegacyOutcome::Unconfirmed | LegacyOutcome::NotSent))
    {
        exit::UNCONFIRMED
    } else if outcomes.iter().all(|o| *o == LegacyOutcome::Accepted) {
        exit::OK
    } else {
        exit::PROBLEM
    }
}

fn outcome_word(outcome: LegacyOutcome) -> &'static str {
    match outcome {
        LegacyOutcome::Accepted => "accepted",
        LegacyOutcome::Rejected(_) => "rejected",
        LegacyOutcome::Invalid(_) => "invalid",
        LegacyOutcome::Unconfirmed => "unconfirmed",
        LegacyOutcome::NotSent => "not_sent",
    }
}

fn print_outcome(token: &DeviceToken, outcome: LegacyOutcome, json: bool) -> Result<(), CliError> {
    let word = outcome_word(outcome);
    if json {
        let mut line = json!({ "token": token.to_hex(), "outcome": word });
        if let LegacyOutcome::Rejected(status) | LegacyOutcome::Invalid(status) = outcome {
            line["status"] = status.code().into();
            line["status_name"] = status.name().into();
        }
        return outln!("{line}");
    }
    let detail = match outcome {
        LegacyOutcome::Accepted => String::new(),
        LegacyOutcome::Rejected(status) => format!("  status {status}: {}", status.explanation()),
        LegacyOutcome::Invalid(status) => format!(
            "  not sent, the gateway would answer status {status}: {}",
            status.explanation()
        ),
        LegacyOutcome::Unconfirmed => {
            "  written, but the gateway never confirmed it: it may or may not have been delivered. Not resent, to avoid a duplicate push: check the device or the gateway's log before sending it again"
                .to_owned()
        }
        LegacyOutcome::NotSent => "  not sent: the sender gave up (see the error below)".to_owned(),
    };
    outln!("{word:<11} {}{detail}", token.to_hex())
}

fn print_summary(report: &BatchReport, json: bool) -> Result<(), CliError> {
    let count = |word: &str| {
        report
            .outcomes
            .iter()
            .filter(|o| outcome_word(**o) == word)
            .count()
    };
    if json {
        return outln!(
            "{}",
            json!({ "summary": {
                "total": report.outcomes.len(),
                "accepted": count("accepted"),
                "rejected": count("rejected"),
                "invalid": count("invalid"),
                "unconfirmed": count("unconfirmed"),
                "not_sent": count("not_sent"),
                "connections": report.connections,
                "resent": report.resent,
            }})
        );
    }
    for note in &report.notes {
        outln!("note: {note}")?;
    }
    outln!(
        "{} of {} accepted (confirmed by the gateway), {} rejected, {} invalid, {} unconfirmed, {} not sent — {} connection(s), {} notification(s) resent after the gateway discarded them",
        count("accepted"),
        report.outcomes.len(),
        count("rejected"),
        count("invalid"),
        count("unconfirmed"),
        count("not_sent"),
        report.connections,
        report.resent
    )?;
    if count("unconfirmed") > 0 {
        outln!(
            "{} push(es) unconfirmed: the gateway may or may not have delivered them, and pushlab did not resend them, to avoid duplicates — find out whether they arrived before sending them again (exit code 3)",
            count("unconfirmed")
        )?;
    }
    if count("not_sent") > 0 {
        outln!(
            "{} push(es) not sent: fix the cause below, then send only those again (exit code 3)",
            count("not_sent")
        )?;
    }
    Ok(())
}

const SIMPLE_NOTICE: &str = "note: command 0 (simple) carries no identifiers and gateways never answer it, so no push can be confirmed: every one written is reported unconfirmed (exit code 3). Use --command 2 (the default) or 1 to get confirmations.";

const CA_HINT: &str = "hint: a simulator or in-house server has its own CA, which the system does not trust: pass it with --ca FILE (for the pushlab simulator: `pushlab sim export-ca --out ca.pem`, then --ca ca.pem)";

/// The hint after a failed handshake with a server whose CA was not given, as a line to add.
fn hint_ca(e: &LegacyError, tls: &LegacyTlsArgs) -> String {
    if tls.ca.is_empty() && matches!(e, LegacyError::Handshake { .. }) {
        format!("\n{CA_HINT}")
    } else {
        String::new()
    }
}

/// What `--server` names: Apple's production or sandbox service (as the host to use, none, and
/// the default), or a `HOST:PORT` of its own.
fn place<'a>(
    env: Option<&'a str>,
    sandbox: bool,
    production: (&'static str, u16),
    sandbox_default: (&'static str, u16),
) -> anyhow::Result<(Option<&'a str>, (&'static str, u16))> {
    match env {
        None if sandbox => Ok((None, sandbox_default)),
        None | Some("production") => Ok((None, production)),
        Some("sandbox") => Ok((None, sandbox_default)),
        Some("local") => bail!(
            "the simulator's legacy interface runs in `pushlab sim --legacy-port N --feedback-port M`: then use --server 127.0.0.1:N --ca <the simulator's ca.pem>"
        ),
        Some(host_port) => Ok((Some(host_port), production)),
    }
}

/// `HOST:PORT` (or `[IPv6]:PORT`), or the default.
fn host_port(text: Option<&str>, default: (&str, u16)) -> anyhow::Result<(String, u16)> {
    let Some(text) = text else {
        return Ok((default.0.to_owned(), default.1));
    };
    let hint = || format!("'{text}' is not HOST:PORT, e.g. 127.0.0.1:2195");
    let (host, port) = text.rsplit_once(':').with_context(hint)?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        bail!(hint());
    }
    let port = port
        .parse::<u16>()
        .ok()
        .filter(|p| *p != 0)
        .with_context(hint)?;
    Ok((host.to_owned(), port))
}

fn endpoint(
    host: Option<&str>,
    default: (&str, u16),
    tls: &LegacyTlsArgs,
    timeout: Duration,
) -> anyhow::Result<Endpoint> {
    let (host, port) = host_port(host, default)?;
    let credential = credential(tls)?;
    let proxy = tls.proxy.for_host(&host)?.map(|(p, source)| {
        eprintln!("note: connecting {}", describe(&p, &source));
        p
    });
    let mut endpoint = Endpoint::new(host, port, credential)
        .connect_timeout(timeout)
        .proxy(proxy);
    for path in &tls.ca {
        let file = cert::load_file(path, None)?;
        if file.certificates.is_empty() {
            bail!(
                "{} holds no certificate: give the CA certificate the server's certificate was issued by (for the simulator, its ca.pem)",
                path.display()
            );
        }
        for ca in file.certificates {
            endpoint = endpoint.trust(ca);
        }
    }
    Ok(endpoint)
}

fn credential(args: &LegacyTlsArgs) -> anyhow::Result<Credential> {
    let mut loader = Loader {
        passphrase: args.passphrase.resolve()?,
    };
    let main = loader.load(&args.cert)?;
    let key = args.key.as_deref().map(|p| loader.load(p)).transpose()?;
    let credential = Credential::from_files(&main, key.as_ref())?;
    credential.require_key()?;
    Ok(credential)
}

/// Tokens from `--token` values and a tokens file, in that order, without repeats.
fn tokens(values: &[String], file: Option<&Path>) -> anyhow::Result<Vec<DeviceToken>> {
    let mut out = Vec::new();
    for value in values {
        let token = DeviceToken::parse(value)
            .with_context(|| format!("--token {}", for_terminal(value)))?;
        out.push(token);
    }
    if let Some(path) = file {
        let bytes = super::read_small(path, super::MAX_TOKEN_FILE, "the tokens file", false)?;
        let mut invalid = Vec::new();
        for entry in pushlab::apns::token_list::read_token_list(&bytes) {
            match entry {
                Ok(listed) => out.push(listed.token),
                Err(bad) => invalid.push(for_terminal(&bad.to_string()).into_owned()),
            }
        }
        // Nothing is sent while any line is wrong: one payload goes to the whole list.
        if !invalid.is_empty() {
            let more = invalid.len().saturating_sub(5);
            invalid.truncate(5);
            bail!(
                "{} has lines that are not device tokens — nothing was sent:\n  {}{}",
                path.display(),
                invalid.join("\n  "),
                if more > 0 {
                    format!("\n  … and {more} more")
                } else {
                    String::new()
                }
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|t| seen.insert(t.clone()));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pushlab::legacy::APPLE_FEEDBACK;

    #[test]
    fn host_and_port() {
        assert_eq!(
            host_port(None, APPLE_FEEDBACK).unwrap(),
            ("feedback.push.apple.com".to_owned(), 2196)
        );
        assert_eq!(
            host_port(Some("127.0.0.1:4000"), APPLE_GATEWAY).unwrap(),
            ("127.0.0.1".to_owned(), 4000)
        );
        assert_eq!(
            host_port(Some("[::1]:2195"), APPLE_GATEWAY).unwrap(),
            ("::1".to_owned(), 2195)
        );
        assert!(host_port(Some("localhost"), APPLE_GATEWAY).is_err());
        assert!(host_port(Some("localhost:http"), APPLE_GATEWAY).is_err());
        assert!(host_port(Some(":2195"), APPLE_GATEWAY).is_err());
    }

    #[test]
    fn confirm_timeout_in_seconds() {
        assert_eq!(confirm_timeout("10"), Ok(Duration::from_secs(10)));
        assert_eq!(confirm_timeout("0.25"), Ok(Duration::from_millis(250)));
        for bad in ["0", "-1", "NaN", "inf", "ten", "100000"] {
            assert!(confirm_timeout(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn exit_codes_say_whether_every_push_is_known() {
        use pushlab::legacy::Status;
        let rejected = LegacyOutcome::Rejected(Status::InvalidToken);
        let invalid = LegacyOutcome::Invalid(Status::InvalidTokenSize);
        assert_eq!(exit_code(&[LegacyOutcome::Accepted; 3]), exit::OK);
        assert_eq!(
            exit_code(&[LegacyOutcome::Accepted, rejected]),
            exit::PROBLEM
        );
        assert_eq!(
            exit_code(&[invalid, LegacyOutcome::Accepted]),
            exit::PROBLEM
        );
        assert_eq!(
            exit_code(&[LegacyOutcome::Accepted, LegacyOutcome::Unconfirmed]),
            exit::UNCONFIRMED
        );
        assert_eq!(
            exit_code(&[rejected, LegacyOutcome::NotSent]),
            exit::UNCONFIRMED
        );
    }

    #[test]
    fn tokens_from_values_and_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.txt");
        let a = "aa".repeat(32);
        let b = "bb".repeat(32);
        let spaced = format!("<{} {}>", "cc".repeat(16), "cc".repeat(16));
        std::fs::write(
            &path,
            format!("# devices\n{b} unregistered com.example.app\n\n{spaced} sandbox\n{a}\n"),
        )
        .unwrap();
        let got = tokens(std::slice::from_ref(&a), Some(&path)).unwrap();
        let hex: Vec<_> = got.iter().map(DeviceToken::to_hex).collect();
        assert_eq!(hex, vec![a, b, "cc".repeat(32)]);
        std::fs::write(&path, "not-a-token\n").unwrap();
        let err = tokens(&[], Some(&path)).unwrap_err();
        assert!(format!("{err:#}").contains("line 1"));
    }
}

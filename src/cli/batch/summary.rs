//! The summary `pushlab batch` prints at the end, its advice, and its exit code.

use std::path::Path;

use pushlab::client::BatchSummary;
use pushlab::words::for_terminal;

use super::BatchArgs;
use crate::cli::error::{CliError, outln};
use crate::cli::{exit, notification, target};

pub(super) fn print_summary(
    summary: &BatchSummary,
    args: &BatchArgs,
    resolved: &target::Resolved,
    lists_saved: bool,
) -> Result<(), CliError> {
    outln!(
        "{} results in {:.2} s, {} sent ({:.0}/s) over {} connection(s): {} delivered, {} rejected, {} unconfirmed, {} not sent, {} invalid input; {} retries, {} resent unprocessed{}",
        summary.total,
        summary.seconds,
        summary.sent(),
        summary.per_second,
        summary.connections_opened,
        summary.delivered,
        summary.rejected,
        summary.unconfirmed,
        summary.not_sent,
        summary.invalid_input,
        summary.retries,
        summary.resent_unprocessed,
        if summary.resent_unconfirmed > 0 {
            format!(", {} unconfirmed resent", summary.resent_unconfirmed)
        } else {
            String::new()
        }
    )?;
    for (reason, count) in &summary.reasons {
        let why =
            notification::over_certificate(reason, &resolved.route.auth, args.headers.push_type);
        outln!(
            "  {count:>8}  {}  {}",
            for_terminal(reason),
            why.or_else(|| notification::explain(Some(reason)))
                .unwrap_or_default()
        )?;
    }
    if let Some(stop) = &summary.stopped {
        // What stopped it, once, beside the counts (each unsent line says it too). A
        // connection's error is the server's text: neutralised for the terminal.
        outln!(
            "stopped before the end: {}",
            for_terminal(&stop.to_string())
        )?;
    }
    if summary.unconfirmed > 0 {
        outln!(
            "{} unconfirmed: sent, but no answer came, so APNs may or may not have them. They were not resent, to avoid showing a push twice; rerun those tokens (or use --resend-unconfirmed) if a duplicate is better than a loss.",
            summary.unconfirmed
        )?;
    }
    if summary.dead_tokens > 0 {
        match &args.dead_tokens {
            // Never "written" unless the file holds them (a full disk, say).
            Some(p) if !lists_saved => outln!(
                "{} dead tokens (410) — NOT saved to {} (see the error above); the batch's journal lists them",
                summary.dead_tokens,
                p.display()
            )?,
            Some(p) => outln!(
                "{} dead tokens (410) written to {} — remove them from your database",
                summary.dead_tokens,
                p.display()
            )?,
            None => outln!(
                "{} dead tokens (410) — write them to a file with --dead-tokens FILE",
                summary.dead_tokens
            )?,
        }
    }
    if summary.bad_device_tokens > 0 {
        let place = match &args.bad_tokens {
            Some(p) => format!(" (listed in {})", p.display()),
            None => String::new(),
        };
        outln!(
            "{} BadDeviceToken{place}: a malformed token, or one from the other environment — check them, do not delete them",
            summary.bad_device_tokens
        )?;
    }
    if summary.wrong_environment_likely() {
        outln!("{}", environment_advice(args, resolved))?;
    }
    Ok(())
}

/// Most tokens got BadDeviceToken: the batch is aimed at the wrong environment. Names the
/// one-token probe that tells for sure.
fn environment_advice(args: &BatchArgs, resolved: &target::Resolved) -> String {
    let other = match resolved.destination.other_environment() {
        Some(pushlab::client::Destination::Apple(env)) => env.label(),
        _ => {
            return "Most tokens got BadDeviceToken: they are probably from another environment than this server's (Xcode builds get sandbox tokens; TestFlight and App Store builds, production ones). Do not delete them.".to_owned();
        }
    };
    let mut probe = format!("pushlab send --server {other}");
    if let Some(c) = &args.credential.cert {
        probe.push_str(&format!(" --cert {}", shell_word(c)));
        if let Some(k) = &args.credential.key {
            probe.push_str(&format!(" --key {}", shell_word(k)));
        }
    }
    if let Some(k) = &args.credential.auth_key {
        probe.push_str(&format!(" --auth-key {}", shell_word(k)));
        if let Some(id) = &args.credential.key_id {
            probe.push_str(&format!(" --key-id {id}"));
        }
        if let Some(id) = &args.credential.team_id {
            probe.push_str(&format!(" --team-id {id}"));
        }
    }
    probe.push_str(" --token ONE_OF_THEM --alert test");
    format!(
        "Most tokens got BadDeviceToken: the environment is probably wrong, not the tokens (Xcode builds get sandbox tokens; TestFlight and App Store builds, production ones). Do not delete them. Try one against {other}:\n  {probe}"
    )
}

fn shell_word(path: &Path) -> String {
    let s = path.display().to_string();
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:@".contains(c))
    {
        s
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// 0: every line delivered. 3: some pushes have no known outcome (unconfirmed) or never
/// went out (not sent): check before sending again. 1: the rest (rejected, invalid input).
pub(super) fn exit_code(summary: &BatchSummary) -> u8 {
    if summary.all_delivered() {
        exit::OK
    } else if summary.unsettled() > 0 {
        exit::UNCONFIRMED
    } else {
        exit::PROBLEM
    }
}

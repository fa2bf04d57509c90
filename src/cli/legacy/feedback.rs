//! `pushlab feedback`: each record printed as it arrives.

use std::time::Duration;

use pushlab::legacy::{APPLE_FEEDBACK, APPLE_FEEDBACK_SANDBOX, FeedbackRecord, read_feedback_each};
use pushlab::words::for_terminal;
use serde_json::json;

use super::{FeedbackArgs, NOTICE, endpoint, hint_ca, place};
use crate::cli::error::{CliError, Exit, outln};
use crate::cli::exit;

/// Runs `pushlab feedback`.
pub fn feedback(args: FeedbackArgs) -> Exit {
    eprintln!("{NOTICE}");
    let timeout = Duration::from_secs(args.timeout.max(1));
    let (host, default) = place(
        args.server.as_deref(),
        args.sandbox,
        APPLE_FEEDBACK,
        APPLE_FEEDBACK_SANDBOX,
    )?;
    let endpoint = endpoint(host, default, &args.tls, timeout)?;
    let runtime = crate::cli::runtime(false)?;
    // Each record is printed (and flushed) as it arrives: the service hands each token out
    // once, so one that stalls or sends garbage after ten records must not take those ten.
    // The first write that fails (a reader gone) is kept for after.
    let mut write_error = None;
    let read = runtime.block_on(read_feedback_each(&endpoint, timeout, |r| {
        if write_error.is_none() {
            write_error = print_record(&r, args.json).err();
        }
    }));
    let count = read.map_err(|(count, e)| {
        let kept = if count > 0 {
            format!(
                "\n{count} token(s) above came before the error: the service will not list them again, so keep them"
            )
        } else {
            String::new()
        };
        CliError::new(format!(
            "could not read the feedback service at {}:{} to the end: {}{kept}{}",
            endpoint.host,
            endpoint.port,
            for_terminal(&e.to_string()),
            hint_ca(&e, &args.tls)
        ))
    })?;
    if let Some(e) = write_error {
        return Err(e);
    }
    if !args.json {
        if count == 0 {
            outln!(
                "no tokens reported: nothing was unregistered since the list was last read (the service hands out each token once)"
            )?;
        } else {
            outln!(
                "{count} token(s) reported as unregistered: stop sending to them and remove them now — the service will not list them again"
            )?;
        }
    }
    Ok(exit::OK)
}

fn print_record(r: &FeedbackRecord, json: bool) -> Result<(), CliError> {
    let time = time::OffsetDateTime::from_unix_timestamp(i64::from(r.time))
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| r.time.to_string());
    // outln! flushes nothing itself: standard output is line-buffered, so each line is out
    // as soon as it is written.
    if json {
        outln!(
            "{}",
            json!({ "token": r.token_hex(), "time": time, "timestamp": r.time })
        )
    } else {
        outln!("{}  unregistered since {time}", r.token_hex())
    }
}

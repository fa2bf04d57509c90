//! `pushlab feedback`: each record printed as it arrives.

use std::time::Duration;

use pushlab::legacy::{APPLE_FEEDBACK, APPLE_FEEDBACK_SANDBOX, FeedbackRecord, read_feedback_each};
use pushlab::words::for_terminal;
use serde_json::json;

use super::{FeedbackArgs, NOTICE, endpoint, hint_ca, place, runtime};
use crate::cli::exit;

/// Runs `pushlab feedback`.
pub fn feedback(args: FeedbackArgs) -> u8 {
    eprintln!("{NOTICE}");
    let timeout = Duration::from_secs(args.timeout.max(1));
    let place = place(
        args.server.as_deref(),
        args.sandbox,
        APPLE_FEEDBACK,
        APPLE_FEEDBACK_SANDBOX,
    );
    let endpoint =
        match place.and_then(|(host, default)| endpoint(host, default, &args.tls, timeout)) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("error: {e:#}");
                return exit::FAILED;
            }
        };
    let Some(runtime) = runtime() else {
        return exit::FAILED;
    };
    // Each record is printed (and flushed) as it arrives: the service hands each token out
    // once, so one that stalls or sends garbage after ten records must not take those ten.
    let read = runtime.block_on(read_feedback_each(&endpoint, timeout, |r| {
        print_record(&r, args.json);
        let _ = std::io::Write::flush(&mut std::io::stdout());
    }));
    let count = match read {
        Ok(count) => count,
        Err((count, e)) => {
            eprintln!(
                "error: could not read the feedback service at {}:{} to the end: {}",
                endpoint.host,
                endpoint.port,
                for_terminal(&e.to_string())
            );
            if count > 0 {
                eprintln!(
                    "{count} token(s) above came before the error: the service will not list them again, so keep them"
                );
            }
            hint_ca(&e, &args.tls);
            return exit::FAILED;
        }
    };
    if !args.json {
        if count == 0 {
            println!(
                "no tokens reported: nothing was unregistered since the list was last read (the service hands out each token once)"
            );
        } else {
            println!(
                "{count} token(s) reported as unregistered: stop sending to them and remove them now — the service will not list them again"
            );
        }
    }
    exit::OK
}

fn print_record(r: &FeedbackRecord, json: bool) {
    let time = time::OffsetDateTime::from_unix_timestamp(i64::from(r.time))
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| r.time.to_string());
    if json {
        println!(
            "{}",
            json!({ "token": r.token_hex(), "time": time, "timestamp": r.time })
        );
    } else {
        println!("{}  unregistered since {time}", r.token_hex());
    }
}

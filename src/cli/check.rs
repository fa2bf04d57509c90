use std::time::Duration;

use clap::Args;
use pushlab::apns::PushType;
use pushlab::client::{self, StepStatus};
use pushlab::words::for_terminal;

use super::error::{CliError, Exit, outln};
use super::exit;
use super::target::{self, CredentialArgs, Resolved, TargetArgs};

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    target: TargetArgs,
    #[command(flatten)]
    credential: CredentialArgs,
    /// Topic to send with the probe (default: the certificate's bundle id).
    #[arg(long)]
    topic: Option<String>,
    /// Seconds each step may take.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// After the check, send the probe N times on one connection and report the round trips
    /// (p50 / p95 / p99). Nothing is delivered: the probe's token is invalid on purpose.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    repeat: Option<u32>,
    /// One JSON object with a `steps` array (and `latency` with --repeat).
    #[arg(long)]
    json: bool,
}

pub fn run(args: CheckArgs) -> Exit {
    super::block_on(async move {
        let resolved = target::resolve(
            &args.target,
            &args.credential,
            target::Intent {
                topic: args.topic.as_deref(),
                push_type: Some(PushType::Alert),
            },
        )
        .await?;
        if !args.json {
            print_heading(&args, &resolved)?;
        }
        let json = args.json;
        // The steps are printed as they end; the first write that fails is kept for after.
        let mut write_error = None;
        let mut print = |s: &client::Step| {
            if !json && write_error.is_none() {
                write_error = print_step(s).err();
            }
        };
        let report = client::check(
            &resolved.route.target,
            &resolved.route.auth,
            args.topic.as_deref(),
            Duration::from_secs(args.timeout),
            &mut print,
        )
        .await;
        if let Some(e) = write_error {
            return Err(e);
        }
        let latency = match args.repeat {
            Some(n) if report.passed() => Some(
                client::measure_latency(
                    &resolved.route.target,
                    &resolved.route.auth,
                    args.topic.as_deref(),
                    n as usize,
                    Duration::from_secs(args.timeout),
                )
                .await,
            ),
            _ => None,
        };
        if json {
            print_json(&report, latency.as_ref())?;
        } else {
            print_text(&report, latency.as_ref())?;
        }
        resolved.finish().await;
        Ok(if report.passed() {
            exit::OK
        } else {
            exit::PROBLEM
        })
    })
}

/// Where the check goes, through what, and what will fail there before it starts.
fn print_heading(args: &CheckArgs, resolved: &Resolved) -> Result<(), CliError> {
    outln!("Checking {}", resolved.route.target.label)?;
    if let Some(note) = &resolved.proxy_note {
        outln!("  {note}")?;
    }
    let push_type = args.topic.as_deref().map_or(
        pushlab::apns::PushType::Alert,
        pushlab::apns::PushType::of_topic,
    );
    for w in resolved.warnings(args.topic.as_deref(), push_type) {
        outln!("  warning: {}", for_terminal(&w.to_string()))?;
    }
    Ok(())
}

fn print_step(s: &client::Step) -> Result<(), CliError> {
    let mark = match s.status {
        StepStatus::Passed => "ok  ",
        StepStatus::Failed => "FAIL",
        StepStatus::Skipped => "skip",
    };
    outln!(
        "  {mark} {:<6} {:>8.1} ms  {}",
        s.name,
        s.ms,
        for_terminal(&s.detail)
    )?;
    if let Some(fix) = &s.fix {
        outln!("       fix: {}", for_terminal(fix))?;
    }
    Ok(())
}

fn print_json(
    report: &client::CheckReport,
    latency: Option<&Result<client::Latency, String>>,
) -> Result<(), CliError> {
    let mut value = serde_json::to_value(report).unwrap_or_default();
    match latency {
        Some(Ok(l)) => value["latency"] = serde_json::to_value(l).unwrap_or_default(),
        Some(Err(e)) => value["latency_error"] = e.clone().into(),
        None => {}
    }
    outln!("{value}")
}

fn print_text(
    report: &client::CheckReport,
    latency: Option<&Result<client::Latency, String>>,
) -> Result<(), CliError> {
    match latency {
        Some(Ok(l)) => outln!(
            "  latency over {} requests on one connection: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms (min {:.1}, max {:.1})",
            l.requests,
            l.p50_ms,
            l.p95_ms,
            l.p99_ms,
            l.min_ms,
            l.max_ms
        )?,
        Some(Err(e)) => outln!("  latency not measured: {}", for_terminal(e))?,
        None => {}
    }
    if let Some(tls) = &report.tls {
        for (i, c) in tls.chain.iter().enumerate() {
            outln!(
                "  chain[{i}] {} — issued by {} — {} days left",
                for_terminal(&c.subject),
                for_terminal(&c.issuer),
                c.days_left
            )?;
        }
    }
    outln!("  note: {}", report.caveat)?;
    outln!(
        "{}",
        if report.passed() {
            "All steps passed."
        } else {
            "The check failed."
        }
    )
}

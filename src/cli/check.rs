use std::time::Duration;

use clap::Args;
use pushlab::client::{self, StepStatus};

use super::exit;
use super::push::{self, CredentialArgs, TargetArgs};

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
    /// One JSON object with a `steps` array.
    #[arg(long)]
    json: bool,
}

pub fn run(args: CheckArgs) -> u8 {
    super::block_on(async move {
        let resolved =
            match push::resolve(&args.target, &args.credential, args.topic.as_deref()).await {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    return exit::FAILED;
                }
            };
        if !args.json {
            println!("Checking {}", resolved.target.label);
            for w in resolved.warnings(args.topic.as_deref(), pushlab::apns::PushType::Alert) {
                println!("  warning: {w}");
            }
        }
        let json = args.json;
        let mut print = move |s: &client::Step| {
            if json {
                return;
            }
            let mark = match s.status {
                StepStatus::Passed => "ok  ",
                StepStatus::Failed => "FAIL",
                StepStatus::Skipped => "skip",
            };
            println!("  {mark} {:<6} {:>8.1} ms  {}", s.name, s.ms, s.detail);
            if let Some(fix) = &s.fix {
                println!("       fix: {fix}");
            }
        };
        let report = client::check(
            &resolved.target,
            &resolved.auth,
            args.topic.as_deref(),
            Duration::from_secs(args.timeout),
            &mut print,
        )
        .await;
        if json {
            println!("{}", serde_json::to_string(&report).unwrap_or_default());
        } else {
            if let Some(tls) = &report.tls {
                for (i, c) in tls.chain.iter().enumerate() {
                    println!(
                        "  chain[{i}] {} — issued by {} — {} days left",
                        c.subject, c.issuer, c.days_left
                    );
                }
            }
            println!("  note: {}", report.caveat);
            println!(
                "{}",
                if report.passed() {
                    "All steps passed."
                } else {
                    "The check failed."
                }
            );
        }
        resolved.finish().await;
        if report.passed() {
            exit::OK
        } else {
            exit::PROBLEM
        }
    })
}

//! `pushlab doctor`: why a push does not arrive, from what the user has.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use pushlab::apns::PushType;
use pushlab::cert::{self, Environment};
use pushlab::client::{Destination, Target};
use pushlab::doctor::{self, AppBuild, Case, Probes, Status};

use super::exit;
use super::push::{CredentialArgs, load_credential};

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Where pushes go: production, sandbox, or HOST:PORT (a gateway, a `pushlab sim`).
    #[arg(long, default_value = "sandbox")]
    env: String,
    /// Port for Apple's hosts: 443 or 2197.
    #[arg(long)]
    port: Option<u16>,
    /// Extra trusted root certificates (repeatable), e.g. a `pushlab sim`'s CA.
    #[arg(long, value_name = "FILE")]
    ca: Vec<PathBuf>,
    /// The environment a HOST:PORT server stands for (Apple's hosts say it themselves).
    #[arg(long, value_name = "ENV")]
    environment: Option<EnvArg>,
    #[command(flatten)]
    credential: CredentialArgs,
    #[command(flatten)]
    proxy: super::proxy::ProxyArgs,
    /// The app's bundle id (default: the certificate's).
    #[arg(long, value_name = "ID")]
    bundle_id: Option<String>,
    /// The device token, as the app logged it.
    #[arg(long)]
    token: Option<String>,
    /// How the app on the phone was built: xcode (run from Xcode: sandbox tokens) or
    /// testflight / app-store (production tokens).
    #[arg(long, value_name = "HOW")]
    built_with: Option<AppBuild>,
    /// The push type to diagnose.
    #[arg(long, default_value = "alert")]
    push_type: PushType,
    /// The payload to send (a JSON file); default: a short alert.
    #[arg(long, value_name = "FILE")]
    payload: Option<PathBuf>,
    /// apns-priority: 10, 5 or 1.
    #[arg(long)]
    priority: Option<u8>,
    /// apns-expiration, Unix seconds (0: try once).
    #[arg(long)]
    expiration: Option<i64>,
    /// apns-collapse-id.
    #[arg(long)]
    collapse_id: Option<String>,
    /// Check only: do not send the test push to the token.
    #[arg(long)]
    no_send: bool,
    /// On BadDeviceToken, send the same push once to the other environment to tell which one
    /// the token belongs to (it shows on the phone if it is that environment's).
    #[arg(long)]
    probe_other_environment: bool,
    /// The other environment's server, for HOST:PORT servers (Apple's other host otherwise).
    #[arg(long, value_name = "HOST:PORT")]
    other_env: Option<String>,
    /// Seconds each step may take.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// One JSON object: the verdict and every finding.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum EnvArg {
    Sandbox,
    Production,
}

pub fn run(args: DoctorArgs) -> u8 {
    match plan(&args) {
        Ok((case, probes)) => super::block_on(async move {
            let diagnosis = doctor::diagnose_online(&case, &probes).await;
            print(&diagnosis, args.json);
            if diagnosis.has_failures() {
                exit::PROBLEM
            } else {
                exit::OK
            }
        }),
        Err(e) => {
            eprintln!("error: {e:#}");
            exit::FAILED
        }
    }
}

fn plan(args: &DoctorArgs) -> anyhow::Result<(Case, Probes)> {
    let credential = load_credential(&args.credential)
        .map_err(|e| format!("{e:#}"))
        .transpose();
    let payload = match &args.payload {
        Some(path) => Some(
            std::fs::read(path)
                .map_err(|e| anyhow::anyhow!("--payload {}: {e}", path.display()))?,
        ),
        None => None,
    };
    let case = Case {
        credential,
        bundle_id: args.bundle_id.clone(),
        token: args.token.clone(),
        build: args.built_with,
        push_type: args.push_type,
        payload,
        priority: args.priority,
        expiration: args.expiration,
        collapse_id: args.collapse_id.clone(),
    };
    let mut extra = Vec::new();
    for path in &args.ca {
        extra.extend(cert::load_file(path, None)?.certificates);
    }
    let destination: Destination = args
        .env
        .parse()
        .map_err(|e: String| anyhow::anyhow!("--env: {e}"))?;
    if destination == Destination::LocalSimulator {
        anyhow::bail!(
            "the doctor checks a running server: start `pushlab sim` and give --env HOST:PORT --ca CA.pem --environment sandbox"
        );
    }
    let environment = args.environment.map(|e| match e {
        EnvArg::Sandbox => Environment::Sandbox,
        EnvArg::Production => Environment::Production,
    });
    let with_env = |mut t: Target, env: Option<Environment>| -> anyhow::Result<Target> {
        if t.environment.is_none() {
            t.environment = env;
        }
        t.proxy = args.proxy.for_host(&t.host)?.map(|(p, _)| p);
        Ok(t)
    };
    let target = with_env(
        destination
            .target(args.port, extra.clone(), None)
            .map_err(anyhow::Error::msg)?,
        environment,
    )?;
    let other = if args.probe_other_environment {
        let other = match &args.other_env {
            Some(spec) => spec
                .parse::<Destination>()
                .map_err(|e| anyhow::anyhow!("--other-env: {e}"))?,
            None => destination.other_environment().ok_or_else(|| {
                anyhow::anyhow!(
                    "--probe-other-environment: give --other-env HOST:PORT for a server that is not Apple's"
                )
            })?,
        };
        let t = other
            .target(None, extra.clone(), None)
            .map_err(anyhow::Error::msg)?;
        Some(with_env(t, target.environment.map(Environment::other))?)
    } else {
        None
    };
    let alternate_port = target.other_apple_port();
    Ok((
        case,
        Probes {
            target,
            other,
            alternate_port,
            send: !args.no_send,
            timeout: Duration::from_secs(args.timeout),
        },
    ))
}

fn print(d: &doctor::Diagnosis, json: bool) {
    if json {
        println!("{}", serde_json::to_string(d).unwrap_or_default());
        return;
    }
    println!("{}", d.verdict.sentence);
    if let Some(fix) = &d.verdict.fix {
        println!("Fix: {fix}");
    }
    let mut area = None;
    for f in &d.findings {
        if area != Some(f.area) {
            area = Some(f.area);
            println!("\n{}", f.area.label());
        }
        let mark = match f.status {
            Status::Passed => "ok  ",
            Status::Failed => "FAIL",
            Status::Warning => "warn",
            Status::Skipped => "skip",
            Status::Info => "info",
        };
        println!("  {mark} {}: {}", f.title, f.evidence);
        if let Some(fix) = &f.fix
            && f.status != Status::Passed
        {
            println!("       fix: {fix}");
        }
    }
}

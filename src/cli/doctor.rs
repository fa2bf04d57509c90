//! `pushlab doctor`: why a push does not arrive, from what the user has.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use pushlab::apns::Environment;
use pushlab::apns::PushType;
use pushlab::cert;
use pushlab::client::{ClientAuth, Destination};
use pushlab::doctor::{self, AppBuild, Case, Probes, Status};
use pushlab::words::for_terminal;

use super::error::{CliError, Exit, outln};
use super::exit;
use super::target::{CredentialArgs, Intent, Resolved, TargetArgs, load_credential, resolve_with};

#[derive(Debug, Args)]
pub struct DoctorArgs {
    // Where the test push goes, as for `send`: --server local (the default, an in-process
    // simulator), sandbox, production or HOST:PORT, with --port, --ca, --data-dir and the
    // proxy options.
    #[command(flatten)]
    target: TargetArgs,
    /// The environment a HOST:PORT server stands for (Apple's hosts and the local simulator
    /// say it themselves).
    #[arg(long, value_name = "ENV")]
    environment: Option<EnvArg>,
    #[command(flatten)]
    credential: CredentialArgs,
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
    // `--other-env` was its name before: a hidden alias for the scripts that spell it.
    #[arg(long, alias = "other-env", value_name = "HOST:PORT")]
    other_server: Option<String>,
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

pub fn run(args: DoctorArgs) -> Exit {
    super::block_on(async move {
        let (case, probes, resolved) = plan(&args).await?;
        let diagnosis = match &probes {
            Some(probes) => doctor::diagnose_online(&case, probes).await,
            None => doctor::diagnose_without_server(&case),
        };
        if let Some(resolved) = resolved {
            resolved.finish().await;
        }
        print(&diagnosis, args.json)?;
        Ok(if diagnosis.has_failures() {
            exit::PROBLEM
        } else {
            exit::OK
        })
    })
}

/// What the user has, where to probe (`None`: no readable credential to ask a server with),
/// and the resolved target (with the in-process simulator of `--server local`, to stop after).
async fn plan(args: &DoctorArgs) -> anyhow::Result<(Case, Option<Probes>, Option<Resolved>)> {
    let payload = match &args.payload {
        Some(path) => Some(
            std::fs::read(path)
                .map_err(|e| anyhow::anyhow!("--payload {}: {e}", path.display()))?,
        ),
        None => None,
    };
    let mut case = Case {
        credential: None,
        bundle_id: args.bundle_id.clone(),
        token: args.token.clone(),
        build: args.built_with,
        push_type: args.push_type,
        payload,
        priority: args.priority,
        expiration: args.expiration,
        collapse_id: args.collapse_id.clone(),
    };
    let destination: Destination = args
        .target
        .server
        .parse()
        .map_err(|e: String| anyhow::anyhow!("--server: {e}"))?;
    let auth = match load_credential(&args.credential) {
        Ok(auth) => auth,
        // An unreadable credential is the doctor's first finding, not an error.
        Err(e) => {
            case.credential = Some(Err(format!("{e:#}")));
            return Ok((case, None, None));
        }
    };
    // Without a credential only the local simulator can be asked (with a throwaway test
    // certificate, or key for a token-only push type, as `send` does); elsewhere the offline
    // checks say what is missing.
    if auth.is_none() && destination != Destination::LocalSimulator {
        return Ok((case, None, None));
    }
    let resolved = resolve_with(
        &args.target,
        auth,
        Intent {
            topic: args.bundle_id.as_deref(),
            push_type: Some(args.push_type),
        },
    )
    .await?;
    case.credential = Some(Ok(resolved.route.auth.clone()));
    // A throwaway test auth key names no app: it is for the one `--server local` chose.
    if case.bundle_id.is_none() && matches!(resolved.route.auth, ClientAuth::Token(_)) {
        case.bundle_id = resolved.route.bundle_id.clone();
    }
    let environment = args.environment.map(|e| match e {
        EnvArg::Sandbox => Environment::Sandbox,
        EnvArg::Production => Environment::Production,
    });
    let mut target = resolved.route.target.clone();
    if target.environment.is_none() {
        target.environment = environment;
    }
    let other = if args.probe_other_environment {
        let other = match &args.other_server {
            Some(spec) => spec
                .parse::<Destination>()
                .map_err(|e| anyhow::anyhow!("--other-server: {e}"))?,
            None => destination.other_environment().ok_or_else(|| {
                anyhow::anyhow!(
                    "--probe-other-environment: give --other-server HOST:PORT for a server that is not Apple's"
                )
            })?,
        };
        let mut extra = Vec::new();
        for path in &args.target.ca {
            extra.extend(cert::load_file(path, None)?.certificates);
        }
        if let Some(sim) = &resolved.local {
            // The other server may be a `pushlab sim` sharing the local one's CA.
            extra.push(sim.ca_certificate().clone());
        }
        let mut t = other
            .target(None, extra, None)
            .map_err(anyhow::Error::msg)?;
        if t.environment.is_none() {
            t.environment = target.environment.map(Environment::other);
        }
        t.proxy = args.target.proxy.for_host(&t.host)?.map(|(p, _)| p);
        Some(t)
    } else {
        None
    };
    let alternate_port = target.other_apple_port();
    let probes = Probes {
        target,
        other,
        alternate_port,
        send: !args.no_send,
        timeout: Duration::from_secs(args.timeout),
    };
    Ok((case, Some(probes), Some(resolved)))
}

fn print(d: &doctor::Diagnosis, json: bool) -> Result<(), CliError> {
    if json {
        return outln!("{}", serde_json::to_string(d).unwrap_or_default());
    }
    outln!("{}", for_terminal(&d.verdict.sentence.to_string()))?;
    if let Some(fix) = &d.verdict.fix {
        outln!("Fix: {}", for_terminal(fix))?;
    }
    let mut area = None;
    for f in &d.findings {
        if area != Some(f.area) {
            area = Some(f.area);
            outln!("\n{}", f.area.label())?;
        }
        let mark = match f.status {
            Status::Passed => "ok  ",
            Status::Failed => "FAIL",
            Status::Warning => "warn",
            Status::Skipped => "skip",
            Status::Info => "info",
        };
        outln!(
            "  {mark} {}: {}",
            for_terminal(&f.title),
            for_terminal(&f.evidence)
        )?;
        if let Some(fix) = &f.fix
            && f.status != Status::Passed
        {
            outln!("       fix: {}", for_terminal(fix))?;
        }
    }
    Ok(())
}

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand, ValueEnum};
use pushlab::apns::Environment;
use pushlab::apns::Reason;
use pushlab::cert::{self, AuthKey, CertEnvironment, Credential, PushCertificateSpec};
use pushlab::sim::{
    DeviceRegistry, EnvKeyReason, ErrorBurst, RegisteredKey, SimConfig, SimIdentity,
};
use pushlab::words::for_terminal;

use super::error::{Exit, outln};
use super::exit;

mod lines;
mod serve;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SimArgs {
    #[command(subcommand)]
    command: Option<SimCommand>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Debug, Subcommand)]
enum SimCommand {
    /// Write the simulator's CA certificate, for clients to trust.
    ExportCa {
        /// Where to write the CA certificate (PEM).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
        /// Where the simulator keeps its CA (default: pushlab's data folder).
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Issue a test push certificate (with key) from the simulator's CA.
    IssueCert {
        /// The app's bundle id, e.g. com.example.app (the certificate's topic).
        #[arg(long, value_name = "ID")]
        bundle_id: String,
        /// development (sandbox only), production, or universal (both).
        // `--env` was its name before: a hidden alias for the scripts that spell it.
        #[arg(long, alias = "env", value_enum, default_value = "development")]
        kind: CertKind,
        /// Combined PEM (certificate + key) to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
        /// Where the simulator keeps its CA (default: pushlab's data folder).
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Make a test auth key (.p8), to rehearse token-based connections: a simulator trusts it
    /// with `pushlab sim --auth-key FILE --team-id ID` (the app's, when it is first used).
    IssueKey {
        /// Where to write it: a folder (the key is named AuthKey_<KEYID>.p8 there, as Apple
        /// names them, so the key id is read from the name) or a file.
        #[arg(long, value_name = "DIR|FILE")]
        out: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CertKind {
    Development,
    Production,
    Universal,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EnvArg {
    Sandbox,
    Production,
}

impl From<EnvArg> for Environment {
    fn from(e: EnvArg) -> Self {
        match e {
            EnvArg::Sandbox => Environment::Sandbox,
            EnvArg::Production => Environment::Production,
        }
    }
}

#[derive(Debug, Args)]
struct RunArgs {
    /// Which APNs environment to behave as.
    // `--env` was its name before: a hidden alias for the scripts that spell it.
    #[arg(long, alias = "env", value_enum, default_value = "sandbox")]
    environment: EnvArg,
    /// Port for the HTTP/2 API (0 picks a free one).
    #[arg(long, default_value_t = 2197)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Also run the legacy binary gateway (Apple's port 2195, retired 31 March 2021) on this
    /// port (0 picks a free one).
    #[arg(long, value_name = "N")]
    legacy_port: Option<u16>,
    /// Fault: the legacy gateway sends each error packet this many milliseconds after the
    /// notification it refuses, as a slow gateway did (rehearses senders that stop listening
    /// too early).
    #[arg(long, value_name = "MS", requires = "legacy_port")]
    legacy_error_delay: Option<u64>,
    /// Also run the legacy feedback service (Apple's port 2196) on this port (0 picks a free
    /// one): it lists the tokens marked unregistered, each once.
    #[arg(long, value_name = "N")]
    feedback_port: Option<u16>,
    /// Serve this certificate instead of the simulator's own (needs --server-key).
    #[arg(long, value_name = "FILE", requires = "server_key")]
    server_cert: Option<PathBuf>,
    /// The private key of --server-cert.
    #[arg(long, value_name = "FILE", requires = "server_cert")]
    server_key: Option<PathBuf>,
    /// Also accept client certificates issued by this CA (repeatable).
    #[arg(long, value_name = "FILE")]
    client_ca: Vec<PathBuf>,
    /// Accept provider tokens signed with this .p8 key.
    #[arg(long, value_name = "FILE")]
    auth_key: Option<PathBuf>,
    /// The key id (default: from the file name AuthKey_<KEYID>.p8).
    #[arg(long, value_name = "ID")]
    key_id: Option<String>,
    /// The team id tokens must name.
    #[arg(long, value_name = "ID", requires = "auth_key")]
    team_id: Option<String>,
    /// Restrict the key to one environment, as a team-scoped key is (Apple, February 2025):
    /// the other environment answers BadEnvironmentKeyIdInToken.
    #[arg(long, value_name = "ENV", requires = "auth_key")]
    key_environment: Option<EnvArg>,
    /// Make the key topic-specific: it may push only to these bundle ids (repeatable); others
    /// answer TopicDisallowed.
    #[arg(long, value_name = "BUNDLE_ID", requires = "auth_key")]
    key_topic: Vec<String>,
    /// Device tokens: one per line, optionally `active|unregistered|expired`, `sandbox|production`, a topic,
    /// and `channel:<id>` for each broadcast channel the device subscribed to (the channel is
    /// created if it does not exist). Read again on SIGHUP, so a script can subscribe devices
    /// to a channel it created: add the lines, then `kill -HUP <pid>`.
    #[arg(long, value_name = "FILE")]
    tokens: Option<PathBuf>,
    /// How many broadcast channels one app may have (Apple's limit is 10,000); one more is
    /// refused with CannotCreateChannelConfig.
    #[arg(long, value_name = "N")]
    channel_limit: Option<usize>,
    /// Answer every channel request and broadcast with FeatureNotEnabled, as APNs does for an
    /// app without the Broadcast capability.
    #[arg(long)]
    no_broadcast: bool,
    /// Answer BadDeviceToken for tokens not in --tokens.
    #[arg(long)]
    reject_unknown_tokens: bool,
    /// Append every accepted notification to this JSON Lines file.
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,
    /// SETTINGS_MAX_CONCURRENT_STREAMS.
    #[arg(long, default_value_t = 1000)]
    max_streams: u32,
    /// Spell the environment-key error as seen on the wire (BadEnvironmentKeyInToken).
    #[arg(long)]
    wire_env_key_reason: bool,
    /// Send GOAWAY {"reason":"IdleTimeout"} after this many idle seconds (0: never).
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    idle_timeout: u64,
    /// Limit: connections served at once; more are closed as they arrive.
    #[arg(long, value_name = "N", default_value_t = 1024)]
    max_connections: usize,
    /// Limit: header bytes a request may send (SETTINGS_MAX_HEADER_LIST_SIZE).
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024)]
    max_header_list_bytes: u32,
    /// Limit: seconds a request's body may take to arrive; slower ones are reset.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    body_deadline: u64,
    /// Fault: GOAWAY on a connection after it served N requests.
    #[arg(long, value_name = "N")]
    goaway_after: Option<u64>,
    /// Fault: drop a connection (no GOAWAY) when it receives more than N requests.
    // `--reset-after` was its name before ("reset" now means RST_STREAM only): a hidden alias.
    #[arg(long, alias = "reset-after", value_name = "N")]
    drop_after: Option<u64>,
    /// Fault: answer a share of requests with an error, e.g. `TooManyRequests:0.1`, `ServiceUnavailable:0.05`.
    #[arg(long, value_name = "REASON:SHARE")]
    fail: Option<String>,
    /// Fault: a burst of errors, e.g. `ServiceUnavailable:100:50` = requests 101–150.
    #[arg(long, value_name = "REASON:START:COUNT")]
    fail_burst: Option<String>,
    /// Fault: wait this long before each answer.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,
    /// Fault: the `date` header is this many seconds off (negative: behind), as a wrong
    /// clock on one side would show.
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 0,
        allow_hyphen_values = true
    )]
    clock_offset: i64,
    /// Fault: refuse streams beyond N in flight per connection (REFUSED_STREAM).
    #[arg(long, value_name = "N")]
    refuse_streams_over: Option<usize>,
    /// Fault: after N requests, shut down mid-stream (503 Shutdown + GOAWAY), then serve again.
    #[arg(long, value_name = "N")]
    shutdown_after: Option<u64>,
    /// Fault: deliver every Nth request, then reset its stream (INTERNAL_ERROR) unanswered.
    #[arg(long, value_name = "N")]
    reset_processed_every: Option<u64>,
    /// Fault: drop a connection (no GOAWAY) right after it delivered its Nth push, unanswered.
    #[arg(long, value_name = "N")]
    drop_after_processing: Option<u64>,
    /// Fault: answer what a push's headers alone decide (a bad token or path, a wrong topic, a
    /// refused credential, an injected error) before reading its body, which is then stopped
    /// with RST_STREAM(NO_ERROR), as HTTP/2 front ends may
    #[arg(long)]
    answer_from_headers: bool,
    /// Also serve the control API (JSON under /api/v1/, events, /metrics and a web inbox at
    /// /) on this port (0 picks a free one).
    #[arg(long, value_name = "N")]
    api_port: Option<u16>,
    /// Address for the control API. Anything but loopback needs --api-token.
    #[arg(
        long,
        value_name = "ADDR",
        default_value = "127.0.0.1",
        requires = "api_port"
    )]
    api_bind: std::net::IpAddr,
    /// A token every API request must then carry as `Authorization: Bearer <token>`
    /// (better from the environment than on a command line other users can list).
    #[arg(
        long,
        value_name = "TOKEN",
        env = "PUSHLAB_SIM_API_TOKEN",
        hide_env_values = true,
        requires = "api_port"
    )]
    api_token: Option<String>,
    /// Stop after this many seconds (default: run until Ctrl-C).
    #[arg(long, value_name = "SECONDS")]
    duration: Option<u64>,
    /// Do not print a line per request.
    #[arg(long)]
    quiet: bool,
    /// Where the simulator keeps its CA and server certificate.
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
}

pub fn run(args: SimArgs) -> Exit {
    let result = match args.command {
        Some(SimCommand::ExportCa {
            out,
            force,
            data_dir,
        }) => export_ca(&out, force, data_dir),
        Some(SimCommand::IssueCert {
            bundle_id,
            kind,
            out,
            force,
            data_dir,
        }) => issue_cert(&bundle_id, kind, &out, force, data_dir),
        Some(SimCommand::IssueKey { out, force }) => issue_key(&out, force),
        None => serve::serve(args.run),
    };
    Ok(result?)
}

fn identity(data_dir: Option<PathBuf>) -> anyhow::Result<SimIdentity> {
    match data_dir.or_else(SimIdentity::default_dir) {
        Some(dir) => SimIdentity::load_or_create(&dir).with_context(|| {
            format!(
                "could not set up the simulator's certificates in {}",
                dir.display()
            )
        }),
        None => {
            eprintln!("note: no data folder on this system; using a throwaway CA for this run");
            Ok(SimIdentity::ephemeral()?)
        }
    }
}

/// `--force` must not let an output replace the simulator's own CA or server files.
fn refuse_identity_file(out: &std::path::Path, id: &SimIdentity) -> anyhow::Result<()> {
    let files = id.files();
    let inputs: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
    pushlab::files::refuse_same_file(out, &inputs)
        .map_err(|e| anyhow::anyhow!(super::output_problem(&e)))
}

fn export_ca(out: &std::path::Path, force: bool, data_dir: Option<PathBuf>) -> anyhow::Result<u8> {
    let id = identity(data_dir)?;
    refuse_identity_file(out, &id)?;
    cert::write_secret_file(out, &id.ca_pem()?, false, force)?;
    outln!(
        "wrote {}: the simulator's CA certificate — trust it to connect to the simulator",
        out.display()
    )?;
    eprintln!(
        "note: trust it in your test client only (curl --cacert, --ca), not system-wide: it can vouch for {} (its name constraints), and its key is in the simulator's data folder",
        pushlab::sim::SERVER_NAMES.join(", ")
    );
    Ok(exit::OK)
}

fn issue_key(out: &std::path::Path, force: bool) -> anyhow::Result<u8> {
    let key = cert::TestAuthKey::generate()?;
    let path = if out.is_dir() {
        out.join(key.file_name())
    } else {
        out.to_owned()
    };
    cert::write_secret_file(&path, &key.pem, true, force)?;
    let id = &key.key_id;
    outln!(
        "wrote {}: test auth key {id} (EC P-256, PKCS#8), owner-only. Only a simulator told to trust it accepts it.",
        path.display()
    )?;
    let named = cert::key_id_from_file_name(
        &path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    )
    .is_some_and(|k| &k == id);
    let key_id = if named {
        String::new()
    } else {
        format!(" --key-id {id}")
    };
    eprintln!(
        "note: any team id of 10 letters and digits will do, the same on both sides: pushlab sim --auth-key {p}{key_id} --team-id TEAMID1234, then pushlab send --auth-key {p}{key_id} --team-id TEAMID1234 …",
        p = path.display()
    );
    Ok(exit::OK)
}

fn issue_cert(
    bundle_id: &str,
    kind: CertKind,
    out: &std::path::Path,
    force: bool,
    data_dir: Option<PathBuf>,
) -> anyhow::Result<u8> {
    let id = identity(data_dir)?;
    refuse_identity_file(out, &id)?;
    let kind = match kind {
        CertKind::Development => CertEnvironment::Development,
        CertKind::Production => CertEnvironment::Production,
        CertKind::Universal => CertEnvironment::Universal,
    };
    let cred = id
        .ca
        .issue_push_certificate(&PushCertificateSpec::new(bundle_id, kind))?;
    let pem = cred.export(cert::ExportFormat::Pem, None)?;
    cert::write_secret_file(out, &pem, true, force)?;
    outln!(
        "wrote {}: test push certificate for {bundle_id} ({}), certificate + key, owner-only. Only the pushlab simulator trusts it.",
        out.display(),
        kind.label()
    )?;
    Ok(exit::OK)
}

fn parse_reason(text: &str) -> anyhow::Result<Reason> {
    Reason::parse(text).with_context(|| format!("'{text}' is not an APNs reason (e.g. TooManyRequests, InternalServerError, ServiceUnavailable)"))
}

fn config(args: &RunArgs) -> anyhow::Result<SimConfig> {
    let mut id = identity(args.data_dir.clone())?;
    if let (Some(cert_path), Some(key_path)) = (&args.server_cert, &args.server_key) {
        let cert_file = cert::load_file(cert_path, None)?;
        let key_file = cert::load_file(key_path, None)?;
        id.server = Credential::from_files(&cert_file, Some(&key_file))?;
        id.server.require_key()?;
    }
    let mut config = SimConfig::new(args.environment.into(), id);
    config.bind = std::net::SocketAddr::new(args.bind, args.port);
    config.legacy_gateway_port = args.legacy_port;
    if let Some(ms) = args.legacy_error_delay {
        config.legacy_error_delay = std::time::Duration::from_millis(ms);
    }
    config.feedback_port = args.feedback_port;
    for path in &args.client_ca {
        let file = cert::load_file(path, None)?;
        if file.certificates.is_empty() {
            bail!("{} holds no CA certificate", path.display());
        }
        config.client_cas.extend(file.certificates);
    }
    if let Some(path) = &args.auth_key {
        config.auth_keys.push(registered_key(args, path)?);
    }
    if let Some(path) = &args.tokens {
        let bytes = super::read_small(
            path,
            super::MAX_TOKEN_FILE,
            "the simulator's token list",
            false,
        )?;
        // The error quotes the line: shown escaped, as it came from a file.
        let registry = DeviceRegistry::parse_bytes(&bytes)
            .map_err(|e| anyhow::anyhow!("{}", for_terminal(&e.to_string())))
            .with_context(|| format!("in {}", path.display()))?;
        config.registry = Arc::new(registry);
    }
    if let Some(n) = args.channel_limit {
        config.channels.set_limit(n);
    }
    config.channels.set_enabled(!args.no_broadcast);
    config.accept_unknown_tokens = !args.reject_unknown_tokens;
    if let Some(log) = &args.log {
        // The log is appended to: never the token list (or another input) it would corrupt,
        // nor a file of pushlab's own.
        let inputs: Vec<&std::path::Path> = args.tokens.iter().map(PathBuf::as_path).collect();
        pushlab::files::refuse_same_file(log, &inputs)
            .and_then(|()| pushlab::files::refuse_owned(log))
            .map_err(|e| anyhow::anyhow!("--log: {}", super::output_problem(&e)))?;
    }
    config.log = args.log.clone();
    config.max_concurrent_streams = args.max_streams.max(1);
    if args.wire_env_key_reason {
        config.env_key_reason = EnvKeyReason::Wire;
    }
    config.idle_timeout = (args.idle_timeout > 0).then(|| Duration::from_secs(args.idle_timeout));
    config.limits.max_connections = args.max_connections.max(1);
    config.limits.max_header_list_bytes = args.max_header_list_bytes.max(1024);
    config.limits.body_deadline = Duration::from_secs(args.body_deadline.max(1));
    faults(args, &mut config.faults)?;
    Ok(config)
}

/// The --auth-key the simulator accepts provider tokens from, with its scope.
fn registered_key(args: &RunArgs, path: &std::path::Path) -> anyhow::Result<RegisteredKey> {
    let file = cert::load_file(path, None)?;
    let Some(key) = file
        .private_key
        .clone()
        .filter(|_| file.kind == cert::FileKind::AuthKey)
    else {
        bail!("{} is not an APNs auth key (.p8)", path.display());
    };
    let Some(key_id) = args.key_id.clone().or(file.key_id.clone()) else {
        bail!("give --key-id: the file name does not carry it (AuthKey_<KEYID>.p8)");
    };
    let Some(team_id) = args.team_id.clone() else {
        bail!("give --team-id: tokens name the team they belong to");
    };
    let auth = AuthKey {
        key,
        key_id,
        team_id,
    };
    let mut registered = RegisteredKey::from_auth_key(&auth)?;
    registered.environment = args.key_environment.map(Environment::from);
    registered.topics.clone_from(&args.key_topic);
    Ok(registered)
}

/// The faults asked for on the command line.
fn faults(args: &RunArgs, f: &mut pushlab::sim::Faults) -> anyhow::Result<()> {
    f.goaway_after = args.goaway_after;
    f.drop_after = args.drop_after;
    f.latency = Duration::from_millis(args.latency_ms);
    f.clock_offset = args.clock_offset;
    f.refuse_streams_over = args.refuse_streams_over;
    f.shutdown_after = args.shutdown_after;
    f.reset_processed_every = args.reset_processed_every;
    f.drop_after_processing = args.drop_after_processing;
    f.answer_from_headers = args.answer_from_headers;
    if let Some(spec) = &args.fail {
        let (reason, share) = spec
            .split_once(':')
            .context("--fail takes REASON:SHARE, e.g. TooManyRequests:0.1")?;
        let share: f64 = share
            .parse()
            .context("the share in --fail is a number from 0 to 1")?;
        if !(0.0..=1.0).contains(&share) {
            bail!("the share in --fail is a number from 0 to 1");
        }
        f.error_share = Some((parse_reason(reason)?, share));
    }
    if let Some(spec) = &args.fail_burst {
        let parts: Vec<&str> = spec.split(':').collect();
        let [reason, start, count] = parts[..] else {
            bail!("--fail-burst takes REASON:START:COUNT, e.g. ServiceUnavailable:100:50");
        };
        f.error_burst = Some(ErrorBurst {
            reason: parse_reason(reason)?,
            start: start.parse().context("START in --fail-burst is a number")?,
            count: count.parse().context("COUNT in --fail-burst is a number")?,
        });
    }
    Ok(())
}

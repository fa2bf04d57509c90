//! Where to connect and with which credential: the options every command that connects
//! shares (`check`, `send`, `batch`, `doctor`, `channels`), and their resolution into a
//! `Target` and a `ClientAuth`, with an in-process simulator for `--server local`.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use clap::Args;
use pushlab::apns::Environment;
use pushlab::apns::PushType;
use pushlab::cert::{self, AuthKey, CertEnvironment, Credential, FileKind, PushCertificateSpec};
use pushlab::client::{CertificateFacts, ClientAuth, Destination, Route, Target};
use pushlab::sim::{RegisteredKey, SimConfig, SimIdentity, Simulator};

use super::cert::Loader;
use super::proxy::{ProxyArgs, describe};
use super::secrets::PassphraseArgs;

#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    /// Where to connect: production, sandbox, local (an in-process simulator), or HOST:PORT.
    // `--env` was its name before: a hidden alias, for one release, for the scripts that spell it.
    #[arg(
        long,
        alias = "env",
        value_name = "production|sandbox|local|HOST:PORT",
        default_value = "local"
    )]
    pub server: String,
    /// Port for Apple's hosts: 443 or 2197.
    #[arg(long)]
    pub port: Option<u16>,
    /// Extra trusted root certificates (repeatable), e.g. a running `pushlab sim`'s CA.
    #[arg(long, value_name = "FILE")]
    pub ca: Vec<PathBuf>,
    /// Where the local simulator keeps its CA (as `pushlab sim --data-dir`).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(flatten)]
    pub proxy: ProxyArgs,
}

#[derive(Debug, Clone, Args)]
pub struct CredentialArgs {
    /// Push certificate: .p12, combined PEM, or .cer (with --key).
    #[arg(long, value_name = "FILE", conflicts_with = "auth_key")]
    pub cert: Option<PathBuf>,
    /// The private key, when it is in another file.
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
    /// APNs auth key (.p8) for token-based connections.
    #[arg(long, value_name = "FILE")]
    pub auth_key: Option<PathBuf>,
    /// The auth key's id (default: from AuthKey_<KEYID>.p8).
    #[arg(long, value_name = "ID")]
    pub key_id: Option<String>,
    /// Your team id (10 characters, in the developer portal's Membership page).
    #[arg(long, value_name = "ID")]
    pub team_id: Option<String>,
}

/// A connected target, and the in-process simulator behind it when `--server local`.
pub struct Resolved {
    /// Where the user asked to send.
    pub destination: Destination,
    /// Where and with what, as the library's one route type (the app's `Plan` holds the same).
    pub route: Route,
    pub local: Option<Simulator>,
    /// The proxy in use, said for people (never with its password).
    pub proxy_note: Option<String>,
}

pub(super) fn load_credential(args: &CredentialArgs) -> anyhow::Result<Option<ClientAuth>> {
    let mut loader = Loader::new(&args.passphrase).context("could not read the passphrase")?;
    if let Some(path) = &args.cert {
        let main = loader.load(path)?;
        let key = args.key.as_deref().map(|k| loader.load(k)).transpose()?;
        let cred = Credential::from_files(&main, key.as_ref())?;
        cred.require_key()?;
        return Ok(Some(ClientAuth::Certificate(cred)));
    }
    if let Some(path) = &args.auth_key {
        let file = loader.load(path)?;
        let Some(key) = file
            .private_key
            .clone()
            .filter(|_| file.kind == FileKind::AuthKey)
        else {
            bail!("{} is not an APNs auth key (.p8, EC P-256)", path.display());
        };
        let Some(key_id) = args.key_id.clone().or(file.key_id.clone()) else {
            bail!(
                "give --key-id: the file name does not carry it (Apple names the file AuthKey_<KEYID>.p8)"
            );
        };
        let Some(team_id) = args.team_id.clone() else {
            bail!(
                "give --team-id: the provider token names your team (Membership page of the developer portal)"
            );
        };
        return Ok(Some(ClientAuth::token(AuthKey {
            key,
            key_id,
            team_id,
        })));
    }
    Ok(None)
}

/// Whether `cert` is a pushlab simulator's CA (by the name every one of them carries).
fn is_simulator_ca(cert: &openssl::x509::X509) -> bool {
    cert.subject_name()
        .entries_by_nid(openssl::nid::Nid::COMMONNAME)
        .any(|e| e.data().as_slice() == b"Pushlab Simulator CA")
}

/// What is about to be sent, so that `--server local` with no credential picks a throwaway
/// one Apple would take for it.
#[derive(Debug, Clone, Copy)]
pub struct Intent<'a> {
    /// The topic or bundle id given, if any.
    pub topic: Option<&'a str>,
    /// The push type of the pushes to devices; `None` for channel requests and broadcasts,
    /// which Apple's pages say it validates with a token or a certificate.
    pub push_type: Option<PushType>,
}

/// Reads the credential and works out the target, starting a local simulator if asked.
pub async fn resolve(
    t: &TargetArgs,
    c: &CredentialArgs,
    intent: Intent<'_>,
) -> anyhow::Result<Resolved> {
    resolve_with(t, load_credential(c)?, intent).await
}

/// [`resolve`] with the credential already read (the doctor reads it itself: an unreadable
/// one is a finding there, not an error).
pub async fn resolve_with(
    t: &TargetArgs,
    auth: Option<ClientAuth>,
    intent: Intent<'_>,
) -> anyhow::Result<Resolved> {
    let report = match &auth {
        Some(ClientAuth::Certificate(cred)) => Some(cert::CertificateReport::of(
            &cred.certificate,
            time::OffsetDateTime::now_utc(),
        )?),
        _ => None,
    };
    let extra = extra_roots(&t.ca)?;
    let destination: Destination = t
        .server
        .parse()
        .map_err(|e: String| anyhow::anyhow!("--server: {e}"))?;
    if destination.environment().is_some() && extra.iter().any(is_simulator_ca) {
        eprintln!(
            "warning: --ca adds the pushlab simulator's CA to what is trusted for Apple's hosts: a server holding its key could stand in for APNs. Use it against the simulator only."
        );
    }
    let mut proxy_note = None;
    let (target, auth, local, app) = match &destination {
        Destination::Apple(_) | Destination::Custom(_) => {
            let mut target = destination
                .target(t.port, extra, None)
                .map_err(anyhow::Error::msg)?;
            target.proxy = t.proxy.for_host(&target.host)?.map(|(p, source)| {
                proxy_note = Some(describe(&p, &source));
                p
            });
            let Some(auth) = auth else {
                bail!(
                    "give a credential: --cert FILE (push certificate) or --auth-key FILE --key-id ID --team-id ID"
                );
            };
            (target, auth, None, None)
        }
        Destination::LocalSimulator => {
            let env = match report.as_ref().map(|r| r.environment) {
                Some(CertEnvironment::Production) => Environment::Production,
                _ => Environment::Sandbox,
            };
            let (sim, auth, app) = start_local(t, env, auth, intent).await?;
            let mut target = Target::simulator(sim.addr(), sim.ca_certificate().clone(), env);
            target.proxy = t.proxy.for_local()?.map(|(p, source)| {
                proxy_note = Some(describe(&p, &source));
                p
            });
            (target, auth, Some(sim), app)
        }
    };
    let report = match &auth {
        ClientAuth::Certificate(cred) => Some(cert::CertificateReport::of(
            &cred.certificate,
            time::OffsetDateTime::now_utc(),
        )?),
        ClientAuth::Token(_) => None,
    };
    Ok(Resolved {
        destination,
        route: Route {
            target,
            auth,
            bundle_id: report.as_ref().and_then(|r| r.bundle_id.clone()).or(app),
            certificate: report.as_ref().map(CertificateFacts::of),
        },
        local,
        proxy_note,
    })
}

/// The certificates of --ca, to trust besides the system's roots.
fn extra_roots(paths: &[PathBuf]) -> anyhow::Result<Vec<openssl::x509::X509>> {
    let mut extra = Vec::new();
    for path in paths {
        let file = cert::load_file(path, None)?;
        if file.certificates.is_empty() {
            bail!("{} holds no certificate to trust", path.display());
        }
        extra.extend(file.certificates);
    }
    Ok(extra)
}

/// `--server local`: an in-process simulator of `env` that accepts the credential (a token
/// key is registered with it); with none, a throwaway one from it: a test certificate from
/// its CA, or a test auth key for the push types Apple takes only over a token-based
/// connection (Live Activities, location), as it would refuse them over the certificate.
async fn start_local(
    t: &TargetArgs,
    env: Environment,
    auth: Option<ClientAuth>,
    intent: Intent<'_>,
) -> anyhow::Result<(Simulator, ClientAuth, Option<String>)> {
    let identity = match t.data_dir.clone().or_else(SimIdentity::default_dir) {
        Some(dir) => SimIdentity::load_or_create(&dir)?,
        None => SimIdentity::ephemeral()?,
    };
    let mut config = SimConfig::new(env, identity.clone());
    // The app a throwaway credential is for: the topic given, without its push-type suffix.
    let bundle = intent.topic.unwrap_or("com.example.app");
    let base = PushType::ALL
        .iter()
        .find_map(|p| {
            p.topic_suffix()
                .filter(|s| !s.is_empty())
                .and_then(|s| bundle.strip_suffix(s))
        })
        .unwrap_or(bundle)
        .to_owned();
    let mut throwaway_key_for = None;
    let auth = match auth {
        Some(a) => a,
        None if let Some(push_type) = intent.push_type.filter(|p| !p.works_with_certificate()) => {
            let key = cert::TestAuthKey::generate()?;
            eprintln!(
                "note: no --auth-key given; using a throwaway test auth key {} (team {}): Apple takes {push_type} pushes only over a token-based connection",
                key.key_id,
                cert::TEST_TEAM_ID,
            );
            // A token names no app: the pushes go to the one given, or the example app.
            throwaway_key_for = Some(base.clone());
            ClientAuth::token(key.auth_key(cert::TEST_TEAM_ID)?)
        }
        None => {
            // A newcomer with no certificate yet: use a throwaway test certificate.
            eprintln!(
                "note: no --cert given; using a test certificate for {base} issued by the simulator's CA"
            );
            ClientAuth::Certificate(identity.ca.issue_push_certificate(
                &PushCertificateSpec::new(&base, CertEnvironment::Development),
            )?)
        }
    };
    if let ClientAuth::Token(signer) = &auth {
        config
            .auth_keys
            .push(RegisteredKey::from_auth_key(signer.key())?);
    }
    config.registry = Arc::new(pushlab::sim::DeviceRegistry::new());
    Ok((Simulator::start(config).await?, auth, throwaway_key_for))
}

impl Resolved {
    /// Problems to tell the user before sending: the credential cannot work here. The same
    /// list the app shows beside its Send buttons (`client::Route::warnings`).
    pub fn warnings(&self, topic: Option<&str>, push_type: PushType) -> Vec<String> {
        self.route
            .warnings(topic, push_type, time::OffsetDateTime::now_utc())
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Tells, on standard error, what a person should know before anything is sent: the proxy
    /// in use, and what will fail there.
    pub fn say_before_sending(&self, topic: Option<&str>, push_type: PushType) {
        if let Some(note) = &self.proxy_note {
            eprintln!("note: connecting {note}");
        }
        for w in self.warnings(topic, push_type) {
            eprintln!("warning: {}", pushlab::words::for_terminal(&w));
        }
    }

    pub async fn finish(self) {
        if let Some(sim) = self.local {
            sim.shutdown().await;
        }
    }
}

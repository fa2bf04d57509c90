//! What `check`, `send` and `batch` share: where to connect, with which credential, and the
//! notification's headers and payload.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use clap::Args;
use pushlab::apns::{self, DeviceToken, Notification, PayloadFields, PushType};
use pushlab::cert::{
    self, AuthKey, CertEnvironment, Credential, Environment, FileKind, PushCertificateSpec,
};
use pushlab::client::{CertificateFacts, ClientAuth, Destination, Route, Target};
use pushlab::sim::{RegisteredKey, SimConfig, SimIdentity, Simulator};

use super::cert::Loader;
use super::proxy::{ProxyArgs, describe};
use super::secrets::PassphraseArgs;

#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    /// production, sandbox, local (an in-process simulator), or HOST:PORT.
    #[arg(long, default_value = "local")]
    pub env: String,
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

/// A connected target, and the in-process simulator behind it when `--env local`.
pub struct Resolved {
    /// Where the user asked to send.
    pub destination: Destination,
    pub target: Target,
    pub auth: ClientAuth,
    pub local: Option<Simulator>,
    /// Bundle id from the certificate.
    pub bundle_id: Option<String>,
    /// What the certificate says of itself (dates, environment, topics).
    pub certificate: Option<CertificateFacts>,
    /// The proxy in use, said for people (never with its password).
    pub proxy_note: Option<String>,
}

pub(super) fn load_credential(args: &CredentialArgs) -> anyhow::Result<Option<ClientAuth>> {
    let Ok(mut loader) = Loader::new(&args.passphrase) else {
        bail!("could not read the passphrase");
    };
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

/// Reads the credential and works out the target, starting a local simulator if asked.
pub async fn resolve(
    t: &TargetArgs,
    c: &CredentialArgs,
    topic_hint: Option<&str>,
) -> anyhow::Result<Resolved> {
    resolve_with(t, load_credential(c)?, topic_hint).await
}

/// [`resolve`] with the credential already read (the doctor reads it itself: an unreadable
/// one is a finding there, not an error).
pub async fn resolve_with(
    t: &TargetArgs,
    auth: Option<ClientAuth>,
    topic_hint: Option<&str>,
) -> anyhow::Result<Resolved> {
    let report = match &auth {
        Some(ClientAuth::Certificate(cred)) => Some(cert::CertificateReport::of(
            &cred.certificate,
            time::OffsetDateTime::now_utc(),
        )?),
        _ => None,
    };
    let mut extra = Vec::new();
    for path in &t.ca {
        let file = cert::load_file(path, None)?;
        if file.certificates.is_empty() {
            bail!("{} holds no certificate to trust", path.display());
        }
        extra.extend(file.certificates);
    }
    let destination: Destination = t
        .env
        .parse()
        .map_err(|e: String| anyhow::anyhow!("--env: {e}"))?;
    if destination.environment().is_some() && extra.iter().any(is_simulator_ca) {
        eprintln!(
            "warning: --ca adds the pushlab simulator's CA to what is trusted for Apple's hosts: a server holding its key could stand in for APNs. Use it against the simulator only."
        );
    }
    let mut proxy_note = None;
    let (target, auth, local) = match &destination {
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
            (target, auth, None)
        }
        Destination::LocalSimulator => {
            let identity = match t.data_dir.clone().or_else(SimIdentity::default_dir) {
                Some(dir) => SimIdentity::load_or_create(&dir)?,
                None => SimIdentity::ephemeral()?,
            };
            let env = match report.as_ref().map(|r| r.environment) {
                Some(CertEnvironment::Production) => Environment::Production,
                _ => Environment::Sandbox,
            };
            let mut config = SimConfig::new(env, identity.clone());
            let auth = match auth {
                Some(ClientAuth::Token(signer)) => {
                    config
                        .auth_keys
                        .push(RegisteredKey::from_auth_key(signer.key())?);
                    ClientAuth::Token(signer)
                }
                Some(a) => a,
                None => {
                    // A newcomer with no certificate yet: use a throwaway test certificate.
                    let bundle = topic_hint.unwrap_or("com.example.app");
                    let base = PushType::ALL
                        .iter()
                        .find_map(|p| {
                            p.topic_suffix()
                                .filter(|s| !s.is_empty())
                                .and_then(|s| bundle.strip_suffix(s))
                        })
                        .unwrap_or(bundle);
                    eprintln!(
                        "note: no --cert given; using a test certificate for {base} issued by the simulator's CA"
                    );
                    ClientAuth::Certificate(identity.ca.issue_push_certificate(
                        &PushCertificateSpec::new(base, CertEnvironment::Development),
                    )?)
                }
            };
            config.registry = Arc::new(pushlab::sim::DeviceRegistry::new());
            let sim = Simulator::start(config).await?;
            let mut target = Target::simulator(sim.addr(), sim.ca_certificate().clone(), env);
            target.proxy = t.proxy.for_local()?.map(|(p, source)| {
                proxy_note = Some(describe(&p, &source));
                p
            });
            (target, auth, Some(sim))
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
        target,
        auth,
        local,
        bundle_id: report.as_ref().and_then(|r| r.bundle_id.clone()),
        certificate: report.as_ref().map(CertificateFacts::of),
        proxy_note,
    })
}

impl Resolved {
    /// Problems to tell the user before sending: the credential cannot work here. The same
    /// list the app shows beside its Send buttons (`client::Route::warnings`).
    pub fn warnings(&self, topic: Option<&str>, push_type: PushType) -> Vec<String> {
        self.route()
            .warnings(topic, push_type, time::OffsetDateTime::now_utc())
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Where and with what this command sends, as the library's one route type.
    pub fn route(&self) -> Route {
        Route {
            target: self.target.clone(),
            auth: self.auth.clone(),
            bundle_id: self.bundle_id.clone(),
            certificate: self.certificate.clone(),
        }
    }

    pub async fn finish(self) {
        if let Some(sim) = self.local {
            sim.shutdown().await;
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct HeaderArgs {
    /// alert, background, voip, liveactivity, complication, controls, fileprovider, location, mdm, pushtotalk, widgets.
    #[arg(long, default_value = "alert")]
    pub push_type: PushType,
    /// apns-topic (default: the certificate's bundle id, with the push type's suffix).
    #[arg(long)]
    pub topic: Option<String>,
    /// 10 (now), 5 (power-friendly) or 1.
    #[arg(long)]
    pub priority: Option<u8>,
    /// Unix time, 0 (try once), or +SECONDS from now.
    #[arg(long)]
    pub expiration: Option<String>,
    /// apns-collapse-id: a newer push with the same id replaces this one on the device (at
    /// most 64 bytes).
    #[arg(long)]
    pub collapse_id: Option<String>,
    /// A UUID to identify the push (APNs makes one otherwise).
    #[arg(long)]
    pub apns_id: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct PayloadArgs {
    /// JSON payload from a file, or - for standard input.
    #[arg(long, value_name = "FILE|-", conflicts_with_all = ["alert", "title", "subtitle", "badge", "sound"])]
    pub payload: Option<PathBuf>,
    /// Alert body text.
    #[arg(long, value_name = "TEXT")]
    pub alert: Option<String>,
    /// Alert title, shown in bold above the body.
    #[arg(long)]
    pub title: Option<String>,
    /// Alert subtitle, between the title and the body.
    #[arg(long)]
    pub subtitle: Option<String>,
    /// The number on the app icon (0 clears it).
    #[arg(long)]
    pub badge: Option<u32>,
    /// A sound file name, or "default".
    #[arg(long)]
    pub sound: Option<String>,
    /// Play the sound as a critical alert.
    #[arg(long)]
    pub critical: bool,
    /// The notification category (its action buttons), as registered by the app.
    #[arg(long)]
    pub category: Option<String>,
    /// Groups notifications with the same thread id together.
    #[arg(long)]
    pub thread_id: Option<String>,
    /// content-available: 1, wakes the app in the background (a background push).
    #[arg(long)]
    pub content_available: bool,
    /// mutable-content: 1, lets the app's notification service extension change it.
    #[arg(long)]
    pub mutable_content: bool,
    /// passive, active, time-sensitive or critical.
    #[arg(long)]
    pub interruption_level: Option<String>,
    /// 0 to 1: which notification of a group is featured in the summary.
    #[arg(long)]
    pub relevance_score: Option<f64>,
    /// The window or content the app brings forward when the notification is opened.
    #[arg(long)]
    pub target_content_id: Option<String>,
    /// A custom top-level key: KEY=JSON (repeatable), e.g. door=\"front\".
    #[arg(long, value_name = "KEY=JSON")]
    pub custom: Vec<String>,
}

impl PayloadArgs {
    /// The payload bytes: the file, the fields, or the push type's template.
    pub fn build(&self, push_type: PushType) -> anyhow::Result<Vec<u8>> {
        if let Some(path) = &self.payload {
            return super::read_small(path, super::MAX_PAYLOAD_FILE, "the payload", true);
        }
        let mut f = PayloadFields {
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            body: self.alert.clone(),
            badge: self.badge,
            sound: self.sound.clone(),
            critical: self.critical,
            category: self.category.clone(),
            thread_id: self.thread_id.clone(),
            content_available: self.content_available,
            mutable_content: self.mutable_content,
            interruption_level: self.interruption_level.clone(),
            relevance_score: self.relevance_score,
            target_content_id: self.target_content_id.clone(),
            ..Default::default()
        };
        for kv in &self.custom {
            let (k, v) = kv
                .split_once('=')
                .with_context(|| format!("--custom {kv}: write KEY=JSON"))?;
            let value =
                serde_json::from_str(v).unwrap_or_else(|_| serde_json::Value::String(v.to_owned()));
            f.custom.insert(k.to_owned(), value);
        }
        let value = if f == PayloadFields::default() {
            apns::template(push_type)
        } else {
            f.to_json()
        };
        Ok(serde_json::to_vec(&value)?)
    }
}

/// Checks a payload and prints its problems; errors stop the command.
pub fn check_payload(
    payload: &[u8],
    push_type: PushType,
    priority: Option<u8>,
) -> anyhow::Result<()> {
    say_check(&apns::check_payload(payload, push_type, priority))
}

/// Prints a payload check's warnings; its first error stops the send.
pub fn say_check(check: &apns::PayloadCheck) -> anyhow::Result<()> {
    for w in &check.warnings {
        eprintln!("warning: {w}");
    }
    if let Some(e) = check.errors.first() {
        let at = e
            .line()
            .map(|l| format!(" (line {l}, column {})", e.column().unwrap_or(0)))
            .unwrap_or_default();
        bail!("payload: {e}{at}");
    }
    Ok(())
}

impl HeaderArgs {
    pub fn topic(&self, resolved: &Resolved) -> Option<String> {
        self.topic.clone().or_else(|| {
            resolved
                .bundle_id
                .as_ref()
                .map(|b| self.push_type.topic_for(b))
        })
    }

    /// A notification for `token` with these headers.
    pub fn notification(
        &self,
        token: DeviceToken,
        topic: Option<String>,
        payload: bytes::Bytes,
    ) -> anyhow::Result<Notification> {
        let headers = apns::Headers {
            topic,
            priority: self.priority,
            expiration: match self.expiration.as_deref() {
                None => apns::Expiration::None,
                Some(e) => apns::Expiration::parse(e).context("--expiration")?,
            },
            collapse_id: self.collapse_id.clone(),
            apns_id: self.apns_id.clone(),
        };
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let n = headers.notification(token, self.push_type, payload, now)?;
        Ok(n)
    }
}

/// One sentence on what a reason means and what to do.
pub fn explain(reason: Option<&str>) -> Option<String> {
    let r = apns::Reason::parse(reason?)?;
    Some(format!("{} {}", r.meaning(), r.fix()))
}

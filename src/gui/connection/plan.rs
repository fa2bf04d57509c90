//! From the Connection settings to a plan: the target, the credential, the bundle id.

use super::*;
use crate::gui::Failure;
use crate::gui::i18n::{tr, tr_with};

/// Where to connect and how, ready for a job: everything but the custom CA file, which the
/// job reads.
#[derive(Clone)]
pub struct Plan {
    pub target: Target,
    pub custom_ca: Option<PathBuf>,
    pub auth: ClientAuth,
    /// The embedded simulator (for "Copy as curl").
    pub local: bool,
    /// The credential's name in the list, for the history.
    pub credential_name: String,
    /// The certificate's bundle id, when it has one.
    pub bundle_id: Option<String>,
}

impl Plan {
    /// The target with the custom CA file read in.
    pub async fn target(&self) -> Result<Target, Failure> {
        let mut target = self.target.clone();
        if let Some(path) = &self.custom_ca {
            let file = path.clone();
            let bytes = tokio::task::spawn_blocking(move || std::fs::read(file))
                .await
                .map_err(|e| Failure::Text(e.to_string()))?
                .map_err(|e| Failure::CaFileUnreadable {
                    path: path.clone(),
                    error: e.to_string(),
                })?;
            let no_pem = || Failure::CaFileNoPem { path: path.clone() };
            let certs = openssl::x509::X509::stack_from_pem(&bytes).map_err(|_| no_pem())?;
            if certs.is_empty() {
                return Err(no_pem());
            }
            target.extra_roots.extend(certs);
        }
        Ok(target)
    }
}

/// "Local simulator (127.0.0.1:4000) with com.example.app (test, development)".
pub fn summary(
    settings: &ConnectionSettings,
    simulator: Option<&Simulator>,
    credentials: &CredentialsPanel,
) -> String {
    let place = match settings.destination {
        Destination::LocalSimulator => match simulator {
            Some(sim) => tr_with(
                "connection-local-simulator-at",
                &[("addr", sim.addr().to_string().into())],
            ),
            None => tr("connection-local-simulator-not-running").to_owned(),
        },
        Destination::Sandbox | Destination::Production => tr_with(
            "connection-apple-at-port",
            &[
                ("place", settings.destination.label().into()),
                ("port", settings.port.to_string().into()),
            ],
        ),
        Destination::Custom => format!("{} {}", settings.destination.label(), settings.custom_host),
    };
    match chosen_credential(credentials, settings) {
        Some(entry) => tr_with(
            "connection-place-with",
            &[
                ("place", place.into()),
                ("credential", entry.saved.name.as_str().into()),
            ],
        ),
        None => tr_with("connection-place-no-credential", &[("place", place.into())]),
    }
}

/// The APNs environment of an Apple destination; `None` for the simulator and custom hosts,
/// which do not tell sandbox tokens from production ones.
pub fn apple_environment(settings: &ConnectionSettings) -> Option<crate::cert::Environment> {
    match settings.destination {
        Destination::Sandbox => Some(crate::cert::Environment::Sandbox),
        Destination::Production => Some(crate::cert::Environment::Production),
        Destination::LocalSimulator | Destination::Custom => None,
    }
}

/// One sentence when saved tokens from `device` will be refused at the chosen destination.
/// `subject` names them: "This device's token is", "The tokens of A and B are".
pub fn environment_warning(
    subject: &str,
    device: crate::cert::Environment,
    settings: &ConnectionSettings,
) -> Option<String> {
    apple_environment(settings).filter(|d| *d != device)?;
    Some(tr_with(
        "connection-wrong-environment",
        &[
            ("subject", subject.into()),
            ("device", device.label().into()),
            ("destination", settings.destination.label().into()),
        ],
    ))
}

/// Whether an entry can connect: a certificate with its key, or an auth key.
pub(super) fn usable(entry: &Entry) -> bool {
    entry.loaded().is_some_and(|l| {
        l.credential
            .as_ref()
            .is_some_and(|c| c.private_key.is_some())
            || (l.inspection.kind == FileKind::AuthKey && l.main.private_key.is_some())
    })
}

/// The credential pushes use: the chosen one, else the first usable one.
pub fn chosen_credential<'a>(
    credentials: &'a CredentialsPanel,
    settings: &ConnectionSettings,
) -> Option<&'a Entry> {
    let mut usable_entries = credentials.entries().iter().filter(|e| usable(e));
    let chosen = settings.credential.as_ref().and_then(|path| {
        credentials
            .entries()
            .iter()
            .filter(|e| usable(e))
            .find(|e| &e.saved.path == path)
    });
    chosen.or_else(|| usable_entries.next())
}

/// Builds the plan for the current settings, or says what is missing.
pub fn plan(
    settings: &ConnectionSettings,
    simulator: Option<&Simulator>,
    credentials: &CredentialsPanel,
) -> Result<Plan, String> {
    let destination = settings.destination()?;
    let running = simulator.map(|sim| RunningSimulator {
        addr: sim.addr(),
        ca: sim.ca_certificate().clone(),
        environment: sim.environment(),
    });
    let local = destination == crate::client::Destination::LocalSimulator;
    let mut target = destination
        .target(
            (!local && settings.destination != Destination::Custom).then_some(settings.port),
            Vec::new(),
            running.as_ref(),
        )
        .map_err(|e| {
            if local {
                tr("connection-sim-not-running").to_owned()
            } else {
                e
            }
        })?;
    target.proxy = settings.proxy()?;
    let custom_ca = match settings.destination {
        Destination::Custom => {
            let ca = settings.custom_ca.trim();
            (!ca.is_empty()).then(|| crate::gui::dialogs::expand_home(ca))
        }
        _ => None,
    };
    let entry = chosen_credential(credentials, settings)
        .ok_or_else(|| tr("connection-choose-credential").to_owned())?;
    let Some(loaded) = entry.loaded() else {
        return Err(tr("connection-choose-credential").to_owned());
    };
    let auth = if loaded.inspection.kind == FileKind::AuthKey {
        let Some(key) = loaded.main.private_key.clone() else {
            return Err(tr("connection-auth-key-empty"));
        };
        let key_id = match settings.key_id.trim() {
            "" => loaded.main.key_id.clone().unwrap_or_default(),
            typed => typed.to_owned(),
        };
        if key_id.is_empty() {
            return Err(tr("connection-type-key-id"));
        }
        let team_id = settings.team_id.trim().to_owned();
        if team_id.is_empty() {
            return Err(tr("connection-type-your-team-id-10").to_owned());
        }
        ClientAuth::token(AuthKey {
            key,
            key_id,
            team_id,
        })
    } else {
        match &loaded.credential {
            Some(c) if c.private_key.is_some() => ClientAuth::Certificate(c.clone()),
            _ => {
                return Err(tr_with(
                    "connection-no-private-key",
                    &[("name", entry.saved.name.as_str().into())],
                ));
            }
        }
    };
    Ok(Plan {
        target,
        custom_ca,
        local,
        credential_name: entry.saved.name.clone(),
        bundle_id: loaded
            .inspection
            .certificate
            .as_ref()
            .and_then(|c| c.bundle_id.clone()),
        auth,
    })
}

//! From the Connection settings to a plan: the target, the credential, the bundle id.

use super::*;
use crate::client::{CertificateFacts, Route, RouteWarning};
use crate::gui::JobError;
use crate::gui::i18n::msg;
use crate::gui::made_with::MadeWith;

/// Where to connect and how, ready for a job: everything but the custom CA file, which the
/// job reads.
#[derive(Clone)]
pub struct Plan {
    /// Where and with what, as the library's one route type (the CLI's `Resolved` holds the
    /// same). The bundle id is the one typed for this credential, else the certificate's.
    pub route: Route,
    /// The custom server's CA file, read when the job runs (`None`: the system's roots or the
    /// simulator's CA in the route).
    pub custom_ca: Option<PathBuf>,
    /// The embedded simulator (for "Copy as curl").
    pub local: bool,
    /// The credential's name in the list, for the history.
    pub credential_name: String,
    /// The credential as pickers name it: what tells it apart from the others.
    pub credential_label: String,
}

impl Plan {
    /// What a result made with this plan remembers: the route, and the CA file still to be
    /// read.
    pub fn made_with(&self) -> MadeWith {
        let mut id = self.route.id();
        if let Some(ca) = &self.custom_ca {
            id = id.with(&ca.to_string_lossy());
        }
        MadeWith {
            id,
            credential: self.credential_label.clone(),
        }
    }

    /// What will go wrong with pushes of `push_type`, known before sending.
    pub fn warnings(&self, push_type: crate::apns::PushType) -> Vec<RouteWarning> {
        self.route
            .warnings(None, push_type, time::OffsetDateTime::now_utc())
    }

    /// The target with the custom CA file read in.
    pub async fn target(&self) -> Result<Target, JobError> {
        let mut target = self.route.target.clone();
        if let Some(path) = &self.custom_ca {
            let file = path.clone();
            let bytes = tokio::task::spawn_blocking(move || std::fs::read(file))
                .await
                .map_err(|e| JobError::Message(e.to_string()))?
                .map_err(|e| JobError::CaFileUnreadable {
                    path: path.clone(),
                    error: e.to_string(),
                })?;
            let no_pem = || JobError::CaFileNoPem { path: path.clone() };
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
            Some(sim) => msg::connection_local_simulator_at(sim.addr().to_string()),
            None => msg::connection_local_simulator_not_running().to_owned(),
        },
        Destination::Sandbox | Destination::Production => {
            msg::connection_apple_at_port(settings.destination.label(), settings.port.to_string())
        }
        Destination::Custom => format!("{} {}", settings.destination.label(), settings.custom_host),
    };
    match chosen_credential(credentials, settings) {
        Some(entry) => msg::connection_place_with(
            credential_label(entry, credentials.entries(), settings),
            place,
        ),
        None => msg::connection_place_no_credential(place),
    }
}

/// The APNs environment of an Apple destination; `None` for the simulator and custom hosts,
/// which do not tell sandbox tokens from production ones.
pub fn apple_environment(settings: &ConnectionSettings) -> Option<crate::apns::Environment> {
    match settings.destination {
        Destination::Sandbox => Some(crate::apns::Environment::Sandbox),
        Destination::Production => Some(crate::apns::Environment::Production),
        Destination::LocalSimulator | Destination::Custom => None,
    }
}

/// One sentence when saved tokens from `device` will be refused at the chosen destination.
/// `subject` names them: "This device's token is", "The tokens of A and B are".
pub fn environment_warning(
    subject: &str,
    device: crate::apns::Environment,
    settings: &ConnectionSettings,
) -> Option<String> {
    apple_environment(settings).filter(|d| *d != device)?;
    Some(msg::connection_wrong_environment(
        settings.destination.label(),
        device.label(),
        subject,
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

/// Whether an entry's certificate is out of its dates (expired, or not valid yet).
pub fn out_of_date(entry: &Entry) -> bool {
    entry
        .loaded()
        .and_then(|l| l.inspection.certificate.as_ref())
        .is_some_and(|c| {
            let now = time::OffsetDateTime::now_utc();
            now > c.not_after || now < c.not_before
        })
}

/// A credential as every picker and "To … with …" line names it: the name, then what tells
/// it apart — the bundle id, the environment, the days left or "expired", and the folder
/// when another entry has the same name.
pub fn credential_label(entry: &Entry, all: &[Entry], settings: &ConnectionSettings) -> String {
    label_parts(entry, all, settings, true).join(" · ")
}

/// [`credential_label`] without the days left: for a line that shows them in a chip of its
/// own beside it (the Doctor's saved credentials said "364 days left" twice).
pub fn credential_label_without_days(
    entry: &Entry,
    all: &[Entry],
    settings: &ConnectionSettings,
) -> String {
    label_parts(entry, all, settings, false).join(" · ")
}

fn label_parts(
    entry: &Entry,
    all: &[Entry],
    settings: &ConnectionSettings,
    days: bool,
) -> Vec<String> {
    let mut parts = vec![entry.saved.name.clone()];
    if let Some(loaded) = entry.loaded() {
        let bundle = settings
            .bundle_id_for(&entry.saved.path)
            .map(str::to_owned)
            .or_else(|| {
                loaded
                    .inspection
                    .certificate
                    .as_ref()
                    .and_then(|c| c.bundle_id.clone())
            });
        if let Some(bundle) = bundle {
            parts.push(bundle);
        }
        if let Some(cert) = &loaded.inspection.certificate {
            parts.push(
                match cert.environment {
                    CertEnvironment::Development => msg::connection_chip_sandbox(),
                    CertEnvironment::Production => msg::connection_chip_production(),
                    CertEnvironment::Universal => msg::connection_chip_universal(),
                    CertEnvironment::None => msg::credentials_chip_not_apns(),
                }
                .to_owned(),
            );
            if days {
                parts.push(if out_of_date(entry) {
                    msg::credentials_expired().to_owned()
                } else {
                    msg::credentials_days_left_count(cert.days_left)
                });
            }
        } else if let Some(key) = &loaded.inspection.auth_key {
            parts.push(msg::credentials_key_id_value(
                key.key_id.clone().unwrap_or_else(msg::credentials_unknown),
            ));
        }
    }
    let namesake = all
        .iter()
        .any(|e| e.id != entry.id && e.saved.name == entry.saved.name);
    if namesake && let Some(folder) = entry.saved.path.parent() {
        parts.push(crate::gui::dialogs::display_path(folder));
    }
    parts
}

/// The credential pushes use: the chosen one, else the first usable one that is in its
/// dates (an expired certificate is never picked for the user).
pub fn chosen_credential<'a>(
    credentials: &'a CredentialsPanel,
    settings: &ConnectionSettings,
) -> Option<&'a Entry> {
    let mut usable_entries = credentials
        .entries()
        .iter()
        .filter(|e| usable(e) && !out_of_date(e));
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
                msg::connection_sim_not_running().to_owned()
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
        .ok_or_else(|| msg::connection_choose_credential().to_owned())?;
    let Some(loaded) = entry.loaded() else {
        return Err(msg::connection_choose_credential().to_owned());
    };
    let auth = if loaded.inspection.kind == FileKind::AuthKey {
        let Some(key) = loaded.main.private_key.clone() else {
            return Err(msg::connection_auth_key_empty());
        };
        let key_id = match settings.key_id.trim() {
            "" => loaded.main.key_id.clone().unwrap_or_default(),
            typed => typed.to_owned(),
        };
        if key_id.is_empty() {
            return Err(msg::connection_type_key_id());
        }
        if let Some(problem) = id_problem(&key_id, IdKind::Key) {
            return Err(problem);
        }
        let team_id = settings.team_id.trim().to_owned();
        if team_id.is_empty() {
            return Err(msg::connection_type_your_team_id_10().to_owned());
        }
        if let Some(problem) = id_problem(&team_id, IdKind::Team) {
            return Err(problem);
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
                return Err(msg::connection_no_private_key(entry.saved.name.as_str()));
            }
        }
    };
    let certificate = match &auth {
        ClientAuth::Certificate(_) => loaded
            .inspection
            .certificate
            .as_ref()
            .map(CertificateFacts::of),
        ClientAuth::Token(_) => None,
    };
    let bundle_id = settings
        .bundle_id_for(&entry.saved.path)
        .map(str::to_owned)
        .or_else(|| certificate.as_ref().and_then(|c| c.bundle_id.clone()));
    Ok(Plan {
        route: Route {
            target,
            auth,
            bundle_id,
            certificate,
        },
        custom_ca,
        local,
        credential_name: entry.saved.name.clone(),
        credential_label: credential_label(entry, credentials.entries(), settings),
    })
}

/// Which of Apple's 10-character ids a field holds.
#[derive(Clone, Copy)]
pub enum IdKind {
    /// The key id of a `.p8` auth key.
    Key,
    /// The team id of the developer account that owns the key.
    Team,
}

/// Why a typed key id or team id cannot be right: Apple's are 10 letters and digits.
pub fn id_problem(id: &str, kind: IdKind) -> Option<String> {
    let id = id.trim();
    if id.chars().count() == 10 && id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let count = id.chars().count();
    Some(match kind {
        IdKind::Key => msg::connection_key_id_length(count),
        IdKind::Team => msg::connection_team_id_length(count),
    })
}

use std::path::{Path, PathBuf};

use crate::cert::CertError;
use crate::files::FileError;

use super::i18n::msg;
use super::worker::WorkerError;

/// Why an operation started from the app failed, as shown next to the control that started it.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error(transparent)]
    Cert(#[from] CertError),
    /// A file could not be opened; `path` says which, for passphrase prompts.
    #[error("{error}")]
    File {
        path: PathBuf,
        #[source]
        error: CertError,
    },
    /// An export could not be written.
    #[error(transparent)]
    Write(#[from] FileError),
    #[error(transparent)]
    Worker(#[from] WorkerError),
    /// A new file would replace one that exists: the user picks another name.
    #[error("{} exists: choose another name", .0.display())]
    NameTaken(PathBuf),
    #[error("{0}")]
    Message(String),
}

impl JobError {
    pub fn message(text: impl Into<String>) -> Self {
        JobError::Message(text.into())
    }

    /// The sentence, in the UI thread's language (the library's errors keep their words).
    pub fn text(&self) -> String {
        match self {
            JobError::Worker(e) => e.text(),
            JobError::Cert(e) | JobError::File { error: e, .. } => super::i18n::cert_error(e),
            JobError::Write(e) => super::i18n::file_error(e),
            JobError::NameTaken(path) => msg::failure_name_taken(path.display().to_string()),
            other => other.to_string(),
        }
    }

    /// The certificate error inside, if that is what it is.
    pub fn cert(&self) -> Option<&CertError> {
        match self {
            JobError::Cert(e) | JobError::File { error: e, .. } => Some(e),
            _ => None,
        }
    }

    /// The file an export did not replace because it exists and replacing was not allowed:
    /// the screen asks, then writes again.
    pub fn existing_file(&self) -> Option<&Path> {
        match self {
            JobError::Write(FileError::Exists { path })
            | JobError::Cert(CertError::AlreadyExists { path }) => Some(path),
            _ => None,
        }
    }
}

/// Why a job on the worker failed, as data. The worker's threads do not know the app's
/// language, so the sentence is worded by [`Failure::text`] on the UI thread, where it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Words that need no translating: a library's or the system's error, or a message
    /// already worded on the UI thread.
    Text(String),
    Worker(WorkerError),
    /// A file could not be read (`error` is the system's words).
    ReadFile {
        path: PathBuf,
        error: String,
    },
    /// The custom CA file could not be read.
    CaFileUnreadable {
        path: PathBuf,
        error: String,
    },
    /// The custom CA file holds no PEM certificate.
    CaFileNoPem {
        path: PathBuf,
    },
    /// The simulator's identity could not be loaded or made.
    SimulatorIdentity(String),
    /// The simulator's CA could not be loaded or made.
    SimulatorCa(String),
    /// A push could not connect.
    Connect(String),
    /// A push may or may not have reached APNs.
    Unconfirmed(crate::client::SendError),
    /// A push was not sent.
    NotSent(crate::client::SendError),
}

impl Failure {
    /// The sentence, in the UI thread's language.
    pub fn text(&self) -> String {
        let path = |p: &Path| p.display().to_string();
        match self {
            Failure::Text(text) => text.clone(),
            Failure::Worker(e) => e.text(),
            Failure::ReadFile { path: p, error } => msg::failure_read_file(error.as_str(), path(p)),
            Failure::CaFileUnreadable { path: p, error } => {
                msg::failure_ca_file_unreadable(error.as_str(), path(p))
            }
            Failure::CaFileNoPem { path: p } => msg::failure_ca_file_no_pem(path(p)),
            Failure::SimulatorIdentity(error) => msg::failure_simulator_identity(error.as_str()),
            Failure::SimulatorCa(error) => msg::failure_simulator_ca(error.as_str()),
            Failure::Connect(error) => msg::compose_connect_failed(error.as_str()),
            Failure::Unconfirmed(error) => msg::compose_unconfirmed(super::i18n::send_error(error)),
            Failure::NotSent(error) => msg::compose_not_sent(super::i18n::send_error(error)),
        }
    }
}

impl From<WorkerError> for Failure {
    fn from(e: WorkerError) -> Self {
        Failure::Worker(e)
    }
}

impl From<String> for Failure {
    fn from(text: String) -> Self {
        Failure::Text(text)
    }
}

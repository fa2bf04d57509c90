use std::path::{Path, PathBuf};

use crate::cert::CertError;
use crate::files::FileError;

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
    #[error("{0}")]
    Message(String),
}

impl JobError {
    pub fn message(text: impl Into<String>) -> Self {
        JobError::Message(text.into())
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

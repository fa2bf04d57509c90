//! The app's one error for a job that failed: what the user is shown next to the control that
//! started it. Jobs run on the worker, whose threads do not know the app's language, so the
//! error is data and [`JobError::text`] words it on the UI thread, where it is shown.

use std::path::{Path, PathBuf};

use crate::apns::{ChannelNote, PayloadIssue};
use crate::cert::CertError;
use crate::client::SendError;
use crate::files::FileError;

use super::i18n::{self, msg};
use super::widgets::capitalise;
use super::worker::WorkerError;

/// Why a job started from the app failed. Each variant keeps the facts its sentence quotes;
/// [`JobError::text`] words every one with an exhaustive `match`, so a new variant without its
/// message does not compile.
#[derive(Debug)]
pub enum JobError {
    /// Words that need no translating here: already worded on the UI thread (a plan that
    /// could not be made), or a library's or the system's own English with no typed value yet.
    Message(String),
    /// The worker could not run the job, lost it, or the user cancelled it.
    Worker(WorkerError),
    /// A certificate, key or signing request could not be made, read or written.
    Cert(CertError),
    /// A credential file could not be opened. `path` says which, so that a passphrase prompt
    /// can ask for that file and open it again.
    File {
        /// The file the user chose.
        path: PathBuf,
        /// Why it did not open (a missing or wrong passphrase among them).
        error: CertError,
    },
    /// An export could not be written.
    Write(FileError),
    /// A new file would replace one that exists: the user picks another name.
    NameTaken(PathBuf),
    /// A token list could not be read.
    ReadFile {
        /// The file the user chose.
        path: PathBuf,
        /// The system's words.
        error: String,
    },
    /// The custom CA file chosen on the Connection screen could not be read.
    CaFileUnreadable {
        /// The file the user chose.
        path: PathBuf,
        /// The system's words.
        error: String,
    },
    /// The custom CA file holds no PEM certificate, so it would trust nothing.
    CaFileNoPem {
        /// The file the user chose.
        path: PathBuf,
    },
    /// The embedded simulator's identity (its server certificate) could not be loaded or made.
    SimulatorIdentity(String),
    /// The embedded simulator's CA could not be loaded or made.
    SimulatorCa(String),
    /// A broadcast's payload is not a Live Activity push APNs would take.
    Payload(PayloadIssue),
    /// A channel request goes against Apple's channel pages (a push-type suffix on the app).
    Channel(ChannelNote),
    /// The connection a request needed could not be opened.
    Connect {
        /// Which screen's request it was: each words the failure for what it sends.
        sending: Sending,
        /// The library's words.
        error: String,
    },
    /// Sent, and no answer: APNs may have processed it. Never sent again by itself, so a phone
    /// does not show it twice.
    Unconfirmed {
        /// Which screen's request it was.
        sending: Sending,
        /// What is known of the missing answer.
        error: SendError,
    },
    /// Provably not processed: sending it again is safe.
    NotSent {
        /// Which screen's request it was.
        sending: Sending,
        /// Why it was not processed.
        error: SendError,
    },
}

/// What a request that failed on the wire was: the advice differs. A push from Compose points
/// at the Connection screen's step-by-step check and at the phone showing it twice; a
/// request from the Channels screen at checking the channel before asking again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sending {
    /// One push from the Compose screen.
    Push,
    /// A channel-management request or a broadcast from the Channels screen.
    Channels,
}

impl JobError {
    /// Words that need no translating here (see [`JobError::Message`]).
    pub fn message(text: impl Into<String>) -> Self {
        JobError::Message(text.into())
    }

    /// A request `sending` sent without an answer, split by what is known: unconfirmed when
    /// APNs may have processed it, not sent when it provably did not.
    pub fn unanswered(sending: Sending, error: SendError) -> Self {
        if error.is_unconfirmed() {
            JobError::Unconfirmed { sending, error }
        } else {
            JobError::NotSent { sending, error }
        }
    }

    /// The sentence, in the UI thread's language.
    pub fn text(&self) -> String {
        let path = |p: &Path| p.display().to_string();
        match self {
            JobError::Message(text) => text.clone(),
            JobError::Worker(e) => e.text(),
            JobError::Cert(e) | JobError::File { error: e, .. } => i18n::cert_error(e),
            JobError::Write(e) => i18n::file_error(e),
            JobError::NameTaken(p) => msg::failure_name_taken(path(p)),
            JobError::ReadFile { path: p, error } => {
                msg::failure_read_file(error.as_str(), path(p))
            }
            JobError::CaFileUnreadable { path: p, error } => {
                msg::failure_ca_file_unreadable(error.as_str(), path(p))
            }
            JobError::CaFileNoPem { path: p } => msg::failure_ca_file_no_pem(path(p)),
            JobError::SimulatorIdentity(error) => msg::failure_simulator_identity(error.as_str()),
            JobError::SimulatorCa(error) => msg::failure_simulator_ca(error.as_str()),
            JobError::Payload(issue) => capitalise(&i18n::payload_issue(issue)),
            JobError::Channel(note) => capitalise(&i18n::channel_note(note)),
            JobError::Connect { sending, error } => match sending {
                Sending::Push => msg::compose_connect_failed(error.as_str()),
                Sending::Channels => msg::channels_no_connection(error.as_str()),
            },
            JobError::Unconfirmed { sending, error } => match sending {
                Sending::Push => msg::compose_unconfirmed(i18n::send_error(error)),
                Sending::Channels => msg::channels_unconfirmed(i18n::send_error(error)),
            },
            JobError::NotSent { sending, error } => match sending {
                Sending::Push => msg::compose_not_sent(i18n::send_error(error)),
                Sending::Channels => msg::channels_not_sent(i18n::send_error(error)),
            },
        }
    }

    /// Whether the user cancelled the job: nothing to show.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, JobError::Worker(WorkerError::Cancelled))
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

impl From<WorkerError> for JobError {
    fn from(e: WorkerError) -> Self {
        JobError::Worker(e)
    }
}

impl From<CertError> for JobError {
    fn from(e: CertError) -> Self {
        JobError::Cert(e)
    }
}

impl From<FileError> for JobError {
    fn from(e: FileError) -> Self {
        JobError::Write(e)
    }
}

/// Words already worded, or English with no typed value yet: shown as they are.
impl From<String> for JobError {
    fn from(text: String) -> Self {
        JobError::Message(text)
    }
}

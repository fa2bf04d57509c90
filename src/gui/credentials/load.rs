//! Reading credential files: imported (dropped, chosen or typed) or restored at start-up,
//! unlocked with a passphrase, read again, or taken off the list; a lone certificate and a lone
//! key that belong together become one entry.

use std::path::PathBuf;

use super::jobs::{self, Half, Pairing, Partner, Passphrases};
use super::{CredentialsPanel, Entry, Status, View};
use crate::cert::{CertError, Passphrase, WaitingKeys};
use crate::gui::JobError;
use crate::gui::app::EntryId;
use crate::gui::dialogs::{self, Picked};
use crate::gui::i18n::msg;
use crate::gui::state::SavedCredential;
use crate::gui::widgets::{Message, file_name};
use crate::gui::worker::{Task, Worker};

/// The import controls above the list.
#[derive(Default)]
pub(super) struct ImportForm {
    pub(super) path: String,
    pub(super) dialog: Task<Picked, JobError>,
    pub(super) message: Option<Message>,
}

impl CredentialsPanel {
    pub(super) fn start_loading(
        saved: &SavedCredential,
        passphrases: &Passphrases,
        waiting: Option<WaitingKeys>,
        worker: &Worker,
    ) -> Status {
        let path = saved.path.clone();
        let key_path = saved.key_path.clone();
        let passphrases = passphrases.clone();
        Status::Loading(worker.run_blocking(move |_| {
            jobs::load(&path, key_path.as_deref(), &passphrases, waiting.as_ref()).map(Box::new)
        }))
    }

    /// Keys of signing requests made here, waiting for Apple's certificate.
    fn waiting_keys(&self) -> Option<WaitingKeys> {
        self.data_dir.as_deref().map(WaitingKeys::in_data_dir)
    }

    /// Re-reads the saved list at start-up.
    pub fn restore(&mut self, saved: &[SavedCredential], worker: &Worker) {
        for s in saved {
            let status = Self::start_loading(s, &Passphrases::new(), self.waiting_keys(), worker);
            self.add(s.clone(), status);
        }
        if let Some(first) = self.entries.first() {
            self.view = View::Entry(first.id);
        }
    }

    /// Adds these files to the list and starts reading them on the worker; a file already listed is
    /// said once, and the first file's entry is shown.
    pub fn import(&mut self, paths: Vec<PathBuf>, worker: &Worker) {
        let mut first = None;
        let mut already = Vec::new();
        for path in paths {
            if let Some(existing) = self
                .entries
                .iter()
                .find(|e| e.saved.path == path || e.saved.key_path.as_ref() == Some(&path))
            {
                first.get_or_insert(existing.id);
                already.push(file_name(&path));
                continue;
            }
            let saved = SavedCredential {
                name: file_name(&path),
                path,
                key_path: None,
            };
            let status =
                Self::start_loading(&saved, &Passphrases::new(), self.waiting_keys(), worker);
            let id = self.add(saved, status);
            first.get_or_insert(id);
        }
        self.import.message = if already.is_empty() {
            None
        } else {
            Some(Message::info(msg::credentials_already_listed(
                already.join(", "),
            )))
        };
        if let Some(id) = first {
            self.view = View::Entry(id);
        }
    }

    /// Opens the native dialog, starting in `start`, to choose files to import.
    pub fn pick_files(&mut self, start: Option<PathBuf>, worker: &Worker) {
        self.import.message = None;
        let words = dialogs::OpenWords::new(
            msg::credentials_import_credentials(),
            msg::credentials_certificates_and_keys(),
        );
        self.import.dialog = worker.run_blocking(move |_| {
            Ok(dialogs::open_many(
                &words,
                start,
                &["p12", "pfx", "cer", "der", "crt", "pem", "key", "p8"],
            ))
        });
    }

    /// Reads a locked entry again with the passphrase typed for its file.
    pub fn unlock(&mut self, id: EntryId, passphrase: Passphrase, worker: &Worker) {
        let waiting = self.waiting_keys();
        let Some(entry) = self.entry_mut(id) else {
            return;
        };
        let Status::Locked { file, .. } = &entry.status else {
            return;
        };
        entry.passphrases.insert(file.clone(), passphrase);
        entry.status = Self::start_loading(&entry.saved, &entry.passphrases, waiting, worker);
    }

    /// Reads an entry's files again (after the user fixed them on disk), with the passphrases typed
    /// so far.
    pub fn reload(&mut self, id: EntryId, worker: &Worker) {
        let waiting = self.waiting_keys();
        if let Some(entry) = self.entry_mut(id) {
            entry.status = Self::start_loading(&entry.saved, &entry.passphrases, waiting, worker);
        }
    }

    /// Takes an entry off the list; its files stay on disk.
    pub fn remove(&mut self, id: EntryId) {
        self.entries.retain(|e| e.id != id);
        if self.view == View::Entry(id) {
            self.view = self
                .entries
                .first()
                .map_or(View::Welcome, |e| View::Entry(e.id));
        }
    }

    /// Picks up files that were read and halves that were paired.
    pub(super) fn poll_loading(&mut self, worker: &Worker) {
        let mut wants_pairing = Vec::new();
        let mut paired_now = Vec::new();
        let mut ready_now = Vec::new();
        for entry in &mut self.entries {
            if let Status::Loading(task) = &mut entry.status
                && task.poll()
            {
                entry.status = match task.take_finished() {
                    Some(Ok(loaded)) => {
                        if let Some(key) = &loaded.paired_key
                            && entry.saved.key_path.is_none()
                        {
                            // Remembered, so the pair opens as one next time too.
                            entry.saved.key_path = Some(key.clone());
                            paired_now.push(entry.saved.name.clone());
                        }
                        if let Some(partner) = loaded.wants_partner() {
                            wants_pairing.push((entry.id, partner));
                        }
                        ready_now.push(entry.id);
                        Status::Ready(loaded)
                    }
                    Some(Err(error)) => failed_status(error),
                    None => continue,
                };
            }
        }
        for (id, partner) in wants_pairing {
            self.start_pairing(id, partner, worker);
        }
        for id in &ready_now {
            if let Some(entry) = self.entry(*id)
                && let Some(twin) = super::list::same_certificate(entry, &self.entries)
            {
                self.import.message = Some(Message::info(msg::credentials_already_imported(
                    entry.saved.name.clone(),
                    twin.saved.name.clone(),
                )));
            }
        }
        if let Some(name) = paired_now.first() {
            self.import.message = Some(Message::good(msg::credentials_paired_with_waiting_key(
                name.clone(),
            )));
        }
        let mut pairings = Vec::new();
        for entry in &mut self.entries {
            if entry.pairing.poll()
                && let Some(Ok(Some(pairing))) = entry.pairing.take_finished()
            {
                pairings.push(pairing);
            }
        }
        for pairing in pairings {
            self.merge(pairing);
        }
    }

    fn start_pairing(&mut self, id: EntryId, wants: Partner, worker: &Worker) {
        let Some(entry) = self.entry(id) else { return };
        let Some(loaded) = entry.loaded() else { return };
        let half = Half {
            entry: id,
            path: entry.saved.path.clone(),
            file: loaded.main.clone(),
        };
        let opposite = match wants {
            Partner::NeedsKey => Partner::NeedsCertificate,
            Partner::NeedsCertificate => Partner::NeedsKey,
        };
        let candidates: Vec<_> = self
            .entries
            .iter()
            .filter(|e| e.id != id)
            .filter_map(|e| {
                let l = e.loaded()?;
                (l.wants_partner() == Some(opposite)).then(|| Half {
                    entry: e.id,
                    path: e.saved.path.clone(),
                    file: l.main.clone(),
                })
            })
            .collect();
        if candidates.is_empty() {
            return;
        }
        if let Some(entry) = self.entry_mut(id) {
            entry.pairing = worker.run_blocking(move |_| jobs::pair(half, wants, candidates));
        }
    }

    /// Folds a key entry into the certificate entry it belongs to.
    fn merge(&mut self, pairing: Pairing<EntryId>) {
        let both_unpaired = [pairing.certificate_entry, pairing.key_entry]
            .iter()
            .all(|id| {
                self.entry(*id)
                    .and_then(Entry::loaded)
                    .is_some_and(|l| l.wants_partner().is_some())
            });
        if !both_unpaired {
            return; // Already merged by the other half's job.
        }
        let key_passphrases = self
            .entry(pairing.key_entry)
            .map(|e| e.passphrases.clone())
            .unwrap_or_default();
        let key_name = file_name(&pairing.key_path);
        if let Some(cert) = self.entry_mut(pairing.certificate_entry) {
            cert.saved.name = format!("{} + {key_name}", cert.saved.name);
            cert.saved.key_path = Some(pairing.key_path);
            cert.passphrases.extend(key_passphrases);
            cert.status = Status::Ready(Box::new(pairing.loaded));
        }
        self.entries.retain(|e| e.id != pairing.key_entry);
        if self.view == View::Entry(pairing.key_entry) {
            self.view = View::Entry(pairing.certificate_entry);
        }
    }

    pub(super) fn poll_import_dialog(&mut self, worker: &Worker) {
        if !self.import.dialog.poll() {
            return;
        }
        match self.import.dialog.take_finished() {
            Some(Ok(picked)) if !picked.paths.is_empty() => self.import(picked.paths, worker),
            Some(Ok(picked)) if picked.no_dialog() => {
                self.import.message =
                    Some(Message::bad(msg::credentials_no_file_dialog_could_be()));
            }
            Some(Ok(_)) | None => {}
            Some(Err(e)) => self.import.message = Some(Message::bad(e.text())),
        }
    }
}

fn failed_status(error: JobError) -> Status {
    match error {
        JobError::File {
            path,
            error:
                error @ (CertError::PassphraseRequired { .. } | CertError::WrongPassphrase { .. }),
        } => Status::Locked {
            file: path,
            input: String::new(),
            shown: false,
            wrong: matches!(error, CertError::WrongPassphrase { .. }),
        },
        other => Status::Failed(other),
    }
}

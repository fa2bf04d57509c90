//! A batch the app was sending when its window closed, the app crashed or the user cancelled,
//! found again and resumed. The journal is the library's (as `pushlab batch` keeps it): which
//! pushes went out and which have a final result. Beside it the app keeps what the CLI gets
//! from its arguments: the entries in the order the engine numbered them (a paste cannot be
//! read again) and the notification and route they were sent with.
//!
//! Files, in the data folder's `batches/` (owner-only): `app-<time>-<pid>.entries.jsonl`,
//! written in full before the journal `app-<time>-<pid>.jsonl` is created, so a journal always
//! has its entries. Both are removed when every push has its final result.

use std::io::{self, BufWriter, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::apns::{DeviceToken, Notification};
use crate::client::{
    BatchInput, BatchItem, BatchJournal, Earlier, InvalidInput, JournalHeader, JournalState,
};
use crate::gui::batch::Recipient;
use crate::gui::state::Draft;

/// The journal header's first argument for the app's batches: the CLI's `--resume` refuses them
/// by it, saying where to resume them.
pub const APP_JOURNAL_MARK: &str = "--pushlab-app-batch";

/// What the app needs, besides the entries, to send the rest of a batch as it was begun.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppBatch {
    /// The notification as composed (each entry's token goes in its place).
    pub draft: Draft,
    /// The route's identity ([`crate::client::RouteId`]): a resume goes the same way or not at all.
    pub route: String,
    /// The credential as the pickers name it, to say which one to choose.
    pub credential: String,
    /// Entries, invalid lines included.
    pub total: u64,
    /// UNIX seconds.
    pub started: i64,
}

/// One entry as it is kept on disk.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Entry {
    Push {
        token: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line: Option<u64>,
    },
    Invalid {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line: Option<u64>,
        text: String,
        reason: String,
    },
}

/// A batch with a journal: where its files are.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalFiles {
    /// The library's journal: which pushes went out and which have a final result.
    pub journal: PathBuf,
    /// The app's entries, written in full before the journal: every push in the engine's order.
    pub entries: PathBuf,
}

impl JournalFiles {
    fn for_journal(journal: PathBuf) -> Self {
        let entries = journal.with_extension("entries.jsonl");
        JournalFiles { journal, entries }
    }

    /// Removes both files (a finished or discarded batch).
    pub fn remove(&self) -> io::Result<()> {
        let journal = std::fs::remove_file(&self.journal);
        let entries = std::fs::remove_file(&self.entries);
        for r in [journal, entries] {
            match r {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }
}

/// A batch that has pushes left to send, as the Batch screen offers it.
#[derive(Debug)]
pub struct Interrupted {
    /// Its journal and entries files.
    pub files: JournalFiles,
    /// The notification and route it was begun with.
    pub batch: AppBatch,
    /// What the journal says of each push.
    pub state: JournalState,
    /// Entries a resume sends.
    pub to_send: u64,
    /// Entries that went out without an answer recorded: unconfirmed, never sent again.
    pub unconfirmed: u64,
}

/// The folder the app's journals live in.
pub fn journal_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("batches")
}

/// Writes the entries, then starts the journal. Called on the worker before the first push.
pub fn begin(
    dir: &Path,
    batch: &AppBatch,
    invalid: &[InvalidInput],
    recipients: &[Recipient],
) -> io::Result<(JournalFiles, BatchJournal)> {
    crate::files::create_private_dir(dir)?;
    let stem = format!("app-{}-{}", batch.started, std::process::id());
    let files = JournalFiles::for_journal(dir.join(format!("{stem}.jsonl")));
    let written = write_entries(&files.entries, invalid, recipients);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&files.entries);
        return Err(e);
    }
    let header = JournalHeader {
        pushlab_batch_journal: 1,
        cwd: dir.to_owned(),
        args: vec![
            APP_JOURNAL_MARK.to_owned(),
            serde_json::to_string(batch).map_err(io::Error::other)?,
        ],
        inputs: Default::default(),
    };
    match BatchJournal::create(&files.journal, &header) {
        Ok(journal) => Ok((files, journal)),
        Err(e) => {
            let _ = std::fs::remove_file(&files.entries);
            Err(e)
        }
    }
}

fn write_entries(
    path: &Path,
    invalid: &[InvalidInput],
    recipients: &[Recipient],
) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut out = BufWriter::with_capacity(64 * 1024, options.open(path)?);
    // In the engine's order: the invalid lines first, then the pushes.
    let invalid = invalid.iter().map(|bad| Entry::Invalid {
        line: bad.line,
        text: bad.text.clone(),
        reason: bad.reason.clone(),
    });
    let pushes = recipients.iter().map(|r| Entry::Push {
        token: r.token.to_string(),
        name: r.name.clone(),
        line: r.line,
    });
    for entry in invalid.chain(pushes) {
        serde_json::to_writer(&mut out, &entry)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    // On disk before the journal that refers to it exists.
    out.get_ref().sync_all()
}

/// The app's batches in `dir` with pushes left to send, oldest first. Entries files without a
/// journal (the app stopped between the two) are removed; journals that do not read are left
/// alone and not offered.
pub fn find(dir: &Path) -> Vec<Interrupted> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut journals = Vec::new();
    for entry in read.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !name.starts_with("app-") {
            continue;
        }
        if let Some(stem) = name.strip_suffix(".entries.jsonl") {
            if !dir.join(format!("{stem}.jsonl")).exists() {
                let _ = std::fs::remove_file(&path);
            }
        } else if name.ends_with(".jsonl") {
            journals.push(path);
        }
    }
    journals.sort();
    journals
        .into_iter()
        .filter_map(|journal| read_interrupted(JournalFiles::for_journal(journal)))
        .collect()
}

/// The batch of `files` if it has pushes left to send; removed when it has none.
pub fn read_interrupted(files: JournalFiles) -> Option<Interrupted> {
    let state = JournalState::read(&files.journal).ok()?;
    let batch = app_batch(&state.header)?;
    if !files.entries.exists() {
        return None;
    }
    let mut to_send = 0;
    let mut unconfirmed = 0;
    for index in 0..batch.total {
        match state.earlier(index) {
            Earlier::Send => to_send += 1,
            Earlier::SentWithoutAnswer => unconfirmed += 1,
            Earlier::Done | Earlier::Known(_) => {}
        }
    }
    if to_send == 0 && unconfirmed == 0 {
        // Everything settled; the app stopped before it removed the files.
        let _ = files.remove();
        return None;
    }
    Some(Interrupted {
        files,
        batch,
        state,
        to_send,
        unconfirmed,
    })
}

/// The app's part of a journal header, if it is the app's.
pub fn app_batch(header: &JournalHeader) -> Option<AppBatch> {
    match header.args.as_slice() {
        [mark, batch] if mark == APP_JOURNAL_MARK => serde_json::from_str(batch).ok(),
        _ => None,
    }
}

/// One line of an entries file, read and checked: a push with its token parsed, or a line that
/// was not a token when the batch began.
#[derive(Debug)]
pub enum CheckedEntry {
    /// A push to send, its token parsed.
    Push {
        /// The device token, checked again on reading.
        token: DeviceToken,
        /// The recipient's name, when it had one.
        name: Option<String>,
        /// Its line in the paste or file the batch began with.
        line: Option<u64>,
    },
    /// A line that was not a token when the batch began: it keeps its "invalid input" result.
    Invalid(InvalidInput),
}

/// Reads an entries file whole, every push's token checked. A damaged file (cut short by a
/// crash, edited) is refused with the line that is wrong, before anything is sent. `shown`
/// names the file in that error.
pub fn read_entries(reader: impl io::BufRead, shown: &str) -> io::Result<Vec<CheckedEntry>> {
    let bad = |index: usize, e: &dyn std::fmt::Display| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{shown} line {}: {e}", index + 1),
        )
    };
    let mut entries = Vec::new();
    for (index, line) in reader.lines().enumerate() {
        let entry: Entry = serde_json::from_str(&line?).map_err(|e| bad(index, &e))?;
        entries.push(match entry {
            Entry::Push { token, name, line } => CheckedEntry::Push {
                token: DeviceToken::parse(&token).map_err(|e| bad(index, &e))?,
                name,
                line,
            },
            Entry::Invalid { line, text, reason } => {
                CheckedEntry::Invalid(InvalidInput { line, text, reason })
            }
        });
    }
    Ok(entries)
}

/// The entries again, as the resumed run sends them: `template` with each token, what the
/// journal settled skipped, what went out without an answer made unconfirmed. The file is read
/// whole first (a damaged one is refused before anything is sent); the pushes are made as the
/// engine takes them.
pub fn resumed_inputs(
    interrupted: Interrupted,
    template: Notification,
) -> io::Result<impl Iterator<Item = BatchInput> + Send> {
    let path = &interrupted.files.entries;
    let file = std::fs::File::open(path)?;
    let entries = read_entries(io::BufReader::new(file), &path.display().to_string())?;
    if entries.len() as u64 != interrupted.batch.total {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{} has {} entries, the batch had {}",
                path.display(),
                entries.len(),
                interrupted.batch.total
            ),
        ));
    }
    let state = interrupted.state;
    Ok(entries.into_iter().enumerate().map(move |(index, entry)| {
        let input = match entry {
            CheckedEntry::Push { token, name, line } => BatchInput::Push(BatchItem {
                notification: Notification {
                    token,
                    ..template.clone()
                },
                name,
                line,
            }),
            CheckedEntry::Invalid(invalid) => BatchInput::Invalid(invalid),
        };
        state.resumed(index as u64, input)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apns::PushType;
    use crate::client::Outcome;

    fn template() -> Notification {
        Notification::new(
            DeviceToken::parse(&format!("{:064x}", 0)).unwrap(),
            PushType::Alert,
            "{}",
        )
    }

    fn push(i: u8) -> Recipient {
        Recipient {
            token: DeviceToken::parse(&format!("{i:064x}")).unwrap(),
            name: Some(format!("phone {i}")),
            line: Some(u64::from(i) + 1),
        }
    }

    /// Lines appended as the engine writes them (its writer is the library's own business).
    fn record(files: &JournalFiles, lines: &str) {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&files.journal)
            .unwrap();
        f.write_all(lines.as_bytes()).unwrap();
    }

    fn batch(total: u64) -> AppBatch {
        AppBatch {
            draft: Draft::default(),
            route: "route".into(),
            credential: "Push.pem".into(),
            total,
            started: 1_800_000_000,
        }
    }

    #[test]
    fn an_interrupted_batch_is_found_and_resumes_only_what_has_no_result() {
        let dir = tempfile::tempdir().unwrap();
        let invalid = [InvalidInput {
            line: Some(9),
            text: "zz".into(),
            reason: "not hex".into(),
        }];
        let (files, journal) = begin(
            dir.path(),
            &batch(5),
            &invalid,
            &[push(1), push(2), push(3), push(4)],
        )
        .unwrap();
        drop(journal);
        // Entry 1 delivered, 2 sent without an answer, 3 and 4 never sent; the invalid
        // entry's result was not written out before the "crash".
        record(&files, "{\"sending\":[1,2]}\n{\"delivered\":[1]}\n");

        let mut found = find(dir.path());
        assert_eq!(found.len(), 1);
        let interrupted = found.remove(0);
        assert_eq!(interrupted.files, files);
        assert_eq!(interrupted.batch, batch(5));
        // The invalid line (no result recorded) and the two never sent.
        assert_eq!((interrupted.to_send, interrupted.unconfirmed), (3, 1));

        let inputs: Vec<_> = resumed_inputs(interrupted, template()).unwrap().collect();
        assert!(matches!(inputs[0], BatchInput::Invalid(_)));
        assert!(matches!(inputs[1], BatchInput::Skip));
        assert!(
            matches!(&inputs[2], BatchInput::Known(r) if r.outcome == Outcome::Unconfirmed),
            "sent without an answer: never sent again"
        );
        for (i, input) in inputs.iter().enumerate().skip(3) {
            let BatchInput::Push(item) = input else {
                panic!("entry {i} is not sent: {input:?}");
            };
            // Entry i (after the invalid line, entry 0) is the push to token i.
            assert_eq!(item.notification.token.to_string(), format!("{i:064x}"));
            assert_eq!(item.name.as_deref(), Some(format!("phone {i}").as_str()));
        }
    }

    #[test]
    fn a_settled_batch_and_stray_entries_are_cleaned_up() {
        let dir = tempfile::tempdir().unwrap();
        let (files, journal) = begin(dir.path(), &batch(1), &[], &[push(1)]).unwrap();
        drop(journal);
        record(&files, "{\"sending\":[0]}\n{\"delivered\":[0]}\n");
        let stray = dir.path().join("app-1-2.entries.jsonl");
        std::fs::write(&stray, "").unwrap();
        assert!(find(dir.path()).is_empty());
        assert!(!files.journal.exists() && !files.entries.exists() && !stray.exists());
    }

    #[cfg(unix)]
    #[test]
    fn the_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let (files, _journal) =
            begin(&dir.path().join("batches"), &batch(1), &[], &[push(1)]).unwrap();
        for path in [&files.journal, &files.entries] {
            let mode = std::fs::metadata(path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{}", path.display());
        }
    }
}

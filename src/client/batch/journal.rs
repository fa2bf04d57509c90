//! A batch's journal: what an interrupted batch knew, so it can be resumed without sending a
//! push twice and without losing a result.
//!
//! JSON Lines, appended: a header (the front's own arguments, to run the same batch again),
//! then `{"sending":[i,…]}` for pushes about to be written to a connection, recorded and
//! handed to the system *before* any of them is polled; final results that need no more than
//! their class go by index (`{"delivered":[…]}`, `{"rejected":[…]}`, `{"invalid":[…]}`,
//! `{"not_sent":[…]}`), and those a resume reports again (unconfirmed, dead and BadDeviceToken
//! tokens) as `{"result":{…}}`, the object `pushlab batch --json` prints. A process killed at any point
//! leaves a journal that says, for each input entry by its index, one of: nothing (never
//! sent: send it), sending without a result (it may have reached APNs: unconfirmed, never
//! sent again without the user), or its last result. Results are written out at least every
//! [`FLUSH_EVERY`], and with every record of pushes being sent.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead as _, BufWriter, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::apns::{DeviceToken, ServerReason};
use crate::client::batch::BatchInput;
use crate::client::outcome::{Outcome, ResultError, ResultToken, TokenResult};

/// Results wait at most this long in memory before they are written out.
pub const FLUSH_EVERY: Duration = Duration::from_millis(500);

/// The journal's first line.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct JournalHeader {
    /// Always 1; a journal of another version is refused.
    pub pushlab_batch_journal: u32,
    /// The folder the batch ran in: its arguments' relative paths are relative to it.
    pub cwd: PathBuf,
    /// The front's arguments for the batch, to run it again as it was.
    pub args: Vec<String>,
    /// The input files' size and modification time (seconds, nanoseconds), by argument name:
    /// a resume refuses files that changed, whose lines would no longer be the same pushes.
    #[serde(default)]
    pub inputs: BTreeMap<String, (u64, i64, u32)>,
}

impl JournalHeader {
    /// The fingerprint of an input file as [`inputs`](Self::inputs) keeps it.
    pub fn fingerprint(path: &Path) -> io::Result<(u64, i64, u32)> {
        let meta = std::fs::metadata(path)?;
        let (secs, nanos) = match meta.modified()?.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => (
                i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                d.subsec_nanos(),
            ),
            Err(_) => (0, 0),
        };
        Ok((meta.len(), secs, nanos))
    }
}

/// Appends to a journal while a batch runs.
#[derive(Debug)]
pub struct BatchJournal {
    file: BufWriter<File>,
    path: PathBuf,
    /// Pushes about to be sent, not yet written out.
    intents: Vec<u64>,
    /// Final results by class, by index, not yet written out.
    delivered: Vec<u64>,
    rejected: Vec<u64>,
    invalid: Vec<u64>,
    not_sent: Vec<u64>,
    last_flush: Instant,
    /// After a write failed nothing more is written: the file ends where it was still true.
    failed: Option<String>,
}

impl BatchJournal {
    /// Starts a new journal at `path` (which must not exist), owner-only.
    pub fn create(path: &Path, header: &JournalHeader) -> io::Result<Self> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let file = options.open(path)?;
        let mut journal = Self::around(file, path);
        serde_json::to_writer(&mut journal.file, header)?;
        journal.file.write_all(b"\n")?;
        journal.file.flush()?;
        Ok(journal)
    }

    /// Goes on writing an existing journal (a resumed batch).
    pub fn append(path: &Path) -> io::Result<Self> {
        let file = std::fs::OpenOptions::new().append(true).open(path)?;
        Ok(Self::around(file, path))
    }

    fn around(file: File, path: &Path) -> Self {
        BatchJournal {
            file: BufWriter::with_capacity(64 * 1024, file),
            path: path.to_owned(),
            intents: Vec::new(),
            delivered: Vec::new(),
            rejected: Vec::new(),
            invalid: Vec::new(),
            not_sent: Vec::new(),
            last_flush: Instant::now(),
            failed: None,
        }
    }

    /// Where the journal is written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why writing stopped, if it did.
    pub fn failure(&self) -> Option<&str> {
        self.failed.as_deref()
    }

    /// Notes that the push `index` is about to be sent; written out by the next [`flush`].
    ///
    /// [`flush`]: Self::flush
    pub(super) fn sending(&mut self, index: u64) {
        self.intents.push(index);
    }

    /// The pushes noted as being sent whose record could not be written out.
    pub(super) fn take_unflushed_intents(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.intents)
    }

    /// Records a final result (buffered): by index when its class is all a resume needs,
    /// whole when a resume reports it again.
    pub(super) fn result(&mut self, r: &TokenResult) {
        if self.failed.is_some() {
            return;
        }
        if !reported_again(r) {
            let list = match r.outcome {
                Outcome::Delivered => &mut self.delivered,
                Outcome::InvalidInput => &mut self.invalid,
                Outcome::NotSent => &mut self.not_sent,
                _ => &mut self.rejected,
            };
            list.push(r.index);
            return;
        }
        let written = (|| -> io::Result<()> {
            self.file.write_all(b"{\"result\":")?;
            serde_json::to_writer(&mut self.file, r)?;
            self.file.write_all(b"}\n")
        })();
        if let Err(e) = written {
            self.failed = Some(e.to_string());
        }
    }

    /// When the results buffered since the last write are due to be written, if any are: the
    /// batch wakes for it, so answers are on disk within [`FLUSH_EVERY`] even while it waits
    /// for nothing else (pushes held by a server, a back-off).
    pub(super) fn flush_due(&self) -> Option<Instant> {
        let waiting = !(self.delivered.is_empty()
            && self.rejected.is_empty()
            && self.invalid.is_empty()
            && self.not_sent.is_empty());
        (waiting && self.failed.is_none()).then(|| self.last_flush + FLUSH_EVERY)
    }

    /// Writes out the pushes about to be sent (always, when there are any: they may not go
    /// before) and the buffered results (when `force`, or every [`FLUSH_EVERY`]).
    pub(super) fn flush(&mut self, force: bool) -> io::Result<()> {
        if let Some(e) = &self.failed {
            return Err(io::Error::other(e.clone()));
        }
        if self.intents.is_empty() && !force && self.last_flush.elapsed() < FLUSH_EVERY {
            return Ok(());
        }
        let written = (|| -> io::Result<()> {
            for (name, list) in [
                ("sending", &self.intents),
                ("delivered", &self.delivered),
                ("rejected", &self.rejected),
                ("invalid", &self.invalid),
                ("not_sent", &self.not_sent),
            ] {
                if !list.is_empty() {
                    write!(self.file, "{{\"{name}\":")?;
                    serde_json::to_writer(&mut self.file, list)?;
                    self.file.write_all(b"}\n")?;
                }
            }
            self.file.flush()
        })();
        match written {
            Ok(()) => {
                self.intents.clear();
                self.delivered.clear();
                self.rejected.clear();
                self.invalid.clear();
                self.not_sent.clear();
                self.last_flush = Instant::now();
                Ok(())
            }
            Err(e) => {
                self.failed = Some(e.to_string());
                Err(e)
            }
        }
    }
}

/// What a journal says of one input entry.
#[derive(Debug, Clone)]
pub enum Earlier {
    /// Never sent, or provably not processed (not sent): send it.
    Send,
    /// Settled for good (delivered, rejected, invalid input): not sent, not reported again.
    Done,
    /// Reported again as it is and never sent: unconfirmed (it may have reached APNs), or a
    /// dead or BadDeviceToken token the lists must still name.
    Known(Box<TokenResult>),
    /// Recorded as being sent, with no result: it may have reached APNs. Unconfirmed.
    SentWithoutAnswer,
}

/// Why a journal cannot be resumed.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The journal file could not be read.
    #[error("could not read the journal: {0}")]
    Io(#[from] io::Error),
    /// The first line is not a journal header.
    #[error("this is not a pushlab batch journal (its first line is not a journal header)")]
    NotAJournal,
    /// A line of the journal cannot be read.
    #[error("the journal is damaged at line {line}: {why}")]
    Damaged {
        /// The line, from 1.
        line: u64,
        /// What is wrong with it.
        why: String,
    },
}

/// The longest journal line read (a result with a 200-character name is under 2 KB).
const MAX_LINE: u64 = 64 * 1024;
/// The highest input index a journal may name: far above any real list, low enough that a
/// damaged journal cannot make the table below take gigabytes.
const MAX_INDEX: u64 = 1 << 28;

/// Per index, the last word of the journal.
const NOTHING: u8 = 0;
const SENDING: u8 = 1;
const DELIVERED: u8 = 2;
const NOT_SENT: u8 = 3;
const KNOWN: u8 = 4;
const REJECTED: u8 = 5;
const INVALID: u8 = 6;

/// Whether a resume reports the result again (so the journal keeps it whole): it may have
/// reached APNs, or it names a token the lists must still hold.
fn reported_again(r: &TokenResult) -> bool {
    r.outcome == Outcome::Unconfirmed || r.is_dead_token() || r.is_bad_device_token()
}

/// A journal read back: its header, and what it says of each entry.
#[derive(Debug)]
pub struct JournalState {
    /// The journal's first line: what batch it records.
    pub header: JournalHeader,
    states: Vec<u8>,
    known: BTreeMap<u64, TokenResult>,
    /// Final results of earlier runs by outcome, not reported again (delivered, rejected,
    /// invalid input).
    pub earlier_delivered: u64,
    /// Earlier results [`Outcome::Rejected`], not reported again.
    pub earlier_rejected: u64,
    /// Earlier results [`Outcome::InvalidInput`], not reported again.
    pub earlier_invalid: u64,
}

impl JournalState {
    /// Reads a journal. A last line cut short (the process was killed while writing it) is
    /// ignored; anything else that does not read is an error.
    pub fn read(path: &Path) -> Result<Self, JournalError> {
        Self::from_reader(io::BufReader::new(File::open(path)?))
    }

    /// [`read`](Self::read) from any reader.
    pub fn from_reader(mut reader: impl io::BufRead) -> Result<Self, JournalError> {
        let mut line = Vec::new();
        let mut number = 0u64;
        let mut header = None;
        let mut state = JournalState {
            header: JournalHeader {
                pushlab_batch_journal: 1,
                cwd: PathBuf::new(),
                args: Vec::new(),
                inputs: BTreeMap::new(),
            },
            states: Vec::new(),
            known: BTreeMap::new(),
            earlier_delivered: 0,
            earlier_rejected: 0,
            earlier_invalid: 0,
        };
        loop {
            line.clear();
            let n = (&mut reader).take(MAX_LINE).read_until(b'\n', &mut line)?;
            if n == 0 {
                break;
            }
            number += 1;
            if line.last() != Some(&b'\n') {
                if n as u64 >= MAX_LINE {
                    return Err(JournalError::Damaged {
                        line: number,
                        why: format!("a line longer than {MAX_LINE} bytes"),
                    });
                }
                break; // cut short by a kill: everything before it holds
            }
            let damaged = |why: String| JournalError::Damaged { line: number, why };
            if header.is_none() {
                let h: JournalHeader =
                    serde_json::from_slice(&line).map_err(|_| JournalError::NotAJournal)?;
                if h.pushlab_batch_journal != 1 {
                    return Err(damaged(format!(
                        "version {} is not one this pushlab reads",
                        h.pushlab_batch_journal
                    )));
                }
                header = Some(h);
                continue;
            }
            let record: Record =
                serde_json::from_slice(&line).map_err(|e| damaged(e.to_string()))?;
            let (indexes, code) = match record {
                Record::Sending { sending } => (sending, SENDING),
                Record::Delivered { delivered } => (delivered, DELIVERED),
                Record::Rejected { rejected } => (rejected, REJECTED),
                Record::Invalid { invalid } => (invalid, INVALID),
                Record::NotSent { not_sent } => (not_sent, NOT_SENT),
                Record::Result { result } => {
                    let r = token_result(&result)
                        .ok_or_else(|| damaged("a result without its fields".to_owned()))?;
                    let index = r.index;
                    let code = match r.outcome {
                        _ if reported_again(&r) => KNOWN,
                        Outcome::Delivered => DELIVERED,
                        Outcome::InvalidInput => INVALID,
                        Outcome::NotSent => NOT_SENT,
                        _ => REJECTED,
                    };
                    state.set(index, code).map_err(damaged)?;
                    if code == KNOWN {
                        state.known.insert(index, r);
                    } else {
                        state.known.remove(&index);
                    }
                    continue;
                }
            };
            for index in indexes {
                state.set(index, code).map_err(damaged)?;
                state.known.remove(&index);
            }
        }
        state.header = header.ok_or(JournalError::NotAJournal)?;
        for &code in &state.states {
            match code {
                DELIVERED => state.earlier_delivered += 1,
                REJECTED => state.earlier_rejected += 1,
                INVALID => state.earlier_invalid += 1,
                _ => {}
            }
        }
        Ok(state)
    }

    fn set(&mut self, index: u64, code: u8) -> Result<(), String> {
        if index >= MAX_INDEX {
            return Err(format!("an entry number ({index}) no list reaches"));
        }
        let i = index as usize;
        if self.states.len() <= i {
            self.states.resize(i + 1, NOTHING);
        }
        self.states[i] = code;
        Ok(())
    }

    /// What the journal says of the entry `index`.
    pub fn earlier(&self, index: u64) -> Earlier {
        match self.states.get(index as usize).copied().unwrap_or(NOTHING) {
            SENDING => Earlier::SentWithoutAnswer,
            DELIVERED | REJECTED | INVALID => Earlier::Done,
            KNOWN => match self.known.get(&index) {
                Some(r) => Earlier::Known(Box::new(r.clone())),
                None => Earlier::Send,
            },
            _ => Earlier::Send,
        }
    }

    /// The input entry `index` as a resume sends it: settled ones skipped, ones the journal
    /// knows reported again, ones that went out with no answer recorded made unconfirmed (never
    /// sent again: they may have reached APNs), the rest sent. Entries are numbered as the
    /// engine numbers them (every entry, invalid ones included).
    pub fn resumed(&self, index: u64, input: BatchInput) -> BatchInput {
        match (self.earlier(index), input) {
            (Earlier::Send, input) => input,
            (Earlier::Done, _) => BatchInput::Skip,
            (Earlier::Known(mut known), _) => {
                known.index = index;
                BatchInput::Known(known)
            }
            (Earlier::SentWithoutAnswer, BatchInput::Push(item)) => {
                BatchInput::Known(Box::new(TokenResult {
                    line: item.line,
                    name: item.name,
                    attempts: 1,
                    ..super::results::without_answer(
                        index,
                        ResultToken::Device(item.notification.token),
                        Outcome::Unconfirmed,
                        ResultError::SentByInterruptedRun,
                    )
                }))
            }
            (Earlier::SentWithoutAnswer, input) => input,
        }
    }

    /// Entries recorded as sent with no result: they may have reached APNs.
    pub fn sent_without_answer(&self) -> u64 {
        self.states.iter().filter(|&&s| s == SENDING).count() as u64
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Record {
    Sending { sending: Vec<u64> },
    Delivered { delivered: Vec<u64> },
    Rejected { rejected: Vec<u64> },
    Invalid { invalid: Vec<u64> },
    NotSent { not_sent: Vec<u64> },
    Result { result: serde_json::Value },
}

/// A result as `--json` wrote it, read back.
fn token_result(v: &serde_json::Value) -> Option<TokenResult> {
    let text = |k: &str| {
        v.get(k)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let outcome = Outcome::ALL
        .into_iter()
        .find(|o| v.get("outcome").and_then(serde_json::Value::as_str) == Some(o.as_str()))?;
    let token_text = text("token")?;
    let token = match DeviceToken::parse(&token_text) {
        Ok(t) if outcome != Outcome::InvalidInput => ResultToken::Device(t),
        _ => ResultToken::Unparsed(token_text),
    };
    Some(TokenResult {
        index: v.get("index")?.as_u64()?,
        line: v.get("line").and_then(serde_json::Value::as_u64),
        token,
        name: text("name"),
        outcome,
        status: v
            .get("status")
            .and_then(serde_json::Value::as_u64)
            .and_then(|s| u16::try_from(s).ok()),
        reason: text("reason").map(|r| ServerReason::from_wire(&r)),
        apns_id: text("apns_id"),
        apns_unique_id: text("apns_unique_id"),
        timestamp: v.get("timestamp").and_then(serde_json::Value::as_i64),
        latency_ms: v.get("latency_ms").and_then(serde_json::Value::as_f64),
        attempts: v
            .get("attempts")
            .and_then(serde_json::Value::as_u64)
            .and_then(|a| u32::try_from(a).ok())
            .unwrap_or(0),
        // Written as English: shown as it is.
        error: text("error").map(ResultError::Text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(
        index: u64,
        outcome: Outcome,
        status: Option<u16>,
        reason: Option<&str>,
    ) -> TokenResult {
        TokenResult {
            index,
            line: Some(index + 1),
            token: ResultToken::Device(DeviceToken::parse(&"ab".repeat(32)).unwrap()),
            name: Some("Alice".to_owned()),
            outcome,
            status,
            reason: reason.map(ServerReason::from_wire),
            apns_id: None,
            apns_unique_id: None,
            timestamp: None,
            latency_ms: Some(1.5),
            attempts: 1,
            error: None,
        }
    }

    #[test]
    fn each_entry_reads_back_as_its_last_word() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let header = JournalHeader {
            pushlab_batch_journal: 1,
            cwd: dir.path().to_owned(),
            args: vec!["--tokens".into(), "t.txt".into()],
            inputs: BTreeMap::new(),
        };
        let mut j = BatchJournal::create(&path, &header).unwrap();
        for i in 0..6 {
            j.sending(i);
        }
        j.flush(false).unwrap();
        j.result(&result(0, Outcome::Delivered, Some(200), None));
        j.result(&result(
            1,
            Outcome::Rejected,
            Some(410),
            Some("Unregistered"),
        ));
        j.result(&result(2, Outcome::NotSent, None, None));
        j.result(&result(3, Outcome::Unconfirmed, None, None));
        j.result(&result(5, Outcome::Rejected, Some(400), Some("BadTopic")));
        j.flush(true).unwrap();
        drop(j);
        // A kill while a line was being written.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"{\"result\":{\"index\":4,").unwrap();
        let s = JournalState::read(&path).unwrap();
        assert_eq!(s.header, header);
        assert!(matches!(s.earlier(0), Earlier::Done));
        assert!(matches!(s.earlier(1), Earlier::Known(r) if r.is_dead_token()));
        assert!(matches!(s.earlier(2), Earlier::Send));
        assert!(matches!(s.earlier(3), Earlier::Known(r) if r.outcome == Outcome::Unconfirmed));
        assert!(matches!(s.earlier(4), Earlier::SentWithoutAnswer));
        assert!(matches!(s.earlier(5), Earlier::Done));
        assert!(matches!(s.earlier(6), Earlier::Send));
        assert_eq!((s.earlier_delivered, s.earlier_rejected), (1, 1));
        assert_eq!(s.sent_without_answer(), 1);
    }

    #[test]
    fn damage_is_named_and_huge_indexes_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        std::fs::write(&path, "not json\n").unwrap();
        assert!(matches!(
            JournalState::read(&path),
            Err(JournalError::NotAJournal)
        ));
        let header = r#"{"pushlab_batch_journal":1,"cwd":"/","args":[]}"#;
        std::fs::write(&path, format!("{header}\n{{\"sending\":[99999999999]}}\n")).unwrap();
        assert!(matches!(
            JournalState::read(&path),
            Err(JournalError::Damaged { line: 2, .. })
        ));
        std::fs::write(&path, format!("{header}\ngarbage\n{{\"sending\":[1]}}\n")).unwrap();
        assert!(matches!(
            JournalState::read(&path),
            Err(JournalError::Damaged { line: 2, .. })
        ));
    }
}

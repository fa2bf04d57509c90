//! The task that prints a batch's results as they come and writes its token lists.

use std::io::{IsTerminal as _, Write as _};

use pushlab::client::{BatchEvent, Outcome, TokenResult};
use pushlab::files::OutputFile;
use pushlab::words::for_terminal;
use tokio::sync::mpsc;

use super::journal::warn;
use super::stats::Stats;

/// What the printer writes to besides standard output, handed back when the batch ends.
pub(super) struct Lists {
    pub dead: Option<OutputFile>,
    pub bad: Option<OutputFile>,
    /// The first write to a list that failed.
    pub write_error: Option<std::io::Error>,
}

/// How results are printed.
pub(super) struct Printer {
    pub json: bool,
    pub quiet: bool,
    /// A line of figures for scripts takes the place of the terminal's counter.
    pub stats: Option<Stats>,
    pub lists: Lists,
    /// The `--json` line being written, kept for the next.
    pub line: Vec<u8>,
}

impl Printer {
    /// Prints every event until the batch drops its sender; returns the lists to save.
    pub(super) async fn run(mut self, mut rx: mpsc::Receiver<BatchEvent>) -> Lists {
        let progress_on_tty = !self.json && self.stats.is_none() && std::io::stderr().is_terminal();
        // Standard output's failures are not the batch's: a reader that went away (`| head`)
        // leaves every push sent and recorded in the lists and the journal.
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout());
        let mut unflushed = 0u32;
        while let Some(event) = rx.recv().await {
            // Written out as they come (whenever the queue is drained, and at least every
            // 256 results): a kill loses at most what is in flight here, not 64 KiB.
            unflushed += 1;
            if rx.is_empty() || unflushed >= 256 {
                unflushed = 0;
                let _ = out.flush();
                self.flush_lists();
            }
            match event {
                BatchEvent::Result(r) => self.result(&mut out, &r),
                BatchEvent::Progress {
                    done,
                    total,
                    per_second,
                    eta_seconds,
                    ..
                } if progress_on_tty => {
                    let total = total.map(|t| format!("/{t}")).unwrap_or_default();
                    let eta = eta_seconds
                        .map(|e| format!(", ETA {e:.0} s"))
                        .unwrap_or_default();
                    let _ = out.flush();
                    // Never a panic: after SIGHUP the terminal may be gone, and the lists
                    // this task holds must still be saved.
                    let _ = write!(
                        std::io::stderr(),
                        "\r{done}{total} done, {per_second:.0}/s{eta}   "
                    );
                }
                BatchEvent::ConnectFailed(e) => {
                    warn(&format!(
                        "connection failed (retrying): {}",
                        for_terminal(&e)
                    ));
                }
                BatchEvent::Progress {
                    done,
                    total,
                    per_second,
                    ..
                } => {
                    if let Some(s) = self.stats.as_mut() {
                        let _ = out.flush();
                        s.progress(done, total, per_second);
                    }
                }
            }
        }
        let _ = out.flush();
        if progress_on_tty {
            warn("");
        }
        self.lists
    }

    fn flush_lists(&mut self) {
        let lists = &mut self.lists;
        for f in [lists.dead.as_mut(), lists.bad.as_mut()]
            .into_iter()
            .flatten()
        {
            if let Err(e) = f.flush() {
                lists.write_error.get_or_insert(e);
            }
        }
    }

    /// One result: counted, added to its list, printed.
    fn result(&mut self, out: &mut impl std::io::Write, r: &TokenResult) {
        if let Some(s) = self.stats.as_mut() {
            s.record(r);
        }
        let lists = &mut self.lists;
        let list = if r.is_dead_token() {
            lists.dead.as_mut()
        } else if r.is_bad_device_token() {
            lists.bad.as_mut()
        } else {
            None
        };
        if let Some(f) = list
            && let Err(e) = writeln!(f, "{}\t{}", r.token, r.reason.as_deref().unwrap_or(""))
        {
            lists.write_error.get_or_insert(e);
        }
        if self.json {
            if r.outcome == Outcome::InvalidInput {
                // Standard output is for machines here; a person reads this.
                warn(&result_line(r));
            }
            // Assembled in a buffer kept from line to line (each piece a copy, not a call into
            // the writer), then one write: no string per result, and no serde per field.
            let line = &mut self.line;
            line.clear();
            let _ = r.write_json(line);
            line.push(b'\n');
            let _ = out.write_all(line);
        } else if !self.quiet || r.outcome != Outcome::Delivered {
            let _ = writeln!(out, "{}", result_line(r));
        }
    }
}

/// One line of text output for a result.
pub(super) fn result_line(r: &TokenResult) -> String {
    // Every piece from outside (names and lines from the list, the server's reason, errors
    // that quote a server) is escaped: one result is always one line, and none can be forged.
    let name = r
        .name
        .as_deref()
        .map(|n| format!(" ({})", for_terminal(n)))
        .unwrap_or_default();
    let error_text = r
        .error
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let error = for_terminal(&error_text);
    let what = match r.outcome {
        Outcome::Delivered => "200 delivered".to_owned(),
        Outcome::Rejected => format!(
            "{} {}",
            r.status.unwrap_or(0),
            for_terminal(r.reason.as_deref().unwrap_or(""))
        ),
        Outcome::Unconfirmed => format!("unconfirmed: {error}"),
        Outcome::NotSent => format!("not sent: {error}"),
        Outcome::InvalidInput => {
            let at = r.line.map(|l| format!("line {l}: ")).unwrap_or_default();
            return format!(
                "{at}invalid input '{}': {error}",
                for_terminal(&r.token.to_string())
            );
        }
    };
    format!(
        "{}{name}  {what}  attempts {}",
        for_terminal(&r.token.to_string()),
        r.attempts
    )
}

//! `pushlab batch --interrupted`: the journals in the data folder's `batches/`, newest first,
//! each with what it settled, what went out without an answer and the command that resumes it.
//! A journal is removed when its batch ends with every push settled, so what is listed is what
//! a signal, a crash, `kill -9` or a full disk left to send or to decide on.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::Context as _;
use pushlab::client::JournalState;
use pushlab::words::for_terminal;
use serde::Serialize;

use super::super::error::{CliError, Exit, outln};

/// One journal, as listed.
#[derive(Debug, Serialize)]
struct Listed {
    journal: PathBuf,
    /// When it was last written (Unix seconds).
    last_written: Option<u64>,
    /// Begun by the desktop app: resumed on its Batch screen, not with `--resume`.
    app: bool,
    /// The folder the batch ran in and its token list, as given.
    cwd: Option<PathBuf>,
    tokens: Option<String>,
    delivered: u64,
    rejected: u64,
    invalid_input: u64,
    /// Written with no answer recorded: a resume lists them unconfirmed, never sends them.
    sent_without_answer: u64,
    /// Why it could not be read, if it could not.
    error: Option<String>,
}

impl Listed {
    fn read(journal: PathBuf, last_written: Option<u64>) -> Listed {
        let mut listed = Listed {
            journal,
            last_written,
            app: false,
            cwd: None,
            tokens: None,
            delivered: 0,
            rejected: 0,
            invalid_input: 0,
            sent_without_answer: 0,
            error: None,
        };
        match JournalState::read(&listed.journal) {
            Ok(state) => {
                let args = &state.header.args;
                listed.app = args.first().map(String::as_str) == Some("--pushlab-app-batch");
                listed.tokens = args.iter().enumerate().find_map(|(i, a)| match a.as_str() {
                    "--tokens" => args.get(i + 1).cloned(),
                    a => a.strip_prefix("--tokens=").map(str::to_owned),
                });
                listed.cwd = Some(state.header.cwd.clone());
                listed.delivered = state.earlier_delivered;
                listed.rejected = state.earlier_rejected;
                listed.invalid_input = state.earlier_invalid;
                listed.sent_without_answer = state.sent_without_answer();
            }
            Err(e) => listed.error = Some(e.to_string()),
        }
        listed
    }
}

/// The journals in `dir` (`*.jsonl`, the app's `*.entries.jsonl` aside), newest first; none
/// when the folder does not exist.
fn journals(dir: &Path) -> anyhow::Result<Vec<Listed>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("could not read {}", dir.display())),
    };
    let mut found: Vec<(Option<u64>, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // The app keeps the entries it numbered beside its journal: not a journal.
        if !name.ends_with(".jsonl") || name.ends_with(".entries.jsonl") {
            continue;
        }
        let written = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map(|d| d.as_secs());
        found.push((written, path));
    }
    found.sort_by(|a, b| b.cmp(a));
    Ok(found
        .into_iter()
        .map(|(written, path)| Listed::read(path, written))
        .collect())
}

/// Lists the interrupted batches of this data folder.
pub fn list(json: bool) -> Exit {
    let dir = pushlab::files::data_dir()
        .context("no data folder on this system")?
        .join("batches");
    let listed = journals(&dir)?;
    if json {
        for l in &listed {
            outln!("{}", serde_json::to_string(l).map_err(anyhow::Error::from)?)?;
        }
        return Ok(super::super::exit::OK);
    }
    if listed.is_empty() {
        outln!(
            "no interrupted batches in {} (a batch's journal is removed when every push has a final result)",
            for_terminal(&dir.display().to_string())
        )?;
        return Ok(super::super::exit::OK);
    }
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    for l in &listed {
        let path = l.journal.display().to_string();
        outln!("{}", for_terminal(&path))?;
        if let Some(e) = &l.error {
            outln!("  could not be read: {}", for_terminal(e))?;
            continue;
        }
        let when = l
            .last_written
            .map(|t| format!("last written {} ago", ago(now.saturating_sub(t))))
            .unwrap_or_default();
        let from = match (&l.tokens, &l.cwd) {
            (Some(t), Some(cwd)) => format!(
                ", tokens {} in {}",
                for_terminal(t),
                for_terminal(&cwd.display().to_string())
            ),
            _ => String::new(),
        };
        outln!("  {when}{from}")?;
        outln!(
            "  settled: {} delivered, {} rejected, {} invalid input; {} sent without an answer (listed unconfirmed on resume, never sent again)",
            l.delivered,
            l.rejected,
            l.invalid_input,
            l.sent_without_answer
        )?;
        if l.app {
            outln!("  begun by the desktop app: resume it on the app's Batch screen")?;
        } else {
            outln!("  resume: pushlab batch --resume {}", shell_word(&path))?;
        }
        let force = if l.sent_without_answer > 0 {
            " --force"
        } else {
            ""
        };
        outln!(
            "  or, not to resume it: pushlab batch --discard {}{force}",
            shell_word(&path)
        )?;
    }
    Ok(super::super::exit::OK)
}

/// Removes the interrupted batch's `journal` (`pushlab batch --discard`), and the app's
/// entries file beside an app journal. Only a file that reads as a journal is removed; one
/// that holds pushes sent without an answer only with `force`: it is the one record of which
/// pushes may have reached APNs.
pub fn discard(journal: &Path, force: bool, json: bool) -> Exit {
    let removed = discard_journal(journal, force)?;
    if json {
        outln!("{}", serde_json::json!({ "discarded": removed }))?;
    } else {
        outln!(
            "removed {}: it had settled {} delivered, {} rejected, {} invalid input; {} sent without an answer",
            for_terminal(&removed.journal.display().to_string()),
            removed.delivered,
            removed.rejected,
            removed.invalid_input,
            removed.sent_without_answer
        )?;
    }
    Ok(super::super::exit::OK)
}

fn discard_journal(journal: &Path, force: bool) -> Result<Listed, CliError> {
    let shown = for_terminal(&journal.display().to_string()).into_owned();
    let listed = Listed::read(journal.to_owned(), None);
    if let Some(e) = &listed.error {
        return Err(CliError::new(format!(
            "{shown} is not a batch journal pushlab can read ({}): nothing removed",
            for_terminal(e)
        )));
    }
    if listed.sent_without_answer > 0 && !force {
        let resume = if listed.app {
            "resume it on the app's Batch screen".to_owned()
        } else {
            format!(
                "resume it (pushlab batch --resume {})",
                shell_word(&journal.display().to_string())
            )
        };
        return Err(CliError::new(format!(
            "{shown} holds {} pushes that went out without an answer: they may have reached APNs, and this journal is the only record of which. Nothing removed: {resume} to list them as unconfirmed, or add --force to remove it anyway",
            listed.sent_without_answer
        )));
    }
    let could_not = |path: &Path, e: std::io::Error| {
        CliError::new(format!(
            "could not remove {}: {e}",
            for_terminal(&path.display().to_string())
        ))
    };
    // The app's entries first: a journal left without them is still listed, and can be
    // discarded again; entries left without their journal would be read by nobody.
    if listed.app {
        let entries = journal.with_extension("entries.jsonl");
        if let Err(e) = std::fs::remove_file(&entries)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            return Err(could_not(&entries, e));
        }
    }
    std::fs::remove_file(journal).map_err(|e| could_not(journal, e))?;
    Ok(listed)
}

/// A duration in the largest unit that fits: "45 s", "12 min", "3 h", "2 days".
fn ago(secs: u64) -> String {
    match secs {
        0..=119 => format!("{secs} s"),
        120..=7199 => format!("{} min", secs / 60),
        7200..=172_799 => format!("{} h", secs / 3600),
        _ => format!("{} days", secs / 86_400),
    }
}

/// `text` as one word for a POSIX shell: as it is when it needs no quoting, else in single
/// quotes; control characters escaped, so the line cannot drive the terminal.
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+:,@".contains(&b));
    if plain {
        return text.to_owned();
    }
    for_terminal(&format!("'{}'", text.replace('\'', r"'\''"))).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_one_shell_word() {
        assert_eq!(shell_word("/a/b-c_d.jsonl"), "/a/b-c_d.jsonl");
        assert_eq!(shell_word("/my batches/x"), "'/my batches/x'");
        assert_eq!(shell_word("/it's"), r"'/it'\''s'");
        assert!(!shell_word("/a\u{1b}[2Jb").contains('\u{1b}'));
    }

    fn journal(dir: &Path, name: &str, args: &[&str], records: &str) {
        let header = pushlab::client::JournalHeader {
            pushlab_batch_journal: 1,
            cwd: dir.to_owned(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            inputs: Default::default(),
        };
        let text = format!("{}\n{records}", serde_json::to_string(&header).unwrap());
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn the_cli_and_app_journals_are_listed_with_their_counts_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        journal(
            dir.path(),
            "batch-1-2.jsonl",
            &["--tokens=list.txt", "--alert", "hi"],
            "{\"sending\":[0,1,2,3]}\n{\"delivered\":[0,1]}\n{\"rejected\":[2]}\n",
        );
        journal(
            dir.path(),
            "app-3.jsonl",
            &["--pushlab-app-batch"],
            "{\"sending\":[0]}\n",
        );
        std::fs::write(dir.path().join("app-3.entries.jsonl"), "{}\n").unwrap();
        std::fs::write(dir.path().join("broken.jsonl"), "not a journal\n").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "").unwrap();
        let listed = journals(dir.path()).unwrap();
        let by_name = |n: &str| {
            listed
                .iter()
                .find(|l| l.journal.file_name().unwrap() == n)
                .unwrap_or_else(|| panic!("{n} in {listed:?}"))
        };
        assert_eq!(listed.len(), 3, "{listed:?}");
        let cli = by_name("batch-1-2.jsonl");
        assert_eq!(
            (
                cli.delivered,
                cli.rejected,
                cli.sent_without_answer,
                cli.app
            ),
            (2, 1, 1, false)
        );
        assert_eq!(cli.tokens.as_deref(), Some("list.txt"));
        let app = by_name("app-3.jsonl");
        assert!(app.app && app.error.is_none());
        assert_eq!(app.sent_without_answer, 1);
        assert!(by_name("broken.jsonl").error.is_some());
    }

    #[test]
    fn a_settled_journal_is_discarded_and_one_with_pushes_in_doubt_only_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let settled = dir.path().join("batch-1-1.jsonl");
        journal(
            dir.path(),
            "batch-1-1.jsonl",
            &["--tokens", "list.txt"],
            "{\"sending\":[0,1]}\n{\"delivered\":[0,1]}\n",
        );
        let removed = discard_journal(&settled, false).unwrap();
        assert_eq!((removed.delivered, removed.sent_without_answer), (2, 0));
        assert!(!settled.exists());

        let in_doubt = dir.path().join("batch-2-2.jsonl");
        journal(
            dir.path(),
            "batch-2-2.jsonl",
            &["--tokens", "list.txt"],
            "{\"sending\":[0,1,2]}\n{\"delivered\":[0]}\n",
        );
        let refused = discard_journal(&in_doubt, false).unwrap_err().to_string();
        assert!(
            refused.contains("2 pushes that went out without an answer"),
            "{refused}"
        );
        assert!(
            refused.contains("--resume") && refused.contains("--force"),
            "{refused}"
        );
        assert!(in_doubt.exists(), "kept without --force");
        discard_journal(&in_doubt, true).unwrap();
        assert!(!in_doubt.exists());
    }

    #[test]
    fn an_app_journal_goes_with_its_entries_and_other_files_are_never_removed() {
        let dir = tempfile::tempdir().unwrap();
        journal(dir.path(), "app-7.jsonl", &["--pushlab-app-batch"], "");
        let entries = dir.path().join("app-7.entries.jsonl");
        std::fs::write(&entries, "{}\n").unwrap();
        discard_journal(&dir.path().join("app-7.jsonl"), false).unwrap();
        assert!(!entries.exists() && !dir.path().join("app-7.jsonl").exists());

        for (name, text) in [
            ("notes.jsonl", "not a journal\n"),
            ("x.entries.jsonl", "{}\n"),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let refused = discard_journal(&path, true).unwrap_err().to_string();
            assert!(refused.contains("nothing removed"), "{refused}");
            assert!(path.exists(), "{name} kept");
        }
        let missing = discard_journal(&dir.path().join("gone.jsonl"), true).unwrap_err();
        assert!(missing.to_string().contains("nothing removed"));
    }

    #[test]
    fn a_missing_folder_lists_nothing() {
        let dir = tempfile::tempdir().unwrap();
        assert!(journals(&dir.path().join("batches")).unwrap().is_empty());
    }

    #[test]
    fn ages_read_in_the_largest_unit() {
        assert_eq!(ago(5), "5 s");
        assert_eq!(ago(600), "10 min");
        assert_eq!(ago(3 * 3600), "3 h");
        assert_eq!(ago(5 * 86_400), "5 days");
    }
}

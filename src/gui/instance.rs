//! One window per data folder: the first `pushlab` holds a lock on `<data>/instance.lock` for
//! as long as it runs (and runs the simulator); a second launch with files (a double-click on
//! a `.p12`) writes their paths into `<data>/handoff/` for that window to import, instead of
//! starting another app and another simulator on the same ports.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Held by the running window; dropping it releases the lock.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
}

/// What a launch should do.
#[derive(Debug)]
pub enum Launch {
    /// No other window: open one, holding this lock.
    First(InstanceLock),
    /// Another window runs; the files were handed to it.
    HandedOver {
        /// How many files it took.
        files: usize,
    },
    /// Another window runs and there was nothing to hand over.
    AlreadyRunning,
}

fn handoff_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("handoff")
}

/// Takes the lock or, when another window holds it, hands `files` over.
pub fn launch(data_dir: &Path, files: &[PathBuf]) -> std::io::Result<Launch> {
    crate::files::create_private_dir(data_dir)?;
    // Owner-only: whoever can open the lock file can hold its lock and keep the app shut.
    let mut options = File::options();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        options.mode(0o600);
        let path = data_dir.join("instance.lock");
        if let Ok(meta) = std::fs::symlink_metadata(&path)
            && meta.permissions().mode() & 0o077 != 0
        {
            let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
        }
    }
    let file = options.open(data_dir.join("instance.lock"))?;
    match file.try_lock() {
        Ok(()) => Ok(Launch::First(InstanceLock { _file: file })),
        Err(std::fs::TryLockError::WouldBlock) => {
            if files.is_empty() {
                return Ok(Launch::AlreadyRunning);
            }
            hand_over(data_dir, files)?;
            Ok(Launch::HandedOver { files: files.len() })
        }
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Writes one handoff note: absolute paths, one a line, renamed into place complete.
fn hand_over(data_dir: &Path, files: &[PathBuf]) -> std::io::Result<()> {
    let dir = handoff_dir(data_dir);
    crate::files::create_private_dir(&dir)?;
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    let name = format!("{stamp}-{}", std::process::id());
    let partial = dir.join(format!("{name}.partial"));
    let mut out = File::create(&partial)?;
    for f in files {
        let absolute = std::path::absolute(f).unwrap_or_else(|_| f.clone());
        writeln!(out, "{}", absolute.display())?;
    }
    out.sync_all()?;
    std::fs::rename(&partial, dir.join(format!("{name}.txt")))
}

/// Watches `data_dir` for handed-over files on a thread of its own (the folder is read once
/// a second, never on the UI thread), sending each batch and waking the UI.
pub fn watch(
    data_dir: PathBuf,
    ctx: egui::Context,
) -> Option<std::sync::mpsc::Receiver<Vec<PathBuf>>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("pushlab-handoff".into())
        .spawn(move || {
            loop {
                // Polling, not a file-system watcher: one small folder, once a second.
                std::thread::sleep(std::time::Duration::from_secs(1));
                let files = take_handed_over(&data_dir);
                if !files.is_empty() {
                    if tx.send(files).is_err() {
                        return;
                    }
                    ctx.request_repaint();
                }
            }
        })
        .ok()?;
    Some(rx)
}

/// Files handed over since the last call, oldest note first; the notes are removed.
pub fn take_handed_over(data_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(handoff_dir(data_dir)) else {
        return Vec::new();
    };
    let mut notes: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    notes.sort();
    let mut files = Vec::new();
    for note in notes {
        // At most a few KiB: a note lists the files of one launch.
        if let Ok(text) = std::fs::read_to_string(&note) {
            files.extend(
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .take(1000)
                    .map(PathBuf::from),
            );
        }
        let _ = std::fs::remove_file(&note);
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_launch_hands_its_files_to_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = launch(dir.path(), &[]).unwrap();
        assert!(matches!(first, Launch::First(_)));
        let second = launch(dir.path(), &[PathBuf::from("/tmp/Push.p12")]).unwrap();
        assert!(matches!(second, Launch::HandedOver { files: 1 }));
        assert!(matches!(
            launch(dir.path(), &[]).unwrap(),
            Launch::AlreadyRunning
        ));
        assert_eq!(
            take_handed_over(dir.path()),
            vec![PathBuf::from("/tmp/Push.p12")]
        );
        assert!(
            take_handed_over(dir.path()).is_empty(),
            "each note is taken once"
        );
        drop(first);
        assert!(matches!(launch(dir.path(), &[]).unwrap(), Launch::First(_)));
    }
}

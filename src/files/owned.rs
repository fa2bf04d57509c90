//! What pushlab owns on disk: its data folder (made owner-only, kept from outputs), and the
//! temporary files killed writers left behind.

use std::io;
use std::path::Path;

use super::{FileError, folder_of};

/// Refuses an output inside pushlab's own data folder (the simulator's CA and its key, keys
/// waiting for Apple's certificate, batch journals, the app's state): a user's `--out`,
/// `--log` or `--dead-tokens` there, even with `--force`, would replace what pushlab relies
/// on (a replaced CA key and the simulator's clients stop trusting it).
pub fn refuse_owned(output: &Path) -> Result<(), FileError> {
    let Some(owned) = data_dir().and_then(|d| std::fs::canonicalize(d).ok()) else {
        return Ok(());
    };
    let folder = std::fs::canonicalize(folder_of(output)).ok();
    let file = std::fs::canonicalize(output).ok();
    if [folder, file]
        .iter()
        .flatten()
        .any(|p| p.starts_with(&owned))
    {
        return Err(FileError::SameAsInput {
            path: output.to_owned(),
            input: owned,
        });
    }
    Ok(())
}

/// Removes temporary files of `stem` left by pushlab processes that no longer run (killed
/// while writing: `kill -9`, a crash, the machine going down), which may hold key bytes or
/// tokens. Files of running processes, this one included, are left alone.
pub(super) fn remove_leftovers(folder: &Path, stem: &str) {
    #[cfg(unix)]
    {
        let Ok(entries) = std::fs::read_dir(folder) else {
            return;
        };
        let prefix = format!(".{stem}.");
        for entry in entries.flatten().take(100_000) {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let Some(rest) = name
                .strip_prefix(&prefix)
                .and_then(|r| r.strip_suffix(".tmp"))
            else {
                continue;
            };
            let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<i32>().ok()) else {
                continue;
            };
            if pid > 0 && u32::try_from(pid).ok() != Some(std::process::id()) && !running(pid) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (folder, stem);
}

/// Whether a process with this id exists (one we may not signal exists too).
#[cfg(unix)]
fn running(pid: i32) -> bool {
    let Some(pid) = rustix::process::Pid::from_raw(pid) else {
        return true;
    };
    !matches!(
        rustix::process::test_kill_process(pid),
        Err(rustix::io::Errno::SRCH)
    )
}

/// Creates a folder and any missing parents that only their owner can enter (0700 whatever
/// the umask: pushlab's folders hold keys and lists of tokens). An existing folder is left
/// as it is.
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(path)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(path)
}

/// pushlab's data folder on this system (`~/.local/share/pushlab` on Linux): the app's files,
/// the simulator's CA, keys waiting for Apple's certificate. `None` without a home folder.
pub fn data_dir() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("dev", "pushlab", "pushlab").map(|d| d.data_dir().to_owned())
}

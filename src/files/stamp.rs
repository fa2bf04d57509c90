//! The last Live Activity timestamp pushlab stamped, kept on disk and shared by its processes.
//!
//! A phone ignores a Live Activity push whose `timestamp` is older than the last one it
//! applied, and APNs may deliver pushes out of order. Stamped with the clock's second alone, a
//! start and an update sent by a script in the same second carry the same timestamp, and
//! which one the phone shows last depends on the order they arrive in. Each stamp is
//! therefore one past the last when the clock has not moved on, as the app's composer does
//! within one window: the later push is the newer one wherever it lands.

use std::io::{self, Read as _, Seek as _, Write as _};
use std::path::Path;

/// The file's name in pushlab's data folder.
pub const STAMP_FILE: &str = "live-activity-stamp";

/// How far ahead of the clock a stamp may run (many sends in one second); a file further
/// ahead (the clock was set back, or the file was edited) is not followed.
pub const MOST_AHEAD: i64 = 300;

/// The timestamp for a Live Activity push sent at `now` (seconds since 1970): `now`, or one
/// past the last stamp kept in `dir` when that is not older. Processes stamping at once
/// take turns (an exclusive lock on the file), so no two get the same stamp.
pub fn next_stamp(dir: &Path, now: i64) -> io::Result<i64> {
    super::create_private_dir(dir)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(dir.join(STAMP_FILE))?;
    #[cfg(unix)]
    loop {
        use rustix::fs::{FlockOperation, flock};
        match flock(&file, FlockOperation::LockExclusive) {
            Ok(()) => break,
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    let mut text = String::new();
    // A file that is not a number (cut short, edited) is as good as none.
    let last = file
        .read_to_string(&mut text)
        .ok()
        .and_then(|_| text.trim().parse::<i64>().ok());
    let stamp = match last {
        Some(last) if last >= now && last < now.saturating_add(MOST_AHEAD) => last + 1,
        _ => now,
    };
    file.set_len(0)?;
    file.rewind()?;
    file.write_all(stamp.to_string().as_bytes())?;
    Ok(stamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn sends_in_one_second_are_each_newer_and_a_later_second_is_itself() {
        let dir = tempfile::tempdir().unwrap();
        let stamps: Vec<i64> = (0..3)
            .map(|_| next_stamp(dir.path(), NOW).unwrap())
            .collect();
        assert_eq!(stamps, [NOW, NOW + 1, NOW + 2]);
        assert_eq!(next_stamp(dir.path(), NOW + 10).unwrap(), NOW + 10);
        // Ahead of a clock that caught up a little: still one past.
        assert_eq!(next_stamp(dir.path(), NOW + 9).unwrap(), NOW + 11);
    }

    #[test]
    fn a_file_far_ahead_or_unreadable_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(STAMP_FILE), (NOW + 10_000).to_string()).unwrap();
        assert_eq!(next_stamp(dir.path(), NOW).unwrap(), NOW);
        std::fs::write(dir.path().join(STAMP_FILE), "12ab").unwrap();
        assert_eq!(next_stamp(dir.path(), NOW).unwrap(), NOW);
        assert_eq!(next_stamp(dir.path(), NOW).unwrap(), NOW + 1);
    }

    #[test]
    fn stampers_at_once_never_share_a_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let dir = dir.path().to_owned();
                std::thread::Builder::new()
                    .spawn(move || {
                        (0..20)
                            .map(|_| next_stamp(&dir, NOW).unwrap())
                            .collect::<Vec<_>>()
                    })
                    .unwrap()
            })
            .collect();
        let mut all: Vec<i64> = threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect();
        all.sort_unstable();
        assert_eq!(all, (NOW..NOW + 80).collect::<Vec<_>>());
    }
}

//! The state the app saved last time, read back. One that does not read (hand-edited, written
//! by a newer pushlab, damaged) used to become the defaults without a word, and the app's next
//! save replaced it: credentials, devices and History gone. Now it is kept first.

use std::path::{Path, PathBuf};

use crate::files::{WriteOptions, write_file};
use crate::gui::state::State;

/// What became of a saved state that did not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnreadableState {
    /// Kept, as it was, in this file.
    Kept(PathBuf),
    /// It could not be kept (no data folder, or the write failed): why.
    NotKept(String),
}

/// The saved state, or the defaults when there is none; and, when there was one that does not
/// read, what became of it (kept in the data folder as `unreadable-state-<seconds>.ron`).
pub fn restore(
    storage: Option<&dyn eframe::Storage>,
    data_dir: Option<&Path>,
) -> (State, Option<UnreadableState>) {
    let Some(storage) = storage else {
        return (State::default(), None);
    };
    if let Some(state) = eframe::get_value::<State>(storage, eframe::APP_KEY) {
        return (state, None);
    }
    let Some(text) = storage.get_string(eframe::APP_KEY) else {
        return (State::default(), None);
    };
    let kept = match data_dir {
        Some(dir) => {
            let seconds = time::OffsetDateTime::now_utc().unix_timestamp();
            let path = dir.join(format!("unreadable-state-{seconds}.ron"));
            // Owner-only: it holds device tokens and file paths.
            let options = WriteOptions {
                overwrite: false,
                secret: true,
            };
            match write_file(&path, text.as_bytes(), options) {
                Ok(()) => UnreadableState::Kept(path),
                Err(e) => UnreadableState::NotKept(e.to_string()),
            }
        }
        None => UnreadableState::NotKept("no data folder".to_owned()),
    };
    (State::default(), Some(kept))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use eframe::Storage as _;

    /// eframe's storage, in memory.
    #[derive(Default)]
    struct Memory(std::collections::HashMap<String, String>);

    impl eframe::Storage for Memory {
        fn get_string(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }
        fn set_string(&mut self, key: &str, value: String) {
            self.0.insert(key.to_owned(), value);
        }
        fn remove_string(&mut self, key: &str) {
            self.0.remove(key);
        }
        fn flush(&mut self) {}
    }

    #[test]
    fn a_state_that_does_not_read_is_kept_before_anything_replaces_it() {
        let dir = tempfile::tempdir().unwrap();
        // A saved state with a field twice (as a hand edit makes it): RON refuses it.
        let text = "(guide_hidden:true,guide_hidden:false,devices:[])";
        let mut storage = Memory::default();
        storage.set_string(eframe::APP_KEY, text.to_owned());
        let (state, note) = restore(Some(&storage), Some(dir.path()));
        assert_eq!(state, State::default());
        let Some(UnreadableState::Kept(path)) = note else {
            panic!("not kept: {note:?}");
        };
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_readable_state_or_none_says_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut storage = Memory::default();
        assert_eq!(restore(Some(&storage), Some(dir.path())).1, None);
        let saved = State {
            guide_hidden: true,
            ..State::default()
        };
        eframe::set_value(&mut storage, eframe::APP_KEY, &saved);
        let (state, note) = restore(Some(&storage), Some(dir.path()));
        assert_eq!((state.guide_hidden, note), (true, None));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

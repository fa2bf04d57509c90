//! Native file dialogs for every screen. They block, so they run on the worker; a dialog that
//! "returns" in a blink never appeared (no portal or zenity on this desktop) and the screens
//! then point at their path field instead.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::error::JobError;
use crate::files::{self, WriteOptions};

/// What a dialog gave back.
#[derive(Debug)]
pub struct Picked {
    pub path: Option<PathBuf>,
    pub appeared: bool,
}

const NO_DIALOG: Duration = Duration::from_millis(400);

/// Asks where to save a file.
pub fn save(title: &str, start: Option<PathBuf>, file_name: &str) -> Picked {
    let started = Instant::now();
    let mut dialog = rfd::FileDialog::new()
        .set_title(title)
        .set_file_name(file_name);
    if let Some(dir) = start {
        dialog = dialog.set_directory(dir);
    }
    let path = dialog.save_file();
    Picked {
        appeared: path.is_some() || started.elapsed() > NO_DIALOG,
        path,
    }
}

/// Asks for one file to open.
pub fn open(title: &str, start: Option<PathBuf>, filter: (&str, &[&str])) -> Picked {
    let started = Instant::now();
    let mut dialog = rfd::FileDialog::new()
        .set_title(title)
        .add_filter(filter.0, filter.1)
        .add_filter("All files", &["*"]);
    if let Some(dir) = start {
        dialog = dialog.set_directory(dir);
    }
    let path = dialog.pick_file();
    Picked {
        appeared: path.is_some() || started.elapsed() > NO_DIALOG,
        path,
    }
}

/// The sentence shown when no dialog could be opened.
pub const NO_DIALOG_HINT: &str = "No file dialog is available on this desktop — type the path in the field and press the button next to it.";

/// `~/x` → the home folder's `x`; anything else as typed.
pub fn expand_home(text: &str) -> PathBuf {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = directories::BaseDirs::new()
    {
        return home.home_dir().join(rest);
    }
    PathBuf::from(text)
}

/// Writes an export that holds no secret to `path`, through [`crate::files`]: an existing file
/// is replaced only with `overwrite` (after the user said so), and only once the new one is
/// complete. Blocking: run it on the worker.
pub fn write_file(path: &Path, bytes: &[u8], overwrite: bool) -> Result<PathBuf, JobError> {
    let options = WriteOptions {
        overwrite,
        secret: false,
    };
    files::write_file(path, bytes, options)?;
    Ok(path.to_owned())
}

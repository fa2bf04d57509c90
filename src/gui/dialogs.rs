//! Native file dialogs for every screen. They block, so they run on the worker; a dialog that
//! "returns" in a blink never appeared (no portal or zenity on this desktop) and the screens
//! then point at their path field instead.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::JobError;
use crate::files::{self, WriteOptions};
use crate::gui::i18n::msg;

/// What a dialog gave back: the chosen files (none when cancelled), and whether it showed.
#[derive(Debug)]
pub struct Picked {
    /// The files chosen; empty when the user cancelled or no dialog could be shown.
    pub paths: Vec<PathBuf>,
    /// Whether a dialog showed: an empty answer faster than a person can cancel means none could.
    pub appeared: bool,
}

impl Picked {
    /// The first (for a save dialog, the only) file chosen.
    pub fn path(self) -> Option<PathBuf> {
        self.paths.into_iter().next()
    }

    /// Nothing was chosen because no dialog could be shown: the screen says so.
    pub fn no_dialog(&self) -> bool {
        self.paths.is_empty() && !self.appeared
    }
}

const NO_DIALOG: Duration = Duration::from_millis(400);

/// Shows `dialog` (in `start` when given) and times it.
fn ask(
    mut dialog: rfd::FileDialog,
    start: Option<PathBuf>,
    show: impl FnOnce(rfd::FileDialog) -> Vec<PathBuf>,
) -> Picked {
    let started = Instant::now();
    if let Some(dir) = start {
        dialog = dialog.set_directory(dir);
    }
    let paths = show(dialog);
    Picked {
        appeared: !paths.is_empty() || started.elapsed() > NO_DIALOG,
        paths,
    }
}

/// Asks where to save a file.
pub fn save(title: &str, start: Option<PathBuf>, file_name: &str) -> Picked {
    let dialog = rfd::FileDialog::new()
        .set_title(title)
        .set_file_name(file_name);
    ask(dialog, start, |d| d.save_file().into_iter().collect())
}

/// The words of an open dialog, worded on the UI thread before the dialog runs on the worker
/// (whose threads do not know the app's language).
pub struct OpenWords {
    /// The dialog's title.
    pub title: String,
    /// The name of the filter for `extensions`.
    pub filter: String,
    /// The name of the filter that shows every file.
    pub all_files: String,
}

impl OpenWords {
    /// The words for a dialog titled `title` whose filter is named `filter`, in the UI thread's
    /// language.
    pub fn new(title: String, filter: String) -> Self {
        OpenWords {
            title,
            filter,
            all_files: msg::dialogs_all_files(),
        }
    }
}

fn open_dialog(words: &OpenWords, extensions: &[&str]) -> rfd::FileDialog {
    rfd::FileDialog::new()
        .set_title(&words.title)
        .add_filter(&words.filter, extensions)
        .add_filter(&words.all_files, &["*"])
}

/// Asks for one file to open.
pub fn open(words: &OpenWords, start: Option<PathBuf>, extensions: &[&str]) -> Picked {
    ask(open_dialog(words, extensions), start, |d| {
        d.pick_file().into_iter().collect()
    })
}

/// Asks for files to open, one or several.
pub fn open_many(words: &OpenWords, start: Option<PathBuf>, extensions: &[&str]) -> Picked {
    ask(open_dialog(words, extensions), start, |d| {
        d.pick_files().unwrap_or_default()
    })
}

/// The sentence shown when no dialog could be opened.
/// Said when no file dialog could be opened.
pub fn no_dialog_hint() -> String {
    msg::dialogs_no_file_dialog()
}

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

/// A folder as people read it: the home folder as `~`.
pub fn display_path(path: &Path) -> String {
    if let Some(home) = directories::BaseDirs::new()
        && let Ok(rest) = path.strip_prefix(home.home_dir())
    {
        return format!("~/{}", rest.display());
    }
    path.display().to_string()
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

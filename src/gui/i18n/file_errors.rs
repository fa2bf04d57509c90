//! Why an output file was not written, in the app's language (the library's `FileError`
//! keeps English for the CLI). The system's own words for an I/O failure stay as they are.

use super::msg;
use crate::files::FileError;

/// The sentence for `e`.
pub fn file_error(e: &FileError) -> String {
    let shown = |p: &std::path::Path| p.display().to_string();
    match e {
        FileError::Exists { path } => msg::file_error_exists(shown(path)),
        FileError::SameAsInput { path, input } => {
            msg::file_error_same_as_input(shown(input), shown(path))
        }
        FileError::IsDirectory { path } => msg::file_error_is_directory(shown(path)),
        FileError::Io { path, source } => msg::file_error_io(source.to_string(), shown(path)),
    }
}

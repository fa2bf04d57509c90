//! Why an output file was not written, in the app's language (the library's `FileError`
//! keeps English for the CLI). The system's own words for an I/O failure stay as they are.

use super::tr_with;
use crate::files::FileError;

/// The sentence for `e`.
pub fn file_error(e: &FileError) -> String {
    let shown = |p: &std::path::Path| p.display().to_string();
    match e {
        FileError::Exists { path } => tr_with("file-error-exists", &[("path", shown(path).into())]),
        FileError::SameAsInput { path, input } => tr_with(
            "file-error-same-as-input",
            &[("path", shown(path).into()), ("input", shown(input).into())],
        ),
        FileError::IsDirectory { path } => {
            tr_with("file-error-is-directory", &[("path", shown(path).into())])
        }
        FileError::Io { path, source } => tr_with(
            "file-error-io",
            &[
                ("path", shown(path).into()),
                ("error", source.to_string().into()),
            ],
        ),
    }
}

//! Writing output files without ever losing the one that was there.
//!
//! Every output goes to a temporary file in the destination's folder (created new, owner-only
//! from the first byte when it holds a secret), is flushed and synced, and only then takes the
//! destination's name. So a crash, a full disk or a cancelled job leaves either the old file or
//! the new one, never half of either.
//!
//! - Without permission to overwrite, an existing destination is never replaced: the temporary
//!   file is hard-linked to the destination name, which fails atomically when the name is
//!   taken (where hard links are unsupported: a check, then a rename).
//! - With permission, a rename replaces the destination atomically.
//! - An output that is also an input of the same job is refused by [`refuse_same_file`].
//!
//! ```no_run
//! use pushlab::files::{self, WriteOptions};
//!
//! files::write_file("cert.pem".as_ref(), b"...", WriteOptions::default())?;
//! # Ok::<(), pushlab::files::FileError>(())
//! ```

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

mod owned;
mod stamp;

use owned::remove_leftovers;
pub use owned::{create_private_dir, data_dir, refuse_owned};
pub use stamp::{MOST_AHEAD, STAMP_FILE, next_stamp};

/// How an output file is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Replace a file that exists at the destination. Without it the write fails with
    /// [`FileError::Exists`] and the file is left as it was.
    pub overwrite: bool,
    /// The file holds a private key or another secret: owner-only (0600 on Unix) from its
    /// creation, before any byte is written. Otherwise the system's default permissions apply.
    pub secret: bool,
}

/// Why an output file was not written. The destination is unchanged in every case.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// A file exists where the output should go and replacing it was not allowed.
    #[error("a file exists there — choose another name or allow replacing it: {}", path.display())]
    Exists {
        /// The destination.
        path: PathBuf,
    },
    /// The output is one of the job's inputs (the same path, a link to it, or another name for
    /// it): writing it would destroy what the job reads.
    #[error("the output is also an input ({}) — write it to another file: {}", input.display(), path.display())]
    SameAsInput {
        /// The destination.
        path: PathBuf,
        /// The input it is the same file as.
        input: PathBuf,
    },
    /// The destination is a folder.
    #[error("that is a folder — name a file inside it: {}", path.display())]
    IsDirectory {
        /// The destination.
        path: PathBuf,
    },
    /// Creating, writing or renaming failed (no such folder, no permission, disk full…).
    #[error("could not write the file ({source}): {}", path.display())]
    Io {
        /// The destination.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
}

impl FileError {
    /// The destination the error is about.
    pub fn path(&self) -> &Path {
        match self {
            FileError::Exists { path }
            | FileError::SameAsInput { path, .. }
            | FileError::IsDirectory { path }
            | FileError::Io { path, .. } => path,
        }
    }

    fn io(path: &Path, source: io::Error) -> Self {
        FileError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// Writes `bytes` to `path` in one go, through a temporary file (see the module's
/// documentation).
pub fn write_file(path: &Path, bytes: &[u8], options: WriteOptions) -> Result<(), FileError> {
    let mut out = OutputFile::create(path, options)?;
    out.write_all(bytes).map_err(|e| FileError::io(path, e))?;
    out.commit()
}

/// An output written as a job runs, which takes the destination's name only on
/// [`OutputFile::commit`]. Dropped without a commit (an error, a cancelled job), its temporary
/// file is removed and the destination is untouched.
///
/// Writes are buffered; the first write error is kept and returned again by `commit`, so a
/// caller that ignores write errors (a best-effort log line) still never commits a partial file.
#[derive(Debug)]
pub struct OutputFile {
    /// `None` once committed or failed.
    file: Option<BufWriter<File>>,
    temp: PathBuf,
    path: PathBuf,
    options: WriteOptions,
    /// The first write that failed.
    failed: Option<(io::ErrorKind, String)>,
}

impl OutputFile {
    /// Creates the temporary file next to `path`. Fails early, before anything is written, when
    /// `path` is a folder or exists and `options.overwrite` is not set; the check is made again,
    /// atomically where the platform allows, on commit.
    pub fn create(path: &Path, options: WriteOptions) -> Result<Self, FileError> {
        // A link to a folder is a folder to the user; so is a name ending in a separator
        // (`list.txt/`), which no file can take, found now rather than after the job ran.
        if path.is_dir() || names_a_folder(path) {
            return Err(FileError::IsDirectory {
                path: path.to_owned(),
            });
        }
        // Without following links: a dangling link is taken too.
        if !options.overwrite && std::fs::symlink_metadata(path).is_ok() {
            return Err(FileError::Exists {
                path: path.to_owned(),
            });
        }
        let (file, temp) = create_temp(path, options.secret)?;
        Ok(OutputFile {
            file: Some(BufWriter::new(file)),
            temp,
            path: path.to_owned(),
            options,
            failed: None,
        })
    }

    /// The destination.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and gives the file its name. On any error the temporary file is removed
    /// and the destination is as it was.
    pub fn commit(mut self) -> Result<(), FileError> {
        let result = self.finish();
        if result.is_err() {
            self.discard();
        }
        result
    }

    fn finish(&mut self) -> Result<(), FileError> {
        let path = self.path.clone();
        if let Some((kind, message)) = self.failed.take() {
            return Err(FileError::io(&path, io::Error::new(kind, message)));
        }
        let Some(writer) = self.file.take() else {
            return Err(FileError::io(
                &path,
                io::Error::other("the file was already closed"),
            ));
        };
        let file = writer
            .into_inner()
            .map_err(|e| FileError::io(&path, e.into_error()))?;
        file.sync_all().map_err(|e| FileError::io(&path, e))?;
        drop(file);
        if self.options.overwrite {
            std::fs::rename(&self.temp, &path).map_err(|e| self.placing_failed(e))?;
        } else {
            match std::fs::hard_link(&self.temp, &path) {
                Ok(()) => {
                    // The content is in place under its name; the temporary name goes.
                    let _ = std::fs::remove_file(&self.temp);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    return Err(FileError::Exists { path });
                }
                // No hard links here (FAT, some network shares): check, then rename.
                Err(_) => {
                    if std::fs::symlink_metadata(&path).is_ok() {
                        return Err(FileError::Exists { path });
                    }
                    std::fs::rename(&self.temp, &path).map_err(|e| self.placing_failed(e))?;
                }
            }
        }
        sync_folder(&path);
        Ok(())
    }

    fn placing_failed(&self, e: io::Error) -> FileError {
        if self.path.is_dir() {
            FileError::IsDirectory {
                path: self.path.clone(),
            }
        } else {
            FileError::io(&self.path, e)
        }
    }

    /// Closes and removes the temporary file, if it is still there.
    fn discard(&mut self) {
        // Closed first: Windows cannot remove an open file.
        drop(self.file.take());
        let _ = std::fs::remove_file(&self.temp);
    }

    fn writer(&mut self) -> io::Result<&mut BufWriter<File>> {
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("the output file is closed"))
    }

    fn keep_error<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result
            && self.failed.is_none()
        {
            self.failed = Some((e.kind(), e.to_string()));
        }
        result
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.writer().and_then(|w| w.write(buf));
        self.keep_error(result)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let result = self.writer().and_then(|w| w.write_all(buf));
        self.keep_error(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.writer().and_then(BufWriter::flush);
        self.keep_error(result)
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        // Committed: `file` is gone and the temporary name was renamed or removed; removing it
        // again fails harmlessly.
        if self.file.is_some() {
            self.discard();
        }
    }
}

/// Whether the path is written as a folder: it ends in a separator.
fn names_a_folder(path: &Path) -> bool {
    let text = path.as_os_str().as_encoded_bytes();
    text.last()
        .is_some_and(|&b| b == b'/' || (cfg!(windows) && b == b'\\'))
}

/// Refuses `output` when it is the same file as one of `inputs`: the same path written
/// differently (`./x` and `x`), a symbolic or hard link to it. Inputs that do not exist (or
/// `-` for standard input) are skipped; an output that does not exist yet is no input.
pub fn refuse_same_file(output: &Path, inputs: &[&Path]) -> Result<(), FileError> {
    let Ok(output_meta) = std::fs::metadata(output) else {
        return Ok(());
    };
    let output_canonical = std::fs::canonicalize(output).ok();
    for input in inputs {
        let Ok(input_meta) = std::fs::metadata(input) else {
            continue;
        };
        let same_path =
            output_canonical.is_some() && std::fs::canonicalize(input).ok() == output_canonical;
        if same_path || same_inode(&output_meta, &input_meta) {
            return Err(FileError::SameAsInput {
                path: output.to_owned(),
                input: input.to_path_buf(),
            });
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_inode(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_inode(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// The folder `path` is in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Creates a new, uniquely named, hidden file next to `path`.
fn create_temp(path: &Path, secret: bool) -> Result<(File, PathBuf), FileError> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let Some(name) = path.file_name() else {
        return Err(FileError::IsDirectory {
            path: path.to_owned(),
        });
    };
    let folder = folder_of(path);
    let mut last_error = None;
    let mut first = u64::MAX;
    for _ in 0..16 {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        if first == u64::MAX {
            first = n;
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        // Shortened, so a destination name near the system's limit still gets a temporary name.
        let stem: String = name.to_string_lossy().chars().take(64).collect();
        if n == first {
            remove_leftovers(folder, &stem);
        }
        let temp = folder.join(format!(".{stem}.{}-{n}-{nanos:x}.tmp", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if secret {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        match options.open(&temp) {
            Ok(file) => {
                if secret && let Err(e) = owner_only(&file) {
                    drop(file);
                    let _ = std::fs::remove_file(&temp);
                    return Err(FileError::io(path, e));
                }
                return Ok((file, temp));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(e) => return Err(FileError::io(path, e)),
        }
    }
    Err(FileError::io(
        path,
        last_error.unwrap_or_else(|| io::Error::other("no free temporary name")),
    ))
}

/// Exactly 0600, whatever the umask made of the mode asked at creation.
#[cfg(unix)]
fn owner_only(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn owner_only(_: &File) -> io::Result<()> {
    Ok(())
}

/// Makes the new name itself durable. Best effort: the content is already synced.
fn sync_folder(path: &Path) {
    #[cfg(unix)]
    if let Ok(folder) = File::open(folder_of(path)) {
        let _ = folder.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests;

//! Tests only: declared `#[cfg(test)]` in `src/files.rs`, so none of this is built into
//! pushlab. Each `unwrap`/`expect` here is an assertion of the test it is in (clippy's
//! `unwrap_used`/`expect_used` are denied everywhere else).

use super::*;

/// A killed writer's temporary file (its process gone) is removed by the next write of
/// the same file; one of a process still running is left alone.
#[cfg(unix)]
#[test]
fn leftovers_of_dead_processes_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let dead = dir.path().join(".ck.pem.2147483600-0-0.tmp");
    let alive = dir
        .path()
        .join(format!(".ck.pem.{}-9-9.tmp", std::process::id()));
    let other = dir.path().join(".other.pem.2147483600-0-0.tmp");
    for p in [&dead, &alive, &other] {
        std::fs::write(p, b"key bytes").unwrap();
    }
    write_file(&dir.path().join("ck.pem"), b"x", WriteOptions::default()).unwrap();
    assert!(!dead.exists());
    assert!(alive.exists() && other.exists());
}

/// Every name in the folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

const REPLACE: WriteOptions = WriteOptions {
    overwrite: true,
    secret: false,
};
const SECRET: WriteOptions = WriteOptions {
    overwrite: false,
    secret: true,
};

#[test]
fn writes_a_new_file_and_leaves_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.txt");
    write_file(&path, b"hello", WriteOptions::default()).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"hello");
    assert_eq!(names(dir.path()), ["out.txt"]);
}

#[test]
fn an_existing_file_is_not_replaced_without_permission() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.txt");
    std::fs::write(&path, "old").unwrap();
    let err = write_file(&path, b"new", WriteOptions::default()).unwrap_err();
    assert!(matches!(err, FileError::Exists { .. }), "{err:?}");
    assert_eq!(err.path(), path);
    assert_eq!(std::fs::read(&path).unwrap(), b"old");
    assert_eq!(names(dir.path()), ["out.txt"]);
}

#[test]
fn a_file_appearing_while_writing_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.txt");
    let mut out = OutputFile::create(&path, WriteOptions::default()).unwrap();
    out.write_all(b"new").unwrap();
    // Someone else creates the file after the early check.
    std::fs::write(&path, "theirs").unwrap();
    let err = out.commit().unwrap_err();
    assert!(matches!(err, FileError::Exists { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), b"theirs");
    assert_eq!(names(dir.path()), ["out.txt"]);
}

#[test]
fn overwrite_replaces_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.txt");
    std::fs::write(&path, "old").unwrap();
    let mut out = OutputFile::create(&path, REPLACE).unwrap();
    out.write_all(b"new content").unwrap();
    out.flush().unwrap();
    // Until the commit the old file is whole, under its name.
    assert_eq!(std::fs::read(&path).unwrap(), b"old");
    out.commit().unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"new content");
    assert_eq!(names(dir.path()), ["out.txt"]);
}

#[cfg(unix)]
#[test]
fn overwrite_gives_a_new_file_and_keeps_the_old_one_intact_for_its_readers() {
    use std::io::Read as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key.pem");
    std::fs::write(&path, "old key").unwrap();
    // A reader that opened the old file still reads all of it: it was never truncated.
    let mut reader = File::open(&path).unwrap();
    write_file(&path, b"new key", REPLACE).unwrap();
    let mut old = String::new();
    reader.read_to_string(&mut old).unwrap();
    assert_eq!(old, "old key");
    assert_eq!(std::fs::read(&path).unwrap(), b"new key");
}

#[cfg(unix)]
#[test]
fn secrets_are_owner_only_from_the_temporary_file_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key.pem");
    let mut out = OutputFile::create(&path, SECRET).unwrap();
    let temp: Vec<String> = names(dir.path());
    assert_eq!(temp.len(), 1, "{temp:?}");
    assert!(temp[0].starts_with(".key.pem."), "{temp:?}");
    assert_eq!(mode(&dir.path().join(&temp[0])), 0o600, "before any byte");
    out.write_all(b"secret").unwrap();
    out.commit().unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(names(dir.path()), ["key.pem"]);

    // Replacing a world-readable file with a secret makes it owner-only too.
    let public = dir.path().join("ck.pem");
    std::fs::write(&public, "old").unwrap();
    std::fs::set_permissions(&public, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    write_file(
        &public,
        b"secret",
        WriteOptions {
            overwrite: true,
            secret: true,
        },
    )
    .unwrap();
    assert_eq!(mode(&public), 0o600);
    assert_eq!(std::fs::read(&public).unwrap(), b"secret");
}

#[cfg(unix)]
#[test]
fn other_files_get_the_default_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("ours.txt");
    let plain = dir.path().join("plain.txt");
    write_file(&ours, b"x", WriteOptions::default()).unwrap();
    std::fs::write(&plain, "x").unwrap();
    assert_eq!(mode(&ours), mode(&plain));
}

#[test]
fn dropped_without_commit_leaves_the_destination_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dead.txt");
    std::fs::write(&path, "old list").unwrap();
    {
        let mut out = OutputFile::create(&path, REPLACE).unwrap();
        out.write_all(b"half a li").unwrap();
        assert_eq!(names(dir.path()).len(), 2, "the temporary file");
    }
    assert_eq!(std::fs::read(&path).unwrap(), b"old list");
    assert_eq!(names(dir.path()), ["dead.txt"]);

    let fresh = dir.path().join("new.txt");
    drop(OutputFile::create(&fresh, WriteOptions::default()).unwrap());
    assert!(!fresh.exists());
    assert_eq!(names(dir.path()), ["dead.txt"]);
}

#[test]
fn failures_leave_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    // A folder as destination.
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    for options in [WriteOptions::default(), REPLACE] {
        let err = write_file(&sub, b"x", options).unwrap_err();
        assert!(matches!(err, FileError::IsDirectory { .. }), "{err:?}");
    }
    // A folder that does not exist.
    let err = write_file(&dir.path().join("nope/out.txt"), b"x", REPLACE).unwrap_err();
    assert!(matches!(err, FileError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("nope"), "{err}");
    // A folder appearing at the destination while writing, with overwrite.
    let racy = dir.path().join("racy");
    let mut out = OutputFile::create(&racy, REPLACE).unwrap();
    out.write_all(b"x").unwrap();
    std::fs::create_dir(&racy).unwrap();
    std::fs::write(racy.join("inside"), "x").unwrap();
    assert!(out.commit().is_err());
    // An existing file, without overwrite, found at commit.
    let taken = dir.path().join("taken");
    let out = OutputFile::create(&taken, WriteOptions::default()).unwrap();
    std::fs::write(&taken, "x").unwrap();
    assert!(out.commit().is_err());
    assert_eq!(names(dir.path()), ["racy", "sub", "taken"]);
    assert_eq!(names(&sub), Vec::<String>::new());
}

#[cfg(target_os = "linux")]
#[test]
fn a_write_error_is_kept_and_the_file_never_committed() {
    // /dev/full answers every write with "no space left on device"; here it stands in for a
    // full disk by being the temporary file's writer.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.txt");
    std::fs::write(&path, "old").unwrap();
    let mut out = OutputFile::create(&path, REPLACE).unwrap();
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    out.file = Some(BufWriter::with_capacity(4, full));
    // A caller that ignores the error, as a best-effort log does.
    let _ = out.write_all(b"more than four bytes");
    let err = out.commit().unwrap_err();
    assert!(matches!(err, FileError::Io { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), b"old");
    assert_eq!(names(dir.path()), ["out.txt"]);
}

#[test]
fn a_name_at_the_length_limit_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x".repeat(250));
    write_file(&path, b"long", WriteOptions::default()).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"long");
    assert_eq!(names(dir.path()).len(), 1);
}

#[test]
fn a_bare_file_name_is_written_in_the_current_folder() {
    assert_eq!(folder_of(Path::new("out.txt")), Path::new("."));
    assert_eq!(folder_of(Path::new("a/out.txt")), Path::new("a"));
}

#[test]
fn the_same_file_is_found_through_other_spellings() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens.txt");
    let other = dir.path().join("other.txt");
    std::fs::write(&tokens, "t").unwrap();
    std::fs::write(&other, "o").unwrap();

    let err = refuse_same_file(&tokens, &[&other, &tokens]).unwrap_err();
    assert!(matches!(err, FileError::SameAsInput { .. }), "{err:?}");
    let dotted = dir.path().join(".").join("tokens.txt");
    assert!(refuse_same_file(&dotted, &[&tokens]).is_err());
    let up = dir.path().join("sub/../tokens.txt");
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    assert!(refuse_same_file(&up, &[&tokens]).is_err());

    assert!(refuse_same_file(&other, &[&tokens]).is_ok());
    assert!(refuse_same_file(&dir.path().join("new.txt"), &[&tokens]).is_ok());
    assert!(refuse_same_file(&tokens, &[Path::new("-")]).is_ok());
    assert!(refuse_same_file(&tokens, &[]).is_ok());
}

#[cfg(unix)]
#[test]
fn the_same_file_is_found_through_links() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens.txt");
    std::fs::write(&tokens, "t").unwrap();
    let symlink = dir.path().join("link.txt");
    std::os::unix::fs::symlink(&tokens, &symlink).unwrap();
    let hard = dir.path().join("hard.txt");
    std::fs::hard_link(&tokens, &hard).unwrap();
    assert!(refuse_same_file(&symlink, &[&tokens]).is_err());
    assert!(refuse_same_file(&tokens, &[&symlink]).is_err());
    assert!(refuse_same_file(&hard, &[&tokens]).is_err());
}

#[test]
fn relative_paths_are_resolved_from_the_current_folder() {
    // `./Cargo.toml` and `Cargo.toml` (tests run in the package folder).
    let bare = Path::new("Cargo.toml");
    let dotted = Path::new("./Cargo.toml");
    assert!(refuse_same_file(dotted, &[bare]).is_err());
}

#[test]
fn messages_say_what_to_do_and_end_with_the_path() {
    let exists = FileError::Exists {
        path: PathBuf::from("/tmp/x.txt"),
    };
    let text = exists.to_string();
    assert!(text.contains("another name"), "{text}");
    assert!(text.ends_with("/tmp/x.txt"), "{text}");
}

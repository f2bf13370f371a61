//! `write_files`: the host's file IO for a `write_files` action, done here
//! rather than in Python because of the GIL, not because of any rule: Python's `os.open`,
//! `os.write` and `os.close` each let go of the GIL and take it back, so a background thread
//! writing one report file per result hands the GIL to and from the test loop three times per
//! file. Here a whole action is written with the GIL released once. No decision is taken: the
//! session said which files, where and with what content; this answers with the event the
//! session reads (`report_written` / `report_failed`).

use std::fs::{self, File, OpenOptions};
use std::io::{self, ErrorKind, Write};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use testrelay::Event;
use testrelay::session::{FileEntry, FileWrite};

/// Performs a write action: the event that answers it, `report_written` or `report_failed`
/// (a panic of the write, which no input should cause, is a failure too: the session's own
/// rules then keep the results, never lost).
pub fn perform(write: &FileWrite) -> Event {
    let request_id = write.request_id;
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self::write(write)))
        .unwrap_or_else(|_| Err(format!("{}: writing the files panicked", write.dir)));
    match outcome {
        Ok(()) => Event::ReportWritten { request_id },
        Err(message) => Event::ReportFailed {
            request_id,
            message,
        },
    }
}

/// Writes every file of `write` under its `dir`; the first failure stops the action and is
/// its message (naming the file). Each folder is made and opened once per action, and its
/// new files are created relative to it (`openat`): the kernel walks the folder's path once
/// per action instead of once per file.
pub fn write(write: &FileWrite) -> Result<(), String> {
    let mut made: Vec<(PathBuf, Option<File>)> = Vec::new();
    for entry in &write.files {
        let target = Path::new(&write.dir).join(&entry.path);
        let folder = target.parent().unwrap_or(Path::new(""));
        let index = match made.iter().position(|(m, _)| m == folder) {
            Some(index) => index,
            None => {
                fs::create_dir_all(folder).map_err(|e| failure(folder, &e))?;
                // A folder that cannot be opened is written by full paths, as before.
                made.push((folder.to_path_buf(), open_folder(folder)));
                made.len() - 1
            }
        };
        write_one(&target, made[index].1.as_ref(), entry).map_err(|e| failure(&target, &e))?;
    }
    Ok(())
}

#[cfg(unix)]
fn open_folder(folder: &Path) -> Option<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY)
        .open(folder)
        .ok()
}

#[cfg(not(unix))]
fn open_folder(_folder: &Path) -> Option<File> {
    None
}

/// Creates `target`, which must not exist yet (`O_EXCL`, as `create_new`), relative to its
/// opened `folder` when there is one.
#[cfg(unix)]
fn create_new(target: &Path, folder: Option<&File>) -> io::Result<File> {
    use std::os::fd::{AsRawFd, FromRawFd};
    use std::os::unix::ffi::OsStrExt;
    let (Some(folder), Some(name)) = (folder, target.file_name()) else {
        return OpenOptions::new().write(true).create_new(true).open(target);
    };
    let name = std::ffi::CString::new(name.as_bytes())
        .map_err(|_| io::Error::new(ErrorKind::InvalidInput, "a NUL byte in the file name"))?;
    let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC;
    // SAFETY: `folder` is an open directory for the whole call and `name` a NUL-terminated
    // string; a descriptor the call returns is new, and owned by the `File` from then on.
    let fd = unsafe {
        libc::openat(
            folder.as_raw_fd(),
            name.as_ptr(),
            flags,
            0o666 as libc::c_uint,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just opened, is valid and owned by nothing else.
    Ok(unsafe { File::from_raw_fd(fd) })
}

#[cfg(not(unix))]
fn create_new(target: &Path, _folder: Option<&File>) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(target)
}

fn failure(path: &Path, e: &io::Error) -> String {
    format!("{}: {e}", path.display())
}

/// One file. A name that does not exist yet (each result has its own) is created in place
/// with `O_EXCL`: no file of anyone else is touched, and the create costs one directory
/// operation instead of the two of a temporary file and a rename. An existing file (a folder
/// used again) is replaced through a temporary file and a rename, so a reader of it never
/// sees half of it. An attachment (`source`) is always copied to a temporary file first.
fn write_one(target: &Path, folder: Option<&File>, entry: &FileEntry) -> io::Result<()> {
    if let Some(source) = entry.source.as_deref().filter(|s| !s.is_empty()) {
        let tmp = temporary(target);
        fs::copy(source, &tmp)?;
        return fs::rename(&tmp, target);
    }
    let bytes = content(entry)?;
    match create_new(target, folder) {
        Ok(file) => write_all(file, &bytes),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            let tmp = temporary(target);
            write_all(File::create(&tmp)?, &bytes)?;
            fs::rename(&tmp, target)
        }
        Err(e) => Err(e),
    }
}

fn write_all(mut file: File, bytes: &[u8]) -> io::Result<()> {
    file.write_all(bytes)
}

/// The bytes of a file given as text (UTF-8) or as base64.
fn content(entry: &FileEntry) -> io::Result<std::borrow::Cow<'_, [u8]>> {
    match entry.encoding.as_deref() {
        Some("base64") => base64::engine::general_purpose::STANDARD
            .decode(&entry.content)
            .map(Into::into)
            .map_err(|e| io::Error::new(ErrorKind::InvalidData, format!("invalid base64: {e}"))),
        _ => Ok(entry.content.as_bytes().into()),
    }
}

/// `<target>.<pid>.tmp`: beside the target (a rename stays in one file system), and per
/// process (two processes writing into one folder never share a temporary file).
fn temporary(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(format!(".{}.tmp", std::process::id()));
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, content: &str, encoding: Option<&str>) -> FileEntry {
        FileEntry {
            path: path.to_owned(),
            content: content.to_owned(),
            source: None,
            encoding: encoding.map(str::to_owned),
        }
    }

    fn folder(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("testrelay-files-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn writes_text_base64_copies_and_replaces() {
        let dir = folder("all");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("run.json"), "old, longer than the new").unwrap();
        let source = dir.join("source.bin");
        fs::write(&source, b"\x00\x01").unwrap();
        let write_action = FileWrite {
            purpose: "write_report".into(),
            request_id: 1,
            dir: dir.to_string_lossy().into_owned(),
            files: vec![
                entry("results/a.json", "{\"a\":1}", None),
                entry("attachments/b.txt", "aGk=", Some("base64")),
                FileEntry {
                    source: Some(source.to_string_lossy().into_owned()),
                    ..entry("attachments/c.bin", "", None)
                },
                entry("run.json", "new", None),
            ],
        };
        write(&write_action).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("results/a.json")).unwrap(),
            "{\"a\":1}"
        );
        assert_eq!(
            fs::read_to_string(dir.join("attachments/b.txt")).unwrap(),
            "hi"
        );
        assert_eq!(
            fs::read(dir.join("attachments/c.bin")).unwrap(),
            b"\x00\x01"
        );
        assert_eq!(fs::read_to_string(dir.join("run.json")).unwrap(), "new");
        let left: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "temporary files left: {left:?}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failure_names_the_file() {
        let dir = folder("fail");
        fs::create_dir_all(&dir).unwrap();
        let write_action = FileWrite {
            purpose: "write_report".into(),
            request_id: 2,
            dir: dir.to_string_lossy().into_owned(),
            files: vec![entry("x.bin", "not base64!", Some("base64"))],
        };
        let message = write(&write_action).unwrap_err();
        assert!(
            message.contains("x.bin") && message.contains("base64"),
            "{message}"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}

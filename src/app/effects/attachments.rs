//! Attachments out of the store: saved into a folder under a safe name that never replaces a file
//! already there, or written to a private temporary folder and handed to the system's opener.

use crate::app::model::message::Msg;
use crate::store::{Store, StoreError};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What opens a file the way the desktop would.
pub const SYSTEM_OPENER: &str = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };

/// How long an opener is waited for before the console says it opened the file.
const OPENER_GRACE: std::time::Duration = std::time::Duration::from_millis(300);

/// Longest file name written, in bytes (most file systems allow 255).
const MAX_NAME: usize = 200;

/// The download folder (`XDG_DOWNLOAD_DIR` and the like), else the home folder, else here.
pub fn download_dir() -> PathBuf {
    let dirs = directories::UserDirs::new();
    let download = dirs.as_ref().and_then(|d| d.download_dir().map(Path::to_path_buf));
    download.or_else(|| dirs.as_ref().map(|d| d.home_dir().to_path_buf())).unwrap_or_else(|| PathBuf::from("."))
}

/// Save attachment `id` into `folder`.
pub fn save(store: &Store, id: i64, folder: &Path) -> Result<Msg, StoreError> {
    let (info, bytes) = store.attachment(id)?;
    Ok(match write_new(folder, &safe_file_name(&info.name), &bytes) {
        Ok(path) => Msg::AttachmentSaved { path },
        Err(e) => Msg::Failed(format!("could not save {} in {}: {e}", info.name, folder.display())),
    })
}

/// Write attachment `id` to a private temporary folder and start `opener` on it, its output kept
/// off the terminal.
pub fn open(store: &Store, id: i64, opener: &str, answers: &std::sync::mpsc::Sender<Msg>) -> Result<Msg, StoreError> {
    let (info, bytes) = store.attachment(id)?;
    let written = private_folder().and_then(|folder| write_new(&folder, &safe_file_name(&info.name), &bytes));
    let path = match written {
        Ok(path) => path,
        Err(e) => return Ok(Msg::Failed(format!("could not write {} to open it: {e}", info.name))),
    };
    Ok(run_opener(opener, &path, info.name, answers))
}

/// Start `opener` on `path`. One that fails at once (no such program, no application for the
/// type) says so in the answer; one still running after a moment is watched, and a failure is
/// told when it exits.
fn run_opener(opener: &str, path: &Path, name: String, answers: &std::sync::mpsc::Sender<Msg>) -> Msg {
    // As with $EDITOR: the command may have arguments; the file is one argument of its own.
    let child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{opener} \"$1\""))
        .arg("sh")
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => return Msg::Failed(format!("could not start {opener}: {e}")),
    };
    let started = std::time::Instant::now();
    while started.elapsed() < OPENER_GRACE {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(Some(status)) => return Msg::Failed(format!("{opener} could not open {name} ({status})")),
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(10)),
            Err(e) => return Msg::Failed(format!("{opener} on {name}: {e}")),
        }
    }
    let (tx, file, command) = (answers.clone(), name.clone(), opener.to_string());
    std::thread::spawn(move || match child.wait() {
        Ok(status) if status.success() => {}
        Ok(status) => {
            let _ = tx.send(Msg::Failed(format!("{command} could not open {file} ({status})")));
        }
        Err(e) => tracing::warn!(%e, "waiting for the opener"),
    });
    Msg::AttachmentOpened { name, with: opener.to_string() }
}

/// A folder only this user can read, for files handed to the opener.
fn private_folder() -> std::io::Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    let folder = std::env::temp_dir().join(format!("frontdesk-{uid}"));
    match std::fs::DirBuilder::new().mode(0o700).create(&folder) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(&folder)?;
    if !meta.is_dir() || meta.uid() != uid || meta.mode() & 0o077 != 0 {
        return Err(std::io::Error::other(format!("{} is not a private folder of this user", folder.display())));
    }
    Ok(folder)
}

/// Write `bytes` as a new file named `name` in `folder`, or `name (2)`, `name (3)`… when that is
/// taken: a file already there is never replaced. A half-written file is removed.
pub fn write_new(folder: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    for n in 1..=1000 {
        let candidate = if n == 1 { name.to_string() } else { format!("{stem} ({n}){ext}") };
        let path = folder.join(candidate);
        let file = OpenOptions::new().write(true).create_new(true).open(&path);
        match file {
            Ok(file) => return write_all(file, &path, bytes).map(|()| path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(format!("a thousand files called {name} are there already")))
}

fn write_all(mut file: File, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if written.is_err() {
        let _ = std::fs::remove_file(path);
    }
    written
}

/// A file name from a mail made safe to write: its last path part only, no control or invisible
/// format characters, no leading dot (no `..`, no hidden file), not too long; `attachment` when
/// nothing is left.
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    // The sanitizer shows controls as `^[` and format characters as `<U+202E>`: keep neither.
    let clean: String = last
        .chars()
        .map(|c| if c.is_control() || shown_as_code(c) { '_' } else { c })
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .trim()
        .to_string();
    let mut clean = if clean.is_empty() { "attachment".to_string() } else { clean };
    while clean.len() > MAX_NAME {
        // Cut from the end of the stem, keeping the extension.
        let cut = match clean.rsplit_once('.') {
            Some((stem, _)) if stem.len() > 1 && clean.len() - stem.len() < 20 => stem.len() - 1,
            _ => clean.len() - 1,
        };
        let mut at = cut;
        while !clean.is_char_boundary(at) {
            at -= 1;
        }
        clean.remove(at);
    }
    clean
}

/// Characters `for_display_line` would spell out (bidi controls, zero-width ones): never in a name.
fn shown_as_code(c: char) -> bool {
    let mut buf = [0u8; 4];
    crate::domain::text::for_display_line(c.encode_utf8(&mut buf)).starts_with("<U+")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_mail_lose_paths_controls_and_leading_dots() {
        assert_eq!(safe_file_name("invoice.pdf"), "invoice.pdf");
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("..\\..\\boot.ini"), "boot.ini");
        assert_eq!(safe_file_name(".."), "attachment");
        assert_eq!(safe_file_name(".bashrc"), "bashrc");
        assert_eq!(safe_file_name("/"), "attachment");
        assert_eq!(safe_file_name("evil\x1b[2J.txt"), "evil_[2J.txt");
        assert_eq!(safe_file_name("photo\u{202E}gpj.exe"), "photo_gpj.exe");
        assert_eq!(safe_file_name("new\nline.txt"), "new_line.txt");
        assert_eq!(safe_file_name("Núñez 東京.pdf"), "Núñez 東京.pdf");
        let long = format!("{}.pdf", "é".repeat(300));
        let cut = safe_file_name(&long);
        assert!(cut.len() <= MAX_NAME && cut.ends_with(".pdf"), "{cut}");
    }

    #[test]
    fn a_file_already_there_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("invoice.pdf"), b"mine").unwrap();
        let second = write_new(dir.path(), "invoice.pdf", b"theirs").unwrap();
        assert_eq!(second, dir.path().join("invoice (2).pdf"));
        let third = write_new(dir.path(), "invoice.pdf", b"again").unwrap();
        assert_eq!(third, dir.path().join("invoice (3).pdf"));
        assert_eq!(std::fs::read(dir.path().join("invoice.pdf")).unwrap(), b"mine");
        assert_eq!(std::fs::read(second).unwrap(), b"theirs");
        assert_eq!(write_new(dir.path(), "README", b"x").unwrap(), dir.path().join("README"));
        assert_eq!(write_new(dir.path(), "README", b"y").unwrap(), dir.path().join("README (2)"));
    }
}

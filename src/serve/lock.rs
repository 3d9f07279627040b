//! One service per desk: an exclusive `flock` on a file beside the database, which the kernel
//! releases however the process ends (even `kill -9`). The file says who holds it.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Held while the service runs; dropping it releases the desk.
pub struct DeskLock {
    _file: File,
    pub path: PathBuf,
}

/// Why the desk could not be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("the desk {db} is already served by {holder}; stop that one first (one service per desk)")]
    Held { db: String, holder: String },
    #[error("cannot open the service's lock file {path}: {source}")]
    Io { path: String, source: std::io::Error },
}

/// The lock file of the desk at `db`: `desk.db.serve-lock`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".serve-lock");
    db.with_file_name(name)
}

impl DeskLock {
    /// Take the desk's lock without waiting, and write `holder` (who we are) into it.
    pub fn take(db: &Path, holder: &str) -> Result<DeskLock, LockError> {
        let path = lock_path(db);
        let io = |source| LockError::Io { path: path.display().to_string(), source };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&path)
            .map_err(io)?;
        // SAFETY: flock on a descriptor we own; it has no memory effects.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            let error = std::io::Error::last_os_error();
            if error.raw_os_error() != Some(libc::EWOULDBLOCK) {
                return Err(io(error));
            }
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            let holder = match text.trim() {
                "" => "another process".to_string(),
                who => crate::domain::text::for_display_line(who).into_owned(),
            };
            return Err(LockError::Held { db: db.display().to_string(), holder });
        }
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        writeln!(file, "{holder}").map_err(io)?;
        Ok(DeskLock { _file: file, path })
    }
}

/// This machine's name, for the lock file and the service's row.
pub fn host_name() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is ours and its length is passed; gethostname NUL-terminates within it
    // or truncates, and we stop at the first NUL either way.
    let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    match (ok, String::from_utf8_lossy(&buf[..end]).trim()) {
        (true, name) if !name.is_empty() => name.to_string(),
        _ => "this host".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_names_the_first_holder_and_the_desk_is_free_after() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.db");
        let first = DeskLock::take(&db, "process 41 on alpha").unwrap();
        let second = DeskLock::take(&db, "process 42 on alpha").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(second.contains("already served by process 41 on alpha"), "{second}");
        drop(first);
        assert!(DeskLock::take(&db, "process 42 on alpha").is_ok());
    }
}

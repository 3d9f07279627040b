//! The database file itself: created for its owner only, never on a network filesystem.

use super::{Result, StoreError};
use std::path::Path;

/// Create the database file readable and writable by its owner only (SQLite gives its -wal and
/// -shm files the same mode). An existing file is left as it is.
pub(crate) fn create_private(path: &Path) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let created = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path);
    match created {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::Invalid(format!("cannot create the database {}: {e}", path.display()))),
    }
}

/// Make `path` readable and writable by its owner only.
pub(crate) fn owner_only(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| StoreError::Invalid(format!("cannot set the mode of {}: {e}", path.display())))
}

/// SQLite's locks do not work reliably over NFS or SMB: refuse a database there.
pub(crate) fn refuse_network_filesystem(path: &Path) -> Result<()> {
    let dir = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => dir,
        None => Path::new("."),
    };
    if let Some(kind) = network_filesystem(dir) {
        return Err(StoreError::Invalid(format!(
            "the database {} is on a network filesystem ({kind}), where SQLite's locking is unreliable and the desk could be corrupted; keep it on a local disk",
            path.display()
        )));
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn network_filesystem(dir: &Path) -> Option<&'static str> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut stat: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c_path` is a valid NUL-terminated string and `stat` a writable statfs.
    if unsafe { libc::statfs(c_path.as_ptr(), &mut stat) } != 0 {
        return None;
    }
    network_kind(stat.f_type as i64)
}

#[cfg(not(target_os = "linux"))]
fn network_filesystem(_dir: &Path) -> Option<&'static str> {
    None
}

/// The name of a network filesystem by its statfs magic number.
pub(crate) fn network_kind(magic: i64) -> Option<&'static str> {
    match magic as u32 {
        0x6969 => Some("NFS"),
        0x517B => Some("SMB"),
        0xFF53_4D42 => Some("CIFS"),
        0xFE53_4D42 => Some("SMB2"),
        _ => None,
    }
}

impl super::Store {
    /// Let the group `group` read and write the database (mode 0660, and its -wal and -shm files),
    /// for a desk shared by several logins.
    pub fn share_with_group(&self, group: &str) -> Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let name =
            std::ffi::CString::new(group).map_err(|_| StoreError::Invalid(format!("'{group}' is not a group name")))?;
        // SAFETY: `name` is NUL-terminated; the returned entry is read before any other call.
        let entry = unsafe { libc::getgrnam(name.as_ptr()) };
        if entry.is_null() {
            return Err(StoreError::Invalid(format!("there is no group named '{group}' on this machine")));
        }
        // SAFETY: `entry` is a valid group entry returned just above.
        let gid = unsafe { (*entry).gr_gid };
        let mut files = vec![self.path().to_path_buf()];
        for suffix in ["-wal", "-shm"] {
            let mut name = self.path().as_os_str().to_owned();
            name.push(suffix);
            files.push(name.into());
        }
        for file in files.iter().filter(|f| f.exists()) {
            std::os::unix::fs::chown(file, None, Some(gid)).map_err(|e| {
                StoreError::Invalid(format!("cannot give {} to the group '{group}': {e}", file.display()))
            })?;
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o660))
                .map_err(|e| StoreError::Invalid(format!("cannot set the mode of {}: {e}", file.display())))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn nfs_and_smb_are_named() {
        assert_eq!(super::network_kind(0x6969), Some("NFS"));
        assert_eq!(super::network_kind(0xFF53_4D42u32 as i64), Some("CIFS"));
        assert_eq!(super::network_kind(0xEF53), None, "ext4 is local");
    }
}

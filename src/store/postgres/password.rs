//! Where a PostgreSQL password comes from: the config's `password_command` (run, its first line
//! read), or the password file libpq reads (`PGPASSFILE`, else `~/.pgpass`). Never the config or
//! the URL themselves.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Run `command` with `sh -c` and take the first line it prints as the password.
pub fn from_command(command: &str) -> Result<String, String> {
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run [store] password_command: {e}"))?;
    if !output.status.success() {
        return Err(format!("[store] password_command failed ({}); no password to connect with", output.status));
    }
    let text =
        String::from_utf8(output.stdout).map_err(|_| "[store] password_command printed no UTF-8 text".to_string())?;
    let line = text.lines().next().unwrap_or("");
    if line.is_empty() {
        return Err("[store] password_command printed nothing; no password to connect with".into());
    }
    Ok(line.to_string())
}

/// The password file libpq would read: `PGPASSFILE`, else `~/.pgpass`.
pub fn password_file() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PGPASSFILE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|home| Path::new(&home).join(".pgpass"))
}

/// The password the file at `path` holds for this connection, if any. Like libpq, a file others
/// can read is ignored (with a warning in the log), and a missing file is no password.
pub fn from_file(path: &Path, host: &str, port: u16, dbname: &str, user: &str) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    if meta.permissions().mode() & 0o077 != 0 {
        tracing::warn!("{} is readable by others; not reading passwords from it (chmod 0600 it)", path.display());
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    lookup(&text, host, port, dbname, user)
}

/// The password of the first line of a `.pgpass` text matching the connection:
/// `hostname:port:database:username:password`, `*` matching anything, `\:` and `\\` escaped.
/// A connection over a Unix socket matches the hostname `localhost`, as in libpq.
pub fn lookup(text: &str, host: &str, port: u16, dbname: &str, user: &str) -> Option<String> {
    let port = port.to_string();
    let wanted = [host, &port[..], dbname, user];
    text.lines().filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty()).find_map(|line| {
        let fields = split_fields(line);
        if fields.len() != 5 {
            return None;
        }
        let matches = fields[..4].iter().zip(wanted).all(|(field, value)| field == "*" || field == value);
        matches.then(|| fields[4].clone())
    })
}

fn split_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().unwrap().push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    const PGPASS: &str = "# the desk's servers\n\
        db.example:5432:desk:ana:first\n\
        db.example:*:*:ana:second\n\
        localhost:5433:desk:bo:with\\:colon\\\\\n\
        *:*:*:*:fallback\n";

    #[test]
    fn the_first_matching_line_wins_with_wildcards_and_escapes() {
        assert_eq!(lookup(PGPASS, "db.example", 5432, "desk", "ana").as_deref(), Some("first"));
        assert_eq!(lookup(PGPASS, "db.example", 6432, "other", "ana").as_deref(), Some("second"));
        assert_eq!(lookup(PGPASS, "localhost", 5433, "desk", "bo").as_deref(), Some("with:colon\\"));
        assert_eq!(lookup(PGPASS, "elsewhere", 1, "x", "y").as_deref(), Some("fallback"));
        assert_eq!(lookup("db:1:d:u\n", "db", 1, "d", "u"), None, "a line of four fields is skipped");
        assert_eq!(lookup("", "db", 1, "d", "u"), None);
    }

    #[test]
    fn a_file_others_can_read_is_ignored() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pgpass");
        std::fs::write(&path, "*:*:*:*:secret\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(from_file(&path, "h", 5432, "d", "u"), None);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(from_file(&path, "h", 5432, "d", "u").as_deref(), Some("secret"));
        assert_eq!(from_file(&dir.path().join("missing"), "h", 5432, "d", "u"), None);
    }

    #[test]
    fn a_command_gives_its_first_line_and_a_failure_is_one_sentence() {
        assert_eq!(from_command("printf 'hunter2\\nrest\\n'").as_deref(), Ok("hunter2"));
        let e = from_command("exit 3").unwrap_err();
        assert!(e.starts_with("[store] password_command failed"), "{e}");
        assert!(from_command("true").unwrap_err().contains("printed nothing"));
    }
}

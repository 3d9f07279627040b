//! Writing a reply in the agent's `$EDITOR`, on a private temporary file.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::process::Command;

/// Edit `body` in `$VISUAL`/`$EDITOR` (default `vi`). `Ok(None)` when the file came back unchanged.
pub fn edit(body: &str) -> io::Result<Option<String>> {
    let path = temp_path();
    let mut file = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path)?;
    file.write_all(body.as_bytes())?;
    drop(file);
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|e| !e.trim().is_empty())
        .or_else(|| std::env::var("EDITOR").ok().filter(|e| !e.trim().is_empty()))
        .unwrap_or_else(|| "vi".to_string());
    let status = Command::new("sh")
        .arg("-c")
        .arg("$FRONTDESK_EDITOR \"$1\"")
        .arg("sh")
        .arg(&path)
        .env("FRONTDESK_EDITOR", editor)
        .status();
    let result = match status {
        Ok(s) if s.success() => std::fs::read_to_string(&path).map(|text| (text != body).then_some(text)),
        Ok(s) => Err(io::Error::other(format!("the editor exited with {s}; the draft is unchanged"))),
        Err(e) => Err(e),
    };
    let _ = std::fs::remove_file(&path);
    result
}

fn temp_path() -> PathBuf {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    std::env::temp_dir().join(format!("frontdesk-{}-{nanos}.txt", std::process::id()))
}

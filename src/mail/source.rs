//! Where mail comes from: `.eml` files, mbox files, Maildir folders (`cur/` and `new/`), stdin.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// One mail as read, with a label saying where it came from.
pub struct RawMail {
    pub source: String,
    pub bytes: Vec<u8>,
}

/// A path that could not be read, as one sentence.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {path}: {reason}")]
pub struct SourceError {
    pub path: PathBuf,
    pub reason: String,
}

fn error(path: &Path, reason: impl ToString) -> SourceError {
    SourceError { path: path.to_path_buf(), reason: reason.to_string() }
}

/// Feed every mail under `path` to `each`, one at a time (an mbox is streamed, never read whole).
/// `-` is one mail on stdin.
pub fn for_each_mail(path: &Path, each: &mut dyn FnMut(RawMail)) -> Result<(), SourceError> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map_err(|e| error(path, e))?;
        each(RawMail { source: "stdin".into(), bytes });
        return Ok(());
    }
    let meta = std::fs::metadata(path).map_err(|e| error(path, e))?;
    if meta.is_dir() {
        return maildir(path, each);
    }
    let mut file = File::open(path).map_err(|e| error(path, e))?;
    let mut head = [0u8; 5];
    let n = read_up_to(&mut file, &mut head).map_err(|e| error(path, e))?;
    let mut reader = BufReader::with_capacity(256 * 1024, (&head[..n]).chain(file));
    if &head[..n] == b"From " {
        return mbox(path, reader, each);
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    reader.read_to_end(&mut bytes).map_err(|e| error(path, e))?;
    each(RawMail { source: path.display().to_string(), bytes });
    Ok(())
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

fn mbox(path: &Path, reader: impl std::io::BufRead, each: &mut dyn FnMut(RawMail)) -> Result<(), SourceError> {
    for (i, message) in mail_parser::mailbox::mbox::MessageIterator::new(reader).enumerate() {
        let message = message.map_err(|e| error(path, e))?;
        each(RawMail { source: format!("{}#{}", path.display(), i + 1), bytes: message.unwrap_contents() });
    }
    Ok(())
}

/// A Maildir: `new/` then `cur/`, each in name order (names start with the delivery time).
fn maildir(path: &Path, each: &mut dyn FnMut(RawMail)) -> Result<(), SourceError> {
    let folders: Vec<PathBuf> = ["new", "cur"].iter().map(|f| path.join(f)).filter(|p| p.is_dir()).collect();
    if folders.is_empty() {
        return Err(error(path, "it is a folder but not a Maildir (no cur/ or new/ in it)"));
    }
    for folder in folders {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map_err(|e| error(&folder, e))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
            .collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).map_err(|e| error(&file, e))?;
            each(RawMail { source: file.display().to_string(), bytes });
        }
    }
    Ok(())
}

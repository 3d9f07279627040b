//! `frontdesk attachment save ID PATH`: write one attachment out.

use super::mail_view::AttachmentJson;
use super::output::write_json;
use super::CliError;
use crate::domain::text::for_display_line;
use crate::store::Store;
use clap::Subcommand;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum AttachmentCommand {
    /// Write an attachment (its id is shown under its message by `ticket show`) to a file.
    Save {
        id: i64,
        path: PathBuf,
        /// Replace the file when it exists.
        #[arg(long)]
        force: bool,
        /// Print the file written and the attachment, as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `attachment save --json`: the file written and the attachment in it.
#[derive(Debug, Serialize)]
struct SavedJson {
    file: String,
    bytes: usize,
    replaced: bool,
    message: i64,
    attachment: AttachmentJson,
}

pub fn run(store: &Store, cmd: AttachmentCommand, out: &mut dyn Write) -> Result<(), CliError> {
    match cmd {
        AttachmentCommand::Save { id, path, force, json } => {
            let (info, data) = store.attachment(id)?;
            let replaced = path.exists();
            if replaced && !force {
                return Err(CliError::Refused(format!(
                    "{} already exists; give --force to replace it",
                    path.display()
                )));
            }
            std::fs::write(&path, &data)
                .map_err(|e| CliError::Refused(format!("cannot write {}: {e}", path.display())))?;
            if json {
                let file = std::path::absolute(&path).unwrap_or_else(|_| path.clone()).display().to_string();
                let attachment = AttachmentJson {
                    id: info.id,
                    name: info.name,
                    content_type: info.content_type,
                    size: info.size,
                    inline: info.inline,
                };
                let saved = SavedJson { file, bytes: data.len(), replaced, message: info.message_id, attachment };
                return write_json(out, &saved);
            }
            writeln!(out, "saved {} ({} bytes) to {}", for_display_line(&info.name), data.len(), path.display())?;
            Ok(())
        }
    }
}

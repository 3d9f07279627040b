//! `frontdesk attachment save ID PATH`: write one attachment out.

use super::CliError;
use crate::domain::text::for_display_line;
use crate::store::Store;
use clap::Subcommand;
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
    },
}

pub fn run(store: &Store, cmd: AttachmentCommand, out: &mut dyn Write) -> Result<(), CliError> {
    match cmd {
        AttachmentCommand::Save { id, path, force } => {
            let (info, data) = store.attachment(id)?;
            if path.exists() && !force {
                return Err(CliError::Refused(format!(
                    "{} already exists; give --force to replace it",
                    path.display()
                )));
            }
            std::fs::write(&path, &data)
                .map_err(|e| CliError::Refused(format!("cannot write {}: {e}", path.display())))?;
            writeln!(out, "saved {} ({} bytes) to {}", for_display_line(&info.name), data.len(), path.display())?;
            Ok(())
        }
    }
}

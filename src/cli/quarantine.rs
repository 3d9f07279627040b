//! `frontdesk quarantine list|show|release`: mail that import refused.

use super::output::{rfc3339, write_json, Table};
use super::{import, CliError};
use crate::config::Config;
use crate::domain::mail::ImportOutcome;
use crate::domain::text::{for_display, for_display_line};
use crate::mail::{Importer, Limits};
use crate::store::Store;
use clap::Subcommand;
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum QuarantineCommand {
    /// Quarantined mail, oldest first.
    List {
        /// Released ones too.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Why a mail was quarantined, and its start (made safe to show).
    Show { id: i64 },
    /// Import it after all, without the size, depth and part limits.
    Release {
        id: i64,
        /// The sender to import it as, when its own is missing or unusable.
        #[arg(long, value_name = "ADDR")]
        from: Option<String>,
        /// Print the mail as `quarantine list --json` shows it and what its import did, as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Serialize)]
struct QuarantineJson {
    id: i64,
    reason: String,
    source: String,
    size: u64,
    created_at: String,
    released: bool,
}

impl From<&crate::store::QuarantinedMail> for QuarantineJson {
    fn from(q: &crate::store::QuarantinedMail) -> Self {
        QuarantineJson {
            id: q.id,
            reason: q.reason.clone(),
            source: q.source.clone(),
            size: q.size,
            created_at: rfc3339(q.created_at),
            released: q.released,
        }
    }
}

pub fn run(store: &Store, config: &Config, cmd: QuarantineCommand, out: &mut dyn Write) -> Result<(), CliError> {
    match cmd {
        QuarantineCommand::List { all, json } => list(store, all, json, out),
        QuarantineCommand::Show { id } => show(store, id, out),
        QuarantineCommand::Release { id, from, json } => release(store, config, (id, json), from.as_deref(), out),
    }
}

fn list(store: &Store, all: bool, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let rows = store.quarantined(all)?;
    if json {
        let rows: Vec<_> = rows.iter().map(QuarantineJson::from).collect();
        return write_json(out, &rows);
    }
    let mut table = Table::new(&["ID", "SIZE", "WHEN", "SOURCE", "REASON"]);
    for q in &rows {
        let when = crate::domain::when::agent_zone().format(q.created_at, "%Y-%m-%d %H:%M");
        let reason = if q.released { format!("{} (released)", q.reason) } else { q.reason.clone() };
        table.row(vec![q.id.to_string(), q.size.to_string(), when, q.source.clone(), reason]);
    }
    Ok(table.write(out)?)
}

/// Lines of the raw mail shown by `show`: enough to see what it is.
const SHOWN_LINES: usize = 60;

fn show(store: &Store, id: i64, out: &mut dyn Write) -> Result<(), CliError> {
    let (q, raw) = store.quarantined_mail(id)?;
    writeln!(out, "quarantined mail {} · {} bytes · from {}", q.id, q.size, for_display_line(&q.source))?;
    writeln!(out, "reason: {}", for_display_line(&q.reason))?;
    if q.released {
        writeln!(out, "released")?;
    }
    writeln!(out)?;
    let head = String::from_utf8_lossy(&raw[..raw.len().min(64 * 1024)]).into_owned();
    for line in for_display(&head).lines().take(SHOWN_LINES) {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

fn release(
    store: &Store,
    config: &Config,
    (id, json): (i64, bool),
    from: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    if let Some(from) = from.filter(|f| !crate::domain::is_mail_address(&crate::mail::sender::normalize(f))) {
        return Err(CliError::Refused(format!("--from '{}' is not an email address", for_display_line(from))));
    }
    let (q, raw) = store.quarantined_mail(id)?;
    if q.released {
        return Err(CliError::Refused(format!("quarantined mail {id} was already released")));
    }
    let mut importer = Importer::new(store, config);
    importer.limits = Limits::none();
    match importer.import_from(&raw, &q.source, from)? {
        ImportOutcome::Quarantined { reason, .. } => Err(CliError::Refused(format!(
            "quarantined mail {id} still cannot be imported: {}",
            for_display_line(&reason)
        ))),
        outcome => {
            store.mark_released(id)?;
            if json {
                #[derive(Serialize)]
                struct Released {
                    quarantine: QuarantineJson,
                    import: import::ImportJson,
                }
                let (q, _) = store.quarantined_mail(id)?;
                let import = import::to_json(q.source.clone(), &outcome);
                return write_json(out, &Released { quarantine: QuarantineJson::from(&q), import });
            }
            writeln!(out, "released {id}: {}", import::describe(&outcome))?;
            Ok(())
        }
    }
}

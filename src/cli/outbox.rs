//! `frontdesk outbox list|flush`: replies waiting to leave as mail.

use super::output::{rfc3339, write_json, Table};
use super::CliError;
use crate::domain::text::for_display_line;
use crate::mail::outbound::Outbound;
use crate::store::Store;
use clap::Subcommand;
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Replies not yet delivered, with the error that held them back.
    List {
        /// Delivered ones too.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Try to deliver every waiting reply again.
    Flush {
        /// Print each reply tried, as `outbox list --json` shows it after the try.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Serialize)]
struct OutboxJson {
    id: i64,
    ticket: i64,
    message: i64,
    recipient: String,
    attempts: i64,
    error: Option<String>,
    created_at: String,
    sent_at: Option<String>,
    /// When the desk service tries it next (unsent ones; null for one due now).
    next_try_at: Option<String>,
}

impl From<&crate::store::OutboxEntry> for OutboxJson {
    fn from(e: &crate::store::OutboxEntry) -> Self {
        OutboxJson {
            id: e.id,
            ticket: e.ticket_id,
            message: e.message_id,
            recipient: e.recipient.clone(),
            attempts: e.attempts,
            error: e.last_error.clone(),
            created_at: rfc3339(e.created_at),
            sent_at: e.sent_at.map(rfc3339),
            next_try_at: e.next_try_at.filter(|_| e.sent_at.is_none()).map(rfc3339),
        }
    }
}

pub fn run(
    store: &Store,
    outbound: Option<&Outbound>,
    cmd: OutboxCommand,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match cmd {
        OutboxCommand::List { all, json } => list(store, all, json, out),
        OutboxCommand::Flush { json } => {
            let Some(outbound) = outbound else {
                return Err(CliError::Refused(
                    "no mail is sent: the config has no [mail.outbound] section (see config.example.toml)".into(),
                ));
            };
            let results = outbound.flush(store)?;
            let failed = results.iter().filter(|(_, r)| r.is_err()).count();
            if json {
                let tried: Vec<i64> = results.iter().map(|(e, _)| e.id).collect();
                let rows = store.outbox(true)?;
                let rows: Vec<OutboxJson> =
                    rows.iter().filter(|e| tried.contains(&e.id)).map(OutboxJson::from).collect();
                write_json(out, &rows)?;
                return match failed {
                    0 => Ok(()),
                    n => Err(CliError::Refused(format!("{n} replies could not be delivered; they stay in the outbox"))),
                };
            }
            for (entry, result) in &results {
                match result {
                    Ok(()) => {
                        writeln!(out, "sent reply {} on #{} to {}", entry.message_id, entry.ticket_id, entry.recipient)?
                    }
                    Err(e) => writeln!(
                        out,
                        "not sent: reply {} on #{}: {}",
                        entry.message_id,
                        entry.ticket_id,
                        for_display_line(e)
                    )?,
                }
            }
            writeln!(out, "{} sent, {failed} still waiting", results.len() - failed)?;
            match failed {
                0 => Ok(()),
                n => Err(CliError::Refused(format!("{n} replies could not be delivered; they stay in the outbox"))),
            }
        }
    }
}

fn list(store: &Store, all: bool, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let rows = store.outbox(all)?;
    if json {
        let rows: Vec<_> = rows.iter().map(OutboxJson::from).collect();
        return write_json(out, &rows);
    }
    let mut table = Table::new(&["ID", "TICKET", "TO", "TRIES", "NEXT TRY", "STATE"]);
    for e in &rows {
        let state = match (&e.sent_at, &e.last_error) {
            (Some(_), _) => "sent".to_string(),
            (None, Some(error)) => format!("not sent: {}", for_display_line(error)),
            (None, None) => "waiting".to_string(),
        };
        let next = match (e.sent_at, e.next_try_at) {
            (Some(_), _) => "—".to_string(),
            (None, Some(at)) if at > chrono::Utc::now() => {
                crate::domain::when::agent_zone().format(at, "%Y-%m-%d %H:%M")
            }
            (None, _) => "now".to_string(),
        };
        table.row(vec![
            e.id.to_string(),
            format!("#{}", e.ticket_id),
            for_display_line(&e.recipient).into_owned(),
            e.attempts.to_string(),
            next,
            state,
        ]);
    }
    Ok(table.write(out)?)
}

//! `frontdesk mailbox check NAME`: read one `[[mail.inbound]]` mailbox once, as the service does.

use super::import::{count, describe, index_for_search, summary_line, to_json, ImportJson, Summary};
use super::output::write_json;
use super::CliError;
use crate::config::Config;
use crate::domain::text::for_display_line;
use crate::mail::inbound::poll_once;
use crate::store::Store;
use clap::Subcommand;
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum MailboxCommand {
    /// Log in to the mailbox NAME, import its new mail, mark it as the config says, log out.
    Check {
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Serialize)]
struct CheckJson {
    mailbox: String,
    uidvalidity: u32,
    started_over: bool,
    results: Vec<ImportJson>,
    summary: Summary,
}

pub fn run(store: &Store, config: &Config, command: MailboxCommand, out: &mut dyn Write) -> Result<(), CliError> {
    let MailboxCommand::Check { name, json } = command;
    let inbound = config.mail.as_ref().map(|m| m.inbound.as_slice()).unwrap_or_default();
    let Some(mailbox) = inbound.iter().find(|m| m.name == name) else {
        let known: Vec<&str> = inbound.iter().map(|m| m.name.as_str()).collect();
        let known = if known.is_empty() { "none are configured".to_string() } else { known.join(", ") };
        return Err(CliError::Refused(format!("there is no [[mail.inbound]] mailbox named \"{name}\" ({known})")));
    };
    store.prepare_for_import()?;
    let outcome = poll_once(store, config, mailbox).map_err(|e| CliError::Refused(e.to_string()))?;
    index_for_search(store);
    let mut summary = Summary::default();
    let mut results = Vec::new();
    if outcome.started_over && !json {
        writeln!(out, "{name}: the server's UIDVALIDITY changed; the folder was read again from the start")?;
    }
    for (uid, imported) in &outcome.imported {
        count(&mut summary, imported);
        let source = format!("imap:{name}/{uid}");
        if !json {
            writeln!(out, "{}: {}", for_display_line(&source), describe(imported))?;
        }
        results.push(to_json(source, imported));
    }
    if json {
        let report = CheckJson {
            mailbox: name,
            uidvalidity: outcome.uidvalidity,
            started_over: outcome.started_over,
            results,
            summary,
        };
        write_json(out, &report)?;
    } else {
        writeln!(out, "{}", summary_line(&summary))?;
    }
    Ok(())
}

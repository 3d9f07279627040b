//! `frontdesk audit`: the desk's history, oldest first, one change a line: the tickets' events and
//! the audit log of customers, agents and deletions, together.

use super::output::rfc3339;
use super::CliError;
use crate::domain::audit::{parse_bound, AuditEntry, AuditQuery, Source, SubjectKind};
use crate::domain::text::for_display_line;
use crate::domain::when::Zone;
use crate::domain::Timestamp;
use crate::store::{Store, StoreError};
use serde::Serialize;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Only what happened at or after TIME: 2026-12-01, "2026-12-01 09:30", today, yesterday,
    /// 7d (a week ago), 12h, or an RFC 3339 time; in your time zone.
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only what happened before TIME (as for --since).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Only what LOGIN did (or `mail`, `rule:tier-priority`).
    #[arg(long, value_name = "LOGIN")]
    pub who: Option<String>,
    /// The whole story of ticket N: created, every change, messages added, merges, deletion.
    #[arg(long, value_name = "N")]
    pub ticket: Option<i64>,
    /// The whole story of customer N: their changes and merges, and their tickets' stories.
    #[arg(long, value_name = "N")]
    pub customer: Option<i64>,
    /// An array of objects, times in UTC (RFC 3339).
    #[arg(long)]
    pub json: bool,
}

/// The zone human times are shown and read in (`ui.time_zone`, else the machine's).
fn zone() -> Zone {
    crate::domain::when::agent_zone()
}

pub fn run(store: &Store, args: &AuditArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let zone = zone();
    let query = query(args, chrono::Utc::now(), zone)?;
    let mut count = 0usize;
    if args.json {
        write!(out, "[")?;
    }
    let mut failed = None;
    let listed = store.audit_trail(&query, &mut |entry| {
        let written = if args.json { write_json(out, &entry, count) } else { write_line(out, &entry, zone) };
        count += 1;
        // Stop reading at the first failed write (a reader that went away); reported below.
        written.map_err(|e| {
            failed = Some(e);
            StoreError::Invalid("the output failed".into())
        })
    });
    if let Some(e) = failed {
        return Err(CliError::Output(e));
    }
    listed?;
    if args.json {
        writeln!(out, "{}]", if count > 0 { "\n" } else { "" })?;
        return Ok(());
    }
    if count == 0 {
        nothing_found(store, &query)?;
        writeln!(out, "nothing in the history matches")?;
    }
    Ok(())
}

fn query(args: &AuditArgs, now: Timestamp, zone: Zone) -> Result<AuditQuery, CliError> {
    let bound = |flag: &str, text: &Option<String>| {
        text.as_deref()
            .map(|t| parse_bound(t, now, zone).map_err(|problem| CliError::Refused(format!("{flag}: {problem}"))))
            .transpose()
    };
    let (since, until) = (bound("--since", &args.since)?, bound("--until", &args.until)?);
    if let Some((since, until)) = since.zip(until).filter(|(s, u)| s >= u) {
        return Err(CliError::Refused(format!(
            "--since ({}) is not before --until ({}): nothing can match",
            zone.full(since),
            zone.full(until)
        )));
    }
    let who = args.who.as_deref().map(str::trim).filter(|w| !w.is_empty()).map(String::from);
    if args.who.is_some() && who.is_none() {
        return Err(CliError::Refused("--who needs a login".into()));
    }
    Ok(AuditQuery { since, until, who, ticket: args.ticket, customer: args.customer })
}

/// When nothing matched a ticket or customer that never existed, say so rather than print nothing.
fn nothing_found(store: &Store, query: &AuditQuery) -> Result<(), CliError> {
    if let Some(Err(e @ StoreError::TicketNotFound(_))) = query.ticket.map(|id| store.ticket(id)) {
        return Err(e.into());
    }
    if let Some(Err(e @ StoreError::CustomerNotFound(_))) = query.customer.map(|id| store.customer(id)) {
        return Err(e.into());
    }
    Ok(())
}

fn write_line(out: &mut dyn Write, e: &AuditEntry, zone: Zone) -> std::io::Result<()> {
    writeln!(
        out,
        "{}  {}  {}  {}",
        local_time(e.at, zone),
        for_display_line(&e.actor),
        for_display_line(&e.subject_label()),
        for_display_line(&e.change())
    )
}

/// `2026-12-01 15:04:05 CET`: to the second, as an audit needs.
fn local_time(t: Timestamp, zone: Zone) -> String {
    zone.format(t, "%Y-%m-%d %H:%M:%S %Z")
}

/// One entry of `audit --json`.
#[derive(Debug, Serialize)]
pub struct EntryJson<'a> {
    /// `event` (a ticket's event log) or `audit` (the audit log).
    source: &'static str,
    id: i64,
    at: String,
    actor: &'a str,
    /// `ticket`, `customer`, `agent`, `organization` or `config`.
    subject_kind: &'static str,
    /// The ticket's, customer's or organization's number, the agent's login, null for the config.
    subject: serde_json::Value,
    field: &'a str,
    old: Option<&'a str>,
    new: Option<&'a str>,
}

fn write_json(out: &mut dyn Write, e: &AuditEntry, count: usize) -> std::io::Result<()> {
    write!(out, "{}\n  ", if count > 0 { "," } else { "" })?;
    serde_json::to_writer(&mut *out, &entry_json(e))?;
    Ok(())
}

/// The entry as `audit --json` prints it.
pub fn entry_json(e: &AuditEntry) -> EntryJson<'_> {
    let subject = match e.kind {
        SubjectKind::Config => serde_json::Value::Null,
        SubjectKind::Agent => e.subject.clone().into(),
        _ => e.subject.parse::<i64>().map_or_else(|_| e.subject.clone().into(), Into::into),
    };
    EntryJson {
        source: if e.source == Source::Event { "event" } else { "audit" },
        id: e.id,
        at: rfc3339(e.at),
        actor: &e.actor,
        subject_kind: e.kind.as_str(),
        subject,
        field: &e.field,
        old: e.old.as_deref(),
        new: e.new.as_deref(),
    }
}

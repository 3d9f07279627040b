//! `frontdesk ticket undo N`: the last change to a ticket reverted, as the console's `u` does,
//! and the `status_change` rules an undone status fires (never one that would redo the undo).

use super::customer_care::{rules_of, say_fired, CareSettings};
use super::output::{write_json, EventJson, TicketJson};
use super::ticket_set::ticket_line;
use super::CliError;
use crate::domain::{undo, Agent};
use crate::mail::outbound::Outbound;
use crate::store::Store;
use clap::Args;
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Args)]
pub struct UndoArgs {
    id: i64,
    /// Undo only if the ticket is still at this version (the `version` of `ticket show --json`):
    /// a change since then is a conflict (exit 3) and nothing is undone.
    #[arg(long, value_name = "V")]
    expect_version: Option<i64>,
    #[arg(long)]
    json: bool,
}

/// `ticket undo --json`: the ticket as the undo left it, the write that was reverted, in words and
/// as its events, and the other ticket of an undone merge.
#[derive(Debug, Serialize)]
struct UndoJson {
    ticket: TicketJson,
    undone: String,
    events: Vec<EventJson>,
    other_ticket: Option<i64>,
}

pub fn run(
    store: &Store,
    agent: &Agent,
    args: UndoArgs,
    (settings, outbound): (&CareSettings, Option<&Outbound>),
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let before = store.ticket(args.id)?.status;
    let done = store.undo_last(args.id, &agent.login, args.expect_version)?;
    let fired = rules_of(settings, outbound).after_undo(store, &done, before)?;
    if args.json {
        // What the rules did goes to stderr, so stdout stays one JSON document.
        say_fired(&fired, &mut std::io::stderr())?;
        let json = UndoJson {
            ticket: TicketJson::from(&done.ticket),
            undone: undo::reverted(&done.undone),
            events: done.undone.iter().map(EventJson::from).collect(),
            other_ticket: done.other,
        };
        return write_json(out, &json);
    }
    let by = done.undone.first().map(|e| crate::domain::text::for_display_line(&e.actor).into_owned());
    writeln!(out, "{} (the change by {})", done.sentence(), by.unwrap_or_else(|| "someone".into()))?;
    if let Some(other) = done.other {
        writeln!(out, "{}", ticket_line(&store.ticket(other)?))?;
    }
    writeln!(out, "{}", ticket_line(&done.ticket))?;
    say_fired(&fired, out)
}

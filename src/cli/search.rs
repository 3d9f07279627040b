//! `frontdesk search QUERY`: full-text search with filters.

use super::output::{ticket_table, write_json, TicketJson};
use super::CliError;
use crate::domain::search::SearchQuery;
use crate::domain::search::SearchResults;
use crate::domain::Agent;
use crate::store::Store;
use chrono::Utc;
use serde::Serialize;
use std::io::{IsTerminal, Write};

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Words, "phrases", prefix*, #N, and filters from: status: priority: tag: assignee: before: after:
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// At most this many tickets (newest first).
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct SearchJson {
    query: String,
    tickets: Vec<TicketJson>,
    /// More tickets match than were listed.
    more: bool,
    /// The search stopped at its time budget; older matches may exist.
    stopped_early: bool,
}

pub fn run(store: &mut Store, agent: &Agent, args: &SearchArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let text = args.query.join(" ");
    let query = SearchQuery::parse(&text, crate::domain::when::agent_zone()).map_err(CliError::Refused)?;
    if query.is_empty() {
        return Err(CliError::Refused(format!("\"{text}\" has nothing to search for: give a word or a filter")));
    }
    if !query.terms.is_empty() {
        build_index(store)?;
    }
    let results = store.search(&query, &agent.login, args.limit)?;
    if args.json {
        let SearchResults { tickets, more, stopped_early, .. } = results;
        let tickets = tickets.iter().map(TicketJson::from).collect();
        return write_json(out, &SearchJson { query: text, tickets, more, stopped_early });
    }
    if results.tickets.is_empty() {
        writeln!(out, "no tickets match")?;
    } else {
        ticket_table(&results.tickets, Utc::now()).write(out)?;
    }
    if results.stopped_early {
        writeln!(out, "the search stopped early: older tickets may match too; refine your search")?;
    } else if results.more {
        writeln!(out, "more tickets match: refine your search or raise --limit")?;
    }
    Ok(())
}

/// The first search on a desk made before search existed builds its index (once).
fn build_index(store: &Store) -> Result<(), CliError> {
    let show = std::io::stderr().is_terminal();
    let mut shown = false;
    store.build_search_index(&mut |p| {
        if show {
            shown = true;
            eprint!("\rbuilding the search index: {} of {} tickets", p.total - p.pending, p.total);
        }
    })?;
    if shown {
        eprintln!("\rbuilding the search index: done{:30}", "");
    }
    Ok(())
}

//! A text search narrowed by its filters before it reads tickets. Searching words that match
//! many tickets with a filter that few of them pass (`invoice assignee:none`) read the ticket of
//! every match, newest first, until enough passed: at a million tickets, a hundred thousand
//! reads. A filter with an index of its own (assignee, tag, an active status, priority) gives
//! the set of ids it passes; the text index's matches are checked against that set before their
//! ticket is read, and only those that are in it are read.

use super::Result;
use crate::domain::search::{Assignee, SearchQuery};
use crate::domain::{Priority, Status};
use rusqlite::{params_from_iter, Connection};

/// Sets larger than this are not built: reading the set then costs more than reading the
/// tickets of the matches it saves (every ticket of an agent, every solved one), and a filter
/// that many tickets pass lets a search find its hits among the newest matches anyway.
pub const SET_UP_TO: usize = 20_000;

/// One filter's ids, read from its index: the SQL and its parameters.
struct IdSet {
    sql: String,
    params: Vec<String>,
}

impl IdSet {
    fn new(sql: impl Into<String>, params: Vec<String>) -> IdSet {
        IdSet { sql: sql.into(), params }
    }
}

/// The sets a query's filters have an index for. The filter terms stay in the search's own
/// `WHERE` as well: a set only says which matches are worth reading.
fn sets(query: &SearchQuery, me: &str) -> Vec<IdSet> {
    let mut out = Vec::new();
    match &query.assignee {
        None => {}
        Some(Assignee::Nobody) => out.push(IdSet::new("SELECT id FROM tickets WHERE assignee IS NULL", vec![])),
        Some(Assignee::Me) => out.push(IdSet::new("SELECT id FROM tickets WHERE assignee = ?", vec![me.into()])),
        Some(Assignee::Login(login)) => {
            out.push(IdSet::new("SELECT id FROM tickets WHERE assignee = ?", vec![login.clone()]))
        }
    }
    for tag in &query.tags {
        out.push(IdSet::new("SELECT ticket_id FROM ticket_tags WHERE tag = ?", vec![tag.clone()]));
    }
    // The active tickets' own index holds every active status: its whole range, as its WHERE reads.
    let active = |s: &Status| matches!(s, Status::New | Status::Open | Status::Pending | Status::OnHold);
    if !query.statuses.is_empty() && query.statuses.iter().all(active) {
        out.push(IdSet::new(
            "SELECT id FROM tickets INDEXED BY tickets_active_by_updated
             WHERE status NOT IN ('solved', 'closed')",
            vec![],
        ));
    }
    if !query.priorities.is_empty() {
        // As tickets_by_priority writes its expression, so SQLite reads that index.
        let ranks: Vec<String> = query.priorities.iter().map(|p| priority_rank(*p).to_string()).collect();
        out.push(IdSet::new(
            format!(
                "SELECT id FROM tickets WHERE (CASE priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 \
                 WHEN 'normal' THEN 1 ELSE 0 END) IN ({})",
                ranks.join(", ")
            ),
            vec![],
        ));
    }
    out
}

/// Terms that check the text index's matches (`s`) against each filter's set, for the sets of
/// at most `up_to` ids; their parameters go to `params` in the order of the terms.
pub(super) fn narrowing_terms(
    conn: &Connection,
    query: &SearchQuery,
    me: &str,
    up_to: usize,
    terms: &mut Vec<String>,
    params: &mut Vec<Box<dyn rusqlite::ToSql>>,
) -> Result<()> {
    if query.terms.is_empty() {
        return Ok(());
    }
    for set in sets(query, me) {
        let count = format!("SELECT count(*) FROM ({} LIMIT {})", set.sql, up_to + 1);
        let size: i64 = conn.prepare_cached(&count)?.query_row(params_from_iter(set.params.iter()), |r| r.get(0))?;
        if size as usize <= up_to {
            // `+` keeps SQLite from handing the set to the text index as rowids to look up one by one.
            terms.push(format!("+s.rowid IN ({})", set.sql));
            params.extend(set.params.into_iter().map(|p| Box::new(p) as Box<dyn rusqlite::ToSql>));
        }
    }
    Ok(())
}

/// A priority's rank in tickets_by_priority's expression.
fn priority_rank(priority: Priority) -> u8 {
    match priority {
        Priority::Urgent => 3,
        Priority::High => 2,
        Priority::Normal => 1,
        Priority::Low => 0,
    }
}

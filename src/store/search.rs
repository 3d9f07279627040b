//! Full-text search over the `ticket_search` FTS5 index, and building that index for tickets that
//! predate it.

use super::created_bounds;
use super::rows::{self, TICKET_COLUMNS};
use super::search_terms;
use super::{to_millis, Result, Store};
use crate::domain::search::{Assignee, SearchQuery};
use crate::domain::search::{IndexProgress, SearchResults};
use crate::domain::Ticket;
use rusqlite::{params, params_from_iter, ToSql};
use std::time::{Duration, Instant};

/// How long one search may work before it stops and asks the agent to refine it.
pub const SEARCH_BUDGET: Duration = Duration::from_millis(250);

/// How many tickets one step of the index build takes (one short write transaction each).
pub const INDEX_BATCH: usize = 2_000;

impl Store {
    /// Tickets not yet in the search index, or `None` when every ticket is.
    pub fn search_index_pending(&self) -> Result<Option<IndexProgress>> {
        let pending: i64 = self.conn.query_row(
            "SELECT count(*) FROM tickets WHERE id < (SELECT pending_below FROM search_state)",
            [],
            |r| r.get(0),
        )?;
        if pending == 0 {
            return Ok(None);
        }
        let total: i64 = self.conn.query_row("SELECT count(*) FROM tickets", [], |r| r.get(0))?;
        Ok(Some(IndexProgress { pending: pending as u64, total: total as u64 }))
    }

    /// Index the newest `batch` tickets not yet indexed, in one short transaction so other writers
    /// wait at most that long. Returns `true` when the index is complete.
    pub fn build_search_index_step(&self, batch: usize) -> Result<bool> {
        self.write(|conn| {
            let below: i64 = conn.query_row("SELECT pending_below FROM search_state", [], |r| r.get(0))?;
            let Some(lowest) = next_batch(conn, below, batch)? else {
                conn.execute("UPDATE search_state SET pending_below = 0", [])?;
                return Ok(true);
            };
            conn.execute("DELETE FROM ticket_search WHERE rowid >= ?1 AND rowid < ?2", params![lowest, below])?;
            conn.execute("DELETE FROM search_queue WHERE ticket_id >= ?1 AND ticket_id < ?2", params![lowest, below])?;
            conn.execute(
                "INSERT INTO ticket_search (rowid, subject, body, customer)
                 SELECT id, subject, body, customer FROM ticket_search_docs WHERE id >= ?1 AND id < ?2",
                params![lowest, below],
            )?;
            conn.execute("UPDATE search_state SET pending_below = ?1", [lowest])?;
            // The batch's words are not listed one by one: the list is read from the index again
            // once the build is done.
            search_terms::read_again(conn)?;
            Ok(false)
        })
    }

    /// Re-index the tickets writes have queued since the last time. Returns how many.
    pub fn index_queued(&self) -> Result<usize> {
        let mut done = 0;
        loop {
            let n = self.write(|conn| {
                let ids: Vec<i64> = conn
                    .prepare_cached("SELECT ticket_id FROM search_queue LIMIT 500")?
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                if ids.is_empty() {
                    return Ok(0);
                }
                let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
                conn.execute_batch(&format!(
                    "DELETE FROM ticket_search WHERE rowid IN ({list});
                     INSERT INTO ticket_search (rowid, subject, body, customer)
                         SELECT id, subject, body, customer FROM ticket_search_docs WHERE id IN ({list});
                     DELETE FROM search_queue WHERE ticket_id IN ({list});"
                ))?;
                search_terms::add_words_of(conn, &list)?;
                Ok(ids.len())
            })?;
            if n == 0 {
                return Ok(done);
            }
            done += n;
        }
    }

    /// Build the whole index, reporting progress after each step, then the list of its words.
    pub fn build_search_index(&self, progress: &mut dyn FnMut(IndexProgress)) -> Result<()> {
        while let Some(p) = self.search_index_pending()? {
            progress(p);
            if self.build_search_index_step(INDEX_BATCH)? {
                break;
            }
        }
        self.build_search_terms()
    }

    /// Narrow searches by filter sets of at most `up_to` ids (for tests of both ways).
    #[doc(hidden)]
    pub fn set_search_sets_up_to(&mut self, up_to: usize) {
        self.search_sets_up_to = up_to;
    }

    /// How SQLite reads the tickets `query` finds (`EXPLAIN QUERY PLAN`, one line a step): for
    /// the test that holds a filtered search to its filter's set.
    #[doc(hidden)]
    pub fn search_plan(&self, query: &SearchQuery, me: &str) -> Result<Vec<String>> {
        let (sql, params) = self.search_sql(query, me, 50)?;
        self.query_plan(&sql, params_from_iter(params.iter()))
    }

    /// Tickets matching `query`, newest first, at most `limit`. `me` is the login `assignee:me`
    /// means. Stops after [`SEARCH_BUDGET`] and says so rather than keep the agent waiting.
    pub fn search(&mut self, query: &SearchQuery, me: &str, limit: usize) -> Result<SearchResults> {
        self.search_within(query, me, limit, SEARCH_BUDGET)
    }

    /// [`Store::search`] with its own time budget.
    pub fn search_within(
        &mut self,
        query: &SearchQuery,
        me: &str,
        limit: usize,
        budget: Duration,
    ) -> Result<SearchResults> {
        if !query.terms.is_empty() && self.too_new.is_none() {
            self.index_queued()?;
        }
        let (sql, params) = self.search_sql(query, me, limit)?;
        let deadline = Instant::now() + budget;
        self.conn.progress_handler(1_000, Some(move || Instant::now() > deadline))?;
        let found = (|| -> rusqlite::Result<(Vec<Ticket>, bool)> {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params_from_iter(params.iter()))?;
            let mut tickets = Vec::new();
            loop {
                match rows.next() {
                    Ok(Some(row)) => tickets.push(rows::ticket(row)?),
                    Ok(None) => return Ok((tickets, false)),
                    Err(rusqlite::Error::SqliteFailure(e, _))
                        if e.code == rusqlite::ErrorCode::OperationInterrupted =>
                    {
                        return Ok((tickets, true))
                    }
                    Err(e) => return Err(e),
                }
            }
        })();
        self.conn.progress_handler(0, None::<fn() -> bool>)?;
        let (mut tickets, stopped_early) = found?;
        let more = tickets.len() > limit;
        tickets.truncate(limit);
        let unindexed = if query.terms.is_empty() { 0 } else { self.search_index_pending()?.map_or(0, |p| p.pending) };
        Ok(SearchResults { tickets, more, stopped_early, unindexed })
    }

    /// The SQL of a search and its parameters: the text index's matches (or every ticket when
    /// the query has no words) through the filters, newest first, one more than `limit`.
    fn search_sql(&self, query: &SearchQuery, me: &str, limit: usize) -> Result<(String, Vec<Box<dyn ToSql>>)> {
        let mut params: Vec<Box<dyn ToSql>> = Vec::new();
        let mut terms = Vec::new();
        let from = if query.terms.is_empty() {
            "tickets t JOIN customers c ON c.id = t.customer_id".to_string()
        } else {
            terms.push("ticket_search MATCH ?".to_string());
            params.push(Box::new(self.search_expression(&query.terms)?));
            "ticket_search s JOIN tickets t ON t.id = s.rowid JOIN customers c ON c.id = t.customer_id".to_string()
        };
        filter_terms(query, me, &mut terms, &mut params);
        let order = if query.terms.is_empty() { "t.id" } else { "s.rowid" };
        // The times as bounds on the number, which the text index (or the table) seeks to.
        if let Some(before) = query.before {
            terms.push(format!("{order} <= ?"));
            params.push(Box::new(created_bounds::highest_created_before(&self.conn, to_millis(before))?));
        }
        if let Some(after) = query.after {
            terms.push(format!("{order} >= ?"));
            params.push(Box::new(created_bounds::lowest_created_from(&self.conn, to_millis(after))?));
        }
        super::search_sets::narrowing_terms(&self.conn, query, me, self.search_sets_up_to, &mut terms, &mut params)?;
        let where_clause = if terms.is_empty() { "1 = 1".to_string() } else { terms.join(" AND ") };
        let sql = format!("SELECT {TICKET_COLUMNS} FROM {from} WHERE {where_clause} ORDER BY {order} DESC LIMIT ?");
        params.push(Box::new(limit as i64 + 1));

        Ok((sql, params))
    }
}

fn filter_terms(query: &SearchQuery, me: &str, terms: &mut Vec<String>, params: &mut Vec<Box<dyn ToSql>>) {
    let marks = |n: usize| vec!["?"; n].join(", ");
    if !query.numbers.is_empty() {
        terms.push(format!("t.id IN ({})", marks(query.numbers.len())));
        params.extend(query.numbers.iter().map(|n| Box::new(*n) as Box<dyn ToSql>));
    }
    for from in &query.from {
        let from = from.trim();
        if from.contains('@') && !from.starts_with('@') {
            terms.push("t.customer_id IN (SELECT customer_id FROM customer_emails WHERE email = ?)".into());
            params.push(Box::new(from.to_string()));
        } else {
            let pattern = format!("%{}%", from.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            // Each ticket's own customer's addresses: a list of every matching address of the
            // desk was read whole first (30–50 ms at a million tickets, for the first hit).
            terms.push(
                "(c.name LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM customer_emails e
                  WHERE e.customer_id = t.customer_id AND e.email LIKE ? ESCAPE '\\'))"
                    .into(),
            );
            params.push(Box::new(pattern.clone()));
            params.push(Box::new(pattern));
        }
    }
    if !query.statuses.is_empty() {
        terms.push(format!("t.status IN ({})", marks(query.statuses.len())));
        params.extend(query.statuses.iter().map(|s| Box::new(s.as_str()) as Box<dyn ToSql>));
    }
    if !query.priorities.is_empty() {
        terms.push(format!("t.priority IN ({})", marks(query.priorities.len())));
        params.extend(query.priorities.iter().map(|p| Box::new(p.as_str()) as Box<dyn ToSql>));
    }
    for tag in &query.tags {
        terms.push("EXISTS (SELECT 1 FROM ticket_tags g WHERE g.ticket_id = t.id AND g.tag = ?)".into());
        params.push(Box::new(tag.clone()));
    }
    match &query.assignee {
        None => {}
        Some(Assignee::Nobody) => terms.push("t.assignee IS NULL".into()),
        Some(Assignee::Me) => {
            terms.push("t.assignee = ?".into());
            params.push(Box::new(me.to_string()));
        }
        Some(Assignee::Login(login)) => {
            terms.push("t.assignee = ?".into());
            params.push(Box::new(login.clone()));
        }
    }
    if let Some(before) = query.before {
        terms.push("t.created_at < ?".into());
        params.push(Box::new(to_millis(before)));
    }
    if let Some(after) = query.after {
        terms.push("t.created_at >= ?".into());
        params.push(Box::new(to_millis(after)));
    }
}

/// The lowest id of the newest `batch` tickets below `below`: the next batch an index built in
/// the background (search, filter) takes, newest first. `None` when no ticket is left.
pub(crate) fn next_batch(conn: &rusqlite::Connection, below: i64, batch: usize) -> Result<Option<i64>> {
    Ok(conn.query_row(
        "SELECT min(id) FROM (SELECT id FROM tickets WHERE id < ?1 ORDER BY id DESC LIMIT ?2)",
        params![below, batch as i64],
        |r| r.get(0),
    )?)
}

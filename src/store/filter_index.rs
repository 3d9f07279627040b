//! The `/` filter on large tabs: the newest tickets of a tab to match in memory, and the trigram
//! index (`ticket_filter`) for the rest, so the filter never reads every ticket of a large tab.

use super::{Result, Store};
use crate::domain::TicketFilter;
use rusqlite::{params, params_from_iter, ToSql};

/// How many tickets one step of the filter index's build takes (one short write transaction).
pub const FILTER_INDEX_BATCH: usize = 5_000;

/// What `check --repair` runs to rebuild the filter index from the tickets.
const REFILL_FILTER_INDEX: &str = "
DELETE FROM ticket_filter;
INSERT INTO ticket_filter (rowid, text) SELECT id, text FROM ticket_filter_docs;
DELETE FROM filter_queue;
UPDATE filter_index_state SET pending_below = 0;
UPDATE filter_index_hold SET held = 0;
";

/// What a write that held the filter index back runs before it commits: the queued tickets'
/// entries as they are now (none for a deleted ticket).
const INDEX_QUEUED_FILTER: &str = "
UPDATE filter_index_hold SET held = 0;
DELETE FROM ticket_filter WHERE rowid IN (SELECT ticket_id FROM filter_queue);
INSERT INTO ticket_filter (rowid, text)
    SELECT id, text FROM ticket_filter_docs WHERE id IN (SELECT ticket_id FROM filter_queue);
DELETE FROM filter_queue;
";

/// A ticket the index found: its id, when it was last updated, and its filter text.
pub struct FilterHit {
    pub id: i64,
    pub updated_at: i64,
    pub text: String,
}

impl Store {
    /// Run `write` (many small writes, e.g. an import's group of mails) with the filter index's
    /// entries queued, then index the queued tickets once, all in one transaction: FTS5 writes a
    /// segment at every savepoint it takes part in, so an entry per mail cost a segment per mail.
    pub(super) fn deferring_filter_index<T>(&self, write: impl FnOnce() -> Result<T>) -> Result<T> {
        self.write(|conn| {
            conn.prepare_cached("UPDATE filter_index_hold SET held = 1")?.execute([])?;
            let done = write()?;
            conn.execute_batch(INDEX_QUEUED_FILTER)?;
            Ok(done)
        })
    }

    /// The newest `limit` tickets `filter` shows, most recently updated first, as
    /// [`Store::filter_candidates`] gives them.
    pub fn filter_window(&self, filter: &TicketFilter, limit: usize, each: &mut dyn FnMut(i64, &str)) -> Result<()> {
        let mut params: Vec<Box<dyn ToSql>> = Vec::new();
        let sql = format!(
            "SELECT d.id, d.text FROM (SELECT t.id, t.updated_at FROM tickets t WHERE {}
                                       ORDER BY t.updated_at DESC, t.id DESC LIMIT ?) w
             JOIN ticket_filter_docs d ON d.id = w.id ORDER BY w.updated_at DESC, w.id DESC",
            filter.where_clause(&mut params)
        );
        params.push(Box::new(limit as i64));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(params.iter()))?;
        while let Some(row) = rows.next()? {
            each(row.get(0)?, row.get_ref(1)?.as_str().unwrap_or_default());
        }
        Ok(())
    }

    /// Up to `limit` tickets of `filter` whose filter text holds every one of `needles` (each at
    /// least three characters), newest ticket first. `true` when there may be more.
    pub fn filter_index_hits(
        &self,
        filter: &TicketFilter,
        needles: &[String],
        limit: usize,
        each: &mut dyn FnMut(FilterHit),
    ) -> Result<bool> {
        let expression = needles.iter().map(|n| format!("\"{}\"", n.replace('"', "\"\""))).collect::<Vec<_>>();
        let mut params: Vec<Box<dyn ToSql>> = vec![Box::new(expression.join(" AND "))];
        let sql = format!(
            "SELECT t.id, t.updated_at, f.text FROM ticket_filter f JOIN tickets t ON t.id = f.rowid
             WHERE f.text MATCH ? AND {} ORDER BY f.rowid DESC LIMIT ?",
            filter.where_clause(&mut params)
        );
        params.push(Box::new(limit as i64));
        self.hits(&sql, &params, limit, each)
    }

    /// What [`Store::filter_index_hits`] finds, by a `LIKE` scan of the tickets instead of the
    /// index, newest ticket first: the alternative the benchmark weighs the index against.
    pub fn filter_scan_hits(
        &self,
        filter: &TicketFilter,
        needles: &[String],
        limit: usize,
        each: &mut dyn FnMut(FilterHit),
    ) -> Result<bool> {
        let mut params: Vec<Box<dyn ToSql>> = Vec::new();
        let mut terms = vec![filter.where_clause(&mut params)];
        for needle in needles {
            let escaped = needle.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            terms.push("d.text LIKE ? ESCAPE '\\'".into());
            params.push(Box::new(format!("%{escaped}%")));
        }
        let sql = format!(
            "SELECT t.id, t.updated_at, d.text FROM tickets t JOIN ticket_filter_docs d ON d.id = t.id
             WHERE {} ORDER BY t.id DESC LIMIT ?",
            terms.join(" AND ")
        );
        params.push(Box::new(limit as i64));
        self.hits(&sql, &params, limit, each)
    }

    /// Run a hits query (id, updated_at, text), handing each row to `each`; `true` when it
    /// stopped at `limit` (there may be more).
    fn hits(
        &self,
        sql: &str,
        params: &[Box<dyn ToSql>],
        limit: usize,
        each: &mut dyn FnMut(FilterHit),
    ) -> Result<bool> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params_from_iter(params.iter()))?;
        let mut found = 0;
        while let Some(row) = rows.next()? {
            found += 1;
            each(FilterHit { id: row.get(0)?, updated_at: row.get(1)?, text: row.get(2)? });
        }
        Ok(found >= limit)
    }

    /// Whether every ticket is in the filter index (older ones are added by
    /// [`Store::build_filter_index_step`]).
    pub fn filter_index_complete(&self) -> Result<bool> {
        let below: i64 = self.conn.query_row("SELECT pending_below FROM filter_index_state", [], |r| r.get(0))?;
        if below == 0 {
            return Ok(true);
        }
        let pending: Option<i64> =
            self.conn.query_row("SELECT max(id) FROM tickets WHERE id < ?1", [below], |r| r.get(0))?;
        Ok(pending.is_none())
    }

    /// Add the newest `batch` tickets not yet in the filter index, in one short transaction so
    /// other writers wait at most that long. Returns `true` when the index is complete.
    pub fn build_filter_index_step(&self, batch: usize) -> Result<bool> {
        self.write(|conn| {
            let below: i64 = conn.query_row("SELECT pending_below FROM filter_index_state", [], |r| r.get(0))?;
            let Some(lowest) = super::search::next_batch(conn, below, batch)? else {
                conn.execute("UPDATE filter_index_state SET pending_below = 0", [])?;
                return Ok(true);
            };
            // A write may have indexed some of these already (a rename reaches old tickets too).
            conn.execute("DELETE FROM ticket_filter WHERE rowid >= ?1 AND rowid < ?2", params![lowest, below])?;
            conn.execute(
                "INSERT INTO ticket_filter (rowid, text)
                 SELECT id, text FROM ticket_filter_docs WHERE id >= ?1 AND id < ?2",
                params![lowest, below],
            )?;
            conn.execute("UPDATE filter_index_state SET pending_below = ?1", [lowest])?;
            Ok(false)
        })
    }

    /// Tickets whose filter index entry is missing or says something else than the ticket, and
    /// index entries for tickets that do not exist (`frontdesk check`). Tickets the build has
    /// not reached yet are not counted.
    /// A queued entry outside a write counts as out of step too.
    pub fn filter_index_drift(&self) -> Result<(i64, i64)> {
        let wrong = self.conn.query_row(
            "SELECT count(*) + (SELECT count(*) FROM filter_queue) FROM ticket_filter_docs d
             WHERE d.id >= (SELECT pending_below FROM filter_index_state)
               AND NOT EXISTS (SELECT 1 FROM ticket_filter f WHERE f.rowid = d.id AND f.text = d.text)",
            [],
            |r| r.get(0),
        )?;
        let orphans = self.conn.query_row(
            "SELECT count(*) FROM ticket_filter f WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = f.rowid)",
            [],
            |r| r.get(0),
        )?;
        Ok((wrong, orphans))
    }

    /// Whether the filter index is held back though no write is under way: its triggers would
    /// queue every change for a write that never indexes them (`frontdesk check`).
    pub fn filter_index_held_back(&self) -> Result<bool> {
        Ok(self.conn.query_row("SELECT held FROM filter_index_hold", [], |r| r.get(0))?)
    }

    /// Index every ticket again (`frontdesk check --repair`).
    pub fn rebuild_filter_index(&self) -> Result<()> {
        self.write(|conn| {
            conn.execute_batch(REFILL_FILTER_INDEX)?;
            Ok(())
        })
    }
}

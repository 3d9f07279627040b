//! `frontdesk check` and `frontdesk backup`: SQLite's own integrity check plus our invariants, and
//! a consistent copy made while others keep working.

use super::{Result, Store, StoreError};
use std::path::Path;

/// What a backup holds, read back from the copy itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    pub bytes: u64,
    pub tickets: i64,
    /// Its schema version (SQLite's `user_version`).
    pub schema: i64,
}

impl Backup {
    fn of(path: &Path) -> Result<Backup> {
        let bytes = std::fs::metadata(path)
            .map_err(|e| StoreError::Invalid(format!("cannot read the backup {}: {e}", path.display())))?
            .len();
        let copy = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let tickets = copy.query_row("SELECT count(*) FROM tickets", [], |r| r.get(0))?;
        let schema = copy.pragma_query_value(None, "user_version", |r| r.get(0))?;
        Ok(Backup { bytes, tickets, schema })
    }
}

/// Each invariant: what is wrong, and a query counting the rows that break it.
const INVARIANTS: &[(&str, &str)] = &[
    ("messages without a ticket", "SELECT count(*) FROM messages WHERE ticket_id NOT IN (SELECT id FROM tickets)"),
    ("events without a ticket", "SELECT count(*) FROM events WHERE ticket_id NOT IN (SELECT id FROM tickets)"),
    (
        "tickets missing from the search index",
        "SELECT count(*) FROM tickets t
         WHERE t.id >= (SELECT pending_below FROM search_state)
           AND t.id NOT IN (SELECT ticket_id FROM search_queue)
           AND NOT EXISTS (SELECT 1 FROM ticket_search s WHERE s.rowid = t.id)",
    ),
    (
        "search index entries for tickets that do not exist",
        "SELECT count(*) FROM ticket_search s
         WHERE s.rowid NOT IN (SELECT id FROM tickets) AND s.rowid NOT IN (SELECT ticket_id FROM search_queue)",
    ),
    (
        // Setting a ticket pending, solved or closed ends its wait (domain::lifecycle::wait_after_status).
        "tickets waiting on us though pending, solved or closed",
        "SELECT count(*) FROM tickets WHERE waiting_since IS NOT NULL AND (status = 'pending' OR status = 'solved' OR status = 'closed')",
    ),
    (
        // Every change bumps the version once and logs at least one event, but the erasure of
        // the ticket's customer: it bumps the version (so an open console sees the text go) and
        // is in the audit log, not the ticket's history (`store::privacy`). The audit log is
        // read only for a ticket whose events alone do not explain its version.
        "tickets whose version is ahead of their history",
        "SELECT count(*) FROM tickets t
         WHERE t.version < 1
            OR (t.version - 1 > (SELECT count(*) FROM events e WHERE e.ticket_id = t.id AND e.field <> 'created')
                AND t.version - 1 > (SELECT count(*) FROM events e WHERE e.ticket_id = t.id AND e.field <> 'created')
                    + (SELECT count(*) FROM audit a WHERE a.subject_kind = 'customer'
                         AND a.subject_id = CAST(t.customer_id AS TEXT) AND a.field = 'erased'))",
    ),
    (
        // A deleted ticket's number is never given to another (`audit::next_ticket_id`).
        "tickets numbered like a deleted ticket",
        "SELECT count(*) FROM tickets
         WHERE id IN (SELECT ticket_id FROM audit WHERE subject_kind = 'ticket' AND field = 'deleted')",
    ),
    (
        // A search's before: and after: trust the spans to hold every ticket (`store::created_bounds`).
        "tickets created outside their number's span of creation times",
        "SELECT count(*) FROM tickets t LEFT JOIN ticket_created_blocks b ON b.block = t.id >> 10
         WHERE b.block IS NULL OR t.created_at < b.earliest OR t.created_at > b.latest",
    ),
    (
        "customers numbered like a customer merged away",
        "SELECT count(*) FROM customers
         WHERE id IN (SELECT customer_id FROM audit WHERE subject_kind = 'customer' AND field = 'merged_into')",
    ),
];

impl Store {
    /// Problems found, one sentence each; empty when the database is sound.
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for row in rows {
            let row = row?;
            if row != "ok" {
                problems.push(format!("SQLite integrity check: {row}"));
            }
        }
        for (what, sql) in INVARIANTS {
            let count: i64 = self.conn.query_row(sql, [], |r| r.get(0))?;
            if count > 0 {
                problems.push(format!("{count} {what}"));
            }
        }
        for drift in self.count_drift()? {
            problems.push(format!(
                "the kept {} say {} where the tickets count {} (frontdesk check --repair rebuilds them)",
                drift.what, drift.kept, drift.counted
            ));
        }
        let (wrong, orphans) = self.filter_index_drift()?;
        if wrong > 0 {
            problems.push(format!(
                "{wrong} tickets missing from the filter index or out of step with it (frontdesk check --repair rebuilds it)"
            ));
        }
        if orphans > 0 {
            problems.push(format!(
                "{orphans} filter index entries for tickets that do not exist (frontdesk check --repair rebuilds it)"
            ));
        }
        let missing = self.search_terms_missing()?;
        if missing > 0 {
            problems.push(format!(
                "{missing} words of the search index missing from its list of words (frontdesk check --repair reads them again)"
            ));
        }
        for drift in self.organization_domain_drift()? {
            problems.push(format!("{drift} (frontdesk check --repair rebuilds the domains' index)"));
        }
        if self.filter_index_held_back()? {
            problems.push(
                "the filter index is held back though no write is under way (frontdesk check --repair rebuilds it)"
                    .to_string(),
            );
        }
        Ok(problems)
    }

    /// Write a consistent copy of the database to `to` (a new file), while others keep working;
    /// what the copy holds is read back from it.
    pub fn backup_to(&self, to: &Path) -> Result<Backup> {
        if to.exists() {
            return Err(StoreError::Invalid(format!("{} already exists; give a new file", to.display())));
        }
        let target = to.to_str().ok_or_else(|| StoreError::Invalid(format!("{} is not a UTF-8 path", to.display())))?;
        // VACUUM INTO reads in one transaction: a snapshot, and writers are not blocked under WAL.
        self.conn.execute("VACUUM INTO ?1", [target])?;
        super::file::owner_only(to)?;
        Backup::of(to)
    }
}

impl Store {
    /// How many events `actor` logged with one of `fields` (tests and benchmarks count lost updates).
    pub fn count_events_by(&self, actor: &str, fields: &[&str]) -> Result<i64> {
        let mut total = 0;
        for field in fields {
            total += self.conn.query_row(
                "SELECT count(*) FROM events WHERE actor = ?1 AND field = ?2",
                [actor, field],
                |r| r.get::<_, i64>(0),
            )?;
        }
        Ok(total)
    }
}

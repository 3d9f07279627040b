//! A search's `before:` and `after:` as bounds on the ticket number. The text index gives its
//! matches newest number first, and a creation time can only be checked on the ticket itself:
//! `order before:2025-06-01` read the ticket of every newer match (a third of a million-ticket
//! desk's). The runs of 1,024 numbers in `ticket_created_blocks` each know the earliest and
//! latest creation time among their tickets, so the highest number created before a time is in
//! the highest run that starts before it: reading that run's tickets gives it exactly, and the
//! text index seeks straight there. The bound is exact whatever order tickets were numbered in;
//! it only saves less where numbers do not follow creation times.

use super::Result;
use rusqlite::{Connection, OptionalExtension};

/// How many bits of a ticket number its run leaves out: runs of 1,024, as the migration has them.
const RUN_BITS: u32 = 10;

/// The highest ticket number created before `millis`, or 0 (below every number) when none was.
pub(super) fn highest_created_before(conn: &Connection, millis: i64) -> Result<i64> {
    let found = first_in_runs(
        conn,
        "SELECT block FROM ticket_created_blocks WHERE earliest < ?1 ORDER BY block DESC",
        "SELECT max(id) FROM tickets WHERE id >= ?1 AND id < ?2 AND created_at < ?3",
        millis,
    )?;
    Ok(found.unwrap_or(0))
}

/// The lowest ticket number created at or after `millis`, or `i64::MAX` when none was.
pub(super) fn lowest_created_from(conn: &Connection, millis: i64) -> Result<i64> {
    let found = first_in_runs(
        conn,
        "SELECT block FROM ticket_created_blocks WHERE latest >= ?1 ORDER BY block",
        "SELECT min(id) FROM tickets WHERE id >= ?1 AND id < ?2 AND created_at >= ?3",
        millis,
    )?;
    Ok(found.unwrap_or(i64::MAX))
}

/// Walk the runs `runs` gives for `millis`, in its order, and return the first ticket number
/// `in_run` finds in one (bound to the run's first number, the next run's, and `millis`). A run's
/// span may be wider than its tickets are now (one was deleted): then the walk goes on.
fn first_in_runs(conn: &Connection, runs: &str, in_run: &str, millis: i64) -> Result<Option<i64>> {
    let mut runs = conn.prepare_cached(runs)?;
    let mut rows = runs.query([millis])?;
    while let Some(row) = rows.next()? {
        let run: i64 = row.get(0)?;
        let found: Option<i64> = conn
            .prepare_cached(in_run)?
            .query_row([run << RUN_BITS, (run + 1) << RUN_BITS, millis], |r| r.get(0))
            .optional()?
            .flatten();
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

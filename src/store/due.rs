//! Lists by due time: tickets back from a snooze, then breached, then nearly due SLA clocks across
//! the whole desk, then the rest; in each of these the customers waiting on us first, the longest
//! wait first. The due times are worked out from the event log with the config's policies and kept
//! on the tickets (`due_at`, `warn_at`), so a page is an index range.

use super::rows::{self, TICKET_COLUMNS, TICKET_COLUMN_COUNT};
use super::waiting::NEEDS_REPLY;
use super::{now_millis, to_millis, Result, Store};
use crate::domain::sla::{next_due, Policies};
use crate::domain::{PageCursor, TicketFilter};
use crate::domain::{Status, Ticket};

use rusqlite::{params, params_from_iter, ToSql};

/// How many tickets one step of [`Store::refresh_due`] works out, in one short write transaction,
/// so other writers wait at most a few milliseconds.
pub const DUE_BATCH: usize = 200;

/// Back from a snooze and untouched since: [`crate::domain::lifecycle::woke_up`] as SQL.
const WOKEN: &str = "(t.snoozed_until IS NOT NULL AND t.snoozed_until <= ? AND t.updated_at <= t.snoozed_until)";
/// A running SLA clock breached or in its warning quarter (a ticket waiting on the customer has
/// no due time here).
const URGENT: &str = "(t.due_at IS NOT NULL AND t.warn_at <= ?)";
/// A running SLA clock past its due time.
const BREACHED: &str = "(t.due_at IS NOT NULL AND t.due_at <= ?)";

/// One part of a list by due time.
struct Part {
    /// The index that holds the part's rows: left to itself SQLite would rather read all of an
    /// agent's tickets by assignee and sort them.
    index: &'static str,
    /// The SQL that picks the part's rows; every `?` in it is now.
    pick: &'static str,
    order: &'static str,
    /// The column that is the part's keyset key.
    key: &'static str,
    /// Only tickets that need a reply.
    waiting: bool,
}

/// A part of the tickets that need a reply: the longest wait first.
const fn waits(index: &'static str, pick: &'static str) -> Part {
    Part { index, pick, order: "t.waiting_since, t.id", key: "t.waiting_since", waiting: true }
}

const fn others(index: &'static str, pick: &'static str, order: &'static str, key: &'static str) -> Part {
    Part { index, pick, order, key, waiting: false }
}

const SNOOZED: &str = "INDEXED BY tickets_by_snooze";
const DUE: &str = "INDEXED BY tickets_by_due";
const WAITS: &str = "INDEXED BY tickets_by_waiting";
const WARNED: &str = "INDEXED BY tickets_by_warn";

/// The parts of a list by due time, in order. The small partial indexes (snoozed, due, waiting)
/// hold every part but the last, so a page reads few rows however large the desk. The breached
/// and nearly due parts are each a range of the warning times up to now (a clock is breached
/// only after its warning time), sorted: read in the order of their wait or due time, they
/// stepped over every waiting ticket, or every running clock, of the desk to find the few.
const PARTS: [Part; 8] = [
    waits(SNOOZED, "{WOKEN} AND {WAITING}"),
    others(SNOOZED, "{WOKEN} AND NOT {WAITING}", "t.snoozed_until, t.id", "t.snoozed_until"),
    waits(WARNED, "NOT {WOKEN} AND {URGENT} AND {BREACHED} AND {WAITING}"),
    others(DUE, "NOT {WOKEN} AND {BREACHED} AND NOT {WAITING}", "t.due_at, t.id", "t.due_at"),
    waits(WARNED, "NOT {WOKEN} AND {URGENT} AND NOT {BREACHED} AND {WAITING}"),
    others(WARNED, "NOT {WOKEN} AND {URGENT} AND NOT {BREACHED} AND NOT {WAITING}", "t.due_at, t.id", "t.due_at"),
    waits(WAITS, "NOT {WOKEN} AND NOT {URGENT} AND {WAITING}"),
    others("", "NOT {WOKEN} AND NOT {URGENT} AND NOT {WAITING}", "t.updated_at DESC, t.id DESC", "t.updated_at"),
];

/// The last part: most recently updated first, its cursor without a part (`due: None`).
const REST: usize = PARTS.len() - 1;

impl Part {
    /// Whether the part picks tickets that the desk's earliest due time (`None`: no ticket has a
    /// running clock) shows there are none of at `now`.
    fn finds_none(&self, earliest_due: Option<i64>, now: i64) -> bool {
        let picks = |term: &str| self.pick.contains(term) && !self.pick.contains(&format!("NOT {term}"));
        match earliest_due {
            None => picks("{BREACHED}") || picks("{URGENT}"),
            Some(due) => picks("{BREACHED}") && due > now,
        }
    }
}

fn pick_sql(pick: &str) -> String {
    pick.replace("{WOKEN}", WOKEN)
        .replace("{URGENT}", URGENT)
        .replace("{BREACHED}", BREACHED)
        .replace("{WAITING}", NEEDS_REPLY)
}

/// The SQL of one part of a list by due time and its parameters, from `cursor` on, at most `limit` rows.
fn part_sql(
    filter: &TicketFilter,
    part: &Part,
    cursor: Option<PageCursor>,
    now: i64,
    limit: usize,
) -> (String, Vec<Box<dyn ToSql>>) {
    let Part { index, pick, order, key, .. } = part;
    let mut params: Vec<Box<dyn ToSql>> = Vec::new();
    // A range of warning times comes out in another order than the part's, so it is sorted: its
    // tickets are picked and sorted by number from the index alone, and only the page's are read
    // whole. Read whole before the sort, each breached ticket of the desk cost its row, its
    // customer, address and tags (5.1 ms for a page at a million tickets, against 1.8).
    let sorted = *index == WARNED;
    let mut sql = if sorted {
        format!("SELECT t.id FROM tickets t {index} WHERE {}", filter.where_clause(&mut params))
    } else {
        format!(
            "SELECT {TICKET_COLUMNS}, {key} FROM tickets t {index} JOIN customers c ON c.id = t.customer_id WHERE {}",
            filter.where_clause(&mut params)
        )
    };
    let pick = pick_sql(pick);
    params.extend((0..pick.matches('?').count()).map(|_| Box::new(now) as Box<dyn ToSql>));
    sql.push_str(" AND ");
    sql.push_str(&pick);
    if let Some(cursor) = cursor {
        match cursor.due {
            Some((_, value)) => {
                sql.push_str(&format!(" AND ({key}, t.id) > (?, ?)"));
                params.push(Box::new(value));
            }
            None => {
                sql.push_str(" AND (t.updated_at, t.id) < (?, ?)");
                params.push(Box::new(to_millis(cursor.updated_at)));
            }
        }
        params.push(Box::new(cursor.id));
    }
    sql.push_str(&format!(" ORDER BY {order} LIMIT ?"));
    params.push(Box::new(limit as i64));
    if sorted {
        sql = format!(
            "SELECT {TICKET_COLUMNS}, {key} FROM ({sql}) page JOIN tickets t ON t.id = page.id
             JOIN customers c ON c.id = t.customer_id ORDER BY {order}"
        );
    }
    (sql, params)
}

pub(super) fn list(
    store: &Store,
    filter: &TicketFilter,
    after: Option<PageCursor>,
    limit: usize,
) -> Result<Vec<(Ticket, PageCursor)>> {
    let now = now_millis();
    let start = after.map_or(0, |c| c.due.map_or(REST, |(part, _)| part as usize));
    // The desk's earliest due time, from the front of the due index: where it shows that no
    // ticket is breached (or none has a clock at all), the parts that pick those are not read.
    // Without it, each of them stepped over every waiting ticket of the tab to find none.
    let earliest_due: Option<i64> = store
        .conn
        .prepare_cached("SELECT min(due_at) FROM tickets INDEXED BY tickets_by_due WHERE due_at IS NOT NULL")?
        .query_row([], |r| r.get(0))?;
    let mut out = Vec::with_capacity(limit);
    for (number, part) in PARTS.iter().enumerate().skip(start) {
        if out.len() >= limit {
            break;
        }
        // The Needs reply list has nothing in the other parts: do not look.
        if filter.needs_reply && !part.waiting {
            continue;
        }
        if part.finds_none(earliest_due, now) {
            continue;
        }
        let cursor = after.filter(|_| number == start);
        let (sql, params) = part_sql(filter, part, cursor, now, limit - out.len());
        let mut stmt = store.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
            Ok((rows::ticket(r)?, r.get::<_, i64>(TICKET_COLUMN_COUNT)?))
        })?;
        for row in rows {
            let (ticket, value) = row?;
            let mut cursor = PageCursor::after(&ticket);
            if number < REST {
                cursor.due = Some((number as u8, value));
            }
            out.push((ticket, cursor));
        }
    }
    Ok(out)
}

/// The tickets whose due times a change of policies works out again: those with a due time and
/// the active ones, each read from its small index (an `OR` of the two reads every ticket of the
/// desk, seconds at a million, in a write that holds up every other).
const WITH_CLOCKS: &str = "SELECT id FROM tickets INDEXED BY tickets_by_due WHERE due_at IS NOT NULL
    UNION ALL SELECT id FROM tickets INDEXED BY tickets_active_by_updated
    WHERE status NOT IN ('solved', 'closed')";

impl Store {
    /// How SQLite reads each part of the first page of `filter` in due order (`EXPLAIN QUERY
    /// PLAN`, one line a step, a list a part): for the test that holds every part to a range.
    #[doc(hidden)]
    pub fn due_page_plans(&self, filter: &TicketFilter) -> Result<Vec<Vec<String>>> {
        let now = now_millis();
        let mut plans = Vec::new();
        for part in &PARTS {
            let (sql, params) = part_sql(filter, part, None, now, 200);
            plans.push(self.query_plan(&sql, params_from_iter(params.iter()))?);
        }
        Ok(plans)
    }

    /// How SQLite reads the tickets a change of policies works out again (`EXPLAIN QUERY PLAN`,
    /// one line a step): for the test that holds it to the small indexes.
    #[doc(hidden)]
    pub fn due_requeue_plan(&self) -> Result<Vec<String>> {
        self.query_plan(WITH_CLOCKS, [])
    }

    /// How many tickets `filter` shows whose running SLA clock is overdue (by the stored due times).
    pub fn count_overdue(&self, filter: &TicketFilter) -> Result<u64> {
        let mut params: Vec<Box<dyn ToSql>> = Vec::new();
        let sql = format!(
            "SELECT count(*) FROM tickets t INDEXED BY tickets_by_due
             WHERE {} AND t.due_at IS NOT NULL AND t.due_at <= ?",
            filter.where_clause(&mut params)
        );
        params.push(Box::new(now_millis()));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row(params_from_iter(params.iter()), |r| r.get::<_, i64>(0))? as u64)
    }

    /// [`Store::refresh_due`] until nothing is left, adopting `policies`: for a command that shows
    /// due times (or leaves them worked out) before it ends.
    pub fn refresh_all_due(&self, policies: &Policies) -> Result<()> {
        while self.refresh_due(policies, DUE_BATCH, true)? > 0 {}
        Ok(())
    }

    /// Work out the due times of the tickets whose timeline changed since the last call, at most
    /// `batch` tickets in one short write transaction. Returns how many tickets are still to do; a
    /// reader that finds nothing to do does not write.
    ///
    /// When `policies` differ from the ones the stored times follow and `adopt` is set, every
    /// active ticket is worked out again with `policies`. A process adopts its policies once: two
    /// agents whose configs differ would otherwise take the desk from each other on every load.
    /// Without policies nothing is written, so an agent without an `[sla]` section leaves the
    /// desk's due times as the others' policies made them.
    pub fn refresh_due(&self, policies: &Policies, batch: usize, adopt: bool) -> Result<u64> {
        if policies.is_empty() {
            return Ok(0);
        }
        let wanted = format!("{policies:?}");
        let (stored, queued): (String, i64) =
            self.conn.query_row("SELECT policies, EXISTS (SELECT 1 FROM due_queue) FROM due_state", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        if (stored == wanted || !adopt) && queued == 0 {
            return Ok(0);
        }
        self.write(|conn| {
            let stored: String = conn.query_row("SELECT policies FROM due_state", [], |r| r.get(0))?;
            if stored != wanted && adopt {
                conn.execute(&format!("INSERT OR IGNORE INTO due_queue (ticket_id) {WITH_CLOCKS}"), [])?;
                conn.execute("UPDATE due_state SET policies = ?1", [&wanted])?;
            }
            let ids: Vec<i64> = conn
                .prepare_cached("SELECT ticket_id FROM due_queue ORDER BY ticket_id DESC LIMIT ?1")?
                .query_map([batch as i64], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let tickets = self.tickets_by_ids(&ids)?;
            let timelines = self.sla_timelines(&tickets)?;
            let now = chrono::Utc::now();
            let mut set = conn.prepare_cached("UPDATE tickets SET due_at = ?1, warn_at = ?2 WHERE id = ?3")?;
            for ticket in &tickets {
                // A ticket waiting on the customer is not the agent's to hurry, breached or not.
                let waiting = matches!(ticket.status, Status::Pending | Status::OnHold);
                let (due_at, warn_at) = match timelines.get(&ticket.id).filter(|_| !waiting) {
                    Some((tier, timeline)) => {
                        let (clocks, hours) = policies.clocks_for(ticket.priority, *tier, timeline, now);
                        match next_due(&clocks).and_then(|c| c.due_at.map(|due| (due, c.target_seconds))) {
                            Some((due, target)) => {
                                (Some(to_millis(due)), Some(to_millis(hours.add_working(due, -(target / 4)))))
                            }
                            None => (None, None),
                        }
                    }
                    None => (None, None),
                };
                set.execute(params![due_at, warn_at, ticket.id])?;
            }
            let mut done = conn.prepare_cached("DELETE FROM due_queue WHERE ticket_id = ?1")?;
            for id in &ids {
                done.execute([id])?;
            }
            Ok(conn.query_row("SELECT count(*) FROM due_queue", [], |r| r.get::<_, i64>(0))? as u64)
        })
    }
}

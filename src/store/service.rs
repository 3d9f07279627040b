//! The desk service's row: which process serves the desk, its heartbeat (a console tells from it
//! whether a service runs), and how far it has looked for solved tickets whose survey is due.

use super::{from_millis, now_millis, to_millis, Result, Store};
use crate::domain::Timestamp;
use rusqlite::{params, OptionalExtension};

/// The service as its row last said.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceState {
    /// `None` once it stopped.
    pub pid: Option<i64>,
    pub host: String,
    pub started_at: Timestamp,
    pub heartbeat_at: Timestamp,
}

impl Store {
    /// Record that process `pid` on `host` serves the desk from now on. The lock that makes it the
    /// only one is the service's own (a lock file); this row is what others read.
    pub fn service_started(&self, pid: i64, host: &str) -> Result<()> {
        self.write(|conn| {
            let now = now_millis();
            let first_mark: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM events", [], |r| r.get(0))?;
            conn.execute(
                "INSERT INTO service (id, pid, host, started_at, heartbeat_at, survey_mark)
                 VALUES (1, ?1, ?2, ?3, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET pid = ?1, host = ?2, started_at = ?3, heartbeat_at = ?3,
                     survey_mark = coalesce(survey_mark, ?4)",
                params![pid, host, now, first_mark],
            )?;
            Ok(())
        })
    }

    /// The service is alive: renew its heartbeat.
    pub fn service_heartbeat(&self, pid: i64) -> Result<()> {
        self.write(|conn| {
            conn.execute("UPDATE service SET heartbeat_at = ?1 WHERE id = 1 AND pid = ?2", params![now_millis(), pid])?;
            Ok(())
        })
    }

    /// The service `pid` stopped.
    pub fn service_stopped(&self, pid: i64) -> Result<()> {
        self.write(|conn| {
            conn.execute(
                "UPDATE service SET pid = NULL, heartbeat_at = ?1 WHERE id = 1 AND pid = ?2",
                params![now_millis(), pid],
            )?;
            Ok(())
        })
    }

    /// What the service's row says, if a service ever ran on this desk.
    pub fn service_state(&self) -> Result<Option<ServiceState>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT pid, host, started_at, heartbeat_at FROM service WHERE id = 1")?;
        let row = stmt
            .query_row([], |r| {
                Ok(ServiceState {
                    pid: r.get(0)?,
                    host: r.get(1)?,
                    started_at: from_millis(r.get(2)?),
                    heartbeat_at: from_millis(r.get(3)?),
                })
            })
            .optional()?;
        Ok(row)
    }

    /// Whether a service has renewed its heartbeat since `since`.
    pub fn service_alive_since(&self, since: Timestamp) -> Result<bool> {
        let alive: Option<i64> = self
            .conn
            .prepare_cached("SELECT 1 FROM service WHERE id = 1 AND pid IS NOT NULL AND heartbeat_at >= ?1")?
            .query_row([to_millis(since)], |r| r.get(0))
            .optional()?;
        Ok(alive.is_some())
    }

    /// Tickets solved (after the service's survey mark, at or before `solved_by`) that are still
    /// solved and have neither a survey nor a rating: their survey is due. Moves the mark past the
    /// events read, so each solve is looked at once; the cost follows the events since the mark.
    pub fn surveys_due(&self, solved_by: Timestamp) -> Result<Vec<i64>> {
        self.write(|conn| {
            let mark: Option<i64> =
                conn.query_row("SELECT survey_mark FROM service WHERE id = 1", [], |r| r.get(0)).optional()?.flatten();
            let Some(mark) = mark else { return Ok(Vec::new()) };
            let mut stmt = conn.prepare_cached(
                "SELECT e.id, e.ticket_id FROM events e WHERE e.id > ?1 AND e.created_at <= ?2
                 AND e.field = 'status' AND e.new = 'solved' ORDER BY e.id",
            )?;
            let solved = stmt
                .query_map(params![mark, to_millis(solved_by)], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            // Events come in id order, nearly in time order: the mark stops at the first one too young.
            let young: Option<i64> = conn
                .query_row(
                    "SELECT min(id) FROM events WHERE id > ?1 AND created_at > ?2",
                    params![mark, to_millis(solved_by)],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            let newest: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM events", [], |r| r.get(0))?;
            let new_mark = young.map_or(newest, |y| y - 1);
            conn.execute("UPDATE service SET survey_mark = ?1 WHERE id = 1", [new_mark.max(mark)])?;
            let mut due = Vec::new();
            let mut still = conn.prepare_cached(
                "SELECT 1 FROM tickets t WHERE t.id = ?1 AND t.status = 'solved'
                 AND NOT EXISTS (SELECT 1 FROM surveys s WHERE s.ticket_id = t.id)
                 AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.ticket_id = t.id AND r.kind = 'csat')",
            )?;
            for (event, ticket) in solved {
                if event <= new_mark && !due.contains(&ticket) && still.exists([ticket])? {
                    due.push(ticket);
                }
            }
            Ok(due)
        })
    }

    /// How many snoozes ran out in `(after, until]`: tickets back in the working views by time.
    pub fn snoozes_ended(&self, after: Timestamp, until: Timestamp) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT count(*) FROM tickets WHERE snoozed_until > ?1 AND snoozed_until <= ?2")?
            .query_row([to_millis(after), to_millis(until)], |r| r.get(0))?)
    }
}

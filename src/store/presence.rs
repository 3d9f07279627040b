//! Presence: heartbeats of the consoles, saying who views or writes on which ticket.

use super::{now_millis, Result, Store};
use crate::domain::{Presence, PresenceState};
use rusqlite::params;

impl Store {
    /// Say this console is alive for `ttl_ms` more, on `ticket` (or none); expired rows are pruned.
    pub fn heartbeat(
        &self,
        console: &str,
        agent: &str,
        ticket: Option<i64>,
        state: PresenceState,
        ttl_ms: i64,
    ) -> Result<()> {
        let now = now_millis();
        self.write(|conn| {
            conn.prepare_cached(
                "INSERT INTO presence (console, agent, ticket_id, state, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (console) DO UPDATE SET agent = ?2, ticket_id = ?3, state = ?4, expires_at = ?5",
            )?
            .execute(params![console, agent, ticket, state.as_str(), now + ttl_ms])?;
            conn.prepare_cached("DELETE FROM presence WHERE expires_at < ?1")?.execute([now])?;
            Ok(())
        })
    }

    /// This console is gone (a clean exit; a killed one simply expires).
    pub fn leave(&self, console: &str) -> Result<()> {
        self.write(|conn| {
            conn.execute("DELETE FROM presence WHERE console = ?1", [console])?;
            Ok(())
        })
    }

    /// Marks that move when another process changes what a console shows: the newest event and the
    /// newest ticket change (both read from an index).
    pub fn change_marks(&self) -> Result<(i64, i64)> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT (SELECT coalesce(max(id), 0) FROM events), (SELECT coalesce(max(updated_at), 0) FROM tickets)",
        )?;
        Ok(stmt.query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?)
    }

    /// Every console whose heartbeat has not expired, ordered by agent.
    pub fn presence(&self) -> Result<Vec<Presence>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT console, agent, ticket_id, state FROM presence WHERE expires_at >= ?1 ORDER BY agent, console",
        )?;
        let rows = stmt.query_map([now_millis()], |r| {
            let state: String = r.get(3)?;
            Ok(Presence {
                console: r.get(0)?,
                agent: r.get(1)?,
                ticket_id: r.get(2)?,
                state: if state == "writing" { PresenceState::Writing } else { PresenceState::Viewing },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

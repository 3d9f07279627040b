//! Reply and note drafts, saved as the agent types.

use super::rows::{named, time};
use super::{now_millis, Result, Store};
use crate::domain::Draft;
use crate::domain::MessageKind;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Keep the agent's draft for a ticket (one per agent and ticket); an empty body deletes it.
    pub fn save_draft(&self, ticket_id: i64, agent: &str, kind: MessageKind, body: &str) -> Result<()> {
        self.write(|conn| {
            if body.trim().is_empty() {
                conn.execute("DELETE FROM drafts WHERE ticket_id = ?1 AND agent = ?2", params![ticket_id, agent])?;
            } else {
                conn.execute(
                    "INSERT INTO drafts (ticket_id, agent, kind, body, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (ticket_id, agent) DO UPDATE SET kind = ?3, body = ?4, updated_at = ?5",
                    params![ticket_id, agent, kind.as_str(), body, now_millis()],
                )?;
            }
            Ok(())
        })
    }

    pub fn draft(&self, ticket_id: i64, agent: &str) -> Result<Option<Draft>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT ticket_id, kind, body, updated_at FROM drafts WHERE ticket_id = ?1 AND agent = ?2",
        )?;
        let draft = stmt
            .query_row(params![ticket_id, agent], |row| {
                Ok(Draft { ticket_id: row.get(0)?, kind: named(row, 1)?, body: row.get(2)?, updated_at: time(row, 3)? })
            })
            .optional()?;
        Ok(draft)
    }

    pub fn delete_draft(&self, ticket_id: i64, agent: &str) -> Result<()> {
        self.save_draft(ticket_id, agent, MessageKind::Note, "")
    }
}

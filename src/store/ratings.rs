//! Ratings: CSAT per solved ticket, NPS per customer, the surveys that ask for them and the risk
//! they show.

use super::audit::AuditRow;
use super::tickets::{log_event, read_ticket};
use super::{from_millis, now_millis, to_millis, Result, Store, StoreError};
use crate::domain::satisfaction::{nps_too_soon, Csat, Rating, RatingKind};
use crate::domain::{Status, Ticket, Timestamp};
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Record the customer's CSAT for a solved ticket; a new rating replaces an earlier one.
    pub fn rate_ticket(&self, id: i64, csat: Csat, comment: &str, actor: &str) -> Result<Ticket> {
        self.rate_ticket_seen(id, None, csat, comment, actor)
    }

    /// [`Store::rate_ticket`] if the ticket is still at `seen_version` (when given): the console's
    /// rating of the ticket as drawn.
    pub fn rate_ticket_seen(
        &self,
        id: i64,
        seen_version: Option<i64>,
        csat: Csat,
        comment: &str,
        actor: &str,
    ) -> Result<Ticket> {
        self.write(|conn| {
            let ticket = read_ticket(conn, id)?.ok_or(StoreError::TicketNotFound(id))?;
            if let Some(seen) = seen_version {
                super::tickets::check_version(conn, &ticket, seen)?;
            }
            if !matches!(ticket.status, Status::Solved | Status::Closed) {
                return Err(StoreError::Invalid(format!(
                    "ticket #{id} is {}; CSAT is recorded for solved tickets",
                    ticket.status
                )));
            }
            if same_csat(conn, id, csat, comment)? {
                return Ok(());
            }
            let now = now_millis();
            let replaced = super::undo::csat_row(conn, id)?;
            conn.execute("DELETE FROM ratings WHERE ticket_id = ?1 AND kind = 'csat'", [id])?;
            conn.execute(
                "INSERT INTO ratings (customer_id, ticket_id, kind, score, good, comment, actor, created_at)
                 VALUES (?1, ?2, 'csat', ?3, ?4, ?5, ?6, ?7)",
                params![ticket.customer_id, id, csat.score(), csat.is_good(), comment.trim(), actor, now],
            )?;
            let added = conn.last_insert_rowid();
            conn.execute(
                "UPDATE tickets SET satisfaction = ?1, satisfaction_comment = ?2, version = version + 1 WHERE id = ?3",
                params![csat.score(), comment.trim(), id],
            )?;
            let old = replaced.as_ref().map(super::undo::csat_label);
            log_event(conn, id, actor, "satisfaction", old.as_deref(), Some(&csat.label()), now)?;
            super::undo::record(conn, &super::undo::Details::Rating { added, replaced })?;
            Ok(())
        })?;
        self.ticket(id)
    }

    /// Record a customer's NPS answer (0–10), at most one per customer in 30 days.
    pub fn rate_nps(&self, customer_id: i64, score: u8, comment: &str, actor: &str) -> Result<()> {
        self.customer(customer_id)?;
        self.write(|conn| {
            let last: Option<i64> = conn
                .query_row(
                    "SELECT max(created_at) FROM ratings WHERE customer_id = ?1 AND kind = 'nps'",
                    [customer_id],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            let now = now_millis();
            if let Some(last) = last.map(from_millis).filter(|last| nps_too_soon(*last, from_millis(now))) {
                return Err(StoreError::Invalid(format!(
                    "customer {customer_id} gave an NPS score on {}; NPS is asked at most once in 30 days",
                    crate::domain::when::agent_zone().format(last, "%Y-%m-%d")
                )));
            }
            conn.execute(
                "INSERT INTO ratings (customer_id, kind, score, comment, actor, created_at)
                 VALUES (?1, 'nps', ?2, ?3, ?4, ?5)",
                params![customer_id, score, comment.trim(), actor, now],
            )?;
            let (subject, score) = (customer_id.to_string(), score.to_string());
            super::audit::record(conn, &AuditRow::customer(actor, &subject, "nps", None, Some(&score)), now)
        })
    }

    /// Every rating of a customer, newest first.
    pub fn customer_ratings(&self, customer_id: i64) -> Result<Vec<Rating>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, score, good, ticket_id, comment, created_at FROM ratings
             WHERE customer_id = ?1 ORDER BY created_at DESC, id DESC",
        )?;
        let rows = stmt.query_map([customer_id], |r| {
            let kind: String = r.get(0)?;
            Ok(Rating {
                kind: if kind == "nps" { RatingKind::Nps } else { RatingKind::Csat },
                score: r.get(1)?,
                good: r.get(2)?,
                ticket_id: r.get(3)?,
                comment: r.get(4)?,
                created_at: from_millis(r.get(5)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// Whether the ticket already has this rating with this comment: rating it again changes nothing.
fn same_csat(conn: &rusqlite::Connection, id: i64, csat: Csat, comment: &str) -> Result<bool> {
    let (score, said): (Option<i64>, Option<String>) =
        conn.query_row("SELECT satisfaction, satisfaction_comment FROM tickets WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    Ok(score == Some(i64::from(csat.score())) && said.as_deref().unwrap_or("") == comment.trim())
}

impl Store {
    /// Why a customer is at risk, judged from what happened since `since`: a bad rating, an NPS
    /// detractor answer, or a ticket reopened after it was solved. `None` when nothing did.
    pub fn customer_risk(&self, customer_id: i64, since: Timestamp) -> Result<Option<String>> {
        let since = to_millis(since);
        let bad: Option<(String, u8, Option<i64>)> = self
            .conn
            .prepare_cached(
                "SELECT kind, score, ticket_id FROM ratings WHERE customer_id = ?1 AND created_at >= ?2
                 AND ((kind = 'csat' AND good = 0) OR (kind = 'nps' AND score <= 6))
                 ORDER BY created_at DESC LIMIT 1",
            )?
            .query_row(params![customer_id, since], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        if let Some((kind, score, ticket)) = bad {
            let on = ticket.map(|t| format!(" on #{t}")).unwrap_or_default();
            return Ok(Some(match kind.as_str() {
                "nps" => format!("gave NPS {score}"),
                _ => format!("rated badly{on}"),
            }));
        }
        let reopened: Option<i64> = self
            .conn
            .prepare_cached(
                "SELECT e.ticket_id FROM events e JOIN tickets t ON t.id = e.ticket_id
                 WHERE t.customer_id = ?1 AND e.field = 'status' AND e.old IN ('solved', 'closed')
                 AND e.created_at >= ?2 ORDER BY e.created_at DESC LIMIT 1",
            )?
            .query_row(params![customer_id, since], |r| r.get(0))
            .optional()?;
        Ok(reopened.map(|t| format!("#{t} was reopened")))
    }
}

impl Store {
    /// Remember a survey mailed for a ticket, so a reply to it is recognised by its Message-ID.
    pub fn record_survey(&self, ticket: i64, message_id: &str) -> Result<()> {
        self.write(|conn| {
            conn.execute(
                "INSERT OR IGNORE INTO surveys (message_id, ticket_id, sent_at) VALUES (?1, ?2, ?3)",
                params![message_id, ticket, now_millis()],
            )?;
            Ok(())
        })
    }

    /// The ticket whose survey one of these Message-IDs names, if any.
    pub fn survey_ticket(&self, message_ids: &[String]) -> Result<Option<i64>> {
        let mut stmt = self.conn.prepare_cached("SELECT ticket_id FROM surveys WHERE message_id = ?1")?;
        for id in message_ids {
            if let Some(ticket) = stmt.query_row([id], |r| r.get(0)).optional()? {
                return Ok(Some(ticket));
            }
        }
        Ok(None)
    }
}

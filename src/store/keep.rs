//! Ratings (CSAT per solved ticket, NPS per customer) and snoozed tickets.

use super::tickets::{log_event, read_ticket};
use super::{from_millis, now_millis, to_millis, Result, Store, StoreError};
use crate::domain::satisfaction::{nps_too_soon, Csat, Rating, RatingKind};
use crate::domain::{Status, Ticket, Timestamp};
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;

impl Store {
    /// Record the customer's CSAT for a solved ticket; a new rating replaces an earlier one.
    pub fn rate_ticket(&self, id: i64, csat: Csat, comment: &str, actor: &str) -> Result<Ticket> {
        self.write(|conn| {
            let ticket = read_ticket(conn, id)?.ok_or(StoreError::TicketNotFound(id))?;
            if !matches!(ticket.status, Status::Solved | Status::Closed) {
                return Err(StoreError::Invalid(format!(
                    "ticket #{id} is {}; CSAT is recorded for solved tickets",
                    ticket.status
                )));
            }
            let now = now_millis();
            conn.execute("DELETE FROM ratings WHERE ticket_id = ?1 AND kind = 'csat'", [id])?;
            conn.execute(
                "INSERT INTO ratings (customer_id, ticket_id, kind, score, good, comment, actor, created_at)
                 VALUES (?1, ?2, 'csat', ?3, ?4, ?5, ?6, ?7)",
                params![ticket.customer_id, id, csat.score(), csat.is_good(), comment.trim(), actor, now],
            )?;
            conn.execute(
                "UPDATE tickets SET satisfaction = ?1, satisfaction_comment = ?2, version = version + 1 WHERE id = ?3",
                params![csat.score(), comment.trim(), id],
            )?;
            log_event(conn, id, actor, "satisfaction", None, Some(&csat.label()), now)?;
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
                    last.format("%Y-%m-%d")
                )));
            }
            conn.execute(
                "INSERT INTO ratings (customer_id, kind, score, comment, actor, created_at)
                 VALUES (?1, 'nps', ?2, ?3, ?4, ?5)",
                params![customer_id, score, comment.trim(), actor, now],
            )?;
            Ok(())
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

    /// Snooze an active ticket until `until`: it leaves the working views until then, or until the
    /// customer writes.
    pub fn snooze_ticket(&self, id: i64, until: Timestamp, actor: &str) -> Result<Ticket> {
        self.write(|conn| {
            let ticket = read_ticket(conn, id)?.ok_or(StoreError::TicketNotFound(id))?;
            if !ticket.status.is_active() {
                return Err(StoreError::Invalid(format!(
                    "ticket #{id} is {}; only active tickets snooze",
                    ticket.status
                )));
            }
            let now = now_millis();
            if to_millis(until) <= now {
                return Err(StoreError::Invalid("a snooze ends in the future; give a later time".into()));
            }
            let until_text = until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            conn.execute(
                "UPDATE tickets SET snoozed_until = ?1, version = version + 1, updated_at = ?2 WHERE id = ?3",
                params![to_millis(until), now, id],
            )?;
            log_event(conn, id, actor, "snoozed_until", None, Some(&until_text), now)?;
            Ok(())
        })?;
        self.ticket(id)
    }

    /// When each of these tickets is or was snoozed until, for those that have a snooze.
    pub fn snoozes(&self, tickets: &[Ticket]) -> Result<HashMap<i64, Timestamp>> {
        let mut out = HashMap::new();
        for chunk in tickets.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT id, snoozed_until FROM tickets WHERE snoozed_until IS NOT NULL AND id IN ({marks})"
            ))?;
            let rows = stmt.query_map(rusqlite::params_from_iter(chunk.iter().map(|t| t.id)), |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })?;
            for row in rows {
                let (id, until) = row?;
                out.insert(id, from_millis(until));
            }
        }
        Ok(out)
    }

    /// When the next snoozed ticket comes back (after `now`), if any is snoozed until a time.
    pub fn next_wake(&self, now: Timestamp) -> Result<Option<Timestamp>> {
        let next: Option<i64> = self
            .conn
            .prepare_cached("SELECT min(snoozed_until) FROM tickets WHERE snoozed_until > ?1 AND snoozed_until < ?2")?
            .query_row([to_millis(now), to_millis(crate::domain::sla::until_reply())], |r| r.get(0))?;
        Ok(next.map(from_millis))
    }
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
    /// Raise a new ticket's priority by as many steps as its customer's tier earns (`steps`),
    /// logged as a priority change; at most to urgent.
    pub fn raise_priority_for_tier(
        &self,
        id: i64,
        steps: &dyn Fn(crate::domain::Tier) -> u8,
        actor: &str,
    ) -> Result<Ticket> {
        use crate::domain::{Priority, TicketChange};
        let ticket = self.ticket(id)?;
        let tier = self.customer(ticket.customer_id)?.tier;
        let rank = Priority::ALL.iter().position(|p| *p == ticket.priority).unwrap_or(0);
        let raised = Priority::ALL[(rank + steps(tier) as usize).min(Priority::ALL.len() - 1)];
        if raised == ticket.priority {
            return Ok(ticket);
        }
        let change = TicketChange { priority: Some(raised), ..TicketChange::default() };
        self.update_ticket(id, ticket.version, &change, actor)
    }
}

impl Store {
    /// Change a customer's tier and/or notes; `None` leaves a field as it is.
    pub fn update_customer(
        &self,
        id: i64,
        tier: Option<crate::domain::Tier>,
        notes: Option<&str>,
    ) -> Result<crate::domain::Customer> {
        self.customer(id)?;
        self.write(|conn| {
            if let Some(tier) = tier {
                conn.execute("UPDATE customers SET tier = ?1 WHERE id = ?2", params![tier.as_str(), id])?;
            }
            if let Some(notes) = notes {
                conn.execute("UPDATE customers SET notes = ?1 WHERE id = ?2", params![notes, id])?;
            }
            Ok(())
        })?;
        self.customer(id)
    }
}

impl Store {
    /// How many pending tickets nothing has happened to since `before`.
    pub fn count_stale_pending(&self, before: Timestamp) -> Result<u64> {
        let n: i64 = self
            .conn
            // The list of active statuses lets SQLite use the small index of active tickets.
            .prepare_cached(
                "SELECT count(*) FROM tickets WHERE status IN ('new', 'open', 'pending', 'on_hold')
                 AND status = 'pending' AND updated_at < ?1",
            )?
            .query_row([to_millis(before)], |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Solve the pending tickets nothing has happened to since `before`, each at the version it
    /// was listed at: one that changed meanwhile (the customer wrote) is left as it is. Returns
    /// the solved tickets.
    pub fn solve_stale_pending(&self, before: Timestamp, actor: &str) -> Result<Vec<Ticket>> {
        let solve = crate::domain::TicketChange { status: Some(Status::Solved), ..Default::default() };
        let mut solved = Vec::new();
        for ticket in self.stale_pending(before)? {
            match self.update_ticket(ticket.id, ticket.version, &solve, actor) {
                Ok(ticket) => solved.push(ticket),
                Err(StoreError::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(solved)
    }

    /// Pending tickets nothing has happened to since `before`: the customer never answered.
    pub fn stale_pending(&self, before: Timestamp) -> Result<Vec<Ticket>> {
        use super::rows::{self, TICKET_COLUMNS};
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {TICKET_COLUMNS} FROM tickets t JOIN customers c ON c.id = t.customer_id
             WHERE t.status IN ('new', 'open', 'pending', 'on_hold') AND t.status = 'pending'
             AND t.updated_at < ?1 ORDER BY t.updated_at, t.id"
        ))?;
        let rows = stmt.query_map([to_millis(before)], rows::ticket)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

impl Store {
    /// When the customer last wrote to the desk. Read through the customer's tickets, which are
    /// indexed, rather than by author, which is not: at 100k tickets that scan took 170 ms.
    pub fn last_contact(&self, customer_id: i64) -> Result<Option<Timestamp>> {
        let at: Option<i64> = self
            .conn
            .prepare_cached(
                "SELECT max(m.created_at) FROM tickets t JOIN messages m ON m.ticket_id = t.id
                 WHERE t.customer_id = ?1 AND m.author_customer = ?1",
            )?
            .query_row([customer_id], |r| r.get(0))?;
        Ok(at.map(from_millis))
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

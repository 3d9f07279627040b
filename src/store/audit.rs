//! The audit log of what is not a ticket's own event (customers, agents, deletions), written in
//! the same transaction as the change, and read together with the tickets' events as one history.

use super::rows::time;
use super::{Result, Store, StoreError};
use crate::domain::audit::{AuditEntry, AuditQuery, Source, SubjectKind, Tombstone};
use crate::domain::Ticket;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, ToSql};

/// One row to write: `ticket` and `customer` name the ticket and customer it concerns, if any.
pub(crate) struct AuditRow<'a> {
    pub actor: &'a str,
    pub kind: SubjectKind,
    pub subject: &'a str,
    pub field: &'a str,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
    pub ticket: Option<i64>,
    pub customer: Option<i64>,
}

impl<'a> AuditRow<'a> {
    /// A change of one of a customer's fields.
    pub fn customer(
        actor: &'a str,
        subject: &'a str,
        field: &'a str,
        old: Option<&'a str>,
        new: Option<&'a str>,
    ) -> Self {
        let customer = subject.parse().ok();
        AuditRow { actor, kind: SubjectKind::Customer, subject, field, old, new, ticket: None, customer }
    }

    pub fn agent(actor: &'a str, login: &'a str, field: &'a str, old: Option<&'a str>, new: Option<&'a str>) -> Self {
        AuditRow { actor, kind: SubjectKind::Agent, subject: login, field, old, new, ticket: None, customer: None }
    }
}

/// In the caller's write: append `row` at `at`.
pub(crate) fn record(conn: &Connection, row: &AuditRow, at: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit (at, actor, subject_kind, subject_id, field, old, new, ticket_id, customer_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        at,
        row.actor,
        row.kind.as_str(),
        row.subject,
        row.field,
        row.old,
        row.new,
        row.ticket,
        row.customer
    ])?;
    Ok(())
}

/// The number a new ticket gets: above every ticket there is and every one the audit log names,
/// so a deleted ticket's number is never given to another (SQLite reuses the highest rowid).
pub(crate) fn next_ticket_id(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT max(ifnull((SELECT max(id) FROM tickets), 0),
                    ifnull((SELECT max(ticket_id) FROM audit WHERE ticket_id IS NOT NULL), 0)) + 1",
        )?
        .query_row([], |r| r.get(0))?)
}

/// The number a new customer gets: never one a merged-away customer had.
pub(crate) fn next_customer_id(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT max(ifnull((SELECT max(id) FROM customers), 0),
                    ifnull((SELECT max(customer_id) FROM audit WHERE customer_id IS NOT NULL), 0)) + 1",
        )?
        .query_row([], |r| r.get(0))?)
}

/// In the caller's write, before `ticket` is deleted: copy its events here (the delete cascades
/// them away) and leave its tombstone, who deleted what.
pub(crate) fn bury_ticket(conn: &Connection, ticket: &Ticket, actor: &str, at: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO audit (at, actor, subject_kind, subject_id, field, old, new, ticket_id, customer_id)
         SELECT created_at, actor, 'ticket', CAST(ticket_id AS TEXT), field, old, new, ticket_id, ?2
         FROM events WHERE ticket_id = ?1 ORDER BY id",
        params![ticket.id, ticket.customer_id],
    )?;
    let messages: i64 =
        conn.query_row("SELECT count(*) FROM messages WHERE ticket_id = ?1", [ticket.id], |r| r.get(0))?;
    let what = format!(
        "\"{}\" from {} <{}> (customer {}), {}, {messages} message{}",
        ticket.subject,
        ticket.customer_name,
        ticket.customer_email,
        ticket.customer_id,
        ticket.status,
        if messages == 1 { "" } else { "s" }
    );
    let subject = ticket.id.to_string();
    let row = AuditRow {
        actor,
        kind: SubjectKind::Ticket,
        subject: &subject,
        field: "deleted",
        old: Some(&what),
        new: None,
        ticket: Some(ticket.id),
        customer: Some(ticket.customer_id),
    };
    record(conn, &row, at)
}

/// Why a ticket cannot be read: deleted (with its tombstone) or never there.
pub(crate) fn missing_ticket(conn: &Connection, id: i64) -> StoreError {
    match tombstone(conn, id) {
        Ok(Some(stone)) => StoreError::TicketDeleted(Box::new(stone)),
        _ => StoreError::TicketNotFound(id),
    }
}

fn tombstone(conn: &Connection, id: i64) -> Result<Option<Tombstone>> {
    let mut stmt = conn.prepare_cached(
        "SELECT actor, at, old FROM audit WHERE ticket_id = ?1 AND subject_kind = 'ticket' AND field = 'deleted'
         ORDER BY id DESC LIMIT 1",
    )?;
    let row = stmt.query_row([id], |r| {
        Ok(Tombstone {
            ticket: id,
            by: r.get(0)?,
            at: time(r, 1)?,
            what: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
        })
    });
    Ok(row.optional()?)
}

impl Store {
    /// Who deleted ticket `id`, when, and what it was; `None` when it was never deleted.
    pub fn tombstone(&self, id: i64) -> Result<Option<Tombstone>> {
        tombstone(&self.conn, id)
    }

    /// Every entry `query` selects, the tickets' events and the audit log together, oldest first
    /// (by time, then as written), one at a time: a desk's whole history is never held at once.
    pub fn audit_trail(&self, query: &AuditQuery, each: &mut dyn FnMut(AuditEntry) -> Result<()>) -> Result<()> {
        let mut params: Vec<Box<dyn ToSql>> = Vec::new();
        let events = events_part(query, &mut params);
        let audit = audit_part(query, &mut params);
        // At one moment the audit log's rows first: a customer is created before their ticket,
        // and a merge of customers is decided before it moves their tickets.
        let sql = format!("SELECT * FROM ({events} UNION ALL {audit}) ORDER BY 3, 1 DESC, 2");
        self.read(|| {
            let mut stmt = self.conn.prepare(&sql)?;
            let mut rows = stmt.query(params_from_iter(params.iter()))?;
            while let Some(row) = rows.next()? {
                each(entry(row)?)?;
            }
            Ok(())
        })
    }
}

/// The columns both parts give, in this order: source (0 for events, 1 for audit), id, time,
/// actor, kind, subject, field, old, new.
fn events_part(q: &AuditQuery, params: &mut Vec<Box<dyn ToSql>>) -> String {
    let mut terms = vec!["1 = 1".to_string()];
    common_terms(q, "e.created_at", "e.actor", &mut terms, params);
    if let Some(ticket) = q.ticket {
        terms.push("e.ticket_id = ?".into());
        params.push(Box::new(ticket));
    }
    if let Some(customer) = q.customer {
        terms.push("e.ticket_id IN (SELECT id FROM tickets WHERE customer_id = ?)".into());
        params.push(Box::new(customer));
    }
    format!(
        "SELECT 0, e.id, e.created_at, e.actor, 'ticket', CAST(e.ticket_id AS TEXT), e.field, e.old, e.new
         FROM events e WHERE {}",
        terms.join(" AND ")
    )
}

fn audit_part(q: &AuditQuery, params: &mut Vec<Box<dyn ToSql>>) -> String {
    let mut terms = vec!["1 = 1".to_string()];
    common_terms(q, "a.at", "a.actor", &mut terms, params);
    if let Some(ticket) = q.ticket {
        terms.push("a.ticket_id = ?".into());
        params.push(Box::new(ticket));
    }
    if let Some(customer) = q.customer {
        // A deleted ticket's rows name the customer it had then.
        terms.push("a.customer_id = ?".into());
        params.push(Box::new(customer));
    }
    format!(
        "SELECT 1, a.id, a.at, a.actor, a.subject_kind, a.subject_id, a.field, a.old, a.new
         FROM audit a WHERE {}",
        terms.join(" AND ")
    )
}

fn common_terms(q: &AuditQuery, at: &str, actor: &str, terms: &mut Vec<String>, params: &mut Vec<Box<dyn ToSql>>) {
    if let Some(since) = q.since {
        terms.push(format!("{at} >= ?"));
        params.push(Box::new(super::to_millis(since)));
    }
    if let Some(until) = q.until {
        terms.push(format!("{at} < ?"));
        params.push(Box::new(super::to_millis(until)));
    }
    if let Some(who) = &q.who {
        terms.push(format!("{actor} = ?"));
        params.push(Box::new(who.clone()));
    }
}

fn entry(row: &rusqlite::Row) -> Result<AuditEntry> {
    let kind: String = row.get(4)?;
    Ok(AuditEntry {
        source: if row.get::<_, i64>(0)? == 0 { Source::Event } else { Source::Audit },
        id: row.get(1)?,
        at: time(row, 2)?,
        actor: row.get(3)?,
        kind: SubjectKind::parse(&kind)
            .ok_or_else(|| StoreError::Invalid(format!("unknown audit subject '{kind}'")))?,
        subject: row.get(5)?,
        field: row.get(6)?,
        old: row.get(7)?,
        new: row.get(8)?,
    })
}

//! Turning SQL rows into domain types.

use super::from_millis;
use crate::domain::{Event, Message, Ticket};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ValueRef};
use rusqlite::Row;
use std::str::FromStr;

/// An enum stored by its lowercase name.
pub(crate) struct Named<T>(pub T);

impl<T: FromStr> FromSql for Named<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        T::from_str(text).map(Named).map_err(|_| FromSqlError::InvalidType)
    }
}

pub(crate) fn named<T: FromStr>(row: &Row, idx: usize) -> rusqlite::Result<T> {
    Ok(row.get::<_, Named<T>>(idx)?.0)
}

pub(crate) fn time(row: &Row, idx: usize) -> rusqlite::Result<crate::domain::Timestamp> {
    Ok(from_millis(row.get(idx)?))
}

pub(crate) fn opt_time(row: &Row, idx: usize) -> rusqlite::Result<Option<crate::domain::Timestamp>> {
    Ok(row.get::<_, Option<i64>>(idx)?.map(from_millis))
}

pub(crate) fn split_tags(joined: String) -> Vec<String> {
    joined.split(' ').filter(|t| !t.is_empty()).map(str::to_string).collect()
}

/// Columns read by [`ticket`], over `tickets t JOIN customers c`. A ticket's `waiting_since` is
/// read only while it needs a reply ([`crate::domain::lifecycle::needs_reply`]): the column keeps
/// the wait of a ticket on hold or snoozed for when it comes back.
pub(crate) const TICKET_COLUMNS: &str = "t.id, t.subject, t.customer_id, c.name,
    COALESCE((SELECT e.email FROM customer_emails e WHERE e.customer_id = t.customer_id
              ORDER BY e.position LIMIT 1), ''),
    t.assignee, t.status, t.priority, t.channel,
    COALESCE((SELECT group_concat(g.tag, ' ' ORDER BY g.tag) FROM ticket_tags g WHERE g.ticket_id = t.id), ''),
    t.created_at, t.updated_at, t.first_response_at, t.solved_at, t.version,
    CASE WHEN t.status IN ('new', 'open') AND (t.snoozed_until IS NULL
                                               OR t.snoozed_until <= CAST(unixepoch('subsec') * 1000 AS INTEGER))
         THEN t.waiting_since END";

/// How many columns [`TICKET_COLUMNS`] reads: a query's own columns come after them.
pub(crate) const TICKET_COLUMN_COUNT: usize = 16;

pub(crate) fn ticket(row: &Row) -> rusqlite::Result<Ticket> {
    Ok(Ticket {
        id: row.get(0)?,
        subject: row.get(1)?,
        customer_id: row.get(2)?,
        customer_name: row.get(3)?,
        customer_email: row.get(4)?,
        assignee: row.get(5)?,
        status: named(row, 6)?,
        priority: named(row, 7)?,
        channel: named(row, 8)?,
        tags: split_tags(row.get(9)?),
        created_at: time(row, 10)?,
        updated_at: time(row, 11)?,
        first_response_at: opt_time(row, 12)?,
        solved_at: opt_time(row, 13)?,
        version: row.get(14)?,
        waiting_since: opt_time(row, 15)?,
    })
}

/// Columns read by [`message`], over `messages m LEFT JOIN customers c ON c.id = m.author_customer`.
pub(crate) const MESSAGE_COLUMNS: &str =
    "m.id, m.ticket_id, m.kind, COALESCE(m.author_login, (SELECT r.rule FROM message_rules r WHERE r.message_id = m.id), c.name, 'system'), m.body, m.created_at";

pub(crate) fn message(row: &Row) -> rusqlite::Result<Message> {
    Ok(Message {
        id: row.get(0)?,
        ticket_id: row.get(1)?,
        kind: named(row, 2)?,
        author: row.get(3)?,
        body: row.get(4)?,
        created_at: time(row, 5)?,
    })
}

pub(crate) const EVENT_COLUMNS: &str = "id, ticket_id, actor, field, old, new, created_at";

pub(crate) fn event(row: &Row) -> rusqlite::Result<Event> {
    Ok(Event {
        id: row.get(0)?,
        ticket_id: row.get(1)?,
        actor: row.get(2)?,
        field: row.get(3)?,
        old: row.get(4)?,
        new: row.get(5)?,
        created_at: time(row, 6)?,
    })
}

//! Tickets: creating, reading, listing and changing them, each change in the event log.

use super::customers::find_or_create_customer;
use super::rows::{self, EVENT_COLUMNS, MESSAGE_COLUMNS, TICKET_COLUMNS};
use super::{now_millis, to_millis, Result, Store, StoreError};
use crate::domain::{lifecycle, normalize_tag, Event, MessageKind, NewTicket, Priority, Status, Ticket, TicketChange};
use crate::domain::{AssigneeFilter, PageCursor, Sort, TicketDetail, TicketFilter};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, ToSql};

const PRIORITY_RANK: &str = "(CASE t.priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END)";

fn priority_rank(priority: Priority) -> i64 {
    match priority {
        Priority::Urgent => 3,
        Priority::High => 2,
        Priority::Normal => 1,
        Priority::Low => 0,
    }
}

const ACTIVE_SQL: &str = "t.status NOT IN ('solved', 'closed')";

/// Which of the snoozed tickets a filter's terms take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Snoozed {
    Out,
    Only,
}

impl TicketFilter {
    pub(super) fn where_clause(&self, params: &mut Vec<Box<dyn ToSql>>) -> String {
        self.where_clause_of(params, Snoozed::Out)
    }

    /// The filter's terms, with the snoozed tickets it leaves out (`Out`), or only those (`Only`:
    /// what a count kept without time in it must take off).
    pub(super) fn where_clause_of(&self, params: &mut Vec<Box<dyn ToSql>>, snoozed: Snoozed) -> String {
        let snooze_term = match snoozed {
            // A snoozed ticket leaves the working views until its time comes.
            Snoozed::Out => "(t.snoozed_until IS NULL OR t.snoozed_until <= ?)",
            Snoozed::Only => "t.snoozed_until > ?",
        };
        let mut terms = vec!["1 = 1".to_string()];
        if self.active_only {
            terms.push(ACTIVE_SQL.to_string());
            terms.push(snooze_term.into());
            params.push(Box::new(super::now_millis()));
        }
        if !self.statuses.is_empty() {
            let marks = vec!["?"; self.statuses.len()].join(", ");
            terms.push(format!("t.status IN ({marks})"));
            params.extend(self.statuses.iter().map(|s| Box::new(s.as_str()) as Box<dyn ToSql>));
        }
        match &self.assignee {
            AssigneeFilter::Any => {}
            AssigneeFilter::Nobody => terms.push("t.assignee IS NULL".into()),
            AssigneeFilter::Agent(login) => {
                terms.push("t.assignee = ?".into());
                params.push(Box::new(login.clone()));
            }
        }
        for tag in &self.tags {
            terms.push("EXISTS (SELECT 1 FROM ticket_tags g WHERE g.ticket_id = t.id AND g.tag = ?)".into());
            params.push(Box::new(normalize_tag(tag).unwrap_or_default()));
        }
        if !self.priorities.is_empty() {
            let marks = vec!["?"; self.priorities.len()].join(", ");
            terms.push(format!("t.priority IN ({marks})"));
            params.extend(self.priorities.iter().map(|p| Box::new(p.as_str()) as Box<dyn ToSql>));
        }
        if self.needs_reply {
            terms.push(format!("{} AND {snooze_term}", super::waiting::WAITING_ON_US));
            params.push(Box::new(super::now_millis()));
        }
        terms.join(" AND ")
    }
}

/// A conversation's messages, each with its thread rule (the columns of [`rows::message`], then the
/// rule), in the order of the index by ticket.
fn conversation_messages() -> String {
    format!(
        "SELECT {MESSAGE_COLUMNS}, m.thread_rule FROM messages m LEFT JOIN customers c ON c.id = m.author_customer
         WHERE m.ticket_id = ?1"
    )
}

/// A conversation's events, read from the index that holds them in ticket order.
fn conversation_events() -> String {
    format!("SELECT {EVENT_COLUMNS} FROM events WHERE ticket_id = ?1")
}

/// The SQL and parameters of one page in the filter's order (not by due time), starting after
/// `after`: every order of every tab is a range of an index (see [`Store::page_plan`]).
fn page_sql(filter: &TicketFilter, after: Option<PageCursor>, limit: usize) -> (String, Vec<Box<dyn ToSql>>) {
    let mut params: Vec<Box<dyn ToSql>> = Vec::new();
    let mut sql = format!(
        "SELECT {TICKET_COLUMNS} FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE {}",
        filter.where_clause(&mut params)
    );
    match (filter.sort, after) {
        (Sort::Updated | Sort::Due, Some(cursor)) => {
            sql.push_str(" AND (t.updated_at, t.id) < (?, ?)");
            params.push(Box::new(to_millis(cursor.updated_at)));
            params.push(Box::new(cursor.id));
        }
        (Sort::Created, Some(cursor)) => {
            sql.push_str(" AND t.id < ?");
            params.push(Box::new(cursor.id));
        }
        (Sort::Priority, Some(cursor)) => {
            sql.push_str(&format!(" AND ({PRIORITY_RANK}, t.updated_at, t.id) < (?, ?, ?)"));
            params.push(Box::new(priority_rank(cursor.priority)));
            params.push(Box::new(to_millis(cursor.updated_at)));
            params.push(Box::new(cursor.id));
        }
        (_, None) => {}
    }
    sql.push_str(&match filter.sort {
        Sort::Updated | Sort::Due => " ORDER BY t.updated_at DESC, t.id DESC LIMIT ?".to_string(),
        Sort::Created => " ORDER BY t.id DESC LIMIT ?".to_string(),
        Sort::Priority => format!(" ORDER BY {PRIORITY_RANK} DESC, t.updated_at DESC, t.id DESC LIMIT ?"),
    });
    params.push(Box::new(limit as i64));
    (sql, params)
}

impl Store {
    /// How SQLite reads a page of `filter` in its order (`EXPLAIN QUERY PLAN`, one line a step):
    /// for the tests that hold every tab's every order to an index range.
    #[doc(hidden)]
    pub fn page_plan(&self, filter: &TicketFilter, after: Option<PageCursor>) -> Result<Vec<String>> {
        let (sql, params) = page_sql(filter, after, 200);
        self.query_plan(&sql, params_from_iter(params.iter()))
    }

    /// Create a ticket with its first customer message, creating the customer when the address is new.
    pub fn create_ticket(&self, new: &NewTicket, actor: &str) -> Result<Ticket> {
        let subject = new.subject.trim();
        if subject.is_empty() {
            return Err(StoreError::Invalid("a ticket needs a subject".into()));
        }
        let id = self.write(|conn| {
            let customer = find_or_create_customer(conn, &new.customer_email, new.customer_name.as_deref(), actor)?;
            let now = now_millis();
            let id = super::audit::next_ticket_id(conn)?;
            conn.execute(
                "INSERT INTO tickets (id, subject, customer_id, status, priority, channel, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 'new', ?4, ?5, ?6, ?6)",
                params![id, subject, customer, new.priority.as_str(), new.channel.as_str(), now],
            )?;
            for tag in new.tags.iter().map(|t| crate::domain::tag_or_why(t).map_err(StoreError::Invalid)) {
                let tag = tag?;
                conn.execute("INSERT OR IGNORE INTO ticket_tags (ticket_id, tag) VALUES (?1, ?2)", params![id, tag])?;
            }
            if !new.body.is_empty() {
                conn.execute(
                    "INSERT INTO messages (ticket_id, kind, author_customer, body, created_at)
                     VALUES (?1, 'customer', ?2, ?3, ?4)",
                    params![id, customer, new.body, now],
                )?;
                super::waiting::after_message(conn, id, MessageKind::Customer, now, Status::New)?;
            }
            log_event(conn, id, actor, "created", None, Some(subject), now)?;
            Ok(id)
        })?;
        self.ticket(id)
    }

    /// Delete a ticket and everything that hangs off it (messages, events, tags, drafts), leaving
    /// in the audit log its events and a tombstone: who deleted what. Returns the ticket as it was.
    pub fn delete_ticket(&self, id: i64, actor: &str) -> Result<Ticket> {
        self.delete_ticket_seen(id, None, actor)
    }

    /// Delete the ticket if it is still at `seen` (the version the deleting agent saw; `None`:
    /// whatever it is now), leaving its tombstone in the audit log.
    pub fn delete_ticket_seen(&self, id: i64, seen: Option<i64>, actor: &str) -> Result<Ticket> {
        self.write(|conn| {
            let ticket = read_ticket(conn, id)?.ok_or_else(|| super::audit::missing_ticket(conn, id))?;
            if let Some(seen) = seen {
                check_version(conn, &ticket, seen)?;
            }
            super::audit::bury_ticket(conn, &ticket, actor, now_millis())?;
            conn.execute("DELETE FROM tickets WHERE id = ?1", [id])?;
            Ok(ticket)
        })
    }

    pub fn ticket(&self, id: i64) -> Result<Ticket> {
        read_ticket(&self.conn, id)?.ok_or_else(|| super::audit::missing_ticket(&self.conn, id))
    }

    /// The ticket, its whole conversation, its event log and its customer.
    pub fn ticket_detail(&self, id: i64) -> Result<TicketDetail> {
        self.read(|| self.read_ticket_detail(id))
    }

    fn read_ticket_detail(&self, id: i64) -> Result<TicketDetail> {
        let ticket = self.ticket(id)?;
        // In the index's order (by id), then by time here: the rows come nearly sorted, and an
        // ORDER BY would copy every message body through SQLite's sorter first (a fifth of the
        // time of a long conversation). The thread rule comes with each row, so the mail's parts
        // below need not read the messages a second time.
        let mut stmt = self.conn.prepare_cached(&conversation_messages())?;
        let mut rules = Vec::new();
        let mut messages = Vec::new();
        for row in stmt.query_map([id], |r| Ok((rows::message(r)?, r.get::<_, Option<String>>(6)?)))? {
            let (message, rule) = row?;
            if let Some(rule) = rule {
                rules.push((message.id, rule));
            }
            messages.push(message);
        }
        messages.sort_by_key(|m| (m.created_at, m.id));
        let mut stmt = self.conn.prepare_cached(&conversation_events())?;
        let mut events = stmt.query_map([id], rows::event)?.collect::<rusqlite::Result<Vec<_>>>()?;
        events.sort_by_key(|e| (e.created_at, e.id));
        let customer = self.customer(ticket.customer_id)?;
        let mut mail = super::attachments::mail_parts(&self.conn, id)?;
        for (message, rule) in rules {
            mail.messages.entry(message).or_default().thread_rule = Some(rule);
        }
        Ok(TicketDetail { ticket, messages, events, customer, mail })
    }

    /// How SQLite reads a conversation's messages and events (`EXPLAIN QUERY PLAN`, one line a
    /// step, the messages' first): for the test that holds a ticket's events to their index.
    #[doc(hidden)]
    pub fn conversation_plan(&self) -> Result<Vec<String>> {
        let mut plan = Vec::new();
        for sql in [conversation_messages(), conversation_events()] {
            plan.extend(self.query_plan(&sql, [0])?);
        }
        Ok(plan)
    }
    /// One page of tickets in the filter's order, starting after `after`.
    pub fn list_tickets(&self, filter: &TicketFilter, after: Option<PageCursor>, limit: usize) -> Result<Vec<Ticket>> {
        Ok(self.list_page(filter, after, limit)?.into_iter().map(|(ticket, _)| ticket).collect())
    }

    /// One page of tickets in the filter's order, starting after `after`, each with the cursor of
    /// the page that starts after it.
    pub fn list_page(
        &self,
        filter: &TicketFilter,
        after: Option<PageCursor>,
        limit: usize,
    ) -> Result<Vec<(Ticket, PageCursor)>> {
        if filter.sort == Sort::Due {
            return self.read(|| super::due::list(self, filter, after, limit));
        }
        let (sql, params) = page_sql(filter, after, limit);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(params.iter()), rows::ticket)?;
        let page = rows.map(|row| {
            row.map(|ticket| {
                let cursor = PageCursor::after(&ticket);
                (ticket, cursor)
            })
        });
        Ok(page.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The tickets with these ids, in the order given (ids that no longer exist are left out).
    pub fn tickets_by_ids(&self, ids: &[i64]) -> Result<Vec<Ticket>> {
        let mut found = std::collections::HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {TICKET_COLUMNS} FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id IN ({marks})"
            ))?;
            for ticket in stmt.query_map(params_from_iter(chunk.iter()), rows::ticket)? {
                let ticket = ticket?;
                found.insert(ticket.id, ticket);
            }
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// For the queue filter: every ticket `filter` shows, most recently updated first, as its id
    /// and the text the filter matches (number, subject, customer name and first address).
    pub fn filter_candidates(&self, filter: &TicketFilter, each: &mut dyn FnMut(i64, &str)) -> Result<()> {
        let mut params: Vec<Box<dyn ToSql>> = Vec::new();
        let sql = format!(
            "SELECT t.id, t.subject, c.name,
                    COALESCE((SELECT e.email FROM customer_emails e WHERE e.customer_id = t.customer_id
                              ORDER BY e.position LIMIT 1), '')
             FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE {}
             ORDER BY t.updated_at DESC, t.id DESC",
            filter.where_clause(&mut params)
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(params_from_iter(params.iter()))?;
        let mut text = String::new();
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            text.clear();
            use std::fmt::Write as _;
            let _ = write!(text, "#{id} ");
            text.push_str(row.get_ref(1)?.as_str().unwrap_or_default());
            text.push(' ');
            text.push_str(row.get_ref(2)?.as_str().unwrap_or_default());
            text.push(' ');
            text.push_str(row.get_ref(3)?.as_str().unwrap_or_default());
            each(id, &text);
        }
        Ok(())
    }

    /// Apply `change` if the ticket is still at `expected_version`; every changed field is logged.
    pub fn update_ticket(&self, id: i64, expected_version: i64, change: &TicketChange, actor: &str) -> Result<Ticket> {
        self.write(|conn| {
            let current = read_ticket(conn, id)?.ok_or(StoreError::TicketNotFound(id))?;
            check_version(conn, &current, expected_version)?;
            let now = now_millis();
            if apply_change(conn, &current, change, actor, now)? {
                bump_version(conn, id, now)?;
            }
            Ok(())
        })?;
        self.ticket(id)
    }

    /// Apply `change` to the ticket as it is when the write starts, whatever was written before:
    /// for changes that do not depend on what the writer saw (a tag, a note's ticket, a status
    /// set by a script). Returns the status it had, and the ticket after.
    pub fn change_ticket(&self, id: i64, change: &TicketChange, actor: &str) -> Result<(Status, Ticket)> {
        let before = self.write(|conn| {
            let current = read_ticket(conn, id)?.ok_or(StoreError::TicketNotFound(id))?;
            let now = now_millis();
            if apply_change(conn, &current, change, actor, now)? {
                bump_version(conn, id, now)?;
            }
            Ok(current.status)
        })?;
        Ok((before, self.ticket(id)?))
    }

    /// Tickets of one customer, newest first.
    pub fn customer_tickets(&self, customer_id: i64, limit: usize) -> Result<Vec<Ticket>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {TICKET_COLUMNS} FROM tickets t JOIN customers c ON c.id = t.customer_id
             WHERE t.customer_id = ?1 ORDER BY t.created_at DESC, t.id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![customer_id, limit as i64], rows::ticket)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// A ticket by id, from the tickets table alone (the customer's name as a subquery): joined to
/// customers, the plan depended on the bound id, so SQLite re-prepared the query for every other
/// ticket (an eighth of an import's time, and on every conversation the console opened).
pub(crate) fn ticket_by_id() -> &'static str {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let name = "(SELECT c.name FROM customers c WHERE c.id = t.customer_id)";
        format!("SELECT {} FROM tickets t WHERE t.id = ?1", TICKET_COLUMNS.replacen("c.name", name, 1))
    });
    &SQL
}

pub(crate) fn read_ticket(conn: &Connection, id: i64) -> Result<Option<Ticket>> {
    let mut stmt = conn.prepare_cached(ticket_by_id())?;
    let found = stmt.query_row([id], rows::ticket).optional()?;
    Ok(found)
}

pub(crate) fn check_version(conn: &Connection, current: &Ticket, expected: i64) -> Result<()> {
    if current.version == expected {
        return Ok(());
    }
    let changes = changes_since(conn, current.id, current.version - expected)?;
    let by = changes.last().map_or_else(|| "someone".to_string(), |e| e.actor.clone());
    Err(StoreError::Conflict { ticket: current.id, expected, actual: current.version, by, changes })
}

/// The events of the last `writes` writes on a ticket, oldest first. Each write bumps the version
/// once and logs its events with one actor and one time (see `frontdesk check`).
fn changes_since(conn: &Connection, ticket: i64, writes: i64) -> Result<Vec<Event>> {
    if writes <= 0 {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE ticket_id = ?1 AND field <> 'created' ORDER BY id DESC LIMIT 200"
    ))?;
    let mut newest_first = Vec::new();
    let mut seen = 0;
    for event in stmt.query_map([ticket], rows::event)? {
        let event = event?;
        let same_write =
            newest_first.last().is_some_and(|e: &Event| e.actor == event.actor && e.created_at == event.created_at);
        if !same_write {
            if seen == writes {
                break;
            }
            seen += 1;
        }
        newest_first.push(event);
    }
    newest_first.reverse();
    Ok(newest_first)
}

/// In the caller's write: apply `change` to `current`, logging each changed field at `now`;
/// returns whether anything changed. The caller bumps the version (once per write).
pub(crate) fn apply_change(
    conn: &Connection,
    current: &Ticket,
    change: &TicketChange,
    actor: &str,
    now: i64,
) -> Result<bool> {
    let id = current.id;
    let mut changed = apply_status(conn, current, change.status, actor, now)?;
    if let Some(priority) = change.priority.filter(|p| *p != current.priority) {
        conn.prepare_cached("UPDATE tickets SET priority = ?1 WHERE id = ?2")?
            .execute(params![priority.as_str(), id])?;
        log_event(conn, id, actor, "priority", Some(current.priority.as_str()), Some(priority.as_str()), now)?;
        changed = true;
    }
    if let Some(assignee) = change.assignee.as_ref().filter(|a| **a != current.assignee) {
        if let Some(login) = assignee {
            super::agents::require_active_agent(conn, login)?;
        }
        conn.prepare_cached("UPDATE tickets SET assignee = ?1 WHERE id = ?2")?.execute(params![assignee, id])?;
        log_event(conn, id, actor, "assignee", current.assignee.as_deref(), assignee.as_deref(), now)?;
        changed = true;
    }
    changed |= apply_tags(conn, id, change, actor, now)?;
    Ok(changed)
}

/// Move the ticket to `to` if that is a change; returns whether it changed.
pub(crate) fn apply_status(
    conn: &Connection,
    current: &Ticket,
    to: Option<Status>,
    actor: &str,
    now: i64,
) -> Result<bool> {
    let Some(to) = to.filter(|s| *s != current.status) else { return Ok(false) };
    if !lifecycle::may_move(current.status, to) {
        return Err(StoreError::Invalid(format!(
            "ticket #{} is closed; closed tickets stay closed (open a new ticket instead)",
            current.id
        )));
    }
    let solved_at = match to {
        Status::Solved | Status::Closed => Some(current.solved_at.map(to_millis).unwrap_or(now)),
        _ => None,
    };
    conn.prepare_cached("UPDATE tickets SET status = ?1, solved_at = ?2 WHERE id = ?3")?.execute(params![
        to.as_str(),
        solved_at,
        current.id
    ])?;
    log_event(conn, current.id, actor, "status", Some(current.status.as_str()), Some(to.as_str()), now)?;
    super::undo::record_status(conn, current)?;
    super::waiting::after_status(conn, current.id, to)?;
    Ok(true)
}

fn apply_tags(conn: &Connection, id: i64, change: &TicketChange, actor: &str, now: i64) -> Result<bool> {
    let mut changed = false;
    for tag in change.add_tags.iter().map(|t| crate::domain::tag_or_why(t).map_err(StoreError::Invalid)) {
        let tag = tag?;
        if conn.execute("INSERT OR IGNORE INTO ticket_tags (ticket_id, tag) VALUES (?1, ?2)", params![id, tag])? > 0 {
            log_event(conn, id, actor, "tag", None, Some(&tag), now)?;
            changed = true;
        }
    }
    for tag in change.remove_tags.iter().map(|t| crate::domain::tag_or_why(t).map_err(StoreError::Invalid)) {
        let tag = tag?;
        if conn.execute("DELETE FROM ticket_tags WHERE ticket_id = ?1 AND tag = ?2", params![id, tag])? > 0 {
            log_event(conn, id, actor, "tag", Some(&tag), None, now)?;
            changed = true;
        }
    }
    Ok(changed)
}

/// Every write to a ticket ends so: its version once up (the checked writes compare it), and the
/// time it was last updated.
pub(crate) fn bump_version(conn: &Connection, ticket: i64, now: i64) -> Result<()> {
    conn.prepare_cached("UPDATE tickets SET version = version + 1, updated_at = ?1 WHERE id = ?2")?
        .execute(params![now, ticket])?;
    Ok(())
}

pub(crate) fn log_event(
    conn: &Connection,
    ticket: i64,
    actor: &str,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
    at: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO events (ticket_id, actor, field, old, new, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![ticket, actor, field, old, new, at])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Channel, NewTicket, Priority};
    use rusqlite::StatementStatus;

    /// How often SQLite re-prepared the cached statement for `sql`.
    fn reprepares(store: &Store, sql: &str) -> i32 {
        store.conn.prepare_cached(sql).unwrap().get_status(StatementStatus::RePrepare)
    }

    #[test]
    fn reading_tickets_and_customers_by_id_does_not_re_prepare_for_each_id() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.db")).unwrap();
        store.register_first_admin("ana").unwrap();
        let mut ids = Vec::new();
        for n in 0..12 {
            let new = NewTicket {
                customer_email: format!("c{n}@example.com"),
                customer_name: None,
                subject: format!("Order {n}"),
                body: "Where is it?".into(),
                priority: Priority::Normal,
                channel: Channel::Email,
                tags: vec![],
            };
            ids.push(store.create_ticket(&new, "ana").unwrap());
        }
        for ticket in &ids {
            assert_eq!(store.ticket(ticket.id).unwrap().subject, ticket.subject);
            assert_eq!(store.customer(ticket.customer_id).unwrap().id, ticket.customer_id);
            store.ticket_detail(ticket.id).unwrap();
        }
        assert_eq!(reprepares(&store, ticket_by_id()), 0);
        assert_eq!(reprepares(&store, super::super::customers::CUSTOMER_BY_ID), 0);
    }
}

//! Merging two customers (one person, two addresses) and two tickets (one problem, twice).
//! Everything moved is recorded in the event log; internal notes stay internal.

use super::audit::{record, AuditRow};
use super::tickets::{log_event, read_ticket};
use super::{now_millis, Result, Store, StoreError};
use crate::domain::{Customer, CustomerSummary, Status, Ticket};
use rusqlite::{params, Connection};

impl Store {
    /// Move everything of customer `from` (addresses, tickets, messages, ratings, tags, notes) to
    /// customer `into`, then remove `from`. Each moved ticket logs the change of customer.
    pub fn merge_customers(&self, from: i64, into: i64, actor: &str) -> Result<Customer> {
        self.merge_customers_seen(from, into, None, actor)
    }

    /// [`Store::merge_customers`] if both customers are still as `seen` shows them (the console's
    /// question: name, first address, number of tickets); customers have no version, so what was
    /// shown is what is compared. Otherwise [`StoreError::CustomerChanged`] and nothing moves.
    pub fn merge_customers_seen(
        &self,
        from: i64,
        into: i64,
        seen: Option<(&CustomerSummary, &CustomerSummary)>,
        actor: &str,
    ) -> Result<Customer> {
        if from == into {
            return Err(StoreError::Invalid("a customer cannot be merged into itself".into()));
        }
        self.write(|conn| {
            if let Some((seen_from, seen_into)) = seen {
                self.check_customer_seen(seen_from)?;
                self.check_customer_seen(seen_into)?;
            }
            let old = self.customer(from)?;
            let kept = self.customer(into)?;
            let now = now_millis();
            let tickets: Vec<i64> = conn
                .prepare("SELECT id FROM tickets WHERE customer_id = ?1 ORDER BY id")?
                .query_map([from], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            conn.execute("UPDATE tickets SET customer_id = ?1, version = version + 1 WHERE customer_id = ?2", [into, from])?;
            for id in &tickets {
                log_event(conn, *id, actor, "customer_id", Some(&from.to_string()), Some(&into.to_string()), now)?;
            }
            conn.execute("UPDATE messages SET author_customer = ?1 WHERE author_customer = ?2", [into, from])?;
            conn.execute("UPDATE ratings SET customer_id = ?1 WHERE customer_id = ?2", [into, from])?;
            conn.execute(
                "INSERT OR IGNORE INTO customer_tags (customer_id, tag) SELECT ?1, tag FROM customer_tags WHERE customer_id = ?2",
                [into, from],
            )?;
            if !old.notes.trim().is_empty() {
                conn.execute(
                    "UPDATE customers SET notes = trim(notes || char(10) || ?1, char(10) || ' ') WHERE id = ?2",
                    params![old.notes.trim(), into],
                )?;
            }
            // Removed and added again (not updated) so the search index hears of both.
            conn.execute("DELETE FROM customer_emails WHERE customer_id = ?1", [from])?;
            for (i, email) in old.emails.iter().enumerate() {
                conn.execute(
                    "INSERT INTO customer_emails (email, customer_id, position) VALUES (?1, ?2, 1000 + ?3)",
                    params![email, into, i as i64],
                )?;
            }
            conn.execute("DELETE FROM customers WHERE id = ?1", [from])?;
            audit_customer_merge(conn, &old, &kept, &self.customer(into)?, &tickets, actor, now)
        })?;
        self.customer(into)
    }

    /// Move ticket `from`'s conversation into ticket `into` (same customer only) and close `from`.
    /// Notes move as notes, so nothing internal ever reaches the customer.
    pub fn merge_tickets(&self, from: i64, into: i64, actor: &str) -> Result<Ticket> {
        self.merge_tickets_seen(from, into, None, actor)
    }

    /// [`Store::merge_tickets`] if both tickets are still at the versions `seen` (from's, into's):
    /// the console's merge of the tickets as drawn.
    pub fn merge_tickets_seen(&self, from: i64, into: i64, seen: Option<(i64, i64)>, actor: &str) -> Result<Ticket> {
        if from == into {
            return Err(StoreError::Invalid("a ticket cannot be merged into itself".into()));
        }
        self.write(|conn| {
            let source = read_ticket(conn, from)?.ok_or(StoreError::TicketNotFound(from))?;
            let target = read_ticket(conn, into)?.ok_or(StoreError::TicketNotFound(into))?;
            if let Some((seen_from, seen_into)) = seen {
                super::tickets::check_version(conn, &source, seen_from)?;
                super::tickets::check_version(conn, &target, seen_into)?;
            }
            if source.customer_id != target.customer_id {
                return Err(StoreError::Invalid(format!(
                    "#{from} and #{into} are from different customers; merge the customers first"
                )));
            }
            if target.status == Status::Closed {
                return Err(StoreError::Invalid(format!("#{into} is closed; merge into an open ticket")));
            }
            let moves = super::undo::merge_moves(conn, from, into)?;
            move_conversation(conn, from, into)?;
            super::waiting::after_merge(conn, from, into, target.status)?;
            let now = now_millis();
            system_line(conn, into, &format!("ticket #{from} was merged into this ticket by {actor}"), now)?;
            system_line(conn, from, &format!("merged into #{into} by {actor}"), now)?;
            log_event(conn, into, actor, "merged", None, Some(&from.to_string()), now)?;
            log_event(conn, from, actor, "merged_into", None, Some(&into.to_string()), now)?;
            super::undo::record(conn, &moves)?;
            if source.status != Status::Closed {
                conn.execute(
                    "UPDATE tickets SET status = 'closed', solved_at = coalesce(solved_at, ?1) WHERE id = ?2",
                    params![now, from],
                )?;
                log_event(conn, from, actor, "status", Some(source.status.as_str()), Some("closed"), now)?;
                super::undo::record_status(conn, &source)?;
                super::waiting::after_status(conn, from, Status::Closed)?;
            }
            conn.execute(
                "UPDATE tickets SET version = version + 1, updated_at = ?1 WHERE id IN (?2, ?3)",
                params![now, from, into],
            )?;
            Ok(())
        })?;
        self.ticket(into)
    }
}

impl Store {
    /// A customer as lists show them.
    pub fn customer_summary(&self, id: i64) -> Result<CustomerSummary> {
        self.summaries_in_order(&[id])?.pop().ok_or(StoreError::CustomerNotFound(id))
    }

    /// In a write: the customer is still as `seen` shows them, or why not.
    fn check_customer_seen(&self, seen: &CustomerSummary) -> Result<()> {
        let name = || crate::domain::text::for_display_line(&seen.name).into_owned();
        let Some(now) = self.summaries_in_order(&[seen.id])?.pop() else {
            return Err(StoreError::CustomerChanged {
                customer: seen.id,
                name: name(),
                what: "merged or deleted".into(),
            });
        };
        let plural = |n: u64| if n == 1 { "ticket" } else { "tickets" };
        let what = if now.tickets != seen.tickets {
            format!("{} {} now, {} shown", now.tickets, plural(now.tickets), seen.tickets)
        } else if now.email != seen.email || now.name != seen.name {
            let (name, email) =
                (crate::domain::text::for_display_line(&now.name), crate::domain::text::for_display_line(&now.email));
            format!("now {name} <{email}>")
        } else {
            return Ok(());
        };
        Err(StoreError::CustomerChanged { customer: seen.id, name: name(), what })
    }
}

/// The audit log of a customer merge: on the removed customer what it was and where it went, on
/// the kept one what it took in and each of its fields that changed, before and after.
fn audit_customer_merge(
    conn: &Connection,
    removed: &Customer,
    before: &Customer,
    after: &Customer,
    tickets: &[i64],
    actor: &str,
    now: i64,
) -> Result<()> {
    let (from, into) = (removed.id.to_string(), after.id.to_string());
    let was = format!("{} <{}> ({})", removed.name, removed.emails.join(", "), removed.tier);
    record(conn, &AuditRow::customer(actor, &from, "merged_into", Some(&was), Some(&into)), now)?;
    let moved: Vec<String> = tickets.iter().map(|t| format!("#{t}")).collect();
    let moved = if moved.is_empty() { "no tickets".to_string() } else { format!("tickets {}", moved.join(", ")) };
    let took = format!("customer {from} ({}): {moved}", removed.name);
    record(conn, &AuditRow::customer(actor, &into, "merged", None, Some(&took)), now)?;
    let fields = [
        ("emails", before.emails.join(" "), after.emails.join(" ")),
        ("tags", before.tags.join(" "), after.tags.join(" ")),
        ("notes", before.notes.clone(), after.notes.clone()),
    ];
    for (field, old, new) in fields.iter().filter(|(_, old, new)| old != new) {
        record(conn, &AuditRow::customer(actor, &into, field, Some(old), Some(new)), now)?;
    }
    Ok(())
}

/// Messages (with their mail headers and attachments), tags and ratings follow the conversation.
fn move_conversation(conn: &Connection, from: i64, into: i64) -> Result<()> {
    conn.execute("UPDATE messages SET ticket_id = ?1 WHERE ticket_id = ?2", [into, from])?;
    conn.execute(
        "INSERT OR IGNORE INTO ticket_tags (ticket_id, tag) SELECT ?1, tag FROM ticket_tags WHERE ticket_id = ?2",
        [into, from],
    )?;
    conn.execute("UPDATE ratings SET ticket_id = ?1 WHERE ticket_id = ?2", [into, from])?;
    conn.execute("DELETE FROM drafts WHERE ticket_id = ?1", [from])?;
    Ok(())
}

/// A system line in a conversation: shown to agents, never sent.
fn system_line(conn: &Connection, ticket: i64, text: &str, now: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO messages (ticket_id, kind, body, created_at) VALUES (?1, 'system', ?2, ?3)",
        params![ticket, text, now],
    )?;
    Ok(())
}

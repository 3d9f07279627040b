//! Customers and their addresses.

use super::rows::{named, split_tags, time};
use super::{now_millis, Result, Store, StoreError};
use crate::domain::{is_plausible_email, Customer, Tier};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// A customer as a list shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub organization: Option<String>,
    pub tier: Tier,
    pub tickets: u64,
    pub open_tickets: u64,
}

/// The customer owning `email` (any of their addresses, any case), created when there is none.
pub(crate) fn find_or_create_customer(conn: &Connection, email: &str, name: Option<&str>) -> Result<i64> {
    let email = email.trim();
    if !is_plausible_email(email) {
        return Err(StoreError::Invalid(format!("'{email}' is not an email address")));
    }
    let existing: Option<i64> =
        conn.query_row("SELECT customer_id FROM customer_emails WHERE email = ?1", [email], |r| r.get(0)).optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| email.split('@').next().unwrap_or(email).to_string());
    conn.execute("INSERT INTO customers (name, created_at) VALUES (?1, ?2)", params![name, now_millis()])?;
    let id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO customer_emails (email, customer_id, position) VALUES (?1, ?2, 0)",
        params![email.to_lowercase(), id],
    )?;
    Ok(id)
}

impl Store {
    pub fn customer(&self, id: i64) -> Result<Customer> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.name, c.phone, o.name, c.tier, c.notes, c.created_at,
                    COALESCE((SELECT group_concat(e.email, ' ' ORDER BY e.position, e.email)
                              FROM customer_emails e WHERE e.customer_id = c.id), ''),
                    COALESCE((SELECT group_concat(g.tag, ' ' ORDER BY g.tag)
                              FROM customer_tags g WHERE g.customer_id = c.id), '')
             FROM customers c LEFT JOIN organizations o ON o.id = c.organization_id WHERE c.id = ?1",
        )?;
        let customer = stmt
            .query_row([id], |row| {
                Ok(Customer {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    phone: row.get(2)?,
                    organization: row.get(3)?,
                    tier: named(row, 4)?,
                    notes: row.get(5)?,
                    created_at: time(row, 6)?,
                    emails: split_tags(row.get(7)?),
                    tags: split_tags(row.get(8)?),
                })
            })
            .optional()?;
        customer.ok_or(StoreError::CustomerNotFound(id))
    }

    /// The customer who owns `email`, in any case.
    pub fn customer_by_email(&self, email: &str) -> Result<Option<Customer>> {
        let id: Option<i64> = self
            .conn
            .query_row("SELECT customer_id FROM customer_emails WHERE email = ?1", [email.trim()], |r| r.get(0))
            .optional()?;
        id.map(|id| self.customer(id)).transpose()
    }

    /// One page of customers by id, starting after `after_id`.
    pub fn list_customers(&self, after_id: i64, limit: usize) -> Result<Vec<CustomerSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.name,
                    COALESCE((SELECT e.email FROM customer_emails e WHERE e.customer_id = c.id
                              ORDER BY e.position LIMIT 1), ''),
                    o.name, c.tier,
                    (SELECT COUNT(*) FROM tickets t WHERE t.customer_id = c.id),
                    (SELECT COUNT(*) FROM tickets t WHERE t.customer_id = c.id
                       AND t.status IN ('new', 'open', 'pending', 'on_hold'))
             FROM customers c LEFT JOIN organizations o ON o.id = c.organization_id
             WHERE c.id > ?1 ORDER BY c.id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after_id, limit as i64], |row| {
            Ok(CustomerSummary {
                id: row.get(0)?,
                name: row.get(1)?,
                email: row.get(2)?,
                organization: row.get(3)?,
                tier: named(row, 4)?,
                tickets: row.get::<_, i64>(5)? as u64,
                open_tickets: row.get::<_, i64>(6)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

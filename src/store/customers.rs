//! Customers and their addresses.

use super::audit::AuditRow;
use super::organizations::{organization_for_addresses, resolve_organization};
use super::rows::{named, split_tags, time};
use super::{from_millis, now_millis, Result, Store, StoreError};
use crate::domain::text::for_display_line;
use crate::domain::CustomerSummary;
use crate::domain::{is_mail_address, tag_or_why, Customer, NewCustomer, Tier, Timestamp};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

/// In the caller's write: set the customer's tier and notes where given and different, each
/// change audited; with `seen_notes`, only if the notes are still those.
fn change_customer(
    conn: &Connection,
    id: i64,
    (tier, notes): (Option<Tier>, Option<&str>),
    seen_notes: Option<&str>,
    actor: &str,
) -> Result<()> {
    let (name, old_tier, old_notes): (String, String, String) = conn
        .query_row("SELECT name, tier, notes FROM customers WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?
        .ok_or(StoreError::CustomerNotFound(id))?;
    if seen_notes.is_some_and(|seen| seen != old_notes) {
        let name = crate::domain::text::for_display_line(&name).into_owned();
        return Err(StoreError::NotesChanged { customer: id, name });
    }
    let (subject, now) = (id.to_string(), now_millis());
    if let Some(tier) = tier.map(Tier::as_str).filter(|t| *t != old_tier) {
        conn.execute("UPDATE customers SET tier = ?1 WHERE id = ?2", params![tier, id])?;
        let row = AuditRow::customer(actor, &subject, "tier", Some(&old_tier), Some(tier));
        super::audit::record(conn, &row, now)?;
    }
    if let Some(notes) = notes.filter(|n| *n != old_notes) {
        conn.execute("UPDATE customers SET notes = ?1 WHERE id = ?2", params![notes, id])?;
        let row = AuditRow::customer(actor, &subject, "notes", Some(&old_notes), Some(notes));
        super::audit::record(conn, &row, now)?;
    }
    Ok(())
}

/// The customer owning `email` (any of their addresses, any case), created when there is none
/// (named `name`, else the address's local part), through [`insert_customer`].
pub(crate) fn find_or_create_customer(conn: &Connection, email: &str, name: Option<&str>, actor: &str) -> Result<i64> {
    let email = email.trim();
    if !is_mail_address(email) {
        return Err(StoreError::Invalid(format!("'{email}' is not an email address")));
    }
    if let Some(id) = address_owner(conn, email)? {
        return Ok(id);
    }
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| email.split('@').next().unwrap_or(email).to_string());
    let new = NewCustomer { name, emails: vec![email.to_string()], ..NewCustomer::default() };
    insert_customer(conn, &new, actor)
}

/// Who owns `email`, in any case.
pub(crate) fn address_owner(conn: &Connection, email: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT customer_id FROM customer_emails WHERE email = ?1")?
        .query_row([email.trim()], |r| r.get(0))
        .optional()?)
}

/// Refuse `email` when another customer has it, naming them and the way to make them one.
pub(crate) fn refuse_owned_address(conn: &Connection, email: &str, me: Option<i64>) -> Result<()> {
    let Some(owner) = address_owner(conn, email)?.filter(|owner| Some(*owner) != me) else { return Ok(()) };
    let name: String = conn.query_row("SELECT name FROM customers WHERE id = ?1", [owner], |r| r.get(0))?;
    let (email, name) = (for_display_line(email), for_display_line(&name));
    Err(StoreError::Invalid(match me {
        Some(me) => format!(
            "{email} belongs to customer {owner} ({name}); if they are the same person: frontdesk customer merge {owner} --into {me}"
        ),
        None => format!("{email} belongs to customer {owner} ({name}) already; see frontdesk customer show {owner}"),
    }))
}

/// In the caller's write: the one way a customer is created (mail intake, `ticket new`, `import`,
/// `customer new`, CSV import). Addresses are lowercased, the first primary, each refused when
/// another customer has it. Without an organization given, the first address whose domain an
/// organization lists makes them join it, with its tier unless one is given. Audited.
pub(crate) fn insert_customer(conn: &Connection, new: &NewCustomer, actor: &str) -> Result<i64> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err(StoreError::Invalid("a customer's name cannot be empty".into()));
    }
    let emails = valid_new_addresses(&new.emails)?;
    for email in &emails {
        refuse_owned_address(conn, email, None)?;
    }
    let tags = new.tags.iter().map(|t| tag_or_why(t).map_err(StoreError::Invalid)).collect::<Result<Vec<_>>>()?;
    let organization = match new.organization.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        Some(org) => Some(resolve_organization(conn, org)?),
        None => organization_for_addresses(conn, &emails)?,
    };
    let tier = new.tier.or(organization.as_ref().map(|o| o.tier)).unwrap_or(Tier::Standard);
    let phone = new.phone.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let (id, now) = (super::audit::next_customer_id(conn)?, now_millis());
    conn.prepare_cached(
        "INSERT INTO customers (id, name, phone, organization_id, tier, notes, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id,
        name,
        phone,
        organization.as_ref().map(|o| o.id),
        tier.as_str(),
        new.notes.trim_end(),
        now
    ])?;
    let mut add =
        conn.prepare_cached("INSERT INTO customer_emails (email, customer_id, position) VALUES (?1, ?2, ?3)")?;
    for (position, email) in emails.iter().enumerate() {
        add.execute(params![email, id, position as i64])?;
    }
    let mut tag = conn.prepare_cached("INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?1, ?2)")?;
    for t in &tags {
        tag.execute(params![id, t])?;
    }
    let (subject, created) = (id.to_string(), format!("{name} <{}>", emails[0]));
    super::audit::record(conn, &AuditRow::customer(actor, &subject, "created", None, Some(&created)), now)?;
    if let Some(org) = &organization {
        let row = AuditRow::customer(actor, &subject, "organization", None, Some(&org.name));
        super::audit::record(conn, &row, now)?;
    }
    Ok(id)
}

/// At least one address, each an address, lowercased, none twice.
fn valid_new_addresses(emails: &[String]) -> Result<Vec<String>> {
    let mut valid: Vec<String> = Vec::new();
    for email in emails.iter().map(|e| e.trim()) {
        if !is_mail_address(email) {
            return Err(StoreError::Invalid(format!("'{}' is not an email address", for_display_line(email))));
        }
        let email = email.to_lowercase();
        if !valid.contains(&email) {
            valid.push(email);
        }
    }
    if valid.is_empty() {
        return Err(StoreError::Invalid("a customer needs an email address".into()));
    }
    Ok(valid)
}

/// A customer by id. Each part from one table (the organization's name as a subquery): joined,
/// the plan depended on the bound id, and SQLite re-prepared the query for every other customer.
pub(crate) const CUSTOMER_BY_ID: &str = "SELECT c.id, c.name, c.phone,
        (SELECT o.name FROM organizations o WHERE o.id = c.organization_id), c.tier, c.notes, c.created_at,
        COALESCE((SELECT group_concat(e.email, char(10) ORDER BY e.position, e.email)
                  FROM customer_emails e WHERE e.customer_id = c.id), ''),
        COALESCE((SELECT group_concat(g.tag, ' ' ORDER BY g.tag) FROM customer_tags g WHERE g.customer_id = c.id), '')
    FROM customers c WHERE c.id = ?1";

/// A customer by id, in the caller's connection or transaction.
pub(crate) fn read_customer(conn: &Connection, id: i64) -> Result<Customer> {
    let mut stmt = conn.prepare_cached(CUSTOMER_BY_ID)?;
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
                // One a line: a quoted local part may hold spaces (`"john smith"@example.com`).
                emails: row.get::<_, String>(7)?.lines().map(str::to_string).collect(),
                tags: split_tags(row.get(8)?),
            })
        })
        .optional()?;
    customer.ok_or(StoreError::CustomerNotFound(id))
}

impl Store {
    /// Create a customer (see [`insert_customer`]: addresses, organization by domain, audit).
    pub fn create_customer(&self, new: &NewCustomer, actor: &str) -> Result<Customer> {
        let id = self.write(|conn| insert_customer(conn, new, actor))?;
        self.customer(id)
    }

    pub fn customer(&self, id: i64) -> Result<Customer> {
        read_customer(&self.conn, id)
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
        let mut stmt = self.conn.prepare_cached(&format!("{SUMMARY} WHERE c.id > ?1 ORDER BY c.id LIMIT ?2"))?;
        let rows = stmt.query_map(params![after_id, limit as i64], summary)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Customers who may be the same person as `customer_id`, for a merge: the same name (folding
    /// case and accents, so `CARLA NUNEZ` is `Carla Núñez`), or an address with the same part
    /// before the `@`. At most `limit`, most tickets first.
    pub fn similar_customers(&self, customer_id: i64, limit: usize) -> Result<Vec<CustomerSummary>> {
        use crate::domain::fuzzy::fold;
        let me = self.customer(customer_id)?;
        let folded = |name: &str| fold(name).split_whitespace().collect::<Vec<_>>().join(" ");
        let name = folded(&me.name);
        let mut ids = std::collections::BTreeSet::new();
        if !name.is_empty() {
            let mut stmt = self.conn.prepare_cached("SELECT id, name FROM customers")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                if folded(row.get_ref(1)?.as_str().unwrap_or_default()) == name {
                    ids.insert(row.get::<_, i64>(0)?);
                }
            }
        }
        let mut by_local =
            self.conn.prepare_cached("SELECT customer_id FROM customer_emails WHERE email LIKE ?1 ESCAPE '\\'")?;
        for email in &me.emails {
            let Some(at) = email.find('@').filter(|at| *at > 0) else { continue };
            let local = email[..=at].replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            for id in by_local.query_map([format!("{local}%")], |r| r.get::<_, i64>(0))? {
                ids.insert(id?);
            }
        }
        ids.remove(&customer_id);
        let ids: Vec<i64> = ids.into_iter().collect();
        let mut found = Vec::new();
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut stmt = self.conn.prepare(&format!("{SUMMARY} WHERE c.id IN ({marks})"))?;
            for row in stmt.query_map(params_from_iter(chunk.iter()), summary)? {
                found.push(row?);
            }
        }
        found.sort_by_key(|c| (std::cmp::Reverse(c.tickets), c.id));
        found.truncate(limit);
        Ok(found)
    }
}

impl Store {
    /// Customers for a picker: those with an address starting with `text`, then those with a word
    /// of their name starting with it (any case), newest customers first; at most `limit`. Reads
    /// through the address index, and stops at `limit` names.
    pub fn find_customers(&self, text: &str, limit: usize) -> Result<Vec<CustomerSummary>> {
        let text = text.trim();
        if text.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let mut ids: Vec<i64> = Vec::new();
        let mut by_address = self.conn.prepare_cached(
            "SELECT customer_id FROM customer_emails WHERE email >= ?1 AND email < ?2 ORDER BY email LIMIT ?3",
        )?;
        for id in by_address.query_map(params![text, format!("{text}\u{10FFFF}"), limit as i64], |r| r.get(0))? {
            let id = id?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        if text.contains('@') {
            return self.summaries_in_order(&ids);
        }
        let like = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let mut by_name = self.conn.prepare_cached(
            "SELECT id FROM customers WHERE name LIKE ?1 ESCAPE '\\' OR name LIKE ?2 ESCAPE '\\' ORDER BY id DESC LIMIT ?3",
        )?;
        let names = by_name.query_map(params![format!("{like}%"), format!("% {like}%"), limit as i64], |r| r.get(0))?;
        for id in names {
            let id = id?;
            if ids.len() < limit && !ids.contains(&id) {
                ids.push(id);
            }
        }
        self.summaries_in_order(&ids)
    }

    /// The customers with these ids as lists show them, in the order given.
    pub(super) fn summaries_in_order(&self, ids: &[i64]) -> Result<Vec<CustomerSummary>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; ids.len()].join(", ");
        let mut stmt = self.conn.prepare(&format!("{SUMMARY} WHERE c.id IN ({marks})"))?;
        let mut found = stmt.query_map(params_from_iter(ids.iter()), summary)?.collect::<rusqlite::Result<Vec<_>>>()?;
        found.sort_by_key(|c| ids.iter().position(|id| *id == c.id));
        Ok(found)
    }
}

/// A customer as lists show it, read by [`summary`]; a `WHERE` clause follows.
const SUMMARY: &str = "SELECT c.id, c.name,
        COALESCE((SELECT e.email FROM customer_emails e WHERE e.customer_id = c.id
                  ORDER BY e.position LIMIT 1), ''),
        o.name, c.tier,
        (SELECT COUNT(*) FROM tickets t WHERE t.customer_id = c.id),
        (SELECT COUNT(*) FROM tickets t WHERE t.customer_id = c.id
           AND t.status NOT IN ('solved', 'closed'))
    FROM customers c LEFT JOIN organizations o ON o.id = c.organization_id";

fn summary(row: &rusqlite::Row) -> rusqlite::Result<CustomerSummary> {
    Ok(CustomerSummary {
        id: row.get(0)?,
        name: row.get(1)?,
        email: row.get(2)?,
        organization: row.get(3)?,
        tier: named(row, 4)?,
        tickets: row.get::<_, i64>(5)? as u64,
        open_tickets: row.get::<_, i64>(6)? as u64,
    })
}

impl Store {
    /// Change a customer's tier and/or notes; `None` leaves a field as it is, and so does a value
    /// it already has. Each change is in the audit log, before and after.
    pub fn update_customer(&self, id: i64, tier: Option<Tier>, notes: Option<&str>, actor: &str) -> Result<Customer> {
        self.write(|conn| change_customer(conn, id, (tier, notes), None, actor))?;
        self.customer(id)
    }

    /// Save the customer's notes if they are still `seen` (what the agent opened to edit): one
    /// agent's edit never silently replaces another's. Audited like any notes change.
    pub fn save_notes_seen(&self, id: i64, seen: &str, notes: &str, actor: &str) -> Result<Customer> {
        self.write(|conn| change_customer(conn, id, (None, Some(notes)), Some(seen), actor))?;
        self.customer(id)
    }

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

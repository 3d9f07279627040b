//! Changing a customer's record: name, phone, organization, tier, tags, notes and addresses,
//! each change audited, all of one edit in one transaction.

use super::audit::AuditRow;
use super::customers::refuse_owned_address;
use super::organizations::resolve_organization;
use super::{now_millis, Result, Store, StoreError};
use crate::domain::text::for_display_line;
use crate::domain::{is_mail_address, Customer, CustomerChange};
use rusqlite::{params, Connection};

/// One audited change of a customer's field, in the caller's write.
fn audit(conn: &Connection, actor: &str, id: i64, field: &str, old: Option<&str>, new: Option<&str>) -> Result<()> {
    let subject = id.to_string();
    super::audit::record(conn, &AuditRow::customer(actor, &subject, field, old, new), now_millis())
}

/// What differs between the customer as seen and as they are, in words (empty when nothing).
fn differences(seen: &Customer, now: &Customer) -> Vec<&'static str> {
    let fields = [
        ("name", seen.name != now.name),
        ("addresses", seen.emails != now.emails),
        ("phone", seen.phone != now.phone),
        ("organization", seen.organization != now.organization),
        ("tier", seen.tier != now.tier),
        ("tags", seen.tags != now.tags),
        ("notes", seen.notes != now.notes),
    ];
    fields.into_iter().filter(|(_, changed)| *changed).map(|(f, _)| f).collect()
}

fn set_name(conn: &Connection, actor: &str, before: &Customer, name: &str) -> Result<()> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::Invalid("a customer's name cannot be empty".into()));
    }
    if name != before.name {
        conn.execute("UPDATE customers SET name = ?1 WHERE id = ?2", params![name, before.id])?;
        audit(conn, actor, before.id, "name", Some(&before.name), Some(name))?;
    }
    Ok(())
}

fn set_phone(conn: &Connection, actor: &str, before: &Customer, phone: Option<&str>) -> Result<()> {
    let phone = phone.map(str::trim).filter(|p| !p.is_empty());
    if phone.is_some_and(|p| p.chars().any(char::is_control)) {
        return Err(StoreError::Invalid("a phone number cannot hold control characters".into()));
    }
    if phone != before.phone.as_deref() {
        conn.execute("UPDATE customers SET phone = ?1 WHERE id = ?2", params![phone, before.id])?;
        audit(conn, actor, before.id, "phone", before.phone.as_deref(), phone)?;
    }
    Ok(())
}

fn set_organization(conn: &Connection, actor: &str, before: &Customer, org: Option<&str>) -> Result<()> {
    let org = match org.map(str::trim).filter(|o| !o.is_empty()) {
        Some(org) => Some(resolve_organization(conn, org)?),
        None => None,
    };
    let name = org.as_ref().map(|o| o.name.as_str());
    if name != before.organization.as_deref() {
        let id = org.as_ref().map(|o| o.id);
        conn.execute("UPDATE customers SET organization_id = ?1 WHERE id = ?2", params![id, before.id])?;
        audit(conn, actor, before.id, "organization", before.organization.as_deref(), name)?;
    }
    Ok(())
}

fn set_tags(conn: &Connection, actor: &str, id: i64, change: &CustomerChange) -> Result<()> {
    let (add, remove) = change.tags().map_err(StoreError::Invalid)?;
    for tag in &add {
        if conn.execute("INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?1, ?2)", params![id, tag])? > 0
        {
            audit(conn, actor, id, "tag", None, Some(tag))?;
        }
    }
    for tag in &remove {
        if conn.execute("DELETE FROM customer_tags WHERE customer_id = ?1 AND tag = ?2", params![id, tag])? > 0 {
            audit(conn, actor, id, "tag", Some(tag), None)?;
        }
    }
    Ok(())
}

/// Make the customer's addresses exactly `wanted`, in order (the first primary): new ones added
/// (refused when another customer has one), missing ones removed, each audited.
fn set_addresses(conn: &Connection, actor: &str, before: &Customer, wanted: &[String]) -> Result<()> {
    let mut list: Vec<String> = Vec::new();
    for email in wanted.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
        if !is_mail_address(email) {
            return Err(StoreError::Invalid(format!("'{}' is not an email address", for_display_line(email))));
        }
        let email = email.to_lowercase();
        if !list.contains(&email) {
            list.push(email);
        }
    }
    let name = for_display_line(&before.name);
    if list.is_empty() {
        return Err(StoreError::Invalid(format!("{name} needs an email address; keep at least one")));
    }
    let has = |list: &[String], e: &str| list.iter().any(|l| l.eq_ignore_ascii_case(e));
    for old in before.emails.iter().filter(|e| !has(&list, e)) {
        conn.execute("DELETE FROM customer_emails WHERE email = ?1", [old])?;
        audit(conn, actor, before.id, "email", Some(old), None)?;
    }
    for new in list.iter().filter(|e| !has(&before.emails, e)) {
        refuse_owned_address(conn, new, Some(before.id))?;
        conn.execute(
            "INSERT INTO customer_emails (email, customer_id, position) VALUES (?1, ?2, ?3)",
            params![new, before.id, 1_000_000],
        )?;
        audit(conn, actor, before.id, "email", None, Some(new))?;
    }
    // Positions 0, 1, 2… in the order asked; only rows whose position moves are written.
    let mut place =
        conn.prepare_cached("UPDATE customer_emails SET position = ?1 WHERE email = ?2 AND position <> ?1")?;
    for (position, email) in list.iter().enumerate() {
        place.execute(params![position as i64, email])?;
    }
    let old_primary = before.emails.first().map(String::as_str).unwrap_or("");
    if !old_primary.eq_ignore_ascii_case(&list[0]) {
        audit(conn, actor, before.id, "primary_email", Some(old_primary), Some(&list[0]))?;
    }
    Ok(())
}

/// In the caller's write: apply `change` to customer `id`; with `seen`, only if the customer is
/// still as seen (one agent's edit never silently replaces another's).
fn edit(conn: &Connection, id: i64, change: &CustomerChange, seen: Option<&Customer>, actor: &str) -> Result<()> {
    let before = super::customers::read_customer(conn, id)?;
    if let Some(seen) = seen {
        let what = differences(seen, &before);
        if !what.is_empty() {
            let name = for_display_line(&before.name).into_owned();
            return Err(StoreError::CustomerEdited { customer: id, name, what: what.join(", ") });
        }
    }
    if let Some(name) = change.name.as_deref() {
        set_name(conn, actor, &before, name)?;
    }
    if let Some(phone) = &change.phone {
        set_phone(conn, actor, &before, phone.as_deref())?;
    }
    if let Some(org) = &change.organization {
        set_organization(conn, actor, &before, org.as_deref())?;
    }
    if let Some(tier) = change.tier.filter(|t| *t != before.tier) {
        conn.execute("UPDATE customers SET tier = ?1 WHERE id = ?2", params![tier.as_str(), id])?;
        audit(conn, actor, id, "tier", Some(before.tier.as_str()), Some(tier.as_str()))?;
    }
    set_tags(conn, actor, id, change)?;
    if let Some(notes) = change.notes.as_deref().map(str::trim_end).filter(|n| *n != before.notes) {
        conn.execute("UPDATE customers SET notes = ?1 WHERE id = ?2", params![notes, id])?;
        audit(conn, actor, id, "notes", Some(&before.notes), Some(notes))?;
    }
    if let Some(emails) = &change.emails {
        set_addresses(conn, actor, &before, emails)?;
    }
    Ok(())
}

/// In the caller's write: apply `change` to customer `id` (creating an organization for them).
pub(crate) fn edit_in(conn: &Connection, id: i64, change: &CustomerChange, actor: &str) -> Result<()> {
    edit(conn, id, change, None, actor)
}

impl Store {
    /// Change a customer's record as `change` asks; a value they have already changes nothing.
    pub fn edit_customer(&self, id: i64, change: &CustomerChange, actor: &str) -> Result<Customer> {
        self.write(|conn| edit(conn, id, change, None, actor))?;
        self.customer(id)
    }

    /// Like [`Store::edit_customer`], if the customer is still `seen` (as the agent opened them to
    /// edit); else [`StoreError::CustomerEdited`] names what changed, and nothing is saved.
    pub fn edit_customer_seen(&self, seen: &Customer, change: &CustomerChange, actor: &str) -> Result<Customer> {
        self.write(|conn| edit(conn, seen.id, change, Some(seen), actor))?;
        self.customer(seen.id)
    }

    /// Give the customer one more address (last of theirs).
    pub fn add_customer_email(&self, id: i64, email: &str, actor: &str) -> Result<Customer> {
        self.change_addresses(id, actor, |_, list| {
            list.push(email.trim().to_string());
            Ok(())
        })
    }

    /// Take an address from the customer; their last one stays.
    pub fn remove_customer_email(&self, id: i64, email: &str, actor: &str) -> Result<Customer> {
        self.change_addresses(id, actor, |me, list| {
            let at = position(me, list, email)?;
            if list.len() == 1 {
                let (email, name) = (for_display_line(&list[0]), for_display_line(&me.name));
                return Err(StoreError::Invalid(format!(
                    "{email} is the only address of {name}; add another before removing it"
                )));
            }
            list.remove(at);
            Ok(())
        })
    }

    /// Make one of the customer's addresses their primary one (the first, where replies go).
    pub fn make_primary_email(&self, id: i64, email: &str, actor: &str) -> Result<Customer> {
        self.change_addresses(id, actor, |me, list| {
            let primary = list.remove(position(me, list, email)?);
            list.insert(0, primary);
            Ok(())
        })
    }

    fn change_addresses(
        &self,
        id: i64,
        actor: &str,
        f: impl FnOnce(&Customer, &mut Vec<String>) -> Result<()>,
    ) -> Result<Customer> {
        self.write(|conn| {
            let before = super::customers::read_customer(conn, id)?;
            let mut list = before.emails.clone();
            f(&before, &mut list)?;
            set_addresses(conn, actor, &before, &list)
        })?;
        self.customer(id)
    }
}

/// Where `email` is among the customer's addresses, or why it is not there.
fn position(me: &Customer, list: &[String], email: &str) -> Result<usize> {
    let email = email.trim();
    list.iter().position(|e| e.eq_ignore_ascii_case(email)).ok_or_else(|| {
        let (email, name) = (for_display_line(email), for_display_line(&me.name));
        StoreError::Invalid(format!("{email} is not an address of {name} (customer {})", me.id))
    })
}

//! Organizations: their name, email domains, tier and notes; who belongs to them.

use super::audit::AuditRow;
use super::rows::named;
use super::{now_millis, Result, Store, StoreError};
use crate::domain::audit::SubjectKind;
use crate::domain::records::{address_domain, normalize_domain, OrganizationTickets};
use crate::domain::text::for_display_line;
use crate::domain::{NewOrganization, Organization, OrganizationChange, Tier};
use rusqlite::{params, Connection, OptionalExtension};

/// An organization with how many customers it has and how many of their tickets are open.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganizationSummary {
    pub organization: Organization,
    pub customers: u64,
    pub open_tickets: u64,
}

/// An organization, read by [`organization_row`]; a `WHERE` clause on `o` follows.
const ORGANIZATION: &str = "SELECT o.id, o.name, o.domains, coalesce(d.tier, 'standard'), coalesce(d.notes, '')
    FROM organizations o LEFT JOIN organization_details d ON d.organization_id = o.id";

fn organization_row(row: &rusqlite::Row) -> rusqlite::Result<Organization> {
    Ok(Organization {
        id: row.get(0)?,
        name: row.get(1)?,
        domains: row.get::<_, String>(2)?.split_whitespace().map(str::to_string).collect(),
        tier: named(row, 3)?,
        notes: row.get(4)?,
    })
}

pub(crate) fn read_organization(conn: &Connection, id: i64) -> Result<Organization> {
    conn.prepare_cached(&format!("{ORGANIZATION} WHERE o.id = ?1"))?
        .query_row([id], organization_row)
        .optional()?
        .ok_or_else(|| StoreError::OrganizationNotFound(id.to_string()))
}

/// The organization `text` names: its number, or its name in any case.
pub(crate) fn resolve_organization(conn: &Connection, text: &str) -> Result<Organization> {
    let text = text.trim();
    if let Ok(id) = text.parse::<i64>() {
        return read_organization(conn, id);
    }
    let id: Option<i64> = conn
        .prepare_cached("SELECT id FROM organizations WHERE lower(name) = lower(?1)")?
        .query_row([text], |r| r.get(0))
        .optional()?;
    match id {
        Some(id) => read_organization(conn, id),
        None => Err(StoreError::OrganizationNotFound(for_display_line(text).into_owned())),
    }
}

/// The organization listing the domain of one of these addresses (the first that is), exactly
/// and in any case: `sub.shop.example` is not `shop.example` unless it is listed.
pub(crate) fn organization_for_addresses(conn: &Connection, addresses: &[String]) -> Result<Option<Organization>> {
    let mut stmt = conn.prepare_cached("SELECT organization_id FROM organization_domains WHERE domain = ?1")?;
    for domain in addresses.iter().filter_map(|a| address_domain(a)) {
        if let Some(id) = stmt.query_row([domain], |r| r.get::<_, i64>(0)).optional()? {
            return read_organization(conn, id).map(Some);
        }
    }
    Ok(None)
}

fn valid_name(conn: &Connection, name: &str, except: Option<i64>) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::Invalid("an organization's name cannot be empty".into()));
    }
    let taken: Option<i64> = conn
        .query_row("SELECT id FROM organizations WHERE lower(name) = lower(?1)", [name], |r| r.get(0))
        .optional()?;
    match taken.filter(|id| Some(*id) != except) {
        Some(id) => Err(StoreError::Invalid(format!(
            "there is an organization named '{}' already (organization {id})",
            for_display_line(name)
        ))),
        None => Ok(name.to_string()),
    }
}

/// Normalized domains, each refused in one sentence when it is not a domain or another
/// organization lists it.
fn valid_domains(conn: &Connection, domains: &[String], except: Option<i64>) -> Result<Vec<String>> {
    let mut valid = Vec::new();
    for typed in domains {
        let domain = normalize_domain(typed).ok_or_else(|| {
            StoreError::Invalid(format!("'{}' is not an email domain (like shop.example)", for_display_line(typed)))
        })?;
        let owner: Option<(i64, String)> = conn
            .query_row(
                "SELECT o.id, o.name FROM organization_domains d JOIN organizations o ON o.id = d.organization_id
                 WHERE d.domain = ?1",
                [&domain],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((id, name)) = owner.filter(|(id, _)| Some(*id) != except) {
            let name = for_display_line(&name);
            return Err(StoreError::Invalid(format!("{domain} is a domain of {name} (organization {id}) already")));
        }
        if !valid.contains(&domain) {
            valid.push(domain);
        }
    }
    Ok(valid)
}

/// The number a new organization gets: never a deleted one's, so its audit history stays its own.
fn next_organization_id(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT max(ifnull((SELECT max(id) FROM organizations), 0),
                ifnull((SELECT max(CAST(subject_id AS INTEGER)) FROM audit
                        WHERE subject_kind = 'organization' AND field = 'deleted'), 0)) + 1",
        [],
        |r| r.get(0),
    )?)
}

fn audit(conn: &Connection, actor: &str, id: i64, field: &str, old: Option<&str>, new: Option<&str>) -> Result<()> {
    let subject = id.to_string();
    let row = AuditRow {
        actor,
        kind: SubjectKind::Organization,
        subject: &subject,
        field,
        old,
        new,
        ticket: None,
        customer: None,
    };
    super::audit::record(conn, &row, now_millis())
}

impl Store {
    /// Create an organization; a customer created later with an address in one of its domains joins it.
    pub fn create_organization(&self, new: &NewOrganization, actor: &str) -> Result<Organization> {
        self.write(|conn| insert_organization(conn, new, actor))
    }

    /// The organization customer `customer` is in, if any.
    pub fn customer_organization(&self, customer: i64) -> Result<Option<Organization>> {
        let id: Option<Option<i64>> = self
            .conn
            .prepare_cached("SELECT organization_id FROM customers WHERE id = ?1")?
            .query_row([customer], |r| r.get(0))
            .optional()?;
        match id.flatten() {
            Some(id) => read_organization(&self.conn, id).map(Some),
            None => Ok(None),
        }
    }

    /// The organization `text` names: its number or its name.
    pub fn organization(&self, text: &str) -> Result<Organization> {
        resolve_organization(&self.conn, text)
    }

    /// Every organization by name, with its customers and their open tickets counted.
    pub fn organizations(&self) -> Result<Vec<OrganizationSummary>> {
        let mut stmt = self.conn.prepare(
            "SELECT o.id, o.name, o.domains, coalesce(d.tier, 'standard'), coalesce(d.notes, ''),
                    (SELECT count(*) FROM customers c WHERE c.organization_id = o.id),
                    (SELECT count(*) FROM customers c JOIN tickets t ON t.customer_id = c.id
                     WHERE c.organization_id = o.id AND t.status NOT IN ('solved', 'closed'))
             FROM organizations o LEFT JOIN organization_details d ON d.organization_id = o.id
             ORDER BY o.name COLLATE NOCASE, o.id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(OrganizationSummary {
                organization: organization_row(row)?,
                customers: row.get::<_, i64>(5)? as u64,
                open_tickets: row.get::<_, i64>(6)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Change an organization's name, domains, tier or notes, each change audited. Customers
    /// already in it stay; a new domain is for customers created from now on.
    pub fn set_organization(&self, org: &str, change: &OrganizationChange, actor: &str) -> Result<Organization> {
        self.write(|conn| {
            let before = resolve_organization(conn, org)?;
            change_organization(conn, before, change, actor)
        })
    }

    /// Like [`Store::set_organization`], if the organization is still `seen` (as the agent opened
    /// it to edit); else [`StoreError::RecordEdited`] names what changed, and nothing is saved.
    pub fn set_organization_seen(
        &self,
        seen: &Organization,
        change: &OrganizationChange,
        actor: &str,
    ) -> Result<Organization> {
        self.write(|conn| {
            let before = read_organization(conn, seen.id)?;
            let fields = [
                ("name", seen.name != before.name),
                ("domains", seen.domains != before.domains),
                ("tier", seen.tier != before.tier),
                ("notes", seen.notes != before.notes),
            ];
            let what: Vec<&str> = fields.into_iter().filter(|(_, c)| *c).map(|(f, _)| f).collect();
            if !what.is_empty() {
                let record = format!("organization {}", for_display_line(&before.name));
                return Err(StoreError::RecordEdited { record, what: what.join(", ") });
            }
            change_organization(conn, before, change, actor)
        })
    }

    /// Create an organization and put customer `customer` in it, in one write, both audited.
    pub fn create_organization_for(&self, new: &NewOrganization, customer: i64, actor: &str) -> Result<Organization> {
        self.write(|conn| {
            let org = insert_organization(conn, new, actor)?;
            let change =
                crate::domain::CustomerChange { organization: Some(Some(org.id.to_string())), ..Default::default() };
            super::customer_records::edit_in(conn, customer, &change, actor)?;
            Ok(org)
        })
    }
}

fn insert_organization(conn: &Connection, new: &NewOrganization, actor: &str) -> Result<Organization> {
    let name = valid_name(conn, &new.name, None)?;
    let domains = valid_domains(conn, &new.domains, None)?.join(" ");
    let tier = new.tier.unwrap_or(Tier::Standard);
    let id = next_organization_id(conn)?;
    conn.execute("INSERT INTO organizations (id, name, domains) VALUES (?1, ?2, ?3)", params![id, name, domains])?;
    conn.execute(
        "INSERT INTO organization_details (organization_id, tier, notes) VALUES (?1, ?2, ?3)",
        params![id, tier.as_str(), new.notes.trim_end()],
    )?;
    audit(conn, actor, id, "created", None, Some(&format!("{name} ({domains})")))?;
    read_organization(conn, id)
}

/// In the caller's write: apply `change` to the organization `before` is, each change audited.
fn change_organization(
    conn: &Connection,
    before: Organization,
    change: &OrganizationChange,
    actor: &str,
) -> Result<Organization> {
    let id = before.id;
    if let Some(name) = change.name.as_deref() {
        let name = valid_name(conn, name, Some(id))?;
        if name != before.name {
            conn.execute("UPDATE organizations SET name = ?1 WHERE id = ?2", params![name, id])?;
            audit(conn, actor, id, "name", Some(&before.name), Some(&name))?;
        }
    }
    let added = valid_domains(conn, &change.domain, Some(id))?;
    let removed: Vec<String> = change.undomain.iter().map(|d| d.trim().to_ascii_lowercase()).collect();
    if let Some(missing) = removed.iter().find(|d| !before.domains.contains(d)) {
        let name = for_display_line(&before.name);
        let missing = for_display_line(missing);
        return Err(StoreError::Invalid(format!("{missing} is not a domain of {name}")));
    }
    let mut domains: Vec<String> = before.domains.iter().filter(|d| !removed.contains(d)).cloned().collect();
    domains.extend(added.into_iter().filter(|d| !before.domains.contains(d) || removed.contains(d)));
    domains.dedup();
    if domains != before.domains {
        let (old, new) = (before.domains.join(" "), domains.join(" "));
        conn.execute("UPDATE organizations SET domains = ?1 WHERE id = ?2", params![new, id])?;
        audit(conn, actor, id, "domains", Some(&old), Some(&new))?;
    }
    conn.execute("INSERT OR IGNORE INTO organization_details (organization_id) VALUES (?1)", [id])?;
    if let Some(tier) = change.tier.filter(|t| *t != before.tier) {
        conn.execute(
            "UPDATE organization_details SET tier = ?1 WHERE organization_id = ?2",
            params![tier.as_str(), id],
        )?;
        audit(conn, actor, id, "tier", Some(before.tier.as_str()), Some(tier.as_str()))?;
    }
    if let Some(notes) = change.notes.as_deref().map(str::trim_end).filter(|n| *n != before.notes) {
        conn.execute("UPDATE organization_details SET notes = ?1 WHERE organization_id = ?2", params![notes, id])?;
        audit(conn, actor, id, "notes", Some(&before.notes), Some(notes))?;
    }
    read_organization(conn, id)
}

impl Store {
    /// Delete an organization: its customers stay, in no organization (each audited), its domains
    /// no longer place new customers. Returns it as it was and its customers' ids.
    pub fn delete_organization(&self, org: &str, actor: &str) -> Result<(Organization, Vec<i64>)> {
        self.write(|conn| {
            let before = resolve_organization(conn, org)?;
            let members: Vec<i64> = conn
                .prepare_cached("SELECT id FROM customers WHERE organization_id = ?1 ORDER BY id")?
                .query_map([before.id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            conn.execute("UPDATE customers SET organization_id = NULL WHERE organization_id = ?1", [before.id])?;
            let now = now_millis();
            for customer in &members {
                let subject = customer.to_string();
                let row = AuditRow::customer(actor, &subject, "organization", Some(&before.name), None);
                super::audit::record(conn, &row, now)?;
            }
            conn.execute("DELETE FROM organizations WHERE id = ?1", [before.id])?;
            let what = format!("{} ({})", before.name, before.domains.join(" "));
            audit(conn, actor, before.id, "deleted", Some(&what), None)?;
            Ok((before, members))
        })
    }

    /// The organization's customers by id.
    pub fn organization_customers(&self, id: i64) -> Result<Vec<crate::domain::CustomerSummary>> {
        let ids: Vec<i64> = self
            .conn
            .prepare_cached("SELECT id FROM customers WHERE organization_id = ?1 ORDER BY id")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut found = Vec::new();
        for chunk in ids.chunks(500) {
            found.extend(self.summaries_in_order(chunk)?);
        }
        Ok(found)
    }

    /// The open tickets of the customer's organization that are not theirs: how many, and the
    /// first `limit`, most recently changed first. `None` when they belong to no organization.
    pub fn organization_tickets_besides(&self, customer_id: i64, limit: usize) -> Result<Option<OrganizationTickets>> {
        use super::rows::{self, TICKET_COLUMNS};
        let org: Option<(i64, String)> = self
            .conn
            .prepare_cached(
                "SELECT o.id, o.name FROM customers c JOIN organizations o ON o.id = c.organization_id WHERE c.id = ?1",
            )?
            .query_row([customer_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((org, name)) = org else { return Ok(None) };
        const OTHERS: &str = "t.customer_id IN (SELECT id FROM customers WHERE organization_id = ?1 AND id <> ?2)
             AND t.status NOT IN ('solved', 'closed')";
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {TICKET_COLUMNS} FROM tickets t JOIN customers c ON c.id = t.customer_id
             WHERE {OTHERS} ORDER BY t.updated_at DESC, t.id DESC LIMIT ?3"
        ))?;
        let first =
            stmt.query_map(params![org, customer_id, limit as i64], rows::ticket)?.collect::<rusqlite::Result<_>>()?;
        let open: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM tickets t WHERE {OTHERS}"))?
            .query_row(params![org, customer_id], |r| r.get(0))?;
        Ok(Some(OrganizationTickets { name, open: open as u64, first }))
    }

    /// The open tickets of the organization's customers, most recently changed first, at most
    /// `limit`, and how many there are in all.
    pub fn organization_open_tickets(&self, id: i64, limit: usize) -> Result<(Vec<crate::domain::Ticket>, u64)> {
        use super::rows::{self, TICKET_COLUMNS};
        const OPEN: &str = "t.customer_id IN (SELECT id FROM customers WHERE organization_id = ?1)
             AND t.status NOT IN ('solved', 'closed')";
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {TICKET_COLUMNS} FROM tickets t JOIN customers c ON c.id = t.customer_id
             WHERE {OPEN} ORDER BY t.updated_at DESC, t.id DESC LIMIT ?2"
        ))?;
        let tickets = stmt.query_map(params![id, limit as i64], rows::ticket)?.collect::<rusqlite::Result<_>>()?;
        let count: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM tickets t WHERE {OPEN}"))?
            .query_row([id], |r| r.get(0))?;
        Ok((tickets, count as u64))
    }
}

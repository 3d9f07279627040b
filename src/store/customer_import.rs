//! Customers from a CSV file: each line a new customer or changes to the one owning its
//! addresses, all in one write or (for a dry run) only planned; every change audited.

use super::audit::{next_customer_id, record, AuditRow};
use super::{now_millis, Result, Store, StoreError};
use crate::domain::{NewCustomer, Tier};
use rusqlite::{params, Connection, OptionalExtension};

/// One line of the file, checked: at least one address, a known tier, tags that are tags.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerLine {
    /// The line number in the file (the header is line 1).
    pub line: usize,
    pub name: Option<String>,
    /// Lower-cased; the first is the primary one for a new customer.
    pub emails: Vec<String>,
    pub phone: Option<String>,
    pub organization: Option<String>,
    pub tier: Option<Tier>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
}

/// What a line makes or changes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LinePlan {
    pub line: usize,
    /// `created`, `changed` or `unchanged`.
    pub action: &'static str,
    /// The customer's number: the existing one, or the one it gets.
    pub customer: i64,
    pub name: String,
    /// One entry a change, as `field: old → new` (or `+address`, `+tag`).
    pub changes: Vec<String>,
    /// An organization it names that does not exist yet (it is made).
    pub new_organization: Option<String>,
}

impl Store {
    /// What importing `lines` would do, or one sentence per line that cannot be imported (an
    /// address of two different customers).
    pub fn plan_customer_import(
        &self,
        lines: &[CustomerLine],
    ) -> Result<std::result::Result<Vec<LinePlan>, Vec<String>>> {
        plan(&self.conn, lines)
    }

    /// Import `lines` in one write: all of them, or none when any cannot be (those sentences).
    pub fn import_customers(
        &self,
        lines: &[CustomerLine],
        actor: &str,
    ) -> Result<std::result::Result<Vec<LinePlan>, Vec<String>>> {
        self.write(|conn| {
            let plans = match plan(conn, lines)? {
                Ok(plans) => plans,
                Err(problems) => return Ok(Err(problems)),
            };
            let now = now_millis();
            for (line, plan) in lines.iter().zip(&plans) {
                apply(conn, line, plan, actor, now)?;
            }
            Ok(Ok(plans))
        })
    }
}

struct Existing {
    id: i64,
    name: String,
    phone: Option<String>,
    organization: Option<String>,
    tier: String,
    notes: String,
    emails: Vec<String>,
    tags: Vec<String>,
}

fn existing(conn: &Connection, id: i64) -> Result<Existing> {
    let (name, phone, organization, tier, notes) = conn
        .prepare_cached(
            "SELECT c.name, c.phone, o.name, c.tier, c.notes FROM customers c
             LEFT JOIN organizations o ON o.id = c.organization_id WHERE c.id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .optional()?
        .ok_or(StoreError::CustomerNotFound(id))?;
    let list = |sql: &str| -> Result<Vec<String>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
    };
    let emails = list("SELECT email FROM customer_emails WHERE customer_id = ?1 ORDER BY position, email")?;
    let tags = list("SELECT tag FROM customer_tags WHERE customer_id = ?1 ORDER BY tag")?;
    Ok(Existing { id, name, phone, organization, tier, notes, emails, tags })
}

fn organization_named(conn: &Connection, name: &str) -> Result<Option<(i64, String)>> {
    Ok(conn
        .prepare_cached("SELECT id, name FROM organizations WHERE lower(name) = lower(?1)")?
        .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

fn plan(conn: &Connection, lines: &[CustomerLine]) -> Result<std::result::Result<Vec<LinePlan>, Vec<String>>> {
    let mut plans = Vec::new();
    let mut problems = Vec::new();
    let mut next_id = next_customer_id(conn)?;
    let mut new_orgs: Vec<String> = Vec::new();
    let mut claimed: Vec<i64> = Vec::new();
    for line in lines {
        let mut owners: Vec<i64> = Vec::new();
        for email in &line.emails {
            let owner: Option<i64> = conn
                .prepare_cached("SELECT customer_id FROM customer_emails WHERE email = ?1")?
                .query_row([email], |r| r.get(0))
                .optional()?;
            if let Some(owner) = owner.filter(|o| !owners.contains(o)) {
                owners.push(owner);
            }
        }
        if owners.len() > 1 {
            let list: Vec<String> = owners.iter().map(|o| o.to_string()).collect();
            problems.push(format!(
                "line {}: its addresses belong to different customers ({}); merge them first or split the line",
                line.line,
                list.join(" and ")
            ));
            continue;
        }
        if let Some(owner) = owners.first().filter(|o| claimed.contains(o)) {
            problems.push(format!("line {}: customer {owner} is on an earlier line too", line.line));
            continue;
        }
        claimed.extend(owners.first());
        let new_organization = match &line.organization {
            Some(org) if organization_named(conn, org)?.is_none() => {
                let first = !new_orgs.iter().any(|o| o.eq_ignore_ascii_case(org));
                if first {
                    new_orgs.push(org.clone());
                }
                first.then(|| org.clone())
            }
            _ => None,
        };
        let plan = match owners.first() {
            None => {
                let name = line.name.clone().unwrap_or_else(|| default_name(&line.emails[0]));
                let id = next_id;
                next_id += 1;
                LinePlan {
                    line: line.line,
                    action: "created",
                    customer: id,
                    name,
                    changes: Vec::new(),
                    new_organization,
                }
            }
            Some(&id) => {
                let c = existing(conn, id)?;
                let changes = changes(&c, line);
                let action = if changes.is_empty() { "unchanged" } else { "changed" };
                LinePlan { line: line.line, action, customer: c.id, name: c.name, changes, new_organization }
            }
        };
        plans.push(plan);
    }
    Ok(if problems.is_empty() { Ok(plans) } else { Err(problems) })
}

fn default_name(email: &str) -> String {
    email.split('@').next().unwrap_or(email).to_string()
}

fn changes(c: &Existing, line: &CustomerLine) -> Vec<String> {
    let mut out = Vec::new();
    let shown = |v: Option<&str>| v.unwrap_or("-").to_string();
    if let Some(name) = line.name.as_ref().filter(|n| **n != c.name) {
        out.push(format!("name: {} → {name}", c.name));
    }
    if let Some(phone) = line.phone.as_ref().filter(|p| Some(p.as_str()) != c.phone.as_deref()) {
        out.push(format!("phone: {} → {phone}", shown(c.phone.as_deref())));
    }
    if let Some(org) = line.organization.as_ref() {
        if !c.organization.as_deref().is_some_and(|o| o.eq_ignore_ascii_case(org)) {
            out.push(format!("organization: {} → {org}", shown(c.organization.as_deref())));
        }
    }
    if let Some(tier) = line.tier.filter(|t| t.as_str() != c.tier) {
        out.push(format!("tier: {} → {tier}", c.tier));
    }
    if let Some(notes) = line.notes.as_ref().filter(|n| **n != c.notes) {
        out.push(format!("notes: {} characters → {}", c.notes.chars().count(), notes.chars().count()));
    }
    for email in line.emails.iter().filter(|e| !c.emails.iter().any(|x| x.eq_ignore_ascii_case(e))) {
        out.push(format!("+address {email}"));
    }
    for tag in line.tags.iter().filter(|t| !c.tags.contains(t)) {
        out.push(format!("+tag {tag}"));
    }
    out
}

fn apply(conn: &Connection, line: &CustomerLine, plan: &LinePlan, actor: &str, now: i64) -> Result<()> {
    let id = plan.customer;
    let subject = id.to_string();
    let audit = |field: &str, old: Option<&str>, new: Option<&str>| {
        record(conn, &AuditRow::customer(actor, &subject, field, old, new), now)
    };
    let organization = match &line.organization {
        Some(name) => Some(match organization_named(conn, name)? {
            Some((org, _)) => org,
            None => {
                conn.prepare_cached("INSERT INTO organizations (name) VALUES (?1)")?.execute([name])?;
                conn.last_insert_rowid()
            }
        }),
        None => None,
    };
    let before = match plan.action {
        "created" => {
            // The one way a customer is made: their addresses, tags, the organization (named, or
            // by the address's domain) and its tier, and the audit rows.
            let new = NewCustomer {
                name: plan.name.clone(),
                emails: line.emails.clone(),
                phone: line.phone.clone(),
                organization: line.organization.clone(),
                tier: line.tier,
                tags: line.tags.clone(),
                notes: line.notes.clone().unwrap_or_default(),
            };
            let made = super::customers::insert_customer(conn, &new, actor)?;
            if made != id {
                return Err(StoreError::Invalid(format!(
                    "line {}: the new customer was numbered {made}, not {id} as planned; nothing was written",
                    line.line
                )));
            }
            return Ok(());
        }
        _ => Some(existing(conn, id)?),
    };
    let was = |f: fn(&Existing) -> Option<String>| before.as_ref().and_then(f);
    if let Some(name) = line.name.as_ref().filter(|_| before.is_some()) {
        if was(|c| Some(c.name.clone())).as_deref() != Some(name) {
            conn.prepare_cached("UPDATE customers SET name = ?1 WHERE id = ?2")?.execute(params![name, id])?;
            audit("name", was(|c| Some(c.name.clone())).as_deref(), Some(name))?;
        }
    }
    if let Some(phone) = &line.phone {
        let old = was(|c| c.phone.clone());
        if old.as_deref() != Some(phone) {
            conn.prepare_cached("UPDATE customers SET phone = ?1 WHERE id = ?2")?.execute(params![phone, id])?;
            audit("phone", old.as_deref(), Some(phone))?;
        }
    }
    if let (Some(org), Some(name)) = (organization, &line.organization) {
        let old = was(|c| c.organization.clone());
        if !old.as_deref().is_some_and(|o| o.eq_ignore_ascii_case(name)) {
            conn.prepare_cached("UPDATE customers SET organization_id = ?1 WHERE id = ?2")?
                .execute(params![org, id])?;
            audit("organization", old.as_deref(), Some(name))?;
        }
    }
    if let Some(tier) = line.tier {
        let old = was(|c| Some(c.tier.clone())).unwrap_or_else(|| "standard".into());
        if old != tier.as_str() {
            conn.prepare_cached("UPDATE customers SET tier = ?1 WHERE id = ?2")?.execute(params![tier.as_str(), id])?;
            audit("tier", Some(&old), Some(tier.as_str()))?;
        }
    }
    if let Some(notes) = &line.notes {
        let old = was(|c| Some(c.notes.clone())).unwrap_or_default();
        if old != *notes {
            conn.prepare_cached("UPDATE customers SET notes = ?1 WHERE id = ?2")?.execute(params![notes, id])?;
            audit("notes", Some(&old), Some(notes))?;
        }
    }
    let mut position: i64 = before.as_ref().map_or(0, |c| c.emails.len() as i64);
    for email in &line.emails {
        if before.as_ref().is_some_and(|c| c.emails.iter().any(|x| x.eq_ignore_ascii_case(email))) {
            continue;
        }
        conn.prepare_cached("INSERT INTO customer_emails (email, customer_id, position) VALUES (?1, ?2, ?3)")?
            .execute(params![email, id, position])?;
        position += 1;
        if before.is_some() {
            audit("email", None, Some(email))?;
        }
    }
    for tag in &line.tags {
        if conn
            .prepare_cached("INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?1, ?2)")?
            .execute(params![id, tag])?
            > 0
        {
            audit("tag", None, Some(tag))?;
        }
    }
    Ok(())
}

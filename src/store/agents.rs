//! Agents: who may act on the desk.

use super::rows::named;
use super::{now_millis, Result, Store, StoreError};
use crate::domain::text::for_display_line;
use crate::domain::{is_mail_address, Agent, AgentChange, Role};
use rusqlite::{params, Connection, OptionalExtension, Row};

const AGENT_COLUMNS: &str = "login, name, email, role, signature, active";

fn agent_row(row: &Row) -> rusqlite::Result<Agent> {
    Ok(Agent {
        login: row.get(0)?,
        name: row.get(1)?,
        email: row.get(2)?,
        role: named(row, 3)?,
        signature: row.get(4)?,
        active: row.get(5)?,
    })
}

pub(crate) fn require_active_agent(conn: &Connection, login: &str) -> Result<()> {
    let active: Option<bool> =
        conn.query_row("SELECT active FROM agents WHERE login = ?1", [login], |r| r.get(0)).optional()?;
    match active {
        Some(true) => Ok(()),
        Some(false) => Err(StoreError::AgentInactive(login.to_string())),
        None => Err(StoreError::AgentNotFound(login.to_string())),
    }
}

impl Store {
    pub fn agent(&self, login: &str) -> Result<Option<Agent>> {
        let mut stmt = self.conn.prepare_cached(&format!("SELECT {AGENT_COLUMNS} FROM agents WHERE login = ?1"))?;
        Ok(stmt.query_row([login], agent_row).optional()?)
    }

    pub fn agents(&self) -> Result<Vec<Agent>> {
        let mut stmt = self.conn.prepare_cached(&format!("SELECT {AGENT_COLUMNS} FROM agents ORDER BY login"))?;
        let rows = stmt.query_map([], agent_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// On a database with no agents yet, register `login` as its first admin. Returns whether it did.
    pub fn register_first_admin(&self, login: &str) -> Result<bool> {
        self.write(|conn| {
            let count: i64 = conn.query_row("SELECT COUNT(*) FROM agents", [], |r| r.get(0))?;
            if count > 0 {
                return Ok(false);
            }
            insert_agent(conn, login, login, Role::Admin, login)?;
            Ok(true)
        })
    }

    /// Add an agent, in the audit log as added by themself (the demo's setup, tests).
    pub fn add_agent(&self, login: &str, name: Option<&str>, role: Role) -> Result<Agent> {
        self.add_agent_by(login, name, role, login)
    }

    /// Add an agent; `actor` (who added them) is in the audit log.
    pub fn add_agent_by(&self, login: &str, name: Option<&str>, role: Role, actor: &str) -> Result<Agent> {
        let login = login.trim();
        if login.is_empty() || login.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(StoreError::Invalid(format!("'{login}' is not a valid login")));
        }
        self.write(|conn| {
            let exists: bool =
                conn.query_row("SELECT EXISTS (SELECT 1 FROM agents WHERE login = ?1)", [login], |r| r.get(0))?;
            if exists {
                return Err(StoreError::AgentExists(login.to_string()));
            }
            insert_agent(conn, login, name.unwrap_or(login), role, actor)
        })?;
        self.agent(login)?.ok_or_else(|| StoreError::AgentNotFound(login.to_string()))
    }

    /// Change an agent's name, address, signature or role; each changed field is in the audit log
    /// as changed by `actor`. The desk keeps at least one active admin.
    pub fn set_agent(&self, login: &str, change: &AgentChange, actor: &str) -> Result<Agent> {
        refuse_bad_change(change)?;
        self.write(|conn| {
            change_agent(conn, login, change, actor)?;
            read_agent(conn, login)
        })
    }

    /// Let an agent work on the desk again, or stop them: a deactivated login is refused by every
    /// command and the console. Returns the agent and, when deactivated, the tickets still
    /// assigned to them that are not solved or closed (for someone to take over).
    pub fn set_agent_active(&self, login: &str, active: bool, actor: &str) -> Result<(Agent, Vec<i64>)> {
        self.write(|conn| {
            let open = make_active(conn, login, active, actor)?;
            Ok((read_agent(conn, login)?, open))
        })
    }

    /// Change an agent's record and whether they are active, in one write, if they are still
    /// `seen` (as the admin opened them to edit); else [`StoreError::RecordEdited`] names what
    /// changed, and nothing is saved. Returns what [`Store::set_agent_active`] does.
    pub fn edit_agent_seen(
        &self,
        seen: &Agent,
        change: &AgentChange,
        active: Option<bool>,
        actor: &str,
    ) -> Result<(Agent, Vec<i64>)> {
        refuse_bad_change(change)?;
        self.write(|conn| {
            let before = read_agent(conn, &seen.login)?;
            let fields = [
                ("name", seen.name != before.name),
                ("email", seen.email != before.email),
                ("role", seen.role != before.role),
                ("active", seen.active != before.active),
                ("signature", seen.signature != before.signature),
            ];
            let what: Vec<&str> = fields.into_iter().filter(|(_, c)| *c).map(|(f, _)| f).collect();
            if !what.is_empty() {
                let record = format!("agent {}", for_display_line(&before.login));
                return Err(StoreError::RecordEdited { record, what: what.join(", ") });
            }
            change_agent(conn, &seen.login, change, actor)?;
            let open = match active {
                Some(active) => make_active(conn, &seen.login, active, actor)?,
                None => Vec::new(),
            };
            Ok((read_agent(conn, &seen.login)?, open))
        })
    }
}

/// An empty name or a malformed address, refused before anything is written.
fn refuse_bad_change(change: &AgentChange) -> Result<()> {
    if change.name.as_deref().map(str::trim) == Some("") {
        return Err(StoreError::Invalid("an agent's name cannot be empty".into()));
    }
    if let Some(Some(email)) = &change.email {
        if !is_mail_address(email.trim()) {
            return Err(StoreError::Invalid(format!("'{}' is not an email address", for_display_line(email))));
        }
    }
    Ok(())
}

/// In the caller's write: apply `change` to the agent, each changed field audited.
fn change_agent(conn: &Connection, login: &str, change: &AgentChange, actor: &str) -> Result<()> {
    let before = read_agent(conn, login)?;
    if change.role == Some(Role::Agent) && before.is_admin() && before.active {
        require_another_admin(conn, login)?;
    }
    let name = change.name.as_deref().map(str::trim);
    let email = change.email.as_ref().map(|e| e.as_deref().map(|e| e.trim().to_lowercase()));
    let signature = change.signature.as_deref().map(|s| s.trim_end().to_string());
    let fields: [FieldChange; 4] = [
        ("name", Some(before.name.clone()), name.map(|n| Some(n.to_string()))),
        ("email", before.email.clone(), email),
        ("signature", Some(before.signature.clone()), signature.map(Some)),
        ("role", Some(before.role.as_str().to_string()), change.role.map(|r| Some(r.as_str().to_string()))),
    ];
    let now = now_millis();
    for (field, old, new) in fields {
        let Some(new) = new else { continue };
        if new == old {
            continue;
        }
        // `field` is one of four fixed column names.
        conn.execute(&format!("UPDATE agents SET {field} = ?1 WHERE login = ?2"), params![new, login])?;
        let row = super::audit::AuditRow::agent(actor, login, field, old.as_deref(), new.as_deref());
        super::audit::record(conn, &row, now)?;
    }
    Ok(())
}

/// In the caller's write: make the agent active or not (audited); when deactivated, their
/// tickets not yet solved or closed.
fn make_active(conn: &Connection, login: &str, active: bool, actor: &str) -> Result<Vec<i64>> {
    let before = read_agent(conn, login)?;
    if !active && before.is_admin() && before.active {
        require_another_admin(conn, login)?;
    }
    if before.active != active {
        conn.execute("UPDATE agents SET active = ?1 WHERE login = ?2", params![active, login])?;
        let (old, new) = if active { ("inactive", "active") } else { ("active", "inactive") };
        let row = super::audit::AuditRow::agent(actor, login, "active", Some(old), Some(new));
        super::audit::record(conn, &row, now_millis())?;
    }
    if active {
        return Ok(Vec::new());
    }
    let mut stmt =
        conn.prepare("SELECT id FROM tickets WHERE assignee = ?1 AND status NOT IN ('solved', 'closed') ORDER BY id")?;
    let ids = stmt.query_map([login], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// A field's name, its value now, and the value asked (`None`: left as it is).
type FieldChange = (&'static str, Option<String>, Option<Option<String>>);

fn read_agent(conn: &Connection, login: &str) -> Result<Agent> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {AGENT_COLUMNS} FROM agents WHERE login = ?1"))?;
    stmt.query_row([login], agent_row).optional()?.ok_or_else(|| StoreError::AgentNotFound(login.to_string()))
}

/// Refuse a change that would take away `login`'s admin rights when no other active admin is left.
fn require_another_admin(conn: &Connection, login: &str) -> Result<()> {
    let others: i64 = conn.query_row(
        "SELECT count(*) FROM agents WHERE role = 'admin' AND active = 1 AND login <> ?1",
        [login],
        |r| r.get(0),
    )?;
    match others {
        0 => Err(StoreError::LastAdmin(login.to_string())),
        _ => Ok(()),
    }
}

fn insert_agent(conn: &Connection, login: &str, name: &str, role: Role, actor: &str) -> Result<()> {
    let now = now_millis();
    conn.execute(
        "INSERT INTO agents (login, name, role, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![login, name, role.as_str(), now],
    )?;
    let what = format!("{} ({name})", role.as_str());
    super::audit::record(conn, &super::audit::AuditRow::agent(actor, login, "created", None, Some(&what)), now)
}

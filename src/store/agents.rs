//! Agents: who may act on the desk.

use super::rows::named;
use super::{now_millis, Result, Store, StoreError};
use crate::domain::{Agent, Role};
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
        _ => Err(StoreError::AgentNotFound(login.to_string())),
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

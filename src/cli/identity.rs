//! Who is acting: the OS login, registered as first admin on an empty desk, or an admin's `--as`.

use super::CliError;
use crate::domain::Agent;
use crate::store::{Store, StoreError};
use std::ffi::CStr;
use std::io::Write;

/// The OS login: `USER`, then `LOGNAME`, then the password database.
pub fn os_login() -> Result<String, CliError> {
    ["USER", "LOGNAME"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .map(|login| login.trim().to_string())
        .find(|login| !login.is_empty())
        .or_else(login_from_passwd)
        .ok_or(CliError::UnknownLogin)
}

fn login_from_passwd() -> Option<String> {
    // SAFETY: getpwuid returns null or a pointer to a static record valid until the next call;
    // the name is copied out at once and this program calls it from one thread only.
    unsafe {
        let record = libc::getpwuid(libc::getuid());
        if record.is_null() || (*record).pw_name.is_null() {
            return None;
        }
        CStr::from_ptr((*record).pw_name).to_str().ok().map(str::to_string)
    }
}

/// On a desk with no agents, make `login` its first admin. Returns whether it did.
fn register_if_first(store: &Store, login: &str) -> Result<bool, CliError> {
    // Read first: a database from a newer frontdesk refuses writes but must still serve reads.
    if !store.agents()?.is_empty() {
        return Ok(false);
    }
    Ok(store.register_first_admin(login)?)
}

/// The agent this run acts as: the OS login, or `as_login` when that login is an admin.
pub fn acting_agent(store: &Store, as_login: Option<&str>) -> Result<Agent, CliError> {
    let login = os_login()?;
    register_if_first(store, &login)?;
    let me = active_agent(store, &login)?;
    match as_login {
        None => Ok(me),
        Some(other) if other == me.login => Ok(me),
        Some(_) if !me.is_admin() => Err(CliError::NotAdmin("act as another agent (--as)", me.login)),
        Some(other) => match store.agent(other)? {
            Some(agent) if agent.active => Ok(agent),
            Some(_) => Err(StoreError::AgentInactive(other.to_string()).into()),
            None => Err(StoreError::AgentNotFound(other.to_string()).into()),
        },
    }
}

fn active_agent(store: &Store, login: &str) -> Result<Agent, CliError> {
    match store.agent(login)? {
        Some(agent) if agent.active => Ok(agent),
        Some(_) => Err(CliError::Deactivated(login.to_string())),
        None => Err(CliError::NotAnAgent(login.to_string())),
    }
}

/// The agent acting, who must be an admin to do `what`.
pub fn require_admin(agent: &Agent, what: &'static str) -> Result<(), CliError> {
    match agent.is_admin() {
        true => Ok(()),
        false => Err(CliError::NotAdmin(what, agent.login.clone())),
    }
}

/// `frontdesk init`: the database exists once opened; register the first admin if there is none.
/// Returns the admin registered by this run; says so unless `quiet` (for `--json`).
pub fn init(store: &Store, quiet: bool, out: &mut dyn Write) -> Result<Option<Agent>, CliError> {
    let login = os_login()?;
    if !quiet {
        writeln!(out, "database {} is ready", store.path().display())?;
    }
    if !register_if_first(store, &login)? {
        return Ok(None);
    }
    if !quiet {
        writeln!(out, "registered {login} as its first admin")?;
    }
    Ok(store.agent(&login)?)
}

//! `frontdesk agent …`: who may work on the desk.

use super::identity::require_admin;
use super::output::{or_dash, write_json, AgentJson, Table};
use super::CliError;
use crate::domain::text::for_display_line;
use crate::domain::{Agent, AgentChange, Role};
use crate::store::Store;
use clap::Subcommand;
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// Add an agent (admins only).
    Add {
        /// Their OS login.
        login: String,
        /// Their display name (defaults to the login).
        #[arg(long)]
        name: Option<String>,
        /// Make them an admin.
        #[arg(long)]
        admin: bool,
        /// Print the agent added, as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the agents.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Change an agent's name, address, signature or role (admins; anyone their own name,
    /// address and signature).
    Set {
        login: String,
        #[arg(long)]
        name: Option<String>,
        /// Their address; an empty one removes it.
        #[arg(long)]
        email: Option<String>,
        /// Put under their replies (several lines: `--signature $'Ana\nShop support'`).
        #[arg(long)]
        signature: Option<String>,
        #[arg(long)]
        role: Option<Role>,
        /// Print the agent as changed, as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Stop a login from working on the desk (admins); their open tickets are listed.
    Deactivate {
        login: String,
        #[arg(long)]
        json: bool,
    },
    /// Let a deactivated login work on the desk again (admins).
    Activate {
        login: String,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(store: &Store, acting: &Agent, cmd: AgentCommand, out: &mut dyn Write) -> Result<(), CliError> {
    match cmd {
        AgentCommand::Add { login, name, admin, json } => {
            require_admin(acting, "add agents")?;
            let role = if admin { Role::Admin } else { Role::Agent };
            let agent = store.add_agent_by(&login, name.as_deref(), role, &acting.login)?;
            if json {
                return write_json(out, &AgentJson::from(&agent));
            }
            let (login, name) = (for_display_line(&agent.login), for_display_line(&agent.name));
            writeln!(out, "added {} {login} ({name})", agent.role)?;
            Ok(())
        }
        AgentCommand::List { json } => list(store, json, out),
        AgentCommand::Set { login, name, email, signature, role, json } => {
            if login != acting.login || role.is_some() {
                require_admin(acting, "change another agent or a role")?;
            }
            let email = email.map(|e| Some(e).filter(|e| !e.trim().is_empty()));
            let change = AgentChange { name, email, signature, role };
            if change.is_empty() {
                return Err(CliError::Refused("agent set: give --name, --email, --signature or --role".into()));
            }
            let before = store.agent(&login)?;
            let agent = store.set_agent(&login, &change, &acting.login)?;
            if json {
                return write_json(out, &AgentJson::from(&agent));
            }
            let changed = changed_fields(before.as_ref(), &agent);
            let login = for_display_line(&agent.login);
            match changed.is_empty() {
                true => writeln!(out, "{login} is as asked already")?,
                false => writeln!(out, "changed {login}: {}", changed.join(", "))?,
            }
            Ok(())
        }
        AgentCommand::Deactivate { login, json } => active(store, acting, &login, false, json, out),
        AgentCommand::Activate { login, json } => active(store, acting, &login, true, json, out),
    }
}

fn changed_fields(before: Option<&Agent>, after: &Agent) -> Vec<&'static str> {
    let Some(b) = before else { return vec![] };
    let fields = [
        ("name", b.name != after.name),
        ("email", b.email != after.email),
        ("signature", b.signature != after.signature),
        ("role", b.role != after.role),
    ];
    fields.into_iter().filter(|(_, changed)| *changed).map(|(f, _)| f).collect()
}

fn active(
    store: &Store,
    acting: &Agent,
    login: &str,
    active: bool,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    require_admin(acting, if active { "activate agents" } else { "deactivate agents" })?;
    if !active && login == acting.login {
        return Err(CliError::Refused("you cannot deactivate yourself; another admin can".into()));
    }
    let (agent, open) = store.set_agent_active(login, active, &acting.login)?;
    if json {
        #[derive(serde::Serialize)]
        struct Changed<'a> {
            #[serde(flatten)]
            agent: AgentJson,
            open_tickets: &'a [i64],
        }
        return write_json(out, &Changed { agent: AgentJson::from(&agent), open_tickets: &open });
    }
    let login = for_display_line(&agent.login);
    if active {
        writeln!(out, "{login} can work on the desk")?;
        return Ok(());
    }
    writeln!(out, "deactivated {login}")?;
    if !open.is_empty() {
        let ids: Vec<String> = open.iter().map(|id| format!("#{id}")).collect();
        writeln!(out, "still assigned to {login}, not solved: {}", ids.join(" "))?;
        writeln!(out, "give them to someone: frontdesk ticket set {} --assign LOGIN", open_ids(&open))?;
    }
    Ok(())
}

fn open_ids(open: &[i64]) -> String {
    open.iter().map(i64::to_string).collect::<Vec<_>>().join(" ")
}

fn list(store: &Store, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let agents = store.agents()?;
    if json {
        return write_json(out, &agents.iter().map(AgentJson::from).collect::<Vec<_>>());
    }
    let mut table = Table::new(&["LOGIN", "NAME", "ROLE", "EMAIL", "ACTIVE"]);
    for a in &agents {
        let active = if a.active { "yes" } else { "no" };
        table.row(vec![
            a.login.clone(),
            a.name.clone(),
            a.role.to_string(),
            or_dash(a.email.as_deref()),
            active.into(),
        ]);
    }
    Ok(table.write(out)?)
}

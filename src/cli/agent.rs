//! `frontdesk agent …`: who may work on the desk.

use super::identity::require_admin;
use super::output::{or_dash, write_json, AgentJson, Table};
use super::CliError;
use crate::domain::text::for_display_line;
use crate::domain::{Agent, Role};
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
    },
    /// List the agents.
    List {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(store: &Store, acting: &Agent, cmd: AgentCommand, out: &mut dyn Write) -> Result<(), CliError> {
    match cmd {
        AgentCommand::Add { login, name, admin } => {
            require_admin(acting, "add agents")?;
            let role = if admin { Role::Admin } else { Role::Agent };
            let agent = store.add_agent_by(&login, name.as_deref(), role, &acting.login)?;
            let (login, name) = (for_display_line(&agent.login), for_display_line(&agent.name));
            writeln!(out, "added {} {login} ({name})", agent.role)?;
            Ok(())
        }
        AgentCommand::List { json } => list(store, json, out),
    }
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

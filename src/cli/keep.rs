//! What issue 6 adds to the ticket commands: SLA policies, canned replies, their settings.

use super::CliError;
use crate::config::{find_macro, load_macros, CannedReply, Config, Paths};
use crate::domain::sla::Policies;
use crate::domain::template::{render, Context};
use crate::domain::{Agent, TicketChange};
use crate::store::Store;
use std::path::PathBuf;

/// Settings the ticket commands take from the config and its folder.
pub struct Keep {
    pub policies: Policies,
    /// Where the agents' own canned replies are: `macros/` beside the config file.
    pub macros_dir: PathBuf,
    pub sla: Option<crate::config::SlaConfig>,
}

impl Keep {
    pub fn new(config: &Config, paths: &Paths) -> Keep {
        let folder = paths.config.parent().map(|p| p.to_path_buf()).unwrap_or_default();
        Keep { policies: config.sla_policies(), macros_dir: folder.join("macros"), sla: config.sla.clone() }
    }

    /// Steps a customer's tier raises their new tickets' priority (`[sla.raise_priority]`).
    pub fn priority_raise(&self, tier: crate::domain::Tier) -> u8 {
        self.sla.as_ref().map(|s| s.priority_raise(tier)).unwrap_or(0)
    }

    pub fn macros(&self) -> Vec<CannedReply> {
        let (macros, problems) = load_macros(&self.macros_dir);
        for problem in problems {
            tracing::warn!(%problem, "canned replies");
        }
        macros
    }
}

/// The canned reply `name` rendered for ticket `id`, with what it changes; refused before anything is sent.
pub fn macro_reply(
    store: &Store,
    agent: &Agent,
    keep: &Keep,
    id: i64,
    name: &str,
) -> Result<(String, TicketChange), CliError> {
    let macros = keep.macros();
    let reply = find_macro(&macros, name).ok_or_else(|| {
        let names = macros.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ");
        CliError::Refused(format!("no canned reply is called '{name}'; there are: {names}"))
    })?;
    let detail = store.ticket_detail(id)?;
    let context = Context::new(&detail.customer, &detail.ticket, agent);
    let body = render(&reply.body, &context)
        .map_err(|e| CliError::Refused(format!("canned reply '{}' was not sent: {e}", reply.name)))?;
    let change = reply.change(&agent.login).map_err(CliError::Refused)?;
    Ok((body, change))
}

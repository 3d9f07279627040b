//! The agents' list and the agent form (admins): who may work on the desk, their name, address,
//! role and signature; deactivating one names their open tickets for someone to take over.

use super::record_form;
use crate::app::model::agent_form::AgentForm;
use crate::app::model::key::KeyEvent;
use crate::app::model::message::Effect;
use crate::app::model::overlay::{Choice, Item, Overlay, OverlayKind};
use crate::app::model::state::State;
use crate::app::model::text::fit;
use crate::domain::text::for_display_line;
use crate::domain::Agent;

const ADMINS_ONLY: &str = "only an admin keeps the agents right; ask one (frontdesk agent list shows who)";

pub fn list(state: &mut State) -> Vec<Effect> {
    if !state.agent.is_admin() {
        state.set_error(ADMINS_ONLY);
        return vec![];
    }
    vec![Effect::ListAgents]
}

/// The agents were read: the list opens, Enter on one opens their form.
pub fn on_listed(state: &mut State, agents: Vec<Agent>) -> Vec<Effect> {
    let items = agents
        .iter()
        .map(|a| Item {
            label: format!(
                "{} {} {} {}",
                fit(&for_display_line(&a.login), 12),
                fit(&for_display_line(&a.name), 20),
                fit(a.role.as_str(), 6),
                if a.active { "active" } else { "inactive" }
            ),
            detail: a.email.as_deref().map(|e| for_display_line(e).into_owned()).unwrap_or_default(),
            current: a.login == state.agent.login,
            choice: Choice::EditAgent(a.login.clone()),
        })
        .collect();
    state.agents = agents;
    state.overlay = Some(Overlay::new(OverlayKind::Agents, items));
    vec![]
}

pub fn open_form(state: &mut State, login: &str) -> Vec<Effect> {
    let Some(agent) = state.agents.iter().find(|a| a.login == login) else { return vec![] };
    let form = AgentForm::new(agent);
    state.set_status(format!("editing {}: Tab next field · Ctrl-S save", for_display_line(&agent.login)));
    state.agent_form = Some(form);
    vec![]
}

pub fn on_key(state: &mut State, event: KeyEvent) -> Vec<Effect> {
    let Some(form) = state.agent_form.as_mut() else { return vec![] };
    let key = record_form::on_key(&mut form.form, event, "the agent");
    match record_form::after_key(state, key, |s| &mut s.agent_form) {
        true => save(state),
        false => vec![],
    }
}

pub fn on_paste(state: &mut State, text: &str) -> Vec<Effect> {
    if let Some(form) = state.agent_form.as_mut() {
        record_form::on_paste(&mut form.form, text);
    }
    vec![]
}

fn save(state: &mut State) -> Vec<Effect> {
    let Some(form) = state.agent_form.as_mut() else { return vec![] };
    if form.form.saving {
        return vec![];
    }
    let (change, active) = match form.save() {
        Ok(asked) => asked,
        Err((field, problem)) => {
            form.form.field = field;
            state.set_error(problem);
            return vec![];
        }
    };
    if change.is_empty() && active.is_none() {
        state.agent_form = None;
        state.set_status("nothing changed; the agent is as they were");
        return vec![];
    }
    form.form.saving = true;
    vec![Effect::SaveAgent { seen: Box::new(form.seen.clone()), change, active }]
}

/// Saved: the form closes; a deactivated agent's open tickets are named.
pub fn on_saved(state: &mut State, agent: &Agent, open_tickets: &[i64]) -> Vec<Effect> {
    state.agent_form = None;
    let login = for_display_line(&agent.login);
    state.set_status(match (agent.active, open_tickets) {
        (true, _) => format!("saved {login}"),
        (false, []) => format!("deactivated {login}; no open tickets of theirs"),
        (false, open) => {
            let list: Vec<String> = open.iter().map(|t| format!("#{t}")).collect();
            format!("deactivated {login}; their open tickets, for someone to take over: {}", list.join(" "))
        }
    });
    vec![Effect::LoadDirectory]
}

/// Not saved: the form stays; when someone changed the agent meanwhile it takes their changes
/// where the admin changed nothing.
pub fn on_refused(state: &mut State, message: String, now: Option<Agent>) -> Vec<Effect> {
    let Some(form) = state.agent_form.as_mut() else {
        state.set_error(message);
        return vec![];
    };
    form.form.saving = false;
    let rebased = now.map(|now| form.rebase(&now)).is_some();
    state.set_error(record_form::refused(message, rebased));
    vec![]
}

//! What the mail worker reports back: a reply delivered or kept in the outbox, a survey mailed.

use crate::app::model::message::Effect;
use crate::app::model::state::State;

/// The reply's mail went out, or waits in the outbox: say which; the open ticket shows it.
pub fn on_delivered(state: &mut State, ticket: i64, result: Result<(), String>) -> Vec<Effect> {
    // What the rules did after the reply stays said beside what became of its mail.
    let rules = state.status.take().and_then(|s| s.rules).filter(|r| r.ticket == Some(ticket));
    match result {
        Ok(()) => state.set_status(format!("reply on #{ticket} mailed to the customer")),
        Err(error) => state.set_error(format!("reply saved on #{ticket} but not mailed (kept in the outbox): {error}")),
    }
    state.shorten_status(if state.status.as_ref().is_some_and(|s| s.is_error) {
        "replied · not mailed (kept in the outbox)"
    } else {
        "replied · mailed"
    });
    if let (Some(status), Some(rules)) = (&mut state.status, rules) {
        status.add_rules(rules);
    }
    reload_if_open(state, ticket)
}

/// A survey that could not be mailed is said; one that went out needs no word.
pub fn on_survey_sent(state: &mut State, ticket: i64, result: Result<(), String>) -> Vec<Effect> {
    if let Err(error) = result {
        state.set_error(format!("the satisfaction survey for #{ticket} was not mailed: {error}"));
    }
    vec![]
}

fn reload_if_open(state: &State, ticket: i64) -> Vec<Effect> {
    match state.open_ticket() {
        Some(open) if open.id == ticket => vec![Effect::LoadTicket(ticket)],
        _ => vec![],
    }
}

//! `u`: undo the agent's last change made in this console, checked against the version it left.

use crate::app::model::message::{Effect, Msg};
use crate::app::model::state::State;

pub fn undo(state: &mut State) -> Vec<Effect> {
    match state.undo.last() {
        Some((ticket, version)) => vec![Effect::Undo { ticket, version }],
        None => {
            state.set_status(
                "nothing left to undo: your changes in this console are all undone (ticket undo N undoes older ones)",
            );
            vec![]
        }
    }
}

/// One of the agent's changes was answered: `u` can undo it, unless it changed nothing.
pub fn on_undoable(state: &mut State, ticket: i64, version: i64, then: Msg) -> Vec<Effect> {
    let unchanged = state.open_ticket().is_some_and(|t| t.id == ticket && t.version == version);
    if !unchanged {
        state.undo.push(ticket, version);
    }
    super::dispatch(state, then)
}

pub fn on_undone(state: &mut State, ticket: i64, version: i64, result: Result<(i64, String), String>) -> Vec<Effect> {
    match result {
        Ok((now, said)) => {
            state.undo.undone(ticket, version, now);
            state.set_status(said);
        }
        Err(why) => {
            // The change cannot be undone as the ticket now is: `u` goes on to the one before.
            state.undo.forget(ticket, version);
            state.set_error(why);
        }
    }
    super::refresh_after_write(state, ticket)
}

//! Undo on the store worker: the agent's own changes are marked undoable as they are answered,
//! and `u`'s undo is checked against the version the agent's change left; a status it puts back
//! fires the rules as `ticket undo` does.

use super::store::Settings;
use crate::app::model::message::{Effect, Msg};
use crate::domain::undo::changed_since_sentence;
use crate::domain::when::Zone;
use crate::store::{Store, StoreError};

/// The agent's own changes of one ticket that `u` can undo.
pub fn undoable(effect: &Effect) -> bool {
    matches!(
        effect,
        Effect::UpdateTicket { .. }
            | Effect::Claim { .. }
            | Effect::Snooze { .. }
            | Effect::Rate { .. }
            | Effect::MergeTickets { .. }
    )
}

/// The answer to an undoable change, marked with the version the change left.
pub fn mark(msg: Msg) -> Msg {
    let (ticket, version) = match &msg {
        Msg::TicketChanged(t) | Msg::Snoozed { ticket: t, .. } => (t.id, t.version),
        // The answer under what the rules did after the change.
        Msg::RulesRan { .. } => {
            let Msg::RulesRan { fired, failed, then } = msg else { return msg };
            return Msg::RulesRan { fired, failed, then: Box::new(mark(*then)) };
        }
        _ => return msg,
    };
    Msg::Undoable { ticket, version, then: Box::new(msg) }
}

/// Undo the agent's change that left `ticket` at `version`: someone's write since is a conflict,
/// named on the agent's clock. A store that fails is the caller's error.
pub fn undo(store: &Store, settings: &Settings, (ticket, version): (i64, i64), zone: Zone) -> Result<Msg, StoreError> {
    let me = &settings.agent.login;
    let before = store.ticket(ticket).ok().map(|t| t.status);
    let result = match store.undo_own(ticket, me, version) {
        Ok(done) => {
            let ran = super::rules::after_undo(store, settings, &done, before.unwrap_or(done.ticket.status));
            let result = Ok((done.ticket.version, done.sentence()));
            return Ok(ran.answer(Msg::Undone { ticket, version, result }));
        }
        Err(StoreError::Conflict { changes, .. }) => Err(changed_since_sentence(ticket, &changes, zone)),
        Err(StoreError::Invalid(why)) => Err(why),
        Err(StoreError::TicketNotFound(_)) => Err(format!("#{ticket} no longer exists; nothing was undone")),
        Err(other) => return Err(other),
    };
    Ok(Msg::Undone { ticket, version, result })
}

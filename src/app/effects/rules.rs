//! The desk's rules on the store worker: after the agent's reply, status change, undo or merge (in
//! a write of their own, as the commands run them) and in a new ticket's write. A desk that fails while the
//! rules run after a change keeps the change: the agent is told the rules did not run.

use super::store::Settings;
use crate::app::model::message::{Msg, RuleFired};
use crate::domain::rules::Event;
use crate::domain::undo::Undone;
use crate::domain::{Status, Ticket};
use crate::mail::rules::{Fired, Rules};
use crate::store::{Store, StoreError};

/// What the rules did after the agent's changes: the rules that fired with their tickets, or why
/// they could not run.
#[derive(Default)]
pub struct RulesRun {
    pub fired: Vec<RuleFired>,
    pub failed: Option<String>,
}

impl RulesRun {
    fn of(fired: Vec<Fired>) -> RulesRun {
        let fired = fired.into_iter().map(|f| RuleFired { rule: f.rule, ticket: f.ticket, did: f.actions }).collect();
        RulesRun { fired, failed: None }
    }

    pub fn add(&mut self, other: RulesRun) {
        self.fired.extend(other.fired);
        self.failed = self.failed.take().or(other.failed);
    }

    /// `ticket` as the rules left it (as the change left it when none fired, or it cannot be read).
    pub fn reread(&self, store: &Store, ticket: Ticket) -> Ticket {
        match self.fired.is_empty() {
            true => ticket,
            false => store.ticket(ticket.id).unwrap_or(ticket),
        }
    }

    /// The answer to the change, with what the rules did when they did anything.
    pub fn answer(self, then: Msg) -> Msg {
        if self.fired.is_empty() && self.failed.is_none() {
            return then;
        }
        Msg::RulesRan { fired: self.fired, failed: self.failed, then: Box::new(then) }
    }
}

fn rules(settings: &Settings) -> Rules<'_> {
    Rules::with(&settings.rules, settings.mail.as_ref(), &settings.data_dir)
}

/// The rules the agent's change to ticket `id` fires once it is stored (see
/// [`Rules::after_agent`]): `replied` for a public reply, `before` the status it had.
pub fn after_agent(store: &Store, settings: &Settings, (id, replied, before): (i64, bool, Status)) -> RulesRun {
    told(id, rules(settings).after_agent(store, id, replied, before))
}

/// The rules an undo fires once it is stored (see [`Rules::after_undo`]): `before` is the status
/// the ticket had.
pub fn after_undo(store: &Store, settings: &Settings, done: &Undone, before: Status) -> RulesRun {
    told(done.ticket.id, rules(settings).after_undo(store, done, before))
}

/// The rules a merge of `from` into `into` fires once it is stored (see [`Rules::after_merge`]):
/// `before` is the status `from` had.
pub fn after_merge(store: &Store, settings: &Settings, (from, into): (i64, i64), before: Status) -> RulesRun {
    told(from, rules(settings).after_merge(store, (from, into), before))
}

/// What the rules did, or why they could not run (the change itself is kept either way).
fn told(ticket: i64, fired: Result<Vec<Fired>, StoreError>) -> RulesRun {
    match fired {
        Ok(fired) => RulesRun::of(fired),
        Err(error) => {
            tracing::warn!(%error, ticket, "the rules did not run after the agent's change");
            RulesRun { fired: Vec::new(), failed: Some(error.to_string()) }
        }
    }
}

/// The `new_ticket` rules on ticket `id`, in the caller's write (a failure undoes the ticket too).
pub fn on_new_ticket(store: &Store, settings: &Settings, id: i64) -> Result<RulesRun, StoreError> {
    Ok(RulesRun::of(rules(settings).on_event(store, id, Event::NewTicket, None)?))
}

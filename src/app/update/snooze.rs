//! `z`: snooze the open ticket for a while, or until the customer writes.

use crate::app::model::message::Effect;
use crate::app::model::overlay::{Choice, Item, Overlay, OverlayKind};
use crate::app::model::state::State;

/// How long `z` snoozes for; 0 means until the customer writes, however long that takes.
const SNOOZES: &[(&str, i64)] = &[
    ("1 hour", 3_600),
    ("4 hours", 4 * 3_600),
    ("1 day", 86_400),
    ("3 days", 3 * 86_400),
    ("1 week", 7 * 86_400),
    ("until the customer writes", 0),
];

/// The snooze picker for the open ticket (active tickets only).
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(ticket) = super::open_ticket_or_say(state) else { return vec![] };
    if !ticket.status.is_active() {
        state.set_error(format!("#{} is {}; only active tickets snooze", ticket.id, ticket.status));
        return vec![];
    }
    state.overlay = Some(Overlay::new(OverlayKind::Snooze, snooze_items()));
    vec![]
}

pub(super) fn snooze_items() -> Vec<Item> {
    SNOOZES
        .iter()
        .map(|(label, secs)| {
            // A detail must not repeat the last label: the picker matches details too, and typing
            // "until the" matched all six while every detail read "or until the customer writes".
            let detail =
                if *secs == 0 { "no time: only their answer wakes it" } else { "sooner if the customer writes" };
            Item::new(label.to_string(), detail.into(), Choice::Snooze(*secs))
        })
        .collect()
}

/// Snooze the open ticket for `secs` seconds; 0 means until the customer writes.
pub fn apply(state: &mut State, secs: i64) -> Vec<Effect> {
    if super::marks::applies(state) {
        return super::marks::apply(state, crate::app::model::overlay::Choice::Snooze(secs));
    }
    let Some(ticket) = state.open_ticket() else { return vec![] };
    let until = match secs {
        0 => crate::domain::sla::until_reply(),
        secs => state.now + chrono::Duration::seconds(secs),
    };
    vec![Effect::Snooze { id: ticket.id, until }]
}

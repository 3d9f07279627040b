//! `z`: snooze the open ticket for a while, until a time the agent types (read in their time zone
//! and shown before Enter), or until the customer writes.

use crate::app::model::message::Effect;
use crate::app::model::overlay::{Choice, Item, Overlay, OverlayKind};
use crate::app::model::state::State;
use crate::domain::{Ticket, Timestamp};

/// How long `z` snoozes for; 0 means until the customer writes, however long that takes.
const SNOOZES: &[(&str, i64)] = &[
    ("1 hour", 3_600),
    ("4 hours", 4 * 3_600),
    ("1 day", 86_400),
    ("3 days", 3 * 86_400),
    ("1 week", 7 * 86_400),
    ("until the customer writes", 0),
];

/// What the picker's last line says can be typed.
const TYPE_A_TIME: &str = "type a time: tomorrow 9:00 · mon 14:30 · 3d · 2026-12-24 08:00";

/// The snooze picker for the open ticket (active tickets only).
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(ticket) = super::open_ticket_or_say(state) else { return vec![] };
    if !ticket.status.is_active() {
        state.set_error(format!("#{} is {}; only active tickets snooze", ticket.id, ticket.status));
        return vec![];
    }
    let mut overlay = Overlay::new(OverlayKind::Snooze, snooze_items());
    overlay.seen_version = super::seen_version(state);
    state.overlay = Some(overlay);
    vec![]
}

pub(super) fn snooze_items() -> Vec<Item> {
    let mut items: Vec<Item> = SNOOZES
        .iter()
        .map(|(label, secs)| {
            // A detail must not repeat the last label: the picker matches details too, and typing
            // "until the" matched all six while every detail read "or until the customer writes".
            let detail =
                if *secs == 0 { "no time: only their answer wakes it" } else { "sooner if the customer writes" };
            Item::new(label.to_string(), detail.into(), Choice::Snooze(*secs))
        })
        .collect();
    items.push(Item::new("until…".into(), TYPE_A_TIME.into(), Choice::Say(format!("{TYPE_A_TIME}, then Enter"))));
    items
}

/// The agent typed into the snooze picker: a time read from it comes first, shown as understood
/// ("until Mon 7 Dec 09:00"); text that is neither a time nor part of a choice says why.
pub fn retype(state: &mut State) {
    let (now, zone) = (state.now, state.zone);
    let Some(overlay) = state.overlay.as_mut().filter(|o| o.kind == OverlayKind::Snooze) else { return };
    let typed = overlay.query().trim().to_string();
    let mut items = snooze_items();
    let first = match zone.parse(&typed, now) {
        _ if typed.is_empty() => None,
        // Not a time, but part of a label ("4", "until the"): that choice, as before typing times.
        Err(_) if matches_a_choice(overlay, &typed) => None,
        Ok(until) if until <= now => Some(Item::new(
            format!("until {}?", zone.short(until, now)),
            "that has passed".into(),
            Choice::Say(format!("{} has passed; give a later time", zone.full(until))),
        )),
        Ok(until) => Some(Item::new(
            format!("until {}", zone.short(until, now)),
            "sooner if the customer writes".into(),
            Choice::SnoozeUntil(until),
        )),
        Err(problem) => Some(Item::new("until…?".into(), problem.clone(), Choice::Say(problem))),
    };
    overlay.pinned = usize::from(first.is_some());
    if let Some(first) = first {
        items.insert(0, first);
    }
    overlay.items = items;
    overlay.refilter();
}

/// Whether the fixed choices match `typed` as the picker filters them.
fn matches_a_choice(overlay: &Overlay, typed: &str) -> bool {
    let mut fixed = Overlay::new(OverlayKind::Snooze, snooze_items());
    fixed.input = overlay.input.clone();
    fixed.refilter();
    !typed.is_empty() && !fixed.matches.is_empty()
}

/// Snooze the open ticket for `secs` seconds (0: until the customer writes), if it is still at
/// `seen`, the version the picker was opened on.
pub fn apply(state: &mut State, secs: i64, seen: Option<i64>) -> Vec<Effect> {
    let until = match secs {
        0 => crate::domain::sla::until_reply(),
        secs => state.now + chrono::Duration::seconds(secs),
    };
    until_time(state, until, seen)
}

/// Snooze the open ticket until `until`, if it is still at `seen`.
pub fn until_time(state: &mut State, until: Timestamp, seen: Option<i64>) -> Vec<Effect> {
    if super::marks::applies(state) {
        return super::marks::snooze(state, until);
    }
    let Some(ticket) = state.open_ticket() else { return vec![] };
    vec![Effect::Snooze { id: ticket.id, version: seen.unwrap_or(ticket.version), until }]
}

/// The store snoozed it: say until when, in the agent's own time.
pub fn on_snoozed(state: &mut State, ticket: &Ticket, until: Timestamp) {
    if crate::domain::sla::is_until_reply(until) {
        state.set_status(format!("#{} snoozed until the customer writes", ticket.id));
    } else {
        let when = state.zone.full(until);
        state.set_status(format!("#{} snoozed until {when}, or until the customer writes", ticket.id));
    }
}

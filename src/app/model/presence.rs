//! Who else is on a ticket, as the queue and the conversation header show it.

use crate::app::model::state::State;
use crate::domain::{Presence, PresenceState};

/// Other agents on `ticket`, writers first.
pub fn others_on(state: &State, ticket: i64) -> Vec<&Presence> {
    let mut others: Vec<&Presence> =
        state.presence.iter().filter(|p| p.ticket_id == Some(ticket) && p.agent != state.agent.login).collect();
    // One entry per agent (writing wins over viewing), then writers first.
    others.sort_by_key(|p| (p.agent.clone(), p.state != PresenceState::Writing));
    others.dedup_by(|a, b| a.agent == b.agent);
    others.sort_by_key(|p| (p.state != PresenceState::Writing, p.agent.clone()));
    others
}

/// One glyph for a queue row: `✎` someone else writes on it, `●` someone else views it.
pub fn glyph(state: &State, ticket: i64) -> &'static str {
    match others_on(state, ticket).first().map(|p| p.state) {
        Some(PresenceState::Writing) => "✎",
        Some(PresenceState::Viewing) => "●",
        None => " ",
    }
}

/// `✎ mei writing · ● hiro viewing`, for the conversation header; `brief` leaves out the words
/// (`✎ mei · ● hiro`) for a narrow pane.
pub fn describe(state: &State, ticket: i64, brief: bool) -> Option<String> {
    let others = others_on(state, ticket);
    if others.is_empty() {
        return None;
    }
    let parts: Vec<String> = others
        .iter()
        .map(|p| {
            let (glyph, doing) = match p.state {
                PresenceState::Writing => ("✎", " writing"),
                PresenceState::Viewing => ("●", " viewing"),
            };
            let who = crate::domain::text::for_display_line(&p.agent);
            format!("{glyph} {who}{}", if brief { "" } else { doing })
        })
        .collect();
    Some(parts.join(" · "))
}

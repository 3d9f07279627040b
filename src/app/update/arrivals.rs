//! New mail noticed: a ticket that other agents or the mail intake brought into the agent's tab or
//! into Mine is named on the status line (`new: #1043 Carla Núñez — Refund for order…`), with the
//! terminal's bell when `ui.bell` is on.

use crate::app::model::message::Effect;
use crate::app::model::state::State;
use crate::domain::text::for_display_line;
use crate::domain::Ticket;

/// What the watcher's look found since the last one: say so, newest first.
pub fn on_arrivals(state: &mut State, mark: i64, tickets: Vec<Ticket>) -> Vec<Effect> {
    state.arrivals_mark = Some(state.arrivals_mark.map_or(mark, |seen| seen.max(mark)));
    let Some(newest) = tickets.last() else { return vec![] };
    state.set_status(arrival_line(newest, tickets.len()));
    if state.bell {
        vec![Effect::Bell]
    } else {
        vec![]
    }
}

/// `new: #1043 Carla Núñez — Refund for order 48213`, or `3 new: …` naming the newest; the status
/// line fits it to the width.
pub fn arrival_line(ticket: &Ticket, count: usize) -> String {
    let lead = if count > 1 { format!("{count} new") } else { "new".to_string() };
    format!(
        "{lead}: #{} {} — {}",
        ticket.id,
        for_display_line(&ticket.customer_name),
        for_display_line(&ticket.subject)
    )
}

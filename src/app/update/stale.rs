//! Pending tickets the customer left unanswered for days: offered for solving when the console
//! opens, solved by `solve_stale`.

use crate::app::model::message::Effect;
use crate::app::model::state::State;

/// Pending tickets whose customer has not answered for `days`: offer to solve them (once the
/// console opens), or say how many were solved.
pub fn on_stale(state: &mut State, count: usize, days: u32, solved: bool) -> Vec<Effect> {
    let tickets = if count == 1 { "ticket" } else { "tickets" };
    if solved {
        state.set_status(format!("solved {count} pending {tickets} the customer left unanswered for {days} days"));
        return vec![Effect::LoadCounts, Effect::ReloadQueue { view: state.view, rows: state.queue.rows.len() }];
    }
    if count > 0 && state.status.is_none() {
        // Short enough for an 80-column status line, with the command to run.
        state.set_status(format!("{count} pending {tickets} unanswered {days}+ days (:solve_stale)"));
    }
    vec![]
}

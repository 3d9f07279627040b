//! SLA clocks in the queue: a loaded page's clocks taken in, and the timer that works them out again.

use crate::app::model::message::Effect;
use crate::app::model::queue::PageFacts;
use crate::app::model::state::State;
use crate::app::model::views::View;
use crate::domain::Ticket;

/// Take a loaded page's clocks and cursor into the queue.
pub fn with_clocks(state: &mut State, view: View, rows: Vec<Ticket>, append: bool, facts: PageFacts) -> Vec<Ticket> {
    if view != state.view || state.findings.is_some() {
        return rows;
    }
    if !append {
        state.queue.sla.clear();
        state.queue.woken.clear();
    }
    state.queue.cursor = facts.next;
    state.queue.sla.extend(facts.clocks);
    state.queue.overdue = facts.overdue;
    state.queue.woken.extend(facts.woken);
    rows
}

/// The timer fired: reload the rows the queue has, keeping the agent's place (not while it is
/// narrowed to a filter's results), and the tab counts a woken snooze changes.
pub fn on_tick(state: &mut State) -> Vec<Effect> {
    if state.findings.is_some() {
        return vec![];
    }
    vec![Effect::ReloadQueue { view: state.view, rows: state.queue.rows.len() }, Effect::LoadCounts]
}

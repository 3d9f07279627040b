//! Other agents' changes, seen by the watcher: refresh what is shown without losing the agent's place.

use crate::app::model::message::Effect;
use crate::app::model::state::State;
use crate::domain::Presence;

/// Other processes changed the desk or who is where: refresh what is shown, keeping the selection
/// and the scroll position.
pub fn on_store_changed(state: &mut State, desk_changed: bool, presence: Vec<Presence>) -> Vec<Effect> {
    state.presence = presence;
    if !desk_changed {
        return vec![];
    }
    // What came in is looked for from the last look's mark; the reloads below show it.
    let mut effects = vec![Effect::FindArrivals { after: state.arrivals_mark }, Effect::LoadCounts];
    effects.push(match super::find::refresh(state) {
        Some(reload) => reload,
        None => Effect::ReloadQueue { view: state.view, rows: state.queue.rows.len() },
    });
    if let Some(id) = state.open_ticket().map(|t| t.id) {
        effects.push(Effect::LoadTicket(id));
    }
    effects
}

//! Moving around: panes, queue tabs, the cursor in each pane.

use crate::app::model::action::Action;
use crate::app::model::layout;
use crate::app::model::message::Effect;
use crate::app::model::state::{Pane, ProfileMode, State};
use crate::app::model::views::View;

pub fn view_of(action: Action) -> View {
    match action {
        Action::ViewNeedsReply => View::NeedsReply,
        Action::ViewMine => View::Mine,
        Action::ViewUnassigned => View::Unassigned,
        Action::ViewAll => View::All,
        _ => View::Open,
    }
}

pub fn next_view(state: &State, delta: isize) -> View {
    let tabs = state.tabs();
    let i = (state.tab_index(state.view) as isize + delta).rem_euclid(tabs.len() as isize);
    tabs[i as usize]
}

pub fn switch_view(state: &mut State, view: View) -> Vec<Effect> {
    state.findings = None;
    state.prompt = None;
    state.view = view;
    state.queue = Default::default();
    state.queue.loading = true;
    state.focus = Pane::Queue;
    // Counts do not change by looking at another tab; writes and start-up refresh them.
    vec![Effect::LoadQueue { view, after: None }]
}

pub fn back(state: &mut State) -> Vec<Effect> {
    if state.overlay.take().is_some() {
        return vec![];
    }
    if state.composer.is_some() && state.focus == Pane::Conversation {
        let effects = crate::app::update::composer::flush_draft(state);
        let kind = state.composer.take().map(|c| c.kind).unwrap_or(crate::domain::MessageKind::Reply);
        let mut keys = state.keymap.naming(crate::app::model::keymap::Context::of(state));
        let text = format!("draft kept: {} brings it back", keys.key(crate::app::update::composer::action_for(kind)));
        let named = keys.named();
        state.set_status_naming(text, named);
        return effects;
    }
    if !state.pending_keys.is_empty() {
        state.pending_keys.clear();
        return vec![];
    }
    if !state.marked.is_empty() && state.focus == Pane::Queue {
        return crate::app::update::marks::clear(state);
    }
    if state.findings.is_some() && state.focus == Pane::Queue {
        return crate::app::update::find::clear(state);
    }
    if state.focus != Pane::Queue {
        state.focus = Pane::Queue;
    }
    vec![]
}

fn visible_panes(state: &State) -> Vec<Pane> {
    let areas = layout::areas(state);
    let mut panes = vec![Pane::Queue, Pane::Conversation];
    if areas.profile.is_some() || state.size.0 < layout::ONE_PANE_WIDTH {
        panes.push(Pane::Profile);
    }
    panes
}

pub fn cycle_focus(state: &mut State, delta: isize) -> Vec<Effect> {
    let panes = visible_panes(state);
    let at = panes.iter().position(|p| *p == state.focus).unwrap_or(0) as isize;
    let next = panes[(at + delta).rem_euclid(panes.len() as isize) as usize];
    focus(state, next)
}

pub fn focus(state: &mut State, pane: Pane) -> Vec<Effect> {
    if pane == Pane::Profile && layout::areas(state).profile.is_none() && state.size.0 >= layout::ONE_PANE_WIDTH {
        // Asking for a hidden profile shows it.
        state.profile_mode = ProfileMode::Shown;
    }
    if pane != Pane::Queue && state.conversation.is_none() {
        state.set_status("no ticket is open: pick one in the queue");
        return vec![];
    }
    state.focus = pane;
    vec![]
}

pub fn toggle_profile(state: &mut State) -> Vec<Effect> {
    let shown = layout::areas(state).profile.is_some();
    state.profile_mode = if shown { ProfileMode::Hidden } else { ProfileMode::Shown };
    if shown && state.focus == Pane::Profile {
        state.focus = Pane::Conversation;
    }
    vec![]
}

pub fn open(state: &mut State) -> Vec<Effect> {
    match state.focus {
        Pane::Queue => match state.queue.selected_ticket() {
            Some(ticket) => {
                let id = ticket.id;
                state.focus = Pane::Conversation;
                if state.open_ticket().map(|t| t.id) == Some(id) {
                    vec![]
                } else {
                    vec![Effect::LoadTicket(id)]
                }
            }
            None => vec![],
        },
        Pane::Profile => match state.profile.tickets.get(state.profile.selected) {
            Some(ticket) => {
                state.focus = Pane::Conversation;
                vec![Effect::LoadTicket(ticket.id)]
            }
            None => vec![],
        },
        Pane::Conversation => vec![],
    }
}

pub fn half_page(state: &State) -> usize {
    (layout::queue_rows(state) / 2).max(1)
}

pub fn move_by(state: &mut State, delta: isize) -> Vec<Effect> {
    match state.focus {
        Pane::Queue => move_queue(state, delta),
        Pane::Conversation => {
            scroll_conversation(state, delta);
            vec![]
        }
        Pane::Profile => {
            let len = state.profile.tickets.len();
            state.profile.selected = clamp_step(state.profile.selected, delta, len);
            vec![]
        }
    }
}

fn clamp_step(at: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (at as isize).saturating_add(delta).clamp(0, len as isize - 1) as usize
}

fn move_queue(state: &mut State, delta: isize) -> Vec<Effect> {
    state.queue.selected = clamp_step(state.queue.selected, delta, state.queue.rows.len());
    scroll_to_selection(state);
    let mut effects = Vec::new();
    let near_end = state.queue.selected + layout::queue_rows(state) >= state.queue.rows.len();
    if near_end && state.queue.has_more && !state.queue.loading {
        if state.findings.is_some() {
            effects.extend(crate::app::update::find::next_page(state));
        } else {
            state.queue.loading = true;
            effects.push(Effect::LoadQueue { view: state.view, after: crate::app::update::next_page_cursor(state) });
        }
    }
    // The conversation keeps showing the opened ticket; Enter opens the selected one. Following the
    // cursor would repaint two panes on every move, which over SSH is most of a keystroke's cost.
    effects
}

/// Scroll the queue so the selected row is drawn. Past an edge the list jumps by half a page (as
/// mutt's index does) rather than one row: scrolling repaints every row of the pane, which over
/// SSH costs kilobytes, so it should happen once per half page, not on every move.
pub fn scroll_to_selection(state: &mut State) {
    let rows = layout::queue_rows(state).max(1);
    let q = &mut state.queue;
    if q.selected < q.offset || q.selected >= q.offset + rows {
        // The selected row in the middle, without scrolling past the last row.
        q.offset = q.selected.saturating_sub(rows / 2).min(q.rows.len().saturating_sub(rows));
    }
}

fn scroll_conversation(state: &mut State, delta: isize) {
    state.wrap_conversation();
    let height = crate::app::model::layout::conversation_inner(state).map_or(0, |r| r.height as usize);
    let Some(conversation) = state.conversation.as_mut() else { return };
    let total = conversation.lines.len();
    let max = total.saturating_sub(height);
    let from_bottom = (conversation.scroll_from_bottom as isize).saturating_sub(delta);
    conversation.scroll_from_bottom = from_bottom.clamp(0, max as isize) as usize;
}

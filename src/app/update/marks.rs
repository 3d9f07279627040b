//! Marking tickets in the queue (Space, `*`) and changing every marked one at once: status,
//! priority, assignee, tags and snooze apply to all of them, each its own write checked against
//! the version the agent saw when marking it. A change of more than one asks first.

use crate::app::model::action::Action;
use crate::app::model::message::{BulkChange, BulkOutcome, Effect};
use crate::app::model::overlay::{Choice, Item, Overlay, OverlayKind, Question};
use crate::app::model::state::State;
use crate::domain::text::for_display_line;
use crate::domain::TicketChange;

/// Space: mark the ticket under the cursor, or unmark it, and move down.
pub fn toggle(state: &mut State) -> Vec<Effect> {
    let Some(ticket) = state.queue.selected_ticket() else { return vec![] };
    let (id, version) = (ticket.id, ticket.version);
    if state.marked.remove(&id).is_none() {
        state.marked.insert(id, version);
    }
    say_marked(state);
    super::navigation::move_by(state, 1)
}

/// `*`: mark every ticket the queue lists (all of a filter's or search's results that are loaded,
/// or the tab's loaded rows); with tickets marked already, unmark them all.
pub fn toggle_all(state: &mut State) -> Vec<Effect> {
    if !state.marked.is_empty() {
        return clear(state);
    }
    state.marked = state.queue.rows.iter().map(|t| (t.id, t.version)).collect();
    say_marked(state);
    vec![]
}

/// Unmark every ticket (Esc in the queue does it first).
pub fn clear(state: &mut State) -> Vec<Effect> {
    let n = state.marked.len();
    state.marked.clear();
    state.set_status(format!("{n} unmarked"));
    vec![]
}

fn say_marked(state: &mut State) {
    match state.marked.len() {
        0 => state.set_status("nothing marked"),
        n => state.set_status(format!("{n} marked: s p a t z change them all · Space unmarks one · Esc all")),
    }
}

/// Whether the choice being carried out is one of a picker opened for the marked tickets (from
/// the queue with tickets marked); a picker opened for the open ticket changes only that.
pub fn applies(state: &State) -> bool {
    state.choosing_for_marked && !state.marked.is_empty()
}

/// `s`, `p`, `a`, `t` or `z` with tickets marked: its picker, for all of them; `None` for other
/// actions.
pub fn picker_for(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let (kind, items) = match action {
        Action::SetStatus | Action::SetPriority | Action::Assign | Action::Tags => {
            let any = state.queue.rows.iter().find(|t| state.marked.contains_key(&t.id))?.clone();
            super::pickers::items(state, action, &any)
        }
        Action::Snooze => (OverlayKind::Snooze, super::snooze::snooze_items()),
        _ => return None,
    };
    open_picker(state, kind, items);
    Some(vec![])
}

/// The picker for every marked ticket: no item is "current"; tags offer to add any known tag and
/// to remove the ones some marked ticket carries.
fn open_picker(state: &mut State, kind: OverlayKind, mut items: Vec<Item>) {
    for item in &mut items {
        item.current = false;
    }
    if kind == OverlayKind::Tags {
        let on_some: std::collections::BTreeSet<&String> =
            state.queue.rows.iter().filter(|t| state.marked.contains_key(&t.id)).flat_map(|t| t.tags.iter()).collect();
        items = on_some
            .iter()
            .map(|t| Item::new(format!("-{t}"), "remove from all marked".into(), Choice::Tag(format!("-{t}"))))
            .chain(
                state
                    .known_tags
                    .iter()
                    .map(|t| Item::new(t.clone(), "add to all marked".into(), Choice::Tag(t.clone()))),
            )
            .collect();
    }
    let mut overlay = Overlay::new(kind, items);
    overlay.for_marked = true;
    state.overlay = Some(overlay);
    let n = state.marked.len();
    state.set_status(format!("for the {n} marked tickets"));
}

/// A picker's choice, for every marked ticket.
pub fn apply(state: &mut State, choice: Choice) -> Vec<Effect> {
    let n = state.marked.len();
    let mut change = TicketChange::default();
    let (change, what, ask) = match choice {
        Choice::Status(s) => {
            change.status = Some(s);
            (change, format!("status {s}"), format!("set {n} marked tickets to {s}"))
        }
        Choice::Priority(p) => {
            change.priority = Some(p);
            (change, format!("priority {p}"), format!("set {n} marked tickets to priority {p}"))
        }
        Choice::Assignee(who) => {
            let who_text = for_display_line(who.as_deref().unwrap_or("nobody")).into_owned();
            change.assignee = Some(who);
            (change, format!("assigned to {who_text}"), format!("assign {n} marked tickets to {who_text}"))
        }
        Choice::Tag(tag) => match tag.strip_prefix('-') {
            Some(removed) => {
                change.remove_tags.push(removed.to_string());
                (change, format!("tag {removed} removed"), format!("remove tag {removed} from {n} marked tickets"))
            }
            None => {
                let (what, ask) = (format!("tag {tag} added"), format!("add tag {tag} to {n} marked tickets"));
                change.add_tags.push(tag);
                (change, what, ask)
            }
        },
        _ => return vec![],
    };
    change_marked(state, BulkChange::Ticket(change), what, ask)
}

/// Snooze every marked ticket until `until` (the snooze picker's choice or a typed time).
pub fn snooze(state: &mut State, until: crate::domain::Timestamp) -> Vec<Effect> {
    let what = if crate::domain::sla::is_until_reply(until) {
        "snoozed until the customer writes".to_string()
    } else {
        format!("snoozed until {}", state.zone.full(until))
    };
    let ask = format!("snooze {} marked tickets {}", state.marked.len(), what.trim_start_matches("snoozed "));
    change_marked(state, BulkChange::Snooze(until), what, ask)
}

/// Change the marked tickets; more than one only after the question `ask` (`set 14 marked
/// tickets to solved`) is answered y.
fn change_marked(state: &mut State, change: BulkChange, what: String, ask: String) -> Vec<Effect> {
    let tickets: Vec<(i64, i64)> = state.marked.iter().map(|(id, version)| (*id, *version)).collect();
    let said = format!("changing {} tickets…", tickets.len());
    let effects = vec![Effect::UpdateMarked { tickets, change, what }];
    if state.marked.len() <= 1 {
        state.set_status(said);
        return effects;
    }
    let answers = vec![super::confirm::yes("yes, change them all".into(), effects, said), super::confirm::no()];
    super::confirm::ask_question(state, Question { title: format!("{ask}? y/N"), answers });
    vec![]
}

/// The store's answer: the changed tickets are unmarked; those that had changed since they were
/// marked stay marked (with their new version), to be looked at and changed again.
pub fn on_updated(state: &mut State, outcome: BulkOutcome) -> Vec<Effect> {
    let BulkOutcome { what, changed, meanwhile, failed } = outcome;
    for id in &changed {
        state.marked.remove(id);
    }
    for (id, version) in &meanwhile {
        state.marked.insert(*id, *version);
    }
    for (id, _) in &failed {
        state.marked.remove(id);
    }
    let numbers = |ids: &mut dyn Iterator<Item = i64>| ids.map(|id| format!("#{id}")).collect::<Vec<_>>().join(" ");
    let mut said = format!("{what} on {} tickets", changed.len());
    if !meanwhile.is_empty() {
        said.push_str(&format!(
            "; {} had changed since you marked them and were left as they are (still marked): {}",
            meanwhile.len(),
            numbers(&mut meanwhile.iter().map(|(id, _)| *id))
        ));
    }
    if !failed.is_empty() {
        let reasons: Vec<String> = failed.iter().map(|(id, why)| format!("#{id}: {why}")).collect();
        said.push_str(&format!("; not changed: {}", reasons.join("; ")));
        state.set_error(said);
    } else {
        state.set_status(said);
    }
    let mut effects = vec![Effect::LoadCounts];
    effects.push(match super::find::refresh(state) {
        Some(reload) => reload,
        None => Effect::LoadQueue { view: state.view, after: None },
    });
    if let Some(open) = state.open_ticket().map(|t| t.id) {
        if changed.contains(&open) {
            effects.push(Effect::LoadTicket(open));
        }
    }
    effects
}

//! Ctrl-T in the composer: insert a canned reply, its placeholders filled in; its actions apply
//! when the message is sent.

use crate::app::model::action::Action;
use crate::app::model::message::Effect;
use crate::app::model::overlay::{Choice, Item, Overlay, OverlayKind};
use crate::app::model::state::State;
use crate::domain::template::{render, Context};
use crate::domain::text::for_display_line;

/// The canned-reply picker (only into an open composer).
pub fn open(state: &mut State) -> Vec<Effect> {
    if super::open_ticket_or_say(state).is_none() {
        return vec![];
    }
    if state.composer.is_none() {
        let mut keys = state.keymap.naming(crate::app::model::keymap::Context::of(state));
        let text = format!("canned replies go into the composer: press {} to reply first", keys.key(Action::Reply));
        let named = keys.named();
        state.set_status_naming(text, named);
        return vec![];
    }
    let mut overlay = Overlay::new(OverlayKind::Macro, macro_items(state));
    overlay.previews = previews(state);
    state.overlay = Some(overlay);
    vec![]
}

/// One item per canned reply: its name, and what sending it changes on the ticket.
fn macro_items(state: &State) -> Vec<Item> {
    state
        .macros
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let also = match m.change(&state.agent.login) {
                Ok(change) => describe_change(&change).unwrap_or_else(|| "changes nothing else".into()),
                Err(e) => format!("cannot be used: {e}"),
            };
            Item::new(for_display_line(&m.name).into_owned(), also, Choice::Macro(i))
        })
        .collect()
}

/// Each canned reply as it would be inserted for this customer and ticket, or why it cannot be.
fn previews(state: &State) -> Vec<String> {
    let Some(conversation) = &state.conversation else { return Vec::new() };
    let context = Context::new(&conversation.detail.customer, &conversation.detail.ticket, &state.agent);
    state
        .macros
        .iter()
        .map(|m| match render(&m.body, &context) {
            Ok(text) => text.trim_end().to_string(),
            Err(e) => format!("(not insertable: {e})"),
        })
        .collect()
}

/// Fill in the canned reply's placeholders and insert it; a placeholder that cannot be filled
/// inserts nothing and says why.
pub fn insert(state: &mut State, index: usize) -> Vec<Effect> {
    let (Some(reply), Some(conversation)) = (state.macros.get(index), &state.conversation) else { return vec![] };
    let context = Context::new(&conversation.detail.customer, &conversation.detail.ticket, &state.agent);
    let name = reply.name.clone();
    let change = match reply.change(&state.agent.login) {
        Ok(change) => change,
        Err(e) => {
            state.set_error(format!("canned reply '{}' not inserted: {e}", for_display_line(&name)));
            return vec![];
        }
    };
    match render(&reply.body, &context) {
        Ok(text) => {
            let Some(composer) = state.composer.as_mut() else { return vec![] };
            composer.text.insert_str(text.trim_end());
            composer.dirty = true;
            let also = describe_change(&change);
            if !change.is_empty() {
                composer.actions.push((name.clone(), change));
            }
            let mut keys = state.keymap.naming(crate::app::model::keymap::Context::Composer);
            let send = keys.key(Action::Send);
            let text = match also {
                None => format!("canned reply '{}' inserted; {send} sends it", for_display_line(&name)),
                Some(also) => {
                    format!("canned reply '{}' inserted; {send} sends it and {also}", for_display_line(&name))
                }
            };
            let named = keys.named();
            state.set_status_naming(text, named);
            super::composer::flush_draft(state)
        }
        Err(e) => {
            state.set_error(format!("canned reply '{}' not inserted: {e}", for_display_line(&name)));
            vec![]
        }
    }
}

/// What a canned reply's actions do, as the end of a sentence: "sets status solved, adds tag vip".
fn describe_change(change: &crate::domain::TicketChange) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(status) = change.status {
        parts.push(format!("sets status {status}"));
    }
    if let Some(priority) = change.priority {
        parts.push(format!("sets priority {priority}"));
    }
    match &change.assignee {
        Some(Some(login)) => parts.push(format!("assigns {}", for_display_line(login))),
        Some(None) => parts.push("unassigns".to_string()),
        None => {}
    }
    for tag in &change.add_tags {
        parts.push(format!("adds tag {}", for_display_line(tag)));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

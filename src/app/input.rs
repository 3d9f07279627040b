//! Keys and pasted text: routed to the overlay, the composer, or the key map.

use super::keymap::{Context, Key, Resolution};
use super::msg::Effect;
use super::state::{Composer, Pane, State};
use super::update::on_action;
use crate::domain::MessageKind;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

pub fn on_key(state: &mut State, event: KeyEvent) -> Vec<Effect> {
    if event.kind == KeyEventKind::Release {
        return vec![];
    }
    let key = Key::from_event(event);
    if key.code == KeyCode::Char('c') && key.mods == KeyModifiers::CONTROL {
        return on_action(state, super::action::Action::ForceQuit);
    }
    if state.overlay.is_some() {
        return super::pickers::on_overlay_key(state, event);
    }
    if state.prompt.is_some() {
        return super::narrow::on_key(state, event);
    }
    let context = context_of(state);
    state.pending_keys.push(key);
    match state.keymap.resolve(context, &state.pending_keys) {
        Resolution::Action(action) => {
            state.pending_keys.clear();
            on_action(state, action)
        }
        Resolution::Pending => vec![],
        Resolution::Unbound => {
            let typed = std::mem::take(&mut state.pending_keys);
            if context == Context::Composer {
                return type_into_composer(state, event);
            }
            if typed.len() > 1 {
                // `g x`: drop the dangling `g` and try `x` alone.
                return on_key(state, event);
            }
            vec![]
        }
    }
}

fn context_of(state: &State) -> Context {
    if state.composer.is_some() && state.focus == Pane::Conversation {
        return Context::Composer;
    }
    match state.focus {
        Pane::Queue if state.narrow.is_some() => Context::Filtered,
        Pane::Queue => Context::Queue,
        Pane::Conversation => Context::Conversation,
        Pane::Profile => Context::Profile,
    }
}

fn type_into_composer(state: &mut State, event: KeyEvent) -> Vec<Effect> {
    let Some(composer) = state.composer.as_mut() else { return vec![] };
    if composer.text.input(event) {
        return mark_dirty(state);
    }
    vec![]
}

pub fn on_paste(state: &mut State, text: &str) -> Vec<Effect> {
    if state.prompt.is_some() && state.overlay.is_none() {
        return super::narrow::on_paste(state, text);
    }
    if let Some(overlay) = state.overlay.as_mut() {
        let line: String = text.lines().next().unwrap_or("").chars().filter(|c| !c.is_control()).collect();
        let value = format!("{}{}", overlay.input.value(), line);
        overlay.input = tui_input::Input::new(value);
        overlay.refilter();
        return vec![];
    }
    match state.composer.as_mut() {
        Some(composer) if state.focus == Pane::Conversation => {
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            composer.text.insert_str(text);
            mark_dirty(state)
        }
        _ => vec![],
    }
}

fn mark_dirty(state: &mut State) -> Vec<Effect> {
    let Some(composer) = state.composer.as_mut() else { return vec![] };
    composer.dirty = true;
    if composer.save_scheduled {
        return vec![];
    }
    composer.save_scheduled = true;
    vec![Effect::ScheduleDraftSave]
}

/// Save the composer's text to the store if it changed since the last save.
pub fn flush_draft(state: &mut State) -> Vec<Effect> {
    let Some(composer) = state.composer.as_mut() else { return vec![] };
    composer.save_scheduled = false;
    if !composer.dirty {
        return vec![];
    }
    composer.dirty = false;
    vec![Effect::SaveDraft { ticket: composer.ticket_id, kind: composer.kind, body: composer.body() }]
}

pub fn open_composer(state: &mut State, kind: MessageKind) -> Vec<Effect> {
    let Some(ticket) = state.open_ticket() else {
        state.set_status("no ticket is open: pick one in the queue");
        return vec![];
    };
    let id = ticket.id;
    state.focus = Pane::Conversation;
    match state.composer.as_mut() {
        Some(composer) if composer.ticket_id == id => {
            composer.kind = kind;
            composer.dirty = true;
            return flush_draft(state);
        }
        _ => {}
    }
    let mut effects = flush_draft(state);
    let last_seen = super::guard::last_seen(state);
    state.composer = Some(Composer::new(id, kind, ""));
    if let Some(composer) = state.composer.as_mut() {
        composer.last_seen = last_seen;
    }
    effects.push(Effect::ResumeDraft { ticket: id, kind });
    effects
}

pub fn open_editor(state: &mut State) -> Vec<Effect> {
    if state.composer.is_none() {
        let effects = open_composer(state, MessageKind::Reply);
        if state.composer.is_none() {
            return effects;
        }
    }
    let body = state.composer.as_ref().map(Composer::body).unwrap_or_default();
    vec![Effect::OpenEditor { body }]
}

pub fn send(state: &mut State) -> Vec<Effect> {
    let Some(composer) = state.composer.as_mut() else { return vec![] };
    let body = composer.body();
    if body.trim().is_empty() {
        state.set_error("nothing to send: the message is empty");
        return vec![];
    }
    composer.dirty = false;
    vec![Effect::Send { ticket: composer.ticket_id, kind: composer.kind, body, expect_last: composer.last_seen }]
}

/// Put a saved draft back into the composer that was just opened for its ticket.
pub fn resume_draft(state: &mut State, ticket: i64, draft: Option<crate::domain::Draft>) {
    let Some(draft) = draft else { return };
    let Some(composer) = state.composer.as_mut() else { return };
    if composer.ticket_id != ticket || !composer.body().is_empty() {
        return;
    }
    // A draft keeps its kind: a note must never turn into a reply the customer sees.
    let last_seen = composer.last_seen;
    *composer = Composer::new(ticket, draft.kind, &draft.body);
    composer.last_seen = last_seen;
    state.set_status(format!("your unsent {} is back", kind_name(draft.kind)));
}

pub fn kind_name(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Note => "internal note",
        _ => "reply",
    }
}

//! Keys and pasted text: routed to the overlay, the composer, or the key map.

use crate::app::model::key::{KeyCode, KeyEvent, KeyModifiers};
use crate::app::model::keymap::{Context, Key, Resolution};
use crate::app::model::message::Effect;
use crate::app::model::state::{Pane, State};
use crate::app::update::on_action;

pub fn on_key(state: &mut State, event: KeyEvent) -> Vec<Effect> {
    let key = Key::from_event(event);
    if key.code == KeyCode::Char('c') && key.mods == KeyModifiers::CONTROL {
        return on_action(state, crate::app::model::action::Action::ForceQuit);
    }
    if state.overlay.is_some() {
        return crate::app::update::overlay::on_overlay_key(state, event);
    }
    if state.ticket_form.is_some() {
        return crate::app::update::ticket_form::on_key(state, event);
    }
    if state.customer_form.is_some() {
        return crate::app::update::customer_form::on_key(state, event);
    }
    if state.organization_form.is_some() {
        return crate::app::update::organization_form::on_key(state, event);
    }
    if state.agent_form.is_some() {
        return crate::app::update::agents::on_key(state, event);
    }
    if state.prompt.is_some() {
        return crate::app::update::find::on_key(state, event);
    }
    let context = Context::of(state);
    state.pending_keys.push(key);
    match state.keymap.resolve(context, &state.pending_keys) {
        Resolution::Action(action) => {
            state.pending_keys.clear();
            on_action(state, action)
        }
        Resolution::Pending => {
            let next = state.keymap.continuations(context, &state.pending_keys);
            let typed = crate::app::model::keymap::sequence_label(&state.pending_keys);
            let choices: Vec<String> = next.iter().map(|(rest, action)| format!("{rest} {}", action.name())).collect();
            state.set_status(format!("{typed} … {}", choices.join(" · ")));
            vec![]
        }
        Resolution::Unbound => {
            let typed = std::mem::take(&mut state.pending_keys);
            if context == Context::Composer {
                return super::composer::type_into(state, event);
            }
            if typed.len() > 1 {
                // `g x`: drop the dangling `g` and try `x` alone.
                return on_key(state, event);
            }
            vec![]
        }
    }
}

pub fn on_paste(state: &mut State, text: &str) -> Vec<Effect> {
    if state.ticket_form.is_some() && state.overlay.is_none() {
        return crate::app::update::ticket_form::on_paste(state, text);
    }
    if state.customer_form.is_some() && state.overlay.is_none() {
        return crate::app::update::customer_form::on_paste(state, text);
    }
    if state.organization_form.is_some() && state.overlay.is_none() {
        return crate::app::update::organization_form::on_paste(state, text);
    }
    if state.agent_form.is_some() && state.overlay.is_none() {
        return crate::app::update::agents::on_paste(state, text);
    }
    if state.prompt.is_some() && state.overlay.is_none() {
        return crate::app::update::find::on_paste(state, text);
    }
    if let Some(overlay) = state.overlay.as_mut() {
        let line = crate::app::model::text::pasted_line(text);
        let value = format!("{}{}", overlay.input.value(), line);
        overlay.input = tui_input::Input::new(value);
        overlay.refilter();
        crate::app::update::overlay::after_typing(state);
        return vec![];
    }
    match state.composer.as_mut() {
        Some(composer) if state.focus == Pane::Conversation => {
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            composer.text.insert_str(text);
            super::composer::mark_dirty(state)
        }
        _ => vec![],
    }
}

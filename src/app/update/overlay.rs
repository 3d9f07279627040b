//! Building the overlays and handling keys while one is open.

use crate::app::model::action::Action;
use crate::app::model::key::{KeyCode, KeyEvent, KeyModifiers};
use crate::app::model::keymap::{sequence_label, Context};
use crate::app::model::message::Effect;
use crate::app::model::overlay::{Choice, Item, Overlay, OverlayKind};
use crate::app::model::state::State;

pub fn overlay_for(state: &State, action: Action) -> Overlay {
    match action {
        Action::Help => Overlay::new(OverlayKind::Help, help_items(state)),
        _ => Overlay::new(OverlayKind::Palette, palette_items(state)),
    }
}

/// The effective key map, one line per binding: where, the key, the action's title; its name
/// and what it does second.
fn help_items(state: &State) -> Vec<Item> {
    state
        .keymap
        .entries()
        .map(|(context, seq, action)| Item {
            label: format!("{:<12} {:<10} {}", context.name(), sequence_label(seq), action.title()),
            detail: format!("{} · {}", action.name(), action.description()),
            current: false,
            choice: Choice::Nothing,
        })
        .collect()
}

/// Every action by its title, its name second (both are matched), then what it does and its key.
fn palette_items(state: &State) -> Vec<Item> {
    Action::ALL
        .iter()
        .filter(|a| !matches!(a, Action::Palette))
        .map(|action| Item {
            label: action.title().to_string(),
            detail: format!(
                "{} · {}{}",
                action.name(),
                action.description(),
                state.keymap.hint_for(Context::Queue, *action).map(|k| format!("  [{k}]")).unwrap_or_default()
            ),
            current: false,
            choice: Choice::Run(*action),
        })
        .collect()
}

pub fn on_overlay_key(state: &mut State, event: KeyEvent) -> Vec<Effect> {
    if state.overlay.as_ref().is_some_and(|o| o.kind == OverlayKind::Confirm) {
        return super::confirm::on_key(state, event);
    }
    let Some(overlay) = state.overlay.as_mut() else { return vec![] };
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    match event.code {
        KeyCode::Esc => {
            state.overlay = None;
            vec![]
        }
        KeyCode::Down | KeyCode::Tab => step(overlay, 1),
        KeyCode::Up | KeyCode::BackTab => step(overlay, -1),
        KeyCode::Char('n' | 'j') if ctrl => step(overlay, 1),
        KeyCode::Char('p' | 'k') if ctrl => step(overlay, -1),
        KeyCode::Enter => choose(state),
        _ => {
            if event.line_edit().and_then(|edit| overlay.input.handle(edit)).is_some() {
                overlay.refilter();
                after_typing(state);
            }
            vec![]
        }
    }
}

/// The pickers that read what is typed (a time, an attachment's number) offer what they read.
pub fn after_typing(state: &mut State) {
    match state.overlay.as_ref().map(|o| o.kind) {
        Some(OverlayKind::Snooze) => super::snooze::retype(state),
        Some(OverlayKind::SaveAttachment | OverlayKind::OpenAttachment) => super::attachments::retype(state),
        _ => {}
    }
}

fn step(overlay: &mut Overlay, delta: isize) -> Vec<Effect> {
    overlay.step(delta);
    vec![]
}

fn choose(state: &mut State) -> Vec<Effect> {
    let Some(overlay) = state.overlay.take() else { return vec![] };
    // A picker opened for the marked tickets changes them; any other changes the open ticket.
    state.choosing_for_marked = overlay.for_marked;
    let effects = chosen(state, overlay);
    state.choosing_for_marked = false;
    effects
}

fn chosen(state: &mut State, overlay: Overlay) -> Vec<Effect> {
    match overlay.chosen() {
        Some(Choice::Run(action)) => super::on_action(state, action),
        Some(Choice::Nothing) => {
            state.overlay = Some(overlay);
            vec![]
        }
        Some(Choice::Snooze(secs)) => super::snooze::apply(state, secs, overlay.seen_version),
        Some(Choice::Rate(csat)) => super::ratings::apply_csat(state, csat, overlay.seen_version),
        Some(Choice::Nps(score)) => super::ratings::apply_nps(state, score),
        Some(Choice::Macro(i)) => super::canned_replies::insert(state, i),
        Some(Choice::Ask(question)) => {
            super::confirm::ask_question(state, *question);
            vec![]
        }
        Some(Choice::SnoozeUntil(until)) => super::snooze::until_time(state, until, overlay.seen_version),
        Some(Choice::Say(text)) => {
            state.set_status(text);
            state.overlay = Some(overlay);
            vec![]
        }
        Some(Choice::SaveAttachment(id)) => vec![Effect::SaveAttachment { id }],
        Some(Choice::EditAgent(login)) => super::agents::open_form(state, &login),
        Some(Choice::OpenAttachment(id)) => vec![Effect::OpenAttachment { id }],
        Some(Choice::DeleteTicket(id)) => vec![Effect::DeleteTicket { id, version: overlay.seen_version }],
        Some(Choice::Spam(id)) => super::confirm::spam(state, id, overlay.seen_version),
        Some(Choice::Do { effects, said }) => {
            state.set_status(said);
            effects
        }
        Some(choice) => super::pickers::apply(state, choice, overlay.seen_version),
        None if overlay.kind == OverlayKind::Palette => {
            // Nothing was named: nothing runs, and the palette stays for another try.
            let typed = crate::domain::text::for_display_line(overlay.query()).into_owned();
            state.set_error(format!("no command is called “{typed}”: nothing was run"));
            state.overlay = Some(overlay);
            vec![]
        }
        None => vec![],
    }
}

//! The composer: opening it for a reply or note, typing, drafts saved as the agent types, sending.

use crate::app::model::composer::kind_name;
use crate::app::model::composer::Composer;
use crate::app::model::key::KeyEvent;
use crate::app::model::message::Effect;
use crate::app::model::state::{Pane, State};
use crate::domain::{Draft, MessageKind};

/// The action that opens the composer for a message of this kind.
pub fn action_for(kind: MessageKind) -> crate::app::model::action::Action {
    match kind {
        MessageKind::Note => crate::app::model::action::Action::Note,
        _ => crate::app::model::action::Action::Reply,
    }
}

pub fn type_into(state: &mut State, event: KeyEvent) -> Vec<Effect> {
    let Some(composer) = state.composer.as_mut() else { return vec![] };
    if composer.text.input(event.for_text_area()) {
        return mark_dirty(state);
    }
    vec![]
}

pub fn mark_dirty(state: &mut State) -> Vec<Effect> {
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
    if !composer.dirty || composer.sending {
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
    let last_seen = super::reply_check::last_seen(state);
    state.composer = Some(Composer::new(id, kind, ""));
    if let Some(composer) = state.composer.as_mut() {
        composer.last_seen = last_seen;
    }
    effects.push(Effect::ResumeDraft { ticket: id, kind });
    effects
}

pub fn open_editor(state: &mut State) -> Vec<Effect> {
    if state.composer.is_none() {
        // The editor waits for the saved draft, so it opens with the agent's unsent text.
        let effects = open_composer(state, MessageKind::Reply);
        if let Some(composer) = state.composer.as_mut() {
            composer.editor_on_load = true;
        }
        return effects;
    }
    let body = state.composer.as_ref().map(Composer::body).unwrap_or_default();
    vec![Effect::OpenEditor { body }]
}

/// A send failed and nothing was written: the composer keeps the text, marked to be saved as a
/// draft again, and the ticket is shown as it now is.
pub fn on_send_failed(state: &mut State, ticket: i64, message: String) -> Vec<Effect> {
    state.set_error(format!("{message}; your text is kept"));
    let mut effects = Vec::new();
    if let Some(composer) = state.composer.as_mut().filter(|c| c.ticket_id == ticket) {
        composer.sending = false;
        effects.extend(mark_dirty(state));
    }
    if state.open_ticket().map(|t| t.id) == Some(ticket) {
        effects.push(Effect::LoadTicket(ticket));
    }
    effects
}

/// Put a saved draft back into the composer that was just opened for its ticket.
/// Then open the editor on it when `e` asked for it.
pub fn resume_draft(state: &mut State, ticket: i64, draft: Option<Draft>) -> Vec<Effect> {
    let Some(composer) = state.composer.as_mut().filter(|c| c.ticket_id == ticket) else { return vec![] };
    let editor = std::mem::take(&mut composer.editor_on_load);
    if let Some(draft) = draft.filter(|_| composer.body().is_empty()) {
        // A draft keeps its kind: a note must never turn into a reply the customer sees.
        let last_seen = composer.last_seen;
        *composer = Composer::new(ticket, draft.kind, &draft.body);
        composer.last_seen = last_seen;
        state.set_status(format!("your unsent {} is back", kind_name(draft.kind)));
    }
    let body = state.composer.as_ref().map(Composer::body).unwrap_or_default();
    if editor {
        vec![Effect::OpenEditor { body }]
    } else {
        vec![]
    }
}

/// Add a `Cc:`, `Bcc:` or `Attach:` line under the reply's other such lines at its top and put the
/// cursor at its end, for the agent to type the address or the file's path there.
pub fn add_header_line(state: &mut State, name: &str) -> Vec<Effect> {
    use ratatui_textarea::CursorMove;
    let Some(composer) = state.composer.as_mut() else {
        state.set_status("Cc, Bcc and attachments go with a reply: press r first");
        return vec![];
    };
    if composer.kind == MessageKind::Note {
        state.set_error("a note is never mailed: it takes no Cc, Bcc or attachments");
        return vec![];
    }
    let is_header = |line: &String| {
        line.split_once(':').is_some_and(|(n, _)| {
            crate::domain::recipients::HEADER_NAMES.iter().any(|h| h.eq_ignore_ascii_case(n.trim()))
        })
    };
    let at = composer.text.lines().iter().take_while(|l| is_header(l)).count();
    composer.text.move_cursor(CursorMove::Jump(at as u16, 0));
    composer.text.insert_newline();
    composer.text.move_cursor(CursorMove::Up);
    composer.text.insert_str(format!("{name}: "));
    let hint = match name {
        "Attach" => "type the file's path (one file a line); Ctrl-s sends it with the reply",
        _ => "type the addresses, separated by commas",
    };
    state.set_status(format!("{name}: {hint}"));
    mark_dirty(state)
}

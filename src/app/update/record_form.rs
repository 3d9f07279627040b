//! The keys every record form shares: Tab and Shift-Tab between the fields, Enter to the next
//! one (a new line in a field of several lines), Ctrl-S or Alt-Enter to save, Esc to close, and
//! when something was changed, a y/N before throwing it away.

use crate::app::model::key::{KeyCode, KeyEvent, KeyModifiers};
use crate::app::model::record_form::{FieldText, RecordField, RecordForm};
use crate::app::model::state::State;

/// What a key asks of the form's owner.
#[derive(Debug, PartialEq, Eq)]
pub enum FormKey {
    Save,
    /// Close the form, saying this.
    Close(String),
    /// Keep it open, saying this.
    Say(String),
    /// Keep it open; the key was typed or moved between fields.
    Stay,
}

/// Handle `event` in `form`; `what` names the record ("the customer") in what is said.
pub fn on_key<F: RecordField>(form: &mut RecordForm<F>, event: KeyEvent, what: &str) -> FormKey {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    let alt = event.modifiers.contains(KeyModifiers::ALT);
    if form.confirm_discard {
        form.confirm_discard = false;
        return match event.code {
            KeyCode::Char('y' | 'Y') => FormKey::Close(format!("your changes to {what} were thrown away")),
            _ => FormKey::Say(format!("back to {what}")),
        };
    }
    match event.code {
        KeyCode::Esc if form.changed_fields().is_empty() => return FormKey::Close(format!("{what}: nothing changed")),
        KeyCode::Esc => form.confirm_discard = true,
        KeyCode::Char('s') if ctrl => return FormKey::Save,
        KeyCode::Enter if alt => return FormKey::Save,
        KeyCode::Tab => form.step(1),
        KeyCode::BackTab => form.step(-1),
        KeyCode::Enter if !form.field.multiline() => form.step(1),
        _ => match form.text_of_mut(form.field) {
            FieldText::Line(input) => {
                if let Some(edit) = event.line_edit() {
                    input.handle(edit);
                }
            }
            FieldText::Lines(area) => {
                area.input(event.for_text_area());
            }
        },
    }
    FormKey::Stay
}

/// Pasted text goes into the focused field: one line into a one-line field, as it is otherwise.
pub fn on_paste<F: RecordField>(form: &mut RecordForm<F>, text: &str) {
    match form.text_of_mut(form.field) {
        FieldText::Line(input) => {
            let line = crate::app::model::text::pasted_line(text);
            *input = tui_input::Input::new(format!("{}{line}", input.value()));
        }
        FieldText::Lines(area) => {
            area.insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
        }
    }
}

/// Do what `key` asks of the form kept in `slot`: close it or say something. True when it asks
/// to save.
pub fn after_key<T>(state: &mut State, key: FormKey, slot: fn(&mut State) -> &mut Option<T>) -> bool {
    match key {
        FormKey::Save => return true,
        FormKey::Close(said) => {
            *slot(state) = None;
            state.set_status(said);
        }
        FormKey::Say(said) => state.set_status(said),
        FormKey::Stay => {}
    }
    false
}

/// What a refused save says: the store's sentence, and when the form took someone else's
/// changes meanwhile (`rebased`), that the agent's own are still there to save.
pub fn refused(message: String, rebased: bool) -> String {
    match rebased {
        true => format!("{message}: the form shows theirs now, with your changes; Ctrl-S saves yours"),
        false => message,
    }
}

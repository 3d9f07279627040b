//! `y`: the open ticket as plain text, for the terminal's clipboard.

use crate::app::model::message::Effect;
use crate::app::model::state::State;
use crate::domain::Timestamp;

/// Text copied at most; terminals drop larger OSC 52 payloads.
pub const CLIPBOARD_LIMIT: usize = 64 * 1024;

/// The open ticket as plain text for the clipboard: the subject, then each message with its author
/// and time. Returns the text, cut to [`CLIPBOARD_LIMIT`] bytes, and whether it was cut.
pub fn ticket_text(state: &State) -> Option<(String, bool)> {
    let conversation = state.conversation.as_ref()?;
    let detail = &conversation.detail;
    let when = |t: Timestamp| state.zone.format(t, "%Y-%m-%d %H:%M %Z");
    let mut text = format!("#{} {}\n", detail.ticket.id, detail.ticket.subject);
    for m in &detail.messages {
        text.push_str(&format!("\n{} ({}) · {}\n{}\n", m.author, m.kind, when(m.created_at), m.body.trim_end()));
    }
    let cut = text.len() > CLIPBOARD_LIMIT;
    if cut {
        let mut end = CLIPBOARD_LIMIT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    Some((text, cut))
}

/// `y`: the open ticket's text to the clipboard, and a word on the status line.
pub fn copy(state: &mut State) -> Vec<Effect> {
    let Some(id) = state.open_ticket().map(|t| t.id) else {
        state.set_error("open a ticket to copy it");
        return vec![];
    };
    let Some((text, cut)) = ticket_text(state) else { return vec![] };
    let lines = text.lines().count();
    let cut = if cut { ", cut to 64 KB" } else { "" };
    state.set_status(format!("#{id} sent to the terminal's clipboard (OSC 52): {lines} lines{cut}"));
    vec![Effect::Copy { text }]
}

//! A reply or note being written, and what sending it will do.

use crate::domain::{MessageKind, TicketChange};
use ratatui_textarea::TextArea;

/// A reply or note being written.
#[derive(Debug)]
pub struct Composer {
    pub ticket_id: i64,
    pub kind: MessageKind,
    pub text: TextArea<'static>,
    /// Changed since the last save to the store.
    pub dirty: bool,
    /// A save is already scheduled.
    pub save_scheduled: bool,
    /// The newest message on the ticket when the agent started writing (or was last shown newer
    /// ones): a send is stopped when the ticket has newer.
    pub last_seen: Option<i64>,
    /// What the canned replies inserted change on the ticket once the message is sent, with their names.
    pub actions: Vec<(String, TicketChange)>,
}

impl Composer {
    pub fn new(ticket_id: i64, kind: MessageKind, body: &str) -> Composer {
        let lines: Vec<String> =
            if body.is_empty() { vec![String::new()] } else { body.lines().map(String::from).collect() };
        let mut text = TextArea::new(lines);
        text.move_cursor(ratatui_textarea::CursorMove::Bottom);
        text.move_cursor(ratatui_textarea::CursorMove::End);
        Composer { ticket_id, kind, text, dirty: false, save_scheduled: false, last_seen: None, actions: Vec::new() }
    }

    pub fn body(&self) -> String {
        self.text.lines().join("\n")
    }
}

/// What the status line calls a message of this kind.
pub fn kind_name(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Note => "internal note",
        _ => "reply",
    }
}

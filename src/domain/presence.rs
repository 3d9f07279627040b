//! Who else is on the desk: each live console's heartbeat, and a reply draft kept per agent.

use super::{MessageKind, Timestamp};

/// What an agent's console is doing on a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PresenceState {
    Viewing,
    Writing,
}

impl PresenceState {
    pub fn as_str(self) -> &'static str {
        match self {
            PresenceState::Viewing => "viewing",
            PresenceState::Writing => "writing",
        }
    }
}

/// One live console's heartbeat.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Presence {
    pub console: String,
    pub agent: String,
    pub ticket_id: Option<i64>,
    pub state: PresenceState,
}

/// An agent's unsent reply or note on a ticket, saved as they type.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub ticket_id: i64,
    pub kind: MessageKind,
    pub body: String,
    pub updated_at: Timestamp,
}

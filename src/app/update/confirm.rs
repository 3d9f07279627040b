//! Deleting a ticket and closing one as spam (admins), each after a y/N question that names the
//! ticket; any key but y keeps it.

use crate::app::model::action::Action;
use crate::app::model::key::{KeyCode, KeyEvent};
use crate::app::model::message::Effect;
use crate::app::model::overlay::{Choice, Item, Overlay, OverlayKind};
use crate::app::model::state::State;
use crate::app::model::text::truncate;
use crate::domain::text::for_display_line;
use crate::domain::{Status, Ticket, TicketChange};

/// The tag a ticket closed as spam carries.
pub const SPAM_TAG: &str = "spam";

/// `:delete_ticket` or `:spam`: ask first, naming the ticket.
pub fn ask(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(ticket) = super::open_ticket_or_say(state) else { return vec![] };
    let (verb, why) = if action == Action::DeleteTicket { ("delete", "delete tickets") } else { ("spam", "mark spam") };
    if !state.agent.is_admin() {
        state.set_error(format!("only an admin can {why}: ask one, or close the ticket (s) instead"));
        return vec![];
    }
    let subject = truncate(&for_display_line(&ticket.subject), 40);
    let (title, yes, choice) = match verb {
        "delete" => (
            format!("Delete #{} {subject}? y/N", ticket.id),
            "delete it with its conversation and history: it cannot be undone",
            Choice::DeleteTicket(ticket.id),
        ),
        _ => (
            format!("Close #{} {subject} as spam? y/N", ticket.id),
            "close it and tag it spam (it stays on the desk, out of the queue)",
            Choice::Spam(ticket.id),
        ),
    };
    let items = vec![
        Item::new(format!("y  {yes}"), String::new(), choice),
        Item {
            current: true,
            ..Item::new("n  no, keep it (any other key too)".into(), String::new(), Choice::Nothing)
        },
    ];
    let mut overlay = Overlay::new(OverlayKind::Confirm, items);
    overlay.title = Some(title);
    state.overlay = Some(overlay);
    vec![]
}

/// A key while the question is asked: y does it, Enter takes the highlighted answer (no at
/// first), anything else keeps the ticket.
pub fn on_key(state: &mut State, event: KeyEvent) -> Vec<Effect> {
    let Some(overlay) = state.overlay.take() else { return vec![] };
    let choice = match event.code {
        KeyCode::Char('y' | 'Y') => overlay.items.first().map(|i| i.choice.clone()),
        KeyCode::Enter => overlay.chosen(),
        KeyCode::Down | KeyCode::Up | KeyCode::Tab | KeyCode::BackTab => {
            let mut overlay = overlay;
            overlay.step(1);
            state.overlay = Some(overlay);
            return vec![];
        }
        _ => None,
    };
    match choice {
        Some(Choice::DeleteTicket(id)) => vec![Effect::DeleteTicket { id }],
        Some(Choice::Spam(id)) => spam(state, id),
        _ => {
            state.set_status("nothing changed");
            vec![]
        }
    }
}

/// Close the open ticket as spam: status closed and the spam tag, in one version-checked write.
pub fn spam(state: &mut State, id: i64) -> Vec<Effect> {
    let Some(ticket) = state.open_ticket().filter(|t| t.id == id) else { return vec![] };
    let change = TicketChange {
        status: (ticket.status != Status::Closed).then_some(Status::Closed),
        add_tags: vec![SPAM_TAG.into()],
        ..Default::default()
    };
    vec![Effect::UpdateTicket { id, version: ticket.version, change }]
}

/// The store deleted it: it leaves the panes, the queue and the counts.
pub fn on_deleted(state: &mut State, ticket: &Ticket) -> Vec<Effect> {
    if state.open_ticket().map(|t| t.id) == Some(ticket.id) {
        state.conversation = None;
        state.composer = None;
        state.profile = Default::default();
        state.focus = crate::app::model::state::Pane::Queue;
    }
    state.set_status(format!("deleted #{} {}", ticket.id, for_display_line(&ticket.subject)));
    super::refresh_after_write(state, ticket.id)
}

//! The irreversible asks first: deleting a ticket and closing one as spam (admins), merges and
//! changes of several marked tickets, each after a one-line question that says what will happen;
//! any key but y (or another answer's key) changes nothing.

use crate::app::model::action::Action;
use crate::app::model::key::{KeyCode, KeyEvent};
use crate::app::model::message::Effect;
use crate::app::model::overlay::{Choice, Item, Overlay, OverlayKind, Question};
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
            "delete it and its conversation (the audit log keeps its history): no undo",
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
    let seen = super::seen_version(state);
    ask_question(state, Question { title, answers: items });
    if let Some(overlay) = state.overlay.as_mut() {
        overlay.seen_version = seen;
    }
    vec![]
}

/// Show `question`; "no" is highlighted, so Enter alone changes nothing.
pub fn ask_question(state: &mut State, question: Question) {
    let no = question.answers.iter().position(|a| a.choice == Choice::Nothing);
    let mut overlay = Overlay::new(OverlayKind::Confirm, question.answers);
    if let Some(no) = no {
        overlay.selected = no;
    }
    overlay.title = Some(question.title);
    state.overlay = Some(overlay);
}

/// A question's answer that does `effects`, labelled `y  {label}`.
pub fn yes(label: String, effects: Vec<Effect>, said: String) -> Item {
    Item::new(format!("y  {label}"), String::new(), Choice::Do { effects, said })
}

/// The answer that keeps things as they are.
pub fn no() -> Item {
    Item::new("n  no (any other key too)".into(), String::new(), Choice::Nothing)
}

/// A key while the question is asked: the key an answer starts with picks it (y, a), Enter takes
/// the highlighted answer (no at first), anything else changes nothing.
pub fn on_key(state: &mut State, event: KeyEvent) -> Vec<Effect> {
    let Some(overlay) = state.overlay.take() else { return vec![] };
    let choice = match event.code {
        // Each answer's label starts with its key.
        KeyCode::Char(c) => {
            let key = format!("{}  ", c.to_ascii_lowercase());
            overlay.items.iter().find(|i| i.label.starts_with(&key)).map(|i| i.choice.clone())
        }
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
        Some(Choice::DeleteTicket(id)) => vec![Effect::DeleteTicket { id, version: overlay.seen_version }],
        Some(Choice::Spam(id)) => spam(state, id, overlay.seen_version),
        Some(Choice::Do { effects, said }) => {
            state.set_status(said);
            effects
        }
        _ => {
            state.set_status("nothing changed");
            vec![]
        }
    }
}

/// Close the open ticket as spam: status closed and the spam tag, in one version-checked write.
pub fn spam(state: &mut State, id: i64, seen: Option<i64>) -> Vec<Effect> {
    let Some(ticket) = state.open_ticket().filter(|t| t.id == id) else { return vec![] };
    let version = seen.unwrap_or(ticket.version);
    let change = TicketChange {
        status: (ticket.status != Status::Closed).then_some(Status::Closed),
        add_tags: vec![SPAM_TAG.into()],
        ..Default::default()
    };
    vec![Effect::UpdateTicket { id, version, change }]
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

//! Fixtures shared by the UI snapshot tests: a fixed desk at a fixed time.

use chrono::{DateTime, TimeZone, Utc};
use frontdesk::app::model::conversation::ConversationState;
use frontdesk::app::model::keymap::Keymap;
use frontdesk::app::model::state::State;
use frontdesk::app::model::views::View;
use frontdesk::domain::TicketDetail;
use frontdesk::domain::*;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::collections::BTreeMap;

pub fn at(day: u32, hour: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, min, 0).unwrap()
}

pub fn now() -> DateTime<Utc> {
    at(23, 14, 2)
}

pub fn agent(login: &str, role: Role) -> Agent {
    Agent { login: login.into(), name: login.into(), email: None, role, signature: String::new(), active: true }
}

pub fn ticket(
    id: i64,
    subject: &str,
    customer: &str,
    status: Status,
    priority: Priority,
    updated: DateTime<Utc>,
) -> Ticket {
    Ticket {
        id,
        subject: subject.into(),
        customer_id: id % 7,
        customer_name: customer.into(),
        customer_email: format!("c{}@shop.example", id % 7),
        assignee: (id % 2 == 0).then(|| "ana".to_string()),
        status,
        priority,
        channel: Channel::Email,
        tags: vec![],
        created_at: updated - chrono::Duration::hours(30),
        updated_at: updated,
        first_response_at: None,
        solved_at: None,
        version: 3,
        waiting_since: None,
    }
}

pub fn queue_rows(hostile_subject: &str) -> Vec<Ticket> {
    vec![
        ticket(1042, "Refund for order 48213", "Carla Núñez", Status::Open, Priority::Urgent, at(23, 13, 42)),
        ticket(1039, hostile_subject, "Hiro Tanaka", Status::New, Priority::High, at(23, 11, 50)),
        ticket(1037, "Invoice missing VAT number", "Olu Okafor", Status::Pending, Priority::Normal, at(23, 9, 5)),
        ticket(1031, "Where is my parcel? 📦", "王伟", Status::OnHold, Priority::Normal, at(22, 10, 0)),
        ticket(1029, "Thanks!\u{202E}fdp.exe", "Ann Smith", Status::Solved, Priority::Low, at(20, 8, 30)),
        ticket(
            1020,
            "Login loop after password reset",
            "Jonas Müller",
            Status::Closed,
            Priority::Normal,
            at(12, 16, 0),
        ),
    ]
}

pub fn customer() -> Customer {
    Customer {
        id: 0,
        name: "Carla Núñez".into(),
        emails: vec!["carla@shop.example".into(), "c.nunez@work.example".into()],
        phone: Some("+34 600 000 000".into()),
        organization: Some("Núñez Imports".into()),
        tier: Tier::Gold,
        notes: "Prefers email, not phone.".into(),
        tags: vec!["wholesale".into()],
        created_at: Utc.with_ymd_and_hms(2024, 3, 1, 9, 0, 0).unwrap(),
    }
}

fn message(id: i64, kind: MessageKind, author: &str, body: &str, when: DateTime<Utc>) -> Message {
    Message { id, ticket_id: 1042, kind, author: author.into(), body: body.into(), created_at: when }
}

pub fn detail(first: &Ticket, hostile_body: &str) -> TicketDetail {
    let messages = vec![
        message(
            1,
            MessageKind::Customer,
            "Carla Núñez",
            "My order 48213 arrived broken.\nI want my money back.",
            at(23, 9, 12),
        ),
        message(2, MessageKind::Note, "ana", "Carrier claim opened, ref CL-2291", at(23, 9, 22)),
        message(
            3,
            MessageKind::Reply,
            "ana",
            "Hi Carla, I'm sorry it arrived broken. I've started the refund; you will see it within 3 days.",
            at(23, 9, 25),
        ),
        message(4, MessageKind::Customer, "Carla Núñez", hostile_body, at(23, 13, 42)),
    ];
    let events = vec![Event {
        id: 1,
        ticket_id: 1042,
        actor: "ana".into(),
        field: "priority".into(),
        old: Some("normal".into()),
        new: Some("urgent".into()),
        created_at: at(23, 9, 20),
    }];
    TicketDetail { ticket: first.clone(), messages, events, customer: customer(), mail: Default::default() }
}

/// A desk with six tickets, the first one open in the conversation.
pub fn state(size: (u16, u16), hostile_subject: &str, hostile_body: &str) -> State {
    let (keymap, problems) = Keymap::build(&BTreeMap::new());
    assert!(problems.is_empty());
    let mut state = State::new(agent("ana", Role::Admin), keymap, View::Open, size, now());
    state.counts = vec![Some(3), Some(4), Some(12), Some(57), Some(312)];
    state.queue.rows = queue_rows(hostile_subject);
    let first = state.queue.rows[0].clone();
    state.conversation = Some(ConversationState::new(detail(&first, hostile_body)));
    state.profile.tickets =
        vec![first, ticket(988, "Damaged lamp", "Carla Núñez", Status::Solved, Priority::Normal, at(2, 10, 0))];
    state
}

pub const HOSTILE_SUBJECT: &str = "Refund\x1b[2J now \x1b]0;pwned\x07";
pub const HOSTILE_BODY: &str = "Still waiting!\x1b[31m red?\x1b[0m\tTab\r\nzero\u{200B}width";

/// The screen `state` draws at its own size, in the monochrome theme.
pub fn render(state: &State) -> Terminal<TestBackend> {
    let (w, h) = state.size;
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| frontdesk::ui::draw(f, state, &frontdesk::ui::theme::Theme::monochrome())).unwrap();
    term
}

/// The drawn screen as text, one line per row.
pub fn screen_text(term: &Terminal<TestBackend>) -> String {
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

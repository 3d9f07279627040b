//! `update` on its own: messages in, state and effects out, with no store, no thread, no clock.

use super::update;
use crate::app::model::key::{KeyCode, KeyEvent, KeyModifiers};
use crate::app::model::keymap::Keymap;
use crate::app::model::message::{Effect, Msg};
use crate::app::model::queue::PageFacts;
use crate::app::model::state::{Pane, State};
use crate::app::model::views::View;
use crate::domain::{Agent, Channel, MessageKind, Priority, Role, Status, Ticket};
use chrono::{TimeZone, Utc};

fn ticket(id: i64) -> Ticket {
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    Ticket {
        id,
        subject: format!("Problem {id}"),
        customer_id: 1,
        customer_name: "Carla".into(),
        customer_email: "carla@shop.example".into(),
        assignee: None,
        status: Status::Open,
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
        created_at: at,
        updated_at: at,
        first_response_at: None,
        solved_at: None,
        version: 1,
        waiting_since: None,
    }
}

/// A console at 120×40 whose queue has loaded tickets 1..=n.
fn console(n: i64) -> State {
    let agent = Agent {
        login: "ana".into(),
        name: "Ana".into(),
        email: None,
        role: Role::Admin,
        signature: String::new(),
        active: true,
    };
    let (keymap, _) = Keymap::build(&Default::default());
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap();
    let mut state = State::new(agent, keymap, View::Open, (120, 40), now);
    let rows = (1..=n).map(ticket).collect();
    let loaded =
        Msg::QueueLoaded { view: View::Open, rows, append: false, has_more: false, facts: PageFacts::default() };
    update(&mut state, loaded);
    state
}

fn press(state: &mut State, c: char) -> Vec<Effect> {
    update(state, Msg::Key(KeyEvent::from(KeyCode::Char(c))))
}

#[test]
fn the_first_ticket_is_shown_at_once_when_nothing_is() {
    let agent = console(0).agent;
    let (keymap, _) = Keymap::build(&Default::default());
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap();
    let mut state = State::new(agent, keymap, View::Open, (120, 40), now);
    let rows = (1..=3).map(ticket).collect();
    let loaded =
        Msg::QueueLoaded { view: View::Open, rows, append: false, has_more: false, facts: PageFacts::default() };
    assert_eq!(update(&mut state, loaded), vec![Effect::LoadTicket(1)]);
    assert_eq!(state.focus, Pane::Queue, "a preview does not take the agent out of the queue");
}

#[test]
fn a_moving_cursor_asks_only_for_timers_and_the_one_it_rests_on_is_shown() {
    let mut state = console(5);
    state.conversation = Some(crate::app::model::conversation::ConversationState::new(detail(ticket(1))));
    let first = press(&mut state, 'j');
    let [Effect::SchedulePreview { generation: passed }] = first.as_slice() else { panic!("{first:?}") };
    let passed = *passed;
    let second = press(&mut state, 'j');
    let [Effect::SchedulePreview { generation: rested }] = second.as_slice() else { panic!("{second:?}") };
    let rested = *rested;
    assert!(update(&mut state, Msg::PreviewDue { generation: passed }).is_empty(), "the cursor moved on");
    assert_eq!(update(&mut state, Msg::PreviewDue { generation: rested }), vec![Effect::LoadTicket(3)]);
    assert_eq!(state.focus, Pane::Queue);
}

#[test]
fn no_preview_while_a_reply_is_written_or_after_enter() {
    let mut state = console(5);
    state.conversation = Some(crate::app::model::conversation::ConversationState::new(detail(ticket(1))));
    press(&mut state, 'j');
    let generation = state.preview.generation;
    assert_eq!(update(&mut state, Msg::Key(KeyEvent::from(KeyCode::Enter))), vec![Effect::LoadTicket(2)]);
    assert_eq!(state.focus, Pane::Conversation);
    assert!(update(&mut state, Msg::PreviewDue { generation }).is_empty(), "the agent is reading, not browsing");
}

#[test]
fn a_reply_from_the_queue_opens_the_ticket_first_then_the_composer() {
    let mut state = console(3);
    assert_eq!(press(&mut state, 'r'), vec![Effect::LoadTicket(1)], "the ticket under the cursor loads first");
    assert!(state.composer.is_none());
}

#[test]
fn typing_in_the_composer_schedules_one_draft_save() {
    let mut state = console(1);
    state.conversation = Some(crate::app::model::conversation::ConversationState::new(detail(ticket(1))));
    let opened = press(&mut state, 'r');
    assert!(matches!(opened.as_slice(), [Effect::ResumeDraft { ticket: 1, kind: MessageKind::Reply }]), "{opened:?}");
    assert_eq!(press(&mut state, 'H'), vec![Effect::ScheduleDraftSave]);
    assert!(press(&mut state, 'i').is_empty(), "one save is already scheduled");
    let saved = update(&mut state, Msg::DraftDue);
    assert_eq!(saved, vec![Effect::SaveDraft { ticket: 1, kind: MessageKind::Reply, body: "Hi".into() }]);
    let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
    let sent = update(&mut state, Msg::Key(ctrl_s));
    assert!(matches!(sent.as_slice(), [Effect::Send { ticket: 1, .. }]), "{sent:?}");
}

#[test]
fn a_filter_answer_overtaken_by_newer_typing_is_dropped() {
    let mut state = console(3);
    press(&mut state, '/');
    let first = press(&mut state, 'p');
    let Some(Effect::Filter { generation: older, .. }) = first.first().cloned() else { panic!("{first:?}") };
    press(&mut state, 'r');
    let late = Msg::FilterMatched { generation: older, ids: Some(vec![3].into()), total: 1 };
    assert!(update(&mut state, late).is_empty(), "an older answer changes nothing");
    assert_eq!(state.queue.rows.len(), 3);
}

#[test]
fn a_mail_that_could_not_be_delivered_is_said_and_the_open_ticket_reloads() {
    let mut state = console(1);
    state.conversation = Some(crate::app::model::conversation::ConversationState::new(detail(ticket(1))));
    let effects = update(&mut state, Msg::Delivered { ticket: 1, result: Err("relay said no".into()) });
    assert_eq!(effects, vec![Effect::LoadTicket(1)]);
    let status = state.status.expect("a status");
    assert!(status.is_error && status.text.contains("relay said no"), "{}", status.text);
}

fn detail(ticket: Ticket) -> crate::domain::TicketDetail {
    let customer = crate::domain::Customer {
        id: 1,
        name: "Carla".into(),
        emails: vec!["carla@shop.example".into()],
        phone: None,
        organization: None,
        tier: crate::domain::Tier::Standard,
        notes: String::new(),
        tags: vec![],
        created_at: ticket.created_at,
    };
    crate::domain::TicketDetail { ticket, messages: vec![], events: vec![], customer, mail: Default::default() }
}

fn composing(state: &mut State, text: &str) {
    state.conversation = Some(crate::app::model::conversation::ConversationState::new(detail(ticket(1))));
    press(state, 'r');
    for c in text.chars() {
        press(state, c);
    }
}

fn alt(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT))
}

#[test]
fn alt_s_then_one_key_sends_with_that_status_in_the_same_write() {
    let mut state = console(3);
    composing(&mut state, "Done");
    state.composer.as_mut().unwrap().actions.push((
        "Thanks".into(),
        crate::domain::TicketChange {
            status: Some(Status::Pending),
            add_tags: vec!["vip".into()],
            ..Default::default()
        },
    ));
    assert!(update(&mut state, alt('s')).is_empty());
    let hint = &state.status.as_ref().unwrap().text;
    assert!(hint.contains("s send_solved") && hint.contains("h send_on_hold"), "the next keys are named: {hint}");
    let sent = press(&mut state, 's');
    let [Effect::Send { ticket: 1, body, change, .. }] = sent.as_slice() else { panic!("{sent:?}") };
    assert_eq!(body, "Done");
    assert_eq!(change.status, Some(Status::Solved), "the chosen status wins over the canned reply's");
    assert_eq!(change.add_tags, ["vip"], "the canned reply's other actions go along");
}

#[test]
fn ctrl_s_sends_with_the_canned_replys_status() {
    let mut state = console(3);
    composing(&mut state, "Hi");
    let pending = crate::domain::TicketChange { status: Some(Status::Pending), ..Default::default() };
    state.composer.as_mut().unwrap().actions.push(("Ask".into(), pending));
    let sent = update(&mut state, Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
    let [Effect::Send { change, .. }] = sent.as_slice() else { panic!("{sent:?}") };
    assert_eq!(change.status, Some(Status::Pending));
}

#[test]
fn after_a_reply_the_next_ticket_whose_customer_waits_is_shown() {
    let mut state = console(5);
    let waited = Utc.with_ymd_and_hms(2026, 11, 23, 11, 0, 0).unwrap();
    for at in [0, 3] {
        state.queue.rows[at].waiting_since = Some(waited);
    }
    composing(&mut state, "Hi");
    let effects = update(&mut state, Msg::MessageSent { ticket: 1, kind: MessageKind::Reply, mailing: false });
    assert_eq!(state.queue.selected, 3, "#4 waits; #2 and #3 do not");
    assert_eq!(effects.last(), Some(&Effect::LoadTicket(4)));
    assert!(!effects.contains(&Effect::LoadTicket(1)), "the answered ticket is not loaded again");
    assert_eq!(state.focus, Pane::Queue);
    let said = &state.status.as_ref().unwrap().text;
    assert_eq!(said, "reply sent on #1 · next: #4 Carla — waiting 3h");
}

#[test]
fn with_after_send_stay_the_console_stays_and_a_note_never_moves_on() {
    let mut state = console(3);
    state.queue.rows[2].waiting_since = Some(state.now);
    state.after_send = crate::app::model::state::AfterSend::Stay;
    composing(&mut state, "Hi");
    update(&mut state, Msg::MessageSent { ticket: 1, kind: MessageKind::Reply, mailing: false });
    assert_eq!(state.queue.selected, 0);
    state.after_send = crate::app::model::state::AfterSend::Next;
    composing(&mut state, "internal");
    update(&mut state, Msg::MessageSent { ticket: 1, kind: MessageKind::Note, mailing: false });
    assert_eq!(state.queue.selected, 0, "a note is not an answer");
}

#[test]
fn a_ticket_that_leaves_the_tab_gives_way_to_the_one_under_the_cursor() {
    let mut state = console(3);
    state.conversation = Some(crate::app::model::conversation::ConversationState::new(detail(ticket(1))));
    state.focus = Pane::Conversation;
    let rows = vec![ticket(2), ticket(3)]; // #1 was solved and left Open
    let loaded =
        Msg::QueueLoaded { view: View::Open, rows, append: false, has_more: false, facts: PageFacts::default() };
    assert_eq!(update(&mut state, loaded), vec![Effect::LoadTicket(2)]);
    assert_eq!(state.focus, Pane::Queue);
}

#[test]
fn a_change_seen_while_the_next_ticket_loads_reloads_the_next_not_the_answered_one() {
    let mut state = console(5);
    state.queue.rows[3].waiting_since = Some(state.now);
    composing(&mut state, "Hi");
    let sent = update(&mut state, Msg::MessageSent { ticket: 1, kind: MessageKind::Reply, mailing: false });
    assert_eq!(sent.last(), Some(&Effect::LoadTicket(4)));
    // The watcher saw the send's own commit before #4 arrived: #1 is still on screen.
    let seen = update(&mut state, Msg::StoreChanged { desk_changed: true, presence: vec![] });
    assert!(seen.contains(&Effect::LoadTicket(4)), "{seen:?}");
    assert!(!seen.contains(&Effect::LoadTicket(1)), "the answered ticket must not come back: {seen:?}");
}

/// The queue's row 1 is at version 1; the load that opens it for an action brings version 4.
fn opened_from_the_queue_at_a_newer_version(state: &mut State) -> Vec<Effect> {
    let mut newer = ticket(1);
    newer.version = 4;
    let detail = Box::new(detail(newer));
    update(state, Msg::TicketLoaded { detail, customer_tickets: vec![], draft: None, facts: Default::default() })
}

#[test]
fn a_choice_made_from_the_queue_is_written_against_the_row_the_agent_saw() {
    let mut state = console(3);
    assert_eq!(press(&mut state, 's'), vec![Effect::LoadTicket(1)]);
    opened_from_the_queue_at_a_newer_version(&mut state);
    let effects = update(&mut state, Msg::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(matches!(effects[..], [Effect::UpdateTicket { id: 1, version: 1, .. }]), "{effects:?}");

    let mut state = console(3);
    assert_eq!(press(&mut state, 'T'), vec![Effect::LoadTicket(1)]);
    let effects = opened_from_the_queue_at_a_newer_version(&mut state);
    assert!(effects.contains(&Effect::Claim { ticket: 1, seen_owner: None, version: 1 }), "{effects:?}");
}

#[test]
fn a_change_of_two_marked_tickets_waits_for_y() {
    let mut state = console(3);
    press(&mut state, ' ');
    press(&mut state, ' ');
    press(&mut state, 's');
    assert!(update(&mut state, Msg::Key(KeyEvent::from(KeyCode::Enter))).is_empty(), "nothing before the answer");
    let asked = state.overlay.as_ref().and_then(|o| o.title.clone());
    assert_eq!(asked.as_deref(), Some("set 2 marked tickets to new? y/N"));
    assert!(press(&mut state, 'n').is_empty());
    assert_eq!(state.status.as_ref().map(|s| s.text.as_str()), Some("nothing changed"));
    assert!(state.overlay.is_none());
    press(&mut state, 's');
    update(&mut state, Msg::Key(KeyEvent::from(KeyCode::Enter)));
    let effects = press(&mut state, 'y');
    assert!(
        matches!(&effects[..], [Effect::UpdateMarked { tickets, .. }] if tickets == &[(1, 1), (2, 1)]),
        "{effects:?}"
    );
}

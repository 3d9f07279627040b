//! The queue's columns, the composer that wraps and grows, and hints that fit, at 80, 120 and 200
//! columns, in the monochrome theme.

use crate::support::fixtures::{self as common, render, screen_text};

use frontdesk::app::model::action::Action;
use frontdesk::app::model::composer::Composer;
use frontdesk::app::model::key::{KeyCode, KeyEvent};
use frontdesk::app::model::message::Msg;
use frontdesk::app::model::state::{Pane, State};
use frontdesk::app::update::{on_action, update};
use frontdesk::domain::sla::{Clock, ClockKind, ClockState};
use frontdesk::domain::MessageKind;

/// The fixture desk with two customers waiting on us (3 hours and 20 minutes).
fn desk(size: (u16, u16)) -> State {
    let mut state = common::state(size, "Login loop after the update", "Still waiting");
    state.queue.rows[0].waiting_since = Some(common::at(23, 13, 42));
    state.queue.rows[1].waiting_since = Some(common::at(23, 11, 2));
    state
}

fn with_clocks(mut state: State) -> State {
    let clock = |state, remaining_seconds| Clock {
        kind: ClockKind::FirstResponse,
        state,
        target_seconds: 3_600,
        remaining_seconds,
        due_at: None,
        stopped_at: None,
    };
    state.queue.sla.insert(1042, clock(ClockState::Breached, -20 * 60));
    state.queue.sla.insert(1039, clock(ClockState::Warning, 12 * 60));
    state.queue.sla.insert(1037, clock(ClockState::Paused, 3 * 3_600));
    state.queue.overdue = Some(1);
    state
}

/// Columns between the start of two header words of the queue (its second screen row).
fn column_width(text: &str, from: &str, to: &str) -> usize {
    let header: Vec<char> = text.lines().nth(2).unwrap().chars().collect();
    let find = |word: &str| {
        let word: Vec<char> = word.chars().collect();
        header.windows(word.len()).position(|w| w == word.as_slice()).unwrap_or_else(|| panic!("no {word:?}"))
    };
    find(to) - find(from)
}

fn queue_rows_shown(text: &str) -> usize {
    text.lines()
        .filter(|l| {
            l.contains(" 10")
                && (l.contains("open")
                    || l.contains("new")
                    || l.contains("pend")
                    || l.contains("hold")
                    || l.contains("solv")
                    || l.contains("clos"))
        })
        .count()
}

#[test]
fn queue_at_80x24() {
    let state = desk((80, 24));
    let term = render(&state);
    let text = screen_text(&term);
    insta::assert_snapshot!(term.backend());
    assert!(queue_rows_shown(&text) >= 6, "every ticket of the fixture shows:\n{text}");
    assert!(frontdesk::app::model::layout::queue_rows(&state) >= 8);
}

#[test]
fn queue_at_80x24_with_clocks() {
    let term = render(&with_clocks(desk((80, 24))));
    let text = screen_text(&term);
    insta::assert_snapshot!(term.backend());
    assert!(column_width(&text, "customer", "subject") > 14, "{text}");
}

#[test]
fn queue_at_120x40() {
    let term = render(&desk((120, 40)));
    let text = screen_text(&term);
    insta::assert_snapshot!(term.backend());
    assert!(column_width(&text, "customer", "subject") > 14, "{text}");
    assert!(text.lines().nth(2).unwrap().contains("owner"), "{text}");
}

#[test]
fn queue_at_120x40_with_clocks() {
    let term = render(&with_clocks(desk((120, 40))));
    let text = screen_text(&term);
    insta::assert_snapshot!(term.backend());
    assert!(column_width(&text, "customer", "subject") > 14, "{text}");
    assert!(text.lines().nth(2).unwrap().contains("owner"), "{text}");
    assert!(text.contains(" w 3h ") && text.contains(" w 20m "), "the waiting cell, as text in monochrome:\n{text}");
}

#[test]
fn queue_at_200x50() {
    insta::assert_snapshot!(render(&desk((200, 50))).backend());
}

#[test]
fn queue_at_200x50_with_clocks() {
    let term = render(&with_clocks(desk((200, 50))));
    let text = screen_text(&term);
    insta::assert_snapshot!(term.backend());
    assert!(column_width(&text, "customer", "subject") > 14, "{text}");
}

#[test]
fn the_waiting_cell_has_an_hourglass_in_colour() {
    let state = desk((120, 40));
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    term.draw(|f| frontdesk::ui::draw(f, &state, &frontdesk::ui::theme::Theme::ansi16())).unwrap();
    let text = screen_text(&term);
    // The cell after a wide glyph reads as a space in the buffer.
    assert!(text.contains("⏳  3h") && text.contains("⏳  20m"), "{text}");
    assert!(!text.contains(" w 3h "), "{text}");
}

#[test]
fn hiding_the_profile_widens_the_queue_not_the_conversation() {
    let mut state = desk((200, 50));
    let before = screen_text(&render(&state));
    on_action(&mut state, Action::ToggleProfile);
    let after = screen_text(&render(&state));
    let conversation_width = |text: &str| {
        let top = text.lines().nth(1).unwrap();
        let corners: Vec<usize> =
            top.chars().enumerate().filter(|(_, c)| *c == '┌' || *c == '┏').map(|(i, _)| i).collect();
        corners[1]
    };
    assert!(conversation_width(&after) > conversation_width(&before), "the conversation starts further right");
    assert!(!after.contains("Carla Núñez ─"), "the profile is gone:\n{after}");
    assert!(column_width(&after, "subject", "owner") > column_width(&before, "subject", "owner"));
}

fn long_reply_desk(size: (u16, u16)) -> State {
    let mut state = desk(size);
    state.macros = vec![frontdesk::config::CannedReply {
        name: "Refund on its way".into(),
        body: "Hi {{customer.first_name}},\n\nThank you for your patience. I have started the refund for your order; \
               you will see it on your statement within three to five working days, depending on your bank. \
               If it has not arrived by then, reply to this message and I will chase it with our payments team \
               straight away.\n\nKind regards,\n{{agent.name}}"
            .into(),
        actions: Default::default(),
    }];
    state.focus = Pane::Conversation;
    state.composer = Some(Composer::new(1042, MessageKind::Reply, ""));
    on_action(&mut state, Action::InsertMacro);
    update(&mut state, Msg::Key(KeyEvent::from(KeyCode::Enter)));
    state
}

#[test]
fn a_long_canned_reply_wraps_and_grows_the_composer_at_80x24() {
    let term = render(&long_reply_desk((80, 24)));
    let text = screen_text(&term);
    insta::assert_snapshot!(term.backend());
    assert!(text.contains("chase it with our payments team"), "the whole reply reads before it is sent:\n{text}");
}

#[test]
fn a_long_canned_reply_wraps_and_grows_the_composer_at_120x40() {
    let term = render(&long_reply_desk((120, 40)));
    let text = screen_text(&term);
    insta::assert_snapshot!(term.backend());
    assert!(text.contains("Kind regards"), "{text}");
    assert!(text.contains("Ctrl-t canned reply"), "the border names Ctrl-t:\n{text}");
}

/// Every hint fits: whole hints are dropped from the end, none is cut (`r re…`, `┗rl-S send`).
#[test]
fn hints_fit_at_80_120_and_200_columns() {
    for w in [80u16, 120, 200] {
        let mut state = desk((w, 30));
        for focus in [Pane::Queue, Pane::Conversation, Pane::Profile] {
            state.focus = focus;
            let text = screen_text(&render(&state));
            let status = text.lines().last().unwrap();
            assert!(!status.contains('…'), "at {w}, {focus:?}: {status:?}");
        }
        let state = long_reply_desk((w, 30));
        let text = screen_text(&render(&state));
        let border = text.lines().find(|l| l.contains("send") && l.contains('┛')).unwrap_or_else(|| panic!("{text}"));
        assert!(border.contains("┛") && border.contains("━ Ctrl-s send"), "at {w}: {border:?}");
        assert!(border.contains("Ctrl-t canned reply"), "at {w}: {border:?}");
        assert!(!text.lines().last().unwrap().contains('…'), "{text}");
    }
}

/// The reply guard's sentence is cut after a word when it is too long, and the composer's border
/// says what the next Ctrl-s does.
#[test]
fn the_reply_guards_choices_fit_at_120_columns() {
    let mut state = long_reply_desk((120, 40));
    let message = "ticket #1042 has 1 new message since you last looked (reply from bob); nothing was sent".into();
    update(&mut state, Msg::SendStopped { ticket: 1042, newest: 9, message });
    let term = render(&state);
    insta::assert_snapshot!(term.backend());
    let text = screen_text(&term);
    let status = text.lines().last().unwrap().trim_end();
    assert!(status.starts_with(" ticket #1042 has 1 new message"), "{status}");
    assert!(status.ends_with("…") || status.ends_with("the draft") || status.ends_with('│'), "{status:?}");
    assert!(!status.contains("Ctrl-s…") && !status.contains("Ctr…"), "{status:?}");
    assert!(text.contains("Ctrl-s send anyway"), "{text}");
}

//! The questions asked before the irreversible, at 80×24: one line that says what will happen.

use crate::support::fixtures::{self as common, render, screen_text};
use frontdesk::app::model::action::Action;
use frontdesk::app::model::key::{KeyCode, KeyEvent};
use frontdesk::app::model::message::Msg;
use frontdesk::app::update::{on_action, update};

#[test]
fn solve_stale_asks_with_the_count_and_whose_they_are() {
    let mut state = common::state((80, 24), "Login", "Hello");
    let owners = vec![(Some("bob".to_string()), 400), (Some("ana".to_string()), 12), (None, 228)];
    update(&mut state, Msg::StaleOffer { before: common::now(), days: 7, owners });
    let term = render(&state);
    insta::assert_snapshot!(term.backend());
    let text = screen_text(&term);
    assert!(text.contains("solve 12 pending tickets unanswered 7+ days (yours: 12)? y/N"), "{text}");
    assert!(text.contains("a  all 640: bob 400, ana 12, nobody 228"), "{text}");
}

#[test]
fn a_ticket_merge_asks_naming_both_tickets() {
    let mut state = common::state((80, 24), "Login", "Hello");
    on_action(&mut state, Action::MergeTicket);
    update(&mut state, Msg::Key(KeyEvent::from(KeyCode::Enter)));
    let term = render(&state);
    insta::assert_snapshot!(term.backend());
    let text = screen_text(&term);
    assert!(text.contains("into #988 \"Damaged lamp\"? y/N"), "{text}");
    assert!(text.contains("y  merge: #1042 closes, its messages move"), "{text}");
}

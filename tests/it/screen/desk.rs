//! Snapshots of the whole screen at fixed sizes, in the monochrome theme.

use crate::support::fixtures::{self as common, render, screen_text};

use frontdesk::app::model::action::Action;
use frontdesk::app::model::composer::Composer;
use frontdesk::app::model::state::{Pane, State};
use frontdesk::app::update::on_action;
use frontdesk::domain::MessageKind;

#[test]
fn desk_at_80x24() {
    let state = common::state((80, 24), common::HOSTILE_SUBJECT, common::HOSTILE_BODY);
    insta::assert_snapshot!(render(&state).backend());
}

#[test]
fn desk_at_160x48() {
    let state = common::state((160, 48), common::HOSTILE_SUBJECT, common::HOSTILE_BODY);
    insta::assert_snapshot!(render(&state).backend());
}

#[test]
fn desk_at_200x50_with_the_conversation_focused() {
    let mut state = common::state((200, 50), common::HOSTILE_SUBJECT, common::HOSTILE_BODY);
    state.focus = Pane::Conversation;
    insta::assert_snapshot!(render(&state).backend());
}

#[test]
fn reply_composer_at_120x32() {
    let mut state = common::state((120, 32), "Login", "Hello");
    state.focus = Pane::Conversation;
    state.composer = Some(Composer::new(1042, MessageKind::Reply, "Hi Carla, the refund is on its way"));
    insta::assert_snapshot!(render(&state).backend());
}

#[test]
fn note_composer_says_it_is_internal() {
    let mut state = common::state((120, 32), "Login", "Hello");
    state.focus = Pane::Conversation;
    state.composer = Some(Composer::new(1042, MessageKind::Note, "check the carrier"));
    let text = screen_text(&render(&state));
    assert!(text.contains("Internal note · never sent"), "{text}");
}

#[test]
fn status_picker_over_the_desk() {
    let mut state = common::state((100, 30), "Login", "Hello");
    on_action(&mut state, Action::SetStatus);
    insta::assert_snapshot!(render(&state).backend());
}

#[test]
fn help_lists_the_effective_key_map() {
    let mut state = common::state((100, 30), "Login", "Hello");
    on_action(&mut state, Action::Help);
    let text = screen_text(&render(&state));
    assert!(text.contains("force_quit"), "{text}");
    for c in "first".chars() {
        frontdesk::app::update::update(
            &mut state,
            frontdesk::app::model::message::Msg::Key(frontdesk::app::model::key::KeyEvent::from(
                frontdesk::app::model::key::KeyCode::Char(c),
            )),
        );
    }
    let text = screen_text(&render(&state));
    assert!(text.contains("select_first"), "{text}");
    assert!(text.contains("g g"), "{text}");
}

#[test]
fn hostile_text_is_drawn_as_visible_text() {
    for size in [(80, 24), (160, 48)] {
        let mut state = common::state(size, common::HOSTILE_SUBJECT, common::HOSTILE_BODY);
        state.queue.selected = 1;
        let text = screen_text(&render(&state));
        assert!(text.contains("Refund^[[2J"), "{text}");
        for cell in text.chars() {
            assert!(!cell.is_control() || cell == '\n', "control {:?} reached the screen", cell);
            assert!(!('\u{202A}'..='\u{202E}').contains(&cell), "bidi control reached the screen");
        }
    }
    let state = common::state((160, 48), common::HOSTILE_SUBJECT, common::HOSTILE_BODY);
    let text = screen_text(&render(&state));
    assert!(text.contains("<U+202E>"), "{text}");
    assert!(text.contains("^[[31m"), "{text}");
}

#[test]
fn selection_shows_without_colour() {
    let state = common::state((120, 32), "Login", "Hello");
    let term = render(&state);
    let buf = term.backend().buffer();
    // The selected row carries a glyph as well as reverse video.
    let row: String = (0..40).map(|x| buf[(x, 3)].symbol().to_string()).collect();
    assert!(row.contains('▌'), "{row}");
    assert!(buf[(5, 3)].modifier.contains(ratatui::style::Modifier::REVERSED));
}

fn type_keys(state: &mut State, keys: &str) {
    for c in keys.chars() {
        let key = frontdesk::app::model::key::KeyEvent::from(frontdesk::app::model::key::KeyCode::Char(c));
        frontdesk::app::update::update(state, frontdesk::app::model::message::Msg::Key(key));
    }
}

#[test]
fn the_filtered_queue_marks_what_matched() {
    use frontdesk::app::model::message::{Effect, Msg};
    use frontdesk::app::update::update;
    let mut state = common::state((200, 30), common::HOSTILE_SUBJECT, "Hello");
    on_action(&mut state, Action::Filter);
    type_keys(&mut state, "nunez rfd");
    let generation = state.generation;
    let found = vec![state.queue.rows[0].clone()];
    // What the worker and the store would answer.
    let effects = update(&mut state, Msg::FilterMatched { generation, ids: Some(vec![1042].into()), total: 6 });
    assert_eq!(effects, vec![Effect::LoadFoundRows { generation, ids: vec![1042], append: false }]);
    update(&mut state, Msg::FoundRowsLoaded { generation, rows: found, append: false });
    let term = render(&state);
    insta::assert_snapshot!(term.backend());
    let buf = term.backend().buffer();
    let marked: String = (0..70)
        .filter(|&x| buf[(x, 3)].modifier.contains(ratatui::style::Modifier::UNDERLINED))
        .map(|x| buf[(x, 3)].symbol().to_string())
        .collect();
    assert_eq!(marked, "NúñezRfd", "the name and the subject's matched letters are marked");
}

#[test]
fn search_results_replace_the_queue_until_esc() {
    use frontdesk::app::model::message::{Effect, Msg};
    use frontdesk::app::update::update;
    let mut state = common::state((120, 32), "Login", "Hello");
    on_action(&mut state, Action::Search);
    type_keys(&mut state, "status:pending invoice");
    let enter = frontdesk::app::model::key::KeyEvent::from(frontdesk::app::model::key::KeyCode::Enter);
    let effects = update(&mut state, Msg::Key(enter));
    let generation = state.generation;
    assert_eq!(effects, vec![Effect::Search { generation, text: "status:pending invoice".into() }]);
    let hit = state.queue.rows[2].clone();
    let results =
        frontdesk::domain::search::SearchResults { tickets: vec![hit], more: false, stopped_early: true, unindexed: 0 };
    update(&mut state, Msg::SearchDone { generation, result: Ok(results) });
    insta::assert_snapshot!(render(&state).backend());
    let esc = frontdesk::app::model::key::KeyEvent::from(frontdesk::app::model::key::KeyCode::Esc);
    let effects = update(&mut state, Msg::Key(esc));
    assert!(state.findings.is_none());
    assert!(matches!(effects.as_slice(), [Effect::LoadQueue { after: None, .. }]));
}

#[test]
fn a_search_mistake_holds_the_prompt_open() {
    let mut state = common::state((120, 32), "Login", "Hello");
    on_action(&mut state, Action::Search);
    type_keys(&mut state, "status:opne");
    let enter = frontdesk::app::model::key::KeyEvent::from(frontdesk::app::model::key::KeyCode::Enter);
    let effects = frontdesk::app::update::update(&mut state, frontdesk::app::model::message::Msg::Key(enter));
    assert!(effects.is_empty());
    assert!(state.prompt.is_some());
    let text = screen_text(&render(&state));
    assert!(text.contains("\"opne\" is not a status"), "{text}");
}

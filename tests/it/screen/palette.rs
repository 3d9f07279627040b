//! Human titles in the palette and the help: the title first, the action's name second and dim.

use crate::support::fixtures::{self as common, render, screen_text};

use frontdesk::app::model::action::Action;
use frontdesk::app::model::key::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::model::message::Msg;
use frontdesk::app::model::state::State;
use frontdesk::app::update::{on_action, update};

fn type_text(state: &mut State, text: &str) {
    for c in text.chars() {
        update(state, Msg::Key(KeyEvent::from(KeyCode::Char(c))));
    }
}

fn backspace(state: &mut State) {
    update(state, Msg::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)));
}

/// The palette lists human titles, the action's name second and dim; typing matches either.
#[test]
fn the_palette_shows_titles_and_matches_names_too() {
    let mut state = common::state((100, 30), "Login", "Hello");
    on_action(&mut state, Action::Palette);
    let term = render(&state);
    insta::assert_snapshot!(term.backend());
    let text = screen_text(&term);
    assert!(text.contains("Quit now") && text.contains("force_quit"), "{text}");
    let buf = term.backend().buffer();
    let (x, y) = (0..30u16)
        .flat_map(|y| (0..90u16).map(move |x| (x, y)))
        .find(|&(x, y)| (0..10).map(|i| buf[(x + i, y)].symbol()).collect::<String>() == "force_quit")
        .unwrap();
    assert!(buf[(x, y)].modifier.contains(ratatui::style::Modifier::DIM), "the name is dim");

    type_text(&mut state, "focus_n");
    let first = |state: &State| {
        let overlay = state.overlay.as_ref().unwrap();
        overlay.items[overlay.matches[0].0].label.clone()
    };
    assert_eq!(first(&state), "Next pane", "the config name finds the title");
    for _ in 0.."focus_n".len() {
        backspace(&mut state);
    }
    type_text(&mut state, "next pane");
    assert_eq!(first(&state), "Next pane");
}

#[test]
fn help_shows_titles_beside_the_keys() {
    let mut state = common::state((120, 30), "Login", "Hello");
    on_action(&mut state, Action::Help);
    insta::assert_snapshot!(render(&state).backend());
    type_text(&mut state, "canned");
    let text = screen_text(&render(&state));
    assert!(
        text.contains("ctrl-t") && text.contains("Insert a canned reply") && text.contains("insert_macro"),
        "{text}"
    );
}

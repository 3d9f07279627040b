//! Snapshots of the whole screen at fixed sizes, in the monochrome theme.

mod common;

use frontdesk::app::action::Action;
use frontdesk::app::state::{Composer, Pane, State};
use frontdesk::app::update::on_action;
use frontdesk::domain::MessageKind;
use frontdesk::ui::{self, theme::Theme};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn render(state: &State) -> Terminal<TestBackend> {
    let (w, h) = state.size;
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| ui::draw(f, state, &Theme::monochrome())).unwrap();
    term
}

fn screen_text(term: &Terminal<TestBackend>) -> String {
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
            frontdesk::app::msg::Msg::Key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c))),
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

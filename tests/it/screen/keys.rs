//! Keys that mean one thing: the status line names only keys that do what it says where it is
//! shown, and pressing the named key does it.

use crate::support::fixtures::{self as common, render, screen_text};

use frontdesk::app::model::action::Action;
use frontdesk::app::model::key::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::model::keymap::{sequence_hint, Context, Resolution};
use frontdesk::app::model::message::{Effect, Msg};
use frontdesk::app::model::state::{Pane, State};
use frontdesk::app::update::{on_action, update};
use frontdesk::domain::{Draft, MessageKind};

fn key(state: &mut State, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    update(state, Msg::Key(KeyEvent::new(code, mods)))
}

fn type_text(state: &mut State, text: &str) {
    for c in text.chars() {
        key(state, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

fn status_line(state: &State) -> String {
    screen_text(&render(state)).lines().last().unwrap().to_string()
}

/// Whatever message the status line shows here names keys that do what it says here: each key
/// it names resolves to the action it was named for, and no other bound key with a modifier or a
/// name (`Ctrl-…`, `Esc`, `Enter`) appears in it unrecorded.
fn check_named_keys(state: &State) {
    let line = status_line(state);
    let Some(message) = &state.status else { return };
    if message.named.is_none() {
        // A message naming no keys must not name any bound with a modifier or a name.
        for (_, seq, _) in state.keymap.entries() {
            let hint = sequence_hint(seq);
            let words = message.text.split(|c: char| c.is_whitespace() || "/,;:".contains(c));
            assert!(hint.chars().count() == 1 || !words.clone().any(|w| w == hint), "{:?} names {hint}", message.text);
        }
        return;
    }
    let context = Context::of(state);
    if !line.contains(message.text.split(':').next().unwrap()) {
        return; // not shown here
    }
    let Some(named) = &message.named else { return };
    assert_eq!(named.context, context, "{:?} is shown outside the context it names keys for", message.text);
    for (seq, action) in &named.keys {
        assert_eq!(
            state.keymap.resolve(context, seq),
            Resolution::Action(*action),
            "{:?} names {} for {} in {context:?}",
            message.text,
            sequence_hint(seq),
            action.name()
        );
    }
    let named: Vec<String> = named.keys.iter().map(|(s, _)| sequence_hint(s)).collect();
    for (_, seq, _) in state.keymap.entries() {
        let hint = sequence_hint(seq);
        let words = message.text.split(|c: char| c.is_whitespace() || "/,;:".contains(c));
        if hint.chars().count() > 1 && words.clone().any(|w| w == hint) {
            assert!(named.contains(&hint), "{:?} names {hint} without saying what it does there", message.text);
        }
    }
}

/// `/ refund Enter Enter`: the filter is kept, the first match opens; the status line never says
/// `n` opens the next match, and the key it names for that does it, from the conversation too.
#[test]
fn after_a_filter_and_enter_the_named_keys_do_what_the_status_line_says() {
    let mut state = common::state((120, 32), "Refund not received", "Hello");
    on_action(&mut state, Action::Filter);
    type_text(&mut state, "refund");
    let generation = state.generation;
    update(&mut state, Msg::FilterMatched { generation, ids: Some(vec![1042, 1039].into()), total: 6 });
    let found = vec![state.queue.rows[0].clone(), state.queue.rows[1].clone()];
    update(&mut state, Msg::FoundRowsLoaded { generation, rows: found, append: false });
    key(&mut state, KeyCode::Enter, KeyModifiers::NONE);
    let line = status_line(&state);
    assert!(line.contains("filter kept: Ctrl-n/Ctrl-p open the next/previous match"), "{line}");
    check_named_keys(&state);

    key(&mut state, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(state.focus, Pane::Conversation);
    assert!(!status_line(&state).contains("Esc shows the whole tab"), "Esc goes back to the queue here");
    check_named_keys(&state);

    let effects = key(&mut state, KeyCode::Char('n'), KeyModifiers::CONTROL);
    assert_eq!(effects, vec![Effect::LoadTicket(1039)], "Ctrl-n opens the next match");
    assert_eq!(state.focus, Pane::Conversation, "and the conversation keeps the focus");
    key(&mut state, KeyCode::Char('n'), KeyModifiers::NONE);
    assert_eq!(state.composer.as_ref().map(|c| c.kind), Some(MessageKind::Note), "n writes a note");
}

fn loaded_with_draft(state: &mut State, kind: MessageKind) {
    let detail = state.conversation.as_ref().unwrap().detail.clone();
    let draft = Draft { ticket_id: 1042, kind, body: "half written".into(), updated_at: common::now() };
    state.conversation = None;
    state.focus = Pane::Conversation;
    update(
        state,
        Msg::TicketLoaded {
            detail: Box::new(detail),
            customer_tickets: vec![],
            draft: Some(draft),
            facts: Default::default(),
        },
    );
}

/// The draft prompt names the one key that continues the draft, and that key opens it.
#[test]
fn the_draft_prompt_names_the_key_that_continues_it() {
    for (kind, press, other) in [(MessageKind::Reply, 'r', "or n"), (MessageKind::Note, 'n', "r or")] {
        let mut state = common::state((120, 32), "Login", "Hello");
        loaded_with_draft(&mut state, kind);
        let line = status_line(&state);
        assert!(line.contains(&format!("draft is waiting on this ticket: press {press} to continue it")), "{line}");
        assert!(!line.contains(other), "{line}");
        check_named_keys(&state);
        let effects = key(&mut state, KeyCode::Char(press), KeyModifiers::NONE);
        assert!(effects.contains(&Effect::ResumeDraft { ticket: 1042, kind }), "{effects:?}");
        assert_eq!(state.composer.as_ref().map(|c| c.kind), Some(kind));
        // In the composer the letter types: the prompt is not shown there.
        assert!(!status_line(&state).contains(&format!("press {press}")));
        // Esc keeps the draft and names the key that brings it back.
        key(&mut state, KeyCode::Esc, KeyModifiers::NONE);
        let line = status_line(&state);
        assert!(line.contains(&format!("draft kept: {press} brings it back")), "{line}");
        check_named_keys(&state);
    }
}

/// The reply guard's sentence names the composer's keys; once the composer is closed it is not shown.
#[test]
fn the_reply_guard_names_composer_keys_only_in_the_composer() {
    let mut state = common::state((200, 40), "Login", "Hello");
    state.focus = Pane::Conversation;
    state.composer = Some(frontdesk::app::model::composer::Composer::new(1042, MessageKind::Reply, "Hi"));
    let message = "ticket #1042 has 1 new message since you last looked (reply from bob); nothing was sent".into();
    update(&mut state, Msg::SendStopped { ticket: 1042, newest: 9, message });
    let line = status_line(&state);
    assert!(line.contains("Ctrl-s sends anyway, keep editing, or Ctrl-x discards the draft"), "{line}");
    check_named_keys(&state);
    // Out of the composer, Ctrl-s sends nothing: the sentence is not shown.
    state.focus = Pane::Queue;
    assert!(!status_line(&state).contains("Ctrl-s sends anyway"), "{}", status_line(&state));
}

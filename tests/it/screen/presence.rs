//! Presence on screen: the queue row's mark and the conversation's header (its top border).

use crate::support::fixtures as common;

use frontdesk::domain::{Presence, PresenceState};

fn presence(agent: &str, ticket: i64, state: PresenceState) -> Presence {
    Presence { console: format!("{agent}-1"), agent: agent.into(), ticket_id: Some(ticket), state }
}

/// At 120 columns the conversation pane is narrow: the header names them without the words, and
/// leaves out the facts (status, priority, owner) before it leaves out who else is there.
#[test]
fn other_agents_show_in_the_queue_and_the_conversation() {
    let mut state = common::state((120, 32), "Login", "Hello");
    state.presence = vec![
        presence("hiro", 1042, PresenceState::Viewing),
        presence("mei", 1042, PresenceState::Writing),
        presence("olu\x1b[2J", 1037, PresenceState::Viewing),
        presence("ana", 1039, PresenceState::Writing), // me, in another console: not shown
    ];
    let term = common::render(&state);
    insta::assert_snapshot!(term.backend());
}

/// With room, the header says what each one does, and the facts follow; with less, the names
/// alone leave room for the facts.
#[test]
fn a_wide_header_says_who_writes_and_who_views_beside_the_facts() {
    let mut state = common::state((240, 12), "Login", "Hello");
    state.presence =
        vec![presence("hiro", 1042, PresenceState::Viewing), presence("mei\x07", 1042, PresenceState::Writing)];
    let term = common::render(&state);
    insta::assert_snapshot!(term.backend());
    state.size = (200, 12);
    let text = common::screen_text(&common::render(&state));
    assert!(text.contains("✎ mei^G · ● hiro ── open · urgent · ana"), "{text}");
}

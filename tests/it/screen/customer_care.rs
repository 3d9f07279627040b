//! Snapshots of issue 6 on screen: SLA countdowns in the queue and the breach count.

use crate::support::fixtures::{self as common, render};

use frontdesk::app::model::state::State;
use frontdesk::domain::sla::{Clock, ClockKind, ClockState};

fn clock(state: ClockState, remaining_seconds: i64) -> Clock {
    Clock {
        kind: ClockKind::FirstResponse,
        state,
        target_seconds: 3_600,
        remaining_seconds,
        due_at: None,
        stopped_at: None,
    }
}

#[test]
fn queue_shows_countdowns_with_glyphs_and_counts_breaches() {
    let mut state = common::state((120, 16), "Login loop", "Still waiting");
    let sla = &mut state.queue.sla;
    sla.insert(1042, clock(ClockState::Breached, -20 * 60));
    sla.insert(1039, clock(ClockState::Warning, 12 * 60));
    sla.insert(1037, clock(ClockState::Paused, 3 * 3_600));
    sla.insert(1031, clock(ClockState::Ok, 2 * 86_400));
    // The count is the whole view's, as the store counted it, not the loaded rows'.
    state.queue.overdue = Some(14);
    let term = render(&state);
    insta::assert_snapshot!(term.backend());
    let text: String = term.backend().buffer().content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("×-20m") && text.contains("* 12m") && text.contains("=  3h"), "{text}");
    assert!(text.contains("× 14 breached"));
}

#[test]
fn profile_shows_satisfaction_and_the_at_risk_reason() {
    use frontdesk::domain::satisfaction::{Rating, RatingKind};
    let mut state = common::state((160, 30), "Login loop", "Still waiting");
    let rating = |kind, score, good, ticket_id, comment: &str, day| Rating {
        kind,
        score,
        good,
        ticket_id,
        comment: comment.into(),
        created_at: common::at(day, 10, 0),
    };
    state.profile.facts.ratings = vec![
        rating(RatingKind::Csat, 1, false, Some(1042), "Still \x1b[31mbroken", 22),
        rating(RatingKind::Nps, 9, false, None, "", 10),
        rating(RatingKind::Csat, 5, true, Some(988), "", 3),
    ];
    state.profile.facts.at_risk = Some("rated badly on #1042".into());
    state.profile.facts.last_contact = Some(common::at(23, 13, 42));
    state.profile.facts.sla = vec!["first response due Mon 15:00, 58 business minutes left".into()];
    let term = render(&state);
    insta::assert_snapshot!(term.backend());
    let text: String = term.backend().buffer().content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("⚠ at risk: rated badly on"), "{text}");
    assert!(text.contains("CSAT 50% of 2"), "{text}");
}

#[test]
fn the_conversation_shows_ratings_and_snoozes_from_the_event_log() {
    use frontdesk::domain::Event;
    let mut state = common::state((160, 30), "Login loop", "Still waiting");
    let conversation = state.conversation.as_mut().unwrap();
    let event = |id, field: &str, new: &str, minute| Event {
        id,
        ticket_id: 1042,
        actor: "ana".into(),
        field: field.into(),
        old: None,
        new: Some(new.into()),
        created_at: common::at(23, 13, minute),
    };
    conversation.detail.events.push(event(2, "snoozed_until", "2026-11-24T09:00:00Z", 50));
    conversation.detail.events.push(event(3, "satisfaction", "4/5", 55));
    let term = render(&state);
    let text: String = term.backend().buffer().content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("ana snoozed until Tue 24 Nov 09:00"), "in the agent's time, not RFC 3339: {text}");
    assert!(text.contains("ana set satisfaction — → 4/5"), "{text}");
    conversation_until_reply(state);
}

fn conversation_until_reply(mut state: State) {
    let conversation = state.conversation.as_mut().unwrap();
    let snooze = conversation.detail.events.iter_mut().find(|e| e.field == "snoozed_until").unwrap();
    snooze.new = Some("9999-12-31T23:59:59Z".into());
    let detail = conversation.detail.clone();
    state.conversation = Some(frontdesk::app::model::conversation::ConversationState::new(detail));
    let term = render(&state);
    let text: String = term.backend().buffer().content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("ana snoozed it until the customer writes"), "{text}");
}

#[test]
fn the_canned_reply_picker_shows_the_reply_filled_in_and_what_it_sets() {
    use frontdesk::app::model::action::Action;
    use frontdesk::app::model::message::Msg;
    use frontdesk::app::update::update;
    let mut state = common::state((100, 30), "Login loop", "Still waiting");
    let dir = tempfile::tempdir().unwrap();
    state.macros = frontdesk::config::load_macros(dir.path()).0;
    update(&mut state, Msg::Action(Action::Reply));
    update(&mut state, Msg::Action(Action::InsertMacro));
    let term = render(&state);
    insta::assert_snapshot!(term.backend());
    let text = common::screen_text(&term);
    assert!(text.contains("sets status pending"), "what it sets, before inserting: {text}");
    assert!(text.contains("Hi Carla,"), "the reply as this customer will read it: {text}");
    assert!(!text.contains("{{"), "no raw placeholder: {text}");
}

/// After a change of SLA policies the due times are worked out on a thread: the status line says
/// how many are left, the queue moves meanwhile, and the line goes when they are done.
#[test]
fn the_status_line_counts_the_due_times_left_after_new_policies_while_the_queue_moves() {
    use frontdesk::app::model::action::Action;
    use frontdesk::app::model::message::{Effect, Msg};
    use frontdesk::app::update::update;
    let last_line =
        |state: &State| crate::support::fixtures::screen_text(&render(state)).lines().last().unwrap().to_string();
    let mut state = common::state((120, 16), "Login loop", "Still waiting");
    assert!(update(&mut state, Msg::DueWorking { left: 41_200 }).is_empty());
    assert!(last_line(&state).contains("new SLA policies: 41200 due times to work out"), "{}", last_line(&state));
    let before = state.queue.selected;
    update(&mut state, Msg::Action(Action::SelectNext));
    assert_eq!(state.queue.selected, before + 1, "the queue moves while the thread works");
    update(&mut state, Msg::DueWorking { left: 200 });
    assert!(last_line(&state).contains(": 200 due times"), "{}", last_line(&state));
    let effects = update(&mut state, Msg::DueRefreshed);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::ReloadQueue { .. })),
        "the queue reloads in the new order: {effects:?}"
    );
    assert!(!last_line(&state).contains("SLA policies"), "{}", last_line(&state));
    assert_eq!(state.due_left, None);
}

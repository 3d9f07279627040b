//! The `/` filter finds the same tickets, in the same order, whether the tab is matched whole in
//! memory or (as a large tab is) its newest tickets in memory and the rest through the filter
//! index: here a low threshold sends a small desk down the index's path.

use crate::support::console::*;
use frontdesk::app::effects::App;
use frontdesk::domain::fuzzy::fold;
use frontdesk::domain::Priority;
use frontdesk::store::Store;

/// Tickets the filter found, best first, and whether that is every match.
fn found(app: &mut App, query: &str) -> (Vec<i64>, bool) {
    press(app, "/");
    type_text(app, query);
    app.wait_idle();
    let findings = app.state.findings.as_ref().expect("the filter's results");
    assert!(!findings.working, "{query}: answered");
    let ids = findings.ids.as_ref().expect("an answer").to_vec();
    let complete = findings.complete;
    press(app, "esc esc");
    assert!(app.state.findings.is_none());
    (ids, complete)
}

/// A desk of 40 tickets of mixed subjects and customers; the console as it is, and one that
/// holds only the newest 10 tickets of a tab in memory.
fn two_consoles() -> (tempfile::TempDir, App, App) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    store.register_first_admin("ana").unwrap();
    let people = [
        ("carla@shop.example", "Carla Núñez"),
        ("olu@webmail.example", "Olu Okafor"),
        ("jonas@shop.example", "Jonas Müller"),
        ("hiro@mail.example", "ヒロ タナカ"),
    ];
    let subjects =
        ["Refund for order 4821", "Refurbished lamp", "Where is my refund?", "Login loop", "ログインできません"];
    for n in 0..40 {
        let (email, name) = people[n % people.len()];
        let subject = format!("{} {n}", subjects[n % subjects.len()]);
        ticket_from(&store, email, name, &subject, Priority::Normal);
    }
    let whole = open_with(Store::open(&path).unwrap(), "ana", chrono::Utc::now(), |_| {});
    let indexed = open_with(Store::open(&path).unwrap(), "ana", chrono::Utc::now(), |app| {
        app.filter_in_memory_up_to = 10;
    });
    (dir, whole, indexed)
}

/// What the index's path promises: of the tickets a whole-tab match finds, the newest ones, and
/// any other that holds each word as written (case and accents aside).
fn promised(app: &App, whole: &[i64], newest: &[i64], query: &str) -> Vec<i64> {
    let mut texts = std::collections::HashMap::new();
    let store = store_of(app);
    let filter = app.state.view_filter(app.state.view);
    store.filter_candidates(&filter, &mut |id, text| drop(texts.insert(id, fold(text)))).unwrap();
    let words: Vec<String> = fold(query).split_whitespace().map(str::to_string).collect();
    let as_written = |id: &i64| words.iter().all(|w| texts[id].contains(w.as_str()));
    whole.iter().copied().filter(|id| newest.contains(id) || as_written(id)).collect()
}

#[test]
fn words_as_written_find_the_same_tickets_in_the_same_order_on_both_paths() {
    let (_dir, mut whole, mut indexed) = two_consoles();
    let newest: Vec<i64> = found(&mut whole, "").0.into_iter().take(10).collect();
    for query in ["refund", "refund 4821", "nunez", "müller refund", "webmail", "lamp", "rfnd", "#12 ", "loop olu"] {
        let (expected, complete) = found(&mut whole, query);
        assert!(complete, "{query}: a small tab is matched whole");
        assert!(!expected.is_empty(), "{query}: the desk has matches");
        let (ids, complete) = found(&mut indexed, query);
        assert_eq!(
            ids,
            promised(&indexed, &expected, &newest, query),
            "{query}: the same tickets, ranked the same way"
        );
        assert!(complete, "{query}: every word went to the index, so no ticket holding them is missing");
    }
    let (ids, _) = found(&mut indexed, "zzzz");
    assert!(ids.is_empty());
}

#[test]
fn short_and_non_latin_queries_look_at_the_newest_tickets_and_say_there_may_be_more() {
    let (_dir, mut whole, mut indexed) = two_consoles();
    let newest: Vec<i64> = found(&mut whole, "").0.into_iter().take(10).collect();
    for query in ["re", "ログ"] {
        let (expected, _) = found(&mut whole, query);
        let (ids, complete) = found(&mut indexed, query);
        assert!(!complete, "{query}: the count reads ≥");
        let expected_in_window: Vec<i64> = expected.iter().copied().filter(|id| newest.contains(id)).collect();
        assert!(!expected_in_window.is_empty(), "{query}");
        assert_eq!(ids, expected_in_window, "{query}: the newest tickets' matches, ranked as on a small tab");
    }
    press(&mut indexed, "/");
    type_text(&mut indexed, "re");
    indexed.wait_idle();
    let title = indexed.state.findings.as_ref().map(|f| (f.ids.as_ref().map(|i| i.len()), f.total));
    assert_eq!(title, Some((Some(10), Some(40))), "found among the 10 newest of the tab's 40");
}

//! The search index's list of words, which long prefixes are searched by: the same tickets as
//! FTS5's own prefix search, kept as tickets are written, read from the index of a desk that
//! predates it, checked and repaired, and without an erased customer's words.

use super::search::create;
use chrono::Utc;
use frontdesk::domain::search::{SearchQuery, Term};
use frontdesk::domain::MessageKind;
use frontdesk::store::Store;
use rusqlite::Connection;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

struct TempDesk {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: Store,
}

fn demo_desk(tickets: usize) -> TempDesk {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    let opts = frontdesk::demo::DemoOptions { tickets, seed: 11, now: Utc::now(), agents: vec![] };
    frontdesk::demo::generate(&store, &opts, &mut |_| {}).unwrap();
    TempDesk { _dir: dir, path, store }
}

/// The ticket numbers `text` finds, newest first.
fn find(store: &mut Store, text: &str) -> Vec<i64> {
    let query = SearchQuery::parse(text, frontdesk::domain::when::Zone::Named(chrono_tz::UTC)).unwrap();
    store.search(&query, "ana", 5_000).unwrap().tickets.iter().map(|t| t.id).collect()
}

/// What FTS5 itself finds for the prefix, newest first, read from the file by a connection of
/// its own.
fn fts5_finds(path: &Path, prefix: &str) -> Vec<i64> {
    fts5_matches(path, &format!("\"{prefix}\"*"))
}

/// The tickets FTS5's own `expression` matches, newest first, on a connection of its own.
fn fts5_matches(path: &Path, expression: &str) -> Vec<i64> {
    let conn = Connection::open(path).unwrap();
    let found = conn
        .prepare("SELECT rowid FROM ticket_search WHERE ticket_search MATCH ?1 ORDER BY rowid DESC")
        .unwrap()
        .query_map([expression], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    found
}

/// One column of the rows `sql` reads from the file, on a connection of its own.
fn words<C: FromIterator<String>>(path: &Path, sql: &str) -> C {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, ticket_search, row)").unwrap();
    let words = conn.prepare(sql).unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    words
}

/// Every word of the index, from FTS5's own vocabulary.
fn index_words(path: &Path) -> Vec<String> {
    words(path, "SELECT term FROM temp.v")
}

fn listed_words(path: &Path) -> BTreeSet<String> {
    words(path, "SELECT term FROM ticket_search_terms")
}

fn prefix(text: &str) -> Vec<Term> {
    vec![Term::Prefix(text.into())]
}

#[test]
fn a_long_prefix_finds_what_fts5_finds_searched_as_the_words_it_stands_for() {
    let mut d = demo_desk(400);
    assert!(!d.store.search_terms_pending().unwrap(), "the demo lists its index's words");
    let words = index_words(&d.path);
    assert_eq!(listed_words(&d.path), words.iter().cloned().collect(), "the list is the index's words");

    // Every prefix of four to seven letters of the desk's words, and a few no word has.
    let mut prefixes: BTreeSet<String> = words
        .iter()
        .filter(|w| w.chars().all(|c| c.is_ascii_alphanumeric()))
        .flat_map(|w| (4..=w.len().min(7)).map(move |n| w[..n].to_string()))
        .collect();
    prefixes.extend(["zzzq".to_string(), "Deliv".to_string(), "ORDE".to_string()]);
    let mut as_words = 0;
    for p in &prefixes {
        assert_eq!(find(&mut d.store, &format!("{p}*")), fts5_finds(&d.path, p), "{p}*");
        let expression = d.store.search_expression(&prefix(p)).unwrap();
        let low = p.to_lowercase();
        let standing: Vec<&String> = words.iter().filter(|w| w.starts_with(&low)).collect();
        if (1..=64).contains(&standing.len()) {
            let listed = standing.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" OR ");
            assert_eq!(expression, format!("({listed})"), "{p}*");
            as_words += 1;
        } else {
            assert_eq!(expression, format!("\"{p}\"*"), "{p}*: left to FTS5");
        }
    }
    assert!(as_words > 100, "most prefixes are searched as their words ({as_words} of {})", prefixes.len());

    // The index's own prefix lengths, and a prefix with more than ASCII, are FTS5's.
    assert_eq!(d.store.search_expression(&prefix("ord")).unwrap(), "\"ord\"*");
    assert_eq!(d.store.search_expression(&prefix("résum")).unwrap(), "\"résum\"*");
    // Words, phrases and filters beside a prefix, on either side, keep their meaning: every term
    // must be found, as FTS5's own expression says.
    for (query, fts5) in [
        ("order deliv*", "\"order\" \"deliv\"*"),
        ("deliv* order", "\"deliv\"* \"order\""),
        ("deliv* OR refun*", "\"deliv\"* \"OR\" \"refun\"*"),
        ("deliv* \"my order\" status:open", "\"deliv\"* \"my order\""),
        ("refun* deliv* pack*", "\"refun\"* \"deliv\"* \"pack\"*"),
    ] {
        let parsed = SearchQuery::parse(query, frontdesk::domain::when::Zone::Named(chrono_tz::UTC)).unwrap();
        let expression = d.store.search_expression(&parsed.terms).unwrap();
        assert!(expression.contains("(\"deliv") && expression.contains(" AND "), "{query}: {expression}");
        let mut expected = fts5_matches(&d.path, fts5);
        if query.contains("status:open") {
            let open: BTreeSet<i64> = find(&mut d.store, "status:open").into_iter().collect();
            expected.retain(|id| open.contains(id));
        }
        assert_eq!(find(&mut d.store, query), expected, "{query}");
    }
}

#[test]
fn the_words_of_new_tickets_replies_and_notes_join_the_list_as_they_are_indexed() {
    let mut d = demo_desk(20);
    let t = create(&d.store, "quill@shop.example", "Quill Marbleton", "Zephyrine kettle", "It whistles.");
    d.store.add_message(t.id, MessageKind::Note, "ana", "Checked the xylocarpa batch.", None).unwrap();
    d.store.add_message(t.id, MessageKind::Reply, "ana", "Sending a Rückgabeetikett.", None).unwrap();
    for (p, word) in
        [("zephy", "zephyrine"), ("xyloc", "xylocarpa"), ("marbl", "marbleton"), ("ruckg", "ruckgabeetikett")]
    {
        assert_eq!(find(&mut d.store, &format!("{p}*")), vec![t.id], "{p}*");
        assert_eq!(d.store.search_expression(&prefix(p)).unwrap(), format!("(\"{word}\")"));
    }
    let words = listed_words(&d.path);
    assert!(words.contains("zephyrine") && words.contains("quill"), "the subject's and the customer's words");
    assert!(d.store.check().unwrap().is_empty(), "{:?}", d.store.check().unwrap());
}

#[test]
fn a_prefix_of_more_than_64_words_is_left_to_fts5_and_finds_the_same() {
    let mut d = demo_desk(5);
    let made: Vec<i64> = (0..70)
        .map(|n| create(&d.store, &format!("c{n}@shop.example"), "C", &format!("Part qwpart{n:03}"), "x").id)
        .collect();
    assert_eq!(d.store.search_expression(&prefix("qwpart")).unwrap(), "\"qwpart\"*");
    let found = find(&mut d.store, "qwpart*");
    assert_eq!(found, made.iter().rev().copied().collect::<Vec<_>>());
    let ten = (0..10).map(|n| format!("\"qwpart06{n}\"")).collect::<Vec<_>>().join(" OR ");
    assert_eq!(d.store.search_expression(&prefix("qwpart06")).unwrap(), format!("({ten})"), "ten words are few");
}

#[test]
fn a_desk_of_schema_30_reads_its_words_from_its_index_in_steps_and_searches_prefixes_meanwhile() {
    let d = demo_desk(300);
    let words = index_words(&d.path);
    drop(d.store);
    let conn = Connection::open(&d.path).unwrap();
    conn.execute_batch(
        "DROP TABLE ticket_search_terms; DROP TABLE ticket_search_terms_build; PRAGMA user_version = 30;",
    )
    .unwrap();
    drop(conn);

    let mut store = Store::open(&d.path).unwrap();
    assert!(store.search_terms_pending().unwrap(), "opening does not read the list");
    assert!(listed_words(&d.path).is_empty());
    assert_eq!(store.search_expression(&prefix("deliv")).unwrap(), "\"deliv\"*", "FTS5's own way meanwhile");
    let before = find(&mut store, "deliv*");
    assert_eq!(before, fts5_finds(&d.path, "deliv"));

    let mut steps = 1;
    while !store.build_search_terms_step(100).unwrap() {
        steps += 1;
    }
    assert_eq!(steps, words.len() / 100 + 1, "{} words, 100 a step", words.len());
    assert!(!store.search_terms_pending().unwrap());
    assert_eq!(listed_words(&d.path), words.iter().cloned().collect());
    assert!(store.search_expression(&prefix("deliv")).unwrap().starts_with("(\"deliv"));
    assert_eq!(find(&mut store, "deliv*"), before);
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check().unwrap());
}

#[test]
fn a_bulk_load_leaves_the_list_to_the_build_which_reads_it_again_when_done() {
    let mut d = demo_desk(30);
    let bulk = d.store.bulk().unwrap();
    bulk.finish().unwrap();
    let fresh = create(&d.store, "new@shop.example", "New Person", "Gramophone needle", "worn");
    assert!(d.store.search_index_pending().unwrap().is_some());
    // A step of the list while the index is built does nothing yet.
    assert!(d.store.build_search_terms_step(10).unwrap());
    d.store.build_search_index(&mut |_| {}).unwrap();
    assert!(!d.store.search_terms_pending().unwrap());
    assert_eq!(listed_words(&d.path), index_words(&d.path).into_iter().collect());
    assert_eq!(find(&mut d.store, "gramoph*"), vec![fresh.id]);
}

#[test]
fn check_finds_a_word_missing_from_the_list_and_repair_reads_them_again() {
    let d = demo_desk(40);
    assert!(d.store.check().unwrap().is_empty());
    let conn = Connection::open(&d.path).unwrap();
    let gone = conn.execute("DELETE FROM ticket_search_terms WHERE term >= 'd' AND term < 'e'", []).unwrap();
    assert!(gone > 0);
    drop(conn);
    let problems = d.store.check().unwrap();
    assert_eq!(
        problems,
        [format!(
            "{gone} words of the search index missing from its list of words (frontdesk check --repair reads them again)"
        )]
    );
    d.store.rebuild_search_terms().unwrap();
    assert!(d.store.check().unwrap().is_empty());
    assert_eq!(listed_words(&d.path), index_words(&d.path).into_iter().collect());
}

#[test]
fn an_erased_customers_own_words_leave_the_list_and_words_others_use_stay() {
    let mut d = demo_desk(30);
    let t = create(&d.store, "wilhelmina@quorvath.example", "Wilhelmina Quorvath", "Order refund", "Zanzibarine lamp");
    let other = create(&d.store, "ben@shop.example", "Ben", "Order lamp", "Zanzibarine too");
    d.store.index_queued().unwrap();
    assert!(listed_words(&d.path).contains("quorvath"));
    d.store.erase_customer(t.customer_id, "ana").unwrap();
    let words = listed_words(&d.path);
    for own in ["quorvath", "wilhelmina"] {
        assert!(!words.contains(own), "{own} stays in the list");
    }
    for shared in ["order", "lamp", "zanzibarine"] {
        assert!(words.contains(shared), "{shared} left the list");
    }
    assert_eq!(find(&mut d.store, "zanzib*"), vec![other.id]);
    assert!(d.store.check().unwrap().is_empty(), "{:?}", d.store.check().unwrap());
}

#[test]
fn frontdesk_check_says_words_are_missing_and_check_repair_reads_them_again() {
    let desk = crate::support::cli::Desk::with_admin();
    desk.ok(&["demo", "--tickets", "30"]);
    desk.ok(&["search", "refund"]);
    let conn = Connection::open(&desk.db).unwrap();
    let gone = conn.execute("DELETE FROM ticket_search_terms WHERE term >= 'r' AND term < 's'", []).unwrap();
    assert!(gone > 0);
    drop(conn);
    let run = desk.run(&["check"], "");
    assert_ne!(run.code, 0);
    let said = format!("problem: {gone} words of the search index missing from its list of words");
    assert!(run.stdout.contains(&said), "{}", run.stdout);
    let repaired = desk.ok(&["check", "--repair"]);
    assert!(
        repaired.contains(&format!("read the search index's words again ({gone} were missing from its list)")),
        "{repaired}"
    );
    assert!(repaired.contains(": ok ("), "{repaired}");
}

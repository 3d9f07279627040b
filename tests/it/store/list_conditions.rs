//! SQLite tests `x IN ('a', 'b', 'c')` (three constants or more) through a temporary b-tree made
//! and thrown away each time; two constants are two comparisons. The conditions a write tests on
//! every ticket and event (partial indexes, triggers) and the queries over them are written
//! without such lists (`PLAIN_PREDICATES` in migrations.rs).

use frontdesk::domain::Role;
use frontdesk::store::Store;
use rusqlite::Connection;

/// The first `IN (` list of three or more quoted constants in `text`, if any.
fn list_of_three(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    let mut from = 0;
    while let Some(at) = upper[from..].find("IN (") {
        let start = from + at + 4;
        let end = start + text[start..].find(')').unwrap_or(0);
        let inside = text[start..end].trim();
        let items: Vec<&str> = inside.split(',').map(str::trim).collect();
        if items.len() >= 3 && items.iter().all(|i| i.len() >= 2 && i.starts_with('\'') && i.ends_with('\'')) {
            return Some(text[from + at..=end].to_string());
        }
        from = start;
    }
    None
}

#[test]
fn the_finder_finds_a_list_of_three_and_not_of_two() {
    assert!(list_of_three("WHERE status IN ('new', 'open', 'pending')").is_some());
    assert!(list_of_three("WHERE status NOT IN ('solved', 'closed')").is_none());
    assert!(list_of_three("WHERE id IN (?, ?, ?)").is_none());
}

#[test]
fn no_index_or_trigger_condition_tests_a_list_of_three() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    drop(Store::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL")
        .unwrap();
    let found: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .filter_map(|(name, sql): (String, String)| list_of_three(&sql).map(|list| (name, list)))
        .collect();
    assert!(found.is_empty(), "indexes and triggers with a list of three constants: {found:?}");
}

#[test]
fn a_ticket_write_and_an_event_make_no_temporary_b_tree() {
    // (A change of status, assignee or priority also moves the ticket's tags' counts, which finds
    // them with `IN (SELECT …)`: a b-tree of the ticket's few tags, for lookups by key.)
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    store.add_agent("ana", None, Role::Agent).unwrap();
    drop(store);
    let conn = Connection::open(&path).unwrap();
    for sql in [
        "UPDATE tickets SET version = version + 1, updated_at = 1 WHERE id = 1",
        "INSERT INTO events (ticket_id, actor, field, old, new, created_at) VALUES (1, 'ana', 'status', 'new', 'open', 1)",
        "INSERT INTO events (ticket_id, actor, field, old, new, created_at) VALUES (1, 'ana', 'priority', 'low', 'high', 1)",
    ] {
        let ops: Vec<String> =
            conn.prepare(&format!("EXPLAIN {sql}")).unwrap().query_map([], |r| r.get(1)).unwrap().map(Result::unwrap).collect();
        let made = ops.iter().filter(|op| *op == "OpenEphemeral").count();
        // A clock event drops the ticket's rule checks: a delete of several rows through an index
        // gathers their keys first, in a b-tree (the trigger's program is in every event's plan;
        // its condition lets only clock events run it).
        let allowed = usize::from(sql.starts_with("INSERT INTO events"));
        assert_eq!(made, allowed, "{sql} makes {made} temporary b-trees");
    }
}

#[test]
fn the_stores_queries_write_no_list_of_three() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        // The migrations keep the schema's history (and its CHECK constraints) as it was written.
        if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("migrations.rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            if let Some(list) = list_of_three(&text) {
                found.push(format!("{}: {list}", path.display()));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

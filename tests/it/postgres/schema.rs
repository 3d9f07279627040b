use crate::support::postgres::{sqlite, Postgres};
use frontdesk::domain::search::{fts_expression, Term};
use frontdesk::store::postgres::{search::tsquery, Credentials, PostgresDesk, SCHEMA_VERSION};
use frontdesk::store::url::{DatabaseLocation, PostgresTarget};
use frontdesk::store::Store;
use std::collections::{BTreeMap, BTreeSet};

fn target(url: &str) -> PostgresTarget {
    match DatabaseLocation::parse(url).unwrap() {
        DatabaseLocation::Postgres(t) => t,
        other => panic!("{other:?}"),
    }
}

/// A fresh desk on both: a SQLite file and a PostgreSQL database, each at its latest schema.
fn both(pg: &Postgres, name: &str) -> (tempfile::TempDir, rusqlite::Connection, postgres::Client) {
    pg.create_database(name);
    PostgresDesk::open(&target(&pg.socket_url(name)), &Credentials::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    drop(Store::open(&path).unwrap());
    (dir, sqlite(&path), pg.client(name))
}

/// The tables SQLite holds as FTS5 (and their shadow tables), which PostgreSQL holds its own way.
const FTS_TABLES: &[&str] = &["ticket_search", "ticket_filter"];
/// What PostgreSQL holds in their place: the ticket's number and its document.
const FTS_ON_POSTGRES: &[(&str, &[&str])] =
    &[("ticket_search", &["ticket_id", "document"]), ("ticket_filter", &["ticket_id", "text"])];

/// Each table's columns: name, kind (integer/text/blob) and whether NULL is refused.
type Columns = BTreeMap<String, BTreeSet<(String, String, bool)>>;

fn sqlite_columns(conn: &rusqlite::Connection) -> Columns {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let shadow = |t: &str| FTS_TABLES.iter().any(|f| t.starts_with(&format!("{f}_")));
    let mut columns = Columns::new();
    for table in tables.into_iter().filter(|t| !shadow(t) && !FTS_TABLES.contains(&t.as_str())) {
        let mut stmt =
            conn.prepare(&format!("SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}')")).unwrap();
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?, r.get::<_, i64>(3)?))
        });
        let set = columns.entry(table.clone()).or_default();
        for row in rows.unwrap() {
            let (name, declared, not_null, pk) = row.unwrap();
            // A primary key is never NULL in PostgreSQL; in SQLite only an INTEGER one is sure not to be.
            set.insert((name, declared.to_lowercase(), not_null || pk > 0));
        }
    }
    columns
}

fn postgres_columns(client: &mut postgres::Client) -> Columns {
    let mut columns = Columns::new();
    let rows = client
        .query(
            "SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.is_nullable::text = 'NO'
             FROM information_schema.columns c JOIN information_schema.tables t
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'",
            &[],
        )
        .unwrap();
    for row in rows {
        let kind = match row.get::<_, String>(2).as_str() {
            "bigint" => "integer".to_string(),
            "bytea" => "blob".to_string(),
            other => other.to_string(),
        };
        columns.entry(row.get(0)).or_default().insert((row.get(1), kind, row.get(3)));
    }
    columns
}

#[test]
#[ignore = "needs PostgreSQL: initdb and pg_ctl (apt-get install postgresql; see .ci/run)"]
fn every_table_column_and_index_of_sqlite_is_on_postgresql() {
    let pg = Postgres::start();
    let (_dir, conn, mut client) = both(&pg, "desk");
    let mut on_sqlite = sqlite_columns(&conn);
    let mut on_postgres = postgres_columns(&mut client);
    assert!(on_postgres.remove("frontdesk_schema").is_some(), "PostgreSQL's version table (SQLite's user_version)");
    for (table, columns) in FTS_ON_POSTGRES {
        let found: Vec<String> = on_postgres.remove(*table).unwrap().into_iter().map(|c| c.0).collect();
        assert_eq!(
            found.iter().collect::<BTreeSet<_>>(),
            columns.iter().map(|c| c.to_string()).collect::<BTreeSet<_>>().iter().collect()
        );
    }
    let names = |c: &Columns| c.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&on_sqlite), names(&on_postgres), "the same tables");
    for (table, columns) in &on_sqlite {
        assert_eq!(columns, &on_postgres[table], "the columns of {table}");
    }
    on_sqlite.clear();

    // Every index SQLite has (but its automatic ones) is on PostgreSQL under the same name.
    let sqlite_indexes: BTreeSet<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let postgres_indexes: BTreeSet<String> = client
        .query("SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema()", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let missing: Vec<_> = sqlite_indexes.difference(&postgres_indexes).collect();
    assert!(missing.is_empty(), "indexes missing on PostgreSQL: {missing:?}");
    assert!(postgres_indexes.contains("ticket_search_words") && postgres_indexes.contains("ticket_filter_trigrams"));
    // And every trigger's work has a trigger: SQLite's names, PostgreSQL's merged ones aside.
    let triggers: BTreeSet<String> = client
        .query("SELECT DISTINCT trigger_name::text FROM information_schema.triggers WHERE trigger_schema = current_schema()", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let sqlite_triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name NOT LIKE '%_later'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let missing: Vec<_> = sqlite_triggers.iter().filter(|t| !triggers.contains(*t)).collect();
    assert!(missing.is_empty(), "triggers missing on PostgreSQL: {missing:?}");
}

#[test]
#[ignore = "needs PostgreSQL: initdb and pg_ctl (apt-get install postgresql; see .ci/run)"]
fn migrations_run_once_can_run_again_and_a_newer_schema_is_refused_for_writing() {
    let pg = Postgres::start();
    pg.create_database("desk");
    let url = target(&pg.socket_url("desk"));
    let mut desk = PostgresDesk::open(&url, &Credentials::default()).unwrap();
    assert_eq!(desk.schema_version().unwrap(), SCHEMA_VERSION);
    desk.check_writable().unwrap();
    desk.run_migrations_again().unwrap();
    drop(desk);
    let mut again = PostgresDesk::open(&url, &Credentials::default()).unwrap();
    assert_eq!(again.schema_version().unwrap(), SCHEMA_VERSION);
    again.client().batch_execute("UPDATE frontdesk_schema SET version = 99").unwrap();
    let mut newer = PostgresDesk::open(&url, &Credentials::default()).unwrap();
    assert_eq!(newer.schema_version().unwrap(), 99, "a newer schema is left as it is");
    let e = newer.check_writable().unwrap_err().to_string();
    assert!(e.contains(&format!("written by a newer frontdesk (schema 99, this one knows {SCHEMA_VERSION})")), "{e}");
}

/// The same writes, in standard SQL, on both backends.
const WRITES: &[&str] = &[
    "INSERT INTO organizations (id, name, domains) VALUES (1, 'Núñez Imports', 'nunez.example  Shop.Example')",
    "INSERT INTO agents (login, name, role, created_at) VALUES ('ana', 'Ana', 'admin', 1), ('bo', 'Bo', 'agent', 1)",
    "INSERT INTO customers (id, name, organization_id, created_at) VALUES (1, 'Carla Núñez', 1, 1), (2, 'Hiro', NULL, 1)",
    "INSERT INTO customer_emails (email, customer_id, position) VALUES ('carla@shop.example', 1, 0), ('hiro@x.example', 2, 0)",
    "INSERT INTO tickets (id, subject, customer_id, assignee, status, priority, channel, created_at, updated_at)
     VALUES (1, 'Refund', 1, 'ana', 'new', 'high', 'email', 10, 10), (2, 'Login', 2, NULL, 'open', 'normal', 'web', 11, 11),
            (3, 'Invoice', 1, 'bo', 'pending', 'low', 'email', 12, 12)",
    "INSERT INTO ticket_tags (ticket_id, tag) VALUES (1, 'refund'), (1, 'vip'), (2, 'login'), (3, 'billing')",
    "INSERT INTO messages (id, ticket_id, kind, author_customer, body, created_at) VALUES (1, 1, 'customer', 1, 'It arrived broken', 10)",
    "INSERT INTO events (id, ticket_id, actor, field, old, new, created_at) VALUES (1, 1, 'ana', 'status', 'new', 'open', 20)",
    "INSERT INTO events (id, ticket_id, actor, field, old, new, created_at) VALUES (2, 2, 'ana', 'tag', NULL, 'login', 20)",
    "UPDATE tickets SET status = 'open', waiting_since = 10 WHERE id = 1",
    "UPDATE tickets SET assignee = 'bo', priority = 'urgent' WHERE id = 2",
    "UPDATE tickets SET updated_at = 30 WHERE id = 2",
    "UPDATE ticket_tags SET tag = 'access' WHERE ticket_id = 2 AND tag = 'login'",
    "DELETE FROM ticket_tags WHERE ticket_id = 1 AND tag = 'vip'",
    "UPDATE customers SET tier = 'gold' WHERE id = 1",
    "UPDATE customers SET name = 'Carla N.' WHERE id = 1",
    "UPDATE organizations SET domains = 'nunez.example other.example' WHERE id = 1",
    "INSERT INTO customer_emails (email, customer_id, position) VALUES ('c.nunez@work.example', 1, 1)",
    "DELETE FROM search_queue",
    "DELETE FROM due_queue",
    "DELETE FROM report_stale",
    // A follow-up mark, added and dropped, marks its ticket stale.
    "INSERT INTO ticket_follow_ups (ticket_id, follows) VALUES (1, 2)",
    "DELETE FROM report_stale WHERE ticket_id = 1",
    "DELETE FROM ticket_follow_ups WHERE ticket_id = 1",
    "UPDATE filter_index_hold SET held = 1",
    "UPDATE tickets SET subject = 'Refund please' WHERE id = 1",
    "UPDATE filter_index_hold SET held = 0",
    "INSERT INTO ticket_report_facts (ticket_id, priority, tier, follows, last_at, facts) VALUES (3, 'low', 'gold', 0, 5, X'00')",
    "DELETE FROM tickets WHERE id = 3",
    "UPDATE messages SET body = 'It arrived broken, twice' WHERE id = 1",
    "DELETE FROM customer_emails WHERE email = 'hiro@x.example'",
    "INSERT INTO events (id, ticket_id, actor, field, old, new, created_at) VALUES (3, 2, 'bo', 'reply', NULL, NULL, 40)",
];

/// What the triggers keep, as text, in an order of its own.
fn kept(
    query_sqlite: &mut dyn FnMut(&str) -> Vec<Vec<Option<String>>>,
    table: &str,
    columns: &str,
) -> BTreeSet<Vec<Option<String>>> {
    query_sqlite(&format!("SELECT {columns} FROM {table}")).into_iter().collect()
}

fn as_text(columns: &str) -> String {
    columns.split(", ").map(|c| format!("CAST({c} AS TEXT)")).collect::<Vec<_>>().join(", ")
}

#[test]
#[ignore = "needs PostgreSQL: initdb and pg_ctl (apt-get install postgresql; see .ci/run)"]
fn the_kept_counts_queues_and_marks_follow_the_same_writes_on_both() {
    let pg = Postgres::start();
    let (_dir, conn, mut client) = both(&pg, "desk");
    for write in WRITES {
        conn.execute_batch(write).unwrap_or_else(|e| panic!("SQLite: {write}: {e}"));
        // The one literal the two write differently: a blob.
        let write = write.replace("X'00'", "'\\x00'::bytea");
        client.batch_execute(&write).unwrap_or_else(|e| panic!("PostgreSQL: {write}: {e:?}"));
    }
    let mut on_sqlite = |sql: &str| -> Vec<Vec<Option<String>>> {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Option<String>>(i)).collect())
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let mut on_postgres = |sql: &str| -> Vec<Vec<Option<String>>> {
        client
            .query(sql, &[])
            .unwrap()
            .iter()
            .map(|r| (0..r.len()).map(|i| r.get::<_, Option<String>>(i)).collect())
            .collect()
    };
    let tables = [
        ("ticket_counts", "status, assignee, priority, waiting, n"),
        ("tag_counts", "tag, status, assignee, priority, waiting, n"),
        ("search_queue", "ticket_id"),
        ("due_queue", "ticket_id"),
        ("report_stale", "ticket_id"),
        ("ticket_report_facts", "ticket_id"),
        ("organization_domains", "domain, organization_id"),
        ("filter_queue", "ticket_id"),
    ];
    for (table, columns) in tables {
        let columns = as_text(columns);
        let a = kept(&mut on_sqlite, table, &columns);
        let b = kept(&mut on_postgres, table, &columns);
        assert_eq!(a, b, "{table}");
        assert!(!a.is_empty() || table == "ticket_report_facts", "{table} has something to compare");
    }
    let a = kept(&mut on_sqlite, "ticket_filter", "CAST(rowid AS TEXT), text");
    let b = kept(&mut on_postgres, "ticket_filter", "CAST(ticket_id AS TEXT), text");
    assert_eq!(a, b, "the filter index");
    let count = kept(&mut on_postgres, "ticket_counts", "CAST(sum(n) AS TEXT)");
    assert_eq!(count.into_iter().next().unwrap()[0].as_deref(), Some("2"), "two tickets left");

    // The logs stay append-only on both.
    let e = conn.execute_batch("UPDATE events SET old = 'x' WHERE id = 1").unwrap_err().to_string();
    assert!(e.contains("events are append-only"), "{e}");
    let e = client.batch_execute("UPDATE events SET old = 'x' WHERE id = 1").unwrap_err();
    assert!(e.as_db_error().unwrap().message().contains("events are append-only"), "{e}");
    client
        .batch_execute(
            "INSERT INTO audit (at, actor, subject_kind, subject_id, field) VALUES (1, 'ana', 'agent', 'bo', 'role')",
        )
        .unwrap();
    let e = client.batch_execute("DELETE FROM audit").unwrap_err();
    assert!(e.as_db_error().unwrap().message().contains("append-only"), "{e}");
}

#[test]
#[ignore = "needs PostgreSQL: initdb and pg_ctl (apt-get install postgresql; see .ci/run)"]
fn search_finds_what_sqlite_finds_for_words_phrases_and_prefixes() {
    let pg = Postgres::start();
    let (_dir, conn, mut client) = both(&pg, "desk");
    let writes = [
        "INSERT INTO customers (id, name, created_at) VALUES (1, 'Carla Núñez', 1), (2, 'Hiro Tanaka', 1)",
        "INSERT INTO customer_emails (email, customer_id) VALUES ('carla@shop.example', 1), ('hiro@work.example', 2)",
        "INSERT INTO tickets (id, subject, customer_id, status, priority, channel, created_at, updated_at)
         VALUES (1, 'Refund for order 48213', 1, 'open', 'high', 'email', 1, 1),
                (2, 'Parcel never arrived', 2, 'new', 'normal', 'email', 2, 2),
                (3, 'Café crème machine', 2, 'new', 'normal', 'web', 3, 3)",
        "INSERT INTO messages (ticket_id, kind, body, created_at) VALUES
            (1, 'customer', 'My order arrived broken; I want my money back.', 1),
            (2, 'customer', 'The parcel 48213-B was lost by the carrier', 2),
            (3, 'customer', 'The café machine leaks. Order ref: X-77', 3)",
    ];
    for write in writes {
        conn.execute_batch(write).unwrap();
        client.batch_execute(write).unwrap();
    }
    conn.execute_batch(
        "INSERT INTO ticket_search (rowid, subject, body, customer) SELECT id, subject, body, customer FROM ticket_search_docs",
    )
    .unwrap();
    client
        .batch_execute(
            "INSERT INTO ticket_search (ticket_id, document)
             SELECT id, frontdesk_search_document(subject, body, customer) FROM ticket_search_docs",
        )
        .unwrap();
    let word = |w: &str| Term::Word(w.into());
    let queries: Vec<(Vec<Term>, Vec<i64>)> = vec![
        (vec![word("refund")], vec![1]),
        (vec![word("ORDER")], vec![1, 3]),
        (vec![Term::Phrase("order 48213".into())], vec![1]),
        (vec![Term::Phrase("48213 order".into())], vec![]),
        (vec![Term::Prefix("parc".into())], vec![2]),
        (vec![word("nunez")], vec![1]),
        (vec![word("Núñez"), word("refund")], vec![1]),
        (vec![word("cafe")], vec![3]),
        (vec![Term::Prefix("crem".into())], vec![3]),
        (vec![word("shop")], vec![1]),
        (vec![word("carla@shop.example")], vec![1]),
        (vec![word("48213")], vec![1, 2]),
        (vec![word("x-77")], vec![3]),
        (vec![word("hiro"), Term::Prefix("arr".into())], vec![2]),
        (vec![word("nothing")], vec![]),
    ];
    for (terms, expected) in queries {
        let mut found_sqlite: Vec<i64> = conn
            .prepare("SELECT rowid FROM ticket_search WHERE ticket_search MATCH ?1")
            .unwrap()
            .query_map([fts_expression(&terms)], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        found_sqlite.sort();
        let query = tsquery(&terms).unwrap();
        let found_postgres: Vec<i64> = client
            .query(
                "SELECT ticket_id FROM ticket_search WHERE document @@ to_tsquery('frontdesk', $1) ORDER BY 1",
                &[&query],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(found_sqlite, expected, "SQLite, {terms:?}");
        assert_eq!(found_postgres, expected, "PostgreSQL, {terms:?} as {query}");
    }
    // The index is used: a GIN search, not a scan of every document.
    client.batch_execute("SET enable_seqscan = off").unwrap();
    let plan: Vec<String> = client
        .query("EXPLAIN SELECT ticket_id FROM ticket_search WHERE document @@ to_tsquery('frontdesk', 'refund')", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(plan.iter().any(|l| l.contains("ticket_search_words")), "{plan:?}");
    // And the filter's trigram index, kept by the triggers, finds substrings without accents.
    let found: Vec<i64> = client
        .query("SELECT ticket_id FROM ticket_filter WHERE frontdesk_fold(text) LIKE '%' || frontdesk_fold($1) || '%' ORDER BY 1", &[&"NUÑE"])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(found, vec![1]);
}

use crate::support::cli::Desk;
use crate::support::postgres::{sqlite, Postgres, PASSWORD};
use std::collections::BTreeMap;
use std::path::Path;

/// Every table of a SQLite desk but the FTS5 tables' own, each as its rows in order, every value
/// with its storage class.
fn tables(path: &Path) -> BTreeMap<String, Vec<Vec<String>>> {
    let conn = sqlite(path);
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT LIKE 'ticket_search%' AND name NOT LIKE 'ticket_filter%'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut all = BTreeMap::new();
    for name in names {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{name}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<Vec<String>> = stmt
            .query_map([], |r| {
                (0..n).map(|i| Ok(format!("{:?}", r.get_ref(i)?))).collect::<rusqlite::Result<Vec<String>>>()
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.sort();
        all.insert(name, rows);
    }
    all
}

fn ids(conn: &rusqlite::Connection, sql: &str) -> Vec<i64> {
    conn.prepare(sql).unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
#[ignore = "needs PostgreSQL: initdb and pg_ctl (apt-get install postgresql; see .ci/run)"]
fn a_demo_desk_goes_to_postgresql_and_back_unchanged() {
    let pg = Postgres::start();
    pg.create_database("desk");
    let desk = Desk::with_admin();
    desk.ok(&["demo", "--tickets", "80"]);
    // Text COPY must carry as it is: tabs, line ends, backslashes, `\N`, escapes, bidi controls.
    let hostile = "tab\there\r\nline \\N back\\slash \u{1b}[31mred\u{7} \u{202e}evil Núñez";
    desk.ok(&[
        "ticket",
        "new",
        "--from",
        "eve@evil.example",
        "--name",
        hostile,
        "--subject",
        hostile,
        "--body",
        hostile,
    ]);
    desk.ok(&["ticket", "reply", "81", "--note", "--body", hostile]);
    // Something in every corner: a report's kept figures, a search, a draft-free reply.
    desk.ok(&["report"]);
    desk.ok(&["search", "refund"]);
    let url = pg.socket_url("desk");

    let run = desk.run(&["migrate", "--to", &url], "");
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stderr, "", "no progress bar when stderr is not a terminal");
    let last = run.stdout.lines().last().unwrap();
    assert!(last.starts_with("moved ") && last.contains("every table matches"), "{}", run.stdout);
    assert!(run.stdout.lines().any(|l| l.starts_with("tickets ") && l.contains(" 81 ")), "{}", run.stdout);

    let mut client = pg.client("desk");
    let tickets: i64 = client.query_one("SELECT count(*) FROM tickets", &[]).unwrap().get(0);
    assert_eq!(tickets, 81);
    let subject: String = client.query_one("SELECT subject FROM tickets WHERE id = 81", &[]).unwrap().get(0);
    let stored: String = sqlite(&desk.db)
        .query_row("SELECT body FROM messages WHERE ticket_id = 81 ORDER BY id LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert!(
        stored.contains("\\N back\\slash \u{1b}[31m") && stored.contains('\t'),
        "the file holds it raw: {stored:?}"
    );
    let body: String =
        client.query_one("SELECT body FROM messages WHERE ticket_id = 81 ORDER BY id LIMIT 1", &[]).unwrap().get(0);
    assert_eq!(body, stored, "PostgreSQL holds the text as it was");
    assert!(subject.contains("Núñez"));
    let counted: i64 = client.query_one("SELECT sum(n)::bigint FROM ticket_counts", &[]).unwrap().get(0);
    assert_eq!(counted, 81, "the kept counts came along");
    let indexed: i64 = client.query_one("SELECT count(*) FROM ticket_search", &[]).unwrap().get(0);
    assert_eq!(indexed, 81, "every ticket is in PostgreSQL's search index");
    // New rows get new numbers after the copied ones.
    let next: i64 = client
        .query_one(
            "INSERT INTO agents (login, name, role, created_at) VALUES ('zed', 'Zed', 'agent', 1) RETURNING 1::bigint",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(next, 1);
    client.batch_execute("DELETE FROM agents WHERE login = 'zed'").unwrap();
    let max: i64 = client.query_one("SELECT max(id) FROM messages", &[]).unwrap().get(0);
    let id: i64 = client
        .query_one(
            "INSERT INTO messages (ticket_id, kind, body, created_at) VALUES (1, 'note', 'x', 1) RETURNING id",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(id, max + 1);
    client.batch_execute(&format!("DELETE FROM messages WHERE id = {id}; DELETE FROM search_queue; DELETE FROM ticket_search WHERE ticket_id = 1; INSERT INTO ticket_search SELECT id, frontdesk_search_document(subject, body, customer) FROM ticket_search_docs WHERE id = 1")).unwrap();

    let back = desk.path("back.db");
    let run = desk.by("ana").on(&back).run(&["migrate", "--from", &url]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("every table matches"), "{}", run.stdout);

    let (before, after) = (tables(&desk.db), tables(&back));
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    for (name, rows) in &before {
        assert_eq!(rows, &after[name], "the table {name}");
    }
    assert!(before["tickets"].len() == 81 && !before["ticket_report_facts"].is_empty());

    // What the desk shows and finds is the same.
    for number in ["1", "17", "80", "81"] {
        assert_eq!(
            desk.json(&["ticket", "show", number, "--json"]),
            desk.by("ana").on(&back).json(&["ticket", "show", number, "--json"])
        );
    }
    for query in ["refund", "order*", "\"arrived broken\"", "status:open", "nunez", "evil"] {
        assert_eq!(
            desk.json(&["search", query, "--json"]),
            desk.by("ana").on(&back).json(&["search", query, "--json"]),
            "{query}"
        );
    }
    let (a, b) = (sqlite(&desk.db), sqlite(&back));
    let filter = "SELECT rowid FROM ticket_filter WHERE ticket_filter MATCH 'der' ORDER BY 1";
    assert_eq!(ids(&a, filter), ids(&b, filter), "the filter index was built");
    let check = desk.by("ana").on(&back).run(&["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}

#[test]
#[ignore = "needs PostgreSQL: initdb and pg_ctl (apt-get install postgresql; see .ci/run)"]
fn a_database_with_a_desk_and_an_existing_file_are_refused_and_nothing_changes() {
    let pg = Postgres::start();
    pg.create_database("desk");
    let desk = Desk::with_admin();
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Refund"]);
    let url = pg.socket_url("desk");
    // The move as a script reads it: each table with its rows, the same on both sides.
    let moved = desk.json(&["migrate", "--to", &url, "--json"]);
    assert!(moved["to"].as_str().is_some_and(|to| to.contains("desk")), "{moved}");
    let tickets = moved["tables"].as_array().unwrap().iter().find(|t| t["table"] == "tickets").cloned().unwrap();
    assert_eq!(
        (&tickets["source_rows"], &tickets["copy_rows"], &tickets["matches"]),
        (&1.into(), &1.into(), &true.into())
    );
    desk.ok(&["ticket", "new", "--from", "hiro@work.example", "--subject", "Login"]);
    let run = desk.run(&["migrate", "--to", &url], "");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(&format!("frontdesk: PostgreSQL at postgres://desk@:{}/desk?host=", pg.port)),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("already holds a desk (its table ")
            && run.stderr.ends_with("migrate --to needs an empty database\n"),
        "{}",
        run.stderr
    );
    let tickets: i64 = pg.client("desk").query_one("SELECT count(*) FROM tickets", &[]).unwrap().get(0);
    assert_eq!(tickets, 1, "the first copy is as it was");

    let run = desk.run(&["migrate", "--from", &url], "");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("already exists; migrate --from writes a new file"), "{}", run.stderr);
    assert_eq!(desk.json(&["ticket", "list", "--json"]).as_array().unwrap().len(), 2, "the file is untouched");

    // A copy that fails half-way leaves nothing behind: text PostgreSQL cannot hold.
    pg.create_database("other");
    let conn = sqlite(&desk.db);
    conn.execute("UPDATE tickets SET subject = 'nul ' || char(0) || ' here' WHERE id = 2", []).unwrap();
    let run = desk.run(&["migrate", "--to", &pg.socket_url("other")], "");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("a row of tickets holds a NUL character"), "{}", run.stderr);
    let mut other = pg.client("other");
    let rows: i64 = other.query_one("SELECT count(*) FROM customers", &[]).unwrap().get(0);
    assert_eq!(rows, 0, "all or nothing");
}

#[test]
#[ignore = "needs PostgreSQL: initdb and pg_ctl (apt-get install postgresql; see .ci/run)"]
fn over_loopback_the_password_comes_from_pgpass_or_the_config_command() {
    use std::os::unix::fs::PermissionsExt;
    let pg = Postgres::start();
    pg.create_database("desk");
    pg.create_database("second");
    let desk = Desk::with_admin();
    let url = pg.tcp_url("desk", "disable");
    let run = desk.run(&["migrate", "--to", &url], "");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("frontdesk: cannot connect to PostgreSQL at postgres://desk@127.0.0.1:"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);

    // HOME is the desk's folder for the commands the tests run.
    let pgpass = desk.path(".pgpass");
    std::fs::write(&pgpass, format!("127.0.0.1:{}:desk:desk:{PASSWORD}\n", pg.port)).unwrap();
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    desk.ok(&["migrate", "--to", &url]);

    let config = desk.path("config.toml");
    std::fs::write(&config, format!("[store]\npassword_command = \"printf {PASSWORD}\"\n")).unwrap();
    desk.ok(&["--config", &config.display().to_string(), "migrate", "--to", &pg.tcp_url("second", "disable")]);
}

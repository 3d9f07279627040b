//! `--db`, `FRONTDESK_DB` and `[store] url` take a file or a PostgreSQL URL; what cannot be used
//! is one sentence, and nothing is created under a URL's name.

use crate::support::cli::Desk;

fn files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn a_postgres_url_is_understood_and_refused_in_one_sentence_without_making_a_file() {
    let desk = Desk::with_admin();
    let before = files(desk.dir.path());
    for url in [
        "postgres://ana@db.example/desk",
        "postgresql://db.example:6432/desk?sslmode=verify-full",
        "host=db.example dbname=desk",
    ] {
        let run = desk
            .by("ana")
            .on(std::path::Path::new(url))
            .command(&["ticket", "list"])
            .current_dir(desk.dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{url}: {stderr}");
        assert!(
            stderr.starts_with("frontdesk: the PostgreSQL backend can take a desk in and give it back (frontdesk migrate) but cannot open one yet;"),
            "{url}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    assert_eq!(files(desk.dir.path()), before, "no file named after a URL");
    assert!(!desk.dir.path().join("postgres:").exists());
}

#[test]
fn a_wrong_url_gets_one_sentence_and_a_password_in_it_is_refused_unrepeated() {
    let desk = Desk::with_admin();
    let cases = [
        ("mysql://db.example/desk", "is not a database frontdesk can use"),
        ("postgres://db.example:99999/desk", "is not a port number"),
        ("postgres://db.example/desk?sslmode=sometimes", "use disable, prefer, require, verify-ca or verify-full"),
        ("postgres://ana:hunter2@db.example/desk", "holds a password"),
        ("host=db.example password=hunter2", "holds a password"),
    ];
    for (url, expected) in cases {
        let run = desk.by("ana").on(std::path::Path::new(url)).run(&["ticket", "list"]);
        assert_eq!(run.code, 1, "{url}");
        assert!(run.stderr.contains(expected), "{url}: {}", run.stderr);
        assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
}

#[test]
fn the_config_names_the_desk_unless_db_does() {
    let desk = Desk::with_config("[store]\nurl = \"postgres://ana@db.example/desk\"\n");
    let config = desk.config.clone().unwrap();
    // The test's commands name --db: the file is used.
    assert_eq!(desk.json(&["ticket", "list", "--json"]), serde_json::json!([]));
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(["--config", &config.display().to_string(), "ticket", "list"])
        .env_remove("FRONTDESK_DB")
        .env("HOME", desk.dir.path())
        .env("XDG_DATA_HOME", desk.path("data"))
        .env("XDG_STATE_HOME", desk.path("state"))
        .env("USER", "ana")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the PostgreSQL backend can take a desk in"), "{stderr}");
    assert!(stderr.contains("postgres://ana@db.example/desk"), "{stderr}");
}

#[test]
fn migrate_says_what_is_wrong_in_one_sentence() {
    let desk = Desk::with_admin();
    let run = desk.run(&["migrate"], "");
    assert_eq!(run.code, 2, "a usage error: {}", run.stderr);
    let run = desk.run(&["migrate", "--to", "x.db"], "");
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (1, "frontdesk: 'x.db' is not a PostgreSQL URL; write postgres://user@host/desk or 'host=… dbname=…'\n")
    );
    // Nothing listens on port 1 of loopback: a real refused connection, one sentence.
    let run = desk.run(&["migrate", "--to", "postgres://desk@127.0.0.1:1/desk?sslmode=disable&connect_timeout=5"], "");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "frontdesk: cannot connect to PostgreSQL at postgres://desk@127.0.0.1:1/desk?sslmode=disable: "
        ),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    let run = desk.by("ana").on(std::path::Path::new("missing.db")).run(&["migrate", "--to", "postgres://h/d"]);
    assert!(run.stderr.contains("there is no desk at missing.db to migrate"), "{}", run.stderr);
}

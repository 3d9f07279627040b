//! Runs the built binary on temporary desks, with every home folder pointed into a temp dir.

use crate::support::cli::Desk;
use serde_json::Value;
use std::path::Path;

fn new_ticket(desk: &Desk, from: &str, subject: &str) {
    desk.ok(&["ticket", "new", "--from", from, "--subject", subject, "--body", "help"]);
}

fn ids(tickets: &Value) -> Vec<i64> {
    tickets.as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect()
}

#[test]
fn init_registers_the_first_admin_once() {
    let desk = Desk::empty();
    let out = desk.ok(&["init"]);
    assert!(out.contains("registered ana as its first admin"), "{out}");
    let again = desk.ok(&["init"]);
    assert!(!again.contains("registered"), "{again}");
    let agents = desk.json(&["agent", "list", "--json"]);
    assert_eq!(agents[0]["login"], "ana");
    assert_eq!(agents[0]["role"], "admin");
    assert_eq!(agents.as_array().unwrap().len(), 1);
}

#[test]
fn a_login_that_is_not_an_agent_is_refused() {
    let desk = Desk::with_admin();
    let run = desk.by("bob").run(&["ticket", "list"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr.trim(),
        "frontdesk: you (bob) are not an agent on this desk; an admin can add you with: frontdesk agent add bob"
    );
}

#[test]
fn admins_add_agents_and_act_as_them() {
    let desk = Desk::with_admin();
    desk.ok(&["agent", "add", "bob", "--name", "Bob Stone"]);
    new_ticket(&desk, "carla@x.example", "Refund");
    desk.ok(&["--as", "bob", "ticket", "set", "1", "--assign", "me"]);
    let ticket = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!(ticket["assignee"], "bob");
    assert_eq!(ticket["events"].as_array().unwrap().last().unwrap()["actor"], "bob");

    let run = desk.by("bob").run(&["--as", "ana", "ticket", "list"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("only an admin can act as another agent"), "{}", run.stderr);
    let run = desk.by("bob").run(&["agent", "add", "cy"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("only an admin can add agents"), "{}", run.stderr);
    let run = desk.by("ana").run(&["--as", "ghost", "ticket", "list"]);
    assert_eq!(run.stderr.trim(), "frontdesk: agent 'ghost' does not exist");
}

#[test]
fn a_ticket_goes_from_new_to_pending_with_its_history() {
    let desk = Desk::with_admin();
    let out = desk.ok(&[
        "ticket",
        "new",
        "--from",
        "carla@x.example",
        "--name",
        "Carla Núñez",
        "--subject",
        "Refund",
        "--body",
        "It broke",
    ]);
    assert!(out.contains("#1"), "{out}");
    desk.ok(&["ticket", "reply", "1", "--body", "Sorry, refunding now"]);
    desk.ok(&["ticket", "set", "1", "--status", "pending"]);
    let t = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!(t["id"], 1);
    assert_eq!(t["status"], "pending");
    assert_eq!(t["customer"]["name"], "Carla Núñez");
    assert_eq!(t["customer"]["email"], "carla@x.example");
    assert!(t["first_response_at"].as_str().unwrap().ends_with('Z'));
    let kinds: Vec<_> = t["messages"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["customer", "reply"]);
    assert_eq!(t["messages"][1]["author"], "ana");
    assert_eq!(t["messages"][1]["body"], "Sorry, refunding now");
    let status_event = t["events"].as_array().unwrap().iter().find(|e| e["new"] == "pending").unwrap();
    assert_eq!(status_event["field"], "status");
    assert_eq!(status_event["old"], "open");
    assert_eq!(status_event["actor"], "ana");
}

#[test]
fn the_reply_body_comes_from_stdin_and_must_not_be_empty() {
    let desk = Desk::with_admin();
    new_ticket(&desk, "carla@x.example", "Refund");
    let run = desk.by("ana").run_with_stdin(&["ticket", "reply", "1", "--note"], "carrier claim CL-2291\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let t = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!(t["messages"][1]["kind"], "note");
    assert_eq!(t["messages"][1]["body"], "carrier claim CL-2291\n");
    let run = desk.by("ana").run_with_stdin(&["ticket", "reply", "1"], "  \n");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("the reply is empty"), "{}", run.stderr);
}

#[test]
fn ticket_list_filters_by_status_assignee_tag_and_limit() {
    let desk = Desk::with_admin();
    desk.ok(&["agent", "add", "bob"]);
    for n in 1..=4 {
        new_ticket(&desk, &format!("c{n}@x.example"), &format!("Ticket {n}"));
    }
    desk.ok(&["ticket", "set", "1", "--assign", "me", "--status", "pending"]);
    desk.ok(&["ticket", "set", "2", "--assign", "bob", "--tag", "Refund Request"]);
    desk.ok(&["ticket", "set", "3", "--tag", "refund-request"]);
    // By update time: the default order puts the customers waiting on us first (see cli::waiting).
    let list = |extra: &[&str]| ids(&desk.json(&[&["ticket", "list", "--json", "--sort", "updated"], extra].concat()));
    assert_eq!(list(&[]), [3, 2, 1, 4]);
    assert_eq!(list(&["--status", "pending"]), [1]);
    assert_eq!(list(&["--status", "new"]), [3, 2, 4]);
    assert_eq!(list(&["--assignee", "me"]), [1]);
    assert_eq!(list(&["--assignee", "bob"]), [2]);
    assert_eq!(list(&["--assignee", "none"]), [3, 4]);
    assert_eq!(list(&["--tag", "refund-request"]), [3, 2]);
    assert_eq!(list(&["--limit", "2"]), [3, 2]);
    let table = desk.ok(&["ticket", "list", "--assignee", "bob"]);
    assert!(table.starts_with("ID  STATUS"), "{table}");
    assert!(table.contains("Ticket 2"), "{table}");
}

#[test]
fn an_unknown_ticket_is_one_sentence_and_exit_1() {
    let desk = Desk::with_admin();
    let run = desk.by("ana").run(&["ticket", "show", "99999"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "frontdesk: ticket #99999 does not exist\n");
}

#[test]
fn a_bad_status_is_a_usage_error() {
    let desk = Desk::with_admin();
    let run = desk.by("ana").run(&["ticket", "list", "--status", "done"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("new, open, pending, on_hold, solved, closed"), "{}", run.stderr);
}

#[test]
fn a_bad_config_names_file_and_line() {
    let desk = Desk::with_admin();
    let config = desk.dir.path().join("bad.toml");
    std::fs::write(&config, "[ui]\ntheme = 3\n").unwrap();
    let run = desk.by("ana").run(&["--config", config.to_str().unwrap(), "ticket", "list"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(&config.display().to_string()), "{}", run.stderr);
    assert!(run.stderr.contains("line 2"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn config_path_and_dump() {
    let desk = Desk::empty();
    let out = desk.ok(&["config", "path"]);
    assert!(out.contains(&desk.db.display().to_string()), "{out}");
    let config_dir = desk.dir.path().join("config").join("frontdesk").join("config.toml");
    assert!(out.contains(&config_dir.display().to_string()), "{out}");
    assert!(out.contains(&desk.dir.path().join("state").display().to_string()), "{out}");
    assert!(!desk.db.exists(), "config path must not create the database");
    let dump = desk.ok(&["config", "dump"]);
    let parsed = frontdesk::config::parse(&dump, Path::new("dump")).unwrap();
    assert_eq!(parsed, frontdesk::config::Config::default());
}

#[test]
fn hostile_subjects_are_shown_as_text_and_kept_exact_in_json() {
    let desk = Desk::with_admin();
    new_ticket(&desk, "eve@x.example", "Refund\x1b[2J");
    new_ticket(&desk, "eve@x.example", "\x1b]0;x\x07");
    for args in
        [&["ticket", "list"][..], &["ticket", "show", "1"], &["ticket", "show", "2"], &["customer", "show", "1"]]
    {
        let out = desk.ok(args);
        assert!(!out.contains('\x1b') && !out.contains('\x07'), "{args:?}: {out:?}");
    }
    assert!(desk.ok(&["ticket", "list"]).contains("Refund^[[2J"));
    assert!(desk.ok(&["ticket", "show", "2"]).contains("^[]0;x^G"));
    let list = desk.json(&["ticket", "list", "--json", "--sort", "updated"]);
    assert_eq!(list[0]["subject"], "\x1b]0;x\x07");
    assert_eq!(list[1]["subject"], "Refund\x1b[2J");
}

#[test]
fn the_console_needs_a_terminal() {
    let desk = Desk::with_admin();
    let run = desk.by("ana").run(&[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "frontdesk: this console needs a terminal (use ssh -t)\n");
}

#[test]
fn customers_list_and_show() {
    let desk = Desk::with_admin();
    new_ticket(&desk, "Carla@X.example", "First");
    new_ticket(&desk, "carla@x.example", "Second");
    let customers = desk.json(&["customer", "list", "--json"]);
    assert_eq!(customers.as_array().unwrap().len(), 1);
    assert_eq!(customers[0]["tickets"], 2);
    let carla = desk.json(&["customer", "show", "1", "--json"]);
    assert_eq!(carla["emails"][0], "carla@x.example");
    assert_eq!(carla["tier"], "standard");
    assert_eq!(ids(&carla["tickets"]), [2, 1]);
    let run = desk.by("ana").run(&["customer", "show", "7"]);
    assert_eq!((run.code, run.stderr.as_str()), (1, "frontdesk: customer 7 does not exist\n"));
}

#[test]
fn the_example_config_is_the_default_config() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let uncommented: String = text
        .lines()
        // A setting is commented as `#key = value`; prose and examples have a space after `#`.
        .filter_map(|l| l.strip_prefix('#'))
        .filter(|l| l.starts_with(|c: char| !c.is_whitespace() && c != '#'))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(frontdesk::config::parse(&text, &path).unwrap(), frontdesk::config::Config::default());
    let defaults = frontdesk::config::parse(&uncommented, &path).unwrap();
    assert_eq!(defaults, frontdesk::config::Config::default(), "uncommented:\n{uncommented}");
    // Every key of the config is documented, with its default value.
    for setting in defaults.to_toml().lines().filter(|l| l.contains(" = ")) {
        assert!(uncommented.lines().any(|l| l == setting), "{setting} is not in config.example.toml");
    }
}

#[test]
fn a_log_that_cannot_be_opened_does_not_stop_the_program() {
    let desk = Desk::with_admin();
    let not_a_folder = desk.dir.path().join("state-file");
    std::fs::write(&not_a_folder, "").unwrap();
    let run = desk.command(&["ticket", "list"]).env("XDG_STATE_HOME", &not_a_folder).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(run.stderr.is_empty());
}

#[test]
fn logs_go_to_the_state_folder_not_the_terminal() {
    let desk = Desk::with_admin();
    let run = desk.by("ana").run(&["ticket", "show", "5"]);
    assert_eq!(run.stderr.lines().count(), 1);
    let log = frontdesk::cli::logging::log_file(&desk.dir.path().join("state").join("frontdesk"));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("ticket #5 does not exist"), "{text}");
}

#[test]
fn demo_uses_its_own_database_whatever_db_says() {
    let desk = Desk::empty();
    let out = desk.ok(&["--demo", "config", "path"]);
    let demo_db = desk.dir.path().join("data").join("frontdesk").join("demo.db");
    assert!(out.contains(&demo_db.display().to_string()), "{out}");
    assert!(!out.contains(&desk.db.display().to_string()), "{out}");
}

#[test]
fn keys_list_as_json() {
    let desk = Desk::empty();
    assert!(desk.json(&["keys", "--json"]).is_array());
}

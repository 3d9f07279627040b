//! `--demo` brings its own config beside its database, and the desk it generates shows it.

use crate::support::cli::Desk;
use serde_json::Value;
use std::path::PathBuf;

fn demo_folder(desk: &Desk) -> PathBuf {
    desk.dir.path().join("data").join("frontdesk").join("demo")
}

/// The states of a ticket's clocks, as `ticket list --json` gives them.
fn clock_states(ticket: &Value) -> Vec<&str> {
    let kinds = ["first_response", "next_response", "resolution"];
    kinds.iter().filter_map(|k| ticket["sla"][k]["state"].as_str()).collect()
}

/// The states of the tickets' clocks still running.
fn running_states(tickets: &[Value]) -> Vec<&str> {
    tickets.iter().flat_map(clock_states).filter(|s| matches!(*s, "ok" | "warning" | "breached")).collect()
}

#[test]
fn the_demo_writes_its_config_beside_its_database_and_loads_it() {
    let desk = Desk::empty();
    let out = desk.ok(&["--demo", "config", "path"]);
    let config = demo_folder(&desk).join("config.toml");
    assert!(out.contains(&format!("config    {}", config.display())), "{out}");
    assert!(out.contains(&format!("macros    {}", demo_folder(&desk).join("macros").display())), "{out}");
    assert!(config.is_file());
    for name in ["greeting.toml", "order-number.toml", "thanks-solved.toml"] {
        assert!(demo_folder(&desk).join("macros").join(name).is_file(), "{name}");
    }
    let dump = desk.ok(&["--demo", "config", "dump"]);
    for wanted in
        ["hours = \"business\"", "time_zone = \"Europe/London\"", "name = \"Urgent & high\"", "name = \"VIP\""]
    {
        assert!(dump.contains(wanted), "{wanted} not in:\n{dump}");
    }
    assert!(dump.contains("[sla.raise_priority]") && dump.contains("tier = \"vip\""), "{dump}");
}

#[test]
fn an_edited_demo_config_is_kept_and_a_named_one_wins() {
    let desk = Desk::empty();
    desk.ok(&["--demo", "config", "path"]);
    let config = demo_folder(&desk).join("config.toml");
    let edited = std::fs::read_to_string(&config).unwrap().replace("default_view = \"open\"", "default_view = \"VIP\"");
    std::fs::write(&config, &edited).unwrap();
    let greeting = demo_folder(&desk).join("macros").join("greeting.toml");
    std::fs::write(&greeting, "name = \"Greeting\"\nbody = \"Hello {{customer.first_name}}!\"\n").unwrap();
    assert!(desk.ok(&["--demo", "config", "dump"]).contains("default_view = \"VIP\""));
    assert_eq!(std::fs::read_to_string(&config).unwrap(), edited);
    assert!(std::fs::read_to_string(&greeting).unwrap().contains("Hello"));

    let mine = desk.path("mine.toml");
    std::fs::write(&mine, "[queue]\npage_size = 50\n").unwrap();
    let out = desk.ok(&["--demo", "--config", mine.to_str().unwrap(), "config", "dump"]);
    assert!(out.contains("page_size = 50") && !out.contains("[sla"), "{out}");
}

#[test]
fn a_broken_demo_config_is_one_clear_error_naming_it() {
    let desk = Desk::empty();
    desk.ok(&["--demo", "config", "path"]);
    let config = demo_folder(&desk).join("config.toml");
    std::fs::write(&config, "[sla]\nhours = \"office\"\n").unwrap();
    let run = desk.run(&["--demo", "config", "dump"], "");
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains(&config.display().to_string()) && run.stderr.contains("office"), "{}", run.stderr);
    assert!(std::fs::read_to_string(&config).unwrap().contains("office"), "the file is left as it was");
}

#[test]
fn the_demo_desk_has_clocks_breaches_and_the_demo_canned_replies() {
    let desk = Desk::empty();
    let args = ["--demo", "ticket", "list", "--status", "new", "--status", "open", "--limit", "20", "--json"];
    let list = desk.json(&args);
    let tickets = list.as_array().unwrap();
    assert_eq!(tickets.len(), 20);
    let states = running_states(tickets);
    assert!(states.len() >= 20, "every new or open ticket has a running clock: {states:?}");
    assert!(states.contains(&"breached"), "{states:?}");
    assert!(
        states.iter().filter(|s| **s == "breached").count() <= 6,
        "a breach or a few, not a desk on fire: {states:?}"
    );
    // Due order: the breached ones come first.
    assert!(clock_states(&tickets[0]).contains(&"breached"), "{}", tickets[0]);

    let table = desk.ok(&["--demo", "ticket", "list", "--status", "open", "--limit", "10"]);
    assert!(table.lines().next().unwrap().contains("DUE"), "{table}");
    assert!(table.contains("breached -"), "{table}");

    let macros = desk.ok(&["--demo", "ticket", "macros"]);
    for name in ["Greeting", "Ask for the order number", "Thanks, solved"] {
        assert!(macros.contains(name), "{name} not in:\n{macros}");
    }

    // The demo's own replies work on its tickets: a greeting by first name, a question that waits.
    let ticket = &tickets[1];
    let id = ticket["id"].as_i64().unwrap().to_string();
    let first_name = ticket["customer"]["name"].as_str().unwrap().split_whitespace().next().unwrap().to_string();
    desk.ok(&["--demo", "ticket", "reply", &id, "--macro", "Ask for the order number"]);
    let shown = desk.json(&["--demo", "ticket", "show", &id, "--json"]);
    assert_eq!(shown["status"], "pending");
    let messages = shown["messages"].as_array().unwrap();
    let body = messages.last().unwrap()["body"].as_str().unwrap();
    assert!(body.starts_with(&format!("Hi {first_name},")), "{body}");
}

#[test]
fn demo_json_prints_what_it_generated_as_the_desk_then_lists_it() {
    let desk = Desk::with_admin();
    let made = desk.json(&["demo", "--tickets", "12", "--seed", "5", "--json"]);
    assert_eq!(made["db"], desk.db.to_str().unwrap());
    assert_eq!((made["tickets"].as_u64(), made["seed"].as_u64()), (Some(12), Some(5)));
    let count = |args: &[&str]| desk.json(args).as_array().unwrap().len() as u64;
    assert_eq!(made["tickets"], count(&["ticket", "list", "--view", "all", "--limit", "1000", "--json"]));
    assert_eq!(made["customers"], count(&["customer", "list", "--json"]));
    assert_eq!(made["organizations"], count(&["org", "list", "--json"]));
    assert_eq!(made["agents"], count(&["agent", "list", "--json"]), "ana, the admin who ran it, is one of them");
    let messages: usize = (1..=12)
        .map(|id| desk.json(&["ticket", "show", &id.to_string(), "--json"])["messages"].as_array().unwrap().len())
        .sum();
    assert_eq!(made["messages"], messages as u64);
    assert!(made["customers"].as_u64().unwrap() >= 1);
}

#[test]
fn demo_on_a_desk_that_holds_tickets_is_one_sentence_and_changes_nothing() {
    let desk = Desk::with_admin();
    desk.ok(&["demo", "--tickets", "5", "--seed", "3"]);
    let before = desk.json(&["ticket", "list", "--view", "all", "--json"]);
    let again = desk.run(&["demo", "--tickets", "5", "--json"], "");
    assert_eq!((again.code, again.stdout.as_str()), (1, ""));
    assert!(again.stderr.contains("already holds 5 tickets; demo fills an empty desk"), "{}", again.stderr);
    assert_eq!(again.stderr.lines().count(), 1, "{}", again.stderr);
    assert_eq!(desk.json(&["ticket", "list", "--view", "all", "--json"]), before);
}

#[test]
fn demo_leaves_the_due_times_and_every_tickets_report_figures_worked_out_under_its_config() {
    let config = "[sla]\nhours = \"calendar\"\n[[sla.policies]]\npriority = \"normal\"\nfirst_response = \"4h\"\nresolution = \"2d\"\n";
    let desk = Desk::with_config(config);
    desk.ok(&["demo", "--tickets", "30", "--seed", "4"]);
    let store = frontdesk::store::Store::open(&desk.db).unwrap();
    assert_eq!(store.report_facts_kept().unwrap(), (30, 0), "a row for every ticket, none stale");
    let parsed = frontdesk::config::parse(config, desk.config.as_deref().unwrap()).unwrap();
    let (policies, default_hours) = (parsed.sla_policies(), parsed.sla_hours());
    let now = chrono::Utc::now();
    let rules = frontdesk::domain::report::Rules { policies: &policies, default_hours: &default_hours, now };
    assert_eq!(store.refresh_report_facts(&rules).unwrap(), 0, "kept under the config's rules: nothing to work out");
    assert_eq!(store.report_facts_drift(&rules).unwrap(), Default::default(), "and each as the events give it");
    assert_eq!(store.refresh_due(&policies, 1, true).unwrap(), 0, "the due times follow the config's policies");
}

//! The command line of issue 6: SLA clocks, macros, ratings, snooze, run on temporary desks.

use crate::support::cli::{Desk, Run};

const SLA: &str = "[sla]\n[[sla.policies]]\npriority = \"urgent\"\nfirst_response = \"2s\"\nresolution = \"1d\"\n";

#[test]
fn an_urgent_ticket_counts_down_breaches_on_time_and_stops_at_the_first_reply() {
    let desk = Desk::with_config(SLA);
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Down", "--priority", "urgent"]);
    let shown = desk.json(&["ticket", "show", "1", "--json"]);
    let first = &shown["sla"]["first_response"];
    assert!(matches!(first["state"].as_str(), Some("ok" | "warning")), "{shown}");
    assert!(first["remaining_seconds"].as_i64().unwrap() <= 2);
    assert!(first["due_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(shown["sla"]["resolution"]["state"], "ok");
    assert!(shown["sla"].get("next_response").is_none());

    std::thread::sleep(std::time::Duration::from_millis(3_100));
    let listed = desk.json(&["ticket", "list", "--json"]);
    assert_eq!(listed[0]["sla"]["first_response"]["state"], "breached", "{listed}");
    assert!(listed[0]["sla"]["first_response"]["remaining_seconds"].as_i64().unwrap() <= -1);

    let table = desk.ok(&["ticket", "list"]);
    assert!(table.lines().next().unwrap().contains(" DUE "), "{table}");
    assert!(table.contains("breached -"), "{table}");
    desk.ok(&["ticket", "reply", "1", "--body", "On it."]);
    let replied = desk.json(&["ticket", "show", "1", "--json"]);
    let first = &replied["sla"]["first_response"];
    assert_eq!(first["state"], "breached"); // late is late: the reply stops the clock, it does not undo the breach
    assert!(first["stopped_at"].as_str().is_some());
    assert!(replied["first_response_at"].as_str().is_some());
    let human = desk.ok(&["ticket", "show", "1"]);
    assert!(human.contains("sla: first response was due"), "{human}");
}

#[test]
fn a_reply_in_time_meets_the_clock_and_other_priorities_have_none() {
    let desk = Desk::with_config(&SLA.replace("2s", "1h"));
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Down", "--priority", "urgent"]);
    desk.ok(&["ticket", "new", "--from", "hiro@example.com", "--subject", "Question"]);
    desk.ok(&["ticket", "reply", "1", "--body", "On it."]);
    let shown = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!(shown["sla"]["first_response"]["state"], "met");
    let normal = desk.json(&["ticket", "show", "2", "--json"]);
    assert!(normal.get("sla").is_none(), "{normal}");
}

#[test]
fn a_bad_sla_setting_is_one_clear_error() {
    let desk = Desk::with_config("");
    std::fs::write(
        desk.config.as_ref().unwrap(),
        "[[sla.policies]]\npriority = \"urgent\"\nfirst_response = \"soon\"\n",
    )
    .unwrap();
    let Run { code, stderr, .. } = desk.run(&["ticket", "list"], "");
    assert_eq!(code, 1);
    assert!(stderr.contains("first_response 'soon' is not a duration"), "{stderr}");
}

#[test]
fn a_macro_reply_greets_by_first_name_and_applies_its_actions() {
    let desk = Desk::with_config("");
    desk.ok(&[
        "ticket",
        "new",
        "--from",
        "carla@shop.example",
        "--name",
        "Carla Núñez",
        "--subject",
        "Broken lamp",
        "--body",
        "It broke.",
    ]);
    let listed = desk.ok(&["ticket", "macros"]);
    assert!(listed.contains("Need more information"), "{listed}");
    desk.ok(&["ticket", "reply", "1", "--macro", "need more information"]);
    let shown = desk.json(&["ticket", "show", "1", "--json"]);
    let body = shown["messages"][1]["body"].as_str().unwrap();
    assert!(body.starts_with("Hi Carla,\n"), "{body}");
    assert!(body.contains("\"Broken lamp\""), "{body}");
    assert_eq!(shown["status"], "pending");
}

#[test]
fn a_macro_with_an_unknown_placeholder_is_refused_before_sending() {
    let desk = Desk::with_config("");
    let macros = desk.dir.path().join("macros");
    std::fs::create_dir(&macros).unwrap();
    std::fs::write(macros.join("bad.toml"), "name = \"Bad\"\nbody = \"Hi {{customer.nickname}}\"\n").unwrap();
    std::fs::write(macros.join("sig.toml"), "name = \"Signed\"\nbody = \"Bye\\n{{agent.signature}}\"\n").unwrap();
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Broken lamp", "--body", "It broke."]);
    let Run { code, stderr, .. } = desk.run(&["ticket", "reply", "1", "--macro", "Bad"], "");
    assert_eq!(code, 1);
    assert!(
        stderr.contains("canned reply 'Bad' was not sent: the placeholder {{customer.nickname}} is unknown"),
        "{stderr}"
    );
    let Run { code, stderr, .. } = desk.run(&["ticket", "reply", "1", "--macro", "Signed"], "");
    assert_eq!(code, 1);
    assert!(stderr.contains("{{agent.signature}} is empty"), "{stderr}");
    let Run { code, stderr, .. } = desk.run(&["ticket", "reply", "1", "--macro", "Nope"], "");
    assert_eq!(code, 1);
    assert!(stderr.contains("no canned reply is called 'Nope'"), "{stderr}");
    let shown = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!(shown["messages"].as_array().unwrap().len(), 1, "nothing was sent");
}

#[test]
fn a_csat_rating_shows_in_the_customer_and_the_csat_figure() {
    let desk = Desk::with_config("");
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Lamp", "--body", "Broken."]);
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Chair", "--body", "Broken."]);
    let Run { code, stderr, .. } = desk.run(&["ticket", "rate", "1", "--csat", "5"], "");
    assert_eq!(code, 1);
    assert!(stderr.contains("ticket #1 is new; CSAT is recorded for solved tickets"), "{stderr}");
    desk.ok(&["ticket", "set", "1", "--status", "solved"]);
    desk.ok(&["ticket", "set", "2", "--status", "solved"]);
    desk.ok(&["ticket", "rate", "1", "--csat", "5", "--comment", "Quick and kind"]);
    desk.ok(&["ticket", "rate", "2", "--csat", "bad"]);
    let Run { code, stderr, .. } = desk.run(&["ticket", "rate", "2", "--csat", "7"], "");
    assert_eq!(code, 2, "{stderr}");
    desk.ok(&["customer", "rate", "1", "--nps", "9"]);
    let Run { code, stderr, .. } = desk.run(&["customer", "rate", "1", "--nps", "3"], "");
    assert_eq!(code, 1);
    assert!(stderr.contains("at most once in 30 days"), "{stderr}");

    let customer = desk.json(&["customer", "show", "1", "--json"]);
    let s = &customer["satisfaction"];
    assert_eq!(s["csat_percent"], 50.0);
    assert_eq!(s["nps"], 100.0);
    assert_eq!(s["ratings"].as_array().unwrap().len(), 3);
    let human = desk.ok(&["customer", "show", "1"]);
    assert!(human.contains("satisfaction: CSAT 50% of 2 · NPS 100 of 1"), "{human}");
    assert!(human.contains("CSAT good on #1: Quick and kind"), "{human}");
    let events = desk.json(&["ticket", "show", "1", "--json"])["events"].clone();
    assert!(events.as_array().unwrap().iter().any(|e| e["field"] == "satisfaction" && e["new"] == "5/5"));
}

#[test]
fn a_snoozed_ticket_leaves_the_working_views_until_the_customer_writes() {
    let desk = Desk::with_config("");
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Lamp", "--body", "Broken."]);
    let said = desk.ok(&["ticket", "snooze", "1", "--until", "3d"]);
    assert!(said.starts_with("ticket #1 snoozed until "), "{said}");
    let active = desk.json(&["ticket", "list", "--json", "--status", "new"]);
    assert_eq!(active.as_array().unwrap().len(), 1, "an explicit status still lists it");
    let Run { code, stderr, .. } = desk.run(&["ticket", "snooze", "1", "--until", "someday"], "");
    assert_eq!(code, 1);
    assert!(stderr.contains("'someday' is not a time"), "{stderr}");
    let Run { code, stderr, .. } = desk.run(&["ticket", "snooze", "1", "--until", "2001-01-01"], "");
    assert_eq!(code, 1);
    assert!(stderr.contains("a snooze ends in the future"), "{stderr}");
}

#[test]
fn ticket_snooze_until_reply_has_no_time() {
    let desk = Desk::with_config("");
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Lamp", "--body", "Broken."]);
    assert_eq!(
        desk.ok(&["ticket", "snooze", "1", "--until", "reply"]),
        "ticket #1 snoozed until the customer writes\n"
    );
    let Run { code, stderr, .. } = desk.run(&["ticket", "snooze", "1", "--until", "later"], "");
    assert_eq!(code, 1);
    assert!(stderr.contains("or 'reply'"), "the mistake names the choice: {stderr}");
}

#[test]
fn a_tier_raises_new_tickets_and_tightens_the_sla() {
    let config = "[sla.raise_priority]\ngold = 1\nvip = 5\n\
                  [[sla.policies]]\npriority = \"urgent\"\nfirst_response = \"4h\"\n\
                  [[sla.policies]]\npriority = \"urgent\"\ntier = \"vip\"\nfirst_response = \"30m\"\n";
    let desk = Desk::with_config(config);
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "One", "--body", "x"]);
    desk.ok(&["customer", "set", "1", "--tier", "gold", "--notes", "Prefers email"]);
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Two", "--body", "x"]);
    assert_eq!(desk.json(&["ticket", "show", "2", "--json"])["priority"], "high");
    desk.ok(&["customer", "set", "1", "--tier", "vip"]);
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Three", "--body", "x"]);
    let three = desk.json(&["ticket", "show", "3", "--json"]);
    assert_eq!(three["priority"], "urgent", "raised as far as urgent");
    assert_eq!(three["sla"]["first_response"]["target_seconds"], 1_800, "the vip policy");
    let customer = desk.json(&["customer", "show", "1", "--json"]);
    assert_eq!((customer["tier"].as_str(), customer["notes"].as_str()), (Some("vip"), Some("Prefers email")));
}

#[test]
fn pending_tickets_left_unanswered_are_offered_for_solving() {
    let desk = Desk::with_config("[sla]\nsolve_pending_after_days = 0\n");
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Lamp", "--body", "x"]);
    desk.ok(&["ticket", "new", "--from", "hiro@example.com", "--subject", "Chair", "--body", "x"]);
    assert!(desk.ok(&["ticket", "stale"]).starts_with("no pending ticket has waited 0 days"));
    desk.ok(&["ticket", "set", "1", "--status", "pending"]);
    std::thread::sleep(std::time::Duration::from_millis(5));
    let offered = desk.ok(&["ticket", "stale"]);
    assert!(offered.contains("#1 Lamp (pending since") && !offered.contains("Chair"), "{offered}");
    assert!(offered.contains("solve them with: frontdesk ticket stale --solve"));
    assert_eq!(desk.ok(&["ticket", "stale", "--solve"]), "solved #1 Lamp\n");
    assert_eq!(desk.json(&["ticket", "show", "1", "--json"])["status"], "solved");
}

#[test]
fn admins_merge_tickets_and_customers() {
    let desk = Desk::with_config("");
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Lamp", "--body", "x"]);
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Lamp again", "--body", "y"]);
    desk.ok(&["ticket", "new", "--from", "c.nunez@work.example", "--subject", "Invoice", "--body", "z"]);
    assert_eq!(desk.ok(&["ticket", "merge", "2", "--into", "1"]), "merged #2 into #1 (Lamp); #2 is closed\n");
    assert_eq!(desk.json(&["ticket", "show", "2", "--json"])["status"], "closed");
    let Run { code, stderr, .. } = desk.run(&["ticket", "merge", "3", "--into", "1"], "");
    assert_eq!(code, 1);
    assert!(stderr.contains("different customers"), "{stderr}");
    desk.ok(&["customer", "merge", "2", "--into", "1"]);
    desk.ok(&["ticket", "merge", "3", "--into", "1"]);
    let customer = desk.json(&["customer", "show", "1", "--json"]);
    assert_eq!(customer["emails"].as_array().unwrap().len(), 2);
    desk.ok(&["agent", "add", "hiro"]);
    let Run { code, stderr, .. } = desk.by("hiro").run(&["ticket", "merge", "1", "--into", "2"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("only an admin can merge tickets"), "{stderr}");
}

#[test]
fn a_survey_is_mailed_on_solve_and_its_answer_records_the_rating() {
    let config = "[mail]\naddress = \"support@desk.example\"\nname = \"Desk\"\n\
                  [mail.outbound]\nvia = \"maildir\"\nmaildir = \"out\"\n[sla]\ncsat_survey = true\n";
    let desk = Desk::with_config(config);
    desk.ok(&[
        "ticket",
        "new",
        "--from",
        "carla@shop.example",
        "--name",
        "Carla Núñez",
        "--subject",
        "Lamp",
        "--body",
        "x",
    ]);
    let said = desk.ok(&["ticket", "set", "1", "--status", "solved"]);
    assert!(said.contains("mailed the customer a satisfaction survey for #1"), "{said}");
    let outbox = desk.dir.path().join("data/frontdesk/out/new");
    let files: Vec<_> = std::fs::read_dir(&outbox).unwrap().map(|f| f.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    let survey = std::fs::read_to_string(&files[0]).unwrap();
    assert!(survey.contains("Subject: How did we do? [#1]") && survey.contains("Hi Carla,"), "{survey}");
    let parsed = mail_parser::MessageParser::default().parse(survey.as_bytes()).unwrap();
    assert_eq!(parsed.header_raw("Auto-Submitted").map(str::trim), Some("auto-generated"), "{survey}");
    let id_line = survey.lines().find(|l| l.to_ascii_lowercase().starts_with("message-id:")).unwrap();
    let message_id = id_line.split_once(':').unwrap().1.trim();

    let answer = format!(
        "From: Carla <carla@shop.example>\r\nTo: support@desk.example\r\nSubject: Re: How did we do? [#1]\r\n\
         Message-ID: <answer1@shop.example>\r\nIn-Reply-To: {message_id}\r\n\r\n4 - quick, thanks\r\n\r\n> How did we do?\r\n"
    );
    let path = desk.dir.path().join("answer.eml");
    std::fs::write(&path, answer).unwrap();
    let imported = desk.ok(&["import", path.to_str().unwrap()]);
    assert!(imported.contains("survey answer: #1 rated 4/5"), "{imported}");
    let ticket = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!(ticket["status"], "solved", "the answer does not reopen the ticket");
    assert_eq!(ticket["messages"].as_array().unwrap().len(), 1);
    let satisfaction = &desk.json(&["customer", "show", "1", "--json"])["satisfaction"];
    assert_eq!(satisfaction["csat_percent"], 100.0);
    assert_eq!(satisfaction["ratings"][0]["comment"], "quick, thanks");
}

#[test]
fn without_the_setting_no_survey_is_mailed() {
    let config = "[mail]\naddress = \"support@desk.example\"\n[mail.outbound]\nvia = \"maildir\"\nmaildir = \"out\"\n";
    let desk = Desk::with_config(config);
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Lamp", "--body", "x"]);
    let said = desk.ok(&["ticket", "set", "1", "--status", "solved"]);
    assert!(!said.contains("survey"), "{said}");
    assert!(!desk.dir.path().join("data/frontdesk/out/new").exists());
}

#[test]
fn ticket_list_puts_breached_tickets_first_unless_asked_otherwise() {
    let desk = Desk::with_config(SLA);
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Down", "--priority", "urgent"]);
    for subject in ["Question", "Another question", "A third"] {
        desk.ok(&["ticket", "new", "--from", "otto@shop.example", "--subject", subject]);
    }
    let ids = |args: &[&str]| -> Vec<i64> {
        let list = desk.json(&[&["ticket", "list", "--json"], args].concat());
        list.as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect()
    };
    assert_eq!(ids(&[]), vec![4, 3, 2, 1], "nothing due yet: newest first");
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    assert_eq!(ids(&[]), vec![1, 4, 3, 2], "the breached ticket first");
    assert_eq!(ids(&["--sort", "updated"]), vec![4, 3, 2, 1]);
    assert_eq!(ids(&["--limit", "2"]), vec![1, 4]);
    let Run { code, stderr, .. } = desk.run(&["ticket", "list", "--sort", "age"], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("'age' is not a sort; use due, updated, created or priority"), "{stderr}");
}

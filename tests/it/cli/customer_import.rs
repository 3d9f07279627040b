//! `frontdesk customer import FILE.csv`: customers from a spreadsheet, all lines or none.

use crate::support::cli::Desk;

const GOOD: &str = "Name,Emails,Phone,Organization,Tier,Tags,Notes\n\
    Carla Núñez,carla@shop.example; C.Nunez@work.example,+34 600 000 000,Núñez Imports,gold,key account;refund,Prefers email\n\
    Hiro Tanaka,hiro@tanaka.example,,,silver,,\n\
    ,olu@okafor.example,,Núñez Imports,,,\n";

fn customers(desk: &Desk) -> serde_json::Value {
    desk.json(&["customer", "list", "--json"])
}

#[test]
fn a_good_file_makes_customers_and_a_second_run_changes_only_what_differs() {
    let desk = Desk::with_admin();
    desk.run(&["import", "-"], "From: Hiro <hiro@tanaka.example>\nSubject: Login\nMessage-ID: <h@t>\n\nHi\n");
    let file = desk.path("customers.csv");
    std::fs::write(&file, GOOD).unwrap();
    let out = desk.ok(&["customer", "import", file.to_str().unwrap()]);
    assert_eq!(
        out,
        "line 2: made customer 2 Carla Núñez (and the organization Núñez Imports)\n\
         line 3: changed customer 1 Hiro: name: Hiro → Hiro Tanaka, tier: standard → silver\n\
         line 4: made customer 3 olu\n\
         3 lines: 2 new, 1 changed, 0 unchanged\n"
    );
    let carla = desk.json(&["customer", "show", "2", "--json"]);
    let c = &carla;
    assert_eq!(c["emails"], serde_json::json!(["carla@shop.example", "c.nunez@work.example"]), "{carla}");
    assert_eq!((c["phone"].as_str(), c["organization"].as_str()), (Some("+34 600 000 000"), Some("Núñez Imports")));
    assert_eq!((c["tier"].as_str(), c["notes"].as_str()), (Some("gold"), Some("Prefers email")));
    assert_eq!(c["tags"], serde_json::json!(["key-account", "refund"]));
    let olu = desk.json(&["customer", "show", "3", "--json"]);
    assert_eq!(olu["organization"], "Núñez Imports", "the organization is made once");
    let audit = desk.ok(&["audit"]);
    assert!(audit.contains("ana  customer 1  name Hiro → Hiro Tanaka"), "{audit}");
    assert!(audit.contains("ana  customer 2  created: Carla Núñez <carla@shop.example>"), "{audit}");

    let json = desk.json(&["customer", "import", file.to_str().unwrap(), "--json"]);
    assert_eq!(
        (json["created"].as_u64(), json["changed"].as_u64(), json["unchanged"].as_u64()),
        (Some(0), Some(0), Some(3))
    );
    assert_eq!(json["lines"][0]["action"], "unchanged");
}

#[test]
fn one_bad_line_is_named_with_its_reason_and_nothing_is_written() {
    let desk = Desk::with_admin();
    let file = desk.path("bad.csv");
    std::fs::write(
        &file,
        "name,email,tier,tags\nAnn,ann@x.example,gold,\nBo,not-an-address,gold,\nCy,cy@x.example,platinum,\n\
         Di,,silver,\nEd,ANN@x.example,,\nFa,fa@x.example,,a\u{7}b\n",
    )
    .unwrap();
    let run = desk.run(&["customer", "import", file.to_str().unwrap()], "");
    assert_eq!(run.code, 1, "{}", run.stdout);
    let shown = file.display().to_string();
    let lines: Vec<String> = run.stderr.lines().map(|l| l.replace(&shown, "bad.csv")).collect();
    assert_eq!(
        lines,
        [
            "bad.csv: line 3: 'not-an-address' is not an email address",
            "bad.csv: line 4: unknown tier 'platinum' (expected one of: standard, silver, gold, vip)",
            "bad.csv: line 5: it has no email address; every customer needs one",
            "bad.csv: line 6: ann@x.example is on line 2 too",
            "bad.csv: line 7: the tags has control characters",
            "frontdesk: nothing was imported: 5 lines to fix in bad.csv",
        ]
    );
    assert!(!run.stderr.contains('\u{7}'), "customer text never reaches the terminal as control characters");
    assert_eq!(customers(&desk), serde_json::json!([]), "not even the good line");

    std::fs::write(&file, "name,mail\nAnn,ann@x.example\n").unwrap();
    let run = desk.run(&["customer", "import", file.to_str().unwrap()], "");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("line 1: 'mail' is not a column; the columns are name, email, phone"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_dry_run_says_what_would_be_made_and_changed_and_writes_nothing() {
    let desk = Desk::with_admin();
    desk.run(&["import", "-"], "From: Hiro <hiro@tanaka.example>\nSubject: Login\nMessage-ID: <h@t>\n\nHi\n");
    let file = desk.path("customers.csv");
    std::fs::write(&file, GOOD).unwrap();
    let before = customers(&desk);
    let out = desk.ok(&["customer", "import", file.to_str().unwrap(), "--dry-run"]);
    assert!(
        out.starts_with("line 2: would make customer 2 Carla Núñez (and the organization Núñez Imports)\n"),
        "{out}"
    );
    assert!(
        out.contains("line 3: would change customer 1 Hiro: name: Hiro → Hiro Tanaka, tier: standard → silver\n"),
        "{out}"
    );
    assert!(out.ends_with("3 lines: 2 new, 1 changed, 0 unchanged; a dry run: nothing was written\n"), "{out}");
    let json = desk.json(&["customer", "import", file.to_str().unwrap(), "--dry-run", "--json"]);
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["lines"][1]["changes"], serde_json::json!(["name: Hiro → Hiro Tanaka", "tier: standard → silver"]));
    assert_eq!(customers(&desk), before, "nothing was written");
    assert!(!desk.ok(&["audit"]).contains("Tanaka"));
}

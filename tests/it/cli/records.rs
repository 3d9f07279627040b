//! `frontdesk customer new | set | email …` and `frontdesk org …`: keeping customer and
//! organization records from the command line, the `--json` objects, and bad input refused in
//! one sentence with nothing changed.

use crate::support::cli::{Desk, Run};
use serde_json::{json, Value};

/// The customer object's fields but `created_at`, `tickets` and `satisfaction`.
fn record(c: &Value) -> Value {
    let mut c = c.clone();
    let object = c.as_object_mut().unwrap();
    for field in ["created_at", "tickets", "satisfaction"] {
        assert!(object.remove(field).is_some(), "{field} in {object:?}");
    }
    c
}

fn refused(desk: &Desk, args: &[&str]) -> String {
    let Run { code, stdout, stderr } = desk.run(args, "");
    assert_eq!((code, stdout.as_str()), (1, ""), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one sentence: {stderr}");
    stderr.trim_end().strip_prefix("frontdesk: ").unwrap().to_string()
}

#[test]
fn customer_new_set_and_email_print_the_customer_as_customer_show_does() {
    let desk = Desk::with_admin();
    desk.ok(&["org", "new", "Shop Inc", "--domain", "shop.example", "--tier", "gold"]);
    let said = desk.ok(&["customer", "new", "--name", "Carla Núñez", "--email", "Carla@Shop.example"]);
    assert_eq!(said.trim(), "added customer 1 Carla Núñez <carla@shop.example> of Shop Inc · gold");
    let args = ["customer", "new", "--name", "Hiro", "--email", "hiro@home.example", "--email", "hiro@work.example"];
    let more = ["--phone", "555 0101", "--tier", "silver", "--tag", "Late Payer", "--notes", "Calls", "--json"];
    let hiro = desk.json(&[&args[..], &more[..]].concat());
    assert_eq!(
        record(&hiro),
        json!({"id": 2, "name": "Hiro", "emails": ["hiro@home.example", "hiro@work.example"], "phone": "555 0101",
               "organization": null, "tier": "silver", "notes": "Calls", "tags": ["late-payer"]})
    );
    assert_eq!(hiro, desk.json(&["customer", "show", "2", "--json"]), "the same object as customer show");

    let set = ["customer", "set", "2", "--name", "Hiro Tanaka", "--organization", "shop inc", "--untag", "late-payer"];
    let hiro = desk.json(&[&set[..], &["--tag", "vip", "--phone", "", "--notes", "Email only", "--json"]].concat());
    assert_eq!(
        record(&hiro),
        json!({"id": 2, "name": "Hiro Tanaka", "emails": ["hiro@home.example", "hiro@work.example"], "phone": null,
               "organization": "Shop Inc", "tier": "silver", "notes": "Email only", "tags": ["vip"]})
    );
    // By number too, and out again with an empty one.
    assert_eq!(
        desk.ok(&["customer", "set", "2", "--organization", "1"]).trim(),
        "customer 2 (Hiro Tanaka) is as asked already"
    );
    assert_eq!(
        desk.ok(&["customer", "set", "2", "--organization", ""]).trim(),
        "changed customer 2 (Hiro Tanaka): organization"
    );

    let hiro = desk.json(&["customer", "email", "primary", "2", "HIRO@work.example", "--json"]);
    assert_eq!(hiro["emails"], json!(["hiro@work.example", "hiro@home.example"]));
    let said = desk.ok(&["customer", "email", "add", "2", "tanaka@mail.example"]);
    assert_eq!(said.trim(), "changed customer 2 (Hiro Tanaka): addresses");
    let hiro = desk.json(&["customer", "email", "remove", "2", "hiro@work.example", "--json"]);
    assert_eq!(hiro["emails"], json!(["hiro@home.example", "tanaka@mail.example"]));

    // Each change is in the audit log, who and what.
    let audit = desk.json(&["audit", "--customer", "2", "--json"]);
    let fields: Vec<&str> = audit.as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(
        fields,
        [
            "created",
            "name",
            "phone",
            "organization",
            "tag",
            "tag",
            "notes",
            "organization",
            "primary_email",
            "email",
            "email",
            "primary_email"
        ]
    );
}

#[test]
fn bad_input_is_one_sentence_and_changes_nothing() {
    let desk = Desk::with_admin();
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--name", "Carla", "--subject", "Lamp"]);
    desk.ok(&["customer", "new", "--name", "Hiro", "--email", "hiro@home.example"]);
    let before = desk.json(&["customer", "list", "--json"]);
    let cases: [(&[&str], &str); 12] = [
        (&["customer", "new", "--name", " ", "--email", "x@y.example"], "a customer's name cannot be empty"),
        (&["customer", "new", "--name", "X", "--email", "CARLA@shop.example"], "carla@shop.example belongs to customer 1 (Carla) already; see frontdesk customer show 1"),
        (&["customer", "new", "--name", "X", "--email", "x@y.example", "--organization", "Nobody"], "organization Nobody does not exist; see frontdesk org list"),
        (&["customer", "set", "9", "--name", "X"], "customer 9 does not exist"),
        (&["customer", "set", "1", "--name", ""], "a customer's name cannot be empty"),
        (&["customer", "set", "1"], "customer set: give --name, --phone, --organization, --tier, --tag, --untag or --notes"),
        (&["customer", "set", "1", "--organization", "7"], "organization 7 does not exist; see frontdesk org list"),
        (&["customer", "set", "1", "--tag", "x", "--untag", "X"], "the tag 'x' is both added and removed; give it once"),
        (&["customer", "email", "add", "2", "Carla@Shop.Example"], "carla@shop.example belongs to customer 1 (Carla); if they are the same person: frontdesk customer merge 1 --into 2"),
        (&["customer", "email", "remove", "2", "hiro@home.example"], "hiro@home.example is the only address of Hiro; add another before removing it"),
        (&["customer", "email", "primary", "2", "carla@shop.example"], "carla@shop.example is not an address of Hiro (customer 2)"),
        (&["customer", "email", "add", "9", "z@y.example"], "customer 9 does not exist"),
    ];
    for (args, sentence) in cases {
        assert_eq!(refused(&desk, args), sentence, "{args:?}");
    }
    assert_eq!(desk.json(&["customer", "list", "--json"]), before);
    let Run { code, .. } = desk.run(&["customer", "set", "1", "--tier", "platinum"], "");
    assert_eq!(code, 2, "a usage error");
}

#[test]
fn org_new_list_show_and_set_print_the_organization_and_refuse_mistakes() {
    let desk = Desk::with_admin();
    let shop =
        desk.json(&["org", "new", "Shop Inc", "--domain", "Shop.Example", "--domain", "@shop-eu.example", "--json"]);
    assert_eq!(
        shop,
        json!({"id": 1, "name": "Shop Inc", "domains": ["shop.example", "shop-eu.example"], "tier": "standard",
               "notes": "", "customers": [], "open_tickets": []})
    );
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--name", "Carla", "--subject", "Lamp"]);
    desk.ok(&["ticket", "new", "--from", "hiro@sub.shop.example", "--subject", "Login"]);
    desk.ok(&["ticket", "new", "--from", "olu@shop-eu.example", "--subject", "Invoice"]);
    desk.ok(&["ticket", "set", "3", "--status", "solved"]);
    let shown = desk.json(&["org", "show", "shop inc", "--json"]);
    let names: Vec<&str> = shown["customers"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Carla", "olu"], "the subdomain is not theirs");
    assert_eq!(
        shown["customers"][0].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["email", "id", "name", "open_tickets", "organization", "tickets", "tier"]
    );
    let open: Vec<i64> = shown["open_tickets"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect();
    assert_eq!(open, [1]);
    let text = desk.ok(&["org", "show", "1"]);
    assert!(text.contains("2 customers") && text.contains("1 open ticket\n"), "{text}");

    let set =
        ["org", "set", "1", "--name", "Shop Group", "--undomain", "shop-eu.example", "--domain", "sub.shop.example"];
    let changed = desk.json(&[&set[..], &["--tier", "vip", "--notes", "Key account", "--json"]].concat());
    assert_eq!(
        (&changed["name"], &changed["domains"], &changed["tier"], &changed["notes"]),
        (&json!("Shop Group"), &json!(["shop.example", "sub.shop.example"]), &json!("vip"), &json!("Key account"))
    );
    desk.ok(&["org", "new", "Other"]);
    let listed = desk.json(&["org", "list", "--json"]);
    assert_eq!(
        listed,
        json!([
            {"id": 2, "name": "Other", "domains": [], "tier": "standard", "notes": "", "customers": 0, "open_tickets": 0},
            {"id": 1, "name": "Shop Group", "domains": ["shop.example", "sub.shop.example"], "tier": "vip",
             "notes": "Key account", "customers": 2, "open_tickets": 1}
        ])
    );
    let cases: [(&[&str], &str); 6] = [
        (&["org", "new", "shop group"], "there is an organization named 'shop group' already (organization 1)"),
        (
            &["org", "new", "Third", "--domain", "SHOP.example"],
            "shop.example is a domain of Shop Group (organization 1) already",
        ),
        (&["org", "new", "Third", "--domain", "localhost"], "'localhost' is not an email domain (like shop.example)"),
        (&["org", "show", "Nobody"], "organization Nobody does not exist; see frontdesk org list"),
        (&["org", "set", "1", "--undomain", "shop-eu.example"], "shop-eu.example is not a domain of Shop Group"),
        (&["org", "set", "1"], "org set: give --name, --domain, --undomain, --tier or --notes"),
    ];
    for (args, sentence) in cases {
        assert_eq!(refused(&desk, args), sentence, "{args:?}");
    }
    assert_eq!(desk.json(&["org", "list", "--json"]), listed, "nothing changed");
    let audit = desk.json(&["audit", "--json"]);
    let org_fields: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subject_kind"] == "organization")
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(org_fields, ["created", "name", "domains", "tier", "notes", "created"]);
}

#[test]
fn a_renamed_customer_and_a_new_address_are_searched_and_reports_group_by_their_organization() {
    let desk = Desk::with_admin();
    desk.ok(&["ticket", "new", "--from", "carla@home.example", "--subject", "Lamp", "--body", "Broken."]);
    desk.ok(&["ticket", "new", "--from", "olu@other.example", "--subject", "Invoice", "--body", "Wrong."]);
    desk.ok(&["org", "new", "Núñez Imports", "--domain", "nunez.example"]);
    desk.ok(&["customer", "set", "1", "--name", "Carlota Núñez", "--organization", "Núñez Imports"]);
    desk.ok(&["customer", "email", "add", "1", "carla@nunez.example"]);
    let found = |q: &str| -> Vec<i64> {
        let hits = desk.json(&["search", q, "--json"]);
        hits["tickets"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect()
    };
    assert_eq!(found("Carlota"), [1]);
    assert_eq!(found("carla@nunez.example"), [1]);
    let report = desk.json(&["report", "--by", "organization", "--json"]);
    let keys: Vec<&str> = report["groups"].as_array().unwrap().iter().map(|g| g["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["Núñez Imports", "no organization"]);
}

#[test]
fn the_customer_form_is_on_c_in_the_profile_in_the_key_map_the_help_and_the_palette_read() {
    let desk = Desk::with_admin();
    let keys = desk.json(&["keys", "--json"]);
    let bound: Vec<&Value> = keys.as_array().unwrap().iter().filter(|k| k["action"] == "edit_customer").collect();
    assert_eq!(bound.len(), 1, "{bound:?}");
    assert_eq!((&bound[0]["context"], &bound[0]["keys"]), (&json!("profile"), &json!("c")));
    assert!(bound[0]["description"]
        .as_str()
        .unwrap()
        .contains("name, addresses, phone, organization, tier, tags, notes"));
    let key_of = |action: &str| -> Vec<(Value, Value)> {
        let all = keys.as_array().unwrap().iter().filter(|k| k["action"] == action);
        all.map(|k| (k["context"].clone(), k["keys"].clone())).collect()
    };
    assert_eq!(key_of("edit_organization"), [(json!("profile"), json!("o"))]);
    assert_eq!(key_of("agents"), [(json!("global"), json!("g A"))]);
}

#[test]
fn org_delete_is_for_admins_keeps_its_customers_and_prints_what_went() {
    let desk = Desk::with_admin();
    desk.ok(&["org", "new", "Shop Inc", "--domain", "shop.example"]);
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--name", "Carla", "--subject", "Lamp"]);
    desk.ok(&["agent", "add", "bob"]);
    let run = desk.by("bob").run(&["org", "delete", "1"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("delete organizations"), "{}", run.stderr);
    assert_eq!(desk.json(&["org", "list", "--json"]).as_array().unwrap().len(), 1, "nothing was deleted");

    let deleted = desk.json(&["org", "delete", "shop inc", "--json"]);
    assert_eq!(
        deleted,
        json!({"deleted": {"id": 1, "name": "Shop Inc", "domains": ["shop.example"], "tier": "standard", "notes": ""},
               "customers": [1]})
    );
    assert_eq!(desk.json(&["customer", "show", "1", "--json"])["organization"], Value::Null);
    assert_eq!(desk.json(&["ticket", "show", "1", "--json"])["subject"], "Lamp", "the ticket is untouched");
    assert_eq!(refused(&desk, &["org", "delete", "1"]), "organization 1 does not exist; see frontdesk org list");
    let history = desk.json(&["audit", "--json"]);
    assert!(
        history.as_array().unwrap().iter().any(|e| e["field"] == "deleted" && e["subject_kind"] == "organization"),
        "{history}"
    );
    desk.ok(&["check"]);
}

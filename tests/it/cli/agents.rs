//! `frontdesk agent set | deactivate | activate`: an admin keeps the desk's agents right, every
//! change in the audit log.

use crate::support::cli::{Desk, Run};
use serde_json::Value;

fn audit_of(desk: &Desk, login: &str) -> Vec<Value> {
    let all = desk.json(&["audit", "--json"]);
    all.as_array().unwrap().iter().filter(|e| e["subject_kind"] == "agent" && e["subject"] == login).cloned().collect()
}

#[test]
fn an_admin_sets_an_agents_name_address_signature_and_role_and_each_is_audited() {
    let desk = Desk::with_admin();
    desk.ok(&["agent", "add", "bob"]);
    let said = desk.ok(&["agent", "set", "bob", "--name", "Bob Stone", "--email", "Bob@Shop.example"]);
    assert_eq!(said.trim(), "changed bob: name, email");
    let bob = desk.json(&["agent", "set", "bob", "--signature", "Bob\nShop support\n", "--role", "admin", "--json"]);
    assert_eq!(
        (&bob["login"], &bob["name"], &bob["email"], &bob["role"], &bob["active"]),
        (
            &Value::from("bob"),
            &Value::from("Bob Stone"),
            &Value::from("bob@shop.example"),
            &Value::from("admin"),
            &Value::from(true)
        )
    );
    assert_eq!(desk.ok(&["agent", "set", "bob", "--name", "Bob Stone"]).trim(), "bob is as asked already");
    let fields: Vec<(String, Option<String>, Option<String>)> = audit_of(&desk, "bob")
        .iter()
        .map(|e| {
            (e["field"].as_str().unwrap().into(), e["old"].as_str().map(Into::into), e["new"].as_str().map(Into::into))
        })
        .collect();
    let field = |f: &str| fields.iter().find(|(name, ..)| name == f).cloned().unwrap();
    assert_eq!(field("name"), ("name".into(), Some("bob".into()), Some("Bob Stone".into())));
    assert_eq!(field("email"), ("email".into(), None, Some("bob@shop.example".into())));
    assert_eq!(field("signature"), ("signature".into(), Some(String::new()), Some("Bob\nShop support".into())));
    assert_eq!(field("role"), ("role".into(), Some("agent".into()), Some("admin".into())));
    assert_eq!(fields.len(), 5, "created and four changes, nothing for the change that changed nothing: {fields:?}");
    // An empty address removes it.
    desk.ok(&["agent", "set", "bob", "--email", ""]);
    assert_eq!(desk.json(&["agent", "list", "--json"])[1]["email"], Value::Null);
}

#[test]
fn a_canned_reply_with_the_agents_signature_goes_out_once_it_is_set() {
    let desk = Desk::with_config("");
    let macros = desk.dir.path().join("macros");
    std::fs::create_dir(&macros).unwrap();
    std::fs::write(macros.join("sig.toml"), "name = \"Signed\"\nbody = \"Bye\\n{{agent.signature}}\"\n").unwrap();
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Broken lamp", "--body", "It broke."]);
    let Run { code, stderr, .. } = desk.run(&["ticket", "reply", "1", "--macro", "Signed"], "");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("{{agent.signature}} is empty"), "{stderr}");
    // An agent may set their own signature.
    desk.ok(&["agent", "set", "ana", "--signature", "Ana Ruiz\nShop support"]);
    desk.ok(&["ticket", "reply", "1", "--macro", "Signed"]);
    let shown = desk.json(&["ticket", "show", "1", "--json"]);
    let last = shown["messages"].as_array().unwrap().last().unwrap().clone();
    assert!(last["body"].as_str().unwrap().contains("Bye\nAna Ruiz\nShop support"), "{last}");
}

#[test]
fn a_deactivated_login_is_refused_in_one_sentence_and_their_open_tickets_are_listed() {
    let desk = Desk::with_admin();
    desk.ok(&["agent", "add", "bob"]);
    for n in 0..3 {
        let from = format!("c{n}@shop.example");
        desk.ok(&["ticket", "new", "--from", &from, "--subject", "Help", "--body", "Please."]);
        desk.ok(&["ticket", "set", &(n + 1).to_string(), "--assign", "bob"]);
    }
    desk.ok(&["ticket", "set", "2", "--status", "solved"]);
    let said = desk.ok(&["agent", "deactivate", "bob"]);
    assert!(said.contains("deactivated bob"), "{said}");
    assert!(said.contains("#1 #3") && !said.contains("#2"), "{said}");
    assert!(said.contains("frontdesk ticket set 1 3 --assign LOGIN"), "{said}");
    let run = desk.by("bob").run(&["ticket", "list"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("your login (bob) is deactivated on this desk"), "{}", run.stderr);
    // Nobody can give them new work while they are away.
    desk.ok(&["ticket", "new", "--from", "dana@shop.example", "--subject", "Help", "--body", "Please."]);
    let run = desk.run(&["ticket", "set", "4", "--assign", "bob"], "");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("agent 'bob' is deactivated"), "{}", run.stderr);
    let audit = audit_of(&desk, "bob");
    let off = audit.iter().find(|e| e["field"] == "active").unwrap();
    assert_eq!(
        (off["old"].as_str(), off["new"].as_str(), off["actor"].as_str()),
        (Some("active"), Some("inactive"), Some("ana"))
    );
    let back = desk.json(&["agent", "activate", "bob", "--json"]);
    assert_eq!((&back["active"], &back["open_tickets"]), (&Value::from(true), &serde_json::json!([])));
    desk.by("bob").ok(&["ticket", "list"]);
}

#[test]
fn the_desk_keeps_an_active_admin_and_agents_change_only_themselves() {
    let desk = Desk::with_admin();
    desk.ok(&["agent", "add", "bob"]);
    let cases: &[(&str, &[&str], &str)] = &[
        ("ana", &["agent", "set", "ana", "--role", "agent"], "ana is the desk's only active admin"),
        ("ana", &["agent", "deactivate", "ana"], "you cannot deactivate yourself"),
        ("bob", &["agent", "set", "ana", "--name", "Boss"], "only an admin can change another agent or a role"),
        ("bob", &["agent", "set", "bob", "--role", "admin"], "only an admin can change another agent or a role"),
        ("bob", &["agent", "deactivate", "ana"], "only an admin can deactivate agents"),
        ("ana", &["agent", "set", "carol", "--name", "Carol"], "agent 'carol' does not exist"),
        ("ana", &["agent", "set", "bob", "--email", "not an address"], "'not an address' is not an email address"),
        ("ana", &["agent", "set", "bob", "--name", "  "], "an agent's name cannot be empty"),
        ("ana", &["agent", "set", "bob"], "give --name, --email, --signature or --role"),
    ];
    for (user, args, says) in cases {
        let run = desk.by(user).run(args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
    // With a second admin, the first may step down.
    desk.ok(&["agent", "set", "bob", "--role", "admin"]);
    desk.ok(&["agent", "set", "ana", "--role", "agent"]);
    let agents = desk.json(&["agent", "list", "--json"]);
    let roles: Vec<&str> = agents.as_array().unwrap().iter().map(|a| a["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["agent", "admin"]);
}

#[test]
fn agent_add_and_deactivate_print_the_agent_as_json() {
    let desk = Desk::with_admin();
    let added = desk.json(&["agent", "add", "carol", "--name", "Carol Diaz", "--json"]);
    assert_eq!((added["login"].as_str(), added["name"].as_str()), (Some("carol"), Some("Carol Diaz")), "{added}");
    assert_eq!((added["role"].as_str(), &added["active"]), (Some("agent"), &Value::from(true)), "{added}");
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Lamp", "--body", "x"]);
    desk.ok(&["ticket", "set", "1", "--assign", "carol"]);
    let off = desk.json(&["agent", "deactivate", "carol", "--json"]);
    assert_eq!((&off["active"], &off["open_tickets"]), (&Value::from(false), &serde_json::json!([1])), "{off}");
}

//! The agents' list and form in the console (`g A`, admins): a name, address, role and signature
//! saved and audited; deactivating names the agent's open tickets; an agent who is not an admin
//! gets one sentence; a change made meanwhile by another admin is refused, both kept.

use crate::support::console::{open, press, status, store_of, ticket_from, type_text};
use frontdesk::app::effects::App;
use frontdesk::app::model::agent_form::AgentField;
use frontdesk::app::model::overlay::OverlayKind;
use frontdesk::domain::*;
use frontdesk::store::Store;

fn desk() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    store.register_first_admin("ana").unwrap();
    store.add_agent("bob", Some("Bob"), Role::Agent).unwrap();
    for subject in ["Lamp", "Login"] {
        let t = ticket_from(&store, "carla@shop.example", "Carla", subject, Priority::Normal);
        let assign = TicketChange { assignee: Some(Some("bob".into())), ..Default::default() };
        store.update_ticket(t.id, t.version, &assign, "ana").unwrap();
    }
    (dir, path)
}

/// `g A`, then down to bob (the list is by login: ana, bob) and Enter.
fn open_bobs_form(path: &std::path::Path) -> App {
    let mut app = open(path, "ana");
    press(&mut app, "g A");
    let overlay = app.state.overlay.as_ref().expect("the agents' list");
    assert_eq!(overlay.kind, OverlayKind::Agents);
    assert_eq!(overlay.items.len(), 2);
    assert!(overlay.items[1].label.starts_with("bob") && overlay.items[1].label.ends_with("active"));
    press(&mut app, "down enter");
    assert!(app.state.agent_form.is_some(), "{}", status(&app));
    app
}

fn retype(app: &mut App, text: &str) {
    press(app, "ctrl-u");
    type_text(app, text);
}

#[test]
fn an_admin_sets_an_agents_record_and_deactivating_names_their_open_tickets() {
    let (_dir, path) = desk();
    let mut app = open_bobs_form(&path);
    retype(&mut app, "Bob Marley");
    press(&mut app, "tab");
    type_text(&mut app, "bob@desk.example");
    press(&mut app, "tab");
    retype(&mut app, "admin");
    press(&mut app, "tab tab");
    type_text(&mut app, "Bob\n");
    type_text(&mut app, "Support");
    press(&mut app, "ctrl-s");
    assert_eq!(status(&app), "saved bob");
    let bob = store_of(&app).agent("bob").unwrap().unwrap();
    assert_eq!(
        (bob.name.as_str(), bob.email.as_deref(), bob.role, bob.signature.as_str()),
        ("Bob Marley", Some("bob@desk.example"), Role::Admin, "Bob\nSupport")
    );

    let mut app = open_bobs_form(&path);
    press(&mut app, "tab tab tab");
    retype(&mut app, "no");
    press(&mut app, "ctrl-s");
    assert_eq!(status(&app), "deactivated bob; their open tickets, for someone to take over: #1 #2");
    assert!(!store_of(&app).agent("bob").unwrap().unwrap().active);
    let mut fields = Vec::new();
    let query = frontdesk::domain::audit::AuditQuery { who: Some("ana".into()), ..Default::default() };
    store_of(&app)
        .audit_trail(&query, &mut |e| {
            if e.kind == frontdesk::domain::audit::SubjectKind::Agent && e.subject == "bob" {
                fields.push(e.field);
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(fields, ["name", "email", "signature", "role", "active"]);
}

#[test]
fn an_agent_who_is_not_admin_gets_one_sentence_and_bad_input_stays_in_the_form() {
    let (_dir, path) = desk();
    let mut bobs = open(&path, "bob");
    press(&mut bobs, "g A");
    assert!(bobs.state.overlay.is_none());
    assert_eq!(status(&bobs), "only an admin keeps the agents right; ask one (frontdesk agent list shows who)");

    let mut app = open_bobs_form(&path);
    let cases: [(&str, &str, &str); 4] = [
        ("", "", "an agent's name cannot be empty"),
        ("tab", "bob(at)desk", "'bob(at)desk' is not an email address"),
        ("tab tab", "boss", "role: 'boss' is not agent or admin"),
        ("tab tab tab", "maybe", "active: 'maybe' is not yes or no"),
    ];
    for (moves, typed, said) in cases {
        if !moves.is_empty() {
            press(&mut app, moves);
        }
        retype(&mut app, typed);
        press(&mut app, "ctrl-s");
        assert_eq!(status(&app), said);
        assert!(app.state.agent_form.as_ref().is_some_and(|f| !f.form.saving), "the form stays");
        press(&mut app, "esc y g A down enter");
    }
    assert_eq!(store_of(&app).agent("bob").unwrap().unwrap().name, "Bob", "nothing was saved");
}

#[test]
fn a_save_that_meets_another_admins_change_keeps_theirs_and_the_admins_own() {
    let (_dir, path) = desk();
    let mut app = open_bobs_form(&path);
    press(&mut app, "tab tab tab tab");
    type_text(&mut app, "Bob, Support");
    let theirs = AgentChange { name: Some("Robert".into()), ..Default::default() };
    store_of(&app).set_agent("bob", &theirs, "carol").unwrap();
    press(&mut app, "ctrl-s");
    let said = status(&app);
    assert!(said.starts_with("agent bob changed while you were editing: name; yours was not saved"), "{said}");
    assert_eq!(store_of(&app).agent("bob").unwrap().unwrap().signature, "", "nothing of ana's was written");
    let form = &app.state.agent_form.as_ref().expect("the form stays").form;
    assert_eq!(
        (form.value(AgentField::Name), form.value(AgentField::Signature)),
        ("Robert".into(), "Bob, Support".into())
    );
    press(&mut app, "ctrl-s");
    let bob = store_of(&app).agent("bob").unwrap().unwrap();
    assert_eq!((bob.name.as_str(), bob.signature.as_str()), ("Robert", "Bob, Support"), "both kept");
}

//! The organization form in the console (`o` in the profile) on a real database: every field
//! saved and audited, a new organization made for a customer in none, bad input kept in the form
//! with one sentence, and a save that meets another agent's change refused without losing either.

use crate::support::console::{open, press, status, store_of, ticket_from, type_text};
use frontdesk::app::effects::App;
use frontdesk::app::model::organization_form::OrganizationField;
use frontdesk::domain::audit::{AuditQuery, SubjectKind};
use frontdesk::domain::*;
use frontdesk::store::Store;

fn desk() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    store.register_first_admin("ana").unwrap();
    let shop = NewOrganization { name: "Shop Inc".into(), domains: vec!["shop.example".into()], ..Default::default() };
    store.create_organization(&shop, "ana").unwrap();
    let other = NewOrganization { name: "Other".into(), domains: vec!["other.example".into()], ..Default::default() };
    store.create_organization(&other, "ana").unwrap();
    ticket_from(&store, "carla@shop.example", "Carla", "Broken lamp", Priority::Normal);
    ticket_from(&store, "hiro@home.example", "Hiro", "Login", Priority::Normal);
    (dir, path)
}

/// Move in the queue (Carla's ticket first, then Hiro's), open the ticket, go to the profile and open the form.
fn open_form(path: &std::path::Path, moves: &str) -> App {
    let mut app = open(path, "ana");
    press(&mut app, &format!("{moves} enter 3 o"));
    assert!(app.state.organization_form.is_some(), "{}", status(&app));
    app
}

fn retype(app: &mut App, text: &str) {
    press(app, "ctrl-u");
    type_text(app, text);
}

fn organization_audit(store: &Store) -> Vec<(String, Option<String>, Option<String>)> {
    let mut found = Vec::new();
    store
        .audit_trail(&AuditQuery::default(), &mut |e| {
            if e.kind == SubjectKind::Organization && e.field != "created" {
                found.push((e.field, e.old, e.new));
            }
            Ok(())
        })
        .unwrap();
    found
}

#[test]
fn o_in_the_profile_edits_the_customers_organization_and_saves_only_what_changed() {
    let (_dir, path) = desk();
    let mut app = open_form(&path, "");
    let form = &app.state.organization_form.as_ref().unwrap().form;
    assert_eq!(
        (form.value(OrganizationField::Name), form.value(OrganizationField::Domains)),
        ("Shop Inc".into(), "shop.example".into())
    );
    retype(&mut app, "Shop Group");
    press(&mut app, "tab");
    type_text(&mut app, " shop-eu.example");
    press(&mut app, "tab");
    retype(&mut app, "gold");
    press(&mut app, "tab");
    type_text(&mut app, "Key account");
    press(&mut app, "ctrl-s");
    assert!(app.state.organization_form.is_none(), "{}", status(&app));
    assert_eq!(status(&app), "saved organization 1 Shop Group");
    let store = store_of(&app);
    let org = store.organization("1").unwrap();
    assert_eq!(
        (org.name.as_str(), org.domains.clone(), org.tier, org.notes.as_str()),
        ("Shop Group", vec!["shop.example".to_string(), "shop-eu.example".to_string()], Tier::Gold, "Key account")
    );
    let fields: Vec<String> = organization_audit(&store).into_iter().map(|(f, _, _)| f).collect();
    assert_eq!(fields, ["name", "domains", "tier", "notes"]);
    assert_eq!(app.state.conversation.as_ref().unwrap().detail.customer.organization.as_deref(), Some("Shop Group"));

    // Opened again and left alone: Esc closes at once, nothing is written.
    press(&mut app, "o esc");
    assert!(app.state.organization_form.is_none());
    assert_eq!(organization_audit(&store).len(), 4);
}

#[test]
fn a_customer_in_no_organization_gets_a_new_one_and_is_put_in_it() {
    let (_dir, path) = desk();
    let mut app = open_form(&path, "j");
    let form = app.state.organization_form.as_ref().unwrap();
    assert_eq!((form.seen.as_ref(), form.title()), (None, " New organization for Hiro ".to_string()));
    press(&mut app, "ctrl-s");
    assert!(app.state.organization_form.is_none(), "an untouched new one creates nothing");
    press(&mut app, "o");
    type_text(&mut app, "Home Ltd");
    press(&mut app, "tab");
    type_text(&mut app, "home.example");
    press(&mut app, "ctrl-s");
    assert!(app.state.organization_form.is_none(), "{}", status(&app));
    assert_eq!(status(&app), "saved organization 3 Home Ltd");
    let store = store_of(&app);
    let hiro = app.state.conversation.as_ref().unwrap().detail.customer.clone();
    assert_eq!(hiro.organization.as_deref(), Some("Home Ltd"), "the profile shows them in it");
    assert_eq!(store.customer(hiro.id).unwrap().organization.as_deref(), Some("Home Ltd"));
    assert_eq!(store.organization("home ltd").unwrap().domains, ["home.example"]);
}

#[test]
fn bad_input_is_one_sentence_in_the_form_and_esc_asks_before_throwing_it_away() {
    let (_dir, path) = desk();
    let mut app = open_form(&path, "");
    let cases: [(&str, &str, &str); 4] = [
        ("", "", "an organization's name cannot be empty"),
        ("tab", "other.example", "other.example is a domain of Other (organization 2) already"),
        ("tab", "shop..example", "'shop..example' is not an email domain (like shop.example)"),
        ("tab tab", "platinum", "tier: 'platinum' is not one of standard, silver, gold, vip"),
    ];
    for (moves, typed, said) in cases {
        if !moves.is_empty() {
            press(&mut app, moves);
        }
        retype(&mut app, typed);
        press(&mut app, "ctrl-s");
        assert_eq!(status(&app), said);
        assert!(!app.state.organization_form.as_ref().expect("the form stays").form.saving);
        // Thrown away and opened again for the next case.
        press(&mut app, "esc y o");
    }
    retype(&mut app, "Changed");
    assert_eq!(store_of(&app).organization("1").unwrap().domains, ["shop.example"], "nothing was saved");
    press(&mut app, "esc");
    assert!(app.state.organization_form.as_ref().unwrap().form.confirm_discard);
    press(&mut app, "n");
    assert_eq!(status(&app), "back to the organization");
    press(&mut app, "esc y");
    assert!(app.state.organization_form.is_none());
    assert_eq!(status(&app), "your changes to the organization were thrown away");
    assert!(organization_audit(&store_of(&app)).is_empty());
}

#[test]
fn a_save_that_meets_another_agents_change_keeps_theirs_and_the_agents_own() {
    let (_dir, path) = desk();
    let mut app = open_form(&path, "");
    press(&mut app, "tab tab tab");
    type_text(&mut app, "Pays late");
    // Meanwhile bob renames it.
    let theirs = OrganizationChange { name: Some("Shop & Co".into()), ..Default::default() };
    store_of(&app).set_organization("1", &theirs, "bob").unwrap();
    press(&mut app, "ctrl-s");
    let said = status(&app);
    assert!(
        said.starts_with("organization Shop & Co changed while you were editing: name; yours was not saved"),
        "{said}"
    );
    assert!(said.ends_with("Ctrl-S saves yours"), "{said}");
    assert_eq!(store_of(&app).organization("1").unwrap().notes, "", "nothing of ana's was written");
    let form = &app.state.organization_form.as_ref().expect("the form stays").form;
    assert_eq!(
        (form.value(OrganizationField::Name), form.value(OrganizationField::Notes)),
        ("Shop & Co".into(), "Pays late".into())
    );
    press(&mut app, "ctrl-s");
    assert!(app.state.organization_form.is_none(), "{}", status(&app));
    let org = store_of(&app).organization("1").unwrap();
    assert_eq!((org.name.as_str(), org.notes.as_str()), ("Shop & Co", "Pays late"), "both kept");
}

#[test]
fn ctrl_d_in_the_form_deletes_the_organization_after_a_question_naming_it_and_its_customers() {
    let (_dir, path) = desk();
    let mut app = open_form(&path, "");
    let question = |app: &App| app.state.overlay.as_ref().and_then(|o| o.title.clone());
    press(&mut app, "ctrl-d");
    assert_eq!(question(&app).as_deref(), Some("Delete organization 1 Shop Inc (1 customer)? y/N"));
    press(&mut app, "n");
    assert_eq!(status(&app), "nothing changed");
    assert!(app.state.organization_form.is_some(), "no keeps the form open");
    assert!(store_of(&app).organization("Shop Inc").is_ok());
    press(&mut app, "ctrl-d");
    press(&mut app, "y");
    assert_eq!(status(&app), "deleted organization 1 Shop Inc; its customer is in no organization now");
    assert!(app.state.organization_form.is_none());
    let store = store_of(&app);
    assert!(store.organization("Shop Inc").is_err(), "deleted");
    let carla = &app.state.conversation.as_ref().expect("the ticket stays open").detail.customer;
    assert_eq!(carla.organization, None, "the profile shows her in none");
    assert_eq!(store.customer(carla.id).unwrap().organization, None);
    let deleted = organization_audit(&store).into_iter().find(|(field, _, _)| field == "deleted");
    assert_eq!(
        deleted,
        Some(("deleted".into(), Some("Shop Inc (shop.example)".into()), None)),
        "audited as org delete"
    );
}

#[test]
fn ctrl_d_on_a_new_organization_or_by_an_agent_deletes_nothing() {
    let (_dir, path) = desk();
    // Hiro is in no organization: the form is a new one.
    let mut app = open_form(&path, "j");
    press(&mut app, "ctrl-d");
    assert!(app.state.overlay.is_none());
    assert!(status(&app).starts_with("nothing to delete"), "{}", status(&app));
    let store = Store::open(&path).unwrap();
    store.add_agent("bob", None, Role::Agent).unwrap();
    let mut app = open(&path, "bob");
    press(&mut app, "enter 3 o");
    press(&mut app, "ctrl-d");
    assert!(app.state.overlay.is_none());
    assert_eq!(status(&app), "only an admin can delete organizations: ask one");
    assert!(store.organization("Shop Inc").is_ok());
}

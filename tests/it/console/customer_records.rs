//! The customer form in the console (`c` in the profile), on a real database: every field saved
//! and audited, the profile and the `/` filter showing the change, bad input kept in the form,
//! and a save that meets another agent's change refused without losing either.

use crate::support::console::{open, press, status, store_of, ticket_from, type_text};
use frontdesk::app::effects::App;
use frontdesk::app::model::customer_form::CustomerField;
use frontdesk::domain::*;
use frontdesk::store::Store;

fn desk() -> (tempfile::TempDir, std::path::PathBuf, Ticket) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    store.register_first_admin("ana").unwrap();
    store.add_agent("bob", None, Role::Agent).unwrap();
    let org = NewOrganization { name: "Shop Inc".into(), ..NewOrganization::default() };
    store.create_organization(&org, "ana").unwrap();
    let lamp = ticket_from(&store, "carla@home.example", "Carla", "Broken lamp", Priority::Normal);
    (dir, path, lamp)
}

/// Open the ticket, go to the profile and open the form.
fn open_form(path: &std::path::Path) -> App {
    let mut app = open(path, "ana");
    press(&mut app, "enter 3 c");
    assert!(app.state.customer_form.is_some(), "{}", status(&app));
    app
}

/// Clear the focused one-line field and type `text` in it.
fn retype(app: &mut App, text: &str) {
    press(app, "ctrl-u");
    type_text(app, text);
}

#[test]
fn c_in_the_profile_edits_every_field_and_the_profile_and_the_filter_show_it() {
    let (_dir, path, lamp) = desk();
    let mut app = open_form(&path);
    let form = &app.state.customer_form.as_ref().unwrap().form;
    assert_eq!(
        (form.value(CustomerField::Name), form.value(CustomerField::Addresses), form.value(CustomerField::Tier)),
        ("Carla".into(), "carla@home.example".into(), "standard".into())
    );
    retype(&mut app, "Carlota Núñez");
    press(&mut app, "tab");
    type_text(&mut app, " carla@work.example");
    press(&mut app, "tab");
    type_text(&mut app, "555 0101");
    press(&mut app, "tab");
    type_text(&mut app, "shop inc");
    press(&mut app, "tab");
    retype(&mut app, "gold");
    press(&mut app, "tab");
    type_text(&mut app, "vip billing");
    press(&mut app, "tab");
    type_text(&mut app, "Prefers email");
    press(&mut app, "ctrl-s");
    assert!(app.state.customer_form.is_none(), "{}", status(&app));
    assert_eq!(status(&app), "saved Carlota Núñez");

    let c = store_of(&app).customer(lamp.customer_id).unwrap();
    assert_eq!(
        (c.name.as_str(), c.emails.clone(), c.phone.as_deref(), c.organization.as_deref(), c.tier),
        (
            "Carlota Núñez",
            vec!["carla@home.example".to_string(), "carla@work.example".to_string()],
            Some("555 0101"),
            Some("Shop Inc"),
            Tier::Gold
        )
    );
    assert_eq!((c.tags.clone(), c.notes.as_str()), (vec!["billing".to_string(), "vip".to_string()], "Prefers email"));
    assert_eq!(app.state.conversation.as_ref().unwrap().detail.customer, c, "the profile shows them as saved");
    let mut audited = Vec::new();
    let query =
        frontdesk::domain::audit::AuditQuery { customer: Some(c.id), who: Some("ana".into()), ..Default::default() };
    store_of(&app)
        .audit_trail(&query, &mut |e| {
            if e.kind == frontdesk::domain::audit::SubjectKind::Customer {
                audited.push(e.field);
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(audited, ["created", "name", "phone", "organization", "tier", "tag", "tag", "notes", "email"]);

    // The queue's filter finds the ticket by the customer's new name.
    press(&mut app, "1 /");
    type_text(&mut app, "carlota");
    app.wait_idle();
    let ids = app.state.findings.as_ref().and_then(|f| f.ids.clone()).unwrap();
    assert_eq!(&ids[..], &[lamp.id]);
}

#[test]
fn a_save_that_meets_another_agents_change_keeps_theirs_and_the_agents_own() {
    let (_dir, path, lamp) = desk();
    let mut app = open_form(&path);
    press(&mut app, "tab tab");
    type_text(&mut app, "555 0101");
    // Meanwhile bob renames the customer and sets their tier.
    let theirs = CustomerChange { name: Some("Carla N.".into()), tier: Some(Tier::Vip), ..Default::default() };
    store_of(&app).edit_customer(lamp.customer_id, &theirs, "bob").unwrap();
    press(&mut app, "ctrl-s");
    let said = status(&app);
    assert!(
        said.starts_with("customer Carla N. changed while you were editing: name, tier; yours was not saved"),
        "{said}"
    );
    assert!(said.ends_with("Ctrl-S saves yours"), "{said}");
    let c = store_of(&app).customer(lamp.customer_id).unwrap();
    assert_eq!(
        (c.name.as_str(), c.tier, c.phone.as_deref()),
        ("Carla N.", Tier::Vip, None),
        "nothing of ana's was written"
    );
    let form = &app.state.customer_form.as_ref().expect("the form stays").form;
    assert_eq!(
        (form.value(CustomerField::Name), form.value(CustomerField::Tier), form.value(CustomerField::Phone)),
        ("Carla N.".into(), "vip".into(), "555 0101".into())
    );

    press(&mut app, "ctrl-s");
    assert!(app.state.customer_form.is_none(), "{}", status(&app));
    let c = store_of(&app).customer(lamp.customer_id).unwrap();
    assert_eq!((c.name.as_str(), c.tier, c.phone.as_deref()), ("Carla N.", Tier::Vip, Some("555 0101")), "both kept");
}

#[test]
fn bad_input_stays_in_the_form_with_one_sentence_and_esc_asks_before_throwing_it_away() {
    let (_dir, path, lamp) = desk();
    let mut app = open_form(&path);
    // An organization nobody has: the store's sentence, the form still there to fix.
    press(&mut app, "tab tab tab");
    type_text(&mut app, "Nobody Ltd");
    press(&mut app, "ctrl-s");
    assert_eq!(status(&app), "organization Nobody Ltd does not exist; see frontdesk org list");
    let form = &app.state.customer_form.as_ref().expect("the form stays").form;
    assert!(!form.saving && form.value(CustomerField::Organization) == "Nobody Ltd");
    press(&mut app, "ctrl-u tab");
    retype(&mut app, "platinum");
    press(&mut app, "ctrl-s");
    assert_eq!(status(&app), "tier: 'platinum' is not one of standard, silver, gold, vip");
    retype(&mut app, "gold");
    // Another customer's address: refused naming them.
    let store = store_of(&app);
    ticket_from(&store, "hiro@shop.example", "Hiro", "Login", Priority::Normal);
    press(&mut app, "tab tab tab tab");
    type_text(&mut app, " HIRO@shop.example");
    press(&mut app, "ctrl-s");
    assert!(status(&app).starts_with("hiro@shop.example belongs to customer 2 (Hiro)"), "{}", status(&app));
    assert_eq!(store.customer(lamp.customer_id).unwrap().emails, ["carla@home.example"], "nothing saved");
    assert_eq!(store.customer(lamp.customer_id).unwrap().tier, Tier::Standard);

    press(&mut app, "esc");
    assert!(app.state.customer_form.as_ref().unwrap().form.confirm_discard);
    press(&mut app, "n");
    assert!(app.state.customer_form.is_some(), "any other key goes back to the form");
    press(&mut app, "esc y");
    assert!(app.state.customer_form.is_none());
    assert_eq!(status(&app), "your changes to the customer were thrown away");
}

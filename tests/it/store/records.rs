//! Customer and organization records in the store: the one way a customer is created (and joins
//! the organization of their address's domain, whichever path creates them), edits of every
//! field, addresses, what search and the `/` filter find afterwards, and an edit that meets
//! another's change.

use frontdesk::config::Config;
use frontdesk::domain::mail::ImportOutcome;
use frontdesk::domain::search::SearchQuery;
use frontdesk::domain::*;
use frontdesk::mail::Importer;
use frontdesk::store::{Store, StoreError};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    (dir, store)
}

fn org(store: &Store, name: &str, domains: &[&str], tier: Option<Tier>) -> Organization {
    let new = NewOrganization {
        name: name.into(),
        domains: domains.iter().map(|d| d.to_string()).collect(),
        tier,
        notes: String::new(),
    };
    store.create_organization(&new, "ana").unwrap()
}

fn ticket_from(store: &Store, email: &str) -> Ticket {
    let new = NewTicket {
        customer_email: email.into(),
        customer_name: None,
        subject: "Broken lamp".into(),
        body: "It broke.".into(),
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: vec![],
    };
    store.create_ticket(&new, "ana").unwrap()
}

fn customer(name: &str, emails: &[&str]) -> NewCustomer {
    NewCustomer { name: name.into(), emails: emails.iter().map(|e| e.to_string()).collect(), ..NewCustomer::default() }
}

fn invalid(e: StoreError) -> String {
    match e {
        StoreError::Invalid(why) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn audit(store: &Store, query: &frontdesk::domain::audit::AuditQuery) -> Vec<frontdesk::domain::audit::AuditEntry> {
    let mut all = Vec::new();
    store
        .audit_trail(query, &mut |e| {
            all.push(e);
            Ok(())
        })
        .unwrap();
    all
}

fn searched(store: &mut Store, text: &str) -> Vec<i64> {
    let query = SearchQuery::parse(text, frontdesk::domain::when::Zone::Named(chrono_tz::UTC)).unwrap();
    store.search(&query, "ana", 50).unwrap().tickets.iter().map(|t| t.id).collect()
}

fn filtered(store: &Store, word: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    store.filter_index_hits(&TicketFilter::default(), &[word.to_string()], 50, &mut |hit| ids.push(hit.id)).unwrap();
    ids
}

#[test]
fn a_new_customer_joins_the_organization_of_their_domain_on_every_path_exactly_and_in_any_case() {
    let (_dir, store) = store();
    let shop = org(&store, "Shop Inc", &["Shop.Example", "shop-eu.example"], Some(Tier::Gold));
    // ticket new
    let t = ticket_from(&store, "Carla@SHOP.example");
    let carla = store.customer(t.customer_id).unwrap();
    assert_eq!((carla.organization.as_deref(), carla.tier), (Some("Shop Inc"), Tier::Gold));
    // mail intake (and so `import` and `serve`)
    let mail = "From: Hiro <hiro@shop-eu.example>\r\nTo: support@desk.example\r\nSubject: Login\r\n\
                Message-ID: <a1@shop-eu.example>\r\n\r\nI cannot log in.\r\n";
    let outcome = Importer::new(&store, &Config::default()).import(mail.as_bytes(), "test").unwrap();
    let ImportOutcome::Created { ticket, .. } = outcome else { panic!("{outcome:?}") };
    let hiro = store.customer(store.ticket(ticket).unwrap().customer_id).unwrap();
    assert_eq!(hiro.organization.as_deref(), Some("Shop Inc"));
    // customer new, with a tier of their own
    let new = NewCustomer { tier: Some(Tier::Silver), ..customer("Olu", &["olu@shop.example"]) };
    let olu = store.create_customer(&new, "ana").unwrap();
    assert_eq!((olu.organization.as_deref(), olu.tier), (Some("Shop Inc"), Tier::Silver));
    // A subdomain is another domain unless listed; another domain is nobody's.
    for email in ["z@sub.shop.example", "z@shop.example.org", "z@other.example"] {
        let c = store.customer(ticket_from(&store, email).customer_id).unwrap();
        assert_eq!((c.organization, c.tier), (None, Tier::Standard), "{email}");
    }
    let members: Vec<i64> = store.organization_customers(shop.id).unwrap().iter().map(|c| c.id).collect();
    assert_eq!(members, vec![carla.id, hiro.id, olu.id]);
    // Joining is in the audit log.
    let entries = audit(&store, &frontdesk::domain::audit::AuditQuery::default());
    let joined = entries.iter().filter(|e| e.field == "organization" && e.new.as_deref() == Some("Shop Inc")).count();
    assert_eq!(joined, 3, "{entries:?}");
}

#[test]
fn a_customer_is_created_with_everything_given_and_bad_input_is_refused_whole() {
    let (_dir, store) = store();
    org(&store, "Núñez Imports", &["nunez.example"], None);
    let new = NewCustomer {
        phone: Some(" +34 600 000 000 ".into()),
        organization: Some("núñez imports".into()),
        tier: Some(Tier::Vip),
        tags: vec!["Late Payer".into()],
        notes: "Prefers email".into(),
        ..customer("  Carla Núñez ", &["Carla@Work.example", "carla@home.example"])
    };
    let c = store.create_customer(&new, "ana").unwrap();
    assert_eq!(c.name, "Carla Núñez");
    assert_eq!(c.emails, vec!["carla@work.example", "carla@home.example"]);
    assert_eq!(c.phone.as_deref(), Some("+34 600 000 000"));
    assert_eq!((c.organization.as_deref(), c.tier), (Some("Núñez Imports"), Tier::Vip));
    assert_eq!((c.tags, c.notes.as_str()), (vec!["late-payer".to_string()], "Prefers email"));

    let refusals = [
        (customer(" ", &["a@x.example"]), "a customer's name cannot be empty"),
        (customer("A", &[]), "a customer needs an email address"),
        (customer("A", &["not an address"]), "'not an address' is not an email address"),
        (customer("A", &["CARLA@home.example"]), "carla@home.example belongs to customer 1 (Carla Núñez) already"),
    ];
    for (new, why) in refusals {
        assert!(invalid(store.create_customer(&new, "ana").unwrap_err()).contains(why), "{why}");
    }
    let unknown = NewCustomer { organization: Some("Nobody Ltd".into()), ..customer("A", &["a@x.example"]) };
    let e = store.create_customer(&unknown, "ana").unwrap_err();
    assert_eq!(e.to_string(), "organization Nobody Ltd does not exist; see frontdesk org list");
    assert_eq!(store.list_customers(0, 10).unwrap().len(), 1, "nothing half-made");
}

#[test]
fn every_field_of_a_customer_changes_audited_and_search_and_the_filter_find_the_new_name_and_address() {
    let (_dir, mut store) = store();
    org(&store, "Shop Inc", &["shop.example"], None);
    let t = ticket_from(&store, "carla@home.example");
    let id = t.customer_id;
    let change = CustomerChange {
        name: Some("Carlota Núñez".into()),
        phone: Some(Some("555 0101".into())),
        organization: Some(Some("Shop Inc".into())),
        tier: Some(Tier::Gold),
        tag: vec!["vip".into(), "billing".into()],
        notes: Some("Call after 5".into()),
        ..CustomerChange::default()
    };
    let c = store.edit_customer(id, &change, "ana").unwrap();
    assert_eq!(
        (c.name.as_str(), c.phone.as_deref(), c.organization.as_deref()),
        ("Carlota Núñez", Some("555 0101"), Some("Shop Inc"))
    );
    assert_eq!(
        (c.tier, c.tags.clone(), c.notes.as_str()),
        (Tier::Gold, vec!["billing".into(), "vip".into()], "Call after 5")
    );
    let c = store.add_customer_email(id, "Carla.Work@Office.example", "ana").unwrap();
    assert_eq!(c.emails, vec!["carla@home.example", "carla.work@office.example"]);

    assert_eq!(searched(&mut store, "Carlota"), vec![t.id], "the new name is searched");
    assert_eq!(searched(&mut store, "office.example"), vec![t.id], "the new address is searched");
    assert_eq!(filtered(&store, "carlota"), vec![t.id], "the filter finds the new name");
    let c = store.make_primary_email(id, "carla.work@office.example", "ana").unwrap();
    assert_eq!(c.emails[0], "carla.work@office.example");
    assert_eq!(filtered(&store, "office.exa"), vec![t.id], "the filter shows the primary address");
    let c = store.remove_customer_email(id, "CARLA@home.example", "ana").unwrap();
    assert_eq!(c.emails, vec!["carla.work@office.example"]);
    assert_eq!(searched(&mut store, "home.example"), Vec::<i64>::new(), "a removed address is not searched");

    // Out again: untag, no phone, no organization. A change to what is already there records nothing.
    let change = CustomerChange {
        phone: Some(None),
        organization: Some(None),
        untag: vec!["vip".into()],
        tier: Some(Tier::Gold),
        ..CustomerChange::default()
    };
    let c = store.edit_customer(id, &change, "ana").unwrap();
    assert_eq!((c.phone, c.organization, c.tags), (None, None, vec!["billing".to_string()]));
    let query = frontdesk::domain::audit::AuditQuery { customer: Some(id), ..Default::default() };
    let fields: Vec<(String, Option<String>, Option<String>)> = audit(&store, &query)
        .into_iter()
        .filter(|e| e.kind == frontdesk::domain::audit::SubjectKind::Customer)
        .map(|e| (e.field, e.old, e.new))
        .collect();
    let s = |v: &str| Some(v.to_string());
    let want = vec![
        ("created".into(), None, s("carla <carla@home.example>")),
        ("name".into(), s("carla"), s("Carlota Núñez")),
        ("phone".into(), None, s("555 0101")),
        ("organization".into(), None, s("Shop Inc")),
        ("tier".into(), s("standard"), s("gold")),
        ("tag".into(), None, s("vip")),
        ("tag".into(), None, s("billing")),
        ("notes".into(), s(""), s("Call after 5")),
        ("email".into(), None, s("carla.work@office.example")),
        ("primary_email".into(), s("carla@home.example"), s("carla.work@office.example")),
        ("email".into(), s("carla@home.example"), None),
        ("phone".into(), s("555 0101"), None),
        ("organization".into(), s("Shop Inc"), None),
        ("tag".into(), s("vip"), None),
    ];
    assert_eq!(fields, want);
}

#[test]
fn an_address_is_one_customers_and_the_last_one_stays() {
    let (_dir, store) = store();
    let carla = store.customer(ticket_from(&store, "carla@shop.example").customer_id).unwrap();
    let other = store.customer(ticket_from(&store, "c.nunez@work.example").customer_id).unwrap();
    let e = invalid(store.add_customer_email(other.id, "CARLA@shop.example", "ana").unwrap_err());
    assert_eq!(
        e,
        format!(
            "carla@shop.example belongs to customer {} (carla); if they are the same person: \
             frontdesk customer merge {} --into {}",
            carla.id, carla.id, other.id
        )
    );
    let e = invalid(store.remove_customer_email(carla.id, "carla@shop.example", "ana").unwrap_err());
    assert_eq!(e, "carla@shop.example is the only address of carla; add another before removing it");
    let e = invalid(store.make_primary_email(carla.id, "c.nunez@work.example", "ana").unwrap_err());
    assert_eq!(e, format!("c.nunez@work.example is not an address of carla (customer {})", carla.id));
    let e = invalid(store.add_customer_email(carla.id, "carla at shop", "ana").unwrap_err());
    assert_eq!(e, "'carla at shop' is not an email address");
    // Their own address again, in another case: nothing changes.
    assert_eq!(store.add_customer_email(carla.id, "Carla@Shop.Example", "ana").unwrap().emails, carla.emails);
    assert_eq!(store.customer(other.id).unwrap(), other, "the other customer is untouched");
}

#[test]
fn an_edit_of_a_customer_who_changed_meanwhile_is_refused_and_names_what_changed() {
    let (_dir, store) = store();
    let seen = store.customer(ticket_from(&store, "carla@shop.example").customer_id).unwrap();
    let theirs = CustomerChange { name: Some("Carla N.".into()), tier: Some(Tier::Vip), ..CustomerChange::default() };
    store.edit_customer(seen.id, &theirs, "bob").unwrap();
    let mine = CustomerChange { notes: Some("mine".into()), ..CustomerChange::default() };
    let e = store.edit_customer_seen(&seen, &mine, "ana").unwrap_err();
    assert!(matches!(e, StoreError::CustomerEdited { .. }), "{e:?}");
    assert_eq!(e.to_string(), "customer Carla N. changed while you were editing: name, tier; yours was not saved");
    assert_eq!(store.customer(seen.id).unwrap().notes, "", "nothing of mine was written");
    let fresh = store.customer(seen.id).unwrap();
    assert_eq!(store.edit_customer_seen(&fresh, &mine, "ana").unwrap().notes, "mine");
}

#[test]
fn organizations_keep_their_domains_to_themselves_and_every_change_is_audited() {
    let (_dir, store) = store();
    let shop = org(&store, "Shop Inc", &["shop.example"], None);
    let e = |new: NewOrganization| invalid(store.create_organization(&new, "ana").unwrap_err());
    let named = |name: &str, domains: &[&str]| NewOrganization {
        name: name.into(),
        domains: domains.iter().map(|d| d.to_string()).collect(),
        ..NewOrganization::default()
    };
    assert_eq!(e(named("Other", &["SHOP.example"])), "shop.example is a domain of Shop Inc (organization 1) already");
    assert_eq!(e(named("shop inc", &[])), "there is an organization named 'shop inc' already (organization 1)");
    assert_eq!(e(named(" ", &[])), "an organization's name cannot be empty");
    assert_eq!(e(named("Other", &["shop"])), "'shop' is not an email domain (like shop.example)");

    let change = OrganizationChange {
        name: Some("Shop Group".into()),
        domain: vec!["shop-eu.example".into()],
        undomain: vec!["shop.example".into()],
        tier: Some(Tier::Vip),
        notes: Some("Key account".into()),
    };
    let changed = store.set_organization("shop inc", &change, "ana").unwrap();
    assert_eq!(
        changed,
        Organization {
            id: shop.id,
            name: "Shop Group".into(),
            domains: vec!["shop-eu.example".into()],
            tier: Tier::Vip,
            notes: "Key account".into()
        }
    );
    // The removed domain is free again; the new one is theirs.
    assert_eq!(store.customer(ticket_from(&store, "a@shop.example").customer_id).unwrap().organization, None);
    let eu = store.customer(ticket_from(&store, "b@shop-eu.example").customer_id).unwrap();
    assert_eq!((eu.organization.as_deref(), eu.tier), (Some("Shop Group"), Tier::Vip));
    let missing = OrganizationChange { undomain: vec!["nope.example".into()], ..OrganizationChange::default() };
    let e = invalid(store.set_organization("1", &missing, "ana").unwrap_err());
    assert_eq!(e, "nope.example is not a domain of Shop Group");
    assert_eq!(
        store.organization("9").unwrap_err().to_string(),
        "organization 9 does not exist; see frontdesk org list"
    );

    let fields: Vec<String> = audit(&store, &frontdesk::domain::audit::AuditQuery::default())
        .into_iter()
        .filter(|e| e.kind == frontdesk::domain::audit::SubjectKind::Organization)
        .map(|e| format!("{} {}: {:?} → {:?}", e.subject, e.field, e.old, e.new))
        .collect();
    assert_eq!(
        fields,
        vec![
            "1 created: None → Some(\"Shop Inc (shop.example)\")",
            "1 name: Some(\"Shop Inc\") → Some(\"Shop Group\")",
            "1 domains: Some(\"shop.example\") → Some(\"shop-eu.example\")",
            "1 tier: Some(\"standard\") → Some(\"vip\")",
            "1 notes: Some(\"\") → Some(\"Key account\")",
        ]
    );
}

#[test]
fn an_organizations_open_tickets_are_counted_and_listed_newest_change_first() {
    let (_dir, store) = store();
    let shop = org(&store, "Shop Inc", &["shop.example"], None);
    let a = ticket_from(&store, "a@shop.example");
    let b = ticket_from(&store, "b@shop.example");
    let solved = ticket_from(&store, "a@shop.example");
    ticket_from(&store, "z@other.example");
    let done = TicketChange { status: Some(Status::Solved), ..TicketChange::default() };
    store.change_ticket(solved.id, &done, "ana").unwrap();
    let (open, count) = store.organization_open_tickets(shop.id, 1).unwrap();
    assert_eq!((open.iter().map(|t| t.id).collect::<Vec<_>>(), count), (vec![b.id], 2));
    let (open, _) = store.organization_open_tickets(shop.id, 10).unwrap();
    assert_eq!(open.iter().map(|t| t.id).collect::<Vec<_>>(), vec![b.id, a.id]);
    let listed = store.organizations().unwrap();
    assert_eq!((listed[0].customers, listed[0].open_tickets), (2, 2));
    // The profile of a's customer lists the organization's tickets that are not theirs.
    let besides = store.organization_tickets_besides(a.customer_id, 3).unwrap().unwrap();
    assert_eq!((besides.name.as_str(), besides.open), ("Shop Inc", 1));
    assert_eq!(besides.first.iter().map(|t| t.id).collect::<Vec<_>>(), vec![b.id]);
    let nobodys = store.customer(ticket_from(&store, "y@other.example").customer_id).unwrap();
    assert_eq!(store.organization_tickets_besides(nobodys.id, 3).unwrap(), None);
}

#[test]
fn a_desk_of_schema_20_gets_its_organizations_domains_indexed_and_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    Store::open(&path).unwrap().register_first_admin("ana").unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER organization_domains_added;
         DROP TRIGGER organization_domains_changed;
         DROP TABLE organization_domains;
         DROP INDEX customers_by_organization;
         DROP TABLE organization_details;
         INSERT INTO organizations (name, domains) VALUES ('Shop Inc', 'shop.example  Shop-EU.example'), ('Bare', '');
         PRAGMA user_version = 20;",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let shop = store.organization("Shop Inc").unwrap();
    assert_eq!(
        (shop.domains.clone(), shop.tier, shop.notes.as_str()),
        (vec!["shop.example".into(), "Shop-EU.example".into()], Tier::Standard, "")
    );
    let c = store.customer(ticket_from(&store, "hiro@shop-eu.example").customer_id).unwrap();
    assert_eq!(c.organization.as_deref(), Some("Shop Inc"));
    assert_eq!(store.organization("bare").unwrap().domains, Vec::<String>::new());
}

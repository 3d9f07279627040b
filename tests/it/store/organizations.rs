//! Deleting an organization (its customers stay, in none) and `check` comparing the index that
//! places new customers by domain with the organizations' own lists of domains.

use frontdesk::domain::audit::{AuditQuery, SubjectKind};
use frontdesk::domain::*;
use frontdesk::store::Store;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    (dir, store)
}

fn org(store: &Store, name: &str, domains: &[&str]) -> Organization {
    let new = NewOrganization {
        name: name.into(),
        domains: domains.iter().map(|d| d.to_string()).collect(),
        ..NewOrganization::default()
    };
    store.create_organization(&new, "ana").unwrap()
}

fn customer_at(store: &Store, email: &str) -> Customer {
    let new = NewCustomer { name: email.into(), emails: vec![email.into()], ..NewCustomer::default() };
    store.create_customer(&new, "ana").unwrap()
}

/// One audit row: what kind of record, which, the field, its old and new value.
type Row = (SubjectKind, String, String, Option<String>, Option<String>);

fn audit(store: &Store) -> Vec<Row> {
    let mut all = Vec::new();
    store
        .audit_trail(&AuditQuery::default(), &mut |e| {
            all.push((e.kind, e.subject, e.field, e.old, e.new));
            Ok(())
        })
        .unwrap();
    all
}

#[test]
fn a_deleted_organization_leaves_its_customers_in_none_audited_and_its_number_is_not_given_again() {
    let (_dir, store) = store();
    let shop = org(&store, "Shop Inc", &["shop.example"]);
    let other = org(&store, "Other", &["other.example"]);
    let (carla, hiro) = (customer_at(&store, "carla@shop.example"), customer_at(&store, "hiro@shop.example"));
    let olu = customer_at(&store, "olu@other.example");
    assert_eq!(carla.organization.as_deref(), Some("Shop Inc"));

    let (deleted, customers) = store.delete_organization("shop inc", "ana").unwrap();
    assert_eq!((deleted.id, customers), (shop.id, vec![carla.id, hiro.id]));
    for id in [carla.id, hiro.id] {
        assert_eq!(store.customer(id).unwrap().organization, None, "customer {id} stays, in no organization");
    }
    assert_eq!(store.customer(olu.id).unwrap().organization.as_deref(), Some("Other"));
    assert_eq!(
        store.organization("shop inc").unwrap_err().to_string(),
        "organization shop inc does not exist; see frontdesk org list"
    );
    assert_eq!(customer_at(&store, "ann@shop.example").organization, None, "its domain places no one now");
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check().unwrap());

    let trail = audit(&store);
    let left = |id: i64| (SubjectKind::Customer, id.to_string(), "organization".into(), Some("Shop Inc".into()), None);
    assert!(trail.contains(&left(carla.id)) && trail.contains(&left(hiro.id)), "{trail:?}");
    let tombstone =
        (SubjectKind::Organization, "1".into(), "deleted".into(), Some("Shop Inc (shop.example)".into()), None);
    assert!(trail.contains(&tombstone), "{trail:?}");

    // Deleting the newest organization does not free its number: a new one gets the next.
    store.delete_organization(&other.id.to_string(), "ana").unwrap();
    assert_eq!(org(&store, "Third", &[]).id, other.id + 1);
    assert!(store.delete_organization("Nobody", "ana").is_err());
}

#[test]
fn check_names_a_domain_the_index_places_differently_and_repair_rebuilds_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let store = Store::open(&path).unwrap();
    org(&store, "Shop Inc", &["shop.example", "shop-eu.example"]);
    org(&store, "Other", &["other.example"]);
    assert!(store.organization_domain_drift().unwrap().is_empty());
    {
        // Another program wrote the index by hand: one domain missing, one moved, one unknown.
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.execute_batch(
            "DELETE FROM organization_domains WHERE domain = 'shop-eu.example';
             UPDATE organization_domains SET organization_id = 1 WHERE domain = 'other.example';
             INSERT INTO organization_domains (domain, organization_id) VALUES ('stale.example', 2);",
        )
        .unwrap();
    }
    let problems = store.check().unwrap();
    let expected = [
        "the domain other.example is listed by organization 2 but places new customers in organization 1",
        "the domain shop-eu.example is listed by organization 1 but places new customers in no organization",
        "the domain stale.example is listed by no organization but places new customers in organization 2",
    ];
    let shown: Vec<String> =
        expected.iter().map(|p| format!("{p} (frontdesk check --repair rebuilds the domains' index)")).collect();
    assert_eq!(problems, shown);
    store.rebuild_organization_domains().unwrap();
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check().unwrap());
    assert_eq!(customer_at(&store, "x@shop-eu.example").organization.as_deref(), Some("Shop Inc"));
    assert_eq!(customer_at(&store, "y@other.example").organization.as_deref(), Some("Other"));
    assert_eq!(customer_at(&store, "z@stale.example").organization, None);
}

#[test]
fn a_customers_organization_is_read_by_its_number_even_when_its_name_is_a_number() {
    let (_dir, store) = store();
    org(&store, "Shop Inc", &[]);
    let numbered = org(&store, "1", &["one.example"]);
    let c = customer_at(&store, "ann@one.example");
    assert_eq!(store.customer_organization(c.id).unwrap(), Some(numbered));
    assert_eq!(store.customer_organization(customer_at(&store, "x@none.example").id).unwrap(), None);
}

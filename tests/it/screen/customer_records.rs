//! The customer form over the desk at 80×24 (a hostile name made safe), and the profile's list
//! of the customer's organization's other open tickets.

use crate::support::fixtures::{self as common, render, screen_text};
use frontdesk::app::model::customer_form::{CustomerField, CustomerForm};
use frontdesk::domain::records::OrganizationTickets;
use frontdesk::domain::{Priority, Status};

#[test]
fn the_customer_form_shows_every_field_and_marks_the_one_being_typed() {
    let mut state = common::state((80, 24), "Login loop", "Still waiting");
    let customer = frontdesk::domain::Customer { name: "Carla\x1b[2J Núñez".into(), ..common::customer() };
    let mut form = CustomerForm::new(&customer);
    form.form.field = CustomerField::Tags;
    form.form.set(CustomerField::Tags, "wholesale vip");
    state.customer_form = Some(form);
    let term = render(&state);
    let text = screen_text(&term);
    assert!(text.contains("Carla^[[2J Núñez") && !text.contains('\x1b'), "{text}");
    assert!(text.contains("space between tags"), "the focused field's hint: {text}");
    insta::assert_snapshot!(term.backend());
}

#[test]
fn the_profile_lists_the_organizations_other_open_tickets() {
    let mut state = common::state((160, 32), "Login loop", "Still waiting");
    let first = vec![
        common::ticket(1051, "Invoice copy\u{202E}", "Olu Okafor", Status::Open, Priority::High, common::at(23, 8, 0)),
        common::ticket(1047, "Pallet missing", "Hiro Tanaka", Status::Pending, Priority::Normal, common::at(22, 9, 0)),
    ];
    state.profile.facts.organization = Some(OrganizationTickets { name: "Núñez Imports".into(), open: 5, first });
    let term = render(&state);
    let text = screen_text(&term);
    assert!(text.contains("5 more open · Núñez Imp"), "{text}");
    assert!(text.contains("#1051 Olu Okafor · Invoi") && !text.contains('\u{202E}'), "{text}");
    insta::assert_snapshot!(term.backend());
}

#[test]
fn every_field_of_the_customer_form_shows_customer_text_made_safe_the_notes_too() {
    let mut state = common::state((80, 24), "Login loop", "Still waiting");
    let hostile = "Refund\u{202E}gpj.exe\x1b[2J\x07";
    let customer = frontdesk::domain::Customer {
        phone: Some(hostile.into()),
        notes: format!("first line\n{hostile}"),
        ..common::customer()
    };
    let mut form = CustomerForm::new(&customer);
    form.form.field = CustomerField::Notes;
    state.customer_form = Some(form);
    let term = render(&state);
    let text = screen_text(&term);
    assert_eq!(text.matches("Refund<U+202E>gpj.exe^[[2J^G").count(), 2, "the phone and the notes: {text}");
    assert!(!text.contains('\u{202E}') && !text.contains('\x1b') && !text.contains('\x07'), "{text}");
}

//! The organization form, the agents' list and the agent form over the desk, at 80×24 and
//! 200×50; customer and agent text made safe in every field.

use crate::support::fixtures::{self as common, render, screen_text};
use frontdesk::app::model::agent_form::{AgentField, AgentForm};
use frontdesk::app::model::message::Msg;
use frontdesk::app::model::organization_form::{OrganizationField, OrganizationForm};
use frontdesk::app::update::update;
use frontdesk::domain::{Agent, Organization, Role, Tier};

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 50)];

fn shop() -> Organization {
    Organization {
        id: 3,
        name: "Núñez\u{202E} Imports".into(),
        domains: vec!["nunez.example".into(), "nunez-eu.example".into()],
        tier: Tier::Gold,
        notes: "Key account.\nPays late\x1b[2J.".into(),
    }
}

fn bob() -> Agent {
    Agent {
        login: "bob".into(),
        name: "Bob\x1b]0;pwned\x07 Marley".into(),
        email: Some("bob@desk.example".into()),
        role: Role::Agent,
        signature: "Bob\nSupport team".into(),
        active: true,
    }
}

fn assert_safe(text: &str) {
    assert!(!text.contains('\x1b') && !text.contains('\u{202E}') && !text.contains('\x07'), "{text}");
}

#[test]
fn the_organization_form_shows_its_fields_made_safe() {
    for size in SIZES {
        let mut state = common::state(size, "Login loop", "Still waiting");
        let mut form = OrganizationForm::new(Some(&shop()), 7, "Carla");
        form.form.field = OrganizationField::Domains;
        state.organization_form = Some(form);
        let term = render(&state);
        let text = screen_text(&term);
        assert!(text.contains("Organization 3 · Núñez<U+202E> Imports"), "{text}");
        assert!(text.contains("Pays late^[[2J."), "{text}");
        assert!(text.contains("new customers there join it"), "the focused field's hint: {text}");
        assert_safe(&text);
        insta::assert_snapshot!(format!("organization_form_{}x{}", size.0, size.1), term.backend());
    }
}

#[test]
fn the_agents_list_and_an_agents_form_show_who_and_what_made_safe() {
    for size in SIZES {
        let mut state = common::state(size, "Login loop", "Still waiting");
        let ana = Agent { login: "ana".into(), name: "Ana Ruiz".into(), role: Role::Admin, ..bob() };
        let gone = Agent { login: "olu".into(), name: "Olu".into(), active: false, email: None, ..bob() };
        update(&mut state, Msg::AgentsListed(vec![ana, bob(), gone]));
        let term = render(&state);
        let text = screen_text(&term);
        assert!(text.contains("Agents · Enter edits one"), "{text}");
        assert!(text.contains("olu          Olu                  agent  inactive"), "{text}");
        assert_safe(&text);
        insta::assert_snapshot!(format!("agents_list_{}x{}", size.0, size.1), term.backend());

        state.overlay = None;
        let mut form = AgentForm::new(&bob());
        form.form.field = AgentField::Active;
        state.agent_form = Some(form);
        let term = render(&state);
        let text = screen_text(&term);
        assert!(text.contains("Agent bob · Bob^[]0;pwned^G Marley"), "{text}");
        assert!(text.contains("Support team") && text.contains("their open tickets are listed"), "{text}");
        assert_safe(&text);
        insta::assert_snapshot!(format!("agent_form_{}x{}", size.0, size.1), term.backend());
    }
}

#[test]
fn deleting_an_organization_asks_naming_it_and_its_customers_at_80_columns() {
    let mut state = common::state((80, 24), "Login loop", "Still waiting");
    state.organization_form = Some(OrganizationForm::new(Some(&shop()), 7, "Carla"));
    update(&mut state, Msg::OrganizationDeleteAsked { organization: Box::new(shop()), customers: 2 });
    let term = render(&state);
    let text = screen_text(&term);
    assert!(text.contains("Delete organization 3 Núñez<U+202E> Imports (2 customers)? y/N"), "{text}");
    assert!(text.contains("y  delete it; 2 customers stay, in no organization"), "{text}");
    assert_safe(&text);
    insta::assert_snapshot!(term.backend());
}

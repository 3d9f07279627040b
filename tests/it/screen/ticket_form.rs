//! The new-ticket form over the desk: the customers found for what was typed (hostile names made
//! safe), the subject and the first message.

use crate::support::fixtures::{self as common, render, screen_text};
use frontdesk::app::model::ticket_form::{FormField, TicketForm};
use frontdesk::domain::{CustomerSummary, Tier};

fn customer(id: i64, name: &str, email: &str, tickets: u64) -> CustomerSummary {
    CustomerSummary {
        id,
        name: name.into(),
        email: email.into(),
        organization: None,
        tier: Tier::Standard,
        tickets,
        open_tickets: 0,
    }
}

#[test]
fn the_new_ticket_form_lists_the_customers_found() {
    let mut state = common::state((120, 32), "Login loop", "Still waiting");
    let mut form = TicketForm { customer: tui_input::Input::new("carl".into()), ..TicketForm::default() };
    form.found = vec![
        customer(1, "Carla Núñez", "carla@shop.example", 9),
        customer(2, "Carl\x1b[2J Jung", "carl@psy.example", 1),
    ];
    form.selected = 1;
    state.ticket_form = Some(form);
    let term = render(&state);
    let text = screen_text(&term);
    assert!(text.contains("Carl^[[2J Jung"), "{text}");
    insta::assert_snapshot!(term.backend());
}

#[test]
fn the_form_with_a_chosen_customer_and_a_message_asks_before_it_is_thrown_away() {
    let mut state = common::state((80, 24), "Login loop", "Still waiting");
    let mut form = TicketForm {
        customer: tui_input::Input::new("Carla Núñez <carla@shop.example>".into()),
        subject: tui_input::Input::new("Called: refund for order 48213".into()),
        body: ratatui_textarea::TextArea::new(vec![
            "She called about the refund.".into(),
            "Wants it by Friday.".into(),
        ]),
        field: FormField::Body,
        confirm_discard: true,
        ..TicketForm::default()
    };
    form.chosen = Some(customer(1, "Carla Núñez", "carla@shop.example", 9));
    state.ticket_form = Some(form);
    let term = render(&state);
    insta::assert_snapshot!(term.backend());
}

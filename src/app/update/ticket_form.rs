//! `c` in the queue: a new ticket from the console. The form asks who the customer is (typing
//! narrows the desk's customers; a new address makes a new one), a subject and the first message;
//! Ctrl-S creates it and opens it. Esc on a form with text in it asks before throwing it away.

use crate::app::model::key::{KeyCode, KeyEvent, KeyModifiers};
use crate::app::model::message::Effect;
use crate::app::model::state::{Pane, State};
use crate::app::model::ticket_form::{FormField, TicketForm, CUSTOMERS_SHOWN};
use crate::domain::text::for_display_line;
use crate::domain::{Channel, CustomerSummary, NewTicket, Priority, Ticket};

pub fn open(state: &mut State) -> Vec<Effect> {
    if state.ticket_form.is_none() {
        state.ticket_form = Some(TicketForm::default());
    }
    state.set_status("new ticket: type the customer's name or address");
    vec![]
}

pub fn on_key(state: &mut State, event: KeyEvent) -> Vec<Effect> {
    let Some(form) = state.ticket_form.as_mut() else { return vec![] };
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    let alt = event.modifiers.contains(KeyModifiers::ALT);
    if form.confirm_discard {
        form.confirm_discard = false;
        if matches!(event.code, KeyCode::Char('y' | 'Y')) {
            state.ticket_form = None;
            state.set_status("the new ticket was thrown away");
        } else {
            state.set_status("back to the new ticket");
        }
        return vec![];
    }
    match event.code {
        KeyCode::Esc if form.is_empty() => {
            state.ticket_form = None;
            state.set_status("no new ticket");
            vec![]
        }
        KeyCode::Esc => {
            form.confirm_discard = true;
            vec![]
        }
        KeyCode::Char('s') if ctrl => create(state),
        KeyCode::Enter if alt => create(state),
        KeyCode::Tab => {
            form.field = form.field.step(1);
            vec![]
        }
        KeyCode::BackTab => {
            form.field = form.field.step(-1);
            vec![]
        }
        _ => match form.field {
            FormField::Customer => customer_key(state, event),
            FormField::Subject => {
                if event.code == KeyCode::Enter {
                    form.field = FormField::Body;
                } else if let Some(edit) = event.line_edit() {
                    form.subject.handle(edit);
                }
                vec![]
            }
            FormField::Body => {
                form.body.input(event.for_text_area());
                vec![]
            }
        },
    }
}

/// Keys in the customer field: ↑/↓ move through the customers found, Enter takes one (or the
/// typed address) and goes on to the subject, other keys edit and look again.
fn customer_key(state: &mut State, event: KeyEvent) -> Vec<Effect> {
    let Some(form) = state.ticket_form.as_mut() else { return vec![] };
    let shown = form.found.len().min(CUSTOMERS_SHOWN);
    match event.code {
        KeyCode::Down if shown > 0 => form.selected = (form.selected + 1) % shown,
        KeyCode::Up if shown > 0 => form.selected = (form.selected + shown - 1) % shown,
        KeyCode::Enter => {
            let take = form.chosen.is_none() && !form.is_new_customer();
            if let Some(customer) = form.found.get(form.selected).filter(|_| take).cloned() {
                pick(form, customer);
            }
            match form.recipient() {
                Ok(_) => form.field = FormField::Subject,
                Err(problem) => state.set_error(problem),
            }
        }
        _ => {
            let Some(edit) = event.line_edit() else { return vec![] };
            if form.customer.handle(edit).is_some_and(|changed| changed.value) {
                return look_up(state);
            }
        }
    }
    vec![]
}

fn pick(form: &mut TicketForm, customer: CustomerSummary) {
    form.customer = tui_input::Input::new(format!("{} <{}>", customer.name, customer.email));
    form.chosen = Some(customer);
}

/// Ask the store for customers matching what is typed now.
fn look_up(state: &mut State) -> Vec<Effect> {
    let Some(form) = state.ticket_form.as_mut() else { return vec![] };
    form.chosen = None;
    form.selected = 0;
    let text = form.customer.value().trim().to_string();
    if text.is_empty() {
        form.found.clear();
        form.look_next = None;
        form.generation = 0; // an answer still on its way is for older text
        return vec![];
    }
    if form.looking {
        form.look_next = Some(text);
        return vec![];
    }
    send_look_up(state, text)
}

fn send_look_up(state: &mut State, text: String) -> Vec<Effect> {
    let Some(form) = state.ticket_form.as_mut() else { return vec![] };
    state.generation += 1;
    form.generation = state.generation;
    form.looking = true;
    vec![Effect::FindCustomers { generation: state.generation, text }]
}

/// The store's answer: shown if it is for the latest text; the text typed meanwhile is looked up.
pub fn on_customers(state: &mut State, generation: u64, found: Vec<CustomerSummary>) -> Vec<Effect> {
    let Some(form) = state.ticket_form.as_mut() else { return vec![] };
    form.looking = false;
    if let Some(text) = form.look_next.take() {
        return send_look_up(state, text);
    }
    if form.generation == generation {
        form.found = found;
        form.selected = 0;
    }
    vec![]
}

pub fn on_paste(state: &mut State, text: &str) -> Vec<Effect> {
    let Some(form) = state.ticket_form.as_mut() else { return vec![] };
    let line = crate::app::model::text::pasted_line(text);
    match form.field {
        FormField::Customer => {
            form.customer = tui_input::Input::new(format!("{}{line}", form.customer.value()));
            look_up(state)
        }
        FormField::Subject => {
            form.subject = tui_input::Input::new(format!("{}{line}", form.subject.value()));
            vec![]
        }
        FormField::Body => {
            form.body.insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
            vec![]
        }
    }
}

/// Ctrl-S: create it when it has a customer and a subject; otherwise say what is missing and go
/// there, keeping everything typed.
fn create(state: &mut State) -> Vec<Effect> {
    let Some(form) = state.ticket_form.as_mut() else { return vec![] };
    if form.creating {
        return vec![];
    }
    let (customer_email, customer_name) = match form.recipient() {
        Ok(found) => found,
        Err(problem) => {
            form.field = FormField::Customer;
            state.set_error(problem);
            return vec![];
        }
    };
    let subject = form.subject.value().trim().to_string();
    if subject.is_empty() {
        form.field = FormField::Subject;
        state.set_error("the ticket needs a subject");
        return vec![];
    }
    form.creating = true;
    let new = NewTicket {
        customer_email,
        customer_name,
        subject,
        body: form.body_text(),
        priority: Priority::Normal,
        channel: Channel::Phone,
        tags: Vec::new(),
    };
    vec![Effect::CreateTicket(new)]
}

/// The store created it: the form closes and the new ticket opens.
pub fn on_created(state: &mut State, ticket: Ticket) -> Vec<Effect> {
    state.ticket_form = None;
    state.focus = Pane::Conversation;
    state.set_status(format!(
        "created #{} for {} <{}>",
        ticket.id,
        for_display_line(&ticket.customer_name),
        for_display_line(&ticket.customer_email)
    ));
    let mut effects = super::refresh_after_write(state, ticket.id);
    effects.push(Effect::LoadTicket(ticket.id));
    effects
}

/// A create that failed leaves the form as it was, to fix and send again.
pub fn on_failed(state: &mut State) {
    if let Some(form) = state.ticket_form.as_mut() {
        form.creating = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::model::key::KeyCode;
    use crate::app::model::keymap::Keymap;
    use crate::app::model::views::View;
    use crate::domain::{Agent, Role};

    fn state() -> State {
        let agent = Agent {
            login: "ana".into(),
            name: "Ana".into(),
            email: None,
            role: Role::Agent,
            signature: String::new(),
            active: true,
        };
        let (keymap, _) = Keymap::build(&Default::default());
        let mut state = State::new(agent, keymap, View::Open, (120, 40), chrono::Utc::now());
        open(&mut state);
        state
    }

    fn typed(state: &mut State, c: char) -> Vec<Effect> {
        on_key(state, KeyEvent::from(KeyCode::Char(c)))
    }

    #[test]
    fn fast_typing_looks_customers_up_one_at_a_time_and_ends_on_the_latest_text() {
        let mut state = state();
        let first = typed(&mut state, 'c');
        assert!(matches!(&first[..], [Effect::FindCustomers { text, .. }] if text == "c"));
        assert!(typed(&mut state, 'a').is_empty(), "one lookup at a time");
        assert!(typed(&mut state, 'r').is_empty());
        let Effect::FindCustomers { generation, .. } = first[0].clone() else { unreachable!() };
        let next = on_customers(&mut state, generation, Vec::new());
        let [Effect::FindCustomers { generation, text }] = &next[..] else { panic!("{next:?}") };
        assert_eq!(text, "car", "the text typed meanwhile, once");
        let found = vec![CustomerSummary {
            id: 1,
            name: "Carla".into(),
            email: "carla@shop.example".into(),
            organization: None,
            tier: crate::domain::Tier::Gold,
            tickets: 2,
            open_tickets: 1,
        }];
        assert!(on_customers(&mut state, *generation, found).is_empty());
        assert_eq!(state.ticket_form.as_ref().unwrap().found.len(), 1);
    }

    #[test]
    fn only_the_creates_own_failure_lets_the_form_send_again() {
        use crate::app::model::message::Msg;
        let mut state = state();
        state.ticket_form.as_mut().unwrap().creating = true;
        crate::app::update::update(&mut state, Msg::Failed("could not save invoice.pdf".into()));
        assert!(state.ticket_form.as_ref().unwrap().creating, "another failure does not unlock a second create");
        crate::app::update::update(&mut state, Msg::CreateFailed("the database is busy".into()));
        assert!(!state.ticket_form.as_ref().unwrap().creating);
        assert!(state.status.as_ref().is_some_and(|s| s.text.contains("busy")));
    }

    #[test]
    fn a_failed_lookup_says_so_and_ends_the_lookup() {
        use crate::app::model::message::Msg;
        let mut state = state();
        let first = typed(&mut state, 'c');
        let Effect::FindCustomers { generation, .. } = first[0].clone() else { panic!("{first:?}") };
        assert!(typed(&mut state, 'a').is_empty(), "waits for the lookup on its way");
        let message = "the database is busy".to_string();
        let next = crate::app::update::update(&mut state, Msg::LookupFailed { generation, message });
        assert!(matches!(&next[..], [Effect::FindCustomers { text, .. }] if text == "ca"), "{next:?}");
        assert!(state.status.as_ref().is_some_and(|s| s.text.contains("busy")));
    }
}

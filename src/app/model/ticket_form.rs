//! The new-ticket form: who the customer is (one of the desk's, or a new address), a subject and
//! the customer's first message.

use crate::domain::{is_plausible_email, CustomerSummary};
use ratatui_textarea::TextArea;
use tui_input::Input;

/// Customers the form lists at most while the agent types.
pub const CUSTOMERS_SHOWN: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormField {
    Customer,
    Subject,
    Body,
}

impl FormField {
    pub fn step(self, delta: isize) -> FormField {
        const ORDER: [FormField; 3] = [FormField::Customer, FormField::Subject, FormField::Body];
        let at = ORDER.iter().position(|f| *f == self).unwrap_or(0) as isize;
        ORDER[(at + delta).rem_euclid(3) as usize]
    }
}

#[derive(Debug)]
pub struct TicketForm {
    pub field: FormField,
    /// A name or an address, typed: narrows `found`; a new address makes a new customer.
    pub customer: Input,
    /// Customers whose name or address matches what is typed, best first.
    pub found: Vec<CustomerSummary>,
    /// The highlighted one of `found`.
    pub selected: usize,
    /// The customer picked from `found` (Enter); typing again forgets them.
    pub chosen: Option<CustomerSummary>,
    pub subject: Input,
    pub body: TextArea<'static>,
    /// Esc on a form with text in it asks first: y throws it away, any other key goes back to it.
    pub confirm_discard: bool,
    /// The lookup on its way to the store (one at a time, so fast typing never queues a scan per
    /// key); answers to older ones are dropped.
    pub generation: u64,
    pub looking: bool,
    /// Typed while a lookup was on its way: looked up when its answer comes.
    pub look_next: Option<String>,
    /// Sent to the store; the form closes when the ticket is created, and stays when it is not.
    pub creating: bool,
}

impl Default for TicketForm {
    fn default() -> TicketForm {
        TicketForm {
            field: FormField::Customer,
            customer: Input::default(),
            found: Vec::new(),
            selected: 0,
            chosen: None,
            subject: Input::default(),
            body: TextArea::default(),
            confirm_discard: false,
            generation: 0,
            looking: false,
            look_next: None,
            creating: false,
        }
    }
}

impl TicketForm {
    /// Nothing typed anywhere: Esc may close it without asking.
    pub fn is_empty(&self) -> bool {
        self.customer.value().trim().is_empty()
            && self.subject.value().trim().is_empty()
            && self.body.lines().iter().all(|l| l.trim().is_empty())
    }

    pub fn body_text(&self) -> String {
        self.body.lines().join("\n").trim_end().to_string()
    }

    /// Who the ticket is for: the chosen customer's address, or the typed `address` or
    /// `Name <address>`, with the name for a new customer.
    pub fn recipient(&self) -> Result<(String, Option<String>), String> {
        if let Some(chosen) = &self.chosen {
            return Ok((chosen.email.clone(), None));
        }
        let typed = self.customer.value().trim();
        if typed.is_empty() {
            return Err("who is the ticket for? Type a name to pick a customer, or a new address".into());
        }
        let (name, address) = match typed.strip_suffix('>').and_then(|t| t.rsplit_once('<')) {
            Some((name, address)) => (Some(name.trim().trim_matches('"').to_string()), address.trim()),
            None => (None, typed),
        };
        if !is_plausible_email(address) {
            return Err(format!(
                "'{address}' is not an address: pick a customer with ↑/↓ and Enter, or type an address"
            ));
        }
        Ok((address.to_string(), name.filter(|n| !n.is_empty())))
    }

    /// The customer typed is someone new (a plausible address that no listed customer has).
    pub fn is_new_customer(&self) -> bool {
        self.chosen.is_none()
            && self
                .recipient()
                .is_ok_and(|(address, _)| !self.found.iter().any(|c| c.email.eq_ignore_ascii_case(&address)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> TicketForm {
        TicketForm { customer: Input::new(text.into()), ..TicketForm::default() }
    }

    #[test]
    fn the_customer_is_a_chosen_one_or_a_typed_address() {
        assert_eq!(typed("carla@shop.example").recipient(), Ok(("carla@shop.example".into(), None)));
        assert_eq!(
            typed("Carla Núñez <carla@shop.example>").recipient(),
            Ok(("carla@shop.example".into(), Some("Carla Núñez".into())))
        );
        assert!(typed("carla").recipient().unwrap_err().contains("'carla' is not an address"));
        assert!(typed("  ").recipient().unwrap_err().starts_with("who is the ticket for?"));
        assert!(typed("").is_empty());
        assert!(!typed("x").is_empty());
    }
}

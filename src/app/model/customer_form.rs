//! The customer form (`c` in the profile): the open ticket's customer's name, addresses, phone,
//! organization, tier, tags and notes, saved only over the customer as the form opened them.

use crate::domain::{Customer, CustomerChange, Tier};
use ratatui_textarea::TextArea;
use tui_input::Input;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerField {
    Name,
    Addresses,
    Phone,
    Organization,
    Tier,
    Tags,
    Notes,
}

impl CustomerField {
    pub const ORDER: [CustomerField; 7] = [
        CustomerField::Name,
        CustomerField::Addresses,
        CustomerField::Phone,
        CustomerField::Organization,
        CustomerField::Tier,
        CustomerField::Tags,
        CustomerField::Notes,
    ];

    pub fn step(self, delta: isize) -> CustomerField {
        let at = Self::ORDER.iter().position(|f| *f == self).unwrap_or(0) as isize;
        Self::ORDER[(at + delta).rem_euclid(Self::ORDER.len() as isize) as usize]
    }

    pub fn label(self) -> &'static str {
        match self {
            CustomerField::Name => "Name",
            CustomerField::Addresses => "Emails",
            CustomerField::Phone => "Phone",
            CustomerField::Organization => "Org",
            CustomerField::Tier => "Tier",
            CustomerField::Tags => "Tags",
            CustomerField::Notes => "Notes",
        }
    }
}

#[derive(Debug)]
pub struct CustomerForm {
    /// The customer as the form opened them (or as the last refused save found them): the save
    /// is checked against it, and only the fields the agent changed are written.
    pub seen: Customer,
    pub field: CustomerField,
    pub name: Input,
    /// Space-separated, the primary first.
    pub addresses: Input,
    pub phone: Input,
    /// An organization's name or number; empty for none.
    pub organization: Input,
    pub tier: Input,
    /// Space-separated.
    pub tags: Input,
    pub notes: TextArea<'static>,
    /// Esc on a changed form asks first: y throws the changes away, any other key goes back.
    pub confirm_discard: bool,
    /// Sent to the store; the form closes when saved and stays when not.
    pub saving: bool,
}

impl CustomerForm {
    pub fn new(customer: &Customer) -> CustomerForm {
        let mut form = CustomerForm {
            seen: customer.clone(),
            field: CustomerField::Name,
            name: Input::default(),
            addresses: Input::default(),
            phone: Input::default(),
            organization: Input::default(),
            tier: Input::default(),
            tags: Input::default(),
            notes: TextArea::default(),
            confirm_discard: false,
            saving: false,
        };
        form.fill(customer, |_| true);
        form
    }

    /// Put `customer`'s values in the fields `which` picks.
    fn fill(&mut self, c: &Customer, which: impl Fn(CustomerField) -> bool) {
        let text = |f: CustomerField| match f {
            CustomerField::Name => c.name.clone(),
            CustomerField::Addresses => c.emails.join(" "),
            CustomerField::Phone => c.phone.clone().unwrap_or_default(),
            CustomerField::Organization => c.organization.clone().unwrap_or_default(),
            CustomerField::Tier => c.tier.to_string(),
            CustomerField::Tags => c.tags.join(" "),
            CustomerField::Notes => c.notes.clone(),
        };
        for field in CustomerField::ORDER.into_iter().filter(|f| which(*f)) {
            match field {
                CustomerField::Notes => self.notes = TextArea::from(c.notes.lines().map(str::to_string)),
                f => *self.input_mut(f).expect("a one-line field") = Input::new(text(f)),
            }
        }
    }

    pub fn input(&self, field: CustomerField) -> Option<&Input> {
        match field {
            CustomerField::Name => Some(&self.name),
            CustomerField::Addresses => Some(&self.addresses),
            CustomerField::Phone => Some(&self.phone),
            CustomerField::Organization => Some(&self.organization),
            CustomerField::Tier => Some(&self.tier),
            CustomerField::Tags => Some(&self.tags),
            CustomerField::Notes => None,
        }
    }

    pub fn input_mut(&mut self, field: CustomerField) -> Option<&mut Input> {
        match field {
            CustomerField::Name => Some(&mut self.name),
            CustomerField::Addresses => Some(&mut self.addresses),
            CustomerField::Phone => Some(&mut self.phone),
            CustomerField::Organization => Some(&mut self.organization),
            CustomerField::Tier => Some(&mut self.tier),
            CustomerField::Tags => Some(&mut self.tags),
            CustomerField::Notes => None,
        }
    }

    pub fn notes_text(&self) -> String {
        self.notes.lines().join("\n").trim_end().to_string()
    }

    /// The fields whose text differs from the customer as seen.
    pub fn changed_fields(&self) -> Vec<CustomerField> {
        let seen = CustomerForm::new(&self.seen);
        let differs = |f: CustomerField| match (self.input(f), seen.input(f)) {
            (Some(mine), Some(theirs)) => words(mine.value()) != words(theirs.value()),
            _ => self.notes_text() != seen.notes_text(),
        };
        CustomerField::ORDER.into_iter().filter(|f| differs(*f)).collect()
    }

    /// The change the form asks of the customer: only the fields the agent changed.
    pub fn change(&self) -> Result<CustomerChange, String> {
        let mut change = CustomerChange::default();
        for field in self.changed_fields() {
            let value = self.input(field).map(|i| i.value().trim().to_string()).unwrap_or_default();
            let some = || Some(value.clone()).filter(|v| !v.is_empty());
            match field {
                CustomerField::Name => change.name = Some(value.clone()),
                CustomerField::Addresses => change.emails = Some(words(&value)),
                CustomerField::Phone => change.phone = Some(some()),
                CustomerField::Organization => change.organization = Some(some()),
                CustomerField::Tier => {
                    let tier = value.to_lowercase().parse::<Tier>();
                    change.tier = Some(tier.map_err(|_| {
                        let shown = crate::domain::text::for_display_line(&value);
                        format!("tier: '{shown}' is not one of standard, silver, gold, vip")
                    })?);
                }
                CustomerField::Tags => {
                    let (mine, seen) = (words(&value), self.seen.tags.clone());
                    change.tag = mine.iter().filter(|t| !seen.contains(t)).cloned().collect();
                    change.untag = seen.iter().filter(|t| !mine.contains(t)).cloned().collect();
                }
                CustomerField::Notes => change.notes = Some(self.notes_text()),
            }
        }
        Ok(change)
    }

    /// Someone changed the customer meanwhile: the fields the agent left alone take the values
    /// the customer now has; the agent's own changes stay, to be saved over `now` next time.
    pub fn rebase(&mut self, now: &Customer) {
        let mine = self.changed_fields();
        self.fill(now, |f| !mine.contains(&f));
        self.seen = now.clone();
        self.saving = false;
    }
}

/// Space- or comma-separated words.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn carla() -> Customer {
        Customer {
            id: 7,
            name: "Carla".into(),
            emails: vec!["carla@shop.example".into()],
            phone: None,
            organization: None,
            tier: Tier::Standard,
            notes: "Prefers email".into(),
            tags: vec!["billing".into()],
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn an_untouched_form_asks_nothing_and_a_changed_one_only_what_changed() {
        let mut form = CustomerForm::new(&carla());
        assert_eq!(form.change(), Ok(CustomerChange::default()));
        form.tags = Input::new("vip  billing".into());
        form.phone = Input::new(" 555 ".into());
        form.addresses = Input::new("carla@shop.example, c@work.example".into());
        let change = form.change().unwrap();
        assert_eq!((change.tag, change.untag), (vec!["vip".to_string()], vec![]));
        assert_eq!(change.phone, Some(Some("555".into())));
        assert_eq!(change.emails, Some(vec!["carla@shop.example".into(), "c@work.example".into()]));
        assert_eq!((change.name, change.notes, change.tier), (None, None, None));
        form.tier = Input::new("platinum".into());
        assert!(form.change().unwrap_err().contains("'platinum' is not one of"));
    }

    #[test]
    fn a_rebase_keeps_the_agents_changes_and_takes_the_rest_as_it_now_is() {
        let mut form = CustomerForm::new(&carla());
        form.phone = Input::new("555".into());
        let now = Customer { name: "Carla N.".into(), tier: Tier::Gold, ..carla() };
        form.rebase(&now);
        assert_eq!((form.name.value(), form.tier.value(), form.phone.value()), ("Carla N.", "gold", "555"));
        assert_eq!(form.changed_fields(), vec![CustomerField::Phone]);
    }
}

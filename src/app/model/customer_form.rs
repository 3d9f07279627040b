//! The customer form (`c` in the profile): the open ticket's customer's name, addresses, phone,
//! organization, tier, tags and notes, saved only over the customer as the form opened them.

use super::record_form::{words, RecordField, RecordForm};
use crate::domain::{Customer, CustomerChange, Tier};

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

impl RecordField for CustomerField {
    const ORDER: &'static [CustomerField] = &[
        CustomerField::Name,
        CustomerField::Addresses,
        CustomerField::Phone,
        CustomerField::Organization,
        CustomerField::Tier,
        CustomerField::Tags,
        CustomerField::Notes,
    ];

    fn label(self) -> &'static str {
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

    fn hint(self) -> &'static str {
        match self {
            CustomerField::Addresses => "space between addresses; the first is where replies go",
            CustomerField::Organization => "an organization's name or number; empty for none",
            CustomerField::Tier => "standard, silver, gold or vip",
            CustomerField::Tags => "space between tags",
            _ => "",
        }
    }

    fn multiline(self) -> bool {
        self == CustomerField::Notes
    }
}

#[derive(Debug)]
pub struct CustomerForm {
    /// The customer as the form opened them (or as the last refused save found them): the save
    /// is checked against it, and only the fields the agent changed are written.
    pub seen: Customer,
    pub form: RecordForm<CustomerField>,
}

/// The customer's value in `field`, as the form shows it.
fn text(c: &Customer, field: CustomerField) -> String {
    match field {
        CustomerField::Name => c.name.clone(),
        CustomerField::Addresses => c.emails.join(" "),
        CustomerField::Phone => c.phone.clone().unwrap_or_default(),
        CustomerField::Organization => c.organization.clone().unwrap_or_default(),
        CustomerField::Tier => c.tier.to_string(),
        CustomerField::Tags => c.tags.join(" "),
        CustomerField::Notes => c.notes.clone(),
    }
}

impl CustomerForm {
    pub fn new(customer: &Customer) -> CustomerForm {
        CustomerForm { seen: customer.clone(), form: RecordForm::new(|f| text(customer, f)) }
    }

    /// The change the form asks of the customer: only the fields the agent changed.
    pub fn change(&self) -> Result<CustomerChange, String> {
        let mut change = CustomerChange::default();
        for field in self.form.changed_fields() {
            let value = self.form.value(field).trim().to_string();
            let some = || Some(value.clone()).filter(|v| !v.is_empty());
            match field {
                CustomerField::Name => change.name = Some(value.clone()),
                CustomerField::Addresses => change.emails = Some(words(&value)),
                CustomerField::Phone => change.phone = Some(some()),
                CustomerField::Organization => change.organization = Some(some()),
                CustomerField::Tier => change.tier = Some(parse_tier(&value)?),
                CustomerField::Tags => {
                    let (mine, seen) = (words(&value), self.seen.tags.clone());
                    change.tag = mine.iter().filter(|t| !seen.contains(t)).cloned().collect();
                    change.untag = seen.iter().filter(|t| !mine.contains(t)).cloned().collect();
                }
                CustomerField::Notes => change.notes = Some(value),
            }
        }
        Ok(change)
    }

    /// Someone changed the customer meanwhile: the fields the agent left alone take the values
    /// the customer now has; the agent's own changes stay, to be saved over `now` next time.
    pub fn rebase(&mut self, now: &Customer) {
        self.form.rebase(|f| text(now, f));
        self.seen = now.clone();
    }
}

/// A tier as typed in a form, or the sentence saying what it may be.
pub fn parse_tier(value: &str) -> Result<Tier, String> {
    value.to_lowercase().parse::<Tier>().map_err(|_| {
        let shown = crate::domain::text::for_display_line(value);
        format!("tier: '{shown}' is not one of standard, silver, gold, vip")
    })
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
        form.form.set(CustomerField::Tags, "vip  billing");
        form.form.set(CustomerField::Phone, " 555 ");
        form.form.set(CustomerField::Addresses, "carla@shop.example, c@work.example");
        let change = form.change().unwrap();
        assert_eq!((change.tag, change.untag), (vec!["vip".to_string()], vec![]));
        assert_eq!(change.phone, Some(Some("555".into())));
        assert_eq!(change.emails, Some(vec!["carla@shop.example".into(), "c@work.example".into()]));
        assert_eq!((change.name, change.notes, change.tier), (None, None, None));
        form.form.set(CustomerField::Tier, "platinum");
        assert!(form.change().unwrap_err().contains("'platinum' is not one of"));
    }

    #[test]
    fn a_rebase_keeps_the_agents_changes_and_takes_the_rest_as_it_now_is() {
        let mut form = CustomerForm::new(&carla());
        form.form.set(CustomerField::Phone, "555");
        let now = Customer { name: "Carla N.".into(), tier: Tier::Gold, ..carla() };
        form.rebase(&now);
        let value = |f| form.form.value(f);
        assert_eq!(
            (value(CustomerField::Name), value(CustomerField::Tier), value(CustomerField::Phone)),
            ("Carla N.".into(), "gold".into(), "555".into())
        );
        assert_eq!(form.form.changed_fields(), vec![CustomerField::Phone]);
    }
}

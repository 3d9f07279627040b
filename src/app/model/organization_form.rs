//! The organization form (`o` in the profile): the customer's organization's name, domains, tier
//! and notes, saved only over the organization as the form opened it; for a customer in none, a
//! new organization that they are put in.

use super::customer_form::parse_tier;
use super::record_form::{words, RecordField, RecordForm};
use crate::domain::{NewOrganization, Organization, OrganizationChange};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganizationField {
    Name,
    Domains,
    Tier,
    Notes,
}

impl RecordField for OrganizationField {
    const ORDER: &'static [OrganizationField] =
        &[OrganizationField::Name, OrganizationField::Domains, OrganizationField::Tier, OrganizationField::Notes];

    fn label(self) -> &'static str {
        match self {
            OrganizationField::Name => "Name",
            OrganizationField::Domains => "Domains",
            OrganizationField::Tier => "Tier",
            OrganizationField::Notes => "Notes",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            OrganizationField::Domains => "space between domains (shop.example); new customers there join it",
            OrganizationField::Tier => "standard, silver, gold or vip: the tier its new customers get",
            _ => "",
        }
    }

    fn multiline(self) -> bool {
        self == OrganizationField::Notes
    }
}

/// What saving the form asks of the store.
#[derive(Debug, Clone, PartialEq)]
pub enum OrganizationSave {
    Change(OrganizationChange),
    /// A new organization, with the customer put in it.
    Create(NewOrganization),
}

#[derive(Debug)]
pub struct OrganizationForm {
    /// The organization as the form opened it (or as the last refused save found it); `None`
    /// while it is a new one.
    pub seen: Option<Organization>,
    /// The customer whose profile it was opened from (put in a new organization).
    pub customer: i64,
    pub customer_name: String,
    pub form: RecordForm<OrganizationField>,
}

fn text(org: Option<&Organization>, field: OrganizationField) -> String {
    let Some(o) = org else { return if field == OrganizationField::Tier { "standard".into() } else { String::new() } };
    match field {
        OrganizationField::Name => o.name.clone(),
        OrganizationField::Domains => o.domains.join(" "),
        OrganizationField::Tier => o.tier.to_string(),
        OrganizationField::Notes => o.notes.clone(),
    }
}

impl OrganizationForm {
    pub fn new(seen: Option<&Organization>, customer: i64, customer_name: &str) -> OrganizationForm {
        OrganizationForm {
            seen: seen.cloned(),
            customer,
            customer_name: customer_name.to_string(),
            form: RecordForm::new(|f| text(seen, f)),
        }
    }

    /// What the form asks: the fields the agent changed of an organization, or a new one;
    /// `None` when nothing changed.
    pub fn save(&self) -> Result<Option<OrganizationSave>, String> {
        let value = |f| self.form.value(f).trim().to_string();
        let changed = self.form.changed_fields();
        let Some(seen) = &self.seen else {
            if changed.is_empty() {
                return Ok(None);
            }
            return Ok(Some(OrganizationSave::Create(NewOrganization {
                name: value(OrganizationField::Name),
                domains: words(&value(OrganizationField::Domains)),
                tier: Some(parse_tier(&value(OrganizationField::Tier))?),
                notes: value(OrganizationField::Notes),
            })));
        };
        let mut change = OrganizationChange::default();
        for field in changed {
            match field {
                OrganizationField::Name => change.name = Some(value(field)),
                OrganizationField::Domains => {
                    let mine = words(&value(field).to_lowercase());
                    change.domain = mine.iter().filter(|d| !seen.domains.contains(d)).cloned().collect();
                    change.undomain = seen.domains.iter().filter(|d| !mine.contains(d)).cloned().collect();
                }
                OrganizationField::Tier => change.tier = Some(parse_tier(&value(field))?),
                OrganizationField::Notes => change.notes = Some(value(field)),
            }
        }
        Ok((!change.is_empty()).then_some(OrganizationSave::Change(change)))
    }

    /// Someone changed the organization meanwhile: the agent's changes stay over theirs.
    pub fn rebase(&mut self, now: &Organization) {
        self.form.rebase(|f| text(Some(now), f));
        self.seen = Some(now.clone());
    }

    /// The form's title: the organization, or the new one's customer; made safe.
    pub fn title(&self) -> String {
        use crate::domain::text::for_display_line;
        match &self.seen {
            Some(o) => format!(" Organization {} · {} ", o.id, for_display_line(&o.name)),
            None => format!(" New organization for {} ", for_display_line(&self.customer_name)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Tier;

    fn shop() -> Organization {
        Organization {
            id: 3,
            name: "Shop Inc".into(),
            domains: vec!["shop.example".into(), "shop-eu.example".into()],
            tier: Tier::Silver,
            notes: String::new(),
        }
    }

    #[test]
    fn only_what_changed_is_asked_and_domains_are_added_and_removed() {
        let mut form = OrganizationForm::new(Some(&shop()), 7, "Carla");
        assert_eq!(form.save(), Ok(None));
        form.form.set(OrganizationField::Domains, "shop.example SHOP.fr");
        let Ok(Some(OrganizationSave::Change(change))) = form.save() else { panic!("{:?}", form.save()) };
        assert_eq!((change.domain, change.undomain), (vec!["shop.fr".into()], vec!["shop-eu.example".into()]));
        assert_eq!((change.name, change.tier, change.notes), (None, None, None));
        form.form.set(OrganizationField::Tier, "gold!");
        assert_eq!(form.save().unwrap_err(), "tier: 'gold!' is not one of standard, silver, gold, vip");
    }

    #[test]
    fn a_new_organization_asks_for_everything_typed() {
        let mut form = OrganizationForm::new(None, 7, "Carla");
        assert_eq!((form.save(), form.title()), (Ok(None), " New organization for Carla ".to_string()));
        form.form.set(OrganizationField::Name, " Núñez Imports ");
        form.form.set(OrganizationField::Domains, "nunez.example");
        let Ok(Some(OrganizationSave::Create(new))) = form.save() else { panic!("{:?}", form.save()) };
        assert_eq!(
            (new.name.as_str(), new.domains, new.tier),
            ("Núñez Imports", vec!["nunez.example".into()], Some(Tier::Standard))
        );
    }
}

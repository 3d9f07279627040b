//! Changes asked of a customer's or an organization's record, and what a valid domain is.

use super::{tag_or_why, Tier};

/// A customer to create: one or more addresses (the first is primary) and what else is known.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewCustomer {
    pub name: String,
    pub emails: Vec<String>,
    pub phone: Option<String>,
    /// An organization's name or number; `None` lets the address's domain decide.
    pub organization: Option<String>,
    /// `None`: the organization's tier when they join one, else standard.
    pub tier: Option<Tier>,
    pub tags: Vec<String>,
    pub notes: String,
}

/// A change asked of a customer's record; `None` (or an empty list) leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerChange {
    pub name: Option<String>,
    /// `Some(None)` removes the phone number.
    pub phone: Option<Option<String>>,
    /// An organization's name or number; `Some(None)` takes the customer out of theirs.
    pub organization: Option<Option<String>>,
    pub tier: Option<Tier>,
    pub tag: Vec<String>,
    pub untag: Vec<String>,
    pub notes: Option<String>,
    /// Every address in order, the first primary: those not listed are removed, new ones added.
    pub emails: Option<Vec<String>>,
}

impl CustomerChange {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.phone.is_none()
            && self.organization.is_none()
            && self.tier.is_none()
            && self.tag.is_empty()
            && self.untag.is_empty()
            && self.notes.is_none()
            && self.emails.is_none()
    }

    /// The tags to add and to remove, normalized; a tag both added and removed is refused.
    pub fn tags(&self) -> Result<(Vec<String>, Vec<String>), String> {
        let norm = |tags: &[String]| -> Result<Vec<String>, String> { tags.iter().map(|t| tag_or_why(t)).collect() };
        let (add, remove) = (norm(&self.tag)?, norm(&self.untag)?);
        if let Some(both) = add.iter().find(|t| remove.contains(t)) {
            return Err(format!("the tag '{both}' is both added and removed; give it once"));
        }
        Ok((add, remove))
    }
}

/// An organization to create.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewOrganization {
    pub name: String,
    pub domains: Vec<String>,
    pub tier: Option<Tier>,
    pub notes: String,
}

/// A change asked of an organization; `None` (or an empty list) leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrganizationChange {
    pub name: Option<String>,
    pub domain: Vec<String>,
    pub undomain: Vec<String>,
    pub tier: Option<Tier>,
    pub notes: Option<String>,
}

impl OrganizationChange {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.domain.is_empty()
            && self.undomain.is_empty()
            && self.tier.is_none()
            && self.notes.is_none()
    }
}

/// The open tickets of a customer's organization that are not the customer's own: how many,
/// and the most recently changed few, for the profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrganizationTickets {
    pub name: String,
    pub open: u64,
    pub first: Vec<super::Ticket>,
}

/// An email domain as organizations list it: lowercase letters, digits and hyphens in labels
/// separated by dots, at least two labels (`shop.example`). `None` when it is not one.
pub fn normalize_domain(domain: &str) -> Option<String> {
    let d = domain.trim().trim_start_matches('@').to_ascii_lowercase();
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    (d.len() <= 253 && d.split('.').count() >= 2 && d.split('.').all(label_ok)).then_some(d)
}

/// The domain of an address, lowercased: what an organization's domains are matched against.
pub fn address_domain(address: &str) -> Option<String> {
    address.trim().rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase()).filter(|d| !d.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_is_lowercase_labels_and_an_at_is_forgiven() {
        assert_eq!(normalize_domain(" Shop.Example "), Some("shop.example".into()));
        assert_eq!(normalize_domain("@shop.example"), Some("shop.example".into()));
        assert_eq!(normalize_domain("sub.shop-1.example"), Some("sub.shop-1.example".into()));
        for bad in ["shop", "shop..example", "-shop.example", "shop.example.", "shop example", "a\"b.example", ""] {
            assert_eq!(normalize_domain(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn an_addresss_domain_is_after_its_last_at() {
        assert_eq!(address_domain("Carla@Shop.Example"), Some("shop.example".into()));
        assert_eq!(address_domain("\"a@b\"@sub.shop.example"), Some("sub.shop.example".into()));
        assert_eq!(address_domain("nobody"), None);
    }

    #[test]
    fn a_tag_both_added_and_removed_is_refused() {
        let change = CustomerChange { tag: vec!["VIP".into()], untag: vec!["vip".into()], ..Default::default() };
        assert!(change.tags().unwrap_err().contains("'vip' is both added and removed"));
        let change = CustomerChange { tag: vec!["Late Payer".into()], ..Default::default() };
        assert_eq!(change.tags(), Ok((vec!["late-payer".into()], vec![])));
    }
}

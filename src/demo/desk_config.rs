//! The demo desk's own config, embedded from `assets/demo-config/`: what `--demo` writes beside
//! its database, and the promises (SLA targets, tier raises) the generated desk keeps.

use crate::config::{self, SlaConfig};
use crate::domain::sla::Policies;
use crate::domain::{Priority, Tier};
use crate::store::StoreError;
use std::path::Path;

/// The demo's `config.toml`.
pub const CONFIG: &str = include_str!("../../assets/demo-config/config.toml");

/// The demo's canned replies, one file each, written to `macros/` beside its config.
pub const MACROS: &[(&str, &str)] = &[
    ("greeting.toml", include_str!("../../assets/demo-config/macros/greeting.toml")),
    ("order-number.toml", include_str!("../../assets/demo-config/macros/order-number.toml")),
    ("thanks-solved.toml", include_str!("../../assets/demo-config/macros/thanks-solved.toml")),
];

/// What the demo config promises customers, as the generator needs it.
pub(crate) struct Promises {
    sla: SlaConfig,
    policies: Policies,
}

impl Promises {
    pub(crate) fn load() -> Result<Promises, StoreError> {
        let invalid = |e: String| StoreError::Invalid(format!("the demo config: {e}"));
        let config = config::parse(CONFIG, Path::new("demo/config.toml")).map_err(|e| invalid(e.to_string()))?;
        let sla = config.sla.ok_or_else(|| invalid("has no [sla] section".into()))?;
        let policies = sla.policies().map_err(invalid)?;
        Ok(Promises { sla, policies })
    }

    /// Steps the customer's tier raises a new ticket's priority.
    pub(crate) fn raise(&self, tier: Tier) -> usize {
        usize::from(self.sla.priority_raise(tier))
    }

    /// The first-response target in milliseconds, if the ticket's policy has one.
    pub(crate) fn first_response_ms(&self, priority: Priority, tier: Tier) -> Option<i64> {
        Some(self.policies.for_ticket(priority, tier)?.targets.first_response? * 1_000)
    }

    /// The resolution target in milliseconds, if the ticket's policy has one.
    pub(crate) fn resolution_ms(&self, priority: Priority, tier: Tier) -> Option<i64> {
        Some(self.policies.for_ticket(priority, tier)?.targets.resolution? * 1_000)
    }

    /// The next-response target in milliseconds, if the ticket's policy has one.
    pub(crate) fn next_response_ms(&self, priority: Priority, tier: Tier) -> Option<i64> {
        Some(self.policies.for_ticket(priority, tier)?.targets.next_response? * 1_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_config_and_its_canned_replies_are_valid() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, CONFIG).unwrap();
        let config = config::load(&path, true).unwrap();
        assert_eq!(config.views.len(), 2);
        assert_eq!(config.sla.as_ref().map(|s| s.hours.as_str()), Some("business"));
        let macros = dir.path().join("macros");
        std::fs::create_dir(&macros).unwrap();
        for (name, text) in MACROS {
            std::fs::write(macros.join(name), text).unwrap();
        }
        let (replies, problems) = config::load_macros(&macros);
        assert!(problems.is_empty(), "{problems:?}");
        let status = |name: &str| config::find_macro(&replies, name).map(|m| m.actions.status.clone());
        assert_eq!(status("Greeting"), Some(None));
        assert_eq!(status("Ask for the order number"), Some(Some("pending".into())));
        assert_eq!(status("Thanks, solved"), Some(Some("solved".into())));
    }

    #[test]
    fn promises_follow_priority_and_tier() {
        let p = Promises::load().unwrap();
        assert_eq!((p.raise(Tier::Standard), p.raise(Tier::Vip)), (0, 1));
        assert_eq!(p.first_response_ms(Priority::Normal, Tier::Standard), Some(8 * 3_600_000));
        assert_eq!(p.next_response_ms(Priority::High, Tier::Vip), Some(2 * 3_600_000));
    }
}

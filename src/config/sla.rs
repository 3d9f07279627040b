//! `[sla]`: targets per priority and tier, business hours, tier priority raises, follow-up.

use crate::domain::sla::{parse_duration, BusinessHours, Hours, Policies, Policy, Targets};
use crate::domain::{Priority, Tier};
use chrono::{NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SlaConfig {
    /// `calendar` (round the clock, the default) or `business` (the `[sla.business_hours]`).
    pub hours: String,
    pub business_hours: BusinessHoursConfig,
    /// Targets per priority, optionally per tier (`[[sla.policies]]`).
    pub policies: Vec<PolicyConfig>,
    /// Steps a customer's tier raises the priority of their new tickets, e.g. `gold = 1`.
    pub raise_priority: BTreeMap<String, u8>,
    /// Pending tickets with no answer from the customer after this many days are offered for solving.
    pub solve_pending_after_days: Option<u32>,
    /// Mail the customer a one-question CSAT survey when a ticket is solved (needs `[mail.outbound]`).
    pub csat_survey: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BusinessHoursConfig {
    /// An IANA time zone name, e.g. `Europe/Berlin`.
    pub time_zone: String,
    pub weekdays: Vec<String>,
    /// Opening and closing times, `HH:MM`, local.
    pub open: String,
    pub close: String,
    /// Closed days, `YYYY-MM-DD`.
    pub holidays: Vec<String>,
}

impl Default for BusinessHoursConfig {
    fn default() -> Self {
        BusinessHoursConfig {
            time_zone: "UTC".into(),
            weekdays: ["mon", "tue", "wed", "thu", "fri"].map(String::from).to_vec(),
            open: "09:00".into(),
            close: "17:00".into(),
            holidays: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyConfig {
    pub priority: String,
    /// Only for customers of this tier; a tier policy wins over the general one.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub tier: String,
    /// Targets like `30m`, `4h`, `2d`; empty means no clock of that kind.
    pub first_response: String,
    pub next_response: String,
    pub resolution: String,
    /// `calendar` or `business`; empty takes `sla.hours`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hours: String,
}

impl super::Config {
    /// The SLA policies (none without `[sla]`); the config was checked when it was loaded.
    pub fn sla_policies(&self) -> Policies {
        self.sla.as_ref().and_then(|s| s.policies().ok()).unwrap_or_default()
    }

    /// The hours of tickets no SLA policy names (`sla.hours`; round the clock without `[sla]`).
    pub fn sla_hours(&self) -> Hours {
        match self.sla.as_ref() {
            Some(s) if s.hours == "business" => {
                s.business_hours.hours().map(Hours::Business).unwrap_or(Hours::Calendar)
            }
            _ => Hours::Calendar,
        }
    }

    /// Days a pending ticket may wait for the customer before it is offered for solving.
    pub fn stale_days(&self) -> u32 {
        self.sla.as_ref().and_then(|s| s.solve_pending_after_days).unwrap_or(DEFAULT_STALE_DAYS)
    }
}

/// Days a pending ticket waits for the customer before it is offered for solving, by default.
pub const DEFAULT_STALE_DAYS: u32 = 7;

impl SlaConfig {
    /// The policies as the domain uses them, or the first problem found.
    pub fn policies(&self) -> Result<Policies, String> {
        let business = self.business_hours.hours()?;
        let mut policies = Vec::new();
        for (i, p) in self.policies.iter().enumerate() {
            let at = format!("sla.policies[{i}]");
            let priority: Priority = p.priority.parse().map_err(|e| format!("{at}: {e}"))?;
            let tier = match p.tier.as_str() {
                "" => None,
                t => Some(t.parse::<Tier>().map_err(|e| format!("{at}: {e}"))?),
            };
            let target = |name: &str, text: &str| -> Result<Option<i64>, String> {
                match text.trim() {
                    "" => Ok(None),
                    t => parse_duration(t).map(Some).map_err(|problem| format!("{at}: {name} '{t}' {problem}")),
                }
            };
            let targets = Targets {
                first_response: target("first_response", &p.first_response)?,
                next_response: target("next_response", &p.next_response)?,
                resolution: target("resolution", &p.resolution)?,
            };
            let mode = if p.hours.is_empty() { self.hours.as_str() } else { p.hours.as_str() };
            let hours = match mode {
                "business" => Hours::Business(business.clone()),
                "calendar" | "" => Hours::Calendar,
                h => return Err(format!("{at}: hours '{h}' is not calendar or business")),
            };
            policies.push(Policy { priority, tier, targets, hours });
        }
        Ok(Policies { policies })
    }

    /// How many steps a tier raises a new ticket's priority.
    pub fn priority_raise(&self, tier: Tier) -> u8 {
        self.raise_priority.get(tier.as_str()).copied().unwrap_or(0)
    }

    pub fn problem(&self) -> Option<String> {
        if !matches!(self.hours.as_str(), "" | "calendar" | "business") {
            return Some(format!("sla.hours is '{}'; expected calendar or business", self.hours));
        }
        if let Some(days) = self.solve_pending_after_days.filter(|d| *d > 3650) {
            return Some(format!("sla.solve_pending_after_days is {days}; expected 0 to 3650 days"));
        }
        if let Some(tier) = self.raise_priority.keys().find(|t| t.parse::<Tier>().is_err()) {
            return Some(format!(
                "sla.raise_priority names '{tier}', which is not a tier (standard, silver, gold, vip)"
            ));
        }
        self.policies().err()
    }
}

impl BusinessHoursConfig {
    fn hours(&self) -> Result<BusinessHours, String> {
        let time_zone = self.time_zone.parse().map_err(|_| {
            format!("sla.business_hours.time_zone '{}' is not a time zone like Europe/Berlin", self.time_zone)
        })?;
        let time = |name: &str, text: &str| {
            NaiveTime::parse_from_str(text, "%H:%M")
                .map_err(|_| format!("sla.business_hours.{name} '{text}' is not a time like 09:00"))
        };
        let weekdays = self
            .weekdays
            .iter()
            .map(|d| d.parse::<Weekday>().map_err(|_| format!("sla.business_hours.weekdays: '{d}' is not a weekday")))
            .collect::<Result<Vec<_>, _>>()?;
        let holidays = self
            .holidays
            .iter()
            .map(|d| {
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| format!("sla.business_hours.holidays: '{d}' is not a date like 2026-12-25"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let (open, close) = (time("open", &self.open)?, time("close", &self.close)?);
        if close <= open {
            return Err("sla.business_hours: close must be after open".into());
        }
        Ok(BusinessHours { time_zone, weekdays, open, close, holidays })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> SlaConfig {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn policies_read_from_the_config() {
        let c = parse(
            "hours = \"business\"\n[business_hours]\ntime_zone = \"Europe/Berlin\"\nholidays = [\"2026-12-25\"]\n\
             [[policies]]\npriority = \"urgent\"\nfirst_response = \"1h\"\nresolution = \"1d\"\n\
             [[policies]]\npriority = \"urgent\"\ntier = \"vip\"\nfirst_response = \"15m\"\nhours = \"calendar\"\n\
             [raise_priority]\nvip = 1\n",
        );
        assert_eq!(c.problem(), None);
        let all = c.policies().unwrap();
        let vip = all.for_ticket(Priority::Urgent, Tier::Vip).unwrap();
        assert_eq!((vip.targets.first_response, &vip.hours), (Some(900), &Hours::Calendar));
        let other = all.for_ticket(Priority::Urgent, Tier::Standard).unwrap();
        assert_eq!((other.targets.resolution, other.targets.next_response), (Some(86_400), None));
        assert!(matches!(other.hours, Hours::Business(_)));
        assert_eq!((c.priority_raise(Tier::Vip), c.priority_raise(Tier::Gold)), (1, 0));
    }

    #[test]
    fn bad_settings_are_named() {
        let bad = |text: &str| parse(text).problem().unwrap();
        assert!(bad("[[policies]]\npriority = \"asap\"\n").contains("sla.policies[0]: unknown priority 'asap'"));
        assert!(bad("[[policies]]\npriority = \"low\"\nresolution = \"soon\"\n").contains("resolution 'soon'"));
        assert!(bad("[business_hours]\ntime_zone = \"Mars/Base\"\n").contains("Mars/Base"));
        assert!(bad("[business_hours]\nopen = \"18:00\"\n").contains("close must be after open"));
        assert!(bad("[raise_priority]\nplatinum = 1\n").contains("platinum"));
        assert!(bad("hours = \"office\"\n").contains("office"));
        let huge = bad("[[policies]]\npriority = \"low\"\nresolution = \"99999999999999999999d\"\n");
        assert!(huge.contains("resolution '99999999999999999999d' is longer than a target can be"), "{huge}");
        assert!(bad("solve_pending_after_days = 4000000000\n").contains("expected 0 to 3650 days"));
    }
}

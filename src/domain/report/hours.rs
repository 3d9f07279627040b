//! Which hours a report's times are counted in, and the desk's own time zone.

use crate::domain::sla::{BusinessHours, Hours, Policies};
use crate::domain::when::Zone;

/// The first business hours the policies (or the default hours) use.
fn business(policies: &Policies, default_hours: &Hours) -> Option<BusinessHours> {
    policies.policies.iter().map(|p| &p.hours).chain(std::iter::once(default_hours)).find_map(|h| match h {
        Hours::Business(b) => Some(b.clone()),
        Hours::Calendar => None,
    })
}

/// The desk's time zone: its business hours', when it has them.
pub fn desk_zone(policies: &Policies, default_hours: &Hours) -> Option<Zone> {
    business(policies, default_hours).map(|b| Zone::Named(b.time_zone))
}

/// Which hours the times are in, for the report's header and `--explain`.
pub fn hours_text(policies: &Policies, default_hours: &Hours) -> String {
    let business = business(policies, default_hours);
    let calendar_too = policies.policies.iter().any(|p| p.hours == Hours::Calendar);
    match business {
        None => "calendar hours (every hour counts)".into(),
        Some(b) => {
            let days: Vec<String> = b.weekdays.iter().map(|d| d.to_string().to_lowercase()).collect();
            let mut text = format!(
                "business hours ({}, {} {}–{}{})",
                b.time_zone.name(),
                days.join(" "),
                b.open.format("%H:%M"),
                b.close.format("%H:%M"),
                if b.holidays.is_empty() { "" } else { ", holidays off" }
            );
            if calendar_too {
                text.push_str("; calendar hours for tickets whose SLA policy says so");
            }
            text
        }
    }
}

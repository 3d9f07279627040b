//! Reports: how the desk is doing over a period, exact and explainable. Every time is read from
//! the same timelines and clocks as the SLA countdowns ([`crate::domain::sla`]), so a ticket's
//! clock and its figure in a report never disagree. Pure: the store streams the tickets in, the
//! command line (and the console) draw the [`Report`] as it is.

mod build;
mod facts;
mod figure;
mod heat;
mod hours;
mod period;
mod shown;
mod stats;
mod tally;

pub use build::{Builder, Report, Request, Row, Section, SeriesPoint};
pub use facts::{
    facts, is_settled, kept_summary, summary, CsatRecord, Measure, NpsRecord, Outcome, Rules, Running, SurveyRecord,
    TicketFacts, TicketGroups, TicketRecord, TicketSummary,
};
pub use figure::{Behind, Figure, Unit};
pub use heat::HeatMap;
pub use hours::{desk_zone, hours_text};
pub use period::{buckets, last_period, parse_last, Last, Period, SeriesStep};
pub use shown::{change, duration, value};
pub use stats::{mean, median, percentile};
pub use tally::BadRating;

use serde::Serialize;

/// What `--by` groups tickets by: each as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// The ticket's assignee.
    Agent,
    /// The customer's tier.
    Tier,
    Organization,
    /// Each of the ticket's tags (a ticket with two tags counts in both).
    Tag,
    Channel,
    Priority,
    /// The IMAP mailbox a ticket came in by ("no mailbox": made by hand, by `frontdesk import`,
    /// or before the desk recorded it).
    Mailbox,
}

impl std::str::FromStr for Dimension {
    type Err = String;
    fn from_str(s: &str) -> Result<Dimension, String> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "agent" | "assignee" => Dimension::Agent,
            "tier" => Dimension::Tier,
            "organization" | "org" => Dimension::Organization,
            "tag" => Dimension::Tag,
            "channel" => Dimension::Channel,
            "priority" => Dimension::Priority,
            "mailbox" => Dimension::Mailbox,
            _ => {
                return Err(format!(
                    "'{s}' is not a grouping; use agent, tier, organization, tag, channel, priority or mailbox"
                ))
            }
        })
    }
}

impl Dimension {
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Agent => "agent",
            Dimension::Tier => "tier",
            Dimension::Organization => "organization",
            Dimension::Tag => "tag",
            Dimension::Channel => "channel",
            Dimension::Priority => "priority",
            Dimension::Mailbox => "mailbox",
        }
    }

    /// The groups a ticket counts in.
    pub fn keys(self, g: &TicketGroups) -> Vec<String> {
        match self {
            Dimension::Agent => vec![g.assignee.clone().unwrap_or_else(|| "unassigned".into())],
            Dimension::Tier => vec![g.tier.to_string()],
            Dimension::Organization => vec![g.organization.clone().unwrap_or_else(|| "no organization".into())],
            Dimension::Tag if g.tags.is_empty() => vec!["no tag".into()],
            Dimension::Tag => g.tags.clone(),
            Dimension::Channel => vec![g.channel.to_string()],
            Dimension::Priority => vec![g.priority.to_string()],
            Dimension::Mailbox => vec![g.mailbox.clone().unwrap_or_else(|| "no mailbox".into())],
        }
    }
}

#[cfg(test)]
mod tests;

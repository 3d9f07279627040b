//! SLA clocks in `ticket show` and `ticket list`: the `--json` shape and the human lines.

use super::output::rfc3339;
use super::CliError;
use crate::domain::sla::{explain, Clock, ClockKind, Hours, Policies};
use crate::domain::{Ticket, Timestamp};
use crate::store::Store;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Serialize)]
pub struct ClockJson {
    pub due_at: Option<String>,
    /// `ok`, `warning`, `breached`, `met` or `paused`.
    pub state: &'static str,
    /// Working seconds left; negative once breached.
    pub remaining_seconds: i64,
    pub target_seconds: i64,
    pub stopped_at: Option<String>,
}

/// Each clock the ticket's policy has, by kind.
#[derive(Debug, Default, Serialize)]
pub struct SlaJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_response: Option<ClockJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_response: Option<ClockJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<ClockJson>,
}

impl From<&[Clock]> for SlaJson {
    fn from(clocks: &[Clock]) -> Self {
        let mut json = SlaJson::default();
        for c in clocks {
            let clock = ClockJson {
                due_at: c.due_at.map(rfc3339),
                state: c.state.as_str(),
                remaining_seconds: c.remaining_seconds,
                target_seconds: c.target_seconds,
                stopped_at: c.stopped_at.map(rfc3339),
            };
            match c.kind {
                ClockKind::FirstResponse => json.first_response = Some(clock),
                ClockKind::NextResponse => json.next_response = Some(clock),
                ClockKind::Resolution => json.resolution = Some(clock),
            }
        }
        json
    }
}

/// The clocks of each ticket that has a policy.
pub fn clocks(
    store: &Store,
    policies: &Policies,
    tickets: &[Ticket],
    now: Timestamp,
) -> Result<HashMap<i64, (Vec<Clock>, Hours)>, CliError> {
    if policies.is_empty() {
        return Ok(HashMap::new());
    }
    let timelines = store.sla_timelines(tickets)?;
    Ok(tickets
        .iter()
        .filter_map(|t| {
            let (tier, timeline) = timelines.get(&t.id)?;
            let (clocks, hours) = policies.clocks_for(t.priority, *tier, timeline, now);
            (!clocks.is_empty()).then_some((t.id, (clocks, hours)))
        })
        .collect())
}

/// `ticket list`'s DUE cell: the next due clock as `12m`, `breached -20m`, `paused 3h`, or `-`.
pub fn due_cell(clocks: Option<&[Clock]>) -> String {
    use crate::domain::sla::{countdown, next_due, ClockState};
    match clocks.and_then(next_due) {
        Some(c) if c.state == ClockState::Breached => format!("breached {}", countdown(c.remaining_seconds)),
        Some(c) if c.state == ClockState::Ok => countdown(c.remaining_seconds),
        Some(c) => format!("{} {}", c.state.as_str(), countdown(c.remaining_seconds)),
        None => "-".into(),
    }
}

/// One line per clock for `ticket show`.
pub fn lines(clocks: &[Clock], hours: &Hours) -> Vec<String> {
    let zone = crate::domain::when::agent_zone();
    clocks.iter().map(|c| format!("sla: {} ({})", explain(c, hours, zone), c.state.as_str())).collect()
}

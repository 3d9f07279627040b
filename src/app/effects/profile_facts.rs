//! Loading what the profile shows of the customer: ratings, the at-risk mark, the last contact, the
//! open ticket's clocks explained.

use crate::app::model::profile::{ProfileFacts, RISK_DAYS};
use crate::domain::sla::{ClockState, Policies};
use crate::domain::when::Zone;
use crate::domain::{Ticket, Timestamp};
use crate::store::{Store, StoreError};

/// The organization's other open tickets the profile lists at most.
const ORGANIZATION_TICKETS_SHOWN: usize = 3;

pub fn load(
    store: &Store,
    policies: &Policies,
    open: &Ticket,
    tickets: &[Ticket],
    now: Timestamp,
    zone: Zone,
) -> Result<ProfileFacts, StoreError> {
    let customer_id = open.customer_id;
    let ratings = store.customer_ratings(customer_id)?;
    let since = now - chrono::Duration::days(RISK_DAYS);
    let mut at_risk = store.customer_risk(customer_id, since)?;
    if at_risk.is_none() {
        let recent: Vec<Ticket> = tickets.iter().filter(|t| t.updated_at >= since).cloned().collect();
        // Any breach counts, a late answer included, not just a clock still overdue.
        let timelines = if policies.is_empty() { Default::default() } else { store.sla_timelines(&recent)? };
        let breached = recent.iter().find(|t| {
            timelines.get(&t.id).is_some_and(|(tier, timeline)| {
                policies.clocks_for(t.priority, *tier, timeline, now).0.iter().any(|c| c.state == ClockState::Breached)
            })
        });
        at_risk = breached.map(|t| format!("SLA breached on #{}", t.id));
    }
    let last_contact = store.last_contact(customer_id)?;
    let sla = explain_clocks(store, policies, open, now, zone)?;
    let organization = store.organization_tickets_besides(customer_id, ORGANIZATION_TICKETS_SHOWN)?;
    Ok(ProfileFacts { ratings, at_risk, last_contact, sla, organization })
}

fn explain_clocks(
    store: &Store,
    policies: &Policies,
    ticket: &Ticket,
    now: Timestamp,
    zone: Zone,
) -> Result<Vec<String>, StoreError> {
    if policies.is_empty() {
        return Ok(Vec::new());
    }
    let timelines = store.sla_timelines(std::slice::from_ref(ticket))?;
    let Some((tier, timeline)) = timelines.get(&ticket.id) else { return Ok(Vec::new()) };
    let (clocks, hours) = policies.clocks_for(ticket.priority, *tier, timeline, now);
    Ok(clocks.iter().map(|c| crate::domain::sla::explain(c, &hours, zone)).collect())
}

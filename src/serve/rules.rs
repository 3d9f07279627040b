//! The timed rules (`clock`, `breach`, `no_answer`), run by each round of the service and by
//! `frontdesk rules run`: each fires once per ticket and rule, recorded with the firing.

use crate::domain::rules::{used_percent, Rule, Trigger, Verdict};
use crate::domain::sla::{ClockState, Policies};
use crate::domain::Timestamp;
use crate::mail::rules::{Fired, Rules};
use crate::store::{Store, StoreError};

/// Tickets read at a time while looking for the ones a timed rule fires on.
const PAGE: usize = 500;

/// Fire every timed rule on the tickets it is due on as of `now`.
pub fn run_timed(store: &Store, rules: &Rules, policies: &Policies, now: Timestamp) -> Result<Vec<Fired>, StoreError> {
    let mut fired = Vec::new();
    for rule in rules.rules.iter().filter(|r| r.trigger.is_timed()) {
        match rule.trigger {
            Trigger::NoAnswer { days } => {
                let cutoff = now - chrono::Duration::days(i64::from(days));
                let mut after = 0;
                loop {
                    let tickets = store.unanswered_since(&rule.name, rule.trigger.name(), cutoff, after, PAGE)?;
                    let Some(last) = tickets.last().map(|t| t.id) else { break };
                    for ticket in tickets {
                        fire_if_holds(store, rules, rule, ticket.id, &mut fired)?;
                    }
                    after = last;
                }
            }
            Trigger::Clock { .. } | Trigger::Breach { .. } => {
                let mut after = 0;
                loop {
                    let tickets = store.rule_candidates(&rule.name, rule.trigger.name(), after, PAGE)?;
                    let Some(last) = tickets.last().map(|t| t.id) else { break };
                    let timelines = store.sla_timelines(&tickets)?;
                    for ticket in &tickets {
                        let Some((tier, timeline)) = timelines.get(&ticket.id) else { continue };
                        let (clocks, _) = policies.clocks_for(ticket.priority, *tier, timeline, now);
                        let due = clocks.iter().any(|c| clock_is_due(rule.trigger, c));
                        if due {
                            fire_if_holds(store, rules, rule, ticket.id, &mut fired)?;
                        }
                    }
                    after = last;
                }
            }
            _ => {}
        }
    }
    Ok(fired)
}

/// Whether `clock` is at the point `trigger` waits for.
fn clock_is_due(trigger: Trigger, clock: &crate::domain::sla::Clock) -> bool {
    let running = matches!(clock.state, ClockState::Ok | ClockState::Warning | ClockState::Breached);
    match trigger {
        Trigger::Clock { at, clock: kind } => {
            running
                && kind.is_none_or(|k| k == clock.kind)
                && used_percent(clock.target_seconds, clock.remaining_seconds) >= i64::from(at)
        }
        Trigger::Breach { clock: kind } => {
            running && kind.is_none_or(|k| k == clock.kind) && clock.remaining_seconds < 0
        }
        _ => false,
    }
}

fn fire_if_holds(
    store: &Store,
    rules: &Rules,
    rule: &Rule,
    id: i64,
    fired: &mut Vec<Fired>,
) -> Result<bool, StoreError> {
    let facts = Rules::facts(store, id, None)?;
    if rule.check(&facts) != Verdict::Fires {
        return Ok(false);
    }
    let Some((done, status_changed)) = rules.apply(store, rule, id, &facts)? else { return Ok(false) };
    fired.push(done);
    if status_changed {
        let mut more = rules.on_event(store, id, crate::domain::rules::Event::StatusChange, None)?;
        more.retain(|f| f.rule != rule.name);
        fired.extend(more);
    }
    Ok(true)
}

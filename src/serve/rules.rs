//! The timed rules (`clock`, `breach`, `no_answer`), run by each round of the service and by
//! `frontdesk rules run`: each fires once per ticket and rule, recorded with the firing.

use crate::domain::rules::{used_percent, Rule, Trigger, Verdict};
use crate::domain::sla::{Clock, ClockState, Hours, Policies};
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
                let key = (rule.name.as_str(), rule.trigger.name(), fingerprint(policies, rule.trigger));
                let mut after = 0;
                loop {
                    let tickets = store.rule_candidates(key, now, after, PAGE)?;
                    let Some(last) = tickets.last().map(|t| t.id) else { break };
                    let timelines = store.sla_timelines(&tickets)?;
                    let mut checks = Vec::new();
                    for ticket in &tickets {
                        let Some((tier, timeline)) = timelines.get(&ticket.id) else { continue };
                        let (clocks, hours) = policies.clocks_for(ticket.priority, *tier, timeline, now);
                        if clocks.iter().any(|c| clock_is_due(rule.trigger, c)) {
                            // Looked at again each round until it fires: its conditions may come to hold.
                            fire_if_holds(store, rules, rule, ticket.id, &mut fired)?;
                        } else {
                            checks.push((ticket.id, next_check(rule.trigger, &clocks, &hours, now)));
                        }
                    }
                    store.record_rule_checks(key, &checks)?;
                    after = last;
                }
            }
            _ => {}
        }
    }
    Ok(fired)
}

/// The policies and the rule's point as a number: checks worked out with others are not trusted.
fn fingerprint(policies: &Policies, trigger: Trigger) -> i64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    format!("{policies:?} {trigger:?}").hash(&mut hasher);
    hasher.finish() as i64
}

/// The earliest time a running clock the rule watches can reach its point (`None`: none runs
/// towards it). A clock counts working seconds, so the wait is added in its hours; rounding can
/// make it a second early, never late (too early, the ticket is only looked at once more).
fn next_check(trigger: Trigger, clocks: &[Clock], hours: &Hours, now: Timestamp) -> Option<Timestamp> {
    let waits =
        clocks.iter().filter(|c| matches!(c.state, ClockState::Ok | ClockState::Warning)).filter_map(
            |c| match trigger {
                Trigger::Clock { at, clock: kind } if kind.is_none_or(|k| k == c.kind) => {
                    let allowed = c.target_seconds - (c.target_seconds * i64::from(at) + 99) / 100;
                    Some(c.remaining_seconds - allowed)
                }
                Trigger::Breach { clock: kind } if kind.is_none_or(|k| k == c.kind) => Some(c.remaining_seconds + 1),
                _ => None,
            },
        );
    waits.min().map(|seconds| hours.add_working(now, seconds.max(0)))
}

/// Whether `clock` is at the point `trigger` waits for.
fn clock_is_due(trigger: Trigger, clock: &Clock) -> bool {
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
    let Some((done, status_changed)) = rules.apply(store, rule, id, &facts, None)? else { return Ok(false) };
    fired.push(done);
    if status_changed {
        let mut more = rules.on_event(store, id, crate::domain::rules::Event::StatusChange, None)?;
        more.retain(|f| f.rule != rule.name);
        fired.extend(more);
    }
    Ok(true)
}

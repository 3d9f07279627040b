//! Realistic generated data for trying the desk and measuring it: a small online shop's support
//! history, deterministic for a given seed and `now`.

mod desk_config;
mod life;
mod people;
mod plan;
mod rng;
mod shape;
mod text;
mod words;
mod write;

use crate::store::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use people::DemoCustomer;
use plan::{Late, Planner};
use rng::Rng;
use serde::Serialize;

pub use desk_config::{CONFIG as DESK_CONFIG, MACROS as DESK_MACROS};

/// Tickets in the console's `--demo` database.
pub const DEMO_TICKETS: usize = 300;
/// Seed of the console's `--demo` database.
pub const DEMO_SEED: u64 = 1;

/// How often `generate` reports progress, in tickets.
const PROGRESS_EVERY: usize = 5_000;
/// A demo of a few hundred tickets covers six weeks; larger ones stretch with the square root of N.
const BASE_SPAN_DAYS: f64 = 42.0;
const BASE_TICKETS: f64 = 300.0;
/// Two of the newest tickets keep their customers waiting past the promise: the oldest one of each
/// of these ages. Their customers are VIPs, whose clocks count every hour, so the first screen
/// shows the two breaches whatever the hour.
const LATE_NEXT_ANSWER_AGES_MS: std::ops::RangeInclusive<i64> = (4 * HOUR_MS)..=(10 * HOUR_MS);
const LATE_FIRST_ANSWER_AGES_MS: std::ops::Range<i64> = (3 * HOUR_MS / 2)..(4 * HOUR_MS);
const HOUR_MS: i64 = 3_600_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    pub tickets: usize,
    pub seed: u64,
    /// The moment the demo ends: every generated time is at or before it.
    pub now: DateTime<Utc>,
    /// Extra agent logins to include and assign tickets to (e.g. the OS user running the demo).
    pub agents: Vec<String>,
}

/// What `generate` wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    pub tickets: usize,
    pub customers: usize,
    pub organizations: usize,
    pub messages: usize,
    pub agents: usize,
}

/// Fill `store` with `opts.tickets` generated tickets and the customers, organizations, agents,
/// messages and events around them. `progress` is called with the number of tickets done.
pub fn generate(store: &Store, opts: &DemoOptions, progress: &mut dyn FnMut(usize)) -> Result<DemoSummary, StoreError> {
    let words = words::Words::load()?;
    let promises = desk_config::Promises::load()?;
    let mut rng = Rng::new(opts.seed);
    let span = span(opts.tickets);
    let start = opts.now - span;
    let mut bulk = store.bulk()?;
    let team = people::insert_team(&mut bulk, &words, &opts.agents, start - Duration::days(365))?;
    let customer_count = opts.tickets.div_ceil(5);
    let orgs = people::insert_organizations(&mut bulk, &mut rng, &words, customer_count.div_ceil(20))?;
    let customers = people::insert_customers(&mut bulk, &mut rng, &words, &orgs, customer_count, start)?;
    let mut messages = 0;
    let mut planner = Planner { rng: &mut rng, words: &words, team: &team, promises: &promises };
    let mut late_ones = Vec::with_capacity(2);
    for index in 0..opts.tickets {
        let age_ms = ticket_age(planner.rng, index, opts.tickets, span);
        let drawn = pick_customer(planner.rng, &customers);
        let late = lateness(age_ms, &late_ones);
        // The late ones are two VIPs' (the last customers; not regulars, so not on every page).
        let customer = match late {
            Late::No => drawn,
            Late::NextAnswer => &customers[customers.len() - 1],
            Late::FirstAnswer => &customers[customers.len().saturating_sub(2)],
        };
        if late != Late::No {
            late_ones.push(late);
        }
        let plan = planner.plan(index, age_ms, customer, late);
        let created_at = opts.now - Duration::milliseconds(age_ms);
        messages += write::write_ticket(&mut bulk, &plan, customer, &team, created_at)?;
        if (index + 1) % PROGRESS_EVERY == 0 {
            progress(index + 1);
        }
    }
    bulk.finish()?;
    // The search index is built once, after the load, not once per message.
    store.build_search_index(&mut |_| {})?;
    progress(opts.tickets);
    Ok(DemoSummary {
        tickets: opts.tickets,
        customers: customers.len(),
        organizations: orgs.len(),
        messages,
        agents: team.len(),
    })
}

/// Whether a ticket of this age is one of the two late ones (each the oldest of its ages).
fn lateness(age_ms: i64, so_far: &[Late]) -> Late {
    let first = |late: Late| !so_far.contains(&late);
    match age_ms {
        a if LATE_NEXT_ANSWER_AGES_MS.contains(&a) && first(Late::NextAnswer) => Late::NextAnswer,
        a if LATE_FIRST_ANSWER_AGES_MS.contains(&a) && first(Late::FirstAnswer) => Late::FirstAnswer,
        _ => Late::No,
    }
}

/// How far back the demo's history reaches.
fn span(tickets: usize) -> Duration {
    let days = BASE_SPAN_DAYS * (tickets as f64 / BASE_TICKETS).max(1.0).sqrt();
    Duration::minutes((days * 24.0 * 60.0) as i64)
}

/// Age of ticket `index` at `now`: tickets come in order, more densely lately, the newest minutes ago.
fn ticket_age(rng: &mut Rng, index: usize, tickets: usize, span: Duration) -> i64 {
    // The jitter stays under half a slot so creation order follows ticket order.
    let slot = (tickets - index) as f64 - 0.5 + (rng.unit() - 0.5) * 0.9;
    let fraction = (slot / tickets as f64).clamp(0.0, 1.0).powf(1.5);
    let minimum = 2 * 60_000;
    minimum + (fraction * span.num_milliseconds() as f64) as i64
}

/// Most tickets come from anyone; a third come from the regulars (the first twelfth of customers).
fn pick_customer<'c>(rng: &mut Rng, customers: &'c [DemoCustomer]) -> &'c DemoCustomer {
    let pool = match rng.chance(0.35) {
        true => &customers[..customers.len().div_ceil(12)],
        false => customers,
    };
    rng.pick(pool)
}

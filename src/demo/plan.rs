//! Planning one ticket's life: its subject, its conversation and the changes agents made, in order.

use super::life::Life;
use super::people::{DemoAgent, DemoCustomer};
use super::rng::Rng;
use super::shape;
use super::text::{fill, greeting_name, Slots};
use super::words::{Topic, Words};
use crate::domain::{Channel, MessageKind, Priority, Status, Tier};

/// Every this many tickets one has a hostile subject, and (offset) one a hostile first message.
const HOSTILE_SUBJECT_EVERY: usize = 50;
const HOSTILE_BODY_EVERY: usize = 60;
const MINUTE: i64 = 60_000;

/// Who did a step: the ticket's customer, an agent of the team (by index), or the desk itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Who {
    Customer,
    Agent(usize),
    System,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    /// A message; `logged` ones also get an event naming the message.
    Message {
        kind: MessageKind,
        body: String,
        logged: bool,
    },
    Change {
        field: &'static str,
        old: Option<String>,
        new: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Step {
    /// Milliseconds since the ticket was created.
    pub after: i64,
    pub who: Who,
    pub action: Action,
}

/// A ticket as it stands after its planned life.
pub(crate) struct TicketPlan {
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub channel: Channel,
    pub assignee: Option<usize>,
    pub tags: Vec<String>,
    pub steps: Vec<Step>,
}

/// What planning a ticket draws on.
pub(crate) struct Planner<'a> {
    pub rng: &'a mut Rng,
    pub words: &'a Words,
    pub team: &'a [DemoAgent],
}

impl Planner<'_> {
    /// Plan ticket number `index` (0-based) of `customer`, `age_ms` old by the demo's `now`.
    pub(crate) fn plan(&mut self, index: usize, age_ms: i64, customer: &DemoCustomer) -> TicketPlan {
        let (words, team, rng) = (self.words, self.team, &mut *self.rng);
        let topic = &words.topics[rng.weighted(&words.topics.iter().map(|t| t.weight).collect::<Vec<_>>())];
        let assignee = rng.below(team.len());
        let slots = Slots {
            order: 40_000 + rng.below(60_000) as u32,
            invoice: rng.below(100_000) as u32,
            tracking: rng.next_u64() % 10_000_000_000,
            product: rng.pick::<&str>(&words.products),
            first: greeting_name(&customer.name),
            agent: team.get(assignee).map_or("there", |a| a.first.as_str()),
        };
        let subject = subject(rng, words, index, topic, &slots);
        let opening = opening(rng, words, index, topic, &slots, customer);
        let mut tags = vec![topic.tag.clone()];
        if customer.tier == Tier::Vip {
            tags.push("vip".into());
        }
        let priority = shape::initial_priority(rng, customer.tier);
        let target = shape::final_status(rng, age_ms);
        let mut life = Life {
            rng,
            words,
            team,
            topic,
            slots: &slots,
            t: 0,
            steps: Vec::with_capacity(24),
            status: Status::New,
            priority,
            assignee: None,
            tags,
        };
        life.change(Who::Customer, "created", None, Some(subject.clone()));
        life.message(Who::Customer, MessageKind::Customer, opening, false);
        if target == Status::New {
            life.wait_in_queue(assignee);
        } else {
            life.triage(assignee);
            life.converse(age_ms, target);
            life.finish(target);
        }
        // Squeezed lives end at varied moments, not all at `now`.
        let room = ((age_ms - MINUTE) as f64 * (0.4 + 0.6 * life.rng.unit())) as i64;
        fit_before(&mut life.steps, room);
        TicketPlan {
            subject,
            status: life.status,
            priority: life.priority,
            channel: shape::channel(life.rng),
            assignee: life.assignee,
            tags: life.tags,
            steps: life.steps,
        }
    }
}

/// Squeeze the timeline, keeping its order and proportions, so its last step is at most `room` ms
/// after creation: nothing happens after the demo's `now`.
fn fit_before(steps: &mut [Step], room: i64) {
    let room = room.max(0);
    let last = steps.last().map_or(0, |s| s.after);
    if last > room {
        for step in steps {
            step.after = (step.after as i128 * room as i128 / last as i128) as i64;
        }
    }
}

fn subject(rng: &mut Rng, words: &Words, index: usize, topic: &Topic, slots: &Slots<'_>) -> String {
    let hostile = &words.hostile.subjects;
    if index % HOSTILE_SUBJECT_EVERY == 7 {
        return fill(&hostile[(index / HOSTILE_SUBJECT_EVERY) % hostile.len()], slots);
    }
    fill(rng.pick(&topic.subjects).as_str(), slots)
}

fn opening(
    rng: &mut Rng,
    words: &Words,
    index: usize,
    topic: &Topic,
    slots: &Slots<'_>,
    customer: &DemoCustomer,
) -> String {
    let hostile = &words.hostile.bodies;
    let text = if index % HOSTILE_BODY_EVERY == 13 {
        fill(&hostile[(index / HOSTILE_BODY_EVERY) % hostile.len()], slots)
    } else {
        fill(rng.pick(&topic.openings).as_str(), slots)
    };
    // Half the customers sign their first message.
    match rng.chance(0.5) {
        true => format!("{text}\n\n{}", customer.name),
        false => text,
    }
}

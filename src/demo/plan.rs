//! Planning one ticket's life: its subject, its conversation and the changes agents made, in order.

use super::desk_config::Promises;
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

/// Whether a ticket keeps its customer waiting past the demo config's promise, and for which answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Late {
    No,
    /// A new ticket nobody has answered in time.
    FirstAnswer,
    /// An open ticket whose customer's last message waits past the next-response target.
    NextAnswer,
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
    /// The demo config's SLA targets and tier raises, which the desk keeps but where it is `late`.
    pub promises: &'a Promises,
}

impl Planner<'_> {
    /// Plan ticket number `index` (0-based) of `customer`, `age_ms` old by the demo's `now`.
    pub(crate) fn plan(&mut self, index: usize, age_ms: i64, customer: &DemoCustomer, late: Late) -> TicketPlan {
        let (words, team, promises, rng) = (self.words, self.team, self.promises, &mut *self.rng);
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
        let base = if late == Late::No { shape::initial_priority(rng) } else { Priority::Normal };
        let priority = raised(base, promises.raise(customer.tier));
        let target = match late {
            Late::No => kept_promise(shape::final_status(rng, age_ms), age_ms, promises, priority, customer.tier),
            Late::FirstAnswer => Status::New,
            Late::NextAnswer => Status::Open,
        };
        let mut life = Life {
            rng,
            words,
            team,
            topic,
            slots: &slots,
            t: 0,
            steps: Vec::with_capacity(24),
            status: Status::New,
            priority: base,
            reprioritise: late == Late::No,
            answer_within: (
                promises.first_response_ms(priority, customer.tier),
                promises.next_response_ms(priority, customer.tier),
            ),
            assignee: None,
            tags,
        };
        life.change(Who::Customer, "created", None, Some(subject.clone()));
        life.message(Who::Customer, MessageKind::Customer, opening, false);
        // The customer's tier raised the priority as the ticket came in.
        if priority != base {
            life.change(Who::System, "priority", Some(base.as_str().into()), Some(priority.as_str().into()));
            life.priority = priority;
        }
        if target == Status::New {
            life.wait_in_queue(assignee);
        } else {
            life.triage(assignee);
            life.converse(age_ms, target);
            life.finish(target);
        }
        // Squeezed lives end at varied moments, not all at `now`.
        let room = ((age_ms - MINUTE) as f64 * (0.4 + 0.6 * life.rng.unit())) as i64;
        match waiting_on_us(&mut life, promises, customer.tier, age_ms, late == Late::NextAnswer) {
            Some(wait) => settle_wait(&mut life.steps, age_ms - wait),
            None => fit_before(&mut life.steps, room),
        }
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

/// The status a desk that keeps its promises has brought a ticket to: a new one answered before
/// its first response is due, an open one handed back to the customer before its resolution is.
fn kept_promise(target: Status, age_ms: i64, promises: &Promises, priority: Priority, tier: Tier) -> Status {
    let past = |due: Option<i64>| due.is_some_and(|due| age_ms > due / 10 * 9);
    let target = match target {
        Status::New if past(promises.first_response_ms(priority, tier)) => Status::Open,
        other => other,
    };
    match target {
        Status::Open if past(promises.resolution_ms(priority, tier)) => Status::Pending,
        other => other,
    }
}

/// A priority `steps` higher, at most urgent.
fn raised(priority: Priority, steps: usize) -> Priority {
    let rank = Priority::ALL.iter().position(|p| *p == priority).unwrap_or(0);
    Priority::ALL[(rank + steps).min(Priority::ALL.len() - 1)]
}

/// How long the customer of an open ticket has waited for our answer by `now`: within the
/// next-response target, or (when `late`) well past it. `None` when no clock times the wait.
fn waiting_on_us(life: &mut Life<'_>, promises: &Promises, tier: Tier, age_ms: i64, late: bool) -> Option<i64> {
    if life.status != Status::Open {
        return None;
    }
    let target = promises.next_response_ms(life.priority, tier)?;
    let wait = match late {
        true => target / 4 * 7,
        false => (target as f64 * shape::share_of_promise(life.rng)) as i64,
    };
    Some(wait.clamp(MINUTE, (age_ms - 2 * MINUTE).max(MINUTE)))
}

/// Put the customer's last message, and what followed it at once, `at` ms after creation;
/// squeeze what came before to end a minute earlier.
fn settle_wait(steps: &mut [Step], at: i64) {
    let last = steps.iter().rposition(|s| s.who == Who::Customer && matches!(s.action, Action::Message { .. }));
    let Some(last) = last.filter(|i| *i > 0) else { return fit_before(steps, at) };
    let (before, after) = steps.split_at_mut(last);
    fit_before(before, at - MINUTE);
    for step in after {
        step.after = at;
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

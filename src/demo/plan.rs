//! Planning one ticket's life: its subject, its conversation and the changes agents made, in order.

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
    pub(crate) fn plan(
        &mut self,
        index: usize,
        age_ms: i64,
        customer: &DemoCustomer,
    ) -> TicketPlan {
        let (words, team, rng) = (self.words, self.team, &mut *self.rng);
        let topic =
            &words.topics[rng.weighted(&words.topics.iter().map(|t| t.weight).collect::<Vec<_>>())];
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
        return fill(
            &hostile[(index / HOSTILE_SUBJECT_EVERY) % hostile.len()],
            slots,
        );
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
        fill(
            &hostile[(index / HOSTILE_BODY_EVERY) % hostile.len()],
            slots,
        )
    } else {
        fill(rng.pick(&topic.openings).as_str(), slots)
    };
    // Half the customers sign their first message.
    match rng.chance(0.5) {
        true => format!("{text}\n\n{}", customer.name),
        false => text,
    }
}

/// A ticket being lived through, step by step.
struct Life<'a> {
    rng: &'a mut Rng,
    words: &'a Words,
    team: &'a [DemoAgent],
    topic: &'a Topic,
    slots: &'a Slots<'a>,
    /// Milliseconds since creation of the latest step.
    t: i64,
    steps: Vec<Step>,
    status: Status,
    priority: Priority,
    assignee: Option<usize>,
    tags: Vec<String>,
}

const ADMIN: Who = Who::Agent(0);

impl Life<'_> {
    fn change(&mut self, who: Who, field: &'static str, old: Option<String>, new: Option<String>) {
        self.steps.push(Step {
            after: self.t,
            who,
            action: Action::Change { field, old, new },
        });
    }

    fn message(&mut self, who: Who, kind: MessageKind, body: String, logged: bool) {
        self.steps.push(Step {
            after: self.t,
            who,
            action: Action::Message { kind, body, logged },
        });
    }

    fn set_status(&mut self, who: Who, to: Status) {
        if to != self.status {
            let old = self.status.as_str().to_string();
            self.change(who, "status", Some(old), Some(to.as_str().to_string()));
            self.status = to;
        }
    }

    fn assign(&mut self, by: Who, to: usize) {
        let old = self.assignee.map(|a| self.team[a].login.clone());
        self.change(by, "assignee", old, Some(self.team[to].login.clone()));
        self.assignee = Some(to);
    }

    /// A new ticket nobody has answered yet: perhaps a nudge from the customer, perhaps an assignee.
    fn wait_in_queue(&mut self, assignee: usize) {
        if self.rng.chance(0.25) {
            self.t += shape::customer_delay(self.rng) / 8;
            self.customer_writes();
        }
        if self.rng.chance(0.3) {
            self.t += shape::short_delay(self.rng);
            self.assign(ADMIN, assignee);
        }
    }

    /// The lead assigns the ticket, the agent may reprioritise and escalate.
    fn triage(&mut self, assignee: usize) {
        self.t += shape::reply_delay(self.rng, self.priority) / 3;
        self.assign(ADMIN, assignee);
        let agent = Who::Agent(assignee);
        if self.rng.chance(0.15) {
            let to = shape::triaged_priority(self.rng, self.priority);
            self.change(
                agent,
                "priority",
                Some(self.priority.as_str().into()),
                Some(to.as_str().into()),
            );
            self.priority = to;
        }
        if self.priority == Priority::Urgent && self.rng.chance(0.7) {
            self.change(agent, "tag", None, Some("escalated".into()));
            self.tags.push("escalated".into());
        }
    }

    /// Replies and customer answers in turn, ending with the customer when the ticket stays open.
    fn converse(&mut self, age_ms: i64, target: Status) {
        let length = shape::conversation_length(self.rng, age_ms, target == Status::Open);
        for turn in 1..length {
            if turn % 2 == 0 {
                self.t += shape::customer_delay(self.rng);
                self.customer_writes();
                continue;
            }
            self.t += shape::reply_delay(self.rng, self.priority);
            if turn == 3 && self.rng.chance(0.08) {
                let other =
                    (self.assignee.unwrap_or(0) + 1 + self.rng.below(self.team.len().max(2) - 1))
                        % self.team.len();
                self.assign(ADMIN, other);
            }
            let last = turn + 1 == length;
            let closing = last && matches!(target, Status::Solved | Status::Closed);
            self.agent_replies(closing);
            if !last && self.rng.chance(0.4) {
                self.set_status(self.agent(), Status::Pending);
            }
        }
    }

    fn finish(&mut self, target: Status) {
        let agent = self.agent();
        self.t += shape::short_delay(self.rng);
        match target {
            Status::OnHold => {
                let note = fill(
                    self.rng.pick(&self.words.lines.on_hold_notes).as_str(),
                    self.slots,
                );
                self.message(agent, MessageKind::Note, note, true);
                self.set_status(agent, Status::OnHold);
            }
            Status::Closed => {
                self.set_status(agent, Status::Solved);
                self.t += shape::close_delay(self.rng);
                self.set_status(Who::System, Status::Closed);
            }
            other => self.set_status(agent, other),
        }
    }

    fn agent(&self) -> Who {
        Who::Agent(self.assignee.unwrap_or(0))
    }

    fn customer_writes(&mut self) {
        let body = fill(
            self.rng.pick(&self.words.lines.customer_followups).as_str(),
            self.slots,
        );
        self.message(Who::Customer, MessageKind::Customer, body, true);
        if matches!(self.status, Status::Pending | Status::Solved) {
            self.set_status(Who::Customer, Status::Open);
        }
    }

    /// An internal note now and then, then a public reply signed by the agent.
    fn agent_replies(&mut self, closing: bool) {
        let who = self.agent();
        if self.rng.chance(0.12) {
            let note = fill(self.rng.pick(&self.words.lines.notes).as_str(), self.slots);
            self.message(who, MessageKind::Note, note, true);
            self.t += shape::short_delay(self.rng);
        }
        let lines = &self.words.lines;
        let pool = match closing {
            true => &lines.agent_closings,
            // Mostly about the customer's problem, sometimes just keeping them posted.
            false if self.rng.chance(0.7) => &self.topic.replies,
            false => &lines.agent_replies,
        };
        let text = fill(self.rng.pick(pool).as_str(), self.slots);
        let signature = &self.team[self.assignee.unwrap_or(0)].signature;
        let body = format!("Hi {},\n\n{text}\n\n{signature}", self.slots.first);
        self.message(who, MessageKind::Reply, body, true);
        self.set_status(who, Status::Open);
    }
}

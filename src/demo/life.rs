//! A ticket lived through step by step: triage, the conversation, and how it ends.

use super::people::DemoAgent;
use super::plan::{Action, Step, Who};
use super::rng::Rng;
use super::shape;
use super::text::{fill, Slots};
use super::words::{Topic, Words};
use crate::domain::{MessageKind, Priority, Status};

/// A ticket being lived through, step by step.
pub(crate) struct Life<'a> {
    pub(crate) rng: &'a mut Rng,
    pub(crate) words: &'a Words,
    pub(crate) team: &'a [DemoAgent],
    pub(crate) topic: &'a Topic,
    pub(crate) slots: &'a Slots<'a>,
    /// Milliseconds since creation of the latest step.
    pub(crate) t: i64,
    pub(crate) steps: Vec<Step>,
    pub(crate) status: Status,
    pub(crate) priority: Priority,
    /// Whether triage may change the priority.
    pub(crate) reprioritise: bool,
    /// The first- and next-response targets (ms) replies keep to, when the policy has them.
    pub(crate) answer_within: (Option<i64>, Option<i64>),
    pub(crate) assignee: Option<usize>,
    pub(crate) tags: Vec<String>,
}

const ADMIN: Who = Who::Agent(0);

impl Life<'_> {
    pub(crate) fn change(&mut self, who: Who, field: &'static str, old: Option<String>, new: Option<String>) {
        self.steps.push(Step { after: self.t, who, action: Action::Change { field, old, new } });
    }

    pub(crate) fn message(&mut self, who: Who, kind: MessageKind, body: String, logged: bool) {
        self.steps.push(Step { after: self.t, who, action: Action::Message { kind, body, logged } });
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
    pub(crate) fn wait_in_queue(&mut self, assignee: usize) {
        if self.rng.chance(0.25) {
            self.t += shape::customer_delay(self.rng) / 8;
            let body = fill(self.rng.pick(&self.words.lines.customer_nudges).as_str(), self.slots);
            self.message(Who::Customer, MessageKind::Customer, body, true);
        }
        if self.rng.chance(0.3) {
            self.t += shape::short_delay(self.rng);
            self.assign(ADMIN, assignee);
        }
    }

    /// The lead assigns the ticket, the agent may reprioritise and escalate.
    pub(crate) fn triage(&mut self, assignee: usize) {
        self.t += kept(shape::reply_delay(self.rng, self.priority) / 3, self.answer_within.0.map(|w| w / 3));
        self.assign(ADMIN, assignee);
        let agent = Who::Agent(assignee);
        if self.rng.chance(0.15) && self.reprioritise {
            let to = shape::triaged_priority(self.rng, self.priority);
            self.change(agent, "priority", Some(self.priority.as_str().into()), Some(to.as_str().into()));
            self.priority = to;
        }
        if self.priority == Priority::Urgent && self.rng.chance(0.7) {
            self.change(agent, "tag", None, Some("escalated".into()));
            self.tags.push("escalated".into());
        }
    }

    /// Replies and customer answers in turn, ending with the customer when the ticket stays open.
    pub(crate) fn converse(&mut self, age_ms: i64, target: Status) {
        let length = shape::conversation_length(self.rng, age_ms, target == Status::Open);
        for turn in 1..length {
            if turn % 2 == 0 {
                self.t += shape::customer_delay(self.rng);
                self.customer_writes();
                continue;
            }
            // The first answer within a half of its target (triage took at most a third), the next ones within 90 %.
            let within = match turn {
                1 => self.answer_within.0.map(|w| w / 2),
                _ => self.answer_within.1.map(|w| w / 10 * 9),
            };
            self.t += kept(shape::reply_delay(self.rng, self.priority), within);
            if turn == 3 && self.rng.chance(0.08) {
                let other =
                    (self.assignee.unwrap_or(0) + 1 + self.rng.below(self.team.len().max(2) - 1)) % self.team.len();
                self.assign(ADMIN, other);
            }
            let last = turn + 1 == length;
            let closing = last && matches!(target, Status::Solved | Status::Closed);
            self.agent_replies(closing);
            if !last {
                self.wait_for_the_customer();
            }
        }
    }

    /// After a reply: mostly pending the customer's answer; now and then solved too soon, so the
    /// answer reopens it.
    fn wait_for_the_customer(&mut self) {
        match self.rng.unit() {
            u if u < 0.4 => self.set_status(self.agent(), Status::Pending),
            u if u < 0.415 => self.set_status(self.agent(), Status::Solved),
            _ => {}
        }
    }

    pub(crate) fn finish(&mut self, target: Status) {
        let agent = self.agent();
        self.t += shape::short_delay(self.rng);
        match target {
            Status::OnHold => {
                let note = fill(self.rng.pick(&self.words.lines.on_hold_notes).as_str(), self.slots);
                self.message(agent, MessageKind::Note, note, true);
                self.set_status(agent, Status::OnHold);
            }
            Status::Closed => {
                self.set_status(agent, Status::Solved);
                self.rate();
                self.t += shape::close_delay(self.rng);
                self.set_status(Who::System, Status::Closed);
            }
            Status::Solved => {
                self.set_status(agent, Status::Solved);
                self.rate();
            }
            other => self.set_status(agent, other),
        }
    }

    /// Some customers answer the satisfaction question a while after the ticket is solved.
    fn rate(&mut self) {
        if self.rng.chance(0.35) {
            self.t += shape::rating_delay(self.rng);
            let score = shape::csat_score(self.rng);
            self.change(Who::Customer, "satisfaction", None, Some(format!("{score}/5")));
        }
    }

    fn agent(&self) -> Who {
        Who::Agent(self.assignee.unwrap_or(0))
    }

    fn customer_writes(&mut self) {
        let body = fill(self.rng.pick(&self.words.lines.customer_followups).as_str(), self.slots);
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

/// A delay cut to what a promise leaves, if there is one.
fn kept(delay: i64, within: Option<i64>) -> i64 {
    within.map_or(delay, |w| delay.min(w))
}

//! Rules: a trigger, conditions over a ticket's facts, and actions the desk takes for the rule.
//! Pure: the config reads rules into these types, the store gathers the facts and applies the
//! actions, each as an event whose actor is the rule (`rule:NAME`).

use super::mail::Automatic;
use super::sla::ClockKind;
use super::{Channel, Priority, Status, Tier};

mod put_back;
pub use put_back::PutBack;

/// The actor prefix of every change a rule makes.
pub const RULE_ACTOR_PREFIX: &str = "rule:";

/// The actor that events carry for what the rule `name` did.
pub fn actor(name: &str) -> String {
    format!("{RULE_ACTOR_PREFIX}{name}")
}

/// When a rule is considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    NewTicket,
    CustomerReply,
    AgentReply,
    StatusChange,
    /// A clock has used `at` percent of its target (only `clock` when given, else any clock).
    Clock {
        at: u8,
        clock: Option<ClockKind>,
    },
    /// A clock went past its target.
    Breach {
        clock: Option<ClockKind>,
    },
    /// We answered and the customer has not written back for `days` days.
    NoAnswer {
        days: u32,
    },
}

impl Trigger {
    /// The names the config uses, in the order the README lists them.
    pub const NAMES: &'static [&'static str] =
        &["new_ticket", "customer_reply", "agent_reply", "status_change", "clock", "breach", "no_answer"];

    pub fn name(self) -> &'static str {
        match self {
            Trigger::NewTicket => "new_ticket",
            Trigger::CustomerReply => "customer_reply",
            Trigger::AgentReply => "agent_reply",
            Trigger::StatusChange => "status_change",
            Trigger::Clock { .. } => "clock",
            Trigger::Breach { .. } => "breach",
            Trigger::NoAnswer { .. } => "no_answer",
        }
    }

    /// Triggers the service's timer checks (a clock, a breach, days without an answer): each fires
    /// once per ticket.
    pub fn is_timed(self) -> bool {
        matches!(self, Trigger::Clock { .. } | Trigger::Breach { .. } | Trigger::NoAnswer { .. })
    }

    /// Whether this trigger is the event `event` (the timed ones are matched by the store's timers).
    pub fn is(self, event: Event) -> bool {
        matches!(
            (self, event),
            (Trigger::NewTicket, Event::NewTicket)
                | (Trigger::CustomerReply, Event::CustomerReply)
                | (Trigger::AgentReply, Event::AgentReply)
                | (Trigger::StatusChange, Event::StatusChange)
        )
    }

    pub fn describe(self) -> String {
        match self {
            Trigger::Clock { at, clock: Some(kind) } => format!("clock at {at}% of the {} target", kind.label()),
            Trigger::Clock { at, clock: None } => format!("clock at {at}% of a target"),
            Trigger::Breach { clock: Some(kind) } => format!("breach of the {} target", kind.label()),
            Trigger::Breach { clock: None } => "breach of a target".into(),
            Trigger::NoAnswer { days } => format!("no customer answer for {days} days"),
            other => other.name().replace('_', " "),
        }
    }
}

/// Something that happened to a ticket, for the event-driven triggers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    NewTicket,
    CustomerReply,
    AgentReply,
    StatusChange,
}

/// Every condition given must hold; a list holds when any of its values does (`tags`: when the
/// ticket carries every tag listed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conditions {
    /// The mailbox the mail came in by, or an address it was sent to (`billing@shop.example`, or
    /// only its local part `billing`). Lower-cased.
    pub mailbox: Vec<String>,
    /// The sender's address, lower-cased.
    pub from: Vec<String>,
    /// The sender's domain, lower-cased, without `@`.
    pub from_domain: Vec<String>,
    /// The customer's organization, by name (any case).
    pub organization: Vec<String>,
    pub tier: Vec<Tier>,
    pub channel: Vec<Channel>,
    pub priority: Vec<Priority>,
    /// The ticket's status now: for a `status_change` rule, the status it moved to.
    pub status: Vec<Status>,
    /// Normalised tags the ticket must all carry.
    pub tags: Vec<String>,
    /// Words (lower-cased) of which one must be in the subject.
    pub subject_words: Vec<String>,
    /// Words (lower-cased) of which one must be in the customer's first message.
    pub body_words: Vec<String>,
}

/// Who a rule assigns a ticket to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assign {
    Agent(String),
    /// The next of these logins after the one the rule picked last (kept in the database).
    RoundRobin(Vec<String>),
}

/// What a rule does, in the order [`Action::ORDER`] names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Priority(Priority),
    Status(Status),
    /// Tags added (normalised).
    Tags(Vec<String>),
    Assign(Assign),
    /// Snoozed for this many seconds.
    Snooze(i64),
    /// An internal note with this text.
    Note(String),
    /// The canned reply of that name, mailed to the customer; `body` is its text, read with the
    /// rules so that a missing reply is found by `rules check`, not when a mail comes in.
    Reply {
        name: String,
        body: String,
    },
}

impl Action {
    /// The keys of `then`, in the order the actions are applied.
    pub const ORDER: &'static [&'static str] = &["priority", "status", "tags", "assign", "snooze", "note", "reply"];

    pub fn describe(&self) -> String {
        match self {
            Action::Priority(p) => format!("priority {p}"),
            Action::Status(s) => format!("status {s}"),
            Action::Tags(tags) => format!("tags +{}", tags.join(" +")),
            Action::Assign(Assign::Agent(login)) => format!("assign {login}"),
            Action::Assign(Assign::RoundRobin(logins)) => format!("assign round robin {}", logins.join(", ")),
            Action::Snooze(seconds) => format!("snooze {}", super::sla::countdown(*seconds).trim()),
            Action::Note(_) => "note".into(),
            Action::Reply { name, .. } => format!("reply '{name}'"),
        }
    }
}

/// One rule as the config gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    pub trigger: Trigger,
    pub conditions: Conditions,
    pub actions: Vec<Action>,
}

/// What the conditions are checked against: one ticket, and the mail that fired the rule when one did.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    /// The mailbox name and the addresses the mail was sent to, lower-cased.
    pub mailboxes: Vec<String>,
    pub from: String,
    pub organization: Option<String>,
    pub tier: Tier,
    pub channel: Channel,
    pub priority: Priority,
    pub status: Status,
    pub tags: Vec<String>,
    pub subject: String,
    pub body: String,
    /// The mail at hand was written by a machine: a rule never answers it.
    pub automatic: Option<Automatic>,
}

/// Why a rule does not fire for a ticket, or that it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Fires,
    /// The first condition that does not hold, as a sentence's end (`the sender's domain is x.example`).
    Skips(String),
}

impl Rule {
    pub fn actor(&self) -> String {
        actor(&self.name)
    }

    /// Whether every condition holds for `facts`; else the first that does not, and why.
    pub fn check(&self, facts: &Facts) -> Verdict {
        match first_failure(&self.conditions, facts) {
            None => Verdict::Fires,
            Some(why) => Verdict::Skips(why),
        }
    }

    /// The actions to take for `facts`: a reply is left out when the mail at hand is an
    /// auto-reply or a bounce (an automatic answer to a machine is how mail loops start).
    pub fn actions_for(&self, facts: &Facts) -> Vec<&Action> {
        self.actions.iter().filter(|a| !(matches!(a, Action::Reply { .. }) && facts.automatic.is_some())).collect()
    }

    /// One line: trigger, conditions, actions.
    pub fn describe(&self) -> String {
        let actions: Vec<String> = self.actions.iter().map(Action::describe).collect();
        format!(
            "{}: when {}, if {}, then {}",
            self.name,
            self.trigger.describe(),
            self.conditions.describe(),
            actions.join(", ")
        )
    }
}

impl Conditions {
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let mut list = |key: &str, values: Vec<String>| {
            if !values.is_empty() {
                parts.push(format!("{key} {}", values.join(" or ")));
            }
        };
        list("mailbox", self.mailbox.clone());
        list("from", self.from.clone());
        list("from_domain", self.from_domain.clone());
        list("organization", self.organization.clone());
        list("tier", self.tier.iter().map(|t| t.to_string()).collect());
        list("channel", self.channel.iter().map(|c| c.to_string()).collect());
        list("priority", self.priority.iter().map(|p| p.to_string()).collect());
        list("status", self.status.iter().map(|s| s.to_string()).collect());
        list("subject_words", self.subject_words.clone());
        list("body_words", self.body_words.clone());
        if !self.tags.is_empty() {
            parts.push(format!("tags {}", self.tags.join(" and ")));
        }
        if parts.is_empty() {
            return "always".into();
        }
        parts.join("; ")
    }
}

fn first_failure(c: &Conditions, f: &Facts) -> Option<String> {
    let quoted = |values: &[String]| values.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(" or ");
    if !c.mailbox.is_empty() && !c.mailbox.iter().any(|m| mailbox_matches(m, &f.mailboxes)) {
        let seen = if f.mailboxes.is_empty() { "none".to_string() } else { f.mailboxes.join(", ") };
        return Some(format!("the mailbox is not {} (it came to: {seen})", quoted(&c.mailbox)));
    }
    if !c.from.is_empty() && !c.from.iter().any(|a| a.eq_ignore_ascii_case(&f.from)) {
        return Some(format!("the sender {} is not {}", f.from, quoted(&c.from)));
    }
    let domain = f.from.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase()).unwrap_or_default();
    if !c.from_domain.is_empty() && !c.from_domain.contains(&domain) {
        return Some(format!("the sender's domain {domain} is not {}", quoted(&c.from_domain)));
    }
    if !c.organization.is_empty() {
        let holds = f.organization.as_deref().is_some_and(|o| c.organization.iter().any(|w| w.eq_ignore_ascii_case(o)));
        if !holds {
            let org = f.organization.as_deref().unwrap_or("none");
            return Some(format!("the organization ({org}) is not {}", quoted(&c.organization)));
        }
    }
    if !c.tier.is_empty() && !c.tier.contains(&f.tier) {
        return Some(format!("the customer's tier is {}", f.tier));
    }
    if !c.channel.is_empty() && !c.channel.contains(&f.channel) {
        return Some(format!("the channel is {}", f.channel));
    }
    if !c.priority.is_empty() && !c.priority.contains(&f.priority) {
        return Some(format!("the priority is {}", f.priority));
    }
    if !c.status.is_empty() && !c.status.contains(&f.status) {
        return Some(format!("the status is {}", f.status));
    }
    if let Some(missing) = c.tags.iter().find(|t| !f.tags.contains(t)) {
        return Some(format!("the ticket has no tag '{missing}'"));
    }
    if !c.subject_words.is_empty() && !has_any_word(&f.subject, &c.subject_words) {
        return Some(format!("the subject has none of the words {}", quoted(&c.subject_words)));
    }
    if !c.body_words.is_empty() && !has_any_word(&f.body, &c.body_words) {
        return Some(format!("the message has none of the words {}", quoted(&c.body_words)));
    }
    None
}

/// `wanted` is a mailbox name or an address (whole), or the local part of one.
fn mailbox_matches(wanted: &str, mailboxes: &[String]) -> bool {
    mailboxes.iter().any(|m| {
        m.eq_ignore_ascii_case(wanted)
            || (!wanted.contains('@') && m.split_once('@').is_some_and(|(local, _)| local.eq_ignore_ascii_case(wanted)))
    })
}

/// Whether `text` has one of `words` (lower-cased) as a whole word, or a phrase of words in a row.
fn has_any_word(text: &str, words: &[String]) -> bool {
    let found: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    words.iter().any(|wanted| {
        let phrase: Vec<&str> = wanted.split_whitespace().collect();
        !phrase.is_empty() && found.windows(phrase.len()).any(|w| w.iter().zip(&phrase).all(|(a, b)| a == b))
    })
}

/// The next login of a round robin after the one picked last (`last`, an index into `logins`).
pub fn next_in_turn(logins: &[String], last: Option<usize>) -> Option<(usize, &str)> {
    if logins.is_empty() {
        return None;
    }
    let next = last.map_or(0, |i| (i + 1) % logins.len());
    Some((next, logins[next].as_str()))
}

/// The percentage of its target a clock has used (may be past 100).
pub fn used_percent(target_seconds: i64, remaining_seconds: i64) -> i64 {
    if target_seconds <= 0 {
        return 0;
    }
    (target_seconds - remaining_seconds).saturating_mul(100) / target_seconds
}

#[cfg(test)]
mod tests;

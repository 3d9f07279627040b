//! Rules applied to a ticket when something happens to it (a new ticket, a reply, a status
//! change), or when a timer says so: the rule's actions in one write each, a canned reply
//! composed as mail for the outbox, and the status changes they make passed on to the
//! `status_change` rules; a rule never fires on what it changed itself (nor twice in one chain).

use super::outbound::Outbound;
use crate::domain::mail::Automatic;
use crate::domain::rules::{Action, Event, Facts, PutBack, Rule, Verdict};
use crate::domain::template::{render, Context};
use crate::domain::undo::Undone;
use crate::domain::{Agent, Role, Status};
use crate::store::{Store, StoreError};

/// What the mail at hand adds to a ticket's facts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MailFacts {
    /// The addresses it was sent to (To, Cc, Delivered-To), lower-cased.
    pub to: Vec<String>,
    pub automatic: Option<Automatic>,
    /// The mail's text, for `body_words` (else the ticket's first customer message).
    pub body: Option<String>,
}

impl MailFacts {
    /// The recipients and the machine marks of a raw mail (its headers only).
    pub fn of(raw: &[u8], automatic: Option<Automatic>) -> MailFacts {
        let mut to = Vec::new();
        if let Some(message) = mail_parser::MessageParser::default().parse_headers(raw) {
            for address in [message.to(), message.cc()].into_iter().flatten() {
                to.extend(address.iter().filter_map(|a| a.address()).map(str::to_lowercase));
            }
            for value in message.header_values("Delivered-To") {
                if let Some(text) = value.as_text() {
                    to.push(text.trim().trim_matches(['<', '>']).to_lowercase());
                }
            }
        }
        to.dedup();
        MailFacts { to, automatic, body: None }
    }
}

/// One rule that fired on one ticket, and what it did.
#[derive(Debug, Clone, PartialEq)]
pub struct Fired {
    pub rule: String,
    pub ticket: i64,
    pub actions: Vec<String>,
    /// Why an action was left out (a reply to a machine, no outbound mail), when one was.
    pub left_out: Option<String>,
    /// The rule changed the ticket's status (and so ran the `status_change` rules after it).
    pub changed_status: bool,
}

impl Fired {
    /// `rule 'NAME' fired on #N: actions (what was left out)`, for the command line.
    pub fn sentence(&self) -> String {
        let left_out = self.left_out.as_deref().map(|w| format!(" ({w})")).unwrap_or_default();
        let actions = if self.actions.is_empty() { "nothing".to_string() } else { self.actions.join(", ") };
        format!("rule '{}' fired on #{}: {actions}{left_out}", self.rule, self.ticket)
    }
}

/// What the rules run after an undo or a merge leave alone.
#[derive(Default)]
struct Hold<'h> {
    /// What the undo put back: no rule makes that change again.
    put_back: Option<&'h PutBack>,
    /// Why canned replies are left out, when they are.
    no_reply: Option<String>,
}

/// Everything rules need besides the store: the rules and, to send canned replies, the outbound mail.
pub struct Rules<'a> {
    pub rules: &'a [Rule],
    pub outbound: Option<Outbound<'a>>,
}

impl<'a> Rules<'a> {
    pub fn new(config: &'a crate::config::Config, data_dir: &std::path::Path) -> Rules<'a> {
        Rules { rules: &config.rule_set.rules, outbound: Outbound::from_config(config.mail.as_ref(), data_dir) }
    }

    /// The rules `rules`, their canned replies mailed as `mail` says (a relative Maildir in `data_dir`).
    pub fn with(
        rules: &'a [Rule],
        mail: Option<&'a crate::config::MailConfig>,
        data_dir: &std::path::Path,
    ) -> Rules<'a> {
        Rules { rules, outbound: Outbound::from_config(mail, data_dir) }
    }

    /// The rules an agent's change to ticket `id` fires, after the change was stored in its own
    /// write: `agent_reply` when they replied (not a note), and `status_change` when the status is
    /// no longer `before` (unless a rule's own status change has run those already). The command
    /// line and the console both call this, so a rule fires alike from either.
    pub fn after_agent(&self, store: &Store, id: i64, replied: bool, before: Status) -> Result<Vec<Fired>, StoreError> {
        if self.rules.is_empty() {
            return Ok(Vec::new());
        }
        let mut fired = Vec::new();
        if replied {
            fired = self.on_event(store, id, Event::AgentReply, None)?;
        }
        let ran_status_rules = fired.iter().any(|f| f.changed_status);
        if store.ticket(id)?.status != before && !ran_status_rules {
            fired.extend(self.on_event(store, id, Event::StatusChange, None)?);
        }
        Ok(fired)
    }

    /// The rules an undo fires once it is stored: `status_change` on each ticket whose status it
    /// changed (`before` is the status the undone ticket had; an undone merge gives its source its
    /// status back), without the rules [`PutBack`] holds back, so a rule never redoes an undo.
    pub fn after_undo(&self, store: &Store, done: &Undone, before: Status) -> Result<Vec<Fired>, StoreError> {
        if self.rules.is_empty() {
            return Ok(Vec::new());
        }
        let mut changed = Vec::new();
        if done.ticket.status != before {
            changed.push(done.ticket.id);
        }
        // Undone on the merge's target: the source, left closed by the merge, has its status back.
        if let Some(source) = done.other.filter(|_| done.undone.iter().any(|e| e.field == "merged")) {
            if store.ticket(source)?.status != Status::Closed {
                changed.push(source);
            }
        }
        let put_back = PutBack::of(&done.undone);
        let hold = Hold { put_back: Some(&put_back), no_reply: None };
        let mut fired = Vec::new();
        for id in changed {
            fired.extend(self.run(store, id, Event::StatusChange, None, &hold)?);
        }
        Ok(fired)
    }

    /// The rules a merge of ticket `from` into `into` fires once it is stored: `status_change` on
    /// `from` when the merge closed it (`before` is the status it had), as any status change does,
    /// but without canned replies: the customer's conversation goes on in `into`, and a reply on
    /// the closed ticket would tell them otherwise. Nothing fires on `into`: its status stays, and
    /// the tags it gains fire nothing, as an agent's tags do.
    pub fn after_merge(
        &self,
        store: &Store,
        (from, into): (i64, i64),
        before: Status,
    ) -> Result<Vec<Fired>, StoreError> {
        if self.rules.is_empty() || before == Status::Closed {
            return Ok(Vec::new());
        }
        let hold = Hold { put_back: None, no_reply: Some(format!("no reply: #{from} was merged into #{into}")) };
        self.run(store, from, Event::StatusChange, None, &hold)
    }

    /// Facts of ticket `id` with what the mail at hand adds.
    pub fn facts(store: &Store, id: i64, mail: Option<&MailFacts>) -> Result<Facts, StoreError> {
        let (_, mut facts) = store.rule_facts(id)?;
        if let Some(mail) = mail {
            facts.mailboxes.extend(mail.to.iter().cloned());
            facts.automatic = mail.automatic;
            if let Some(body) = &mail.body {
                facts.body.clone_from(body);
            }
        }
        Ok(facts)
    }

    /// Run the rules `event` triggers on ticket `id`, and the `status_change` rules their status
    /// changes trigger, each rule at most once. A rule whose write fails is logged and left out:
    /// what happened to the ticket is kept either way.
    pub fn on_event(
        &self,
        store: &Store,
        id: i64,
        event: Event,
        mail: Option<&MailFacts>,
    ) -> Result<Vec<Fired>, StoreError> {
        self.run(store, id, event, mail, &Hold::default())
    }

    /// [`Rules::on_event`], leaving alone what `hold` says.
    fn run(
        &self,
        store: &Store,
        id: i64,
        event: Event,
        mail: Option<&MailFacts>,
        hold: &Hold,
    ) -> Result<Vec<Fired>, StoreError> {
        let mut fired: Vec<Fired> = Vec::new();
        let mut pending = vec![event];
        while let Some(event) = pending.pop() {
            // Read again only after a rule changed the ticket: the next rule sees what it did.
            let mut facts = None;
            for rule in self.rules.iter().filter(|r| r.trigger.is(event)) {
                if fired.iter().any(|f| f.rule == rule.name) {
                    continue;
                }
                if let Some(why) = hold.put_back.and_then(|p| p.holds_back(rule)) {
                    tracing::info!(rule = %rule.name, ticket = id, %why, "rule held back after an undo");
                    continue;
                }
                let current = match facts.take() {
                    Some(facts) => facts,
                    None => Self::facts(store, id, mail)?,
                };
                if rule.check(&current) != Verdict::Fires {
                    facts = Some(current);
                    continue;
                }
                if let Some((done, status_changed)) = self.apply(store, rule, id, &current, hold.no_reply.as_deref())? {
                    fired.push(done);
                    if status_changed {
                        pending.push(Event::StatusChange);
                    }
                }
            }
        }
        Ok(fired)
    }

    /// Apply `rule` to ticket `id` (its conditions hold), its canned reply left out when
    /// `no_reply` says why: `None` when its write failed (logged).
    pub fn apply(
        &self,
        store: &Store,
        rule: &Rule,
        id: i64,
        facts: &Facts,
        no_reply: Option<&str>,
    ) -> Result<Option<(Fired, bool)>, StoreError> {
        let mut actions = rule.actions_for(facts);
        let mut left_out = (actions.len() < rule.actions.len())
            .then(|| format!("no reply: the mail is {}", facts.automatic.map_or("automatic", |a| a.as_str())));
        if let Some(why) = no_reply.filter(|_| actions.iter().any(|a| matches!(a, Action::Reply { .. }))) {
            actions.retain(|a| !matches!(a, Action::Reply { .. }));
            left_out = Some(why.to_string());
        }
        let mut reply = None;
        let mut done: Vec<&Action> = Vec::new();
        for action in actions {
            let Action::Reply { name, body } = action else {
                done.push(action);
                continue;
            };
            match self.compose(store, rule, id, body) {
                Ok(composed) => {
                    reply = Some(composed);
                    done.push(action);
                }
                Err(why) => {
                    tracing::warn!(rule = %rule.name, ticket = id, reply = %name, %why, "rule's canned reply not sent");
                    left_out = Some(format!("no reply: {why}"));
                }
            }
        }
        let reply_ref = reply.as_ref().map(|(body, mail)| (body.as_str(), mail));
        match store.apply_rule(id, rule, &done, rule.trigger.name(), reply_ref) {
            Ok(applied) => {
                tracing::info!(rule = %rule.name, ticket = id, "rule fired");
                let fired = Fired {
                    rule: rule.name.clone(),
                    ticket: id,
                    actions: done.iter().map(|a| a.describe()).collect(),
                    left_out,
                    changed_status: applied.status_from.is_some(),
                };
                Ok(Some((fired, applied.status_from.is_some())))
            }
            // The desk failing (busy, full, broken, newer) is the caller's; anything else (an
            // agent gone, a closed ticket) is this rule's, and the rule is left out.
            Err(
                error @ (StoreError::Busy
                | StoreError::Database(_)
                | StoreError::Open { .. }
                | StoreError::TooNew { .. }),
            ) => Err(error),
            Err(error) => {
                tracing::warn!(rule = %rule.name, ticket = id, %error, "rule not applied");
                Ok(None)
            }
        }
    }

    /// The canned reply for ticket `id` as the desk's mail, written as the rule.
    fn compose(
        &self,
        store: &Store,
        rule: &Rule,
        id: i64,
        body: &str,
    ) -> Result<(String, crate::store::OutgoingMail), String> {
        let outbound = self.outbound.as_ref().ok_or("the config has no [mail.outbound]")?;
        let context = store.reply_context(id).map_err(|e| e.to_string())?;
        let customer = store.customer(context.ticket.customer_id).map_err(|e| e.to_string())?;
        let agent = Agent {
            login: rule.actor(),
            // Shown as "Automatic reply via <the desk's name>".
            name: "Automatic reply".to_string(),
            email: None,
            role: Role::Agent,
            signature: String::new(),
            active: true,
        };
        let text = render(body, &Context::new(&customer, &context.ticket, &agent)).map_err(|e| e.to_string())?;
        let options = super::outbound::ReplyOptions { auto_replied: true, ..Default::default() };
        let mail = outbound.compose(&context, &agent, &text, &options).map_err(|e| e.to_string())?;
        Ok((text, mail))
    }
}

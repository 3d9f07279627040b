//! One round of the service's work, and what it did.

use super::{MailboxReader, HEARTBEAT};
use crate::config::Config;
use crate::domain::text::for_display_line;
use crate::mail::outbound::Outbound;
use crate::store::{Store, StoreError, QUEUED_GRACE_MILLIS};
use chrono::Utc;
use std::time::Duration;

/// Mails delivered at most per round; a longer outbox continues in the next round at once.
const MAILS_PER_ROUND: usize = 100;

/// Everything a round needs besides the store.
pub struct Round<'a> {
    pub pid: i64,
    pub outbound: Option<Outbound<'a>>,
    pub surveys: bool,
    /// The inbound mailboxes: the config's IMAP ones (`ImapMailbox`), or test readers.
    pub inbound: Vec<Box<dyn MailboxReader>>,
    /// The rules, for the timed ones (a clock, a breach, days without an answer).
    pub rules: crate::mail::rules::Rules<'a>,
    policies: crate::domain::sla::Policies,
    last_round: chrono::DateTime<Utc>,
}

/// What one round did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct RoundReport {
    pub mailed: usize,
    pub failed: usize,
    pub surveys: usize,
    pub read: usize,
    /// Each inbound mailbox read this round, in the config's order.
    pub mailboxes: Vec<MailboxRead>,
    pub snoozes_ended: i64,
    /// Timed rules that fired (each once per ticket).
    pub rules_fired: Vec<crate::mail::rules::Fired>,
    /// The round stopped early (a signal, or a full batch): the next one starts at once.
    pub more: bool,
}

/// One mailbox's part of a round: the mails it read, or why it was not read.
#[derive(Debug, Clone, PartialEq)]
pub struct MailboxRead {
    pub name: String,
    pub read: usize,
    pub error: Option<String>,
}

impl RoundReport {
    /// One line for the log and `serve --once`.
    pub fn describe(&self) -> String {
        format!(
            "round done: {} mailed, {} not (they wait for their next try), {} mailed, {} read, {} ended, {} fired",
            count(self.mailed as i64, "reply", "replies"),
            self.failed,
            count(self.surveys as i64, "survey", "surveys"),
            count(self.read as i64, "mail", "mails"),
            count(self.snoozes_ended, "snooze", "snoozes"),
            count(self.rules_fired.len() as i64, "timed rule", "timed rules"),
        )
    }
}

fn count(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl<'a> Round<'a> {
    pub fn new(pid: i64, config: &'a Config, data_dir: &std::path::Path) -> Round<'a> {
        let outbound = Outbound::from_config(config.mail.as_ref(), data_dir);
        let surveys = config.sla.as_ref().is_some_and(|s| s.csat_survey);
        if outbound.is_none() {
            tracing::warn!("the config has no [mail.outbound]: the service does not deliver the outbox");
        }
        let rules = crate::mail::rules::Rules::new(config, data_dir);
        let policies = config.sla_policies();
        Round { pid, outbound, surveys, inbound: Vec::new(), rules, policies, last_round: Utc::now() }
    }

    /// Do the round's work; `stop` is asked between mails, so a signal ends it after the mail at hand.
    pub fn run(&mut self, store: &Store, stop: impl Fn() -> bool) -> Result<RoundReport, StoreError> {
        store.service_heartbeat(self.pid)?;
        let mut report = RoundReport::default();
        for mailbox in &mut self.inbound {
            let name = mailbox.name().to_string();
            match mailbox.poll_once(store) {
                Ok(read) => {
                    report.read += read;
                    report.mailboxes.push(MailboxRead { name, read, error: None });
                }
                Err(error) => {
                    tracing::warn!(mailbox = %name, error = %for_display_line(&error), "mailbox not read");
                    report.mailboxes.push(MailboxRead { name, read: 0, error: Some(error) });
                }
            }
        }
        // Before the outbox, so a canned reply a rule sends goes out in the same round.
        report.rules_fired = crate::serve::rules::run_timed(store, &self.rules, &self.policies, Utc::now())?;
        if let Some(outbound) = &self.outbound {
            deliver_due(store, outbound, &mut report, &stop)?;
            if self.surveys && !stop() {
                mail_surveys(store, outbound, &mut report, &stop)?;
            }
        }
        let now = Utc::now();
        report.snoozes_ended = store.snoozes_ended(self.last_round, now)?;
        self.last_round = now;
        Ok(report)
    }

    /// How long to sleep after `report`: until the next mail is due, a mailbox wants polling or
    /// the heartbeat is due, whichever comes first.
    pub fn next_wait(&self, store: &Store, report: &RoundReport) -> Result<Duration, StoreError> {
        if report.more {
            return Ok(Duration::ZERO);
        }
        let mut wait = HEARTBEAT;
        if self.outbound.is_some() {
            if let Some(next) = store.next_outbox_try()? {
                wait = wait.min((next - Utc::now()).to_std().unwrap_or(Duration::ZERO));
            }
        }
        for every in self.inbound.iter().filter_map(|m| m.poll_every()) {
            wait = wait.min(every);
        }
        // A mail due now that failed again would otherwise be retried in a tight loop.
        Ok(wait.max(Duration::from_millis(200)))
    }
}

fn deliver_due(
    store: &Store,
    outbound: &Outbound,
    report: &mut RoundReport,
    stop: &impl Fn() -> bool,
) -> Result<(), StoreError> {
    let due = store.due_outbox(Utc::now(), MAILS_PER_ROUND)?;
    report.more |= due.len() == MAILS_PER_ROUND;
    for entry in due {
        if stop() {
            report.more = true;
            return Ok(());
        }
        let (_, raw) = store.outbox_mail(entry.id)?;
        let delivered = outbound.deliver(&raw, &entry.recipient);
        store.record_delivery(entry.id, delivered.as_ref().map(|_| ()).map_err(String::as_str))?;
        match delivered {
            Ok(()) => {
                report.mailed += 1;
                tracing::info!(ticket = entry.ticket_id, outbox = entry.id, "reply mailed");
            }
            Err(error) => {
                report.failed += 1;
                tracing::warn!(ticket = entry.ticket_id, outbox = entry.id, attempts = entry.attempts + 1, %error, "reply not mailed");
            }
        }
    }
    Ok(())
}

/// Surveys of tickets solved at least the grace ago (the process that solved one mails it first).
fn mail_surveys(
    store: &Store,
    outbound: &Outbound,
    report: &mut RoundReport,
    stop: &impl Fn() -> bool,
) -> Result<(), StoreError> {
    let solved_by = Utc::now() - chrono::Duration::milliseconds(QUEUED_GRACE_MILLIS);
    for ticket in store.surveys_due(solved_by)? {
        if stop() {
            return Ok(());
        }
        match crate::mail::survey::send_survey(outbound, store, ticket) {
            Ok(()) => report.surveys += 1,
            Err(error) => tracing::warn!(ticket, %error, "satisfaction survey not mailed"),
        }
    }
    Ok(())
}

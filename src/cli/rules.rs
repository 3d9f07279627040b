//! `frontdesk rules check | test MAIL.eml | run`: the rules read from the config and `rules/`,
//! checked; which would fire for a mail as a new ticket, and why the others would not; the timed
//! ones run now (as a round of `serve` does).

use super::output::{write_json, TicketJson};
use super::CliError;
use crate::config::{Config, Paths};
use crate::domain::rules::{Facts, Trigger, Verdict};
use crate::domain::sla::Policies;
use crate::domain::text::for_display_line;
use crate::domain::{Channel, Priority, Status, Tier};
use crate::mail::rules::{Fired, MailFacts, Rules};
use crate::store::Store;
use clap::Subcommand;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Check the rules: one line per mistake (exit 1), else the rules read.
    Check,
    /// Which rules would fire for MAIL as a new ticket, and why the others would not; changes nothing.
    Test {
        #[arg(value_name = "MAIL.eml")]
        mail: PathBuf,
    },
    /// Run the timed rules (clock, breach, no_answer) now, as each round of `serve` does.
    Run {
        /// Print each rule fired, what it did and the ticket as the rules left it, as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `rules run --json` and `serve --once --json`: one rule fired on one ticket.
#[derive(Debug, Serialize)]
pub struct FiredJson {
    rule: String,
    actions: Vec<String>,
    left_out: Option<String>,
    changed_status: bool,
    ticket: TicketJson,
}

pub fn check(config: &Config, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), CliError> {
    let set = &config.rule_set;
    if !set.problems.is_empty() {
        for problem in &set.problems {
            writeln!(err, "{}", for_display_line(problem))?;
        }
        let n = set.problems.len();
        return Err(CliError::Refused(format!("{n} {} in the rules", if n == 1 { "mistake" } else { "mistakes" })));
    }
    if set.rules.is_empty() {
        writeln!(out, "no rules: add [[rules]] to the config or files to rules/ beside it")?;
        return Ok(());
    }
    let files: Vec<String> = set.files.iter().map(|f| f.display().to_string()).collect();
    let n = set.rules.len();
    writeln!(out, "{n} {} read from {}:", if n == 1 { "rule" } else { "rules" }, for_display_line(&files.join(", ")))?;
    for rule in &set.rules {
        writeln!(out, "  {}", for_display_line(&rule.describe()))?;
    }
    Ok(())
}

pub fn test(store: &Store, config: &Config, mail: &std::path::Path, out: &mut dyn Write) -> Result<(), CliError> {
    let rules = config.rule_set.checked().map_err(CliError::Refused)?;
    let raw =
        std::fs::read(mail).map_err(|e| CliError::Refused(format!("cannot read the mail {}: {e}", mail.display())))?;
    let limits = crate::mail::Limits::default();
    let parsed = crate::mail::parse::parse_mail_from(&raw, &limits, crate::mail::import::content_hash(&raw), None)
        .map_err(|e| CliError::Refused(format!("the mail {} would be quarantined: {e}", mail.display())))?;
    let customer = store.customer_by_email(&parsed.from_email)?;
    let tier = customer.as_ref().map_or(Tier::Standard, |c| c.tier);
    let raise = config.sla.as_ref().map_or(0, |s| s.priority_raise(tier)) as usize;
    let rank = Priority::ALL.iter().position(|p| *p == Priority::Normal).unwrap_or(1);
    let mail_facts = MailFacts::of(&raw, parsed.automatic);
    let facts = Facts {
        mailboxes: mail_facts.to.clone(),
        from: parsed.from_email.clone(),
        organization: customer.as_ref().and_then(|c| c.organization.clone()),
        tier,
        channel: Channel::Email,
        priority: Priority::ALL[(rank + raise).min(Priority::ALL.len() - 1)],
        status: Status::New,
        tags: Vec::new(),
        subject: parsed.subject.clone(),
        body: parsed.body.clone(),
        automatic: parsed.automatic,
    };
    writeln!(
        out,
        "as a new ticket from {} ({}, tier {tier}), subject '{}':",
        for_display_line(&facts.from),
        customer.as_ref().map_or("a new customer".to_string(), |c| format!("customer {}", c.id)),
        for_display_line(&facts.subject)
    )?;
    if rules.is_empty() {
        writeln!(out, "  there are no rules")?;
    }
    for rule in rules {
        let name = for_display_line(&rule.name);
        if rule.trigger != Trigger::NewTicket {
            writeln!(out, "  no    {name}: it runs on {}, not a new ticket", rule.trigger.describe())?;
            continue;
        }
        match rule.check(&facts) {
            Verdict::Fires => {
                let mut actions: Vec<String> = rule.actions_for(&facts).iter().map(|a| a.describe()).collect();
                let left_out = if actions.len() < rule.actions.len() {
                    format!(" (no reply: the mail is {})", facts.automatic.map_or("automatic", |a| a.as_str()))
                } else {
                    String::new()
                };
                if actions.is_empty() {
                    actions.push("nothing".into());
                }
                writeln!(out, "  fires {name}: {}{left_out}", for_display_line(&actions.join(", ")))?;
            }
            Verdict::Skips(why) => writeln!(out, "  no    {name}: {}", for_display_line(&why))?,
        }
    }
    Ok(())
}

/// The rules fired, each with its ticket as the rules left it.
pub fn fired_json(store: &Store, policies: &Policies, fired: Vec<Fired>) -> Result<Vec<FiredJson>, CliError> {
    let mut shown = Vec::with_capacity(fired.len());
    for f in fired {
        let ticket = super::ticket_json::ticket(store, policies, &store.ticket(f.ticket)?)?;
        let Fired { rule, actions, left_out, changed_status, .. } = f;
        shown.push(FiredJson { rule, actions, left_out, changed_status, ticket });
    }
    Ok(shown)
}

pub fn run(store: &Store, config: &Config, paths: &Paths, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    config.rule_set.checked().map_err(CliError::Refused)?;
    let rules = Rules::new(config, &paths.data_dir);
    let policies = config.sla_policies();
    let fired = crate::serve::rules::run_timed(store, &rules, &policies, chrono::Utc::now())?;
    if json {
        return write_json(out, &fired_json(store, &policies, fired)?);
    }
    if fired.is_empty() {
        writeln!(out, "no timed rule is due")?;
    }
    for f in &fired {
        writeln!(out, "{}", for_display_line(&f.sentence()))?;
    }
    Ok(())
}

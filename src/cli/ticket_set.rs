//! `frontdesk ticket set`: change one ticket, or several at once (`ticket set 12 15 19 --status
//! solved`, or the numbers on stdin), each in its own version-checked write.

use super::customer_care::{survey_if_solved, CareSettings};
use super::output::{or_dash, write_json, ChangeJson, TicketJson};
use super::CliError;
use crate::domain::text::for_display_line;
use crate::domain::{Agent, Priority, Status, Ticket, TicketChange};
use crate::mail::outbound::Outbound;
use crate::store::{Store, StoreError};
use clap::Args;
use std::io::{IsTerminal, Read, Write};

#[derive(Debug, Args)]
pub struct SetArgs {
    /// Ticket numbers; `-` or none reads them from stdin (one per line, or separated by spaces).
    #[arg(value_name = "N")]
    ids: Vec<String>,
    #[arg(long)]
    status: Option<Status>,
    #[arg(long)]
    priority: Option<Priority>,
    /// A login, `me` or `none` (unassign).
    #[arg(long, value_name = "LOGIN|me|none")]
    assign: Option<String>,
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    #[arg(long = "untag", value_name = "TAG")]
    untags: Vec<String>,
    /// Refuse (exit 3, naming what changed) when the ticket's version is no longer this one (the
    /// `version` of `ticket show --json` when you read it). One ticket only.
    #[arg(long, value_name = "VERSION")]
    expect_version: Option<i64>,
    /// Print what became of each ticket as a JSON array.
    #[arg(long)]
    json: bool,
}

/// `me` is the acting agent, `none` nobody, anything else a login.
pub fn who(value: &str, agent: &Agent) -> Option<String> {
    match value {
        "none" => None,
        "me" => Some(agent.login.clone()),
        login => Some(login.to_string()),
    }
}

/// Change every ticket named, each at the version it is read at (or `--expect-version`): one line
/// each of what it is now or why it did not change. Fails when any did not; with one ticket the
/// error is that ticket's own (exit 3 when it changed meanwhile).
pub fn run(
    store: &Store,
    agent: &Agent,
    args: SetArgs,
    settings: &CareSettings,
    outbound: Option<&Outbound>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let change = TicketChange {
        status: args.status,
        priority: args.priority,
        assignee: args.assign.as_deref().map(|a| who(a, agent)),
        add_tags: args.tags,
        remove_tags: args.untags,
    };
    if change.is_empty() {
        return Err(CliError::Refused(
            "nothing to change; give --status, --priority, --assign, --tag or --untag".into(),
        ));
    }
    let ids = ticket_numbers(&args.ids)?;
    if args.expect_version.is_some() && ids.len() != 1 {
        return Err(CliError::Refused("--expect-version applies to one ticket; give one number".into()));
    }
    let outcomes = change_each(store, agent, &ids, args.expect_version, &change);
    if args.json {
        let json: Vec<ChangeJson> = outcomes.iter().map(|(id, outcome)| change_json(*id, outcome)).collect();
        write_json(out, &json)?;
        // What the rules and the surveys did goes to stderr, so stdout stays one JSON document.
        report(store, settings, outbound, &outcomes, false, &mut std::io::stderr())?;
    } else {
        report(store, settings, outbound, &outcomes, true, out)?;
    }
    verdict(outcomes)
}

/// A line for each ticket (with `lines`), and the survey of each ticket just solved.
fn report(
    store: &Store,
    settings: &CareSettings,
    outbound: Option<&Outbound>,
    outcomes: &[(i64, Outcome)],
    lines: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    for (id, outcome) in outcomes {
        match outcome {
            Ok((before, ticket)) => {
                if lines {
                    writeln!(out, "{}", ticket_line(ticket))?;
                }
                super::customer_care::run_rules(store, settings, outbound, (*id, false, *before), out)?;
                survey_if_solved(store, settings, outbound, *id, *before, out)?;
            }
            // One ticket's error is the command's own.
            Err(e) if lines && outcomes.len() > 1 => {
                writeln!(out, "ticket #{id}: not changed: {}", for_display_line(&e.to_string()))?
            }
            Err(_) => {}
        }
    }
    Ok(())
}

/// Success when every ticket changed; else one ticket's own error, or which of several did not.
fn verdict(mut outcomes: Vec<(i64, Outcome)>) -> Result<(), CliError> {
    if outcomes.len() == 1 {
        return match outcomes.pop() {
            Some((_, Err(e))) => Err(CliError::Store(e)),
            _ => Ok(()),
        };
    }
    let failed: Vec<String> = outcomes.iter().filter(|(_, o)| o.is_err()).map(|(id, _)| format!("#{id}")).collect();
    if failed.is_empty() {
        return Ok(());
    }
    let (n, of) = (failed.len(), outcomes.len());
    Err(CliError::Refused(format!("{n} of {of} tickets were not changed: {}", failed.join(", "))))
}

type Outcome = Result<(Status, Ticket), StoreError>;

/// Change each ticket in its own write: checked against `--expect-version` when given, else
/// applied to the ticket as it is then (another writer first is no reason to fail). Each outcome
/// keeps the status the ticket had, for the survey.
fn change_each(
    store: &Store,
    agent: &Agent,
    ids: &[i64],
    expected: Option<i64>,
    change: &TicketChange,
) -> Vec<(i64, Outcome)> {
    let change_one = |id: i64| -> Outcome {
        let Some(expected) = expected else { return store.change_ticket(id, change, &agent.login) };
        let before = store.ticket(id)?;
        Ok((before.status, store.update_ticket(id, expected, change, &agent.login)?))
    };
    ids.iter().map(|&id| (id, change_one(id))).collect()
}

/// The numbers given, or read from stdin for `-` or none; each once, in the order given.
fn ticket_numbers(given: &[String]) -> Result<Vec<i64>, CliError> {
    let mut words: Vec<String> = Vec::new();
    let from_stdin = given.is_empty() || given.iter().any(|g| g == "-");
    for word in given.iter().filter(|g| *g != "-") {
        words.push(word.clone());
    }
    if from_stdin {
        if std::io::stdin().is_terminal() {
            return Err(CliError::Refused(
                "give ticket numbers, or `-` and the numbers on stdin (one per line or separated by spaces)".into(),
            ));
        }
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(CliError::Stdin)?;
        words.extend(text.split_whitespace().map(str::to_string));
    }
    let mut ids = Vec::new();
    for word in &words {
        let id = parse_number(word)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(CliError::Refused("no ticket numbers were given (on the command line or on stdin)".into()));
    }
    Ok(ids)
}

/// `12` or `#12`.
fn parse_number(word: &str) -> Result<i64, CliError> {
    word.strip_prefix('#')
        .unwrap_or(word)
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| CliError::Refused(format!("'{}' is not a ticket number", for_display_line(word))))
}

/// `ticket #12: solved · normal · ana · tags refund`: the ticket as it now is.
pub fn ticket_line(t: &Ticket) -> String {
    let tags = if t.tags.is_empty() { "-".to_string() } else { t.tags.join(" ") };
    let line =
        format!("ticket #{}: {} · {} · {} · tags {}", t.id, t.status, t.priority, or_dash(t.assignee.as_deref()), tags);
    for_display_line(&line).into_owned()
}

fn change_json(id: i64, outcome: &Outcome) -> ChangeJson {
    match outcome {
        Ok((_, ticket)) => ChangeJson { id, ok: true, ticket: Some(TicketJson::from(ticket)), error: None },
        Err(e) => ChangeJson { id, ok: false, ticket: None, error: Some(e.to_string()) },
    }
}

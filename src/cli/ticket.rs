//! `frontdesk ticket …`: create, list, show, answer and change tickets.

use super::customer_care::CareSettings;
use super::output::{rfc3339, write_json, TicketDetailJson};
use super::sla_view::{self, SlaJson};
use super::{ticket_view, CliError};
use crate::domain::sla::Policies;
use crate::domain::text::for_display_line;
use crate::domain::{lifecycle, Agent, Channel, MessageKind, NewTicket, Priority, Status, Ticket, TicketChange};
use crate::mail::outbound::{Outbound, ReplyOptions, SendError};
use crate::store::{Store, StoreError};
use chrono::Utc;
use clap::{Args, Subcommand};
use std::io::{Read, Write};

#[derive(Debug, Subcommand)]
pub enum TicketCommand {
    /// Open a ticket for a customer (created when the address is new).
    New(NewArgs),
    /// List tickets, most recently updated first.
    List(super::ticket_list::ListArgs),
    /// Show a ticket with its conversation and history.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Answer a ticket, or add an internal note; the text comes from stdin without --body.
    Reply {
        id: i64,
        /// An internal note instead of a reply to the customer.
        #[arg(long)]
        note: bool,
        #[arg(long)]
        body: Option<String>,
        /// Refuse (exit 3) when the ticket has a message newer than this one (the last you read).
        #[arg(long, value_name = "MESSAGE_ID")]
        expect_last: Option<i64>,
        /// Send a canned reply (by name), with its placeholders filled in and its actions applied.
        #[arg(long = "macro", value_name = "NAME", conflicts_with = "body")]
        macro_name: Option<String>,
        /// Set this status with the reply, in the same write (over a canned reply's own status).
        #[arg(long)]
        status: Option<Status>,
        /// Send a copy to this address too (shown to the customer); repeat for more.
        #[arg(long, value_name = "ADDRESS", conflicts_with = "note", value_parser = cc_address)]
        cc: Vec<String>,
        /// Send a blind copy to this address (not in the mail's headers; kept on the reply); repeat for more.
        #[arg(long, value_name = "ADDRESS", conflicts_with = "note", value_parser = bcc_address)]
        bcc: Vec<String>,
        /// Attach this file to the reply (25 MB in all at most); repeat for more.
        #[arg(long, value_name = "FILE", conflicts_with = "note")]
        attach: Vec<std::path::PathBuf>,
        /// Print the message added and the ticket as it now is, as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the canned replies (built in, and `macros/*.toml` beside the config file).
    Macros,
    /// Record the customer's satisfaction with a solved ticket.
    Rate {
        id: i64,
        /// good, bad, or 1 to 5 (4 and 5 count as good).
        #[arg(long, value_name = "good|bad|1-5")]
        csat: crate::domain::satisfaction::Csat,
        #[arg(long)]
        comment: Option<String>,
        /// Print the ticket as rated and its rating, as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Merge a ticket into another of the same customer: its conversation moves, it is closed (admins only).
    Merge {
        id: i64,
        #[arg(long, value_name = "N")]
        into: i64,
        /// Print both tickets as they now are, as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Pending tickets the customer has not answered for `[sla] solve_pending_after_days` (default 7).
    Stale {
        /// Solve them all.
        #[arg(long)]
        solve: bool,
        /// Print the tickets (as solved, with --solve) as a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Take a ticket out of the working views until a time (or until the customer writes).
    Snooze {
        id: i64,
        /// A time in your time zone (tomorrow 9:00, 17:30, mon, mon 14:30, 2026-12-24 08:00, a date
        /// alone is 9:00), a delay (3d, 2h, 90m, 1w, in 3 days), an RFC 3339 time with its offset,
        /// or `reply` (until the customer writes, however long that takes).
        #[arg(long, value_name = "TIME")]
        until: String,
        /// Print the ticket as snoozed, as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change the status, priority, assignee or tags of one ticket or several (`set 12 15 19`, or
    /// the numbers on stdin with `-`).
    Set(super::ticket_set::SetArgs),
    /// Delete a ticket with its conversation and history, e.g. spam (admins only).
    Delete {
        id: i64,
        /// Say you mean it: nothing of the ticket can be brought back.
        #[arg(long)]
        yes: bool,
        /// Print the ticket as it was before it was deleted, as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Undo the last change to a ticket (status, priority, owner, tags, snooze, rating, a ticket
    /// merge); again to undo the one before. Sent messages and customer merges stay.
    Undo(super::ticket_undo::UndoArgs),
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The customer's email address.
    #[arg(long, value_name = "EMAIL")]
    from: String,
    /// The customer's name, when the address is new.
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    subject: String,
    #[arg(long, default_value = "normal")]
    priority: Priority,
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// The customer's first message.
    #[arg(long, default_value = "")]
    body: String,
    /// Print the ticket made, as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(
    store: &Store,
    agent: &Agent,
    cmd: TicketCommand,
    outbound: Option<&Outbound>,
    settings: &CareSettings,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match cmd {
        TicketCommand::New(args) => new(store, agent, args, (settings, outbound), out),
        TicketCommand::List(args) => super::ticket_list::run(store, agent, &args, settings, out),
        TicketCommand::Show { id, json } => show(store, id, json, &settings.policies, out),
        TicketCommand::Reply { id, note, body, macro_name, expect_last, status, cc, bcc, attach, json } => {
            let before = store.ticket(id)?.status; // an unknown ticket is named before stdin is read
            let options = reply_options(cc, bcc, &attach, outbound)?;
            let (body, mut change) = match macro_name {
                Some(name) => {
                    let (body, change) = super::customer_care::macro_reply(store, agent, settings, id, &name)?;
                    (Some(body), change)
                }
                None => (body, TicketChange::default()),
            };
            if let Some(status) = status {
                change.status = Some(status);
            }
            let kind = if note { MessageKind::Note } else { MessageKind::Reply };
            let answer = Answer { id, kind, expect_last, change, before, options };
            if !json {
                reply(store, agent, answer, body, outbound, out)?;
                super::customer_care::run_rules(store, settings, outbound, (id, !note, before), out)?;
                return super::customer_care::survey_if_solved(store, settings, outbound, id, before, out);
            }
            // What was said goes to stderr, so stdout stays one JSON document.
            let message = reply(store, agent, answer, body, outbound, &mut std::io::stderr())?;
            super::customer_care::run_rules(store, settings, outbound, (id, !note, before), &mut std::io::stderr())?;
            super::customer_care::survey_if_solved(store, settings, outbound, id, before, &mut std::io::stderr())?;
            write_json(out, &super::ticket_json::reply(store, &settings.policies, message, id)?)
        }
        TicketCommand::Rate { id, csat, comment, json } => {
            let t = store.rate_ticket(id, csat, comment.as_deref().unwrap_or(""), &agent.login)?;
            if json {
                return write_json(out, &super::ticket_json::rated(store, &settings.policies, &t)?);
            }
            writeln!(out, "ticket #{}: rated {}", t.id, csat.label())?;
            Ok(())
        }
        TicketCommand::Snooze { id, until, json } => {
            let zone = crate::domain::when::agent_zone();
            let until = match until.trim() {
                "reply" => crate::domain::sla::until_reply(),
                text => zone.parse(text, Utc::now()).map_err(|problem| {
                    let reply = if problem.contains("is not a time;") { ", or 'reply'" } else { "" };
                    CliError::Refused(format!("{problem}{reply}"))
                })?,
            };
            let t = store.snooze_ticket(id, until, &agent.login)?;
            if json {
                return write_json(out, &super::ticket_json::ticket(store, &settings.policies, &t)?);
            }
            if crate::domain::sla::is_until_reply(until) {
                writeln!(out, "ticket #{} snoozed until the customer writes", t.id)?;
            } else {
                let (local, exact) = (zone.full(until), until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
                writeln!(out, "ticket #{} snoozed until {local} ({exact})", t.id)?;
            }
            Ok(())
        }
        TicketCommand::Merge { id, into, json } => {
            super::identity::require_admin(agent, "merge tickets")?;
            let before = store.ticket(id)?.status;
            let t = store.merge_tickets(id, into, &agent.login)?;
            let fired = super::customer_care::rules_of(settings, outbound).after_merge(store, (id, into), before)?;
            if json {
                // What the rules did goes to stderr, so stdout stays one JSON document.
                super::customer_care::say_fired(&fired, &mut std::io::stderr())?;
                let (into, merged) = (&t, &store.ticket(id)?);
                let ticket = |t| super::ticket_json::ticket(store, &settings.policies, t);
                return write_json(
                    out,
                    &super::ticket_json::MergeJson { into: ticket(into)?, merged: ticket(merged)? },
                );
            }
            writeln!(out, "merged #{id} into #{} ({}); #{id} is closed", t.id, for_display_line(&t.subject))?;
            super::customer_care::say_fired(&fired, out)
        }
        TicketCommand::Stale { solve, json } => {
            super::customer_care::stale(store, agent, settings, outbound, (solve, json), out)
        }
        TicketCommand::Macros => {
            for m in settings.macros() {
                writeln!(out, "{}", for_display_line(&m.name))?;
            }
            Ok(())
        }
        TicketCommand::Set(args) => super::ticket_set::run(store, agent, args, settings, outbound, out),
        TicketCommand::Delete { id, yes, json } => {
            super::identity::require_admin(agent, "delete tickets")?;
            if !yes {
                return Err(CliError::Refused(format!(
                    "deleting #{id} cannot be undone: run it again with --yes if you mean it"
                )));
            }
            let shown = if json {
                Some(super::ticket_json::ticket(store, &settings.policies, &store.ticket(id)?)?)
            } else {
                None
            };
            let ticket = store.delete_ticket(id, &agent.login)?;
            if let Some(shown) = shown {
                return write_json(out, &shown);
            }
            writeln!(out, "deleted #{id} ({})", crate::domain::text::for_display_line(&ticket.subject))?;
            Ok(())
        }
        TicketCommand::Undo(args) => super::ticket_undo::run(store, agent, args, (settings, outbound), out),
    }
}

/// The ticket, its priority raised for the customer's tier, and what the `new_ticket` rules do to
/// it, in one write: a ticket and what its rules did are kept together, or neither is.
fn new(
    store: &Store,
    agent: &Agent,
    args: NewArgs,
    (settings, outbound): (&CareSettings, Option<&Outbound>),
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let new = NewTicket {
        customer_email: args.from,
        customer_name: args.name,
        subject: args.subject,
        body: args.body,
        priority: args.priority,
        channel: Channel::Email,
        tags: args.tags,
    };
    let rules = super::customer_care::rules_of(settings, outbound);
    let (ticket, fired) = store.in_one_write(|| {
        let ticket = store.create_ticket(&new, &agent.login)?;
        let ticket = store.raise_priority_for_tier(ticket.id, &|tier| settings.priority_raise(tier))?;
        let fired = rules.on_event(store, ticket.id, crate::domain::rules::Event::NewTicket, None)?;
        Ok((ticket, fired))
    })?;
    let ticket = if fired.is_empty() { ticket } else { store.ticket(ticket.id)? };
    if args.json {
        // What the rules did goes to stderr, so stdout stays one JSON document.
        super::customer_care::say_fired(&fired, &mut std::io::stderr())?;
        return write_json(out, &super::ticket_json::ticket(store, &settings.policies, &ticket)?);
    }
    writeln!(out, "created ticket #{} for {}", ticket.id, ticket.customer_email)?;
    super::customer_care::say_fired(&fired, out)
}

fn show(store: &Store, id: i64, json: bool, policies: &Policies, out: &mut dyn Write) -> Result<(), CliError> {
    let detail = store.ticket_detail(id)?;
    let clocks = sla_view::clocks(store, policies, std::slice::from_ref(&detail.ticket), Utc::now())?.remove(&id);
    if json {
        let mut json = TicketDetailJson::from(&detail);
        json.ticket.sla = clocks.map(|(c, _)| SlaJson::from(c.as_slice()));
        json.ticket.snoozed_until = store.snoozes(std::slice::from_ref(&detail.ticket))?.get(&id).copied().map(rfc3339);
        return write_json(out, &json);
    }
    ticket_view::write(&detail, out)?;
    for line in clocks.map(|(c, hours)| sla_view::lines(&c, &hours)).unwrap_or_default() {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The store refused the message: its text (perhaps typed into stdin) is saved as the writer's
/// draft on the ticket, so nothing is lost, and the error says so. A ticket that is gone keeps
/// nothing.
fn save_as_draft_on_error(
    store: &Store,
    agent: &Agent,
    (ticket, kind): (i64, MessageKind),
    body: &str,
    error: StoreError,
) -> CliError {
    if matches!(error, StoreError::TicketNotFound(_)) {
        return error.into();
    }
    match store.save_draft(ticket, &agent.login, kind, body) {
        Ok(()) => CliError::Kept { error, ticket, kind },
        Err(_) => error.into(),
    }
}

/// Which ticket a `ticket reply` answers, how, the last message its writer read, and what it
/// changes on the ticket (whose status was `before`) in the same write.
struct Answer {
    id: i64,
    kind: MessageKind,
    expect_last: Option<i64>,
    change: TicketChange,
    before: Status,
    options: ReplyOptions,
}

fn cc_address(text: &str) -> Result<String, String> {
    one_address(text, "--cc")
}

fn bcc_address(text: &str) -> Result<String, String> {
    one_address(text, "--bcc")
}

fn one_address(text: &str, what: &str) -> Result<String, String> {
    match crate::domain::recipients::parse_addresses(text, what)?.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!("{what} takes one address; repeat {what} for more")),
    }
}

/// Cc, Bcc and the files read whole, before stdin is read or anything is stored.
fn reply_options(
    cc: Vec<String>,
    bcc: Vec<String>,
    attach: &[std::path::PathBuf],
    outbound: Option<&Outbound>,
) -> Result<ReplyOptions, CliError> {
    if outbound.is_none() && !(cc.is_empty() && bcc.is_empty() && attach.is_empty()) {
        return Err(CliError::Refused(
            "--cc, --bcc and --attach go with mail, and the config sends none (see [mail.outbound]); nothing was added"
                .into(),
        ));
    }
    let attachments = crate::mail::files::read_attachments(attach)
        .map_err(|e| CliError::Refused(format!("{e}; nothing was added")))?;
    Ok(ReplyOptions { cc, bcc, attachments, auto_replied: false })
}

fn reply(
    store: &Store,
    agent: &Agent,
    Answer { id, kind, expect_last, change, before, options }: Answer,
    body: Option<String>,
    outbound: Option<&Outbound>,
    out: &mut dyn Write,
) -> Result<i64, CliError> {
    // Refused before stdin is read, so nothing typed there is lost (the store checks it again).
    if let Some(to) = change.status.filter(|to| !lifecycle::may_move(before, *to)) {
        return Err(CliError::Refused(format!(
            "ticket #{id} is {before} and cannot become {to}; nothing was added (open a new ticket instead)"
        )));
    }
    let body = match body {
        Some(body) => body,
        None => read_stdin()?,
    };
    if body.trim().is_empty() {
        return Err(CliError::Refused(format!("the {kind} is empty; give --body TEXT or the text on stdin")));
    }
    let changed = |ticket: &Ticket, out: &mut dyn Write| match change.is_empty() {
        true => Ok(()),
        false => writeln!(out, "{}", super::ticket_set::ticket_line(ticket)),
    };
    // Notes are never mailed; replies are when the config says how.
    let Some(outbound) = outbound.filter(|_| kind == MessageKind::Reply) else {
        let stored = store.reply_and_change(id, kind, &agent.login, &body, expect_last, &change);
        let (message, ticket) = stored.map_err(|e| save_as_draft_on_error(store, agent, (id, kind), &body, e))?;
        writeln!(out, "added {} {} to ticket #{id}", kind, message.id)?;
        changed(&ticket, out)?;
        return Ok(message.id);
    };
    let (message, ticket, delivered) =
        match outbound.send_reply_with(store, agent, (id, &body), expect_last, Some(&change), &options) {
            Ok(sent) => sent,
            Err(SendError::Store(e)) => return Err(save_as_draft_on_error(store, agent, (id, kind), &body, e)),
            Err(other) => {
                // Nothing was stored or sent; the text (perhaps typed into stdin) must not be lost.
                store.save_draft(id, &agent.login, MessageKind::Reply, &body)?;
                return Err(CliError::Refused(format!(
                    "{other}; nothing was sent, and your text is kept as a draft on #{id} (open it and press r)"
                )));
            }
        };
    match delivered {
        Ok(()) => writeln!(out, "added reply {} to ticket #{id} and mailed it", message.id)?,
        Err(e) => writeln!(
            out,
            "added reply {} to ticket #{id}; not mailed yet, it waits in the outbox: {}",
            message.id,
            for_display_line(&e)
        )?,
    }
    changed(&ticket, out)?;
    Ok(message.id)
}

fn read_stdin() -> Result<String, CliError> {
    let mut body = String::new();
    std::io::stdin().read_to_string(&mut body).map_err(CliError::Stdin)?;
    Ok(body)
}

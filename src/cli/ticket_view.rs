//! `ticket show` for people: a header, the conversation and the history, customer text made safe.

use super::output::or_dash;
use crate::domain::text::{for_display, for_display_line};
use crate::domain::TicketDetail;
use crate::domain::{Event, Message, Timestamp};
use std::io::{self, Write};

/// A time in the agent's zone, with the zone's name: `2026-11-23 15:00 CET`.
fn when(t: Timestamp) -> String {
    crate::domain::when::agent_zone().format(t, "%Y-%m-%d %H:%M %Z")
}

pub fn write(detail: &TicketDetail, out: &mut dyn Write) -> io::Result<()> {
    let t = &detail.ticket;
    writeln!(out, "#{} {}", t.id, for_display_line(&t.subject))?;
    writeln!(out, "{} · {} · {} · assignee {}", t.status, t.priority, t.channel, or_dash(t.assignee.as_deref()))?;
    let c = &detail.customer;
    writeln!(
        out,
        "customer: {} <{}> (#{}, {})",
        for_display_line(&c.name),
        for_display_line(c.primary_email()),
        c.id,
        c.tier
    )?;
    if !t.tags.is_empty() {
        writeln!(out, "tags: {}", for_display_line(&t.tags.join(" ")))?;
    }
    writeln!(out, "created {} · updated {} · version {}", when(t.created_at), when(t.updated_at), t.version)?;
    if let Some(old) = detail.mail.follows {
        writeln!(out, "follows #{old}, which was closed when the customer wrote again")?;
    }
    for message in &detail.messages {
        write_message(message, out)?;
        if let Some(mail) = detail.mail.of(message.id) {
            super::mail_view::write_message_mail(mail, out)?;
        }
    }
    if !detail.events.is_empty() {
        writeln!(out, "\nhistory:")?;
        for event in &detail.events {
            write_event(event, &detail.events, out)?;
        }
    }
    Ok(())
}

fn write_message(m: &Message, out: &mut dyn Write) -> io::Result<()> {
    // The message id is what `ticket reply --expect-last` takes.
    writeln!(out, "\n── {} ({}) · {} · message {}", for_display_line(&m.author), m.kind, when(m.created_at), m.id)?;
    for line in for_display(&m.body).lines() {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

fn write_event(e: &Event, history: &[Event], out: &mut dyn Write) -> io::Result<()> {
    let value = |v: &Option<String>| for_display_line(v.as_deref().unwrap_or("-")).into_owned();
    let change = match e.field.as_str() {
        "created" => format!("created: {}", value(&e.new)),
        "reply" | "note" | "customer" => format!("added {} {}", e.field, value(&e.new)),
        "auto_reply" => format!("added automatic reply {}", value(&e.new)),
        "tag" if e.old.is_none() => format!("tagged {}", value(&e.new)),
        "tag" => format!("untagged {}", value(&e.old)),
        "undo" => undid(e, history),
        field => format!("{field} {} → {}", value(&e.old), value(&e.new)),
    };
    writeln!(out, "  {} {} {}", when(e.created_at), for_display_line(&e.actor), change)
}

/// `undid root's change of 15:35`: the write an undo reverted, named by its newest event.
fn undid(e: &Event, history: &[Event]) -> String {
    let undone = e.new.as_deref().and_then(|id| id.parse::<i64>().ok());
    match history.iter().find(|h| Some(h.id) == undone) {
        Some(h) => {
            let at = crate::domain::when::agent_zone().format(h.created_at, "%H:%M:%S");
            format!("undid {}'s change of {at}", for_display_line(&h.actor))
        }
        None => "undid a change".into(),
    }
}

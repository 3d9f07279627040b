//! The open conversation: messages and ticket events in time order, wrapped to the pane's width
//! once (when it loads or the width changes), so scrolling and drawing only index into lines.

use super::text::{fit, width, wrap};
use crate::domain::mail::ThreadRule;
use crate::domain::text::{for_display, for_display_line};
use crate::domain::{Delivery, Event, Message, MessageKind, MessageMail, TicketDetail, Timestamp};
use chrono::Datelike;

/// How a piece of a line is drawn; the theme says what each looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Dim,
    /// Who wrote a message, and a note's `▒` margin.
    Author(MessageKind),
    Body(MessageKind),
}

/// One wrapped line of the conversation: pieces of text, over a tone for the whole line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationLine {
    pub tone: Tone,
    pub pieces: Vec<(Tone, String)>,
}

impl ConversationLine {
    fn whole(tone: Tone, text: String) -> ConversationLine {
        ConversationLine { tone, pieces: vec![(Tone::Plain, text)] }
    }

    fn blank() -> ConversationLine {
        ConversationLine { tone: Tone::Plain, pieces: Vec::new() }
    }
}

/// When and where the agent is, for showing times.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: Timestamp,
    /// The agent's time zone: every time is shown with the offset in force at that time.
    pub zone: crate::domain::when::Zone,
}

#[derive(Debug)]
pub struct ConversationState {
    pub detail: TicketDetail,
    /// Lines scrolled up from the bottom (0 shows the newest message).
    pub scroll_from_bottom: usize,
    /// The width `lines` were wrapped for (0: not yet).
    pub width: u16,
    pub lines: Vec<ConversationLine>,
}

impl ConversationState {
    pub fn new(detail: TicketDetail) -> ConversationState {
        ConversationState { detail, scroll_from_bottom: 0, width: 0, lines: Vec::new() }
    }

    /// Wrap the conversation for `width` columns unless it already is.
    pub fn wrap_to(&mut self, width: u16, clock: Clock) {
        if self.width != width || self.lines.is_empty() {
            self.lines = build_lines(&self.detail, width as usize, clock);
            self.width = width;
        }
    }
}

enum Entry<'a> {
    Message(&'a Message),
    Event(&'a Event),
}

impl Entry<'_> {
    fn at(&self) -> Timestamp {
        match self {
            Entry::Message(m) => m.created_at,
            Entry::Event(e) => e.created_at,
        }
    }
}

/// Events worth a line of their own; message events are already shown as their messages.
fn shown_event(event: &Event) -> bool {
    matches!(event.field.as_str(), "status" | "priority" | "assignee" | "tag" | "satisfaction" | "snoozed_until")
}

pub fn build_lines(detail: &TicketDetail, width: usize, clock: Clock) -> Vec<ConversationLine> {
    let mut entries: Vec<Entry> = detail.messages.iter().map(Entry::Message).collect();
    entries.extend(detail.events.iter().filter(|e| shown_event(e)).map(Entry::Event));
    entries.sort_by_key(|e| e.at());
    let numbers: std::collections::HashMap<i64, usize> =
        numbered_attachments(detail).iter().enumerate().map(|(i, a)| (a.id, i + 1)).collect();
    let mut lines = Vec::new();
    for entry in entries {
        match entry {
            Entry::Message(m) => message_lines(m, detail, width, clock, &numbers, &mut lines),
            Entry::Event(e) => lines.push(event_line(e, width, clock)),
        }
    }
    if lines.is_empty() {
        lines.push(ConversationLine::whole(Tone::Dim, " No messages yet.".into()));
    }
    lines
}

/// The ticket's attachments in the order the conversation shows them; the agent names one by its
/// place in this list, from 1.
pub fn numbered_attachments(detail: &TicketDetail) -> Vec<&crate::domain::AttachmentInfo> {
    detail.messages.iter().filter_map(|m| detail.mail.of(m.id)).flat_map(|mail| &mail.attachments).collect()
}

fn message_lines(
    m: &Message,
    detail: &TicketDetail,
    width: usize,
    clock: Clock,
    numbers: &std::collections::HashMap<i64, usize>,
    out: &mut Vec<ConversationLine>,
) {
    if !out.is_empty() {
        out.push(ConversationLine::blank());
    }
    let who = match m.kind {
        MessageKind::Customer => {
            format!("{} <{}>", for_display_line(&m.author), for_display_line(detail.customer.primary_email()))
        }
        MessageKind::Reply => format!("{} · reply", for_display_line(&m.author)),
        MessageKind::Note => format!("▒ note · {} · internal", for_display_line(&m.author)),
        MessageKind::System => "system".to_string(),
    };
    let when = format_time(m.created_at, clock);
    let who_w = width.saturating_sub(super::text::width(&when) + 1);
    out.push(ConversationLine {
        tone: Tone::Plain,
        pieces: vec![(Tone::Author(m.kind), fit(&who, who_w)), (Tone::Plain, " ".into()), (Tone::Dim, when)],
    });
    let (prefix, body_w) = match m.kind {
        MessageKind::Note => ("▒ ", width.saturating_sub(2)),
        _ => ("", width),
    };
    for text in wrap(&for_display(m.body.trim_end()), body_w) {
        out.push(ConversationLine {
            tone: Tone::Plain,
            pieces: vec![(Tone::Author(m.kind), prefix.into()), (Tone::Body(m.kind), text)],
        });
    }
    mail_lines(detail.mail.of(m.id), width, clock, numbers, out);
}

fn event_line(e: &Event, width: usize, clock: Clock) -> ConversationLine {
    let show = |v: &Option<String>| v.as_deref().map(for_display_line).map(|s| s.into_owned());
    let what = match (e.field.as_str(), show(&e.old), show(&e.new)) {
        ("tag", None, Some(tag)) => format!("added tag {tag}"),
        ("tag", Some(tag), _) => format!("removed tag {tag}"),
        ("assignee", _, None) => "unassigned the ticket".to_string(),
        ("assignee", _, Some(to)) => format!("assigned to {to}"),
        ("snoozed_until", _, None) => "ended the snooze".into(),
        ("satisfaction", _, None) => "removed the rating".into(),
        ("snoozed_until", _, Some(until)) if until.starts_with("9999-") => {
            "snoozed it until the customer writes".into()
        }
        ("snoozed_until", _, Some(until)) => match chrono::DateTime::parse_from_rfc3339(&until) {
            Ok(t) => format!("snoozed until {}", clock.zone.short(t.with_timezone(&chrono::Utc), clock.now)),
            Err(_) => format!("snoozed it until {until}"),
        },
        (field, old, new) => {
            format!("set {field} {} → {}", old.unwrap_or_else(|| "—".into()), new.unwrap_or_else(|| "—".into()))
        }
    };
    let when = format_time(e.created_at, clock);
    let text = format!("── {} {what}", for_display_line(&e.actor));
    let text_w = width.saturating_sub(width_of(&when) + 1);
    ConversationLine {
        tone: Tone::Dim,
        pieces: vec![(Tone::Plain, fit(&text, text_w)), (Tone::Plain, " ".into()), (Tone::Plain, when)],
    }
}

fn width_of(s: &str) -> usize {
    width(s)
}

/// Dim lines under a message's body: which rule threaded it, its attachments, its delivery;
/// nothing for a message that did not come or go as mail.
fn mail_lines(
    mail: Option<&MessageMail>,
    width: usize,
    clock: Clock,
    numbers: &std::collections::HashMap<i64, usize>,
    out: &mut Vec<ConversationLine>,
) {
    let Some(mail) = mail else { return };
    let mut line = |text: String| out.push(ConversationLine::whole(Tone::Dim, fit(&text, width)));
    if let Some(rule) = mail.thread_rule.as_deref().and_then(ThreadRule::from_name) {
        line(format!("↳ {rule}"));
    }
    if !mail.cc.is_empty() {
        line(format!("Cc: {}", for_display_line(&mail.cc.join(", "))));
    }
    if !mail.bcc.is_empty() {
        line(format!("Bcc (not shown to the customer): {}", for_display_line(&mail.bcc.join(", "))));
    }
    for a in &mail.attachments {
        let inline = if a.inline { " · inline" } else { "" };
        line(format!(
            "📎 [{}] {} {} · {}{inline}",
            numbers.get(&a.id).copied().unwrap_or(0),
            for_display_line(&a.name),
            human_size(a.size),
            for_display_line(&a.content_type)
        ));
    }
    if let Some(retry) = mail.retry.as_ref().filter(|_| !matches!(mail.delivery, Some(Delivery::Sent))) {
        line(retry_line(retry, clock));
        return;
    }
    match &mail.delivery {
        Some(Delivery::Sent) | None => {}
        Some(Delivery::Waiting) => line("✉ waiting in the outbox".into()),
        Some(Delivery::Failed(e)) => line(format!("✉ not sent, in the outbox: {}", for_display_line(e))),
    }
}

/// `✉ not mailed yet: 3 attempts, next try 14:05, last error: …`
fn retry_line(retry: &crate::domain::DeliveryRetry, clock: Clock) -> String {
    let attempts = match retry.attempts {
        1 => "1 attempt".to_string(),
        n => format!("{n} attempts"),
    };
    let next = match retry.next_try {
        Some(at) if at > clock.now => format!("next try {}", format_time(at, clock)),
        _ => "next try due now".to_string(),
    };
    format!("✉ not mailed yet: {attempts}, {next}, last error: {}", for_display_line(&retry.last_error))
}

/// `812 B`, `12 KB`, `3.4 MB`.
pub fn human_size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{} KB", b.div_ceil(1024)),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// `14:02` today, `23 Nov 14:02` this year, `23 Nov 2025` before.
pub fn format_time(t: Timestamp, clock: Clock) -> String {
    let (day, today) = (clock.zone.date_of(t), clock.zone.date_of(clock.now));
    if day == today {
        clock.zone.format(t, "%H:%M")
    } else if day.year() == today.year() {
        clock.zone.format(t, "%d %b %H:%M")
    } else {
        clock.zone.format(t, "%d %b %Y")
    }
}

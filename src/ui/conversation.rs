//! The conversation pane: messages and ticket events in time order, wrapped once per width.

use super::layout;
use super::text::{fit, width, wrap};
use super::theme::Theme;
use crate::app::state::{ConversationState, Pane, State, WrapCache};
use crate::domain::text::{for_display, for_display_line};
use crate::domain::TicketDetail;
use crate::domain::{Event, Message, MessageKind, Timestamp};
use chrono::FixedOffset;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

pub struct ConversationView<'a> {
    pub state: &'a State,
    pub theme: &'a Theme,
}

/// Total wrapped lines of the open conversation and the lines its pane shows.
pub fn measure(state: &State) -> (usize, usize) {
    let (Some(conversation), Some(area)) = (&state.conversation, layout::areas(state).conversation) else {
        return (0, 0);
    };
    let inner = Block::bordered().inner(area);
    let cache = wrapped(conversation, inner.width, None, clock(state));
    (cache.lines.len(), inner.height as usize)
}

/// When and where the agent is, for showing times.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: Timestamp,
    pub offset: FixedOffset,
}

fn clock(state: &State) -> Clock {
    Clock { now: state.now, offset: state.utc_offset }
}

/// The wrapped lines for `width`, built on first use and kept until the width (or the theme,
/// when one is asked for) changes. Line counts do not depend on the theme.
fn wrapped<'a>(
    conversation: &'a ConversationState,
    width: u16,
    theme: Option<&Theme>,
    clock: Clock,
) -> std::cell::Ref<'a, WrapCache> {
    let fresh = {
        let cache = conversation.wrapped.borrow();
        cache.width == width && !cache.lines.is_empty() && theme.is_none_or(|t| *t == cache.theme)
    };
    if !fresh {
        let theme = theme.copied().unwrap_or_else(Theme::monochrome);
        let lines = build_lines(&conversation.detail, width as usize, &theme, clock);
        *conversation.wrapped.borrow_mut() = WrapCache { width, lines, theme };
    }
    conversation.wrapped.borrow()
}

impl Widget for ConversationView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let focused = self.state.focus == Pane::Conversation && self.state.composer.is_none();
        let mut block =
            Block::bordered().border_type(self.theme.border_type(focused)).border_style(self.theme.border(focused));
        let Some(conversation) = &self.state.conversation else {
            block = block.title(" Conversation ");
            let inner = block.inner(area);
            block.render(area, buf);
            Line::from(" Pick a ticket in the queue (j/k, Enter).").style(self.theme.dim()).render(inner, buf);
            return;
        };
        block = header(block, self.state, &conversation.detail.ticket, area.width as usize, self.theme);
        let inner = block.inner(area);
        block.render(area, buf);
        let cache = wrapped(conversation, inner.width, Some(self.theme), clock(self.state));
        let height = inner.height as usize;
        let total = cache.lines.len();
        let start = total.saturating_sub(height + conversation.scroll_from_bottom);
        for (row, line) in inner.rows().zip(cache.lines.iter().skip(start)) {
            line.clone().render(row, buf);
        }
        if start > 0 {
            let more = format!(" ↑ {start} more ");
            let x = area.x + area.width.saturating_sub(width(&more) as u16 + 2);
            buf.set_string(x, area.y + area.height - 1, more, self.theme.dim());
        }
    }
}

/// Columns of the subject kept before presence, then the facts, get room in the top border.
const SUBJECT_MIN: usize = 20;

/// The top border: the subject on the left; on the right, who else is on the ticket (it must not
/// be missed, so it comes before the facts) and the facts (status, priority, owner) when there is room.
fn header<'a>(
    block: Block<'a>,
    state: &State,
    ticket: &crate::domain::Ticket,
    across: usize,
    theme: &Theme,
) -> Block<'a> {
    let title = format!(" #{} {} ", ticket.id, for_display_line(&ticket.subject));
    let facts = format!(
        " {} · {} · {} ",
        ticket.status,
        ticket.priority,
        ticket.assignee.as_deref().map(for_display_line).unwrap_or("unassigned".into())
    );
    // Two corners and a stretch of border between the titles.
    let inside = across.saturating_sub(4);
    let mut room = inside.saturating_sub(width(&title).min(SUBJECT_MIN));
    let mut right = Vec::new();
    let long = crate::app::live::describe(state, ticket.id, false).map(|p| format!(" {p} "));
    if let Some(long) = long {
        let presence = match long {
            long if width(&long) <= room => long,
            _ => format!(" {} ", crate::app::live::describe(state, ticket.id, true).unwrap_or_default()),
        };
        let presence = super::text::truncate(&presence, room);
        room -= width(&presence);
        right.push(Span::styled(presence, theme.bold()));
    }
    // Between presence and the facts, a stretch of the border keeps them apart.
    let facts = if right.is_empty() { facts } else { format!("──{facts}") };
    if width(&facts) <= room {
        right.push(Span::raw(facts));
    }
    let used: usize = right.iter().map(|s| width(&s.content)).sum();
    let gap = if used > 0 { used + 2 } else { 0 };
    let subject_room = inside.saturating_sub(gap).max(4);
    let block = block.title(Line::from(super::text::truncate(&title, subject_room)).style(theme.bold()));
    if right.is_empty() {
        block
    } else {
        block.title(Line::from(right).right_aligned())
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

pub fn build_lines(detail: &TicketDetail, width: usize, theme: &Theme, clock: Clock) -> Vec<Line<'static>> {
    let mut entries: Vec<Entry> = detail.messages.iter().map(Entry::Message).collect();
    entries.extend(detail.events.iter().filter(|e| shown_event(e)).map(Entry::Event));
    entries.sort_by_key(|e| e.at());
    let mut lines = Vec::new();
    for entry in entries {
        match entry {
            Entry::Message(m) => message_lines(m, detail, width, theme, clock, &mut lines),
            Entry::Event(e) => lines.push(event_line(e, width, theme, clock)),
        }
    }
    if lines.is_empty() {
        lines.push(Line::from(" No messages yet.").style(theme.dim()));
    }
    lines
}

fn message_lines(
    m: &Message,
    detail: &TicketDetail,
    width: usize,
    theme: &Theme,
    clock: Clock,
    out: &mut Vec<Line<'static>>,
) {
    if !out.is_empty() {
        out.push(Line::default());
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
    let who_w = width.saturating_sub(width_of(&when) + 1);
    out.push(Line::from(vec![
        Span::styled(fit(&who, who_w), theme.author(m.kind)),
        Span::raw(" "),
        Span::styled(when, theme.dim()),
    ]));
    let (prefix, body_w) = match m.kind {
        MessageKind::Note => ("▒ ", width.saturating_sub(2)),
        _ => ("", width),
    };
    for text in wrap(&for_display(m.body.trim_end()), body_w) {
        out.push(Line::from(vec![Span::styled(prefix, theme.author(m.kind)), Span::styled(text, theme.body(m.kind))]));
    }
    super::mail_lines::push(detail.mail.of(m.id), width, theme, out);
}

fn width_of(s: &str) -> usize {
    width(s)
}

fn event_line(e: &Event, width: usize, theme: &Theme, clock: Clock) -> Line<'static> {
    let show = |v: &Option<String>| v.as_deref().map(for_display_line).map(|s| s.into_owned());
    let what = match (e.field.as_str(), show(&e.old), show(&e.new)) {
        ("tag", None, Some(tag)) => format!("added tag {tag}"),
        ("tag", Some(tag), _) => format!("removed tag {tag}"),
        ("assignee", _, None) => "unassigned the ticket".to_string(),
        ("assignee", _, Some(to)) => format!("assigned to {to}"),
        ("snoozed_until", _, Some(until)) if until.starts_with("9999-") => {
            "snoozed it until the customer writes".into()
        }
        ("snoozed_until", _, Some(until)) => format!("snoozed it until {until}"),
        (field, old, new) => {
            format!("set {field} {} → {}", old.unwrap_or_else(|| "—".into()), new.unwrap_or_else(|| "—".into()))
        }
    };
    let when = format_time(e.created_at, clock);
    let text = format!("── {} {what}", for_display_line(&e.actor));
    let text_w = width.saturating_sub(width_of(&when) + 1);
    Line::from(vec![Span::raw(fit(&text, text_w)), Span::raw(" "), Span::raw(when)]).style(theme.dim())
}

/// `14:02` today, `23 Nov 14:02` this year, `23 Nov 2025` before.
pub fn format_time(t: Timestamp, clock: Clock) -> String {
    let local = t.with_timezone(&clock.offset);
    let now = clock.now.with_timezone(&clock.offset);
    if local.date_naive() == now.date_naive() {
        local.format("%H:%M").to_string()
    } else if local.format("%Y").to_string() == now.format("%Y").to_string() {
        local.format("%d %b %H:%M").to_string()
    } else {
        local.format("%d %b %Y").to_string()
    }
}

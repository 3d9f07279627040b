//! The new-ticket form over the panes: the customer (with the customers found as the agent
//! types), the subject and the first message.

use super::theme::Theme;
use crate::app::model::text::{fit, truncate};
use crate::app::model::ticket_form::{FormField, TicketForm, CUSTOMERS_SHOWN};
use crate::domain::text::for_display_line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

const LABEL: usize = 10;

/// Where a form sits: up to 78 columns and `rows` rows, centred across and a third of the way
/// down, within `screen`.
pub(super) fn form_area(screen: Rect, rows: u16) -> Rect {
    let width = screen.width.saturating_sub(4).min(78);
    let height = screen.height.saturating_sub(2).min(rows);
    Rect {
        x: screen.x + (screen.width - width) / 2,
        y: screen.y + screen.height.saturating_sub(height) / 3,
        width,
        height,
    }
}

pub fn render_ticket_form(form: &TicketForm, theme: &Theme, screen: Rect, buf: &mut Buffer) {
    let area = form_area(screen, 18);
    Clear.render(area, buf);
    let hint = if form.confirm_discard {
        Line::from(" Throw this new ticket away? y/N ").style(theme.error())
    } else {
        Line::from(" Tab next field · Ctrl-S create · Esc cancel ").right_aligned()
    };
    let block = Block::bordered()
        .border_type(theme.border_type(true))
        .border_style(theme.border(true))
        .title(" New ticket ")
        .title_bottom(hint);
    let inner = block.inner(area);
    block.render(area, buf);
    let cols = inner.width as usize;
    let mut rows = inner.rows();
    let mut put = |line: Line| {
        if let Some(row) = rows.next() {
            line.render(row, buf);
        }
    };
    put(field_line("Customer", form.customer.value(), form.field == FormField::Customer, cols, theme));
    for line in customer_lines(form, cols, theme) {
        put(line);
    }
    put(field_line("Subject", form.subject.value(), form.field == FormField::Subject, cols, theme));
    put(Line::from(Span::styled(label("Message", form.field == FormField::Body), theme.bold())));
    // Under the customer's line and lines, the subject and the message's label.
    let top = inner.y + 1 + CUSTOMERS_SHOWN as u16 + 2;
    let body = Rect {
        x: inner.x + 2.min(inner.width),
        y: top.min(inner.bottom()),
        width: inner.width.saturating_sub(2),
        height: inner.bottom().saturating_sub(top),
    };
    super::record_form::render_text_area(&form.body, form.field == FormField::Body, body, buf);
}

pub(super) fn label(name: &str, focused: bool) -> String {
    format!("{}{name:<width$}", if focused { "▸" } else { " " }, width = LABEL - 1)
}

/// `▸Customer carla▏`: the focused field is marked and shows where the agent types.
pub(super) fn field_line(name: &str, value: &str, focused: bool, cols: usize, theme: &Theme) -> Line<'static> {
    let room = cols.saturating_sub(LABEL + 1);
    let value = for_display_line(value);
    let chars: Vec<char> = value.chars().collect();
    let shown: String =
        if focused { chars[chars.len().saturating_sub(room)..].iter().collect() } else { truncate(&value, room) };
    let mut spans = vec![Span::styled(label(name, focused), theme.bold()), Span::raw(shown)];
    if focused {
        spans.push(Span::styled("▏", theme.bold()));
    }
    Line::from(spans)
}

/// Up to five lines under the customer: the customers found (the highlighted one marked), who
/// was chosen, or that a new customer will be made.
fn customer_lines(form: &TicketForm, cols: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let indent = " ".repeat(LABEL);
    let room = cols.saturating_sub(LABEL + 2);
    if let Some(chosen) = &form.chosen {
        let tickets = if chosen.tickets == 1 { "ticket" } else { "tickets" };
        let text = format!("● {} · {} {tickets}", for_display_line(&chosen.email), chosen.tickets);
        lines.push(Line::from(vec![Span::raw(indent.clone()), Span::styled(truncate(&text, room), theme.dim())]));
    } else if form.field == FormField::Customer && !form.found.is_empty() {
        for (i, c) in form.found.iter().take(CUSTOMERS_SHOWN).enumerate() {
            let selected = i == form.selected;
            let name = fit(&for_display_line(&c.name), 20.min(room));
            let tickets = if c.tickets == 1 { "ticket" } else { "tickets" };
            let detail = format!(" {} · {} {tickets}", for_display_line(&c.email), c.tickets);
            let text = truncate(&format!("{name}{detail}"), room);
            let line = Line::from(vec![
                Span::raw(indent.clone()),
                Span::raw(if selected { "▌" } else { " " }),
                Span::raw(text),
            ]);
            lines.push(if selected { line.style(theme.selected(true)) } else { line });
        }
    } else if form.is_new_customer() {
        let address = form.recipient().map(|(a, _)| a).unwrap_or_default();
        let text = format!("new customer: {}", for_display_line(&address));
        lines.push(Line::from(vec![Span::raw(indent.clone()), Span::styled(truncate(&text, room), theme.dim())]));
    } else if form.field == FormField::Customer {
        let text = "a name or an address: ↑/↓ pick, Enter choose; a new address makes a new customer";
        lines.push(Line::from(vec![Span::raw(indent.clone()), Span::styled(truncate(text, room), theme.dim())]));
    }
    lines.resize(CUSTOMERS_SHOWN, Line::default());
    lines
}

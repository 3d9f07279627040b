//! The customer form over the panes: one line for each of the customer's fields, then the notes.

use super::theme::Theme;
use super::ticket_form::{field_line, label};
use crate::app::model::customer_form::{CustomerField, CustomerForm};
use crate::app::model::text::truncate;
use crate::domain::text::for_display_line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

pub fn render_customer_form(form: &CustomerForm, theme: &Theme, screen: Rect, buf: &mut Buffer) {
    let area = super::ticket_form::form_area(screen, 16);
    Clear.render(area, buf);
    let hint = if form.confirm_discard {
        Line::from(" Throw your changes away? y/N ").style(theme.error())
    } else {
        Line::from(" Tab next field · Ctrl-S save · Esc cancel ").right_aligned()
    };
    let title = format!(" Customer {} · {} ", form.seen.id, for_display_line(&form.seen.name));
    let block = Block::bordered()
        .border_type(theme.border_type(true))
        .border_style(theme.border(true))
        .title(truncate(&title, area.width.saturating_sub(2) as usize))
        .title_bottom(hint);
    let inner = block.inner(area);
    block.render(area, buf);
    let cols = inner.width as usize;
    let mut rows = inner.rows();
    let mut lines: Vec<Line> = Vec::new();
    for field in CustomerField::ORDER {
        let focused = form.field == field;
        match form.input(field) {
            Some(input) => lines.push(field_line(field.label(), input.value(), focused, cols, theme)),
            None => lines.push(Line::from(Span::styled(label(field.label(), focused), theme.bold()))),
        }
    }
    let hint = match form.field {
        CustomerField::Addresses => "space between addresses; the first is where replies go",
        CustomerField::Organization => "an organization's name or number; empty for none",
        CustomerField::Tier => "standard, silver, gold or vip",
        CustomerField::Tags => "space between tags",
        _ => "",
    };
    for line in lines {
        if let Some(row) = rows.next() {
            line.render(row, buf);
        }
    }
    let used = CustomerField::ORDER.len() as u16;
    let notes = Rect {
        x: inner.x + 2.min(inner.width),
        y: (inner.y + used).min(inner.bottom()),
        width: inner.width.saturating_sub(2),
        height: inner.bottom().saturating_sub(inner.y + used + 1),
    };
    form.notes.render(notes, buf);
    if let Some(last) = inner.rows().next_back().filter(|_| !hint.is_empty() && inner.height > used + 1) {
        Line::from(Span::styled(truncate(hint, cols), theme.dim())).render(last, buf);
    }
}

//! A record form over the panes (a customer, an organization, an agent): one line for each
//! one-line field, then the field of several lines; every text made safe for the terminal.

use super::theme::Theme;
use super::ticket_form::{field_line, form_area, label};
use crate::app::model::record_form::{FieldText, RecordField, RecordForm};
use crate::app::model::text::{truncate, width};
use crate::domain::text::for_display_line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};
use ratatui_textarea::TextArea;

/// The keys every record form has, on its bottom border.
pub const KEYS: &str = "Tab next field · Ctrl-S save · Esc cancel";

/// Draw `form` titled `title` (already made safe) in a box of up to `rows` rows, `keys` on its
/// bottom border.
pub fn render_record_form<F: RecordField>(
    form: &RecordForm<F>,
    (title, keys): (&str, &str),
    rows: u16,
    theme: &Theme,
    screen: Rect,
    buf: &mut Buffer,
) {
    let area = form_area(screen, rows);
    Clear.render(area, buf);
    let hint = if form.confirm_discard {
        Line::from(" Throw your changes away? y/N ").style(theme.error())
    } else {
        Line::from(format!(" {keys} ")).right_aligned()
    };
    let block = Block::bordered()
        .border_type(theme.border_type(true))
        .border_style(theme.border(true))
        .title(truncate(title, area.width.saturating_sub(2) as usize))
        .title_bottom(hint);
    let inner = block.inner(area);
    block.render(area, buf);
    let cols = inner.width as usize;
    let mut rows = inner.rows();
    let mut lines_field = None;
    for field in F::ORDER.iter().copied() {
        let focused = form.field == field;
        let line = match form.text_of(field) {
            FieldText::Line(input) => field_line(field.label(), input.value(), focused, cols, theme),
            FieldText::Lines(area) => {
                lines_field = Some((area, focused));
                Line::from(Span::styled(label(field.label(), focused), theme.bold()))
            }
        };
        if let Some(row) = rows.next() {
            line.render(row, buf);
        }
    }
    let used = F::ORDER.len() as u16;
    let hint = form.field.hint();
    if let Some((area, focused)) = lines_field {
        let text = Rect {
            x: inner.x + 2.min(inner.width),
            y: (inner.y + used).min(inner.bottom()),
            width: inner.width.saturating_sub(2),
            height: inner.bottom().saturating_sub(inner.y + used + 1),
        };
        render_text_area(area, focused, text, buf);
    }
    if let Some(last) = inner.rows().next_back().filter(|_| !hint.is_empty() && inner.height > used + 1) {
        Line::from(Span::styled(truncate(hint, cols), theme.dim())).render(last, buf);
    }
}

/// The text of a field of several lines, each line made safe (control characters in caret form,
/// bidi marks named), scrolled to keep the cursor in view and, when focused, the cursor's cell
/// reversed (as ratatui-textarea draws it, without colour).
pub fn render_text_area(text: &TextArea, focused: bool, area: Rect, buf: &mut Buffer) {
    let ratatui_textarea::DataCursor(row, col) = text.cursor();
    let top = row.saturating_sub((area.height as usize).saturating_sub(1));
    let cols = area.width as usize;
    for ((i, line), rect) in text.lines().iter().enumerate().skip(top).zip(area.rows()) {
        let safe = for_display_line(line);
        if !(focused && i == row) {
            Line::from(truncate(&safe, cols)).render(rect, buf);
            continue;
        }
        let at = line.char_indices().nth(col).map_or(line.len(), |(b, _)| b);
        let before = width(&for_display_line(&line[..at]));
        // The cursor stays in view: the line is shown from where its end before the cursor fits.
        let skip = before.saturating_sub(cols.saturating_sub(1));
        let shown = drop_columns(&safe, skip);
        Line::from(truncate(&shown, cols)).render(rect, buf);
        let x = rect.x + (before - skip) as u16;
        if x < rect.right() {
            buf[(x, rect.y)].set_style(Style::default().add_modifier(Modifier::REVERSED));
        }
    }
}

/// `text` without its first `cols` columns.
fn drop_columns(text: &str, cols: usize) -> String {
    let mut used = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.peek() {
        if used >= cols {
            break;
        }
        used += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
        chars.next();
    }
    chars.collect()
}

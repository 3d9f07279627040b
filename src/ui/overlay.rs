//! Overlays drawn over the panes: help, the palette, the pickers.

use super::theme::Theme;
use crate::app::model::overlay::{Overlay, OverlayKind};
use crate::app::model::text::{fit, truncate};
use crate::domain::text::for_display_line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

pub fn render_overlay(overlay: &Overlay, theme: &Theme, screen: Rect, buf: &mut Buffer) {
    let width = screen.width.saturating_sub(4).min(76);
    let preview = preview_lines(overlay, width.saturating_sub(2) as usize);
    let preview_rows = if preview.is_empty() { 0 } else { preview.len() as u16 + 1 };
    // A question is answered by a key: it has no text to type, and its answers read whole.
    let question = overlay.kind == OverlayKind::Confirm;
    // Borders, the query line, the list and a blank row; the preview replaces the blank row.
    let wanted = overlay.items.len() as u16 + 4 + preview_rows.saturating_sub(1) - u16::from(question);
    let height = wanted.min(screen.height.saturating_sub(2)).max(5.min(screen.height));
    let area = Rect {
        x: screen.x + (screen.width - width) / 2,
        y: screen.y + (screen.height.saturating_sub(height)) / 3,
        width,
        height,
    };
    Clear.render(area, buf);
    let mut block = Block::bordered()
        .border_type(theme.border_type(true))
        .border_style(theme.border(true))
        .title(format!(" {} ", for_display_line(overlay.title())));
    if !question {
        let count = format!(" {} of {} ", overlay.matches.len(), overlay.items.len());
        block = block.title_bottom(Line::from(count).right_aligned());
    }
    let inner = block.inner(area);
    block.render(area, buf);
    let mut rows = inner.rows();
    let query_rows = u16::from(!question);
    if let Some(row) = (!question).then(|| rows.next()).flatten() {
        let query = for_display_line(overlay.query()).into_owned();
        Line::from(vec![Span::styled("> ", theme.bold()), Span::raw(query), Span::styled("▏", theme.bold())])
            .render(row, buf);
    }
    // The preview takes the rows under the list, as many as leave the list three (or all of it).
    let list_least = overlay.matches.len().clamp(1, 3) as u16;
    let preview_rows = preview_rows.min(inner.height.saturating_sub(query_rows + list_least));
    let list_height = inner.height.saturating_sub(query_rows + preview_rows) as usize;
    // One column for the labels, as wide as the longest (at most two thirds of the overlay, all
    // of it for a question's answers, which have nothing beside them).
    let longest = overlay.items.iter().map(|i| crate::app::model::text::width(&for_display_line(&i.label))).max();
    let widest = if question { inner.width as usize } else { inner.width as usize * 2 / 3 };
    let label_w = longest.unwrap_or(0).min(widest);
    let first = overlay.selected.saturating_sub(list_height.saturating_sub(1));
    let listed = overlay.matches.iter().enumerate().skip(first).take(list_height);
    for (row, (n, (index, hits))) in rows.by_ref().zip(listed) {
        let item = &overlay.items[*index];
        let selected = n == overlay.selected;
        let line = item_line(item, hits, selected, (label_w, inner.width as usize), theme);
        line.render(row, buf);
    }
    if preview_rows > 0 {
        let top = inner.y + inner.height - preview_rows;
        let rule = Rect { x: inner.x, y: top, width: inner.width, height: 1 };
        Line::from("─".repeat(inner.width as usize)).style(theme.dim()).render(rule, buf);
        let text = Rect { x: inner.x, y: top + 1, width: inner.width, height: preview_rows - 1 };
        for (row, line) in text.rows().zip(preview) {
            Line::from(line).render(row, buf);
        }
    }
}

/// The selected item's preview wrapped to `width`, at most 10 lines (the last says what is cut).
fn preview_lines(overlay: &Overlay, width: usize) -> Vec<String> {
    const MOST: usize = 10;
    let Some(text) = overlay.selected_preview() else { return Vec::new() };
    let shown: Vec<String> = text.lines().map(|line| for_display_line(line).into_owned()).collect();
    let mut lines = crate::app::model::text::wrap(&shown.join("\n"), width);
    if lines.len() > MOST {
        let more = lines.len() - (MOST - 1);
        lines.truncate(MOST - 1);
        lines.push(format!("… {more} more lines"));
    }
    lines
}

fn item_line(
    item: &crate::app::model::overlay::Item,
    hits: &[usize],
    selected: bool,
    (label_w, width): (usize, usize),
    theme: &Theme,
) -> Line<'static> {
    let marker = if selected { "▌" } else { " " };
    let current = if item.current { "● " } else { "  " };
    let label = for_display_line(&item.label).into_owned();
    let label_chars = label.chars().count();
    let label = fit(&label, label_w.min(width.saturating_sub(3)));
    let mut spans = vec![Span::raw(marker), Span::raw(current)];
    // Matched characters stand out; positions count characters of "label detail".
    for (i, c) in label.chars().enumerate() {
        let style = if i < label_chars && hits.contains(&i) { theme.matched() } else { ratatui::style::Style::new() };
        spans.push(Span::styled(c.to_string(), style));
    }
    let used = 3 + crate::app::model::text::width(&label);
    let detail = truncate(&for_display_line(&item.detail), width.saturating_sub(used + 1));
    spans.push(Span::styled(" ", theme.dim()));
    // The detail (an action's name, second and dim) shows its matched characters too.
    for (i, c) in detail.chars().enumerate() {
        let hit = hits.contains(&(label_chars + 1 + i)) && c != '…';
        spans.push(Span::styled(c.to_string(), if hit { theme.matched() } else { theme.dim() }));
    }
    let line = Line::from(spans);
    if selected {
        line.style(theme.selected(true))
    } else {
        line
    }
}

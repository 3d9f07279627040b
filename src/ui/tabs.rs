//! The tab line at the top: the queue's tabs with their counts, and who is signed in.

use super::theme::Theme;
use crate::app::model::state::State;
use crate::app::model::text::width;
use crate::domain::text::for_display_line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub fn render_tabs(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let mut spans = Vec::new();
    for (i, view) in state.tabs().into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("│", theme.dim()));
        }
        let count = state.counts.get(i).copied().flatten().map(|c| format!(" {c}")).unwrap_or_default();
        let active = view == state.view;
        let marker = if active { "▸" } else { " " };
        let title = for_display_line(state.view_title(view));
        spans.push(Span::styled(format!("{marker}{title}{count} "), theme.tab(active)));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    Line::from(spans).render(area, buf);
    let me = format!(" frontdesk · {} ", for_display_line(&state.agent.login));
    if (area.width as usize) > used + width(&me) {
        let x = area.x + area.width - width(&me) as u16;
        buf.set_string(x, area.y, me, theme.dim());
    }
}

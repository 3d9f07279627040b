//! The conversation pane: the model's wrapped lines in the theme's styles, under a header with the
//! subject, who else is on the ticket, and its facts.

use super::theme::Theme;
use crate::app::model::action::Action;
use crate::app::model::conversation::{build_lines, Clock, ConversationLine, Tone};
use crate::app::model::keymap::Context;
use crate::app::model::state::{Pane, State};
use crate::app::model::text::width;
use crate::domain::text::for_display_line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

pub struct ConversationView<'a> {
    pub state: &'a State,
    pub theme: &'a Theme,
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
            let keys = [Action::SelectNext, Action::SelectPrev, Action::Open]
                .map(|a| self.state.keymap.hint_for(Context::Queue, a).unwrap_or_else(|| format!(":{}", a.name())));
            let text = format!(" Pick a ticket in the queue ({}/{}, {}).", keys[0], keys[1], keys[2]);
            Line::from(text).style(self.theme.dim()).render(inner, buf);
            return;
        };
        block = header(block, self.state, &conversation.detail.ticket, area.width as usize, self.theme);
        let inner = block.inner(area);
        block.render(area, buf);
        // `update` wraps for the pane's width; a state made by hand (a snapshot test) may not be.
        let rewrapped;
        let lines = if conversation.width == inner.width && !conversation.lines.is_empty() {
            &conversation.lines
        } else {
            let clock = Clock { now: self.state.now, zone: self.state.zone };
            rewrapped = build_lines(&conversation.detail, inner.width as usize, clock);
            &rewrapped
        };
        let height = inner.height as usize;
        let total = lines.len();
        let start = total.saturating_sub(height + conversation.scroll_from_bottom);
        for (row, line) in inner.rows().zip(lines.iter().skip(start)) {
            styled(line, self.theme).render(row, buf);
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
    let room = inside.saturating_sub(width(&title).min(SUBJECT_MIN));
    let describe = |brief| crate::app::model::presence::describe(state, ticket.id, brief).map(|p| format!(" {p} "));
    // Who else is there first (in words, else by name only), then the facts if they still fit;
    // between the two, a stretch of the border keeps them apart.
    let (presence, facts) = match (describe(false), describe(true)) {
        (Some(long), Some(brief)) => {
            let facts = format!("──{facts}");
            let fits = |p: &str, f: &str| width(p) + width(f) <= room;
            if fits(&long, &facts) {
                (Some(long), Some(facts))
            } else if fits(&brief, &facts) {
                (Some(brief), Some(facts))
            } else if width(&long) <= room {
                (Some(long), None)
            } else {
                (Some(crate::app::model::text::truncate(&brief, room)), None)
            }
        }
        _ => (None, (width(&facts) <= room).then_some(facts)),
    };
    let mut right = Vec::new();
    right.extend(presence.map(|p| Span::styled(p, theme.bold())));
    right.extend(facts.map(Span::raw));
    let used: usize = right.iter().map(|s| width(&s.content)).sum();
    let gap = if used > 0 { used + 2 } else { 0 };
    let subject_room = inside.saturating_sub(gap).max(4);
    let block = block.title(Line::from(crate::app::model::text::truncate(&title, subject_room)).style(theme.bold()));
    if right.is_empty() {
        block
    } else {
        block.title(Line::from(right).right_aligned())
    }
}

/// A line of the model's conversation in the theme's styles.
fn styled(line: &ConversationLine, theme: &Theme) -> Line<'static> {
    let spans: Vec<Span<'static>> =
        line.pieces.iter().map(|(tone, text)| Span::styled(text.clone(), style(*tone, theme))).collect();
    Line::from(spans).style(style(line.tone, theme))
}

fn style(tone: Tone, theme: &Theme) -> Style {
    match tone {
        Tone::Plain => Style::default(),
        Tone::Dim => theme.dim(),
        Tone::Author(kind) => theme.author(kind),
        Tone::Body(kind) => theme.body(kind),
    }
}

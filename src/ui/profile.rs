//! The customer profile pane: who this is, how to reach them, their history.

use super::theme::Theme;
use crate::app::model::state::{Pane, State};
use crate::app::model::text::{truncate, wrap};
use crate::domain::records::OrganizationTickets;
use crate::domain::text::{for_display, for_display_line};
use crate::domain::Ticket;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

pub struct ProfileView<'a> {
    pub state: &'a State,
    pub theme: &'a Theme,
}

impl Widget for ProfileView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let focused = self.state.focus == Pane::Profile;
        let block =
            Block::bordered().border_type(self.theme.border_type(focused)).border_style(self.theme.border(focused));
        let Some(conversation) = &self.state.conversation else {
            let block = block.title(" Customer ");
            block.render(area, buf);
            return;
        };
        let customer = &conversation.detail.customer;
        let block = block.title(format!(" {} ", for_display_line(&customer.name)));
        let inner = block.inner(area);
        block.render(area, buf);
        let lines = profile_lines(self.state, inner.width as usize, self.theme, focused);
        for (row, line) in inner.rows().zip(lines) {
            line.render(row, buf);
        }
    }
}

fn profile_lines(state: &State, width: usize, theme: &Theme, focused: bool) -> Vec<Line<'static>> {
    let Some(conversation) = &state.conversation else { return Vec::new() };
    let c = &conversation.detail.customer;
    let tickets = &state.profile.tickets;
    let open = tickets.iter().filter(|t| t.status.is_active()).count();
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut push = |text: String, style| lines.push(Line::from(truncate(&text, width)).style(style));
    push(for_display_line(&c.name).into_owned(), theme.bold());
    for email in &c.emails {
        push(for_display_line(email).into_owned(), ratatui::style::Style::new());
    }
    if let Some(phone) = &c.phone {
        push(for_display_line(phone).into_owned(), ratatui::style::Style::new());
    }
    let org = c.organization.as_deref().map(|o| format!("{} · ", for_display_line(o))).unwrap_or_default();
    push(format!("{org}{}", c.tier), theme.bold());
    push(format!("customer since {}", state.zone.format(c.created_at, "%b %Y")), theme.dim());
    let plural = if tickets.len() == 1 { "" } else { "s" };
    push(format!("{} ticket{plural} · {open} open", tickets.len()), theme.dim());
    if !c.tags.is_empty() {
        push(c.tags.iter().map(|t| format!("#{}", for_display_line(t))).collect::<Vec<_>>().join(" "), theme.dim());
    }
    lines.extend(super::sla::profile_lines(&state.profile.facts, width, theme, state.zone));
    lines.extend(organization_lines(state.profile.facts.organization.as_ref(), width, theme));
    if !c.notes.trim().is_empty() {
        lines.push(Line::default());
        lines.push(Line::from("Notes").style(theme.heading()));
        lines.extend(wrap(&for_display(c.notes.trim()), width).into_iter().map(Line::from));
    }
    let current = conversation.detail.ticket.id;
    // Tickets come open first, then past ones; each group gets its heading.
    let mut last_group = None;
    for (i, ticket) in tickets.iter().enumerate() {
        let group = ticket.status.is_active();
        if last_group != Some(group) {
            lines.push(Line::default());
            lines.push(Line::from(if group { "Open tickets" } else { "Past tickets" }).style(theme.heading()));
            last_group = Some(group);
        }
        let selected = focused && i == state.profile.selected;
        lines.push(ticket_line(ticket, (ticket.id == current, selected), width, theme, state.zone));
    }
    lines
}

/// The organization's other open tickets: how many, and the first few with whose they are.
fn organization_lines(org: Option<&OrganizationTickets>, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let Some(org) = org.filter(|o| o.open > 0) else { return Vec::new() };
    // The count first: the organization's name is on the line above, and may not fit here.
    let heading = format!("{} more open · {}", org.open, for_display_line(&org.name));
    let mut lines = vec![Line::default(), Line::from(truncate(&heading, width)).style(theme.heading())];
    for t in &org.first {
        let text = format!(" #{} {} · {}", t.id, for_display_line(&t.customer_name), for_display_line(&t.subject));
        lines.push(Line::from(truncate(&text, width)));
    }
    lines
}

fn ticket_line(
    ticket: &Ticket,
    (current, selected): (bool, bool),
    width: usize,
    theme: &Theme,
    zone: crate::domain::when::Zone,
) -> Line<'static> {
    let marker = if selected {
        "▌"
    } else if current {
        "▸"
    } else {
        " "
    };
    let head = format!("{marker}#{} ", ticket.id);
    let status = format!("{:<4} ", super::queue::status_short(ticket.status));
    let date = zone.format(ticket.created_at, "%d %b ");
    let used = crate::app::model::text::width(&head) + status.len() + date.len();
    let subject = truncate(&for_display_line(&ticket.subject), width.saturating_sub(used));
    let line = Line::from(vec![
        Span::raw(head),
        Span::styled(status, theme.status(ticket.status)),
        Span::styled(date, theme.dim()),
        Span::raw(subject),
    ]);
    if selected {
        line.style(theme.selected(true))
    } else {
        line
    }
}

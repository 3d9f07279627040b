//! The queue pane: one row per ticket, only the visible rows built.

use super::theme::Theme;
use crate::app::model::state::{Pane, PromptKind, State};
use crate::app::model::text::{fit, fit_right, truncate};
use crate::domain::text::for_display_line;
use crate::domain::{short_age, Status, Ticket};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

pub struct QueueView<'a> {
    pub state: &'a State,
    pub theme: &'a Theme,
}

struct Columns {
    number: usize,
    customer: usize,
    subject: usize,
    assignee: usize,
    /// The SLA countdown, when the view has clocks.
    due: usize,
}

impl Columns {
    fn for_width(inner: usize, number: usize, due: usize) -> Columns {
        // sel(1) prio(2) sp number sp status(4) sp age(3) sp [due sp] customer sp subject [sp assignee]
        let fixed = 1 + 2 + 1 + number + 1 + 4 + 1 + 3 + 1 + due + usize::from(due > 0);
        let rest = inner.saturating_sub(fixed);
        let assignee = if rest >= 50 { 8 } else { 0 };
        let rest = rest.saturating_sub(assignee + usize::from(assignee > 0));
        let customer = (rest / 3).clamp(6, 20).min(rest);
        let subject = rest.saturating_sub(customer + 1);
        Columns { number, customer, subject, assignee, due }
    }
}

pub fn status_short(status: Status) -> &'static str {
    match status {
        Status::New => "new",
        Status::Open => "open",
        Status::Pending => "pend",
        Status::OnHold => "hold",
        Status::Solved => "solv",
        Status::Closed => "clos",
    }
}

impl Widget for QueueView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let state = self.state;
        let focused = state.focus == Pane::Queue;
        let block = Block::bordered()
            .border_type(self.theme.border_type(focused))
            .border_style(self.theme.border(focused))
            .title(title(state));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 {
            return;
        }
        let q = &state.queue;
        let visible = q.rows.iter().enumerate().skip(q.offset).take(inner.height.saturating_sub(1) as usize);
        let number = q.rows.iter().skip(q.offset).take(inner.height as usize).map(|t| t.id.to_string().len()).max();
        let due = if q.sla.is_empty() && q.woken.is_empty() { 0 } else { super::sla::DUE_WIDTH };
        let cols = Columns::for_width(inner.width as usize, number.unwrap_or(4).max(4), due);
        let mut rows = inner.rows();
        if let Some(header_area) = rows.next() {
            header(&cols).style(self.theme.dim()).render(header_area, buf);
        }
        if q.rows.is_empty() {
            let text = match &state.findings {
                Some(n) if n.working || n.ids.is_none() => "looking…".to_string(),
                Some(n) => format!("no tickets match “{}”", for_display_line(&n.text)),
                None if q.loading => "loading…".to_string(),
                None => "no tickets in this view".to_string(),
            };
            if let Some(row) = rows.next() {
                Line::from(format!("  {text}")).style(self.theme.dim()).render(row, buf);
            }
            return;
        }
        for (row_area, (i, ticket)) in rows.zip(visible) {
            let selected = i == q.selected;
            let line = row(ticket, &cols, selected, state, self.theme);
            let line = if selected { line.style(self.theme.selected(focused)) } else { line };
            line.render(row_area, buf);
        }
    }
}

fn title(state: &State) -> String {
    let count = state.counts.get(state.tab_index(state.view)).copied().flatten();
    let count = count.map(|c| format!(" {c}")).unwrap_or_default();
    let view = for_display_line(state.view_title(state.view));
    let marked = match state.marked.len() {
        0 => String::new(),
        n => format!(" · {n} marked"),
    };
    let Some(findings) = &state.findings else {
        return format!(" Queue · {view}{count}{marked} ");
    };
    let text = truncate(&for_display_line(&findings.text), 24);
    let found = findings.ids.as_ref().map(|ids| ids.len());
    let busy = if findings.working { " …" } else { "" };
    match findings.kind {
        PromptKind::Filter => {
            let found = match (found, findings.total) {
                (Some(found), Some(total)) => format!(" {found} of {total}"),
                _ => String::new(),
            };
            format!(" Queue · {view} · /{text}{found}{busy}{marked} ")
        }
        PromptKind::Search => {
            let found = found.map(|f| format!(" · {f} found")).unwrap_or_default();
            format!(" Search “{text}”{found}{busy}{marked} ")
        }
    }
}

/// `text` fitted to `cols`, with the characters at `marks` (indices) in the match style.
fn marked<'a>(text: &str, cols: usize, marks: &[usize], theme: &Theme) -> Vec<Span<'a>> {
    let fitted = fit(text, cols);
    if marks.is_empty() {
        return vec![Span::raw(fitted)];
    }
    // A cut text ends in "…", which is not one of its characters.
    let chars = text.chars().count();
    let kept = if crate::app::model::text::width(text) > cols {
        fitted.chars().count().saturating_sub(1).min(chars)
    } else {
        chars
    };
    let mut spans: Vec<Span<'a>> = Vec::new();
    let mut run = String::new();
    let mut run_marked = false;
    for (i, c) in fitted.chars().enumerate() {
        let is_marked = i < kept && marks.binary_search(&i).is_ok();
        if is_marked != run_marked && !run.is_empty() {
            let style = if run_marked { theme.matched() } else { Default::default() };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_marked = is_marked;
        run.push(c);
    }
    let style = if run_marked { theme.matched() } else { Default::default() };
    spans.push(Span::styled(run, style));
    spans
}

fn header(cols: &Columns) -> Line<'static> {
    let due = if cols.due > 0 { format!("{} ", fit_right("due", cols.due)) } else { String::new() };
    let mut text = format!(
        "   {} {} {} {due}{} {}",
        fit_right("#", cols.number),
        "st  ",
        "age",
        fit("customer", cols.customer),
        fit("subject", cols.subject)
    );
    if cols.assignee > 0 {
        text.push_str(&format!(" {}", fit("owner", cols.assignee)));
    }
    Line::from(text)
}

fn row<'a>(ticket: &Ticket, cols: &Columns, selected: bool, state: &State, theme: &Theme) -> Line<'a> {
    let open = state.open_ticket().is_some_and(|t| t.id == ticket.id);
    // A mark shows on the selected row too: reverse video already says which row that is.
    let marker = match (state.marked.contains_key(&ticket.id), selected, open) {
        (true, _, _) => "✓",
        (false, true, _) => "▌",
        (false, false, true) => "▸",
        _ => " ",
    };
    let customer = for_display_line(&ticket.customer_name);
    let subject = for_display_line(&ticket.subject);
    let mut spans = vec![
        Span::raw(marker),
        Span::styled(ticket.priority.glyph(), theme.priority(ticket.priority)),
        Span::raw(" "),
        Span::styled(fit_right(&ticket.id.to_string(), cols.number), theme.bold()),
        Span::raw(" "),
        Span::styled(fit(status_short(ticket.status), 4), theme.status(ticket.status)),
        Span::raw(" "),
        Span::styled(fit_right(&short_age(ticket.updated_at, state.now), 3), theme.dim()),
        Span::styled(crate::app::model::presence::glyph(state, ticket.id), theme.bold()),
    ];
    if cols.due > 0 {
        spans.push(super::sla::due_cell(state, ticket.id, theme));
        spans.push(Span::raw(" "));
    }
    let query = state.findings.as_ref().filter(|n| n.kind == PromptKind::Filter).map(|n| &n.query);
    let marks = |text: &str| query.map(|q| q.positions(text)).unwrap_or_default();
    spans.extend(marked(&customer, cols.customer, &marks(&customer), theme));
    spans.push(Span::raw(" "));
    spans.extend(marked(&subject, cols.subject, &marks(&subject), theme));
    if cols.assignee > 0 {
        let owner = ticket.assignee.as_deref().map(for_display_line).unwrap_or("—".into());
        spans.push(Span::raw(" "));
        spans.push(Span::styled(truncate(&owner, cols.assignee), theme.dim()));
    }
    Line::from(spans)
}

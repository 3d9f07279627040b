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

/// The queue's columns, in display columns. Fixed-width columns first; the customer gets a share
/// of what is left (never under [`CUSTOMER_MIN`] when there is room), the subject the rest.
struct Columns {
    number: usize,
    /// How long the customer has waited on us, when any row of the view waits.
    wait: usize,
    /// The SLA countdown, when the view has clocks.
    due: usize,
    customer: usize,
    subject: usize,
    assignee: usize,
}

/// `⏳ 3h`: a glyph (two columns wide at most) and an age of three.
pub const WAIT_WIDTH: usize = 6;
const CUSTOMER_MIN: usize = 14;
const CUSTOMER_MAX: usize = 24;
const SUBJECT_MIN: usize = 12;
const OWNER_WIDTH: usize = 8;

/// A column and the space after it, or nothing when the column is not shown.
fn spaced(cols: usize) -> usize {
    if cols > 0 {
        cols + 1
    } else {
        0
    }
}

impl Columns {
    fn for_width(inner: usize, number: usize, wait: usize, due: usize) -> Columns {
        // sel(1) prio(2) sp number sp status(4) sp age(3) presence(1) [wait sp] [due sp] customer sp subject [sp owner]
        let fixed = 1 + 2 + 1 + number + 1 + 4 + 1 + 3 + 1 + spaced(wait) + spaced(due);
        let rest = inner.saturating_sub(fixed);
        let roomy = CUSTOMER_MIN + 1 + SUBJECT_MIN;
        let assignee = if rest >= roomy + spaced(OWNER_WIDTH) { OWNER_WIDTH } else { 0 };
        let rest = rest.saturating_sub(spaced(assignee));
        let customer = if rest >= roomy { (rest / 3).clamp(CUSTOMER_MIN, CUSTOMER_MAX) } else { rest / 2 };
        let subject = rest.saturating_sub(customer + 1);
        Columns { number, wait, due, customer, subject, assignee }
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
        let shown = inner.height.saturating_sub(1) as usize;
        // The pane may be shorter than when the list last scrolled (a composer opened below it).
        let offset = if q.selected >= q.offset + shown { (q.selected + 1).saturating_sub(shown) } else { q.offset };
        let visible = q.rows.iter().enumerate().skip(offset).take(shown);
        let number = q.rows.iter().skip(offset).take(shown).map(|t| t.id.to_string().len()).max();
        let due = if q.sla.is_empty() && q.woken.is_empty() { 0 } else { super::sla::DUE_WIDTH };
        let wait = if q.rows.iter().any(|t| t.waiting_since.is_some()) { WAIT_WIDTH } else { 0 };
        let cols = Columns::for_width(inner.width as usize, number.unwrap_or(4).max(4), wait, due);
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
                (Some(found), Some(total)) if findings.complete => format!(" {found} of {total}"),
                (Some(found), Some(total)) => format!(" ≥{found} of {total}"),
                _ => String::new(),
            };
            format!(" Queue · {view} · /{text}{found}{busy}{marked} ")
        }
        PromptKind::Search => {
            let found = found.map(|f| format!(" · {f} found")).unwrap_or_default();
            format!(" Search “{text}”{found}{busy}{marked} ")
        }
        PromptKind::Report => {
            let found = found.map(|f| format!(" · {f} tickets")).unwrap_or_default();
            format!(" Report · {text}{found}{marked} ")
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
    let mut text = format!("    {} {} {} ", fit_right("#", cols.number), fit("st", 4), fit_right("age", 3));
    if cols.wait > 0 {
        text.push_str(&format!("{} ", fit_right("wait", cols.wait)));
    }
    if cols.due > 0 {
        text.push_str(&format!("{} ", fit_right("due", cols.due)));
    }
    text.push_str(&format!("{} {}", fit("customer", cols.customer), fit("subject", cols.subject)));
    if cols.assignee > 0 {
        text.push_str(&format!(" {}", fit("owner", cols.assignee)));
    }
    Line::from(text)
}

/// `⏳ 3h` when the customer has waited on us since then; blank otherwise.
fn wait_cell<'a>(ticket: &Ticket, cols: &Columns, state: &State, theme: &Theme) -> Span<'a> {
    let Some(since) = ticket.waiting_since else { return Span::raw(" ".repeat(cols.wait)) };
    let text = format!("{} {}", theme.waiting_glyph(), short_age(since, state.now));
    Span::styled(fit_right(&text, cols.wait), theme.waiting())
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
    // The presence glyph is the space after the age; each further column brings its own.
    if cols.wait > 0 {
        spans.push(wait_cell(ticket, cols, state, theme));
        spans.push(Span::raw(" "));
    }
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

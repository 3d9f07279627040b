//! SLA countdowns as the queue draws them: a glyph and a figure, so a breach never relies on colour.

use super::theme::Theme;
use crate::app::model::text::fit_right;
use crate::domain::sla::{countdown, Clock, ClockState};
use crate::domain::Priority;
use ratatui::text::Span;

/// Glyph and four characters of countdown, e.g. `×-20m`, `* 12m`, `   3h`.
pub const DUE_WIDTH: usize = 5;

/// A glyph readable without colour: `×` breached, `*` nearly due, `=` paused.
pub fn glyph(state: ClockState) -> &'static str {
    match state {
        ClockState::Breached => "×",
        ClockState::Warning => "*",
        ClockState::Paused => "=",
        ClockState::Ok | ClockState::Met => " ",
    }
}

/// A row back from a snooze reads `↻ due`; otherwise its countdown.
pub fn due_cell<'a>(state: &crate::app::model::state::State, ticket: i64, theme: &Theme) -> Span<'a> {
    if state.queue.woken.contains(&ticket) {
        return Span::styled("↻ due", theme.bold());
    }
    countdown_cell(state.queue.sla.get(&ticket), theme)
}

pub fn countdown_cell<'a>(clock: Option<&Clock>, theme: &Theme) -> Span<'a> {
    let Some(clock) = clock else { return Span::styled(fit_right("—", DUE_WIDTH), theme.dim()) };
    let text = format!("{}{}", glyph(clock.state), fit_right(&countdown(clock.remaining_seconds), DUE_WIDTH - 1));
    let style = match clock.state {
        ClockState::Breached => theme.error(),
        ClockState::Warning => theme.priority(Priority::High),
        ClockState::Paused | ClockState::Met => theme.dim(),
        ClockState::Ok => Default::default(),
    };
    Span::styled(text, style)
}

/// ` × 3 breached ` for the status line, when any ticket of the view (loaded or not) is overdue.
pub fn breach_count(state: &crate::app::model::state::State) -> Option<String> {
    let n = state.queue.overdue.unwrap_or(0);
    (n > 0).then(|| format!(" × {n} breached "))
}

/// Ratings shown in the profile at most.
const RATINGS_SHOWN: usize = 5;

/// The profile's satisfaction figures, at-risk mark (with its reason) and latest ratings.
pub fn profile_lines(
    facts: &crate::app::model::profile::ProfileFacts,
    width: usize,
    theme: &Theme,
    zone: crate::domain::when::Zone,
) -> Vec<ratatui::text::Line<'static>> {
    use crate::app::model::text::truncate;
    use crate::domain::text::for_display_line;
    use ratatui::text::Line;
    let mut lines = Vec::new();
    if !facts.ratings.is_empty() {
        let summary = crate::domain::satisfaction::summary(&facts.ratings);
        lines.push(Line::from(truncate(&summary, width)).style(theme.bold()));
    }
    if let Some(at) = facts.last_contact {
        lines.push(
            Line::from(truncate(&format!("last contact {}", zone.format(at, "%d %b %Y")), width)).style(theme.dim()),
        );
    }
    for clock in &facts.sla {
        lines.extend(crate::app::model::text::wrap(&format!("SLA: {clock}"), width).into_iter().map(Line::from));
    }
    if let Some(reason) = &facts.at_risk {
        let text = format!("⚠ at risk: {}", for_display_line(reason));
        lines.extend(
            crate::app::model::text::wrap(&text, width).into_iter().map(|l| Line::from(l).style(theme.error())),
        );
    }
    if facts.ratings.is_empty() {
        return lines;
    }
    lines.push(Line::default());
    lines.push(Line::from("Satisfaction").style(theme.heading()));
    for r in facts.ratings.iter().take(RATINGS_SHOWN) {
        let on = r.ticket_id.map(|t| format!(" #{t}")).unwrap_or_default();
        let comment =
            if r.comment.is_empty() { String::new() } else { format!(" “{}”", for_display_line(&r.comment)) };
        let text = format!("{} {}{on}{comment}", zone.format(r.created_at, "%d %b"), r.label());
        lines.push(Line::from(truncate(&text, width)));
    }
    lines
}

//! SLA countdowns as the queue draws them: a glyph and a figure, so a breach never relies on colour.

use super::text::fit_right;
use super::theme::Theme;
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

/// ` 3 breached ` for the status line, when any row of the view is.
pub fn breach_count(state: &crate::app::state::State) -> Option<String> {
    let n = crate::app::sla::breaches(&state.queue.sla);
    (n > 0).then(|| format!(" × {n} breached "))
}

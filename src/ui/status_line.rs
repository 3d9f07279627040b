//! The status line at the bottom: what just happened, the prompt, and key hints for what the agent is doing.

use super::theme::Theme;
use crate::app::model::action::Action;
use crate::app::model::keymap::{sequence_label, Context};
use crate::app::model::state::{PromptKind, State};
use crate::app::model::text::{fit_parts, shorten};
use crate::domain::text::for_display_line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub fn render_status(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let mut spans = Vec::new();
    if let Some(prompt) = &state.prompt {
        let label = match prompt.kind {
            PromptKind::Filter => "/",
            PromptKind::Search | PromptKind::Report => " search: ",
        };
        let room = (area.width as usize).saturating_sub(label.len() + 40).max(10);
        let value = for_display_line(prompt.input.value());
        // Show the end of a long query: that is where the agent is typing.
        let shown: String = {
            let chars: Vec<char> = value.chars().collect();
            chars[chars.len().saturating_sub(room)..].iter().collect()
        };
        spans.push(Span::styled(format!("{label}{shown}"), theme.bold()));
        spans.push(Span::styled("▏", theme.bold()));
        if let Some(message) = state.status.as_ref().filter(|m| m.is_error) {
            let used: usize = spans.iter().map(|s| s.width()).sum();
            let text = shorten(&for_display_line(&message.text), (area.width as usize).saturating_sub(used + 2));
            spans.push(Span::styled(format!(" {text} "), theme.error()));
        }
    }
    if let (Some(pct), None) = (state.index_build, &state.prompt) {
        spans.push(Span::styled(format!(" indexing for search {pct}% "), theme.dim()));
        spans.push(Span::styled("│", theme.dim()));
    }
    if let Some(breaches) = super::sla::breach_count(state).filter(|_| state.prompt.is_none()) {
        spans.push(Span::styled(breaches, theme.error()));
        spans.push(Span::styled("│", theme.dim()));
    }
    if let Some(waiting) = waiting(state, theme).filter(|_| state.prompt.is_none()) {
        spans.push(Span::styled(waiting, theme.waiting()));
        spans.push(Span::styled("│", theme.dim()));
    }
    // After who waits: the order is being redone, and that matters less.
    if let (Some(left), None) = (state.due_left, &state.prompt) {
        spans.push(Span::styled(format!(" new SLA policies: {left} due times to work out "), theme.dim()));
        spans.push(Span::styled("│", theme.dim()));
    }
    if !state.pending_keys.is_empty() {
        spans.push(Span::styled(format!(" {}… ", sequence_label(&state.pending_keys)), theme.bold()));
    }
    // A message naming keys is left out where those keys do something else.
    if let Some(message) = state.status.as_ref().filter(|_| state.prompt.is_none() && state.status_applies()) {
        let style = if message.is_error { theme.error() } else { theme.bold() };
        let used: usize = spans.iter().map(|s| s.width()).sum();
        // The message comes first; the hints get what it leaves.
        let room = (area.width as usize).saturating_sub(used + 3);
        let text = shorten(&for_display_line(&message.fitted(room)), room);
        spans.push(Span::styled(format!(" {text} "), style));
        spans.push(Span::styled("│", theme.dim()));
    }
    // After the message: what just happened comes first, this stays until a service runs.
    if let Some(unserved) = unserved_outbox(state).filter(|_| state.prompt.is_none()) {
        spans.push(Span::styled(unserved, theme.error()));
        spans.push(Span::styled("│", theme.dim()));
    }
    // A mailbox the service cannot read (a refused login) stays until it is read again.
    if let Some(problem) = state.unread_mailbox.as_ref().filter(|_| state.prompt.is_none()) {
        let used: usize = spans.iter().map(|s| s.width()).sum();
        let room = (area.width as usize).saturating_sub(used + 3);
        spans.push(Span::styled(format!(" {} ", shorten(&for_display_line(problem), room)), theme.error()));
        spans.push(Span::styled("│", theme.dim()));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let room = (area.width as usize).saturating_sub(used + 1);
    let (hints, sep) = hints(state);
    let hints = fit_parts(&hints, sep, room);
    if hints.is_empty() && spans.last().is_some_and(|s| s.content == "│") {
        spans.pop(); // no hint fits after the message: no bar before nothing
    }
    spans.push(Span::styled(format!(" {hints}"), theme.dim()));
    Line::from(spans).render(area, buf);
}

/// Key hints for what the agent is doing now, most useful first, and what goes between them.
pub fn hints(state: &State) -> (Vec<String>, &'static str) {
    let parts = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    if state.ticket_form.is_some() {
        return (parts(&["Tab next field", "↑/↓ pick a customer", "Ctrl-S create", "Esc cancel"]), " · ");
    }
    if state.organization_form.as_ref().is_some_and(|f| f.seen.is_some()) && state.overlay.is_none() {
        return (parts(&["Tab next field", "Ctrl-S save", "Ctrl-D delete", "Esc cancel"]), " · ");
    }
    let form_open = state.customer_form.is_some() || state.organization_form.is_some() || state.agent_form.is_some();
    if form_open && state.overlay.is_none() {
        return (parts(&["Tab next field", "Ctrl-S save", "Esc cancel"]), " · ");
    }
    if let Some(prompt) = &state.prompt {
        let list = match prompt.kind {
            PromptKind::Filter => parts(&["Enter keep", "Esc clear", "↑/↓ move"]),
            PromptKind::Search | PromptKind::Report => parts(&[
                "Enter search",
                "Esc cancel",
                "words \"phrase\" pre*",
                "from: status: tag: assignee:",
                "before: after:",
            ]),
        };
        return (list, " · ");
    }
    if let Some(overlay) = &state.overlay {
        let list = match overlay.kind {
            crate::app::model::overlay::OverlayKind::Help => parts(&["type to filter", "↑/↓ move", "Esc close"]),
            // A question: typing answers it, there is nothing to filter.
            crate::app::model::overlay::OverlayKind::Confirm => {
                parts(&["the key before an answer picks it", "n, Esc or any other key: nothing changes"])
            }
            _ => parts(&["type to filter", "↑/↓ move", "Enter choose", "Esc cancel"]),
        };
        return (list, " · ");
    }
    let context = Context::of(state);
    let actions: &[(Action, &str)] = match context {
        Context::Composer => &COMPOSER_HINTS,
        Context::Filtered => &[
            (Action::Open, "open"),
            (Action::NextMatch, "next match"),
            (Action::PrevMatch, "previous"),
            (Action::Back, "whole tab"),
            (Action::Filter, "filter"),
            (Action::Search, "search"),
            (Action::Help, "help"),
        ],
        Context::Conversation => &[
            (Action::SelectPrev, "scroll up"),
            (Action::Reply, "reply"),
            (Action::Note, "note"),
            (Action::SetStatus, "status"),
            (Action::SetPriority, "priority"),
            (Action::Assign, "assign"),
            (Action::Tags, "tags"),
            (Action::Back, "queue"),
            (Action::Help, "help"),
        ],
        Context::Profile => &[
            (Action::SelectNext, "down"),
            (Action::Open, "open ticket"),
            (Action::Back, "queue"),
            (Action::Help, "help"),
        ],
        Context::Reports => &[
            (Action::SelectNext, "down"),
            (Action::Open, "group's tickets"),
            (Action::ReportShorter, "shorter"),
            (Action::ReportLonger, "longer"),
            (Action::ReportGrouping, "group by"),
            (Action::Back, "queue"),
            (Action::Help, "help"),
        ],
        Context::Queue | Context::Global => &[
            (Action::SelectNext, "down"),
            (Action::Open, "open"),
            (Action::Reply, "reply"),
            (Action::SetStatus, "status"),
            (Action::Assign, "assign"),
            (Action::Filter, "filter"),
            (Action::Search, "search"),
            (Action::ViewNext, "next tab"),
            (Action::Palette, "commands"),
            (Action::Help, "help"),
        ],
    };
    (key_hints(state, context, actions), "  ")
}

/// What the composer's keys do, for its border and the status line.
pub const COMPOSER_HINTS: [(Action, &str); 7] = [
    (Action::Send, "send"),
    (Action::InsertMacro, "canned reply"),
    (Action::Back, "keep draft"),
    (Action::Editor, "$EDITOR"),
    (Action::DiscardDraft, "discard"),
    (Action::AddCc, "Cc"),
    (Action::AttachFile, "attach"),
];

/// `key label` for each action bound in `context`; unbound ones are left out.
pub fn key_hints(state: &State, context: Context, actions: &[(Action, &str)]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|(action, label)| state.keymap.hint_for(context, *action).map(|k| format!("{k} {label}")))
        .collect()
}

/// ` 3 replies wait in the outbox and no desk service is running (frontdesk serve) `
fn unserved_outbox(state: &State) -> Option<String> {
    match state.unserved_outbox {
        0 => None,
        1 => Some(" 1 reply waits in the outbox and no desk service is running (frontdesk serve) ".into()),
        n => Some(format!(" {n} replies wait in the outbox and no desk service is running (frontdesk serve) ")),
    }
}

/// How many customers wait on us desk-wide and the longest wait: ` ⏳ 12 waiting, longest 3h `.
fn waiting(state: &State, theme: &Theme) -> Option<String> {
    let (count, since) = state.waiting?;
    let since = since.filter(|_| count > 0)?;
    let longest = crate::domain::short_age(since, state.now);
    Some(format!(" {} {count} waiting, longest {longest} ", theme.waiting_glyph()))
}

//! The status line at the bottom: what just happened, the prompt, and key hints for what the agent is doing.

use super::theme::Theme;
use crate::app::model::action::Action;
use crate::app::model::keymap::{sequence_label, Context};
use crate::app::model::state::{Pane, PromptKind, State};
use crate::app::model::text::truncate;
use crate::domain::text::for_display_line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub fn render_status(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let hints = hints(state);
    let mut spans = Vec::new();
    if let Some(prompt) = &state.prompt {
        let label = match prompt.kind {
            PromptKind::Filter => "/",
            PromptKind::Search => " search: ",
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
            spans.push(Span::styled(format!(" {} ", for_display_line(&message.text)), theme.error()));
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
    if !state.pending_keys.is_empty() {
        spans.push(Span::styled(format!(" {}… ", sequence_label(&state.pending_keys)), theme.bold()));
    }
    if let Some(message) = state.status.as_ref().filter(|_| state.prompt.is_none()) {
        let style = if message.is_error { theme.error() } else { theme.bold() };
        let room = (area.width as usize).saturating_sub(24);
        let text = truncate(&for_display_line(&message.text), room.max(20));
        spans.push(Span::styled(format!(" {text} "), style));
        spans.push(Span::styled("│", theme.dim()));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let room = (area.width as usize).saturating_sub(used + 1);
    spans.push(Span::styled(format!(" {}", truncate(&hints, room)), theme.dim()));
    Line::from(spans).render(area, buf);
}

/// Key hints for what the agent is doing now.
fn hints(state: &State) -> String {
    if state.ticket_form.is_some() {
        return "Tab next field · ↑/↓ pick a customer · Ctrl-S create · Esc cancel".into();
    }
    if let Some(prompt) = &state.prompt {
        return match prompt.kind {
            PromptKind::Filter => " Enter keep · Esc clear · ↑/↓ move".into(),
            _ => {
                " Enter search · Esc cancel · words \"phrase\" pre* from: status: tag: assignee: before: after:".into()
            }
        };
    }
    if let Some(overlay) = &state.overlay {
        return match overlay.kind {
            crate::app::model::overlay::OverlayKind::Help => "type to filter · ↑/↓ move · Esc close".into(),
            _ => "type to filter · ↑/↓ move · Enter choose · Esc cancel".into(),
        };
    }
    let (context, actions): (Context, &[(Action, &str)]) = match state.focus {
        _ if state.composer.is_some() && state.focus == Pane::Conversation => {
            (Context::Composer, &[(Action::Send, "send"), (Action::Back, "keep draft"), (Action::Editor, "$EDITOR")])
        }
        Pane::Queue if state.findings.is_some() => (
            Context::Filtered,
            &[
                (Action::Open, "open"),
                (Action::NextMatch, "next match"),
                (Action::PrevMatch, "previous"),
                (Action::Back, "whole tab"),
                (Action::Filter, "filter"),
                (Action::Search, "search"),
                (Action::Help, "help"),
            ],
        ),
        Pane::Queue => (
            Context::Queue,
            &[
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
        ),
        Pane::Conversation => (
            Context::Conversation,
            &[
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
        ),
        Pane::Profile => (
            Context::Profile,
            &[
                (Action::SelectNext, "down"),
                (Action::Open, "open ticket"),
                (Action::Back, "queue"),
                (Action::Help, "help"),
            ],
        ),
    };
    actions
        .iter()
        .filter_map(|(action, label)| state.keymap.keys_for(context, *action).map(|k| format!("{k} {label}")))
        .collect::<Vec<_>>()
        .join("  ")
}

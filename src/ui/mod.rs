//! Drawing only: from the console's model (`&State`) and the domain; never the store or the effects.

pub mod conversation;
pub mod overlay;
pub mod profile;
pub mod queue;
pub mod record_form;
pub mod reports;
pub mod sla;
pub mod status_line;
pub mod tabs;
pub mod theme;
pub mod ticket_form;
pub mod wide_cells;

use crate::app::model::composer::Composer;
use crate::app::model::keymap::Context;
use crate::app::model::layout;
use crate::app::model::state::State;
use crate::app::model::text::{fit_parts, truncate};
use crate::domain::text::for_display_line;
use crate::domain::MessageKind;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Widget};
use ratatui::Frame;
use theme::Theme;

pub fn draw(frame: &mut Frame, state: &State, theme: &Theme) {
    let areas = layout::areas(state);
    let buf = frame.buffer_mut();
    tabs::render_tabs(state, theme, areas.tabs, buf);
    if let Some(area) = areas.queue {
        queue::QueueView { state, theme }.render(area, buf);
    }
    if let Some(area) = areas.conversation {
        conversation::ConversationView { state, theme }.render(area, buf);
    }
    if let Some(area) = areas.profile {
        profile::ProfileView { state, theme }.render(area, buf);
    }
    if let (Some(area), Some(composer)) = (areas.composer, &state.composer) {
        render_composer(state, composer, theme, area, buf);
    }
    if let Some(screen) = &state.reports {
        let (w, h) = (frame.area().width, frame.area().height);
        let main = Rect::new(0, 1.min(h), w, h.saturating_sub(2));
        reports::render_reports(screen, theme, main, frame.buffer_mut());
    }
    if let Some(form) = &state.ticket_form {
        ticket_form::render_ticket_form(form, theme, frame.area(), frame.buffer_mut());
    }
    if let Some(form) = &state.customer_form {
        let title = format!(" Customer {} · {} ", form.seen.id, for_display_line(&form.seen.name));
        record_form::render_record_form(
            &form.form,
            (&title, record_form::KEYS),
            16,
            theme,
            frame.area(),
            frame.buffer_mut(),
        );
    }
    if let Some(form) = &state.organization_form {
        let keys = if form.seen.is_some() { ORGANIZATION_KEYS } else { record_form::KEYS };
        record_form::render_record_form(&form.form, (&form.title(), keys), 14, theme, frame.area(), frame.buffer_mut());
    }
    if let Some(form) = &state.agent_form {
        record_form::render_record_form(
            &form.form,
            (&form.title(), record_form::KEYS),
            16,
            theme,
            frame.area(),
            frame.buffer_mut(),
        );
    }
    if let Some(overlay) = &state.overlay {
        overlay::render_overlay(overlay, theme, frame.area(), frame.buffer_mut());
    }
    let buf = frame.buffer_mut();
    status_line::render_status(state, theme, areas.status, buf);
    wide_cells::mend_cut_wide_chars(buf);
}

/// The keys of the form of an organization that exists: it can be deleted too.
const ORGANIZATION_KEYS: &str = "Tab next field · Ctrl-S save · Ctrl-D delete · Esc cancel";

/// The composer: who the message goes to on its top border, its keys on the bottom one (as many
/// whole hints as fit).
fn render_composer(state: &State, composer: &Composer, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let title = match composer.kind {
        MessageKind::Note => " ▒ Internal note · never sent ".to_string(),
        _ => {
            let to = state.conversation.as_ref().map(|c| for_display_line(&c.detail.customer.name).into_owned());
            format!(" Reply to {} ", to.unwrap_or_default())
        }
    };
    let send = match (composer.kind, composer.stopped) {
        (_, true) => "send anyway",
        (MessageKind::Note, false) => "add note",
        _ => "send",
    };
    let mut actions = status_line::COMPOSER_HINTS;
    actions[0].1 = send;
    let hints = status_line::key_hints(state, Context::Composer, &actions);
    let hint = fit_parts(&hints, " · ", (area.width as usize).saturating_sub(4));
    let block = Block::bordered()
        .border_type(theme.border_type(true))
        .border_style(theme.border(true))
        .title(Line::from(truncate(&title, area.width.saturating_sub(2) as usize)).style(theme.author(composer.kind)))
        .title_bottom(Line::from(if hint.is_empty() { hint } else { format!(" {hint} ") }).right_aligned());
    let inner = block.inner(area);
    block.render(area, buf);
    composer.text.render(inner, buf);
}

//! Drawing only: from the console's model (`&State`) and the domain; never the store or the effects.

pub mod conversation;
pub mod overlay;
pub mod profile;
pub mod queue;
pub mod sla;
pub mod status_line;
pub mod tabs;
pub mod theme;
pub mod ticket_form;

use crate::app::model::layout;
use crate::app::model::state::State;
use crate::domain::text::for_display_line;
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
        let (title, hint) = match composer.kind {
            crate::domain::MessageKind::Note => {
                (" ▒ Internal note · never sent ".to_string(), " Ctrl-S add note · Esc keep draft ")
            }
            _ => {
                let to = state.conversation.as_ref().map(|c| for_display_line(&c.detail.customer.name).into_owned());
                (format!(" Reply to {} ", to.unwrap_or_default()), " Ctrl-S send · Esc keep draft · Ctrl-E $EDITOR ")
            }
        };
        let block = Block::bordered()
            .border_type(theme.border_type(true))
            .border_style(theme.border(true))
            .title(Line::from(title).style(theme.author(composer.kind)))
            .title_bottom(Line::from(hint).right_aligned());
        let inner = block.inner(area);
        block.render(area, buf);
        composer.text.render(inner, buf);
    }
    if let Some(form) = &state.ticket_form {
        ticket_form::render_ticket_form(form, theme, frame.area(), frame.buffer_mut());
    }
    if let Some(overlay) = &state.overlay {
        overlay::render_overlay(overlay, theme, frame.area(), frame.buffer_mut());
    }
    let buf = frame.buffer_mut();
    status_line::render_status(state, theme, areas.status, buf);
}

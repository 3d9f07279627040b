//! Where each pane goes, for a terminal size: `ui` draws there, `update` pages and scrolls by it.

use super::state::{Pane, ProfileMode, State};
use ratatui::layout::Rect;

/// Below this width only the focused pane is drawn.
pub const ONE_PANE_WIDTH: u16 = 48;
/// From this width the profile fits beside the queue and the conversation.
pub const THREE_PANE_WIDTH: u16 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub tabs: Rect,
    pub queue: Option<Rect>,
    pub conversation: Option<Rect>,
    pub composer: Option<Rect>,
    pub profile: Option<Rect>,
    pub status: Rect,
}

pub fn areas(state: &State) -> Areas {
    let (w, h) = state.size;
    let mut areas = Areas {
        tabs: Rect::new(0, 0, w, h.min(1)),
        status: Rect::new(0, h.saturating_sub(1), w, h.min(1)),
        ..Areas::default()
    };
    let main = Rect::new(0, 1, w, h.saturating_sub(2));
    let right = if w < ONE_PANE_WIDTH {
        match state.focus {
            Pane::Queue => areas.queue = Some(main),
            Pane::Conversation => areas.conversation = Some(main),
            Pane::Profile => areas.profile = Some(main),
        }
        None
    } else if w < THREE_PANE_WIDTH {
        // Narrow: the queue over the conversation, both full width so subjects stay readable.
        let queue_h = (main.height * 2 / 5).max(6).min(main.height);
        areas.queue = Some(Rect::new(0, 1, w, queue_h));
        Some(Rect::new(0, 1 + queue_h, w, main.height - queue_h))
    } else {
        let queue_w = (w * 40 / 100).clamp(40, 72);
        areas.queue = Some(Rect::new(0, 1, queue_w, main.height));
        Some(Rect::new(queue_w, 1, w - queue_w, main.height))
    };
    if let Some(right) = right {
        place_right(state, &mut areas, right);
    }
    if let (Some(conv), Some(_)) = (areas.conversation, &state.composer) {
        let composer_h = (conv.height / 3).clamp(5, 12).min(conv.height);
        areas.conversation = Some(Rect { height: conv.height - composer_h, ..conv });
        areas.composer = Some(Rect { y: conv.y + conv.height - composer_h, height: composer_h, ..conv });
    }
    areas
}

fn place_right(state: &State, areas: &mut Areas, right: Rect) {
    let (w, _) = state.size;
    let wants_profile = match state.profile_mode {
        ProfileMode::Shown => true,
        ProfileMode::Hidden => false,
        ProfileMode::Auto => w >= state.profile_min_width.max(THREE_PANE_WIDTH),
    };
    if w < THREE_PANE_WIDTH {
        // Stacked: the profile takes the conversation's place when asked for.
        let show_profile = state.focus == Pane::Profile || (wants_profile && state.focus == Pane::Queue);
        if show_profile {
            areas.profile = Some(right);
        } else {
            areas.conversation = Some(right);
        }
    } else if wants_profile || state.focus == Pane::Profile {
        let profile_w = (w * 22 / 100).clamp(26, 40);
        areas.conversation = Some(Rect { width: right.width - profile_w, ..right });
        areas.profile = Some(Rect { x: right.x + right.width - profile_w, width: profile_w, ..right });
    } else {
        areas.conversation = Some(right);
    }
}

/// Ticket rows the queue can show (inside its border, under its header).
pub fn queue_rows(state: &State) -> usize {
    let height = areas(state).queue.map(|r| r.height).unwrap_or(state.size.1.saturating_sub(2));
    height.saturating_sub(3) as usize
}

/// Inside the conversation pane's border, when the pane is shown.
pub fn conversation_inner(state: &State) -> Option<Rect> {
    let area = areas(state).conversation?;
    Some(Rect::new(area.x + 1, area.y + 1, area.width.saturating_sub(2), area.height.saturating_sub(2)))
}

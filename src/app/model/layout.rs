//! Where each pane goes, for a terminal size: `ui` draws there, `update` pages and scrolls by it.

use super::state::{Pane, ProfileMode, State};
use ratatui::layout::Rect;

/// Below this width only the focused pane is drawn.
pub const ONE_PANE_WIDTH: u16 = 48;
/// From this width the queue and the conversation sit side by side (and the profile beside them
/// when asked for, or from `State::profile_min_width` on).
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
    if w < ONE_PANE_WIDTH {
        match state.focus {
            Pane::Queue => areas.queue = Some(main),
            Pane::Conversation => areas.conversation = Some(main),
            Pane::Profile => areas.profile = Some(main),
        }
    } else if w < THREE_PANE_WIDTH {
        stacked(state, &mut areas, main);
    } else {
        side_by_side(state, &mut areas, main);
    }
    if let (Some(conv), Some(composer)) = (areas.conversation, &state.composer) {
        // The composer grows with its text, up to half the conversation's pane.
        let most = (conv.height / 2).max(COMPOSER_MIN).min(conv.height);
        let rows = composer.wrapped_rows(conv.width.saturating_sub(2) as usize);
        let composer_h = (rows.saturating_add(2).min(u16::MAX as usize) as u16).clamp(COMPOSER_MIN.min(most), most);
        areas.conversation = Some(Rect { height: conv.height - composer_h, ..conv });
        areas.composer = Some(Rect { y: conv.y + conv.height - composer_h, height: composer_h, ..conv });
    }
    areas
}

/// The composer's least height, its border included.
const COMPOSER_MIN: u16 = 5;
/// The conversation's least width beside the queue.
const CONVERSATION_MIN: u16 = 48;
/// The queue's least width beside the conversation.
const QUEUE_MIN: u16 = 32;

fn wants_profile(state: &State) -> bool {
    match state.profile_mode {
        ProfileMode::Shown => true,
        ProfileMode::Hidden => false,
        ProfileMode::Auto => state.size.0 >= state.profile_min_width.max(THREE_PANE_WIDTH),
    }
}

/// Under [`THREE_PANE_WIDTH`]: the queue over the conversation (or the profile), both full width so
/// subjects stay readable. While a reply is written the queue steps aside, so the reply has room.
fn stacked(state: &State, areas: &mut Areas, main: Rect) {
    let composing = state.composer.is_some() && state.focus == Pane::Conversation;
    let queue_h = if composing { 0 } else { (main.height / 2).max(6).min(main.height) };
    if queue_h > 0 {
        areas.queue = Some(Rect { height: queue_h, ..main });
    }
    let below = Rect { y: main.y + queue_h, height: main.height - queue_h, ..main };
    // The profile takes the conversation's place when asked for.
    let show_profile = state.focus == Pane::Profile || (wants_profile(state) && state.focus == Pane::Queue);
    if show_profile {
        areas.profile = Some(below);
    } else {
        areas.conversation = Some(below);
    }
}

/// From [`THREE_PANE_WIDTH`]: the queue, the conversation, and the profile when shown. The
/// conversation's width depends on the terminal's alone, so hiding the profile (`P`) gives its
/// columns to the queue.
fn side_by_side(state: &State, areas: &mut Areas, main: Rect) {
    let w = main.width;
    let profile_w = if wants_profile(state) || state.focus == Pane::Profile { (w * 18 / 100).clamp(26, 40) } else { 0 };
    let conversation_w = (w * 36 / 100).clamp(CONVERSATION_MIN, 90).min(w.saturating_sub(profile_w + QUEUE_MIN));
    let queue_w = w - profile_w - conversation_w;
    areas.queue = Some(Rect { width: queue_w, ..main });
    areas.conversation = Some(Rect { x: queue_w, width: conversation_w, ..main });
    if profile_w > 0 {
        areas.profile = Some(Rect { x: queue_w + conversation_w, width: profile_w, ..main });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::model::composer::Composer;
    use crate::app::model::keymap::Keymap;
    use crate::domain::{Agent, MessageKind, Role};

    fn state(w: u16, h: u16) -> State {
        let agent = Agent {
            login: "ana".into(),
            name: "Ana".into(),
            email: None,
            role: Role::Agent,
            signature: String::new(),
            active: true,
        };
        let now = chrono::DateTime::from_timestamp(1_764_000_000, 0).unwrap();
        State::new(agent, Keymap::default(), crate::app::model::views::View::Open, (w, h), now)
    }

    #[test]
    fn at_80x24_the_queue_shows_eight_rows_over_the_conversation() {
        let s = state(80, 24);
        assert!(queue_rows(&s) >= 8, "{}", queue_rows(&s));
        let areas = areas(&s);
        assert!(areas.conversation.is_some_and(|c| c.height >= 8), "{areas:?}");
    }

    #[test]
    fn hiding_the_profile_gives_its_columns_to_the_queue() {
        for w in [120, 160, 200] {
            let mut s = state(w, 40);
            s.profile_mode = ProfileMode::Shown;
            let shown = areas(&s);
            s.profile_mode = ProfileMode::Hidden;
            let hidden = areas(&s);
            let width = |r: Option<Rect>| r.map_or(0, |r| r.width);
            assert_eq!(width(hidden.conversation), width(shown.conversation), "at {w}");
            assert_eq!(width(hidden.queue), width(shown.queue) + width(shown.profile), "at {w}");
        }
    }

    #[test]
    fn the_profile_shows_by_itself_only_where_the_queue_keeps_its_columns() {
        assert!(areas(&state(120, 40)).profile.is_none());
        assert!(areas(&state(160, 40)).profile.is_some());
        let at_160 = areas(&state(160, 40));
        assert!(at_160.queue.is_some_and(|q| q.width >= 72), "{at_160:?}");
        assert!(at_160.conversation.is_some_and(|c| c.width >= 56), "{at_160:?}");
    }

    #[test]
    fn the_composer_grows_with_its_text_up_to_half_the_pane() {
        let mut s = state(120, 40);
        s.focus = Pane::Conversation;
        s.composer = Some(Composer::new(1, MessageKind::Reply, "Thanks"));
        let pane = areas(&s).conversation.unwrap().height + areas(&s).composer.unwrap().height;
        assert_eq!(areas(&s).composer.unwrap().height, COMPOSER_MIN);
        let paragraph = "Thank you for your patience while we looked into this. ".repeat(3);
        s.composer = Some(Composer::new(1, MessageKind::Reply, &format!("{paragraph}\n\n{paragraph}")));
        let inner = areas(&s).composer.unwrap().width - 2;
        let rows = s.composer.as_ref().unwrap().wrapped_rows(inner as usize) as u16;
        assert!(rows + 2 > COMPOSER_MIN && rows + 2 < pane / 2, "{rows} rows");
        assert_eq!(areas(&s).composer.unwrap().height, rows + 2, "it grows to fit");
        let long = format!("{paragraph}\n").repeat(20);
        s.composer = Some(Composer::new(1, MessageKind::Reply, &long));
        assert_eq!(areas(&s).composer.unwrap().height, pane / 2, "no more than half");
    }

    #[test]
    fn while_writing_on_a_narrow_terminal_the_queue_makes_room() {
        let mut s = state(80, 24);
        s.focus = Pane::Conversation;
        s.composer = Some(Composer::new(1, MessageKind::Reply, &"word ".repeat(200)));
        let a = areas(&s);
        assert_eq!(a.queue, None, "{a:?}");
        assert_eq!(a.composer.unwrap().height, 11, "half of the 22 rows under the tabs: {a:?}");
    }
}

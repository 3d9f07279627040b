//! `d` / `o` in the conversation: save an attachment to the download folder, or open it with the
//! system's opener, picked by the number the conversation shows (`[2] invoice.pdf`). The files
//! are written by the store worker, never here.

use crate::app::model::action::Action;
use crate::app::model::conversation::{human_size, numbered_attachments};
use crate::app::model::message::Effect;
use crate::app::model::overlay::{Choice, Item, Overlay, OverlayKind};
use crate::app::model::state::State;
use crate::domain::text::for_display_line;

/// The picker of the open ticket's attachments, by number.
pub fn open_picker(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(conversation) = state.conversation.as_ref() else {
        state.set_status("no ticket is open: pick one in the queue");
        return vec![];
    };
    let save = action == Action::SaveAttachment;
    let items: Vec<Item> = numbered_attachments(&conversation.detail)
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let choice = if save { Choice::SaveAttachment(a.id) } else { Choice::OpenAttachment(a.id) };
            let detail = format!("{} · {}", human_size(a.size), for_display_line(&a.content_type));
            Item::new(format!("[{}] {}", i + 1, for_display_line(&a.name)), detail, choice)
        })
        .collect();
    if items.is_empty() {
        let id = conversation.detail.ticket.id;
        state.set_status(format!("#{id} has no attachments"));
        return vec![];
    }
    let kind = if save { OverlayKind::SaveAttachment } else { OverlayKind::OpenAttachment };
    state.overlay = Some(Overlay::new(kind, items));
    vec![]
}

/// A number typed into the picker picks that attachment, whatever else matches it.
pub fn retype(state: &mut State) {
    let Some(overlay) = state.overlay.as_mut() else { return };
    if overlay.pinned > 0 {
        let pinned = overlay.items.remove(0);
        let at = pinned_home(&pinned.label);
        overlay.items.insert(at.min(overlay.items.len()), pinned);
        overlay.pinned = 0;
    }
    let typed = overlay.query().trim().trim_start_matches('[').trim_end_matches(']');
    if let Some(n) = typed.parse::<usize>().ok().filter(|n| (1..=overlay.items.len()).contains(n)) {
        let item = overlay.items.remove(n - 1);
        overlay.items.insert(0, item);
        overlay.pinned = 1;
    }
    overlay.refilter();
}

/// Where an item labelled `[n] …` belongs in the list: index n - 1.
fn pinned_home(label: &str) -> usize {
    label.trim_start_matches('[').split(']').next().and_then(|n| n.parse::<usize>().ok()).unwrap_or(1).saturating_sub(1)
}

/// The worker saved it: say under which name (it may differ from the mail's) and in which folder.
pub fn on_saved(state: &mut State, path: &std::path::Path) {
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let folder = path.parent().map(|p| p.display().to_string()).unwrap_or_default();
    state.set_status(format!("saved {} in {}", for_display_line(&file), for_display_line(&folder)));
}

/// The worker handed it to the opener.
pub fn on_opened(state: &mut State, name: &str, with: &str) {
    state.set_status(format!("opened {} with {}", for_display_line(name), for_display_line(with)));
}

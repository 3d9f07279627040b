//! Sending from the composer: the reply, the canned replies' changes and a chosen status go to the
//! store as one write (with the check for newer messages), and after a reply the console lands on
//! the next ticket whose customer waits on us.

use crate::app::model::message::Effect;
use crate::app::model::state::{AfterSend, State};
use crate::domain::recipients::{split_header_lines, ReplyHeaders};
use crate::domain::text::for_display_line;
use crate::domain::{short_age, MessageKind, Status, TicketChange};

/// Send the composer's message; with `status`, the ticket also takes that status (over any canned
/// reply's), in the same write.
pub fn send(state: &mut State, status: Option<Status>) -> Vec<Effect> {
    let Some(composer) = state.composer.as_mut() else { return vec![] };
    let mut body = composer.body();
    let mut headers = ReplyHeaders::default();
    if composer.kind == MessageKind::Reply {
        match split_header_lines(&body) {
            Ok((found, rest)) => (headers, body) = (found, rest),
            Err(problem) => {
                state.set_error(format!("{problem}; nothing was sent"));
                return vec![];
            }
        }
    }
    if body.trim().is_empty() {
        state.set_error("nothing to send: the message is empty");
        return vec![];
    }
    if status.is_some() && composer.kind == MessageKind::Note {
        state.set_error("a note does not change the ticket: Ctrl-S adds it, then s sets the status");
        return vec![];
    }
    composer.dirty = false;
    composer.sending = true;
    let (ticket, kind, expect_last) = (composer.ticket_id, composer.kind, composer.last_seen);
    let mut change = merged(composer.actions.iter().map(|(_, change)| change));
    if status.is_some() {
        change.status = status;
    }
    // A change that comes with the message was chosen against the ticket on screen.
    let version = state.open_ticket().filter(|t| t.id == ticket).map(|t| t.version);
    vec![Effect::Send { ticket, kind, body, expect_last, version, change, headers }]
}

/// The canned replies' changes as one: a later one's status, priority or owner wins; tags add up.
pub fn merged<'a>(changes: impl Iterator<Item = &'a TicketChange>) -> TicketChange {
    let mut all = TicketChange::default();
    for change in changes {
        all.status = change.status.or(all.status);
        all.priority = change.priority.or(all.priority);
        if change.assignee.is_some() {
            all.assignee = change.assignee.clone();
        }
        for tag in &change.add_tags {
            if !all.add_tags.contains(tag) {
                all.add_tags.push(tag.clone());
            }
        }
        all.remove_tags.retain(|t| !change.add_tags.contains(t));
        all.remove_tags.extend(change.remove_tags.iter().cloned());
    }
    all
}

/// After a reply on `sent`: with `ui.after_send = "next"`, select and show the next ticket of the
/// queue whose customer waits on us (after `sent`, wrapping round), and say which. Returns the
/// ticket to load, and what to add to the status line.
pub fn land_on_next(state: &mut State, sent: i64) -> (Vec<Effect>, String) {
    if state.after_send == AfterSend::Stay {
        return (vec![], String::new());
    }
    let rows = &state.queue.rows;
    let from = rows.iter().position(|t| t.id == sent).map_or(state.queue.selected, |at| at + 1);
    let waiting = (0..rows.len())
        .map(|i| (from + i) % rows.len())
        .find(|&i| rows[i].id != sent && rows[i].waiting_since.is_some());
    let Some(at) = waiting else {
        let tab = for_display_line(state.view_title(state.view)).into_owned();
        return (vec![], format!(" · nobody else waits on us in {tab}"));
    };
    let next = &rows[at];
    let waited = next.waiting_since.map(|since| short_age(since, state.now)).unwrap_or_default();
    let said = format!(
        " · next: #{} {} — waiting {waited}",
        next.id,
        crate::app::model::text::truncate(&for_display_line(&next.customer_name), 24)
    );
    state.queue.selected = at;
    super::navigation::scroll_to_selection(state);
    (super::preview::show_now(state), said)
}

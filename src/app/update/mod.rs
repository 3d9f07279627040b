//! `update`: pure; changes the state and returns the I/O it wants done. One file per capability;
//! no store, no files, no clock but `State::now`.

mod agents;
mod arrivals;
mod attachments;
mod canned_replies;
mod clocks;
mod composer;
mod confirm;
mod copy;
mod customer_form;
mod desk_changes;
mod find;
mod keys;
mod mail;
mod marks;
mod merges;
mod navigation;
mod notes;
mod organization_form;
mod overlay;
mod pickers;
mod preview;
mod ratings;
mod record_form;
mod reply_check;
mod reports;
mod rules;
mod send;
mod snooze;
mod stale;
mod ticket_form;
mod undo;

pub use copy::ticket_text;
pub use preview::PREVIEW_DELAY;

use crate::app::model::action::Action;
use crate::app::model::composer::Composer;
use crate::app::model::conversation::ConversationState;
use crate::app::model::message::{Effect, Msg};
use crate::app::model::state::{Pane, PromptKind, State};
use crate::domain::{MessageKind, PageCursor, Ticket};

/// Change `state` for `msg`; returns the I/O it asks for. The open conversation is wrapped for
/// its pane afterwards, whatever changed its width.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut effects = dispatch(state, msg);
    effects.extend(preview::follow(state));
    coming_ticket(state, &mut effects);
    state.wrap_conversation();
    effects
}

/// Keep track of the ticket the panes are about to show. A reload of the one still on screen
/// while another is on its way (a change seen by the watcher, a write's refresh, just after a
/// send moved on) reloads the one coming instead, so the older answer cannot win.
fn coming_ticket(state: &mut State, effects: &mut Vec<Effect>) {
    let open = state.open_ticket().map(|t| t.id);
    for effect in effects.iter_mut() {
        let Effect::LoadTicket(id) = effect else { continue };
        match state.coming {
            Some(coming) if Some(*id) == open && coming != *id => *id = coming,
            _ => state.coming = Some(*id),
        }
    }
    effects.dedup();
}

/// The version of the open ticket as the agent saw it: the queue row an action was asked on from
/// the queue (before the load that opened it), or the ticket as the conversation pane draws it.
fn seen_version(state: &State) -> Option<i64> {
    let open = state.open_ticket()?;
    Some(state.seen_row.as_ref().filter(|row| row.id == open.id).unwrap_or(open).version)
}

/// The open ticket, or `None` after telling the agent to pick one.
fn open_ticket_or_say(state: &mut State) -> Option<Ticket> {
    let ticket = state.open_ticket().cloned();
    if ticket.is_none() {
        state.set_status("no ticket is open: pick one in the queue");
    }
    ticket
}

fn dispatch(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => keys::on_key(state, key),
        Msg::Paste(text) => keys::on_paste(state, &text),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            navigation::scroll_to_selection(state);
            vec![]
        }
        Msg::Action(action) => on_action(state, action),
        Msg::QueueLoaded { view, rows, append, has_more, facts } => {
            let rows = clocks::with_clocks(state, view, rows, append, facts);
            on_queue_loaded(state, view, rows, append, has_more)
        }
        Msg::SlaTick => clocks::on_tick(state),
        // The runtime's: the filter worker reads the tab ahead.
        Msg::ReadAheadDue { .. } => vec![],
        Msg::DueRefreshed => {
            state.due_left = None;
            clocks::on_tick(state)
        }
        Msg::DueWorking { left } => {
            state.due_left = Some(left);
            vec![]
        }
        Msg::PreviewDue { generation } => preview::on_due(state, generation),
        Msg::MarkedUpdated(outcome) => marks::on_updated(state, outcome),
        Msg::CustomersMerged { from, into, ticket } => {
            state.set_status(format!(
                "customer {from} merged into {} ({}): one customer with all their addresses, tickets and ratings",
                crate::domain::text::for_display_line(&into.name),
                into.id
            ));
            refresh_after_write(state, ticket)
        }
        Msg::SimilarCustomers { customer, this, found } => merges::on_similar_customers(state, customer, *this, found),
        Msg::Stale { count, days, solved } => stale::on_stale(state, count, days, solved),
        Msg::CountsLoaded { counts, waiting, unserved_outbox, unread_mailbox } => {
            state.counts = counts.into_iter().map(Some).collect();
            state.waiting = Some(waiting);
            state.unserved_outbox = unserved_outbox;
            state.unread_mailbox = unread_mailbox;
            vec![]
        }
        Msg::TicketLoaded { detail, customer_tickets, draft, facts } => {
            state.profile.facts = facts;
            let same_ticket = state.open_ticket().map(|t| t.id) == Some(detail.ticket.id);
            let offer_draft = draft.filter(|_| state.composer.is_none() && !same_ticket);
            let scroll = state.conversation.as_ref().filter(|_| same_ticket).map(|c| c.scroll_from_bottom);
            let mut conversation = ConversationState::new(*detail);
            conversation.scroll_from_bottom = scroll.unwrap_or(0);
            state.conversation = Some(conversation);
            state.profile.selected = if same_ticket { state.profile.selected } else { 0 };
            let (mut open, past): (Vec<_>, Vec<_>) = customer_tickets.into_iter().partition(|t| t.status.is_active());
            open.extend(past);
            state.profile.tickets = open;
            if let Some(draft) = offer_draft {
                // A draft keeps its kind, so the prompt names the one key that continues it.
                let mut keys = state.keymap.naming(crate::app::model::keymap::Context::of(state));
                let text = format!(
                    "a {} draft is waiting on this ticket: press {} to continue it",
                    draft.kind,
                    keys.key(composer::action_for(draft.kind))
                );
                let named = keys.named();
                state.set_status_naming(text, named);
            }
            let effects = match state.pending_action.take() {
                Some((id, action)) if id == state.open_ticket().map_or(0, |t| t.id) => on_action(state, action),
                _ => vec![],
            };
            state.seen_row = None;
            effects
        }
        Msg::DirectoryLoaded { agents, tags } => {
            state.agents = agents;
            state.known_tags = tags;
            vec![]
        }
        Msg::TicketChanged(ticket) => {
            let owner = ticket.assignee.as_deref().unwrap_or("nobody");
            state.set_status(format!(
                "#{} saved: {} · {} · {owner}{}",
                ticket.id,
                ticket.status,
                ticket.priority,
                ticket.tags.iter().map(|t| format!(" #{t}")).collect::<String>()
            ));
            state.shorten_status(format!("#{} saved", ticket.id));
            refresh_after_write(state, ticket.id)
        }
        Msg::MessageSent { ticket, kind, mailing } => {
            state.composer.take_if(|c| c.ticket_id == ticket);
            let (said, short) = match (kind, mailing) {
                (MessageKind::Note, _) => (format!("note added to #{ticket}"), "noted"),
                (_, true) => (format!("reply saved on #{ticket}; mailing it to the customer…"), "replied · mailing…"),
                (_, false) => (format!("reply sent on #{ticket}"), "replied"),
            };
            let mut effects = refresh_after_write(state, ticket);
            let (next, also) =
                if kind == MessageKind::Note { Default::default() } else { send::land_on_next(state, ticket) };
            if !next.is_empty() {
                // The answered ticket is not shown again: the next one is.
                effects.retain(|e| *e != Effect::LoadTicket(ticket));
            }
            state.set_status(format!("{said}{also}"));
            state.shorten_status(short);
            effects.extend(next);
            effects
        }
        Msg::Answered { msg, .. } => dispatch(state, *msg),
        Msg::Delivered { ticket, result } => mail::on_delivered(state, ticket, result),
        Msg::SurveySent { ticket, result } => mail::on_survey_sent(state, ticket, result),
        Msg::DraftSaved => vec![],
        Msg::DraftLoaded { ticket, draft } => composer::resume_draft(state, ticket, draft),
        Msg::DraftDue => composer::flush_draft(state),
        Msg::EditorDone(text) => on_editor_done(state, text),
        Msg::SendStopped { ticket, newest, message } => reply_check::on_send_stopped(state, ticket, newest, message),
        Msg::Conflict { ticket, message } => {
            state.set_error(message); // the store's sentence names what the other agent changed
            refresh_after_write(state, ticket)
        }
        Msg::Failed(message) => {
            state.set_error(message);
            vec![]
        }
        Msg::NotesRefused { customer, notes, message } => notes::on_refused(state, customer, notes, message),
        Msg::SendFailed { ticket, message } => composer::on_send_failed(state, ticket, message),
        Msg::CreateFailed(message) => {
            state.set_error(message);
            ticket_form::on_failed(state);
            vec![]
        }
        Msg::LookupFailed { generation, message } => {
            state.set_error(message);
            ticket_form::on_customers(state, generation, Vec::new())
        }
        Msg::FilterMatched { generation, ids, total } => find::on_matched(state, generation, ids, (total, true)),
        Msg::FilterMatchedSome { generation, ids, total } => {
            find::on_matched(state, generation, Some(ids), (total, false))
        }
        Msg::FoundRowsLoaded { generation, rows, append } => find::on_rows(state, generation, rows, append),
        Msg::SearchDone { generation, result } => find::on_search_done(state, generation, result),
        Msg::StoreChanged { desk_changed, presence } => desk_changes::on_store_changed(state, desk_changed, presence),
        Msg::IndexBuild(progress) => {
            if progress.is_none() && state.index_build.is_some() {
                state.set_status("the search index is ready");
            }
            state.index_build = progress;
            vec![]
        }
        Msg::Snoozed { ticket, until } => {
            snooze::on_snoozed(state, &ticket, until);
            refresh_after_write(state, ticket.id)
        }
        Msg::Arrivals { mark, tickets } => arrivals::on_arrivals(state, mark, tickets),
        Msg::TicketDeleted(ticket) => confirm::on_deleted(state, &ticket),
        Msg::AttachmentSaved { path } => {
            attachments::on_saved(state, &path);
            vec![]
        }
        Msg::AttachmentOpened { name, with } => {
            attachments::on_opened(state, &name, &with);
            vec![]
        }
        Msg::CustomersFound { generation, found } => ticket_form::on_customers(state, generation, found),
        Msg::TicketCreated(ticket) => ticket_form::on_created(state, ticket),
        Msg::CustomerSaved { customer, ticket } => customer_form::on_saved(state, &customer, ticket),
        Msg::CustomerRefused { message, now } => customer_form::on_refused(state, message, now.map(|c| *c)),
        Msg::OrganizationOpened { organization, customer, customer_name } => {
            organization_form::on_opened(state, organization.map(|o| *o), customer, &customer_name)
        }
        Msg::OrganizationSaved { organization, ticket } => organization_form::on_saved(state, &organization, ticket),
        Msg::OrganizationRefused { message, now } => organization_form::on_refused(state, message, now.map(|o| *o)),
        Msg::OrganizationDeleteAsked { organization, customers } => {
            organization_form::ask_delete(state, &organization, customers)
        }
        Msg::OrganizationDeleted { organization, customers, ticket } => {
            organization_form::on_deleted(state, &organization, customers, ticket)
        }
        Msg::AgentsListed(agents) => agents::on_listed(state, agents),
        Msg::AgentSaved { agent, open_tickets } => agents::on_saved(state, &agent, &open_tickets),
        Msg::AgentRefused { message, now } => agents::on_refused(state, message, now.map(|a| *a)),
        Msg::StaleOffer { before, days, owners } => stale::ask(state, before, days, &owners),
        Msg::Undoable { ticket, version, then } => undo::on_undoable(state, ticket, version, *then),
        Msg::RulesRan { fired, failed, then } => {
            let effects = dispatch(state, *then);
            rules::on_rules_ran(state, &fired, failed);
            effects
        }
        Msg::Undone { ticket, version, result } => undo::on_undone(state, ticket, version, result),
        Msg::ReportLoaded { generation, result } => reports::on_loaded(state, generation, result),
    }
}

pub fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    use navigation as nav;
    if let Some(effects) = reports::on_action(state, action) {
        return effects;
    }
    if action == Action::Back {
        if let Some(effects) = reports::back_to_screen(state) {
            return effects;
        }
    }
    if !state.marked.is_empty() && state.focus == Pane::Queue {
        if let Some(effects) = marks::picker_for(state, action) {
            return effects;
        }
    }
    if acts_on_ticket(action) && state.focus == Pane::Queue {
        // From the queue, an action on a ticket means the selected one: open it first.
        if let Some(selected) = state.queue.selected_ticket().map(|t| t.id) {
            if state.open_ticket().map(|t| t.id) != Some(selected) {
                state.pending_action = Some((selected, action));
                // What the agent acted on is the row they saw, not what the load will bring.
                state.seen_row = state.queue.selected_ticket().cloned();
                return vec![Effect::LoadTicket(selected)];
            }
        }
    }
    match action {
        Action::Quit => {
            if state.overlay.take().is_none() {
                return quit(state);
            }
            vec![]
        }
        Action::ForceQuit => quit(state),
        Action::Back => nav::back(state),
        Action::Help | Action::Palette => {
            state.overlay = Some(overlay::overlay_for(state, action));
            vec![]
        }
        Action::Redraw => vec![Effect::ClearScreen],
        Action::Suspend => vec![Effect::Suspend],
        Action::FocusNext => nav::cycle_focus(state, 1),
        Action::FocusPrev => nav::cycle_focus(state, -1),
        Action::FocusQueue => nav::focus(state, Pane::Queue),
        Action::FocusConversation => nav::focus(state, Pane::Conversation),
        Action::FocusProfile => nav::focus(state, Pane::Profile),
        Action::ToggleProfile => nav::toggle_profile(state),
        Action::SelectNext => nav::move_by(state, 1),
        Action::SelectPrev => nav::move_by(state, -1),
        Action::SelectFirst => nav::move_by(state, isize::MIN / 2),
        Action::SelectLast => nav::move_by(state, isize::MAX / 2),
        Action::PageDown => nav::move_by(state, nav::half_page(state) as isize),
        Action::PageUp => nav::move_by(state, -(nav::half_page(state) as isize)),
        Action::Open => nav::open(state),
        Action::ViewNeedsReply | Action::ViewMine | Action::ViewUnassigned | Action::ViewOpen | Action::ViewAll => {
            nav::switch_view(state, nav::view_of(action))
        }
        Action::Filter => find::start(state, PromptKind::Filter),
        Action::Search => find::start(state, PromptKind::Search),
        Action::NextMatch => find::step(state, 1),
        Action::PrevMatch => find::step(state, -1),
        Action::ViewNext => nav::switch_view(state, nav::next_view(state, 1)),
        Action::ViewPrev => nav::switch_view(state, nav::next_view(state, -1)),
        Action::Reply => composer::open_composer(state, MessageKind::Reply),
        Action::Note => composer::open_composer(state, MessageKind::Note),
        Action::Editor => composer::open_editor(state),
        Action::Send => send::send(state, None),
        Action::SendSolved => send::send(state, Some(crate::domain::Status::Solved)),
        Action::SendPending => send::send(state, Some(crate::domain::Status::Pending)),
        Action::SendOnHold => send::send(state, Some(crate::domain::Status::OnHold)),
        Action::SendOpen => send::send(state, Some(crate::domain::Status::Open)),
        Action::Mark => marks::toggle(state),
        Action::MarkAll => marks::toggle_all(state),
        Action::DiscardDraft => reply_check::discard(state),
        Action::SetStatus | Action::SetPriority | Action::Assign | Action::Tags => pickers::open(state, action),
        Action::TakeTicket => pickers::take(state),
        Action::Snooze => snooze::open(state),
        Action::Rate => ratings::open(state),
        Action::InsertMacro => canned_replies::open(state),
        Action::EditNotes => notes::edit_notes(state),
        Action::MergeTicket => merges::open(state),
        Action::SolveStale => vec![Effect::OfferStale],
        Action::MergeCustomer => merges::find_similar_customers(state),
        Action::Copy => copy::copy(state),
        Action::NewTicket => ticket_form::open(state),
        Action::EditCustomer => customer_form::open(state),
        Action::EditOrganization => organization_form::open(state),
        Action::Agents => agents::list(state),
        Action::SaveAttachment | Action::OpenAttachment => attachments::open_picker(state, action),
        Action::DeleteTicket | Action::MarkSpam => confirm::ask(state, action),
        Action::Undo => undo::undo(state),
        Action::AddCc => composer::add_header_line(state, "Cc"),
        Action::AddBcc => composer::add_header_line(state, "Bcc"),
        Action::AttachFile => composer::add_header_line(state, "Attach"),
        Action::Reports | Action::ReportLonger | Action::ReportShorter | Action::ReportGrouping => reports::open(state),
    }
}

fn acts_on_ticket(action: Action) -> bool {
    matches!(
        action,
        Action::Reply
            | Action::Note
            | Action::Editor
            | Action::SetStatus
            | Action::SetPriority
            | Action::Assign
            | Action::TakeTicket
            | Action::Tags
            | Action::Copy
            | Action::DeleteTicket
            | Action::MarkSpam
    )
}

fn quit(state: &mut State) -> Vec<Effect> {
    state.should_quit = true;
    // Whatever is in the composer is saved before leaving.
    composer::flush_draft(state)
}

fn on_queue_loaded(
    state: &mut State,
    view: crate::app::model::views::View,
    rows: Vec<Ticket>,
    append: bool,
    has_more: bool,
) -> Vec<Effect> {
    if view != state.view || state.findings.is_some() {
        return vec![];
    }
    let queue = &mut state.queue;
    queue.loading = false;
    queue.has_more = has_more;
    if append {
        queue.rows.extend(rows);
        return vec![];
    }
    let was_selected = queue.selected_ticket().map(|t| t.id);
    let open = state.conversation.as_ref().map(|c| c.detail.ticket.id);
    let open_was_listed = open.is_some_and(|id| queue.rows.iter().any(|t| t.id == id));
    queue.rows = rows;
    queue.selected = was_selected
        .and_then(|id| queue.rows.iter().position(|t| t.id == id))
        .unwrap_or(queue.selected)
        .min(queue.rows.len().saturating_sub(1));
    navigation::scroll_to_selection(state);
    // The open ticket left the tab (solved, handed on): show the one the cursor is on now, rather
    // than a ticket the queue no longer lists.
    let open_left = open_was_listed && !state.queue.rows.iter().any(|t| Some(t.id) == open);
    if open_left && state.composer.is_none() && state.overlay.is_none() {
        return preview::show_now(state);
    }
    vec![]
}

/// After a write: the queue, the counts and the open ticket are reloaded.
fn refresh_after_write(state: &mut State, ticket: i64) -> Vec<Effect> {
    let mut effects = vec![Effect::LoadCounts];
    effects.push(match find::refresh(state) {
        Some(reload) => reload,
        None => Effect::LoadQueue { view: state.view, after: None },
    });
    if state.open_ticket().map(|t| t.id) == Some(ticket) {
        effects.push(Effect::LoadTicket(ticket));
    }
    effects
}

fn on_editor_done(state: &mut State, text: Option<String>) -> Vec<Effect> {
    if let Some(effects) = notes::notes_edited(state, text.as_deref()) {
        return effects;
    }
    let Some(text) = text else {
        state.set_status("editor closed without changes; nothing changed");
        return vec![];
    };
    let Some(composer) = state.composer.as_mut() else { return vec![] };
    let text = text.trim_end_matches('\n');
    // The text is new; what the message will do (canned replies' changes) and what it was
    // checked against stay.
    let mut edited = Composer::new(composer.ticket_id, composer.kind, text);
    edited.last_seen = composer.last_seen;
    edited.actions = std::mem::take(&mut composer.actions);
    edited.stopped = composer.stopped;
    edited.dirty = true;
    *composer = edited;
    let mut keys = state.keymap.naming(crate::app::model::keymap::Context::Composer);
    let text = format!(
        "text from the editor is in the composer: {} sends, {} keeps it as a draft",
        keys.key(Action::Send),
        keys.key(Action::Back)
    );
    let named = keys.named();
    state.set_status_naming(text, named);
    composer::flush_draft(state)
}

/// Where the next page of the queue starts.
pub fn next_page_cursor(state: &State) -> Option<PageCursor> {
    state.queue.cursor.or_else(|| state.queue.rows.last().map(PageCursor::after))
}

#[cfg(test)]
mod tests;

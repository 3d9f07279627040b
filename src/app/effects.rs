//! The only place the console does I/O: effects run against the store, answered by messages.

use super::msg::{Effect, Msg};
use super::state::View;
use crate::domain::MessageKind;
use crate::mail::outbound::{Outbound, SendError};
use crate::store::{Store, StoreError};
use std::collections::VecDeque;
use std::sync::mpsc::Sender;
use std::time::Duration;

/// How long after the last keystroke a draft is saved.
pub const DRAFT_SAVE_DELAY: Duration = Duration::from_millis(1500);

pub struct App {
    pub state: super::state::State,
    pub store: Store,
    /// Where timers send their messages; `None` in tests, which deliver them by hand.
    pub timer_tx: Option<Sender<Msg>>,
    /// Effects that need the terminal (editor, suspend, clear), for the run loop.
    pub terminal_requests: Vec<Effect>,
    /// The `[mail]` config: replies are mailed when it has `[mail.outbound]`.
    pub mail: Option<crate::config::MailConfig>,
    /// The data folder, where a relative outbound Maildir is.
    pub data_dir: std::path::PathBuf,
}

impl App {
    pub fn new(state: super::state::State, store: Store) -> App {
        App {
            state,
            store,
            timer_tx: None,
            terminal_requests: Vec::new(),
            mail: None,
            data_dir: std::path::PathBuf::new(),
        }
    }

    /// First loads: the queue, the counts, the agents and tags for the pickers.
    pub fn start(&mut self) {
        let view = self.state.view;
        self.state.queue.loading = true;
        for effect in [Effect::LoadQueue { view, after: None }, Effect::LoadCounts, Effect::LoadDirectory] {
            if let Some(msg) = self.perform(effect) {
                self.handle(msg);
            }
        }
    }

    /// Feed `msg` to `update`, run the effects it asks for, and feed their answers back.
    pub fn handle(&mut self, msg: Msg) {
        let mut pending = VecDeque::from([msg]);
        while let Some(msg) = pending.pop_front() {
            for effect in super::update::update(&mut self.state, msg) {
                pending.extend(self.perform(effect));
            }
        }
    }

    fn perform(&mut self, effect: Effect) -> Option<Msg> {
        let result = match effect {
            Effect::OpenEditor { .. } | Effect::Suspend | Effect::ClearScreen => {
                self.terminal_requests.push(effect);
                return None;
            }
            Effect::ScheduleDraftSave => {
                self.schedule(Msg::DraftDue, DRAFT_SAVE_DELAY);
                return None;
            }
            effect => self.perform_store(effect),
        };
        Some(result.unwrap_or_else(failure))
    }

    fn perform_store(&mut self, effect: Effect) -> Result<Msg, StoreError> {
        let me = self.state.agent.login.clone();
        match effect {
            Effect::LoadQueue { view, after } => {
                let page = self.state.page_size;
                let mut rows = self.store.list_tickets(&view.filter(&me), after, page + 1)?;
                let has_more = rows.len() > page;
                rows.truncate(page);
                Ok(Msg::QueueLoaded { view, rows, append: after.is_some(), has_more })
            }
            Effect::LoadCounts => {
                let mut counts = [0; 4];
                for view in View::ALL {
                    counts[view.index()] = self.store.count_tickets(&view.filter(&me))?;
                }
                Ok(Msg::CountsLoaded(counts))
            }
            Effect::LoadTicket(id) => {
                let detail = self.store.ticket_detail(id)?;
                let customer_tickets = self.store.customer_tickets(detail.ticket.customer_id, 50)?;
                let draft = self.store.draft(id, &me)?;
                Ok(Msg::TicketLoaded { detail: Box::new(detail), customer_tickets, draft })
            }
            Effect::LoadDirectory => {
                Ok(Msg::DirectoryLoaded { agents: self.store.agents()?, tags: self.store.popular_tags(200)? })
            }
            Effect::UpdateTicket { id, version, change } => {
                Ok(Msg::TicketChanged(self.store.update_ticket(id, version, &change, &me)?))
            }
            Effect::Send { ticket, kind, body } => {
                let undelivered = self.send(ticket, kind, &body)?;
                self.store.delete_draft(ticket, &me)?;
                Ok(Msg::MessageSent { ticket, kind, undelivered })
            }
            Effect::SaveDraft { ticket, kind, body } => {
                self.store.save_draft(ticket, &me, kind, &body)?;
                Ok(Msg::DraftSaved)
            }
            Effect::ResumeDraft { ticket, .. } => {
                Ok(Msg::DraftLoaded { ticket, draft: self.store.draft(ticket, &me)? })
            }
            Effect::OpenEditor { .. } | Effect::Suspend | Effect::ClearScreen | Effect::ScheduleDraftSave => {
                Ok(Msg::DraftSaved)
            }
        }
    }

    /// Store the message; a reply is also mailed when the config says how. Notes never are.
    fn send(&mut self, ticket: i64, kind: MessageKind, body: &str) -> Result<Option<String>, StoreError> {
        let outbound = Outbound::from_config(self.mail.as_ref(), &self.data_dir).filter(|_| kind == MessageKind::Reply);
        let Some(outbound) = outbound else {
            self.store.add_message(ticket, kind, &self.state.agent.login, body, None)?;
            return Ok(None);
        };
        match outbound.send_reply(&self.store, &self.state.agent, ticket, body, None) {
            Ok((_, delivered)) => Ok(delivered.err()),
            Err(SendError::Store(e)) => Err(e),
            Err(other) => Err(StoreError::Invalid(other.to_string())),
        }
    }

    fn schedule(&self, msg: Msg, after: Duration) {
        if let Some(tx) = self.timer_tx.clone() {
            std::thread::spawn(move || {
                std::thread::sleep(after);
                let _ = tx.send(msg);
            });
        }
    }
}

fn failure(error: StoreError) -> Msg {
    tracing::warn!(%error, "action failed");
    match error {
        StoreError::Conflict { ticket, .. } => Msg::Conflict { ticket, message: error.to_string() },
        other => Msg::Failed(other.to_string()),
    }
}

//! The only place the console does I/O: effects run against the store, answered by messages.

use super::filter_worker::{FilterRequest, FilterWorker};
use super::msg::{Effect, Msg};
use crate::domain::MessageKind;
use crate::mail::outbound::{Outbound, SendError};
use crate::store::{Store, StoreError};
use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

/// Results a console search lists at most.
pub const SEARCH_LIMIT: usize = 100;

/// How long a queue load may spend working out due times before handing the rest to a thread.
const DUE_REFRESH_BUDGET: Duration = Duration::from_millis(10);

/// How long after the last keystroke a draft is saved.
pub const DRAFT_SAVE_DELAY: Duration = Duration::from_millis(1500);

pub struct App {
    pub state: super::state::State,
    pub store: Store,
    /// Where timers send their messages; `None` in tests, which deliver them by hand.
    pub timer_tx: Option<Sender<Msg>>,
    /// Effects that need the terminal (editor, suspend, clear), for the run loop.
    pub terminal_requests: Vec<Effect>,
    /// Where background work (the filter, the index build) answers: the run loop's channel in the
    /// console, [`App::wait_idle`]'s own in tests and benchmarks.
    pub background_tx: Sender<Msg>,
    background_rx: Option<Receiver<Msg>>,
    /// Filter requests not answered yet.
    awaiting: usize,
    worker: Option<FilterWorker>,
    /// Tickets were written since the filter worker loaded them.
    filter_stale: bool,
    index_build_started: bool,
    /// The `[mail]` config: replies are mailed when it has `[mail.outbound]`.
    pub mail: Option<crate::config::MailConfig>,
    /// The data folder, where a relative outbound Maildir is.
    pub data_dir: std::path::PathBuf,
    /// Live updates and presence (the console; tests deliver [`Msg::StoreChanged`] by hand).
    pub live: Option<super::live::Watcher>,
    /// The SLA policies the queue's clocks follow (none: no clocks).
    pub sla: crate::domain::sla::Policies,
    /// A countdown refresh is already on its way.
    sla_tick_scheduled: bool,
    /// A thread is working out the due times the queue is sorted by.
    due_refresh_started: bool,
    /// This console has made the desk's due times follow its policies (once; see `Store::refresh_due`).
    due_adopted: bool,
    /// Mail a satisfaction survey when a ticket is solved (`[sla] csat_survey`).
    pub csat_survey: bool,
    /// Pending tickets unanswered this many days are offered for solving (`[sla] solve_pending_after_days`).
    pub stale_days: u32,
}

impl App {
    pub fn new(state: super::state::State, store: Store) -> App {
        let (background_tx, background_rx) = std::sync::mpsc::channel();
        App {
            state,
            store,
            timer_tx: None,
            terminal_requests: Vec::new(),
            background_tx,
            background_rx: Some(background_rx),
            awaiting: 0,
            worker: None,
            filter_stale: false,
            index_build_started: false,
            mail: None,
            data_dir: std::path::PathBuf::new(),
            live: None,
            sla: Default::default(),
            sla_tick_scheduled: false,
            due_refresh_started: false,
            due_adopted: false,
            csat_survey: false,
            stale_days: crate::config::DEFAULT_STALE_DAYS,
        }
    }

    /// Send background answers to the run loop's channel instead of keeping them for `wait_idle`.
    pub fn answer_to(&mut self, tx: Sender<Msg>) {
        self.background_tx = tx;
        self.background_rx = None;
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

    /// Wait until every filter request has been answered, handling the answers (tests and
    /// benchmarks; the console's run loop gets them through its channel instead).
    pub fn wait_idle(&mut self) {
        while self.awaiting > 0 {
            let Some(rx) = &self.background_rx else { return };
            match rx.recv_timeout(Duration::from_secs(30)) {
                Ok(msg) => self.handle(msg),
                Err(_) => return,
            }
        }
    }

    /// Work that must not delay the first frame: building the search index if it is incomplete,
    /// and counting the pending tickets to offer for solving.
    pub fn after_first_frame(&mut self) {
        for effect in [Effect::BuildIndex, Effect::FindStale] {
            if let Some(msg) = self.perform(effect) {
                self.handle(msg);
            }
        }
    }

    /// Feed `msg` to `update`, run the effects it asks for, and feed their answers back.
    pub fn handle(&mut self, msg: Msg) {
        let mut pending = VecDeque::from([msg]);
        while let Some(msg) = pending.pop_front() {
            if matches!(msg, Msg::FilterMatched { .. }) {
                self.awaiting = self.awaiting.saturating_sub(1);
            }
            if matches!(msg, Msg::SlaTick) {
                self.sla_tick_scheduled = false;
            }
            if matches!(msg, Msg::DueRefreshed) {
                self.due_refresh_started = false;
            }
            for effect in super::update::update(&mut self.state, msg) {
                pending.extend(self.perform(effect));
            }
        }
        if let Some(live) = &self.live {
            live.show(&self.state);
        }
    }

    fn perform(&mut self, effect: Effect) -> Option<Msg> {
        let result = match effect {
            Effect::OpenEditor { .. } | Effect::Suspend | Effect::ClearScreen | Effect::Copy { .. } => {
                self.terminal_requests.push(effect);
                return None;
            }
            Effect::ScheduleDraftSave => {
                self.schedule(Msg::DraftDue, DRAFT_SAVE_DELAY);
                return None;
            }
            Effect::Filter { generation, view, query } => {
                let refresh = std::mem::take(&mut self.filter_stale);
                let filter = self.state.view_filter(view);
                let tx = self.background_tx.clone();
                let path = self.store.path().to_path_buf();
                let worker = self.worker.get_or_insert_with(|| FilterWorker::spawn(path, tx));
                worker.request(FilterRequest { generation, filter, query, refresh });
                self.awaiting += 1;
                return None;
            }
            Effect::BuildIndex => {
                self.start_index_build();
                return None;
            }
            effect => self.perform_store(effect),
        };
        Some(result.unwrap_or_else(failure))
    }

    fn perform_store(&mut self, effect: Effect) -> Result<Msg, StoreError> {
        let me = self.state.agent.login.clone();
        match effect {
            Effect::LoadQueue { view, after } => self.load_queue(view, after, self.state.page_size),
            Effect::ReloadQueue { view, rows } => self.load_queue(view, None, rows.max(self.state.page_size)),
            Effect::LoadCounts => {
                let mut counts = Vec::new();
                for view in self.state.tabs() {
                    counts.push(self.store.count_tickets(&self.state.view_filter(view))?);
                }
                Ok(Msg::CountsLoaded(counts))
            }
            Effect::LoadTicket(id) => {
                let detail = self.store.ticket_detail(id)?;
                let customer_tickets = self.store.customer_tickets(detail.ticket.customer_id, 50)?;
                let draft = self.store.draft(id, &me)?;
                let now = self.state.now;
                let keep = super::profile_keep::load(&self.store, &self.sla, &detail.ticket, &customer_tickets, now)?;
                Ok(Msg::TicketLoaded { detail: Box::new(detail), customer_tickets, draft, keep })
            }
            Effect::LoadDirectory => {
                Ok(Msg::DirectoryLoaded { agents: self.store.agents()?, tags: self.store.popular_tags(200)? })
            }
            Effect::Snooze { id, until } => {
                self.filter_stale = true;
                Ok(Msg::TicketChanged(self.store.snooze_ticket(id, until, &me)?))
            }
            Effect::SaveNotes { customer, notes, ticket } => {
                self.store.update_customer(customer, None, Some(&notes))?;
                Ok(Msg::TicketChanged(self.store.ticket(ticket)?))
            }
            Effect::Nps { customer, score, ticket } => {
                self.store.rate_nps(customer, score, "", &me)?;
                Ok(Msg::TicketChanged(self.store.ticket(ticket)?))
            }
            Effect::FindSimilarCustomers { customer } => {
                Ok(Msg::SimilarCustomers { customer, found: self.store.similar_customers(customer, 20)? })
            }
            Effect::MergeCustomers { from, into, ticket } => {
                self.filter_stale = true;
                let merged = self.store.merge_customers(from, into, &me)?;
                Ok(Msg::CustomersMerged { from, into: merged, ticket })
            }
            Effect::MergeTickets { from, into } => {
                self.filter_stale = true;
                Ok(Msg::TicketChanged(self.store.merge_tickets(from, into, &me)?))
            }
            Effect::Rate { id, csat } => Ok(Msg::TicketChanged(self.store.rate_ticket(id, csat, "", &me)?)),
            Effect::UpdateTicket { id, version, change } => {
                self.filter_stale = true;
                let before = self.store.ticket(id)?.status;
                let ticket = self.store.update_ticket(id, version, &change, &me)?;
                self.survey_if_solved(&ticket, before);
                Ok(Msg::TicketChanged(ticket))
            }
            Effect::FindStale => {
                let count = self.store.count_stale_pending(self.stale_before())? as usize;
                Ok(Msg::Stale { count, days: self.stale_days, solved: false })
            }
            Effect::SolveStale => {
                self.filter_stale = true;
                let solved = self.store.solve_stale_pending(self.stale_before(), &me)?;
                for ticket in &solved {
                    self.survey_if_solved(ticket, crate::domain::Status::Pending);
                }
                Ok(Msg::Stale { count: solved.len(), days: self.stale_days, solved: true })
            }
            Effect::ApplyMacro { ticket, name, change } => {
                self.filter_stale = true;
                let current = self.store.ticket(ticket)?;
                let changed = self.store.update_ticket(ticket, current.version, &change, &me).map_err(|e| {
                    StoreError::Invalid(format!("the message was sent, but canned reply '{name}' changed nothing: {e}"))
                })?;
                self.survey_if_solved(&changed, current.status);
                Ok(Msg::TicketChanged(changed))
            }
            Effect::LoadNarrowRows { generation, ids, append } => {
                Ok(Msg::NarrowRowsLoaded { generation, rows: self.store.tickets_by_ids(&ids)?, append })
            }
            Effect::Search { generation, text } => {
                let result = match crate::domain::search::SearchQuery::parse(&text, self.state.utc_offset) {
                    Ok(query) => Ok(self.store.search(&query, &me, SEARCH_LIMIT)?),
                    Err(problem) => Err(problem),
                };
                Ok(Msg::SearchDone { generation, result })
            }
            Effect::Send { ticket, kind, body, expect_last } => {
                self.filter_stale = true;
                let undelivered = match self.send(ticket, kind, &body, expect_last) {
                    Err(StoreError::NewerMessages { ticket, newer }) => {
                        let newest = newer.last().map_or(0, |m| m.id);
                        let message = StoreError::NewerMessages { ticket, newer }.to_string();
                        return Ok(Msg::SendStopped { ticket, newest, message });
                    }
                    other => other?,
                };
                self.store.delete_draft(ticket, &me)?;
                Ok(Msg::MessageSent { ticket, kind, undelivered })
            }
            Effect::DeleteDraft { ticket } => {
                self.store.delete_draft(ticket, &me)?;
                Ok(Msg::DraftSaved)
            }
            Effect::Claim { ticket, seen_owner } => {
                self.filter_stale = true;
                Ok(Msg::TicketChanged(self.store.claim_ticket(ticket, &me, seen_owner.as_deref())?))
            }
            Effect::SaveDraft { ticket, kind, body } => {
                self.store.save_draft(ticket, &me, kind, &body)?;
                Ok(Msg::DraftSaved)
            }
            Effect::ResumeDraft { ticket, .. } => {
                Ok(Msg::DraftLoaded { ticket, draft: self.store.draft(ticket, &me)? })
            }
            Effect::OpenEditor { .. }
            | Effect::Suspend
            | Effect::ClearScreen
            | Effect::Copy { .. }
            | Effect::ScheduleDraftSave
            | Effect::Filter { .. }
            | Effect::BuildIndex => Ok(Msg::DraftSaved),
        }
    }

    /// Pending tickets last changed before this have waited too long for the customer.
    fn stale_before(&self) -> crate::domain::Timestamp {
        chrono::Utc::now() - chrono::Duration::days(i64::from(self.stale_days))
    }

    /// Up to `limit` rows of `view` after `after` (all of it again when `after` is `None`), with
    /// their SLA clocks, and the timer for when those next change.
    fn load_queue(
        &mut self,
        view: super::state::View,
        after: Option<crate::store::PageCursor>,
        limit: usize,
    ) -> Result<Msg, StoreError> {
        self.refresh_due();
        let filter = self.state.view_filter(view);
        let mut page = self.store.list_page(&filter, after, limit + 1)?;
        let has_more = page.len() > limit;
        page.truncate(limit);
        let next = page.last().map(|(_, cursor)| *cursor);
        let rows: Vec<_> = page.into_iter().map(|(ticket, _)| ticket).collect();
        let sla = super::sla::load(&self.store, &self.sla, (&rows, next), &filter, self.state.now)?;
        if let Some(tick) = super::sla::next_tick(&sla, self.state.now).filter(|_| !self.sla_tick_scheduled) {
            self.sla_tick_scheduled = true;
            self.schedule(Msg::SlaTick, tick);
        }
        Ok(Msg::QueueLoaded { view, rows, append: after.is_some(), has_more, sla })
    }

    /// Bring the due times the queue is sorted by up to date: a few short steps here; what is left
    /// (after the policies changed on a large desk) on a thread with its own connection, which
    /// asks for the queue to be reloaded when it is done.
    fn refresh_due(&mut self) {
        if self.due_refresh_started {
            return;
        }
        let deadline = std::time::Instant::now() + DUE_REFRESH_BUDGET;
        let adopt = !std::mem::replace(&mut self.due_adopted, true);
        loop {
            match self.store.refresh_due(&self.sla, crate::store::DUE_BATCH, adopt) {
                Ok(0) => return,
                Ok(_) if std::time::Instant::now() < deadline => {}
                Ok(_) => break,
                // Another agent is writing: the next load tries again.
                Err(StoreError::Busy) => return,
                Err(error) => {
                    tracing::warn!(%error, "working out SLA due times");
                    return;
                }
            }
        }
        self.due_refresh_started = true;
        let path = self.store.path().to_path_buf();
        let policies = self.sla.clone();
        let tx = self.background_tx.clone();
        std::thread::spawn(move || {
            let Ok(store) = Store::open(&path) else { return };
            loop {
                match store.refresh_due(&policies, crate::store::DUE_BATCH, false) {
                    Ok(0) => break,
                    Ok(_) | Err(StoreError::Busy) => std::thread::sleep(Duration::from_millis(2)),
                    Err(error) => {
                        tracing::warn!(%error, "working out SLA due times");
                        break;
                    }
                }
            }
            let _ = tx.send(Msg::DueRefreshed);
        });
    }

    /// Index the tickets the search index does not have yet, on a thread with its own connection,
    /// in short write transactions so other agents' writes wait at most one step.
    fn start_index_build(&mut self) {
        if self.index_build_started || !matches!(self.store.search_index_pending(), Ok(Some(_))) {
            return;
        }
        self.index_build_started = true;
        let path = self.store.path().to_path_buf();
        let tx = self.background_tx.clone();
        std::thread::spawn(move || {
            let Ok(store) = Store::open(&path) else { return };
            loop {
                match store.search_index_pending() {
                    Ok(Some(p)) => {
                        let done = (p.total - p.pending) * 100 / p.total.max(1);
                        let _ = tx.send(Msg::IndexBuild(Some(done as u8)));
                    }
                    Ok(None) => break,
                    Err(error) => {
                        tracing::warn!(%error, "search index build");
                        return;
                    }
                }
                match store.build_search_index_step(crate::store::search::INDEX_BATCH) {
                    Ok(true) => break,
                    Ok(false) => {}
                    Err(StoreError::Busy) => {}
                    Err(error) => {
                        tracing::warn!(%error, "search index build");
                        let _ = tx.send(Msg::Failed(format!("building the search index failed: {error}")));
                        return;
                    }
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            let _ = tx.send(Msg::IndexBuild(None));
        });
    }

    /// Store the message; a reply is also mailed when the config says how. Notes never are.
    fn send(
        &mut self,
        ticket: i64,
        kind: MessageKind,
        body: &str,
        expect_last: Option<i64>,
    ) -> Result<Option<String>, StoreError> {
        let outbound = Outbound::from_config(self.mail.as_ref(), &self.data_dir).filter(|_| kind == MessageKind::Reply);
        let me = &self.state.agent.login;
        let Some(outbound) = outbound else {
            match expect_last {
                Some(last) => self.store.add_message_unless_newer(ticket, kind, me, body, last)?,
                None => self.store.add_message(ticket, kind, me, body, None)?,
            };
            return Ok(None);
        };
        match outbound.send_reply(&self.store, &self.state.agent, ticket, body, expect_last) {
            Ok((_, delivered)) => Ok(delivered.err()),
            Err(SendError::Store(e)) => Err(e),
            Err(other) => Err(StoreError::Invalid(other.to_string())),
        }
    }

    /// Mail the customer the satisfaction survey when the ticket was just solved and the config asks.
    fn survey_if_solved(&self, ticket: &crate::domain::Ticket, before: crate::domain::Status) {
        use crate::domain::Status;
        if !self.csat_survey || before == Status::Solved || ticket.status != Status::Solved {
            return;
        }
        let Some(outbound) = Outbound::from_config(self.mail.as_ref(), &self.data_dir) else { return };
        if let Err(error) = crate::mail::survey::send_survey(&outbound, &self.store, ticket.id) {
            tracing::warn!(%error, ticket = ticket.id, "satisfaction survey not mailed");
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
        StoreError::Conflict { ticket, .. } | StoreError::Taken { ticket, .. } => {
            Msg::Conflict { ticket, message: error.to_string() }
        }
        other => Msg::Failed(other.to_string()),
    }
}

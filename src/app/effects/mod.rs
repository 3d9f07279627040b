//! The only console code that does I/O. `App` runs `update` on the console's thread and hands
//! every effect that touches the store to the store worker, mail to the mail worker, matching to
//! the filter worker; they answer with messages on the console's channel. Nothing that can take
//! longer than a frame runs on the console's thread.

mod arrivals;
pub mod attachments;
mod background;
pub mod filter;
pub mod large_tab_filter;
mod mail;
mod profile_facts;
pub mod queue_page;
mod records;
mod report;
mod rules;
mod store;
mod undo;
pub mod watcher;

pub use store::SEARCH_LIMIT;

use crate::app::model::message::{Effect, Msg, Worker};
use crate::app::model::state::State;
use crate::mail::outbound::Outbound;
use crate::store::Store;
use filter::{FilterRequest, FilterWorker};
use mail::MailWorker;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;
use store::{Job, Settings, StoreWorker};

/// How long after the last keystroke a draft is saved.
pub const DRAFT_SAVE_DELAY: Duration = Duration::from_millis(1500);

/// How long the queue shows a tab before the filter reads its tickets ahead: not before the first
/// frame, nor for each tab passed on the way to another.
const READ_AHEAD_DELAY: Duration = Duration::from_millis(300);

/// How long a wait for the workers lasts at most before giving up (a stuck worker).
const WAIT_LIMIT: Duration = Duration::from_secs(30);

pub struct App {
    pub state: State,
    /// The store, until `start` hands it to the store worker.
    store: Option<Store>,
    db: PathBuf,
    workers: Option<(StoreWorker, Option<MailWorker>)>,
    /// Mail answers handled.
    mail_handled: usize,
    /// Where timers send their messages; `None` in tests, which deliver them by hand.
    pub timer_tx: Option<Sender<Msg>>,
    /// Effects that need the terminal (editor, suspend, clear), for the run loop.
    pub terminal_requests: Vec<Effect>,
    /// Where the workers answer: the run loop's channel in the console, [`App::wait_idle`]'s own
    /// in tests and benchmarks.
    pub background_tx: Sender<Msg>,
    background_rx: Option<Receiver<Msg>>,
    /// Filter requests not answered yet.
    awaiting: usize,
    filter: Option<FilterWorker>,
    /// Tickets were written since the filter worker loaded them.
    filter_stale: bool,
    /// The tab whose tickets the filter worker was last asked to load ahead.
    filter_prepared: Option<crate::app::model::views::View>,
    /// A read ahead is on its way.
    read_ahead_scheduled: bool,
    /// A countdown refresh is already on its way.
    sla_tick_scheduled: bool,
    /// Live updates and presence (the console; tests deliver [`Msg::StoreChanged`] by hand).
    pub watcher: Option<watcher::Watcher>,
    // Settings, read when `start` starts the workers.
    /// The `[mail]` config: replies are mailed when it has `[mail.outbound]`.
    pub mail: Option<crate::config::MailConfig>,
    /// The data folder, where a relative outbound Maildir is.
    pub data_dir: PathBuf,
    /// The SLA policies the queue's clocks follow (none: no clocks).
    pub sla: crate::domain::sla::Policies,
    /// Mail a satisfaction survey when a ticket is solved (`[sla] csat_survey`).
    pub csat_survey: bool,
    /// Pending tickets unanswered this many days are offered for solving (`[sla] solve_pending_after_days`).
    pub stale_days: u32,
    /// Where attachments are saved (none: the download folder, else the home folder).
    pub download_dir: Option<PathBuf>,
    /// The command that opens an attachment (none: `xdg-open`, or `open` on macOS).
    pub opener: Option<String>,
    /// Steps a customer's tier raises a new ticket's priority (`[sla.raise_priority]`).
    pub tier_raise: std::collections::BTreeMap<String, u8>,
    /// The hours of tickets no SLA policy names (`sla.hours`), for the reports screen.
    pub sla_hours: crate::domain::sla::Hours,
    /// The reports screen's reads, started with the first one.
    reports: Option<report::ReportWorker>,
    /// Tabs of up to this many tickets are filtered in memory, larger ones through the filter index.
    pub filter_in_memory_up_to: usize,
    /// The desk's rules (the config's and `rules/*.toml`): the agent's replies, status changes and
    /// new tickets fire them, as the same commands do.
    pub rules: Vec<crate::domain::rules::Rule>,
}

impl App {
    pub fn new(state: State, store: Store) -> App {
        let (background_tx, background_rx) = std::sync::mpsc::channel();
        App {
            state,
            db: store.path().to_path_buf(),
            store: Some(store),
            workers: None,
            mail_handled: 0,
            timer_tx: None,
            terminal_requests: Vec::new(),
            background_tx,
            background_rx: Some(background_rx),
            awaiting: 0,
            filter: None,
            filter_stale: false,
            filter_prepared: None,
            read_ahead_scheduled: false,
            sla_tick_scheduled: false,
            watcher: None,
            mail: None,
            data_dir: PathBuf::new(),
            sla: Default::default(),
            csat_survey: false,
            stale_days: crate::config::DEFAULT_STALE_DAYS,
            download_dir: None,
            opener: None,
            tier_raise: Default::default(),
            sla_hours: crate::domain::sla::Hours::Calendar,
            reports: None,
            filter_in_memory_up_to: filter::IN_MEMORY_UP_TO,
            rules: Vec::new(),
        }
    }

    /// The database file the console works on.
    pub fn db_path(&self) -> &std::path::Path {
        &self.db
    }

    /// Send the workers' answers to the run loop's channel instead of keeping them for `wait_idle`.
    pub fn answer_to(&mut self, tx: Sender<Msg>) {
        self.background_tx = tx;
        self.background_rx = None;
    }

    /// Start the workers with the settings as they are now, and ask for the first loads: the
    /// queue, the counts, the agents and tags for the pickers.
    pub fn start(&mut self) {
        self.start_workers();
        let view = self.state.view;
        self.state.queue.loading = true;
        let starts = [
            Effect::LoadQueue { view, after: None },
            Effect::LoadCounts,
            Effect::LoadDirectory,
            Effect::FindArrivals { after: None },
        ];
        for effect in starts {
            self.perform(effect);
        }
    }

    fn start_workers(&mut self) {
        let Some(store) = self.store.take() else { return };
        let answers = self.background_tx.clone();
        let mailing = Outbound::from_config(self.mail.as_ref(), &self.data_dir).is_some();
        let mail = self
            .mail
            .clone()
            .filter(|_| mailing)
            .map(|config| MailWorker::spawn(self.db.clone(), config, self.data_dir.clone(), answers.clone()));
        let settings = Settings {
            agent: self.state.agent.clone(),
            policies: self.sla.clone(),
            mail: self.mail.clone(),
            data_dir: self.data_dir.clone(),
            csat_survey: self.csat_survey,
            stale_days: self.stale_days,
            download_dir: self.download_dir.clone().unwrap_or_else(attachments::download_dir),
            opener: self.opener.clone().unwrap_or_else(|| attachments::SYSTEM_OPENER.to_string()),
            tier_raise: self.tier_raise.clone(),
            rules: self.rules.clone(),
        };
        let worker = StoreWorker::spawn(store, settings, answers, mail.clone());
        self.workers = Some((worker, mail));
    }

    /// Wait until the store and filter workers have answered everything asked of them, handling
    /// the answers (tests, benchmarks, and the console before its first frame). Mail still being
    /// delivered is not waited for.
    pub fn wait_for_store(&mut self) {
        self.wait(false);
    }

    /// Like [`App::wait_for_store`], and until every mail asked for is delivered or failed.
    pub fn wait_idle(&mut self) {
        self.wait(true);
    }

    fn wait(&mut self, for_mail: bool) {
        let Some(rx) = self.background_rx.take() else { return };
        self.wait_on(&rx, for_mail);
        self.background_rx = Some(rx);
    }

    /// Handle what arrives on `rx` until the workers have nothing left to answer.
    pub fn wait_on(&mut self, rx: &Receiver<Msg>, for_mail: bool) {
        let started = std::time::Instant::now();
        loop {
            if self.settled(for_mail) {
                // Every answer is handled; handle what else waits too (it may ask for more).
                let mut handled = false;
                while let Ok(msg) = rx.try_recv() {
                    self.handle(msg);
                    handled = true;
                }
                if !handled && self.settled(for_mail) {
                    return;
                }
                continue;
            }
            match rx.recv_timeout(WAIT_LIMIT.saturating_sub(started.elapsed())) {
                Ok(msg) => self.handle(msg),
                Err(_) => return,
            }
        }
    }

    fn settled(&self, for_mail: bool) -> bool {
        let (store, mail) = match &self.workers {
            Some((store, mail)) => (store.idle(), mail.as_ref().is_none_or(|m| m.idle(self.mail_handled))),
            None => (true, true),
        };
        store && self.awaiting == 0 && (mail || !for_mail)
    }

    /// Work that must not delay the first frame: building the search index if it is incomplete,
    /// and counting the pending tickets to offer for solving.
    pub fn after_first_frame(&mut self) {
        for effect in [Effect::BuildIndex, Effect::FindStale] {
            self.perform(effect);
        }
    }

    /// Feed `msg` to `update` and hand the effects it asks for to the workers.
    pub fn handle(&mut self, msg: Msg) {
        let msg = self.count_answer(msg);
        let mut pending = VecDeque::from([msg]);
        while let Some(msg) = pending.pop_front() {
            self.before_update(&msg);
            for effect in crate::app::update::update(&mut self.state, msg) {
                pending.extend(self.perform(effect));
            }
        }
        if let Some(watcher) = &self.watcher {
            watcher.show(&self.state);
        }
    }

    /// A worker's answer is counted and unwrapped.
    fn count_answer(&mut self, msg: Msg) -> Msg {
        let Msg::Answered { by, msg } = msg else { return msg };
        match (by, &mut self.workers) {
            (Worker::Store, Some((store, _))) => store.handled += 1,
            (Worker::Mail, _) => self.mail_handled += 1,
            (Worker::Store, None) => {}
        }
        *msg
    }

    /// What the runtime itself keeps track of in the messages that pass.
    fn before_update(&mut self, msg: &Msg) {
        match msg {
            Msg::FilterMatched { .. } | Msg::FilterMatchedSome { .. } | Msg::ReportLoaded { .. } => {
                self.awaiting = self.awaiting.saturating_sub(1)
            }
            Msg::SlaTick => self.sla_tick_scheduled = false,
            // Another process wrote: the filter's copy of the tab's tickets may be out of date.
            Msg::StoreChanged { desk_changed: true, .. } => self.filter_stale = true,
            // The tab shown now: the agent may have moved on meanwhile.
            Msg::ReadAheadDue { .. } => {
                self.read_ahead_scheduled = false;
                self.prepare_filter(self.state.view);
            }
            Msg::QueueLoaded { view, facts, .. } => {
                let read = self.filter_prepared != Some(*view) || self.filter_stale;
                if read && !self.read_ahead_scheduled {
                    self.read_ahead_scheduled = self.timer_tx.is_some();
                    self.schedule(Msg::ReadAheadDue { view: *view }, READ_AHEAD_DELAY);
                }
                if self.sla_tick_scheduled {
                    return;
                }
                if let Some(tick) = crate::app::model::queue::next_tick(facts, self.state.now) {
                    self.sla_tick_scheduled = true;
                    self.schedule(Msg::SlaTick, tick);
                }
            }
            _ => {}
        }
    }

    /// The queue has shown `view` a moment: have the filter worker load its tickets now, not when
    /// `/` is typed (on a large desk that takes longer than a frame): when the tab changes, and
    /// again after a write, not on every reload.
    fn prepare_filter(&mut self, view: crate::app::model::views::View) {
        if self.filter_prepared == Some(view) && !self.filter_stale {
            return;
        }
        self.filter_prepared = Some(view);
        let refresh = std::mem::take(&mut self.filter_stale);
        let filter = self.state.view_filter(view);
        self.filter_worker().prepare(filter, refresh);
    }

    fn filter_worker(&mut self) -> &FilterWorker {
        let (tx, path) = (self.background_tx.clone(), self.db.clone());
        let up_to = self.filter_in_memory_up_to;
        self.filter.get_or_insert_with(|| FilterWorker::spawn_with(path, tx, up_to))
    }

    /// Do `effect`, or hand it to its worker; a message to handle at once when there is one.
    fn perform(&mut self, effect: Effect) -> Option<Msg> {
        match effect {
            Effect::OpenEditor { .. } | Effect::Suspend | Effect::ClearScreen | Effect::Copy { .. } | Effect::Bell => {
                self.terminal_requests.push(effect);
            }
            Effect::ScheduleDraftSave => self.schedule(Msg::DraftDue, DRAFT_SAVE_DELAY),
            Effect::SchedulePreview { generation } => {
                self.schedule(Msg::PreviewDue { generation }, crate::app::update::PREVIEW_DELAY)
            }
            Effect::Filter { generation, view, query } => {
                let refresh = std::mem::take(&mut self.filter_stale);
                let filter = self.state.view_filter(view);
                self.filter_worker().request(FilterRequest { generation, filter, query, refresh });
                self.awaiting += 1;
            }
            Effect::LoadReport { generation, last, by } => {
                let request =
                    report::ReportRequest { generation, last, by, now: self.state.now, zone: self.state.zone };
                if !self.report_worker().request(request) {
                    return Some(Msg::ReportLoaded { generation, result: Err("the report worker stopped".into()) });
                }
                self.awaiting += 1;
            }
            effect => {
                self.filter_stale |= writes_tickets(&effect);
                let job = job_for(&self.state, effect);
                match &mut self.workers {
                    Some((worker, _)) => worker.send(job),
                    None => return Some(Msg::Failed("the console's store is not started".into())),
                }
            }
        }
        None
    }

    fn report_worker(&mut self) -> &report::ReportWorker {
        let rules = report::ReportRules { policies: self.sla.clone(), hours: self.sla_hours.clone() };
        let (tx, db) = (self.background_tx.clone(), self.db.clone());
        self.reports.get_or_insert_with(|| report::ReportWorker::spawn(db, rules, tx))
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

/// An effect with what the store worker needs of the state to carry it out.
fn job_for(state: &State, effect: Effect) -> Job {
    let filters = match &effect {
        Effect::LoadQueue { view, .. } | Effect::ReloadQueue { view, .. } => vec![state.view_filter(*view)],
        Effect::LoadCounts => state.tabs().into_iter().map(|view| state.view_filter(view)).collect(),
        // Arrivals are looked for in the tab shown and in Mine.
        Effect::FindArrivals { .. } => {
            vec![state.view_filter(state.view), state.view_filter(crate::app::model::views::View::Mine)]
        }
        _ => Vec::new(),
    };
    Job { effect, now: state.now, zone: state.zone, page_size: state.page_size, filters }
}

/// Effects after which the filter's copy of the tickets is out of date.
fn writes_tickets(effect: &Effect) -> bool {
    matches!(
        effect,
        Effect::Snooze { .. }
            | Effect::MergeCustomers { .. }
            | Effect::MergeTickets { .. }
            | Effect::UpdateTicket { .. }
            | Effect::SolveStale { .. }
            | Effect::Send { .. }
            | Effect::Claim { .. }
            | Effect::UpdateMarked { .. }
            | Effect::DeleteTicket { .. }
            | Effect::CreateTicket(_)
            | Effect::Undo { .. }
            | Effect::SaveCustomer { .. }
            | Effect::SaveOrganization { .. }
            | Effect::DeleteOrganization { .. }
    )
}

//! The store worker: the console's one connection, on a thread of its own. Effects arrive in the
//! order `update` asked for them, each answers one message; replies' mail and surveys go on to the
//! mail worker, so nothing the console waits for depends on the network.

use super::background::{self, DueTimes};
use super::mail::{MailJob, MailWorker};
use super::rules::RulesRun;
use super::{profile_facts, queue_page};
use crate::app::model::message::{BulkChange, BulkOutcome, Effect, Msg, Worker as Answering};
use crate::config::MailConfig;
use crate::domain::recipients::ReplyHeaders;
use crate::domain::rules::Rule;
use crate::domain::search::SearchQuery;
use crate::domain::sla::Policies;
use crate::domain::{Agent, MessageKind, PageCursor, SeenTicket, Status, Ticket, TicketFilter, Timestamp};
use crate::mail::outbound::{Outbound, SendError};
use crate::store::{Store, StoreError};
use std::path::PathBuf;
use std::sync::mpsc::{self, Sender};

/// Results a console search lists at most.
pub const SEARCH_LIMIT: usize = 100;

/// An effect with what it needs of the console's state, taken when `update` asked for it.
pub struct Job {
    pub effect: Effect,
    pub now: Timestamp,
    /// The agent's time zone, for dates typed in a search.
    pub zone: crate::domain::when::Zone,
    pub page_size: usize,
    /// The view's filter for a queue load; every tab's, in order, for the counts.
    pub filters: Vec<TicketFilter>,
}

/// What the worker works with besides the store; fixed when the console starts.
pub struct Settings {
    pub agent: Agent,
    pub policies: Policies,
    /// The `[mail]` config: replies are mailed when it has `[mail.outbound]`.
    pub mail: Option<MailConfig>,
    /// The data folder, where a relative outbound Maildir is.
    pub data_dir: PathBuf,
    /// Mail a satisfaction survey when a ticket is solved (`[sla] csat_survey`).
    pub csat_survey: bool,
    /// Pending tickets unanswered this many days are offered for solving.
    pub stale_days: u32,
    /// Where attachments are saved.
    pub download_dir: PathBuf,
    /// The command that opens an attachment, given its file.
    pub opener: String,
    /// Steps a customer's tier raises a new ticket's priority.
    pub tier_raise: std::collections::BTreeMap<String, u8>,
    /// The desk's rules, fired by the agent's replies, status changes and new tickets.
    pub rules: Vec<Rule>,
}

/// The console's handle on the store worker.
pub struct StoreWorker {
    jobs: Option<Sender<Job>>,
    /// Jobs sent, and answers handled by the console (each job answers once).
    sent: usize,
    pub handled: usize,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StoreWorker {
    pub fn spawn(store: Store, settings: Settings, answers: Sender<Msg>, mail: Option<MailWorker>) -> StoreWorker {
        let (jobs, rx) = mpsc::channel::<Job>();
        let due = DueTimes::new(settings.policies.clone());
        let mut worker = Worker { store, settings, due, answers, mail };
        let spawned = std::thread::Builder::new().name("store".into()).spawn(move || {
            for job in rx {
                let undoable = super::undo::undoable(&job.effect);
                let msg = worker.perform(job).map(|m| if undoable { super::undo::mark(m) } else { m });
                let msg = msg.unwrap_or_else(failure);
                let _ = worker.answers.send(Msg::Answered { by: Answering::Store, msg: Box::new(msg) });
            }
        });
        let thread = spawned.map_err(|error| tracing::error!(%error, "the store worker did not start")).ok();
        StoreWorker { jobs: Some(jobs), sent: 0, handled: 0, thread }
    }

    pub fn send(&mut self, job: Job) {
        if self.jobs.as_ref().is_some_and(|jobs| jobs.send(job).is_ok()) {
            self.sent += 1;
        }
    }

    /// Every job sent has been answered and the answer handled.
    pub fn idle(&self) -> bool {
        self.sent == self.handled
    }
}

impl Drop for StoreWorker {
    /// The jobs asked for are done (a draft saved on quit is saved), and the store is closed on
    /// its thread, so its WAL is checkpointed as a command's is.
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Replies that have waited in the outbox (past the grace the sending console has) while no desk
/// service has renewed its heartbeat for a while; 0 while one runs. Two small reads.
fn unserved_outbox(store: &Store, now: crate::domain::Timestamp) -> Result<u64, StoreError> {
    let gone = chrono::Duration::from_std(crate::serve::SERVICE_GONE_AFTER).unwrap_or_default();
    if store.service_alive_since(now - gone)? {
        return Ok(0);
    }
    let waited = chrono::Duration::milliseconds(crate::store::QUEUED_GRACE_MILLIS);
    Ok(store.outbox_waiting(now - waited)?.max(0) as u64)
}

/// A passing mailbox problem (the server restarting) is told once it has lasted this long.
const MAILBOX_PROBLEM_TOLD_AFTER: chrono::Duration = chrono::Duration::minutes(2);

/// What keeps a running service from reading a mailbox: the first problem, and how many more.
/// Nothing while no service runs (the outbox hint says so) or every mailbox is read.
fn unread_mailbox(store: &Store, now: crate::domain::Timestamp) -> Result<Option<String>, StoreError> {
    let gone = chrono::Duration::from_std(crate::serve::SERVICE_GONE_AFTER).unwrap_or_default();
    if !store.service_alive_since(now - gone)? {
        return Ok(None);
    }
    let problems = store.mailbox_problems(now - MAILBOX_PROBLEM_TOLD_AFTER)?;
    Ok(problems.first().map(|first| match problems.len() {
        1 => first.problem.clone(),
        n => format!("{} (and {} more mailboxes not read)", first.problem, n - 1),
    }))
}

struct Worker {
    store: Store,
    settings: Settings,
    due: DueTimes,
    answers: Sender<Msg>,
    mail: Option<MailWorker>,
}

impl Worker {
    fn perform(&mut self, job: Job) -> Result<Msg, StoreError> {
        let me = self.settings.agent.login.clone();
        let store = &self.store;
        match job.effect {
            Effect::LoadQueue { view, after } => self.queue(view, after, job.page_size, &job),
            Effect::ReloadQueue { view, rows } => self.queue(view, None, rows.max(job.page_size), &job),
            Effect::LoadCounts => {
                let counts = job.filters.iter().map(|f| store.count_tickets(f)).collect::<Result<_, _>>()?;
                let unserved_outbox = unserved_outbox(store, job.now)?;
                let unread_mailbox = unread_mailbox(store, job.now)?;
                Ok(Msg::CountsLoaded { counts, waiting: store.needs_reply_summary()?, unserved_outbox, unread_mailbox })
            }
            Effect::LoadTicket(id) => self.ticket(id, job.now, job.zone),
            Effect::LoadDirectory => {
                Ok(Msg::DirectoryLoaded { agents: store.agents()?, tags: store.popular_tags(200)? })
            }
            Effect::Snooze { id, version, until } => {
                Ok(Msg::Snoozed { ticket: store.snooze_ticket_seen(id, Some(version), until, &me)?, until })
            }
            Effect::SaveNotes { customer, seen, notes, ticket } => match store
                .save_notes_seen(customer, &seen, &notes, &me)
            {
                Err(e @ StoreError::NotesChanged { .. }) => Ok(Msg::NotesRefused { customer, notes, message: said(e) }),
                saved => {
                    saved?;
                    Ok(Msg::TicketChanged(store.ticket(ticket)?))
                }
            },
            effect @ (Effect::OpenOrganization { .. }
            | Effect::SaveOrganization { .. }
            | Effect::AskDeleteOrganization { .. }
            | Effect::DeleteOrganization { .. }
            | Effect::ListAgents
            | Effect::SaveAgent { .. }) => super::records::perform(store, &me, effect),
            Effect::SaveCustomer { seen, change, ticket } => match store.edit_customer_seen(&seen, &change, &me) {
                Ok(customer) => Ok(Msg::CustomerSaved { customer: Box::new(customer), ticket }),
                Err(e @ StoreError::CustomerEdited { .. }) => {
                    let now = store.customer(seen.id)?;
                    Ok(Msg::CustomerRefused { message: said(e), now: Some(Box::new(now)) })
                }
                // Any other failure leaves the form too, to fix or try again.
                Err(e) => Ok(Msg::CustomerRefused { message: said(e), now: None }),
            },
            Effect::Nps { customer, score, ticket } => {
                store.rate_nps(customer, score, "", &me)?;
                Ok(Msg::TicketChanged(store.ticket(ticket)?))
            }
            Effect::FindSimilarCustomers { customer } => Ok(Msg::SimilarCustomers {
                customer,
                this: Box::new(store.customer_summary(customer)?),
                found: store.similar_customers(customer, 20)?,
            }),
            Effect::MergeCustomers { from, into, ticket, seen } => {
                match store.merge_customers_seen(from, into, Some((&seen.0, &seen.1)), &me) {
                    Ok(into) => Ok(Msg::CustomersMerged { from, into, ticket }),
                    // The customers are shown again as they now are.
                    Err(e @ StoreError::CustomerChanged { .. }) => Ok(Msg::Conflict { ticket, message: e.to_string() }),
                    Err(e) => Err(e),
                }
            }
            Effect::MergeTickets { from, into, seen } => {
                let before = store.ticket(from)?.status;
                let ticket = store.merge_tickets_seen(from, into, Some(seen), &me)?;
                let ran = super::rules::after_merge(store, &self.settings, (from, into), before);
                Ok(ran.answer(Msg::TicketChanged(ticket)))
            }
            Effect::Rate { id, version, csat } => {
                Ok(Msg::TicketChanged(store.rate_ticket_seen(id, Some(version), csat, "", &me)?))
            }
            Effect::UpdateTicket { id, version, change } => {
                let before = store.ticket(id)?.status;
                let ticket = store.update_ticket(id, version, &change, &me)?;
                let ran = self.run_rules(id, false, before);
                let ticket = ran.reread(store, ticket);
                self.survey_if_solved(&ticket, before);
                Ok(ran.answer(Msg::TicketChanged(ticket)))
            }
            Effect::FindStale => {
                let count = store.count_stale_pending(self.stale_before(), Some(&me))? as usize;
                Ok(Msg::Stale { count, days: self.settings.stale_days, solved: false })
            }
            Effect::OfferStale => {
                let before = self.stale_before();
                let owners = store.stale_pending_owners(before)?;
                Ok(Msg::StaleOffer { before, days: self.settings.stale_days, owners })
            }
            // Solved as counted for the question: the time it was asked stays the line.
            Effect::SolveStale { before, owner } => {
                let solved = store.solve_stale_pending(before, owner.as_deref(), &me)?;
                let mut ran = RulesRun::default();
                for ticket in &solved {
                    let this = self.run_rules(ticket.id, false, Status::Pending);
                    let now = this.reread(store, ticket.clone());
                    ran.add(this);
                    self.survey_if_solved(&now, Status::Pending);
                }
                Ok(ran.answer(Msg::Stale { count: solved.len(), days: self.settings.stale_days, solved: true }))
            }
            Effect::UpdateMarked { tickets, change, what } => {
                let (outcome, ran) = self.update_marked(&tickets, &change, what);
                Ok(ran.answer(Msg::MarkedUpdated(outcome)))
            }
            Effect::LoadFoundRows { generation, ids, append } => {
                Ok(Msg::FoundRowsLoaded { generation, rows: store.tickets_by_ids(&ids)?, append })
            }
            Effect::Search { generation, text } => {
                let result = match SearchQuery::parse(&text, job.zone) {
                    Ok(query) => Ok(self.store.search(&query, &me, SEARCH_LIMIT)?),
                    Err(problem) => Err(problem),
                };
                Ok(Msg::SearchDone { generation, result })
            }
            Effect::Send { ticket, kind, body, expect_last, version, change, headers } => {
                let seen = SeenTicket { last_message: expect_last, version };
                let sent = self.send(ticket, (kind, &body, &headers), seen, &change);
                Ok(sent.unwrap_or_else(|error| Msg::SendFailed { ticket, message: said(error) }))
            }
            Effect::DeleteDraft { ticket } => {
                store.delete_draft(ticket, &me)?;
                Ok(Msg::DraftSaved)
            }
            Effect::Claim { ticket, seen_owner, version } => {
                Ok(Msg::TicketChanged(store.claim_ticket_seen(ticket, &me, seen_owner.as_deref(), Some(version))?))
            }
            Effect::SaveDraft { ticket, kind, body } => {
                store.save_draft(ticket, &me, kind, &body)?;
                Ok(Msg::DraftSaved)
            }
            Effect::ResumeDraft { ticket, .. } => Ok(Msg::DraftLoaded { ticket, draft: store.draft(ticket, &me)? }),
            Effect::BuildIndex => Ok(Msg::IndexBuild(background::start_index_build(store, &self.answers).then_some(0))),
            Effect::FindArrivals { after } => super::arrivals::find(store, after, &me, &job.filters),
            Effect::DeleteTicket { id, version } if self.settings.agent.is_admin() => {
                Ok(Msg::TicketDeleted(store.delete_ticket_seen(id, version, &me)?))
            }
            Effect::DeleteTicket { .. } => Ok(Msg::Failed("only an admin can delete tickets".into())),
            Effect::SaveAttachment { id } => super::attachments::save(store, id, &self.settings.download_dir),
            Effect::OpenAttachment { id } => super::attachments::open(store, id, &self.settings.opener, &self.answers),
            Effect::FindCustomers { generation, text } => Ok(match store.find_customers(&text, 8) {
                Ok(found) => Msg::CustomersFound { generation, found },
                Err(error) => Msg::LookupFailed { generation, message: said(error) },
            }),
            Effect::Undo { ticket, version } => super::undo::undo(store, &self.settings, (ticket, version), job.zone),
            Effect::CreateTicket(new) => Ok(self.create(&new).unwrap_or_else(|e| Msg::CreateFailed(said(e)))),
            // The console's own effects never come here.
            Effect::OpenEditor { .. }
            | Effect::Suspend
            | Effect::ClearScreen
            | Effect::Copy { .. }
            | Effect::ScheduleDraftSave
            | Effect::SchedulePreview { .. }
            | Effect::Bell
            | Effect::Filter { .. }
            | Effect::LoadReport { .. } => Ok(Msg::DraftSaved),
        }
    }

    /// The new-ticket form's ticket, its priority raised for the customer's tier, and what the
    /// `new_ticket` rules do to it, in one write (as `ticket new` does).
    fn create(&self, new: &crate::domain::NewTicket) -> Result<Msg, StoreError> {
        let me = &self.settings.agent.login;
        let steps = |tier: crate::domain::Tier| self.settings.tier_raise.get(tier.as_str()).copied().unwrap_or(0);
        let (ticket, ran) = self.store.in_one_write(|| {
            let created = self.store.create_ticket(new, me)?;
            let ticket = self.store.raise_priority_for_tier(created.id, &steps)?;
            Ok((ticket.id, super::rules::on_new_ticket(&self.store, &self.settings, ticket.id)?))
        })?;
        Ok(ran.answer(Msg::TicketCreated(self.store.ticket(ticket)?)))
    }

    /// The rules the agent's change to ticket `id` fires once it is stored.
    fn run_rules(&self, id: i64, replied: bool, before: Status) -> RulesRun {
        super::rules::after_agent(&self.store, &self.settings, (id, replied, before))
    }

    /// Change each marked ticket in its own write, if it is still at the version the agent saw;
    /// the rules each change fires run after it.
    fn update_marked(&self, tickets: &[(i64, i64)], change: &BulkChange, what: String) -> (BulkOutcome, RulesRun) {
        let me = &self.settings.agent.login;
        let mut ran = RulesRun::default();
        let mut outcome = BulkOutcome { what, changed: Vec::new(), meanwhile: Vec::new(), failed: Vec::new() };
        for &(id, seen) in tickets {
            let before = match self.store.ticket(id) {
                Ok(ticket) => ticket,
                Err(e) => {
                    outcome.failed.push((id, e.to_string()));
                    continue;
                }
            };
            let written = match change {
                BulkChange::Ticket(change) => self.store.update_ticket(id, seen, change, me),
                // Checked in the snooze's own write, so a change landing just before it is seen.
                BulkChange::Snooze(until) => self.store.snooze_ticket_seen(id, Some(seen), *until, me),
            };
            match written {
                Ok(ticket) => {
                    let this = self.run_rules(id, false, before.status);
                    let ticket = this.reread(&self.store, ticket);
                    self.survey_if_solved(&ticket, before.status);
                    ran.add(this);
                    outcome.changed.push(id);
                }
                Err(StoreError::Conflict { actual, .. }) => outcome.meanwhile.push((id, actual)),
                Err(e) => outcome.failed.push((id, e.to_string())),
            }
        }
        (outcome, ran)
    }

    /// Pending tickets last changed before this have waited too long for the customer.
    fn stale_before(&self) -> Timestamp {
        chrono::Utc::now() - chrono::Duration::days(i64::from(self.settings.stale_days))
    }

    /// Up to `limit` rows of the view after `after` (all of it again when `after` is `None`), with
    /// their SLA clocks.
    fn queue(
        &mut self,
        view: crate::app::model::views::View,
        after: Option<PageCursor>,
        limit: usize,
        job: &Job,
    ) -> Result<Msg, StoreError> {
        self.due.refresh(&self.store, &self.answers);
        let filter = job.filters.first().cloned().unwrap_or_default();
        let mut page = self.store.list_page(&filter, after, limit + 1)?;
        let has_more = page.len() > limit;
        page.truncate(limit);
        let next = page.last().map(|(_, cursor)| *cursor);
        let rows: Vec<Ticket> = page.into_iter().map(|(ticket, _)| ticket).collect();
        let facts = queue_page::load(&self.store, self.due.policies(), (&rows, next), &filter, job.now)?;
        Ok(Msg::QueueLoaded { view, rows, append: after.is_some(), has_more, facts })
    }

    fn ticket(&self, id: i64, now: Timestamp, zone: crate::domain::when::Zone) -> Result<Msg, StoreError> {
        let store = &self.store;
        let detail = store.ticket_detail(id)?;
        let customer_tickets = store.customer_tickets(detail.ticket.customer_id, 50)?;
        let draft = store.draft(id, &self.settings.agent.login)?;
        let facts = profile_facts::load(store, self.due.policies(), &detail.ticket, &customer_tickets, now, zone)?;
        Ok(Msg::TicketLoaded { detail: Box::new(detail), customer_tickets, draft, facts })
    }

    /// Store the message; a reply's mail is queued in the same transaction and handed to the mail
    /// worker when the config says how to mail. Notes never are.
    fn send(
        &self,
        ticket: i64,
        (kind, body, headers): (MessageKind, &str, &ReplyHeaders),
        seen: SeenTicket,
        change: &crate::domain::TicketChange,
    ) -> Result<Msg, StoreError> {
        let before = self.store.ticket(ticket)?.status;
        let stored = self.store_message(ticket, (kind, body, headers), seen, change);
        let (mailing, changed) = match stored {
            Err(StoreError::NewerMessages { ticket, newer }) => {
                let newest = newer.last().map_or(0, |m| m.id);
                let message = StoreError::NewerMessages { ticket, newer }.to_string();
                return Ok(Msg::SendStopped { ticket, newest, message });
            }
            other => other?,
        };
        self.store.delete_draft(ticket, &self.settings.agent.login)?;
        let ran = self.run_rules(ticket, kind == MessageKind::Reply, before);
        let changed = ran.reread(&self.store, changed);
        self.survey_if_solved(&changed, before);
        Ok(ran.answer(Msg::MessageSent { ticket, kind, mailing }))
    }

    /// The message, its mail when replies are mailed, and `change` in one write (nothing newer
    /// than the last message seen may have come in, nor, with a change, a newer version); returns whether the mail went to the mail worker, and
    /// the ticket as the write left it.
    fn store_message(
        &self,
        ticket: i64,
        (kind, body, headers): (MessageKind, &str, &ReplyHeaders),
        seen: SeenTicket,
        change: &crate::domain::TicketChange,
    ) -> Result<(bool, Ticket), StoreError> {
        let me = &self.settings.agent.login;
        let outbound = Outbound::from_config(self.settings.mail.as_ref(), &self.settings.data_dir)
            .filter(|_| kind == MessageKind::Reply);
        let (Some(outbound), Some(mail)) = (outbound, &self.mail) else {
            if !headers.is_empty() {
                return Err(StoreError::Invalid(
                    "Cc, Bcc and Attach lines go with mail, and the config sends none (see [mail.outbound]); \
                     nothing was sent"
                        .into(),
                ));
            }
            let (_, changed) = self.store.reply_and_change(ticket, kind, me, body, seen, change)?;
            return Ok((false, changed));
        };
        let change = Some(change).filter(|c| !c.is_empty());
        let options = reply_options(headers)?;
        let agent = &self.settings.agent;
        match outbound.queue_reply_with(&self.store, agent, (ticket, body), seen, change, &options) {
            Ok((_, changed, queued)) => {
                mail.send(MailJob::Deliver(queued));
                Ok((true, changed))
            }
            Err(SendError::Store(e)) => Err(e),
            Err(other) => Err(StoreError::Invalid(other.to_string())),
        }
    }

    /// Have the customer mailed the satisfaction survey when the ticket was just solved and the
    /// config asks.
    fn survey_if_solved(&self, ticket: &Ticket, before: Status) {
        let wanted = self.settings.csat_survey && before != Status::Solved && ticket.status == Status::Solved;
        if let Some(mail) = self.mail.as_ref().filter(|_| wanted) {
            mail.send(MailJob::Survey { ticket: ticket.id });
        }
    }
}

/// The sentence for a failed write that its own message carries; logged like any failure.
fn said(error: StoreError) -> String {
    tracing::warn!(%error, "action failed");
    error.to_string()
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

/// The reply's Cc and Bcc, and its files read whole (`~/` is the home folder); a file that cannot
/// be read stops the send before anything is stored.
fn reply_options(headers: &ReplyHeaders) -> Result<crate::mail::outbound::ReplyOptions, StoreError> {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    let paths: Vec<std::path::PathBuf> = headers
        .attach
        .iter()
        .map(|p| match (p.strip_prefix("~/"), &home) {
            (Some(rest), Some(home)) => home.join(rest),
            _ => std::path::PathBuf::from(p),
        })
        .collect();
    let attachments = crate::mail::files::read_attachments(&paths)
        .map_err(|e| StoreError::Invalid(format!("{e}; nothing was sent")))?;
    Ok(crate::mail::outbound::ReplyOptions {
        cc: headers.cc.clone(),
        bcc: headers.bcc.clone(),
        attachments,
        auto_replied: false,
    })
}

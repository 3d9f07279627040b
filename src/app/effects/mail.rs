//! The mail worker: delivers replies' mail and satisfaction surveys on its own thread, with its
//! own connection, so a relay that stalls never holds up the console (SMTP waits up to 30 s).

use crate::app::model::message::{Msg, Worker};
use crate::config::MailConfig;
use crate::mail::outbound::{Outbound, QueuedMail};
use crate::store::Store;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;

/// What the mail worker is asked to do.
#[derive(Debug)]
pub enum MailJob {
    /// Deliver a reply's mail stored in the outbox, and record how it went.
    Deliver(QueuedMail),
    /// Mail the satisfaction survey for a ticket just solved.
    Survey { ticket: i64 },
}

/// The handle on the mail worker (the store worker queues mail, the console waits for it): jobs
/// go in, each answers one message.
#[derive(Clone)]
pub struct MailWorker {
    jobs: Sender<MailJob>,
    /// Jobs queued, by whichever thread queued them.
    queued: Arc<AtomicUsize>,
}

impl MailWorker {
    pub fn spawn(db: PathBuf, mail: MailConfig, data_dir: PathBuf, answers: Sender<Msg>) -> MailWorker {
        let (jobs, rx) = mpsc::channel();
        let spawned =
            std::thread::Builder::new().name("mail".into()).spawn(move || run(db, mail, data_dir, rx, answers));
        if let Err(error) = spawned {
            tracing::error!(%error, "the mail worker did not start");
        }
        MailWorker { jobs, queued: Arc::default() }
    }

    /// Queue `job`; counted before the thread that queues it says anything else, so the console
    /// knows of it once it has handled that thread's answer.
    pub fn send(&self, job: MailJob) {
        if self.jobs.send(job).is_ok() {
            self.queued.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Every job queued has been answered, when the console has handled `handled` answers.
    pub fn idle(&self, handled: usize) -> bool {
        self.queued.load(Ordering::SeqCst) == handled
    }
}

fn run(db: PathBuf, mail: MailConfig, data_dir: PathBuf, jobs: Receiver<MailJob>, answers: Sender<Msg>) {
    let store = Store::open(&db);
    for job in jobs {
        let msg = match (&store, Outbound::from_config(Some(&mail), &data_dir)) {
            (Ok(store), Some(outbound)) => perform(store, &outbound, job),
            (Err(error), _) => failed(job, format!("the mail worker cannot open the database: {error}")),
            (_, None) => failed(job, "there is no [mail.outbound] in the config".into()),
        };
        let _ = answers.send(Msg::Answered { by: Worker::Mail, msg: Box::new(msg) });
    }
}

fn perform(store: &Store, outbound: &Outbound, job: MailJob) -> Msg {
    match job {
        MailJob::Deliver(queued) => {
            let result = outbound.deliver_queued(store, &queued).unwrap_or_else(|e| Err(e.to_string()));
            if let Err(error) = &result {
                tracing::warn!(%error, ticket = queued.ticket, "reply not mailed; it waits in the outbox");
            }
            Msg::Delivered { ticket: queued.ticket, result }
        }
        MailJob::Survey { ticket } => {
            let result = crate::mail::survey::send_survey(outbound, store, ticket);
            if let Err(error) = &result {
                tracing::warn!(%error, ticket, "satisfaction survey not mailed");
            }
            Msg::SurveySent { ticket, result }
        }
    }
}

fn failed(job: MailJob, why: String) -> Msg {
    match job {
        MailJob::Deliver(queued) => Msg::Delivered { ticket: queued.ticket, result: Err(why) },
        MailJob::Survey { ticket } => Msg::SurveySent { ticket, result: Err(why) },
    }
}

//! The mail worker: delivers replies' mail and satisfaction surveys on its own thread, with its
//! own connection, so a relay that stalls never holds up the console (SMTP waits up to 30 s).

use crate::app::model::message::Msg;
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

/// The console's handle on the mail worker: jobs go in, each answers one message.
#[derive(Clone)]
pub struct MailWorker {
    jobs: Sender<MailJob>,
    /// Jobs sent and jobs answered (the answer is on the channel when `answered` counts it).
    pub sent: Arc<AtomicUsize>,
    pub answered: Arc<AtomicUsize>,
}

impl MailWorker {
    pub fn spawn(db: PathBuf, mail: MailConfig, data_dir: PathBuf, answers: Sender<Msg>) -> MailWorker {
        let (jobs, rx) = mpsc::channel();
        let answered = Arc::new(AtomicUsize::new(0));
        let counted = answered.clone();
        let spawned = std::thread::Builder::new()
            .name("mail".into())
            .spawn(move || run(db, mail, data_dir, rx, answers, counted));
        if let Err(error) = spawned {
            tracing::error!(%error, "the mail worker did not start");
        }
        MailWorker { jobs, sent: Arc::default(), answered }
    }

    pub fn send(&self, job: MailJob) {
        self.sent.fetch_add(1, Ordering::SeqCst);
        if self.jobs.send(job).is_err() {
            self.answered.fetch_add(1, Ordering::SeqCst); // a worker that is gone answers nothing
        }
    }

    /// Every job sent has been answered.
    pub fn idle(&self) -> bool {
        self.sent.load(Ordering::SeqCst) == self.answered.load(Ordering::SeqCst)
    }
}

fn run(
    db: PathBuf,
    mail: MailConfig,
    data_dir: PathBuf,
    jobs: Receiver<MailJob>,
    answers: Sender<Msg>,
    answered: Arc<AtomicUsize>,
) {
    let store = Store::open(&db);
    for job in jobs {
        let msg = match (&store, Outbound::from_config(Some(&mail), &data_dir)) {
            (Ok(store), Some(outbound)) => perform(store, &outbound, job),
            (Err(error), _) => failed(job, format!("the mail worker cannot open the database: {error}")),
            (_, None) => failed(job, "there is no [mail.outbound] in the config".into()),
        };
        let _ = answers.send(msg);
        answered.fetch_add(1, Ordering::SeqCst);
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

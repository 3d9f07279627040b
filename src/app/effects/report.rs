//! The reports screen's reads, on a thread with its own connection, so the queue's loads never
//! wait behind a report. The same engine as `frontdesk report`: `Builder` fed by `read_report`.
//! Requests that a newer one overtook while waiting are answered at once, unread.

use crate::app::model::message::Msg;
use crate::domain::report::SeriesStep;
use crate::domain::report::{desk_zone, hours_text, last_period, Builder, Dimension, Last, Report, Request, Rules};
use crate::domain::sla::{Hours, Policies};
use crate::domain::when::Zone;
use crate::domain::Timestamp;
use crate::store::Store;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};

pub struct ReportRequest {
    pub generation: u64,
    pub last: Last,
    pub by: Dimension,
    pub now: Timestamp,
    /// The agent's zone, for the days of the series.
    pub zone: Zone,
}

/// What every read needs besides the request; fixed when the console starts.
#[derive(Clone)]
pub struct ReportRules {
    pub policies: Policies,
    /// The hours of tickets no policy names (`sla.hours`).
    pub hours: Hours,
}

pub struct ReportWorker {
    tx: Option<Sender<ReportRequest>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ReportWorker {
    pub fn spawn(db: PathBuf, rules: ReportRules, answers: Sender<Msg>) -> ReportWorker {
        let (tx, rx) = mpsc::channel();
        let spawned =
            std::thread::Builder::new().name("report".into()).spawn(move || serve(&db, &rules, &rx, &answers));
        let thread = spawned.map_err(|error| tracing::error!(%error, "the report worker did not start")).ok();
        ReportWorker { tx: Some(tx), thread }
    }

    /// Ask for a report; `false` when the worker is gone (it is answered by nobody).
    pub fn request(&self, request: ReportRequest) -> bool {
        self.tx.as_ref().is_some_and(|tx| tx.send(request).is_ok())
    }
}

impl Drop for ReportWorker {
    fn drop(&mut self) {
        drop(self.tx.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(db: &std::path::Path, rules: &ReportRules, rx: &Receiver<ReportRequest>, answers: &Sender<Msg>) {
    let mut store = None;
    while let Ok(mut request) = rx.recv() {
        // Only the newest request waiting is read; the ones it overtook are answered unread.
        while let Ok(newer) = rx.try_recv() {
            let _ = answers.send(Msg::ReportLoaded { generation: request.generation, result: Err("overtaken".into()) });
            request = newer;
        }
        if store.is_none() {
            store = Store::open(db).map_err(|e| tracing::error!(error = %e, "the report worker's store")).ok();
        }
        let result = match &store {
            Some(store) => read(store, rules, &request).map(Box::new),
            None => Err("the desk's database could not be opened for the report".into()),
        };
        if let Err(problem) = &result {
            tracing::warn!(%problem, "report");
        }
        let _ = answers.send(Msg::ReportLoaded { generation: request.generation, result });
    }
}

/// One report, as `frontdesk report --last … --by … --series day` builds it.
pub fn read(store: &Store, rules: &ReportRules, request: &ReportRequest) -> Result<Report, String> {
    let first = match request.last {
        Last::All => store.first_ticket_at().map_err(|e| e.to_string())?,
        _ => None,
    };
    let period = last_period(request.last, request.now, first);
    // A year of days is too many bars to read: weeks.
    let series = if period.days() > 100.0 { SeriesStep::Week } else { SeriesStep::Day };
    let compare = request.last != Last::All;
    let wanted = Request { period, compare, by: Some(request.by), series: Some(series), zone: request.zone };
    let engine = Rules { policies: &rules.policies, default_hours: &rules.hours, now: request.now };
    let heat_zone = desk_zone(&rules.policies, &rules.hours).unwrap_or(request.zone);
    let mut builder = Builder::new(wanted, engine).heat_in(heat_zone);
    store.read_report(&mut builder).map_err(|e| e.to_string())?;
    Ok(builder.finish(hours_text(&rules.policies, &rules.hours)))
}

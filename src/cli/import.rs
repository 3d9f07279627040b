//! `frontdesk import PATH... | -`: mail in, one line per mail and a summary (or `--json`).

use super::output::write_json;
use super::CliError;
use crate::config::Config;
use crate::domain::mail::ImportOutcome;
use crate::domain::text::for_display_line;
use crate::mail::source::{for_each_mail, RawMail};
use crate::mail::Importer;
use crate::store::Store;
use clap::Args;
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// .eml files, mbox files, Maildir folders, or `-` for one mail on stdin.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[arg(long)]
    json: bool,
}

/// One mail's result in `--json`.
#[derive(Debug, Serialize)]
pub struct ImportJson {
    pub source: String,
    /// `created`, `threaded`, `duplicate`, `own_mail` or `quarantined`.
    pub outcome: &'static str,
    pub ticket: Option<i64>,
    pub message: Option<i64>,
    /// `in_reply_to`, `references`, `subject_tag`, `new_ticket` or `follow_up`.
    pub rule: Option<&'static str>,
    pub follows: Option<i64>,
    pub ignored_tag: Option<i64>,
    pub quarantine_id: Option<i64>,
    pub reason: Option<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub mails: u64,
    pub created: u64,
    pub threaded: u64,
    pub duplicates: u64,
    pub ignored: u64,
    pub quarantined: u64,
    pub unreadable: u64,
}

#[derive(Debug, Serialize)]
struct ReportJson {
    results: Vec<ImportJson>,
    errors: Vec<String>,
    summary: Summary,
}

pub fn run(store: &Store, config: &Config, args: ImportArgs, out: &mut dyn Write) -> Result<(), CliError> {
    store.prepare_for_import()?;
    // The mail comes in all the same (an MTA piping it would bounce it): the rules read are run.
    if let Err(problem) = config.rule_set.checked() {
        eprintln!("warning: {}", for_display_line(&problem));
    }
    let progress = Progress::new(!args.json && std::io::stdout().is_terminal(), &args.paths);
    let mut batch = Batch {
        store,
        importer: Importer::new(store, config),
        json: args.json,
        out,
        progress,
        group: Vec::new(),
        group_bytes: 0,
        summary: Summary::default(),
        results: Vec::new(),
        indexed_at: 0,
        failure: None,
    };
    let mut errors = Vec::new();
    for path in &args.paths {
        let read = for_each_mail(path, &mut |raw| batch.add(raw));
        // The mails read before a broken part of the file are imported all the same.
        batch.flush();
        if let Err(e) = read {
            batch.summary.unreadable += 1;
            batch.progress.clear();
            if !args.json {
                eprintln!("frontdesk: {}", for_display_line(&e.to_string()));
            }
            errors.push(e.to_string());
        }
        if let Some(e) = batch.failure.take() {
            batch.progress.clear();
            return Err(e);
        }
    }
    index_for_search(store);
    batch.progress.clear();
    let Batch { summary, results, out, .. } = batch;
    if args.json {
        write_json(out, &ReportJson { results, errors: errors.clone(), summary })?;
    } else {
        writeln!(out, "{}", summary_line(&summary))?;
    }
    match errors.len() {
        0 => Ok(()),
        n => Err(CliError::Refused(format!("{n} of the paths could not be read (named above); the rest was imported"))),
    }
}

/// Mails imported in one transaction: a commit per mail rewrote the same index pages into the WAL
/// for every mail. A kill loses at most the group in hand (a rerun imports it; what is on the
/// desk is a duplicate by Message-ID), and each mail's line is printed once its group is kept.
const GROUP_MAILS: usize = 50;
const GROUP_BYTES: usize = 4 * 1024 * 1024;

struct Batch<'a> {
    store: &'a Store,
    importer: Importer<'a>,
    json: bool,
    out: &'a mut dyn Write,
    progress: Progress,
    group: Vec<RawMail>,
    group_bytes: usize,
    summary: Summary,
    results: Vec<ImportJson>,
    /// Mails imported when the search index last caught up.
    indexed_at: u64,
    failure: Option<CliError>,
}

impl Batch<'_> {
    fn add(&mut self, raw: RawMail) {
        if self.failure.is_some() {
            return;
        }
        self.progress.advance(raw.bytes.len());
        self.group_bytes += raw.bytes.len();
        self.group.push(raw);
        if self.group.len() >= GROUP_MAILS || self.group_bytes >= GROUP_BYTES {
            self.flush();
        }
    }

    /// Import the mails in hand in one write, then tell each one's outcome.
    fn flush(&mut self) {
        let group = std::mem::take(&mut self.group);
        self.group_bytes = 0;
        if group.is_empty() || self.failure.is_some() {
            return;
        }
        let importer = &self.importer;
        let imported = self.store.import_group(|| {
            group.iter().map(|raw| importer.import(&raw.bytes, &raw.source)).collect::<Result<Vec<_>, _>>()
        });
        let outcomes = match imported {
            Ok(outcomes) => outcomes,
            Err(e) => {
                self.failure = Some(e.into());
                return;
            }
        };
        for (raw, outcome) in group.into_iter().zip(outcomes) {
            count(&mut self.summary, &outcome);
            let row = to_json(raw.source, &outcome);
            if self.json {
                self.results.push(row);
                continue;
            }
            self.progress.clear();
            let line = format!("{}: {}", for_display_line(&row.source), describe(&outcome));
            if let Err(e) = writeln!(self.out, "{line}") {
                self.failure = Some(e.into());
                return;
            }
            self.progress.show(self.summary.mails);
        }
        if self.summary.mails - self.indexed_at >= SEARCH_BATCH {
            index_for_search(self.store);
            self.indexed_at = self.summary.mails;
        }
    }
}

/// Imported mails between two passes of the search index over what they touched.
const SEARCH_BATCH: u64 = 1000;

/// Index what the import queued for search. Should it fail, the mails are in already and the next
/// search indexes them, so this only warns.
pub(super) fn index_for_search(store: &Store) {
    if let Err(error) = store.index_queued() {
        tracing::warn!(%error, "indexing imported mail for search");
        eprintln!("frontdesk: imported mail is not searchable yet ({error}); the next search indexes it");
    }
}

pub(super) fn count(summary: &mut Summary, outcome: &ImportOutcome) {
    summary.mails += 1;
    match outcome {
        ImportOutcome::Created { .. } => summary.created += 1,
        ImportOutcome::Threaded { .. } | ImportOutcome::Rated { .. } => summary.threaded += 1,
        ImportOutcome::Duplicate { .. } => summary.duplicates += 1,
        ImportOutcome::OwnMail { .. } => summary.ignored += 1,
        ImportOutcome::Quarantined { .. } => summary.quarantined += 1,
    }
}

pub fn summary_line(s: &Summary) -> String {
    format!(
        "{} mails: {} new tickets, {} threaded, {} duplicates, {} ignored (our own mail), {} quarantined",
        s.mails, s.created, s.threaded, s.duplicates, s.ignored, s.quarantined
    )
}

/// "imported into #N (new ticket)", "threaded onto #N by References", "duplicate", "quarantined: REASON".
pub fn describe(outcome: &ImportOutcome) -> String {
    let on = |t: &Option<i64>| t.map(|t| format!(" (on #{t})")).unwrap_or_default();
    match outcome {
        ImportOutcome::Created { ticket, follows: Some(old), .. } => {
            format!("imported into #{ticket} (new ticket: #{old} is closed)")
        }
        ImportOutcome::Created { ticket, ignored_tag: Some(tag), .. } => format!(
            "imported into #{ticket} (new ticket; tag [#{tag}] ignored: the sender is not that ticket's customer)"
        ),
        ImportOutcome::Created { ticket, .. } => format!("imported into #{ticket} (new ticket)"),
        ImportOutcome::Threaded { ticket, rule, .. } => {
            format!("threaded onto #{ticket} {}", rule.describe().trim_start_matches("threaded "))
        }
        ImportOutcome::Duplicate { ticket } => format!("duplicate{}", on(ticket)),
        ImportOutcome::OwnMail { ticket } => format!("ignored: our own mail coming back{}", on(ticket)),
        ImportOutcome::Rated { ticket, score } => format!("survey answer: #{ticket} rated {score}/5"),
        ImportOutcome::Quarantined { id, reason, again } => {
            let again = if *again { ", again" } else { "" };
            format!("quarantined as {id}{again}: {}", for_display_line(reason))
        }
    }
}

pub fn to_json(source: String, outcome: &ImportOutcome) -> ImportJson {
    let mut row = ImportJson {
        source,
        outcome: "",
        ticket: None,
        message: None,
        rule: None,
        follows: None,
        ignored_tag: None,
        quarantine_id: None,
        reason: None,
    };
    match outcome {
        ImportOutcome::Created { ticket, message, rule, follows, ignored_tag } => {
            row.outcome = "created";
            (row.ticket, row.message, row.rule) = (Some(*ticket), Some(*message), Some(rule.as_str()));
            (row.follows, row.ignored_tag) = (*follows, *ignored_tag);
        }
        ImportOutcome::Threaded { ticket, message, rule } => {
            row.outcome = "threaded";
            (row.ticket, row.message, row.rule) = (Some(*ticket), Some(*message), Some(rule.as_str()));
        }
        ImportOutcome::Duplicate { ticket } => (row.outcome, row.ticket) = ("duplicate", *ticket),
        ImportOutcome::OwnMail { ticket } => (row.outcome, row.ticket) = ("own_mail", *ticket),
        ImportOutcome::Rated { ticket, .. } => (row.outcome, row.ticket) = ("rated", Some(*ticket)),
        ImportOutcome::Quarantined { id, reason, .. } => {
            row.outcome = "quarantined";
            (row.quarantine_id, row.reason) = (Some(*id), Some(reason.clone()));
        }
    }
    row
}

/// A progress bar on stderr (by bytes of the named files, with the count of mails), under the
/// report's lines, only when stdout is a terminal.
struct Progress {
    on: bool,
    shown: bool,
    /// Bytes of every file to import, when known (not for stdin).
    total: Option<u64>,
    done: u64,
    last: Option<std::time::Instant>,
}

/// The bytes of mail under `paths`: files, and the files of Maildir folders.
fn total_bytes(paths: &[std::path::PathBuf]) -> Option<u64> {
    let mut total = 0;
    for path in paths {
        if path.as_os_str() == "-" {
            return None;
        }
        let meta = std::fs::metadata(path).ok()?;
        if meta.is_dir() {
            for sub in ["new", "cur"] {
                for entry in std::fs::read_dir(path.join(sub)).into_iter().flatten().flatten() {
                    total += entry.metadata().map(|m| m.len()).unwrap_or(0);
                }
            }
        } else {
            total += meta.len();
        }
    }
    Some(total)
}

impl Progress {
    fn new(on: bool, paths: &[std::path::PathBuf]) -> Progress {
        let total = if on { total_bytes(paths).filter(|t| *t > 0) } else { None };
        Progress { on, shown: false, total, done: 0, last: None }
    }

    /// One more mail of `bytes` is done.
    fn advance(&mut self, bytes: usize) {
        self.done += bytes as u64;
    }

    fn show(&mut self, mails: u64) {
        // A bar a printed line just wiped is drawn again at once; one still showing, at most every
        // 100 ms.
        let recent = self.last.is_some_and(|t| t.elapsed() < std::time::Duration::from_millis(100));
        if !self.on || (self.shown && recent) {
            return;
        }
        self.last = Some(std::time::Instant::now());
        match self.total {
            Some(total) => {
                let share = (self.done.min(total) * 100 / total) as usize;
                let filled = share * 30 / 100;
                eprint!(
                    "\r\x1b[2Kimporting [{}{}] {share:>3}%  {mails} mails",
                    "#".repeat(filled),
                    ".".repeat(30 - filled)
                );
            }
            None => eprint!("\r\x1b[2Kimporting… {mails} mails"),
        }
        self.shown = true;
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
            self.shown = false;
        }
    }
}

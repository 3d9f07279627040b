//! `frontdesk serve [--once]`: the desk service in the foreground (for systemd), or one round (for cron).

use super::output::write_json;
use super::CliError;
use crate::config::{Config, Paths};
use crate::serve::{self, DeskLock, Round, Signals};
use crate::store::Store;
use clap::Args;
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Do one round (deliver, survey, read mailboxes) and exit: for cron.
    #[arg(long)]
    pub once: bool,
    /// With --once: print what the round did, as JSON.
    #[arg(long, requires = "once")]
    pub json: bool,
}

/// `serve --once --json`: what the round did.
#[derive(Debug, Serialize)]
struct RoundJson {
    mailboxes: Vec<MailboxJson>,
    read: usize,
    mailed: usize,
    failed: usize,
    surveys: usize,
    snoozes_ended: i64,
    rules_fired: Vec<super::rules::FiredJson>,
    more: bool,
}

#[derive(Debug, Serialize)]
struct MailboxJson {
    name: String,
    read: usize,
    error: Option<String>,
}

pub fn run(
    store: &Store,
    config: &Config,
    paths: &Paths,
    args: &ServeArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    config.rule_set.checked().map_err(CliError::Refused)?;
    let pid = i64::from(std::process::id());
    let host = serve::host_name();
    let since = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let _lock = DeskLock::take(store.path(), &format!("process {pid} on {host} (since {since})"))
        .map_err(|e| CliError::Refused(e.to_string()))?;
    let signals = Signals::install().map_err(|e| CliError::Refused(format!("cannot watch for signals: {e}")))?;
    store.service_started(pid, &host)?;
    store.forget_mailbox_problems()?;
    tracing::info!(pid, %host, once = args.once, "the desk service started");
    if !args.once {
        writeln!(out, "serving {} as process {pid}; SIGTERM or Ctrl-C stops it", store.path().display())?;
        out.flush()?;
    }
    let mut round = Round::new(pid, config, &paths.data_dir);
    // One round reads each mailbox once; a running service watches them in IDLE, each on a thread.
    let watchers = match args.once {
        true => {
            round.inbound = serve::ImapMailbox::all(config);
            None
        }
        false => Some(serve::Watchers::start(store.path(), config)),
    };
    let result = serve::serve(store, &mut round, &signals, args.once);
    if let Some(watchers) = watchers {
        watchers.stop();
    }
    let stopped = store.service_stopped(pid);
    tracing::info!("the desk service stopped");
    let report = result?;
    stopped?;
    match (args.once, args.json) {
        (true, true) => {
            let shown = RoundJson {
                mailboxes: (report.mailboxes.iter())
                    .map(|m| MailboxJson { name: m.name.clone(), read: m.read, error: m.error.clone() })
                    .collect(),
                read: report.read,
                mailed: report.mailed,
                failed: report.failed,
                surveys: report.surveys,
                snoozes_ended: report.snoozes_ended,
                rules_fired: super::rules::fired_json(store, &config.sla_policies(), report.rules_fired)?,
                more: report.more,
            };
            write_json(out, &shown)?;
        }
        (true, false) => writeln!(out, "{}", report.describe())?,
        (false, _) => writeln!(out, "stopped")?,
    }
    Ok(())
}

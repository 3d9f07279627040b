//! Logs go to a file in the state folder, never to the terminal.

use std::path::{Path, PathBuf};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};

const LOG_FILE: &str = "frontdesk.log";

pub fn log_file(state_dir: &Path) -> PathBuf {
    state_dir.join(LOG_FILE)
}

/// Start logging to the state folder. Keep the guard alive until exit (it flushes the log).
/// Returns `None` when the log cannot be opened: logging is never a reason to fail.
pub fn init(state_dir: &Path) -> Option<WorkerGuard> {
    std::fs::create_dir_all(state_dir).ok()?;
    let appender =
        RollingFileAppender::builder().rotation(Rotation::NEVER).filename_prefix(LOG_FILE).build(state_dir).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let subscriber =
        tracing_subscriber::fmt().with_writer(writer).with_ansi(false).with_max_level(tracing::Level::INFO).finish();
    tracing::subscriber::set_global_default(subscriber).ok()?;
    Some(guard)
}

//! Logs go to a file in the state folder, never to the terminal: one file a day, the last week kept.

use std::path::{Path, PathBuf};
use tracing::level_filters::LevelFilter;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};

/// Each day's file is this name and the date: `frontdesk.log.2026-12-01`.
const LOG_PREFIX: &str = "frontdesk.log";
const KEPT_FILES: usize = 7;
/// The variable that sets how much is logged: `error`, `warn`, `info` (the default), `debug`, `trace`, `off`.
pub const LEVEL_VAR: &str = "FRONTDESK_LOG";

/// Today's log file. The appender names files by the UTC date, so this does too.
pub fn log_file(state_dir: &Path) -> PathBuf {
    state_dir.join(format!("{LOG_PREFIX}.{}", chrono::Utc::now().format("%Y-%m-%d")))
}

/// Start logging to the state folder. Keep the guard alive until exit (it flushes the log).
/// Returns `None` when the log cannot be opened: logging is never a reason to fail.
pub fn init(state_dir: &Path) -> Option<WorkerGuard> {
    std::fs::create_dir_all(state_dir).ok()?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(LOG_PREFIX)
        .max_log_files(KEPT_FILES)
        .build(state_dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(SafeText(appender));
    let requested = std::env::var(LEVEL_VAR).ok();
    let (level, unknown) = level(requested.as_deref());
    let subscriber = tracing_subscriber::fmt().with_writer(writer).with_ansi(false).with_max_level(level).finish();
    tracing::subscriber::set_global_default(subscriber).ok()?;
    if let Some(value) = unknown {
        tracing::warn!("{LEVEL_VAR}={value:?} is not a level (error, warn, info, debug, trace, off); logging at info");
    }
    Some(guard)
}

/// Writes each log event as text made safe to show (see [`crate::domain::text::for_display`]):
/// events quote what customers wrote (an address, a subject), and a log is read in a terminal.
struct SafeText<W>(W);

impl<W: std::io::Write> std::io::Write for SafeText<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // The worker hands over one whole event per write.
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(crate::domain::text::for_display(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// The level `FRONTDESK_LOG` asks for; info when it is unset, empty or not a level (then also the
/// value, to be logged).
fn level(value: Option<&str>) -> (LevelFilter, Option<String>) {
    match value.map(str::trim) {
        None | Some("") => (LevelFilter::INFO, None),
        Some(v) => v.parse().map_or_else(|_| (LevelFilter::INFO, Some(v.to_string())), |level| (level, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_level_comes_from_the_variable_and_falls_back_to_info() {
        assert_eq!(level(None), (LevelFilter::INFO, None));
        assert_eq!(level(Some("")), (LevelFilter::INFO, None));
        assert_eq!(level(Some("warn")), (LevelFilter::WARN, None));
        assert_eq!(level(Some("DEBUG")), (LevelFilter::DEBUG, None));
        assert_eq!(level(Some("loud")), (LevelFilter::INFO, Some("loud".to_string())));
    }

    #[test]
    fn log_events_reach_the_file_as_text() {
        let mut file = SafeText(Vec::new());
        std::io::Write::write_all(&mut file, "bad address 'a\x1b]0;x\x07\u{202e}b'\tat 12\n".as_bytes()).unwrap();
        assert_eq!(String::from_utf8(file.0).unwrap(), "bad address 'a^[]0;x^G<U+202E>b'    at 12\n");
    }

    #[test]
    fn the_log_file_carries_the_date() {
        let name = log_file(Path::new("state")).file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        assert!(name.starts_with("frontdesk.log.20") && name.len() == "frontdesk.log.2026-12-01".len(), "{name}");
    }
}

//! A bug that panics: one short line on stderr that says where the details are, the panic and a
//! backtrace in the log. The console's own hook restores the terminal before this one runs.

use std::any::Any;
use std::backtrace::Backtrace;
use std::panic::PanicHookInfo;
use std::path::{Path, PathBuf};

/// Install the hook; `log` is the file the details go to.
pub fn install(log: PathBuf) {
    std::panic::set_hook(Box::new(move |info| on_panic(info, &log)));
}

fn on_panic(info: &PanicHookInfo<'_>, log: &Path) {
    let message = message(info.payload());
    let location = info.location().map_or_else(|| "an unknown place".to_string(), |l| l.to_string());
    if crate::panics::caught_here() {
        tracing::warn!("caught a panic at {location}: {message}");
        return;
    }
    let backtrace = Backtrace::force_capture();
    tracing::error!("panic at {location}: {message}\n{backtrace}");
    super::report::say(&sentence(&message, log));
}

/// What the panic said: its text, or a stand-in when it carried something else.
fn message(payload: &(dyn Any + Send)) -> String {
    match (payload.downcast_ref::<&str>(), payload.downcast_ref::<String>()) {
        (Some(s), _) => (*s).to_string(),
        (_, Some(s)) => s.clone(),
        _ => "(no message)".to_string(),
    }
}

/// The line on stderr: the panic's first line only, so it stays one line.
fn sentence(message: &str, log: &Path) -> String {
    let first = message.lines().next().unwrap_or("");
    format!("internal error (a bug): {first}; details are in {}", log.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_names_the_panic_and_the_log() {
        let payload = std::panic::catch_unwind(|| panic!("index {} out of range\nmore", 3)).unwrap_err();
        let text = sentence(&message(payload.as_ref()), Path::new("state/frontdesk.log.2026-12-01"));
        assert_eq!(text, "internal error (a bug): index 3 out of range; details are in state/frontdesk.log.2026-12-01");
    }

    #[test]
    fn a_panic_without_text_still_reads() {
        let payload = std::panic::catch_unwind(|| std::panic::panic_any(7_u8)).unwrap_err();
        assert_eq!(message(payload.as_ref()), "(no message)");
        let payload = std::panic::catch_unwind(|| panic!("plain")).unwrap_err();
        assert_eq!(message(payload.as_ref()), "plain");
    }
}

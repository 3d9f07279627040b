//! How a run that failed ends: one sentence on stderr, coloured only for a person at a terminal.

use super::CliError;
use crate::Error;
use std::io::{IsTerminal, Write};
use std::ops::Not;
use std::process::ExitCode;

/// Print `frontdesk: <sentence>` and pick the exit code (see [`CliError::exit_code`]).
/// The log already has the whole chain: `main` logs it while the log is open.
pub fn report(e: &Error) -> ExitCode {
    say(&e.to_string());
    e.downcast_ref::<CliError>().map_or(ExitCode::FAILURE, |e| ExitCode::from(e.exit_code()))
}

/// One line on stderr after the `frontdesk:` prefix. Errors quote what was typed or stored (a
/// time, a canned reply's name, a panic's message), so control characters are shown as text.
pub fn say(sentence: &str) {
    let color = wants_color(std::io::stderr().is_terminal(), std::env::var_os("NO_COLOR"), std::env::var_os("TERM"));
    let line = line(&crate::domain::text::for_display_line(sentence), color);
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// A usage error from clap: its text as clap writes it, with the input it quotes made safe (clap
/// strips ESC sequences but passes C1 controls and bidi overrides); help and version as they are.
pub fn usage(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) || e.use_stderr().not() {
        let _ = e.print();
        return ExitCode::from(e.exit_code() as u8);
    }
    let text = e.render().to_string();
    let _ = std::io::stderr().lock().write_all(crate::domain::text::for_display(&text).as_bytes());
    ExitCode::from(e.exit_code() as u8)
}

fn line(sentence: &str, color: bool) -> String {
    let prefix = if color { "\x1b[1;31mfrontdesk:\x1b[0m" } else { "frontdesk:" };
    format!("{prefix} {sentence}\n")
}

/// Colour only on a terminal, without `NO_COLOR` (any non-empty value, as no-color.org says) and
/// not on a dumb terminal.
fn wants_color(terminal: bool, no_color: Option<std::ffi::OsString>, term: Option<std::ffi::OsString>) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty()) && term.is_none_or(|t| t != "dumb")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_needs_a_terminal_and_no_no_color() {
        assert!(wants_color(true, None, Some("xterm".into())));
        assert!(wants_color(true, Some("".into()), None));
        assert!(!wants_color(true, Some("1".into()), Some("xterm".into())));
        assert!(!wants_color(false, None, Some("xterm".into())));
        assert!(!wants_color(true, None, Some("dumb".into())));
    }

    #[test]
    fn only_the_prefix_is_coloured() {
        assert_eq!(line("ticket #9 does not exist", false), "frontdesk: ticket #9 does not exist\n");
        assert!(line("ticket #9 does not exist", true).ends_with("\x1b[0m ticket #9 does not exist\n"));
    }
}

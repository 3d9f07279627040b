//! The one guard that puts the terminal into the console's modes and always takes it back out.

use super::backend::ByteSavingBackend;
use super::output::{frame_pipe, FrameOutput, Term};
use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static MOUSE: AtomicBool = AtomicBool::new(false);

/// Enters raw mode, the alternate screen and bracketed paste; undoes all of it when dropped.
pub struct TerminalGuard {
    active: bool,
}

impl TerminalGuard {
    pub fn enter(mouse: bool) -> io::Result<(TerminalGuard, Term, FrameOutput)> {
        MOUSE.store(mouse, Ordering::SeqCst);
        install_panic_hook();
        // The guard first: a mode that fails half-way is undone when it drops with the error.
        let guard = TerminalGuard { active: true };
        enter_modes()?;
        let (writer, output) = frame_pipe();
        let term = Terminal::new(ByteSavingBackend::new(writer))?;
        Ok((guard, term, output))
    }

    /// Leave the console's modes for a while (editor, suspend).
    pub fn pause(&mut self) {
        restore();
        self.active = false;
    }

    pub fn resume(&mut self) -> io::Result<()> {
        enter_modes()?;
        self.active = true;
        Ok(())
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        if self.active {
            restore();
        }
    }
}

fn enter_modes() -> io::Result<()> {
    terminal::enable_raw_mode()?;
    let mut out = io::stdout();
    out.write_all(crate::app::term::osc::SAVE_TITLE)?;
    execute!(out, EnterAlternateScreen, EnableBracketedPaste, cursor::Hide)?;
    if MOUSE.load(Ordering::SeqCst) {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

/// Undo every mode we may have set; safe to call more than once.
pub fn restore() {
    let mut out = io::stdout();
    if MOUSE.load(Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    // Colours and attributes go back to the terminal's own before the shell gets it.
    let _ = out.write_all(b"\x1b[0m");
    let _ = out.write_all(crate::app::term::osc::RESTORE_TITLE);
    let _ = execute!(out, DisableBracketedPaste, LeaveAlternateScreen, cursor::Show);
    let _ = terminal::disable_raw_mode();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

//! The input thread: terminal events into the message channel, pausable while another program
//! (the editor, the shell after Ctrl-z) owns the terminal.

use crate::app::model::key::{KeyCode, KeyEvent, KeyModifiers};
use crate::app::model::message::Msg;
use crossterm::event::{self, Event};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

#[derive(Default)]
struct PauseState {
    requested: bool,
    paused: bool,
}

/// Handle to pause and resume the input thread.
#[derive(Clone, Default)]
pub struct InputControl {
    pause: Arc<(Mutex<PauseState>, Condvar)>,
    stop: Arc<AtomicBool>,
}

impl InputControl {
    /// Stop reading input; returns once the thread has let go of the terminal.
    pub fn pause(&self) {
        let (lock, cvar) = &*self.pause;
        let Ok(mut s) = lock.lock() else { return };
        s.requested = true;
        while !s.paused && !self.stop.load(Ordering::SeqCst) {
            match cvar.wait_timeout(s, Duration::from_millis(500)) {
                Ok((guard, _)) => s = guard,
                Err(_) => return,
            }
        }
    }

    pub fn resume(&self) {
        let (lock, cvar) = &*self.pause;
        if let Ok(mut s) = lock.lock() {
            s.requested = false;
            cvar.notify_all();
        }
    }

    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.resume();
    }

    /// Block while a pause is requested; say so to the pausing side.
    fn wait_while_paused(&self) {
        let (lock, cvar) = &*self.pause;
        let Ok(mut s) = lock.lock() else { return };
        while s.requested && !self.stop.load(Ordering::SeqCst) {
            s.paused = true;
            cvar.notify_all();
            match cvar.wait(s) {
                Ok(guard) => s = guard,
                Err(_) => return,
            }
        }
        s.paused = false;
    }
}

static HUNG_UP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

extern "C" fn hung_up(_signal: libc::c_int) {
    HUNG_UP.store(true, Ordering::SeqCst); // an atomic store is async-signal-safe
}

/// On SIGHUP (a dropped SSH connection) the console saves the draft, removes its presence and
/// quits, instead of dying mid-sentence. A thread of its own notices, because the input thread
/// can be stuck reading a terminal that is gone.
pub fn on_hang_up_quit(tx: Sender<Msg>) {
    // SAFETY: the handler only stores to an atomic.
    unsafe {
        libc::signal(libc::SIGHUP, hung_up as *const () as libc::sighandler_t);
    }
    std::thread::spawn(move || {
        while !HUNG_UP.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(100));
        }
        terminal_gone(&tx);
    });
}

/// The terminal is gone (a dropped connection): save and quit.
fn terminal_gone(tx: &Sender<Msg>) {
    let _ = tx.send(Msg::Action(crate::app::model::action::Action::ForceQuit));
}

pub fn spawn_input_thread(tx: Sender<Msg>, control: InputControl) {
    std::thread::spawn(move || {
        while !control.stop.load(Ordering::SeqCst) {
            control.wait_while_paused();
            // A short poll so a pause request is seen quickly; nothing is drawn on a timeout.
            match event::poll(Duration::from_millis(50)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(error) => {
                    // Without input the console cannot be used: save and quit rather than hang.
                    tracing::error!(%error, "reading the terminal failed");
                    return terminal_gone(&tx);
                }
            }
            let msg = match event::read() {
                Ok(Event::Key(key)) => match key_press(key) {
                    Some(key) => Msg::Key(key),
                    None => continue,
                },
                Ok(Event::Paste(text)) => Msg::Paste(text),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                Ok(_) => continue,
                Err(error) => {
                    tracing::error!(%error, "reading the terminal failed");
                    return terminal_gone(&tx);
                }
            };
            if tx.send(msg).is_err() {
                break;
            }
        }
    });
}

/// A key press as the model knows it; `None` for a key release (terminals with the kitty keyboard
/// protocol report those), which the console ignores.
pub fn key_press(event: event::KeyEvent) -> Option<KeyEvent> {
    use event::KeyCode as C;
    if event.kind == event::KeyEventKind::Release {
        return None;
    }
    let code = match event.code {
        C::Char(c) => KeyCode::Char(c),
        C::Enter => KeyCode::Enter,
        C::Esc => KeyCode::Esc,
        C::Tab => KeyCode::Tab,
        C::BackTab => KeyCode::BackTab,
        C::Backspace => KeyCode::Backspace,
        C::Delete => KeyCode::Delete,
        C::Insert => KeyCode::Insert,
        C::Left => KeyCode::Left,
        C::Right => KeyCode::Right,
        C::Up => KeyCode::Up,
        C::Down => KeyCode::Down,
        C::Home => KeyCode::Home,
        C::End => KeyCode::End,
        C::PageUp => KeyCode::PageUp,
        C::PageDown => KeyCode::PageDown,
        C::F(n) => KeyCode::F(n),
        _ => KeyCode::Other,
    };
    let mut modifiers = KeyModifiers::NONE;
    for (theirs, ours) in [
        (event::KeyModifiers::SHIFT, KeyModifiers::SHIFT),
        (event::KeyModifiers::CONTROL, KeyModifiers::CONTROL),
        (event::KeyModifiers::ALT, KeyModifiers::ALT),
    ] {
        if event.modifiers.contains(theirs) {
            modifiers |= ours;
        }
    }
    Some(KeyEvent::new(code, modifiers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presses_become_the_models_keys_and_releases_are_dropped() {
        let ctrl_s = event::KeyEvent::new(event::KeyCode::Char('s'), event::KeyModifiers::CONTROL);
        assert_eq!(key_press(ctrl_s), Some(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
        let mut release = ctrl_s;
        release.kind = event::KeyEventKind::Release;
        assert_eq!(key_press(release), None);
        let back_tab = event::KeyEvent::new(event::KeyCode::BackTab, event::KeyModifiers::SHIFT);
        assert_eq!(key_press(back_tab).map(|k| k.code), Some(KeyCode::BackTab));
    }
}

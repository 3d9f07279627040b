//! The console without a terminal: the same update and draw, with frames written into a byte sink.
//! Benchmarks and tests use it to count what a keystroke costs and how long it takes.

use crate::app::effects::App;
use crate::app::model::key::{KeyCode, KeyEvent, KeyModifiers};
use crate::app::model::keymap::Keymap;
use crate::app::model::message::Msg;
use crate::app::model::state::State;
use crate::app::model::views::View;
use crate::app::term::backend::ByteSavingBackend;
use crate::app::term::output::ByteSink;
use crate::domain::{Agent, Timestamp};
use crate::store::Store;
use crate::ui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::layout::Size;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io;

pub struct Headless {
    pub app: App,
    term: Terminal<ByteSavingBackend<ByteSink>>,
    sink: ByteSink,
    theme: Theme,
    /// Bytes of the first frame.
    pub first_frame: usize,
    /// Keep a copy of each frame for [`Headless::screen_text`] (off in benchmarks).
    pub capture: bool,
    last: Option<ratatui::buffer::Buffer>,
    /// The bytes of the last frame (with a clipboard copy or a title before and after it), when
    /// capturing.
    pub last_bytes: Vec<u8>,
    title: crate::app::term::osc::TitleTracker,
}

impl Headless {
    /// Start the console on `store` at a fixed size and draw its first frame.
    pub fn start(store: Store, agent: Agent, view: View, size: (u16, u16), now: Timestamp) -> io::Result<Headless> {
        Headless::start_with(store, agent, view, size, now, |_| {})
    }

    /// The same, with the console's settings (mail, SLA policies) set by `setup` before it starts.
    pub fn start_with(
        store: Store,
        agent: Agent,
        view: View,
        size: (u16, u16),
        now: Timestamp,
        setup: impl FnOnce(&mut App),
    ) -> io::Result<Headless> {
        let (keymap, _) = Keymap::build(&Default::default());
        let state = State::new(agent, keymap, view, size, now);
        let mut app = App::new(state, store);
        setup(&mut app);
        app.start();
        let viewport = Viewport::Fixed(Rect::new(0, 0, size.0, size.1));
        let sink = ByteSink::default();
        let backend = ByteSavingBackend::with_size(sink.clone(), Size { width: size.0, height: size.1 });
        let term = Terminal::with_options(backend, TerminalOptions { viewport })?;
        let mut headless = Headless {
            app,
            term,
            sink,
            theme: Theme::ansi16(),
            first_frame: 0,
            capture: true,
            last: None,
            last_bytes: Vec::new(),
            title: Default::default(),
        };
        headless.app.wait_for_store();
        headless.first_frame = headless.draw()?;
        Ok(headless)
    }

    /// Draw a frame as the console does (a clipboard copy asked for goes before it, a changed
    /// window title after); returns the bytes it would send.
    pub fn draw(&mut self) -> io::Result<usize> {
        for request in std::mem::take(&mut self.app.terminal_requests) {
            match request {
                crate::app::model::message::Effect::Copy { text } => {
                    crate::app::term::osc::write_clipboard(self.term.backend_mut(), &text)?
                }
                crate::app::model::message::Effect::Bell => crate::app::term::osc::write_bell(self.term.backend_mut())?,
                _ => {}
            }
        }
        let mut copy = self.capture.then(ratatui::buffer::Buffer::default);
        super::draw_frame(&mut self.term, &self.app.state, &self.theme, copy.as_mut())?;
        self.title.update(self.term.backend_mut(), &self.app.state)?;
        if copy.is_some() {
            self.last = copy;
        }
        let mut bytes = self.sink.bytes.borrow_mut();
        if self.capture {
            self.last_bytes.clone_from(&bytes);
        }
        if let Ok(path) = std::env::var("FRONTDESK_DUMP_FRAME") {
            let _ = std::fs::write(path, &*bytes);
        }
        let n = bytes.len();
        bytes.clear();
        Ok(n)
    }

    /// One key press: update, the store work it asks for, then a frame, as the console shows it
    /// (mail being delivered is not waited for). Returns the frame's bytes.
    pub fn press(&mut self, key: KeyEvent) -> io::Result<usize> {
        self.app.handle(Msg::Key(key));
        self.app.wait_for_store();
        self.draw()
    }

    /// The cursor rests: the preview's timer fires (tests have no timers) and the ticket under the
    /// cursor is shown. Returns the frame's bytes.
    pub fn rest(&mut self) -> io::Result<usize> {
        let generation = self.app.state.preview.generation;
        self.app.handle(Msg::PreviewDue { generation });
        self.app.wait_for_store();
        self.draw()
    }

    /// The screen as text, one line per row.
    pub fn screen_text(&self) -> String {
        let mut text = String::new();
        let Some(buffer) = &self.last else { return text };
        let area = buffer.area;
        for y in area.top()..area.bottom() {
            for x in area.left()..area.right() {
                text.push_str(buffer[(x, y)].symbol());
            }
            text.push('\n');
        }
        text
    }
}

/// A key as the terminal reports it: `j`, `Enter`, `Esc`, `Tab`, `C-d`.
pub fn key(name: &str) -> KeyEvent {
    let (code, mods) = match name {
        "Enter" => (KeyCode::Enter, KeyModifiers::NONE),
        "Esc" => (KeyCode::Esc, KeyModifiers::NONE),
        "Tab" => (KeyCode::Tab, KeyModifiers::NONE),
        "BackTab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
        "Down" => (KeyCode::Down, KeyModifiers::NONE),
        "Up" => (KeyCode::Up, KeyModifiers::NONE),
        "Backspace" => (KeyCode::Backspace, KeyModifiers::NONE),
        _ if name.starts_with("C-") => (KeyCode::Char(name[2..].chars().next().unwrap_or(' ')), KeyModifiers::CONTROL),
        _ => (KeyCode::Char(name.chars().next().unwrap_or(' ')), KeyModifiers::NONE),
    };
    KeyEvent::new(code, mods)
}

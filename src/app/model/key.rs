//! A key press as the console's model knows it. The terminal layer turns crossterm's events into
//! these (dropping key releases), so nothing above it depends on the terminal library.

/// Which key was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Tab,
    /// Shift-Tab, as terminals report it.
    BackTab,
    Backspace,
    Delete,
    Insert,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    PageUp,
    PageDown,
    F(u8),
    /// A key the console has no name for.
    Other,
}

/// Modifier keys held with a key, as a small set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KeyModifiers(u8);

impl KeyModifiers {
    pub const NONE: KeyModifiers = KeyModifiers(0);
    pub const SHIFT: KeyModifiers = KeyModifiers(1);
    pub const CONTROL: KeyModifiers = KeyModifiers(2);
    pub const ALT: KeyModifiers = KeyModifiers(4);

    pub fn contains(self, other: KeyModifiers) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn remove(&mut self, other: KeyModifiers) {
        self.0 &= !other.0;
    }

    pub fn bits(self) -> u8 {
        self.0
    }
}

impl std::ops::BitOr for KeyModifiers {
    type Output = KeyModifiers;

    fn bitor(self, other: KeyModifiers) -> KeyModifiers {
        KeyModifiers(self.0 | other.0)
    }
}

impl std::ops::BitOrAssign for KeyModifiers {
    fn bitor_assign(&mut self, other: KeyModifiers) {
        self.0 |= other.0;
    }
}

impl std::ops::BitAnd for KeyModifiers {
    type Output = KeyModifiers;

    fn bitand(self, other: KeyModifiers) -> KeyModifiers {
        KeyModifiers(self.0 & other.0)
    }
}

/// One key press.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyEvent {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl KeyEvent {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent { code, modifiers }
    }

    fn ctrl(self) -> bool {
        self.modifiers.contains(KeyModifiers::CONTROL)
    }

    fn alt(self) -> bool {
        self.modifiers.contains(KeyModifiers::ALT)
    }

    /// What this key does in a one-line input (the `/` filter, a picker's search): the usual
    /// readline keys; `None` for keys a one-line input ignores.
    pub fn line_edit(self) -> Option<tui_input::InputRequest> {
        use tui_input::InputRequest as Edit;
        let plain = !self.ctrl() && !self.alt();
        match self.code {
            KeyCode::Char(c) if plain || (self.ctrl() && self.alt()) => Some(Edit::InsertChar(c)),
            KeyCode::Backspace if self.alt() => Some(Edit::DeletePrevWord),
            KeyCode::Backspace => Some(Edit::DeletePrevChar),
            KeyCode::Delete if self.ctrl() => Some(Edit::DeleteNextWord),
            KeyCode::Delete => Some(Edit::DeleteNextChar),
            KeyCode::Left if self.ctrl() => Some(Edit::GoToPrevWord),
            KeyCode::Left => Some(Edit::GoToPrevChar),
            KeyCode::Right if self.ctrl() => Some(Edit::GoToNextWord),
            KeyCode::Right => Some(Edit::GoToNextChar),
            KeyCode::Home => Some(Edit::GoToStart),
            KeyCode::End => Some(Edit::GoToEnd),
            KeyCode::Char(c) if self.ctrl() => match c {
                'h' => Some(Edit::DeletePrevChar),
                'a' => Some(Edit::GoToStart),
                'e' => Some(Edit::GoToEnd),
                'b' => Some(Edit::GoToPrevChar),
                'f' => Some(Edit::GoToNextChar),
                'u' => Some(Edit::DeleteLine),
                'w' => Some(Edit::DeletePrevWord),
                'k' => Some(Edit::DeleteTillEnd),
                'y' => Some(Edit::Yank),
                _ => None,
            },
            KeyCode::Char(c) if self.alt() => match c {
                'b' => Some(Edit::GoToPrevWord),
                'f' => Some(Edit::GoToNextWord),
                'd' => Some(Edit::DeletePrevWord),
                _ => None,
            },
            _ => None,
        }
    }

    /// The key as the composer's text area takes it.
    pub fn for_text_area(self) -> ratatui_textarea::Input {
        use ratatui_textarea::Key;
        let key = match self.code {
            KeyCode::Char(c) => Key::Char(c),
            KeyCode::Enter => Key::Enter,
            KeyCode::Esc => Key::Esc,
            KeyCode::Tab => Key::Tab,
            KeyCode::Backspace => Key::Backspace,
            KeyCode::Delete => Key::Delete,
            KeyCode::Left => Key::Left,
            KeyCode::Right => Key::Right,
            KeyCode::Up => Key::Up,
            KeyCode::Down => Key::Down,
            KeyCode::Home => Key::Home,
            KeyCode::End => Key::End,
            KeyCode::PageUp => Key::PageUp,
            KeyCode::PageDown => Key::PageDown,
            KeyCode::F(n) => Key::F(n),
            KeyCode::BackTab | KeyCode::Insert | KeyCode::Other => Key::Null,
        };
        let shift = self.modifiers.contains(KeyModifiers::SHIFT) || self.code == KeyCode::BackTab;
        ratatui_textarea::Input { key, ctrl: self.ctrl(), alt: self.alt(), shift }
    }
}

impl From<KeyCode> for KeyEvent {
    fn from(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }
}

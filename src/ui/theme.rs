//! Colours and styles. The default uses the 16 ANSI colours; monochrome (and `NO_COLOR`) uses
//! only bold, dim, italic and reverse, so nothing depends on colour alone.

use crate::domain::{MessageKind, Priority, Status};
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::BorderType;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
}

impl Theme {
    pub fn ansi16() -> Theme {
        Theme { color: true }
    }

    pub fn monochrome() -> Theme {
        Theme { color: false }
    }

    /// The configured theme, monochrome when `NO_COLOR` is set to anything non-empty.
    pub fn from_config(name: &str) -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if no_color || name == "monochrome" {
            Theme::monochrome()
        } else {
            Theme::ansi16()
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            self.fg(Color::DarkGray)
        }
    }

    /// Focus shows in the border's shape too, not only its colour.
    pub fn border_type(&self, focused: bool) -> BorderType {
        if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        }
    }

    pub fn selected(&self, focused: bool) -> Style {
        let style = Style::new().add_modifier(Modifier::REVERSED);
        if focused {
            style.add_modifier(Modifier::BOLD)
        } else {
            style
        }
    }

    pub fn priority(&self, priority: Priority) -> Style {
        match priority {
            Priority::Urgent => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Priority::High => self.fg(Color::Yellow),
            Priority::Normal | Priority::Low => Style::new(),
        }
    }

    pub fn status(&self, status: Status) -> Style {
        match status {
            Status::New => self.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Status::Open => self.fg(Color::Green),
            Status::Pending | Status::OnHold => self.fg(Color::Yellow),
            Status::Solved | Status::Closed => self.dim(),
        }
    }

    pub fn author(&self, kind: MessageKind) -> Style {
        match kind {
            MessageKind::Customer => self.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            MessageKind::Reply => self.fg(Color::Green).add_modifier(Modifier::BOLD),
            MessageKind::Note => self.fg(Color::Yellow).add_modifier(Modifier::BOLD | Modifier::ITALIC),
            MessageKind::System => self.dim(),
        }
    }

    pub fn body(&self, kind: MessageKind) -> Style {
        match kind {
            MessageKind::Note => self.fg(Color::Yellow).add_modifier(Modifier::ITALIC),
            MessageKind::System => self.dim(),
            _ => Style::new(),
        }
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn heading(&self) -> Style {
        self.fg(Color::Blue).add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn matched(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// Marks a customer waiting on us: `⏳` in colour; a plain letter in monochrome (and under
    /// `NO_COLOR`), where an emoji may not be drawn or may be drawn in colour.
    pub fn waiting_glyph(&self) -> &'static str {
        if self.color {
            "⏳"
        } else {
            "w"
        }
    }

    pub fn waiting(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn tab(&self, active: bool) -> Style {
        if active {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new()
        }
    }
}

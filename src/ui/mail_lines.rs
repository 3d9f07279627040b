//! The mail side of a message in the conversation: which rule threaded it, its attachments, its delivery.

use super::text::fit;
use super::theme::Theme;
use crate::domain::mail::ThreadRule;
use crate::domain::text::for_display_line;
use crate::domain::{Delivery, MessageMail};
use ratatui::text::Line;

/// Dim lines under a message's body; nothing for a message that did not come or go as mail.
pub fn push(mail: Option<&MessageMail>, width: usize, theme: &Theme, out: &mut Vec<Line<'static>>) {
    let Some(mail) = mail else { return };
    let mut line = |text: String| out.push(Line::from(fit(&text, width)).style(theme.dim()));
    if let Some(rule) = mail.thread_rule.as_deref().and_then(ThreadRule::from_name) {
        line(format!("↳ {rule}"));
    }
    for a in &mail.attachments {
        let inline = if a.inline { " · inline" } else { "" };
        line(format!(
            "📎 {} {} · {} · {}{inline}",
            a.id,
            for_display_line(&a.name),
            human_size(a.size),
            for_display_line(&a.content_type)
        ));
    }
    match &mail.delivery {
        Some(Delivery::Sent) | None => {}
        Some(Delivery::Waiting) => line("✉ waiting in the outbox".into()),
        Some(Delivery::Failed(e)) => line(format!("✉ not sent, in the outbox: {}", for_display_line(e))),
    }
}

/// `812 B`, `12 KB`, `3.4 MB`.
pub fn human_size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{} KB", b.div_ceil(1024)),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

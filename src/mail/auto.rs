//! Mail written by machines: auto-replies and bounces.

use crate::domain::mail::Automatic;
use mail_parser::{Message, MimeHeaders};

/// Auto-Submitted, Precedence bulk/junk/list/auto_reply, X-Autoreply, mailer-daemon senders,
/// multipart/report and X-Failed-Recipients.
pub fn detect(message: &Message) -> Option<Automatic> {
    let header = |name: &str| message.header_raw(name).map(|v| v.trim().to_ascii_lowercase());
    let is_report = message.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart") && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("report"))
    });
    let from =
        message.from().and_then(|a| a.first()).and_then(|a| a.address.as_deref()).unwrap_or("").to_ascii_lowercase();
    let local = from.split('@').next().unwrap_or("");
    let bare_mail_system = super::sender::is_mail_system(message);
    if is_report
        || header("X-Failed-Recipients").is_some()
        || matches!(local, "mailer-daemon" | "postmaster")
        || bare_mail_system
    {
        return Some(Automatic::Bounce);
    }
    let auto_submitted = header("Auto-Submitted").is_some_and(|v| !v.is_empty() && !v.starts_with("no"));
    let precedence =
        header("Precedence").is_some_and(|v| matches!(v.as_str(), "bulk" | "junk" | "list" | "auto_reply"));
    let autoreply = header("X-Autoreply").is_some() || header("X-Autorespond").is_some();
    (auto_submitted || precedence || autoreply).then_some(Automatic::AutoReply)
}

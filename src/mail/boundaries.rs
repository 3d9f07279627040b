//! Multiparts whose closing boundaries never came (a mailer cut off, a hand-made mail): the last
//! part of each is then not decoded by mail-parser (its quoted-printable stays raw). Closing them
//! at the end of the mail and reading it again decodes every part.

use mail_parser::{Message, MimeHeaders, PartType};
use memchr::memmem;

/// `raw` with the missing closing delimiters added at its end, innermost first; `None` when every
/// multipart is closed (the common case: one search per multipart, no copy).
pub fn closed(raw: &[u8], message: &Message) -> Option<Vec<u8>> {
    let missing: Vec<String> = message
        .parts
        .iter()
        .filter(|p| matches!(p.body, PartType::Multipart(_)))
        .filter_map(|p| p.content_type()?.attribute("boundary").map(str::to_string))
        .filter(|b| !b.is_empty() && memmem::find(raw, format!("--{b}--").as_bytes()).is_none())
        .collect();
    if missing.is_empty() {
        return None;
    }
    let mut fixed = raw.to_vec();
    for boundary in missing.iter().rev() {
        fixed.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    }
    Some(fixed)
}

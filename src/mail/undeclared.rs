//! Headers sent as raw 8-bit bytes with no charset (GB2312, Shift_JIS, KOI8-R subjects, sender
//! names and file names). mail-parser reads them as UTF-8 and shows U+FFFD; here they are read
//! again in the charset the mail declares for its text, or the one chardetng guesses, and their
//! bytes are kept beside the text ([`RawHeader`]). ASCII and UTF-8 headers cost one check each.

use super::charset;
use crate::domain::mail::RawHeader;
use encoding_rs::Encoding;
use mail_parser::{HeaderName, Message, MessageParser, MessagePart, MimeHeaders};

/// The charset chosen for one mail's undeclared bytes: one choice for all of them, made from all
/// of them (more text guesses better than one short subject).
pub struct Undeclared<'m> {
    message: &'m Message<'m>,
    encoding: Option<&'static Encoding>,
}

impl<'m> Undeclared<'m> {
    pub fn new(message: &'m Message<'m>) -> Undeclared<'m> {
        let mut sample = Vec::new();
        for part in &message.parts {
            for name in [HeaderName::Subject, HeaderName::From, HeaderName::ContentType, HeaderName::ContentDisposition]
            {
                if let Some(raw) = raw_value(message, part, &name).filter(|r| charset::needs_guess(r)) {
                    sample.extend_from_slice(raw);
                    sample.push(b' ');
                }
            }
        }
        if sample.is_empty() {
            return Undeclared { message, encoding: None };
        }
        let hint = declared_text_charset(message);
        let (_, name) = charset::decode_undeclared(&sample, hint, tld(message).as_deref());
        Undeclared { message, encoding: Encoding::for_label(name.as_bytes()) }
    }

    /// The Subject read again, with its raw bytes, when it had undeclared 8-bit bytes.
    pub fn subject(&self) -> Option<(String, RawHeader)> {
        let (text, raw) = self.redecode(&self.message.parts[0], HeaderName::Subject, "Subject")?;
        let parsed = reparse(&format!("Subject: {text}\r\n\r\n"));
        Some((parsed.as_ref().and_then(|m| m.subject()).unwrap_or(&text).trim().to_string(), raw))
    }

    /// The From display name read again, with its raw bytes.
    pub fn from_name(&self) -> Option<(String, RawHeader)> {
        let (text, raw) = self.redecode(&self.message.parts[0], HeaderName::From, "From")?;
        let parsed = reparse(&format!("From: {text}\r\n\r\n"))?;
        let name = parsed.from()?.first()?.name.as_deref()?.trim().trim_matches('"').trim().to_string();
        Some((name, raw))
    }

    /// A part's Content-Type and Content-Disposition values as text: read again when they held
    /// undeclared bytes, else as sent; and the raw bytes of the one the name comes from
    /// (Content-Disposition first, as for the name).
    pub fn part_headers(&self, part: &MessagePart, field: &str) -> (Option<String>, Option<String>, Option<RawHeader>) {
        let value = |name: HeaderName<'static>| match self.redecode(part, name.clone(), field) {
            Some((text, raw)) => (Some(text), Some(raw)),
            None => (raw_value(self.message, part, &name).map(|r| String::from_utf8_lossy(r).into_owned()), None),
        };
        let (content_type, type_raw) = value(HeaderName::ContentType);
        let (disposition, disposition_raw) = value(HeaderName::ContentDisposition);
        (content_type, disposition, disposition_raw.or(type_raw))
    }

    fn redecode(&self, part: &MessagePart, name: HeaderName<'static>, field: &str) -> Option<(String, RawHeader)> {
        let encoding = self.encoding?;
        let raw = raw_value(self.message, part, &name).filter(|r| charset::needs_guess(r))?;
        let (text, _) = encoding.decode_without_bom_handling(raw);
        let kept = RawHeader { field: field.to_string(), charset: encoding.name().to_string(), raw: raw.to_vec() };
        Some((text.into_owned(), kept))
    }
}

/// A name the re-read Content-Type/Content-Disposition give (mail-parser decodes encoded words).
pub fn name_from_headers(content_type: Option<&str>, disposition: Option<&str>) -> Option<String> {
    let mut head = String::new();
    for (name, value) in [("Content-Type", content_type), ("Content-Disposition", disposition)] {
        if let Some(value) = value {
            head.push_str(&format!("{name}:{value}\r\n"));
        }
    }
    head.push_str("\r\n");
    let parsed = reparse(&head)?;
    parsed.parts.first()?.attachment_name().map(str::to_string)
}

fn reparse(head: &str) -> Option<Message<'static>> {
    MessageParser::default().parse(head.as_bytes()).map(|m| m.into_owned())
}

/// A header's value as the bytes sent (the first of that name in the part), without the space
/// before it and the line end after it.
pub fn raw_value<'a>(message: &'a Message, part: &MessagePart, name: &HeaderName) -> Option<&'a [u8]> {
    let header = part.headers.iter().find(|h| &h.name == name)?;
    let raw = message.raw_message().get(header.offset_start as usize..header.offset_end as usize)?;
    Some(raw.trim_ascii())
}

/// The charset the mail declares for its text, when not ASCII or UTF-8: the best hint for its headers.
fn declared_text_charset(message: &Message) -> Option<&'static Encoding> {
    let ids = message.text_body.iter().chain(message.html_body.iter()).chain(std::iter::once(&0));
    ids.filter_map(|id| message.parts.get(*id as usize))
        .filter_map(|p| p.content_type().and_then(|ct| ct.attribute("charset")))
        .filter_map(charset::for_label)
        .find(|e| *e != encoding_rs::UTF_8 && *e != encoding_rs::WINDOWS_1252)
}

/// The sender domain's top-level domain, chardetng's other hint (`.jp`, `.ru`, `.cn`).
fn tld(message: &Message) -> Option<Vec<u8>> {
    let address = message.from()?.first()?.address.as_deref()?;
    let tld = address.rsplit('.').next()?.trim_end_matches('>');
    (tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())).then(|| tld.to_ascii_lowercase().into_bytes())
}

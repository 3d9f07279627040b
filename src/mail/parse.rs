//! Raw bytes to an [`IncomingMail`]: MIME structure, charsets, encoded words, HTML to text, attachments.
//! Mail past the limits, or that does not parse, is refused with a reason (and quarantined by import).

use super::undeclared::{self, Undeclared};
use super::{auto, boundaries, charset, html, rfc2231, sender, uuencode};
use crate::domain::mail::{Automatic, IncomingMail, MailAttachment, RawHeader};
use mail_parser::{HeaderValue, Message, MessageParser, MessagePart, MimeHeaders, PartType};
use std::fmt;

/// How big and how deep a mail may be before it is quarantined instead of imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_size: u64,
    pub max_depth: usize,
    pub max_parts: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_size: crate::config::DEFAULT_MAX_MESSAGE_SIZE, max_depth: 32, max_parts: 1000 }
    }
}

impl Limits {
    /// No limits: for releasing a mail an agent has looked at.
    pub fn none() -> Limits {
        Limits { max_size: u64::MAX, max_depth: usize::MAX, max_parts: usize::MAX }
    }
}

/// Why a mail was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    TooLarge { size: u64, limit: u64 },
    TooDeep { limit: usize },
    TooManyParts { parts: usize, limit: usize },
    Unparseable,
    ParserFailed,
    NoSender(String),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::TooLarge { size, limit } => write!(f, "too large ({size} bytes; the limit is {limit})"),
            Refusal::TooDeep { limit } => write!(f, "MIME parts nested deeper than {limit} levels"),
            Refusal::TooManyParts { parts, limit } => write!(f, "{parts} MIME parts (the limit is {limit})"),
            Refusal::Unparseable => f.write_str("not an email message (it does not parse)"),
            Refusal::ParserFailed => f.write_str("the MIME parser failed on it"),
            Refusal::NoSender(from) if from.is_empty() => f.write_str("no sender address"),
            Refusal::NoSender(from) => write!(f, "the sender address '{from}' is not usable"),
        }
    }
}

/// Decode `raw` within `limits`; `content_hash` identifies it when it has no Message-ID.
pub fn parse_mail(raw: &[u8], limits: &Limits, content_hash: String) -> Result<IncomingMail, Refusal> {
    parse_mail_from(raw, limits, content_hash, None)
}

/// As [`parse_mail`], with the sender given by hand (an agent releasing a quarantined mail).
pub fn parse_mail_from(
    raw: &[u8],
    limits: &Limits,
    content_hash: String,
    given_sender: Option<&str>,
) -> Result<IncomingMail, Refusal> {
    if raw.len() as u64 > limits.max_size {
        return Err(Refusal::TooLarge { size: raw.len() as u64, limit: limits.max_size });
    }
    // A parser bug must not take the whole import down: the mail is quarantined instead.
    let parsed = crate::panics::catch_quietly(|| MessageParser::default().parse(raw));
    let message = parsed.map_err(|_| Refusal::ParserFailed)?.ok_or(Refusal::Unparseable)?;
    // Multiparts left open are closed where they end and the mail read again, so every part
    // decodes; not for a mail past the part limit, which is refused below anyway.
    let closed = (message.parts.len() <= limits.max_parts).then(|| boundaries::closed(raw, &message)).flatten();
    let message = match &closed {
        Some(bytes) => crate::panics::catch_quietly(|| MessageParser::default().parse(&bytes[..]))
            .ok()
            .flatten()
            .unwrap_or(message),
        None => message,
    };
    if message.headers().is_empty() {
        return Err(Refusal::Unparseable);
    }
    check_shape(&message, limits)?;
    let automatic = auto::detect(&message);
    let undeclared = Undeclared::new(&message);
    let mut raw_headers = Vec::new();
    let (mut from_email, mut from_name) = sender::sender(&message);
    if let Some((name, raw)) = undeclared.from_name() {
        from_name = Some(name).filter(|n| !n.is_empty());
        raw_headers.push(raw);
    } else if let Some(name) = utf7_header(&message, "From", |m| Some(m.from()?.first()?.name.as_deref()?.to_string()))
    {
        from_name = Some(name.trim().to_string());
    }
    if let Some(given) = given_sender {
        (from_email, from_name) = (sender::normalize(given), None);
    }
    // A machine may send without an address (a bounce); it can still thread onto its ticket.
    let machine_without_address = automatic.is_some() && from_email.is_empty();
    if !machine_without_address && !crate::domain::is_mail_address(&from_email) {
        return Err(Refusal::NoSender(from_email));
    }
    let subject = match undeclared.subject() {
        Some((subject, raw)) => {
            raw_headers.push(raw);
            subject
        }
        None => utf7_header(&message, "Subject", |m| m.subject().map(str::to_string))
            .unwrap_or_else(|| message.subject().unwrap_or("").to_string()),
    };
    let (body, uu_files) = uuencode::extract(&body_text(&message));
    let mut attachments = attachments(&message, &undeclared, &mut raw_headers);
    attachments.extend(uu_files.into_iter().map(|f| MailAttachment {
        content_type: content_type_of_name(&f.name).into(),
        name: f.name,
        inline: false,
        content_id: None,
        data: f.data,
    }));
    let mut in_reply_to = ids(message.in_reply_to());
    if automatic == Some(Automatic::Bounce) {
        // A bounce carries the mail it bounces: its Message-ID says which ticket it belongs to.
        in_reply_to.extend(returned_message_ids(&message));
    }
    Ok(IncomingMail {
        message_id: message.message_id().map(str::trim).filter(|id| !id.is_empty()).map(str::to_string),
        in_reply_to,
        references: ids(message.references()),
        from_email,
        from_name,
        subject,
        body,
        attachments,
        automatic,
        content_hash,
        sent_at: message.date().map(|d| d.to_timestamp().saturating_mul(1000)),
        raw_headers,
        reply_to: reply_to(&message),
    })
}

/// Depth and part count over the whole tree, nested messages included, without recursion.
fn check_shape(message: &Message, limits: &Limits) -> Result<(), Refusal> {
    let mut parts = 0usize;
    let mut stack: Vec<(&Message, u32, usize)> = vec![(message, 0, 1)];
    while let Some((msg, id, depth)) = stack.pop() {
        if depth > limits.max_depth {
            return Err(Refusal::TooDeep { limit: limits.max_depth });
        }
        parts += 1;
        if parts > limits.max_parts {
            return Err(Refusal::TooManyParts { parts: count_parts(message), limit: limits.max_parts });
        }
        match msg.parts.get(id as usize).map(|p| &p.body) {
            Some(PartType::Multipart(children)) => {
                stack.extend(children.iter().filter(|c| **c != id).map(|c| (msg, *c, depth + 1)))
            }
            Some(PartType::Message(nested)) => stack.push((nested, 0, depth + 1)),
            _ => {}
        }
    }
    Ok(())
}

fn count_parts(message: &Message) -> usize {
    message.parts.iter().map(|p| if let PartType::Message(m) = &p.body { 1 + count_parts(m) } else { 1 }).sum()
}

/// A header whose encoded words are UTF-7 under a label mail-parser does not know, decoded
/// through a parse of the words rewritten as UTF-8; `None` when it has no UTF-7 words.
fn utf7_header(message: &Message, name: &str, read: impl Fn(&Message) -> Option<String>) -> Option<String> {
    let rewritten = charset::utf7_words_as_utf8(message.header_raw(name)?)?;
    let head = format!("{name}: {rewritten}\r\n\r\n");
    read(&MessageParser::default().parse(head.as_bytes())?)
}

/// The Reply-To address (lower-cased) when it is a plausible one.
fn reply_to(message: &Message) -> Option<String> {
    let addr = first_address(message.reply_to())?;
    let email = addr.address.as_deref()?.trim().to_lowercase();
    crate::domain::is_plausible_email(&email).then_some(email)
}

fn first_address<'x>(a: Option<&mail_parser::Address<'x>>) -> Option<mail_parser::Addr<'x>> {
    a.and_then(|a| a.iter().find(|x| x.address.is_some()).cloned())
}

fn ids(value: &HeaderValue) -> Vec<String> {
    let raw: Vec<&str> = match value {
        HeaderValue::Text(id) => vec![id.as_ref()],
        HeaderValue::TextList(list) => list.iter().map(|s| s.as_ref()).collect(),
        _ => vec![],
    };
    raw.into_iter()
        .flat_map(|s| s.split([' ', ',', '\t', '\r', '\n']))
        .map(|s| s.trim().trim_matches(['<', '>']).to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn returned_message_ids(message: &Message) -> Vec<String> {
    message
        .parts
        .iter()
        .filter_map(|p| match &p.body {
            PartType::Message(nested) => nested.message_id().map(str::to_string),
            _ => None,
        })
        .collect()
}

/// The readable text: the plain-text bodies, or the HTML ones turned into text; the HTML also
/// when the plain alternative is blank.
fn body_text(message: &Message) -> String {
    let mut text = joined_text(message, &message.text_body);
    if text.trim().is_empty() && message.html_body != message.text_body {
        let html = joined_text(message, &message.html_body);
        if !html.trim().is_empty() {
            text = html;
        }
    }
    collapse_blank_runs(text.trim_end().trim_start_matches(['\r', '\n']))
}

/// One body part as text: UTF-7 under a label mail-parser does not know decoded, HTML laid out.
fn part_text(part: &MessagePart) -> Option<String> {
    let utf7 = part.content_type().and_then(|ct| ct.attribute("charset")).is_some_and(charset::utf7_left_undecoded);
    let text = |t: &str| if utf7 { charset::decode_utf7(t) } else { t.to_string() };
    match &part.body {
        PartType::Text(t) => Some(text(t)),
        PartType::Html(h) => Some(html::to_text(&text(h))),
        _ => None,
    }
}

fn joined_text(message: &Message, ids: &[u32]) -> String {
    let mut text = String::new();
    for id in ids {
        let Some(piece) = message.parts.get(*id as usize).and_then(part_text) else { continue };
        if !text.is_empty() && !piece.trim().is_empty() {
            text.push('\n');
        }
        text.push_str(&piece);
    }
    text
}

/// At most two blank lines in a row: HTML mail often carries screens of empty (or zero-width) lines.
fn collapse_blank_runs(text: &str) -> String {
    let blank = |line: &str| line.chars().all(|c| c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}'));
    let mut out = String::with_capacity(text.len());
    let mut blanks = 0;
    for line in text.split('\n') {
        blanks = if blank(line) { blanks + 1 } else { 0 };
        if blanks <= 2 {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.pop();
    out
}

fn is_body(message: &Message, id: u32) -> bool {
    message.text_body.contains(&id) || message.html_body.contains(&id)
}

/// Attachments and inline images, with names (generated when missing), types and bytes; the raw
/// bytes of names that declared no charset go to `raw_headers`.
fn attachments(message: &Message, undeclared: &Undeclared, raw_headers: &mut Vec<RawHeader>) -> Vec<MailAttachment> {
    let mut found = Vec::new();
    for (id, part) in message.parts.iter().enumerate() {
        let id = id as u32;
        let is_attachment = match &part.body {
            PartType::Binary(_) | PartType::InlineBinary(_) | PartType::Message(_) => true,
            PartType::Text(_) | PartType::Html(_) => message.attachments.contains(&id) && !is_body(message, id),
            PartType::Multipart(_) => false,
        };
        if is_attachment {
            let n = found.len() + 1;
            let (name, raw) = attachment_name(part, undeclared, n);
            raw_headers.extend(raw);
            found.push(attachment(message, part, name, n));
        }
    }
    found
}

/// The file name as sent: RFC 2231 segments joined, undeclared 8-bit bytes read in their charset.
fn attachment_name(part: &MessagePart, undeclared: &Undeclared, n: usize) -> (Option<String>, Option<RawHeader>) {
    let (content_type, disposition, raw) = undeclared.part_headers(part, &format!("attachment {n} name"));
    let continued = [&disposition, &content_type]
        .into_iter()
        .flatten()
        .filter(|v| v.contains("*="))
        .find_map(|v| rfc2231::file_name(v));
    let name = continued.or_else(|| {
        raw.as_ref().and_then(|_| undeclared::name_from_headers(content_type.as_deref(), disposition.as_deref()))
    });
    (name.or_else(|| part.attachment_name().map(str::to_string)), raw)
}

fn attachment(message: &Message, part: &MessagePart, name: Option<String>, n: usize) -> MailAttachment {
    let content_type = part
        .content_type()
        .map(|ct| match ct.subtype() {
            Some(sub) => format!("{}/{}", ct.ctype(), sub),
            None => ct.ctype().to_string(),
        })
        .unwrap_or_else(|| match part.body {
            PartType::Text(_) => "text/plain".into(),
            PartType::Message(_) => "message/rfc822".into(),
            _ => "application/octet-stream".into(),
        })
        .to_ascii_lowercase();
    let name = name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| format!("attachment_{n}{}", extension(&content_type)));
    let data = match &part.body {
        PartType::Message(_) => {
            let raw = message.raw_message();
            let (start, end) = (part.offset_body as usize, part.offset_end as usize);
            raw.get(start..end.min(raw.len())).unwrap_or_default().to_vec()
        }
        _ => part.contents().to_vec(),
    };
    let inline =
        matches!(part.body, PartType::InlineBinary(_)) || part.content_disposition().is_some_and(|d| d.is_inline());
    let content_id = part.content_id().map(|c| c.trim_matches(['<', '>']).to_string());
    MailAttachment { name, content_type, inline, content_id, data }
}

/// A type for a uuencoded file, by its name's extension.
fn content_type_of_name(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).as_deref() {
        Some("txt") => "text/plain",
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    }
}

fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/png" => ".png",
        "image/jpeg" | "image/jpg" => ".jpg",
        "image/gif" => ".gif",
        "application/pdf" => ".pdf",
        "text/plain" => ".txt",
        "text/html" => ".html",
        "message/rfc822" => ".eml",
        _ => "",
    }
}

//! Who sent a mail: From, then Sender, Reply-To and Return-Path, with every address RFC 5322
//! allows (a quoted local part, a host without a dot, a domain written with its trailing dot).

use mail_parser::{Address, HeaderValue, Message};

/// A sender address (lower-cased, normalized) and display name; an empty address when none is given.
pub fn sender(message: &Message) -> (String, Option<String>) {
    let candidates = [("From", message.from()), ("Sender", message.sender()), ("Reply-To", message.reply_to())];
    for (header, address) in candidates {
        if let Some((email, name)) = from_header(message, header, address) {
            return (email, name);
        }
    }
    if let Some(email) = return_path(message) {
        return (email, None);
    }
    match bare_mail_system(message) {
        Some(email) => (email, None),
        None => (String::new(), None),
    }
}

fn from_header(message: &Message, header: &str, address: Option<&Address>) -> Option<(String, Option<String>)> {
    let addr = address.and_then(|a| a.iter().find(|x| x.address.as_deref().is_some_and(|a| a.contains('@'))));
    let parsed = addr.and_then(|a| a.address.as_deref()).unwrap_or("");
    // mail-parser drops the quotes of a quoted local part: read it again from the raw header.
    let raw = message.header_raw(header).unwrap_or("");
    let email = match quoted_address(raw) {
        Some(quoted) => normalize(&quoted),
        None if !parsed.is_empty() => normalize(parsed),
        None => return None,
    };
    let name = addr
        .and_then(|a| a.name.as_deref())
        .map(|n| n.trim().trim_matches('"').trim().to_string())
        .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(&email));
    Some((email, name))
}

/// `"john smith"@example.com` as written in a raw header, when the address has a quoted local part.
fn quoted_address(raw: &str) -> Option<String> {
    let spec = match (raw.rfind('<'), raw.rfind('>')) {
        (Some(open), Some(close)) if open < close => &raw[open + 1..close],
        _ => raw,
    };
    let spec = spec.trim();
    let at = spec.rfind('@')?;
    let local = spec[..at].trim();
    (local.len() >= 2 && local.starts_with('"') && local.ends_with('"')).then(|| spec.to_string())
}

/// Lower-cased, without angle brackets, and without the root's trailing dot (`yahoo.com.`).
pub fn normalize(address: &str) -> String {
    let address = address.trim().trim_start_matches('<').trim_end_matches('>').trim();
    let Some(at) = address.rfind('@') else { return address.to_lowercase() };
    let (local, domain) = (address[..at].trim(), address[at + 1..].trim().trim_end_matches('.'));
    let local = if local.starts_with('"') || !local.contains(char::is_whitespace) {
        local.to_string()
    } else {
        format!("\"{local}\"")
    };
    format!("{local}@{domain}").to_lowercase()
}

/// Return-Path: the envelope sender; `<>` (a bounce's) is no address.
fn return_path(message: &Message) -> Option<String> {
    let raw = match message.return_path() {
        HeaderValue::Text(t) => t.to_string(),
        HeaderValue::TextList(l) => l.first().map(|t| t.to_string()).unwrap_or_default(),
        _ => message.header_raw("Return-Path").unwrap_or("").to_string(),
    };
    let email = normalize(&raw);
    email.contains('@').then_some(email)
}

/// A bounce signed only `MAILER-DAEMON` (or `postmaster`): that mail system, named by the host
/// of its Message-ID (`localhost` when it has none).
fn bare_mail_system(message: &Message) -> Option<String> {
    let raw = message.header_raw("From")?.trim().trim_matches(['<', '>', '"']).to_ascii_lowercase();
    if !matches!(raw.as_str(), "mailer-daemon" | "postmaster") {
        return None;
    }
    let host = message
        .message_id()
        .and_then(|id| id.rsplit_once('@'))
        .map(|(_, host)| host.trim_end_matches('>').trim().to_ascii_lowercase())
        .filter(|h| crate::domain::is_mail_address(&format!("{raw}@{h}")))
        .unwrap_or_else(|| "localhost".into());
    Some(format!("{raw}@{host}"))
}

/// True when the From header names a mail system (a bounce) even without an address.
pub fn is_mail_system(message: &Message) -> bool {
    bare_mail_system(message).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_drops_the_trailing_dot_and_keeps_quotes() {
        assert_eq!(normalize("Kim@Yahoo.com."), "kim@yahoo.com");
        assert_eq!(normalize("<root@localhost>"), "root@localhost");
        assert_eq!(normalize("\"John Smith\"@example.com"), "\"john smith\"@example.com");
        assert_eq!(normalize("john smith@example.com"), "\"john smith\"@example.com");
    }

    #[test]
    fn a_quoted_local_part_is_read_from_the_raw_header() {
        assert_eq!(quoted_address(" John <\"john smith\"@example.com>").as_deref(), Some("\"john smith\"@example.com"));
        assert_eq!(quoted_address("\"j s\"@x.example").as_deref(), Some("\"j s\"@x.example"));
        assert_eq!(quoted_address("\"John\" <john@example.com>"), None);
    }
}

//! What the server says, read apart: responses with their literals, numbers in them, and the
//! few things a command line is built from (quoted strings, UID sets).

use super::{ImapError, Result};

/// One response: its text with each literal left as `{N}`, and the literals' bytes in order.
#[derive(Debug, Default)]
pub struct Response {
    pub text: Vec<u8>,
    pub literals: Vec<Vec<u8>>,
}

impl Response {
    pub(super) fn text_str(&self) -> String {
        String::from_utf8_lossy(&self.text).trim_end().to_string()
    }

    /// The number after `key ` in the text (`UID 12`, `[UIDVALIDITY 3]`, `5 EXISTS` by `before`).
    pub(super) fn number_after(&self, key: &str) -> Option<u32> {
        let text = std::str::from_utf8(&self.text).ok()?;
        let upper = text.to_ascii_uppercase();
        let at = upper.find(&format!("{key} "))? + key.len() + 1;
        text[at..].split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
    }
}

/// `{123}\r\n` at the end of a line: the size of the literal that follows.
pub(super) fn literal_size(line: &[u8]) -> Option<usize> {
    let line = line.strip_suffix(b"\r\n").or_else(|| line.strip_suffix(b"\n"))?;
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|b| *b == b'{')?;
    std::str::from_utf8(&inner[open + 1..]).ok()?.trim_end_matches('+').parse().ok()
}

pub(super) fn exists_of(response: &Response) -> Option<u32> {
    let text = response.text_str();
    let rest = text.strip_prefix("* ")?;
    let (n, word) = rest.split_once(' ')?;
    word.eq_ignore_ascii_case("EXISTS").then(|| n.parse().ok())?
}

/// A quoted string; CR and LF cannot be quoted (a literal would be needed, and no name needs one).
pub(super) fn quoted(text: &str) -> Result<String> {
    if text.contains(['\r', '\n']) {
        return Err(ImapError::Protocol("a line break in a name or password".into()));
    }
    Ok(format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"")))
}

/// `1:3,7,9:10` for sorted UIDs.
pub fn uid_set(uids: &[u32]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < uids.len() {
        let mut j = i;
        while j + 1 < uids.len() && uids[j + 1] == uids[j] + 1 {
            j += 1;
        }
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&if i == j { uids[i].to_string() } else { format!("{}:{}", uids[i], uids[j]) });
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_sets_join_runs() {
        assert_eq!(uid_set(&[1, 2, 3, 7, 9, 10]), "1:3,7,9:10");
        assert_eq!(uid_set(&[5]), "5");
    }

    #[test]
    fn literals_are_found_at_the_end_of_a_line_only() {
        assert_eq!(literal_size(b"* 1 FETCH (UID 4 BODY[] {120}\r\n"), Some(120));
        assert_eq!(literal_size(b"* OK {not a literal} here\r\n"), None);
        assert_eq!(literal_size(b"* 1 FETCH (BODY[] {7+}\r\n"), Some(7));
    }

    #[test]
    fn names_are_quoted_and_line_breaks_refused() {
        assert_eq!(quoted(r#"a"b\c"#).unwrap(), r#""a\"b\\c""#);
        assert!(quoted("a\r\nb").is_err());
    }

    #[test]
    fn numbers_come_from_the_text_not_the_literal() {
        let r = Response { text: b"* 3 FETCH (BODY[] {5}\r\n UID 42)\r\n".to_vec(), literals: vec![b"UID 7".to_vec()] };
        assert_eq!(r.number_after("UID"), Some(42));
        let exists = Response { text: b"* 17 EXISTS\r\n".to_vec(), literals: vec![] };
        assert_eq!(exists_of(&exists), Some(17));
    }
}

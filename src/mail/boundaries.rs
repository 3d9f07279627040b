//! Multiparts whose closing boundaries never came (a mailer cut off, a hand-made mail). mail-parser
//! then leaves the last part of such a multipart undecoded (its quoted-printable raw) and, when an
//! outer multipart goes on, reads the outer parts, MIME headers and all, as that part's text. The
//! missing closing delimiters are put where they belong and the mail is read again.

use mail_parser::{Message, MimeHeaders, PartType};
use memchr::memmem;

/// `raw` with each missing closing delimiter added: before the next delimiter of an enclosing
/// multipart, or at the end. `None` when every multipart is closed (the common case: one search
/// per multipart, no copy).
pub fn closed(raw: &[u8], message: &Message) -> Option<Vec<u8>> {
    let boundaries: Vec<String> = message
        .parts
        .iter()
        .filter(|p| matches!(p.body, PartType::Multipart(_)))
        .filter_map(|p| p.content_type()?.attribute("boundary").map(str::to_string))
        .filter(|b| !b.is_empty())
        .collect();
    if boundaries.iter().all(|b| memmem::find(raw, format!("--{b}--").as_bytes()).is_some()) {
        return None;
    }
    Some(repair(raw, &boundaries))
}

/// A line `--B` or `--B--` for a known boundary B: (B's index, is it the close).
fn delimiter(line: &[u8], boundaries: &[String]) -> Option<(usize, bool)> {
    let line = line.trim_ascii_end().strip_prefix(b"--")?;
    boundaries.iter().position(|b| line == b.as_bytes()).map(|i| (i, false)).or_else(|| {
        let open = line.strip_suffix(b"--")?;
        boundaries.iter().position(|b| open == b.as_bytes()).map(|i| (i, true))
    })
}

fn repair(raw: &[u8], boundaries: &[String]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + 64);
    let mut open: Vec<usize> = Vec::new();
    let close = |out: &mut Vec<u8>, b: usize| {
        if !out.ends_with(b"\n") {
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{}--\r\n", boundaries[b]).as_bytes());
    };
    for line in raw.split_inclusive(|b| *b == b'\n') {
        if let Some((b, closing)) = delimiter(line, boundaries) {
            if let Some(at) = open.iter().position(|o| *o == b) {
                // Multiparts opened inside this one and never closed end here.
                for inner in open.drain(at + 1..).rev().collect::<Vec<_>>() {
                    close(&mut out, inner);
                }
                if closing {
                    open.pop();
                }
            } else if !closing {
                open.push(b);
            }
        }
        out.extend_from_slice(line);
    }
    for b in open.into_iter().rev() {
        close(&mut out, b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inner_multipart_is_closed_before_the_outer_goes_on_and_both_at_the_end() {
        let raw = b"--o\r\n--i\r\na\r\n--o\r\nb\r\n";
        let fixed = repair(raw, &["o".to_string(), "i".to_string()]);
        assert_eq!(String::from_utf8(fixed).unwrap(), "--o\r\n--i\r\na\r\n--i--\r\n--o\r\nb\r\n--o--\r\n");
    }

    #[test]
    fn closed_multiparts_are_left_alone() {
        let raw = b"--o\r\n--i\r\na\r\n--i--\r\n--o--\r\n";
        assert_eq!(repair(raw, &["o".to_string(), "i".to_string()]), raw);
    }
}

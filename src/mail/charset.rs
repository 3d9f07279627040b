//! Charsets mail-parser does not handle: UTF-7 under all its labels, and raw 8-bit header bytes
//! that declare no charset (detected with chardetng, only when there are such bytes).

use encoding_rs::Encoding;

/// The labels UTF-7 goes by (`unicode-1-1-utf-7` is what Outlook and old Exchange write).
pub fn is_utf7(charset: &str) -> bool {
    let label = charset.trim().trim_matches('"').to_ascii_lowercase();
    matches!(label.as_str(), "utf-7" | "utf7" | "unicode-1-1-utf-7" | "csunicode11utf7" | "x-unicode-2-0-utf-7")
}

/// UTF-7 labels that mail-parser does not know, so it leaves such text as it was sent.
pub fn utf7_left_undecoded(charset: &str) -> bool {
    let label = charset.trim().trim_matches('"').to_ascii_lowercase();
    is_utf7(&label) && !matches!(label.as_str(), "utf-7" | "csutf7")
}

/// A header value whose encoded words are in UTF-7, with those words rewritten as UTF-8 ones
/// (`=?utf-8?Q?=C3=9C?=`) for mail-parser to decode with the rest; `None` when it has none.
pub fn utf7_words_as_utf8(value: &str) -> Option<String> {
    if !value.to_ascii_lowercase().contains("utf-7?") {
        return None;
    }
    let mut out = String::with_capacity(value.len() * 2);
    let mut rest = value;
    while let Some(start) = rest.find("=?") {
        out.push_str(&rest[..start]);
        let word = &rest[start..];
        match utf7_word(word) {
            Some((len, text)) => {
                out.push_str("=?utf-8?Q?");
                for b in text.bytes() {
                    out.push_str(&format!("={b:02X}"));
                }
                out.push_str("?=");
                rest = &word[len..];
            }
            None => {
                out.push_str("=?");
                rest = &word[2..];
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// `=?unicode-1-1-utf-7?Q?+ANw-bermittlung?=` → (its length, "Übermittlung").
fn utf7_word(word: &str) -> Option<(usize, String)> {
    let inner = word.strip_prefix("=?")?;
    let (label, rest) = inner.split_once('?')?;
    let (encoding, rest) = rest.split_once('?')?;
    let end = rest.find("?=")?;
    if !is_utf7(label.split('*').next().unwrap_or(label)) {
        return None;
    }
    let data = &rest[..end];
    let ascii = match encoding {
        "Q" | "q" => q_decode(data)?,
        "B" | "b" => base64_decode(data)?,
        _ => return None,
    };
    let len = 2 + label.len() + 1 + encoding.len() + 1 + end + 2;
    Some((len, decode_utf7(&ascii)))
}

fn q_decode(data: &str) -> Option<String> {
    let mut out = Vec::with_capacity(data.len());
    let mut bytes = data.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'_' => out.push(b' '),
            b'=' => {
                let hex = [bytes.next()?, bytes.next()?];
                out.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
            }
            b => out.push(b),
        }
    }
    String::from_utf8(out).ok()
}

fn base64_decode(data: &str) -> Option<String> {
    let (mut bits, mut nbits, mut out) = (0u32, 0u32, Vec::new());
    for b in data.bytes().filter(|b| *b != b'=') {
        bits = (bits << 6) | base64_value(b)?;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    String::from_utf8(out).ok()
}

/// RFC 2152 UTF-7 to text: `+` opens modified base64 of UTF-16, `-` (or any non-base64 byte)
/// closes it, `+-` is a plus sign. Broken input is kept as it was, never dropped.
pub fn decode_utf7(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(plus) = rest.find('+') {
        out.push_str(&rest[..plus]);
        let after = &rest[plus + 1..];
        let run = after.bytes().take_while(|b| base64_value(*b).is_some()).count();
        if run == 0 {
            // "+-" is a literal plus; a lone "+" is kept.
            out.push('+');
            rest = after.strip_prefix('-').unwrap_or(after);
            continue;
        }
        match utf16_of_base64(&after[..run]) {
            Some(decoded) => out.push_str(&decoded),
            None => {
                out.push('+');
                out.push_str(&after[..run]);
            }
        }
        rest = &after[run..];
        rest = rest.strip_prefix('-').unwrap_or(rest);
    }
    out.push_str(rest);
    out
}

fn base64_value(b: u8) -> Option<u32> {
    match b {
        b'A'..=b'Z' => Some((b - b'A') as u32),
        b'a'..=b'z' => Some((b - b'a' + 26) as u32),
        b'0'..=b'9' => Some((b - b'0' + 52) as u32),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

fn utf16_of_base64(run: &str) -> Option<String> {
    let (mut bits, mut nbits, mut units) = (0u32, 0u32, Vec::with_capacity(run.len() / 2));
    for b in run.bytes() {
        bits = (bits << 6) | base64_value(b)?;
        nbits += 6;
        if nbits >= 16 {
            nbits -= 16;
            units.push((bits >> nbits) as u16);
            bits &= (1 << nbits) - 1;
        }
    }
    String::from_utf16(&units).ok()
}

/// Raw header bytes that are not UTF-8, decoded: with `hint` (the charset the mail declares for
/// its text) when that decodes them cleanly, else with chardetng's guess. Returns the text and the
/// encoding's name.
pub fn decode_undeclared(raw: &[u8], hint: Option<&'static Encoding>, tld: Option<&[u8]>) -> (String, &'static str) {
    let encoding = hint
        .filter(|e| e.decode_without_bom_handling_and_without_replacement(raw).is_some())
        .unwrap_or_else(|| guess(raw, tld));
    let (text, _) = encoding.decode_without_bom_handling(raw);
    (text.into_owned(), encoding.name())
}

/// The encoding of `raw` as chardetng guesses it (UTF-8 excluded: the caller saw it is not).
pub fn guess(raw: &[u8], tld: Option<&[u8]>) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(raw, true);
    detector.guess(tld, false)
}

/// An encoding for a declared charset label, when encoding_rs knows it.
pub fn for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().trim_matches('"').as_bytes())
}

/// Bytes that need guessing: 8-bit and not UTF-8.
pub fn needs_guess(raw: &[u8]) -> bool {
    !raw.is_ascii() && std::str::from_utf8(raw).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf7_decodes_rfc2152_examples() {
        assert_eq!(decode_utf7("A+ImIDkQ."), "A\u{2262}\u{391}.");
        assert_eq!(decode_utf7("Hi Mom -+Jjo--!"), "Hi Mom -\u{263A}-!");
        assert_eq!(decode_utf7("+ZeVnLIqe-"), "日本語");
        assert_eq!(decode_utf7("+ANw-bermittlung"), "Übermittlung");
        assert_eq!(decode_utf7("1 +- 1 = 2"), "1 + 1 = 2");
    }

    #[test]
    fn broken_utf7_is_kept() {
        assert_eq!(decode_utf7("a + b"), "a + b");
        // A lone high surrogate is not text: kept as written.
        assert_eq!(decode_utf7("+2D3-x"), "+2D3x");
    }

    #[test]
    fn utf7_encoded_words_become_utf8_ones() {
        let value = "=?unicode-1-1-utf-7?Q?+ANw-ber?= =?UTF-7?B?K0FOdy0=?= and =?utf-8?Q?x?=";
        assert_eq!(
            utf7_words_as_utf8(value).as_deref(),
            Some("=?utf-8?Q?=C3=9C=62=65=72?= =?utf-8?Q?=C3=9C?= and =?utf-8?Q?x?=")
        );
        assert_eq!(utf7_words_as_utf8("=?utf-8?Q?x?="), None);
    }

    #[test]
    fn utf7_labels() {
        assert!(is_utf7("UNICODE-1-1-UTF-7") && is_utf7("\"utf-7\"") && !is_utf7("utf-8"));
    }

    #[test]
    fn undeclared_bytes_follow_the_hint_when_it_fits() {
        let (text, name) = decode_undeclared(b"\xd5\xc5\xce\xb0", for_label("gb2312"), None);
        assert_eq!((text.as_str(), name), ("张伟", "GBK"));
    }

    #[test]
    fn undeclared_bytes_are_guessed_without_a_hint() {
        let koi8 = b"\xf7\xcf\xda\xd7\xd2\xc1\xd4 \xda\xc1\xcb\xc1\xda\xc1 \xc9 \xd7\xcf\xd0\xd2\xcf\xd3";
        let (text, name) = decode_undeclared(koi8, None, None);
        assert_eq!((text.as_str(), name), ("Возврат заказа и вопрос", "KOI8-U"));
    }
}

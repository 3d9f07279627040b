//! RFC 2231 parameter values: `filename*0*=ISO-2022-JP''%1B%24B…; filename*1*=…`. The segments
//! are joined as bytes before they are decoded: a stateful charset (ISO-2022-JP) or a multi-byte
//! character may be split across them.

use std::borrow::Cow;

/// The file name a Content-Disposition (`filename`) or Content-Type (`name`) value gives in RFC 2231
/// form, continued or not; `None` when it uses no RFC 2231 parameter.
pub fn file_name(value: &str) -> Option<String> {
    let params = params(value);
    ["filename", "name"].iter().find_map(|key| joined(&params, key))
}

/// One segment: its number (0 for an unnumbered `name*`), whether it is percent-encoded, its value.
struct Segment<'a> {
    number: u32,
    encoded: bool,
    value: Cow<'a, str>,
}

fn joined(params: &[(String, Cow<'_, str>)], key: &str) -> Option<String> {
    let mut segments: Vec<Segment> = params.iter().filter_map(|(k, v)| segment(k, key, v)).collect();
    if segments.is_empty() {
        return None;
    }
    segments.sort_by_key(|s| s.number);
    segments.dedup_by_key(|s| s.number);
    let mut charset = None;
    let mut bytes = Vec::new();
    for (i, s) in segments.iter().enumerate() {
        let mut value = s.value.as_ref();
        if i == 0 && s.encoded {
            // charset'language'text
            let mut pieces = value.splitn(3, '\'');
            if let (Some(cs), Some(_lang), Some(text)) = (pieces.next(), pieces.next(), pieces.next()) {
                charset = Some(cs.to_string());
                value = text;
            }
        }
        if s.encoded {
            bytes.extend(percent_decode(value));
        } else {
            bytes.extend_from_slice(value.as_bytes());
        }
    }
    let encoding = charset.as_deref().and_then(super::charset::for_label).unwrap_or(encoding_rs::UTF_8);
    Some(encoding.decode_without_bom_handling(&bytes).0.into_owned())
}

/// `filename*` → (0, encoded); `filename*2*` → (2, encoded); `filename*2` → (2, plain).
fn segment<'a>(param: &str, key: &str, value: &'a Cow<'a, str>) -> Option<Segment<'a>> {
    let rest = param.strip_prefix(key)?.strip_prefix('*')?;
    let value = Cow::Borrowed(value.as_ref());
    if rest.is_empty() {
        return Some(Segment { number: 0, encoded: true, value });
    }
    let (digits, encoded) = match rest.strip_suffix('*') {
        Some(d) => (d, true),
        None => (rest, false),
    };
    Some(Segment { number: digits.parse().ok()?, encoded, value })
}

/// `key=value` pairs after the first `;`, keys lower-cased, quoted values unquoted.
fn params(value: &str) -> Vec<(String, Cow<'_, str>)> {
    split_outside_quotes(value)
        .into_iter()
        .skip(1)
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((k.trim().to_ascii_lowercase(), unquote(v.trim())))
        })
        .collect()
}

fn split_outside_quotes(value: &str) -> Vec<&str> {
    let (mut pieces, mut start, mut quoted, mut escaped) = (Vec::new(), 0, false, false);
    for (i, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                pieces.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    pieces.push(&value[start..]);
    pieces
}

fn unquote(v: &str) -> Cow<'_, str> {
    match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) if inner.contains('\\') => {
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                out.push(if c == '\\' { chars.next().unwrap_or('\\') } else { c });
            }
            Cow::Owned(out)
        }
        Some(inner) => Cow::Borrowed(inner),
        None => Cow::Borrowed(v),
    }
}

fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).and_then(|b| hex(*b)), bytes.get(i + 2).and_then(|b| hex(*b))) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continued_segments_are_joined_then_decoded() {
        let value = "attachment;\r\n filename*0*=utf-8''r%C3%A9sum; filename*1=\"e of\"; filename*2*=%20%E2%84%96";
        assert_eq!(file_name(value).as_deref(), Some("résume of №"));
    }

    #[test]
    fn an_escape_split_across_segments_still_decodes() {
        // "年" in ISO-2022-JP is ESC $ B G /; the segments split it after "G".
        let value = "attachment; filename*0*=iso-2022-jp''%1B%24BG; filename*1*=%2F%1B%28B.txt";
        assert_eq!(file_name(value).as_deref(), Some("年.txt"));
    }

    #[test]
    fn plain_parameters_are_not_ours() {
        assert_eq!(file_name("attachment; filename=\"a;b.txt\""), None);
        assert_eq!(file_name("inline; name*=utf-8'en'%E2%82%AC.txt").as_deref(), Some("€.txt"));
    }
}

//! Width-aware text helpers: truncate, pad and wrap by display columns, never by bytes.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// At most `max` columns, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Exactly `cols` columns: truncated, then padded with spaces on the right.
pub fn fit(s: &str, cols: usize) -> String {
    let mut out = truncate(s, cols);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// Exactly `cols` columns, padded on the left.
pub fn fit_right(s: &str, cols: usize) -> String {
    let out = truncate(s, cols);
    format!("{}{}", " ".repeat(cols.saturating_sub(width(&out))), out)
}

/// As many of `parts` as fit in `cols` columns joined by `sep`: whole parts dropped from the end,
/// never one cut in the middle.
pub fn fit_parts<S: AsRef<str>>(parts: &[S], sep: &str, cols: usize) -> String {
    let mut out = String::new();
    for part in parts {
        let part = part.as_ref();
        let more = if out.is_empty() { width(part) } else { width(sep) + width(part) };
        if width(&out) + more > cols {
            break;
        }
        if !out.is_empty() {
            out.push_str(sep);
        }
        out.push_str(part);
    }
    out
}

/// At most `max` columns, cut after a whole word and ending in `…` when cut; a first word longer
/// than `max` is cut where it must be.
pub fn shorten(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let cut = truncate(s, max);
    let kept = cut.strip_suffix('…').unwrap_or(&cut);
    // `kept` is a prefix of `s`: it ends on a whole word when a space follows it.
    let end = if s[kept.len()..].starts_with(' ') { kept.len() } else { kept.rfind(' ').unwrap_or(0) };
    let words = kept[..end].trim_end_matches([' ', ',', ';', ':', '·']);
    if words.is_empty() {
        return cut;
    }
    format!("{words}…")
}

/// What a paste puts into a one-line input: its first line, without control characters.
pub fn pasted_line(pasted: &str) -> String {
    pasted.lines().next().unwrap_or("").chars().filter(|c| !c.is_control()).collect()
}

/// Wrap text to `cols` columns at spaces, breaking words longer than a line.
pub fn wrap(text: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for word in paragraph.split(' ') {
            let w = width(word);
            if used > 0 && used + 1 + w > cols {
                lines.push(std::mem::take(&mut line));
                used = 0;
            } else if used > 0 {
                line.push(' ');
                used += 1;
            }
            if w <= cols - used {
                line.push_str(word);
                used += w;
                continue;
            }
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > cols {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paste_into_one_line_takes_its_first_line_without_controls() {
        assert_eq!(pasted_line("refund\x1b[2J please\nsecond line"), "refund[2J please");
        assert_eq!(pasted_line(""), "");
    }

    #[test]
    fn parts_are_dropped_whole_and_text_is_cut_after_a_word() {
        let hints = ["Ctrl-s send", "Ctrl-t canned reply", "Esc keep draft"];
        assert_eq!(fit_parts(&hints, " · ", 80), "Ctrl-s send · Ctrl-t canned reply · Esc keep draft");
        assert_eq!(fit_parts(&hints, " · ", 40), "Ctrl-s send · Ctrl-t canned reply");
        assert_eq!(fit_parts(&hints, " · ", 10), "");
        assert_eq!(shorten("nothing was sent: Ctrl-S sends anyway", 26), "nothing was sent: Ctrl-S…");
        assert_eq!(shorten("nothing was sent: Ctrl-S sends anyway", 22), "nothing was sent…");
        assert_eq!(shorten("short", 26), "short");
        assert_eq!(shorten("unbreakable", 5), "unbr…");
        for cols in 1..40 {
            let cut = shorten("ticket #12 has 1 new message since you looked", cols);
            assert!(width(&cut) <= cols, "{cut:?} at {cols}");
        }
    }

    #[test]
    fn truncation_counts_columns() {
        assert_eq!(truncate("東京タワー", 5), "東京…");
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit_right("ab", 4), "  ab");
        assert_eq!(truncate("abc", 3), "abc");
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_splits_long_words() {
        assert_eq!(wrap("the quick brown fox", 10), vec!["the quick", "brown fox"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a\n\nb", 4), vec!["a", "", "b"]);
        for line in wrap("日本語のテキストを折り返す", 7) {
            assert!(width(&line) <= 7, "{line}");
        }
    }
}

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

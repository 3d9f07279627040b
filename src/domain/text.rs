//! Customer text made safe to draw: nothing from a customer reaches the terminal as a control sequence.
//!
//! Text is stored raw and sanitized only here, at display time.

use std::borrow::Cow;

/// Spaces a tab becomes.
const TAB: &str = "    ";

/// Text for a multi-line area: tabs to spaces, CR/LF to `\n`, controls in caret form (`^[`),
/// bidi and other invisible format characters as `<U+202E>`.
pub fn for_display(text: &str) -> Cow<'_, str> {
    sanitize(text, "\n")
}

/// Text for one line (a subject, a name, a title): as [`for_display`], with line breaks as spaces.
pub fn for_display_line(text: &str) -> Cow<'_, str> {
    sanitize(text, " ")
}

fn sanitize<'a>(text: &'a str, newline: &str) -> Cow<'a, str> {
    let newlines_stay = newline == "\n";
    if text.chars().all(|c| !needs_escape(c) && (newlines_stay || c != '\n')) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str(newline);
            }
            '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push_str(newline),
            '\t' => out.push_str(TAB),
            c if (c as u32) < 0x20 => {
                out.push('^');
                out.push(char::from(c as u8 + 0x40));
            }
            '\u{7f}' => out.push_str("^?"),
            c if needs_escape(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    let u = c as u32;
    u < 0x20 || (0x7f..=0x9f).contains(&u) || c == '\u{2028}' || c == '\u{2029}' || is_invisible_format(c)
}

/// Unicode format characters (category Cf) that can reorder or hide text: bidi controls,
/// zero-width characters, the BOM, tag characters. The zero-width joiner stays: emoji need it.
fn is_invisible_format(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x0600..=0x0605 | 0x061C | 0x06DD | 0x070F | 0x08E2 | 0x180E
        | 0x200B | 0x200C | 0x200E | 0x200F | 0x202A..=0x202E | 0x2060..=0x2064
        | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD
        | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizer_table() {
        let cases: &[(&str, &str)] = &[
            ("plain text", "plain text"),
            ("Refund\x1b[2J", "Refund^[[2J"),
            ("title\x1b]0;pwned\x07", "title^[]0;pwned^G"),
            ("a\tb", "a    b"),
            ("line1\r\nline2\rline3\nline4", "line1\nline2\nline3\nline4"),
            ("nul\0byte", "nul^@byte"),
            ("del\x7f", "del^?"),
            ("csi\u{9b}31m", "csi<U+009B>31m"),
            ("abc\u{202E}fed", "abc<U+202E>fed"),
            ("zero\u{200B}width", "zero<U+200B>width"),
            ("\u{FEFF}bom", "<U+FEFF>bom"),
            ("isolate\u{2066}x\u{2069}", "isolate<U+2066>x<U+2069>"),
            ("Núñez 東京 👩‍💻", "Núñez 東京 👩‍💻"),
            ("sep\u{2028}here", "sep\nhere"),
        ];
        for (raw, shown) in cases {
            assert_eq!(for_display(raw), *shown, "for_display({raw:?})");
        }
    }

    #[test]
    fn one_line_text_has_no_line_breaks() {
        assert_eq!(for_display_line("a\r\nb\nc\td"), "a b c    d");
    }

    #[test]
    fn clean_text_is_not_copied() {
        assert!(matches!(for_display("hello"), Cow::Borrowed(_)));
        assert!(matches!(for_display_line("hello"), Cow::Borrowed(_)));
    }

    #[test]
    fn nothing_escapes_for_any_byte() {
        for b in 0u32..0x300 {
            let Some(c) = char::from_u32(b) else { continue };
            let s = c.to_string();
            let shown = for_display_line(&s);
            assert!(!shown.chars().any(|c| c.is_control()), "U+{b:04X} shown as {shown:?}");
        }
    }
}

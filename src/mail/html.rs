//! HTML-only mail as readable text (html2text), guarded against nesting that would exhaust the stack.

/// Deeper than this, the HTML is stripped of its tags instead of laid out.
const MAX_LAYOUT_DEPTH: usize = 1000;
/// html2text lays out recursively: it runs on a thread with room for the deepest allowed nesting.
const LAYOUT_STACK: usize = 64 * 1024 * 1024;

pub fn to_text(html: &str) -> String {
    if nesting_estimate(html) > MAX_LAYOUT_DEPTH {
        return strip_tags(html);
    }
    let owned = html.to_string();
    let layout = std::thread::Builder::new()
        .stack_size(LAYOUT_STACK)
        .spawn(move || html2text::config::plain().no_link_wrapping().string_from_read(owned.as_bytes(), 1000).ok());
    let text = layout.ok().and_then(|t| t.join().ok().flatten()).unwrap_or_else(|| strip_tags(html));
    text.lines().map(str::trim_end).collect::<Vec<_>>().join("\n").trim().to_string()
}

/// Elements that never hold others, so they add no depth.
const VOID: &[&str] = &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"];

/// The deepest run of opening tags, roughly: enough to refuse pathological nesting.
fn nesting_estimate(html: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let bytes = html.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b != b'<' {
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let name: String = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .map(|b| b.to_ascii_lowercase() as char)
                    .collect();
                if VOID.contains(&name.as_str()) {
                    continue;
                }
                depth += 1;
                deepest = deepest.max(depth);
            }
            _ => {}
        }
    }
    deepest
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            to_text("<p>Hello <b>there</b></p><p>Bye <a href=\"https://x.example/\">here</a></p>"),
            "Hello **there**\n\nBye [here][1]\n\n[1]: https://x.example/"
        );
    }

    #[test]
    fn deep_nesting_is_stripped_not_laid_out() {
        let html = "<div>".repeat(100_000) + "deep";
        assert_eq!(to_text(&html), "deep");
    }
}

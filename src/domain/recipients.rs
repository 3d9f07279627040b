//! Who else gets a reply: Cc and Bcc addresses as an agent types them, checked.

/// Addresses from `text`, separated by commas, semicolons or spaces; `Name <a@b.example>` keeps
/// the address. The error names the first one that is not an address and the field (`what`).
pub fn parse_addresses(text: &str, what: &str) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    for part in text.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        let address = match (part.rfind('<'), part.strip_suffix('>')) {
            (Some(open), Some(inner)) => inner[open + 1..].trim().to_string(),
            _ => part.to_string(),
        };
        for word in address.split_whitespace() {
            if !super::is_plausible_email(word) {
                return Err(format!("'{word}' is not an email address; {what} takes addresses like name@example.com"));
            }
            if !found.iter().any(|f: &String| f.eq_ignore_ascii_case(word)) {
                found.push(word.to_string());
            }
        }
    }
    Ok(found)
}

/// A reply's text split from the `Cc:` and `Bcc:` lines at its top (case does not matter), so an
/// agent sets them where they write. Returns (cc, bcc, body); the body is the text after them.
pub fn split_copy_lines(text: &str) -> Result<(Vec<String>, Vec<String>, String), String> {
    let (mut cc, mut bcc) = (Vec::new(), Vec::new());
    let mut rest = text;
    loop {
        let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
        let Some((name, value)) = line.split_once(':') else { break };
        let list = match name.trim().to_ascii_lowercase().as_str() {
            "cc" => &mut cc,
            "bcc" => &mut bcc,
            _ => break,
        };
        let field = if name.trim().eq_ignore_ascii_case("cc") { "Cc" } else { "Bcc" };
        for address in parse_addresses(value, field)? {
            if !list.contains(&address) {
                list.push(address);
            }
        }
        rest = after;
    }
    Ok((cc, bcc, rest.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_split_and_checked() {
        let got = parse_addresses("a@x.example, Bob <b@y.example>; c@z.example", "--cc").unwrap();
        assert_eq!(got, ["a@x.example", "b@y.example", "c@z.example"]);
        let err = parse_addresses("a@x.example, bob", "--cc").unwrap_err();
        assert_eq!(err, "'bob' is not an email address; --cc takes addresses like name@example.com");
    }

    #[test]
    fn copy_lines_at_the_top_are_taken_out_of_the_text() {
        let (cc, bcc, body) = split_copy_lines("Cc: a@x.example\nbcc: b@y.example\nHi Carla,\nCc: stays\n").unwrap();
        assert_eq!((cc, bcc), (vec!["a@x.example".to_string()], vec!["b@y.example".to_string()]));
        assert_eq!(body, "Hi Carla,\nCc: stays\n");
        let (cc, _, body) = split_copy_lines("Dear team: thanks").unwrap();
        assert!(cc.is_empty());
        assert_eq!(body, "Dear team: thanks");
        assert!(split_copy_lines("Cc: nobody\nHi").unwrap_err().contains("'nobody'"));
    }
}

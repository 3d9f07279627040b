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

/// What the lines at the top of a reply in the console ask for: copies and files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplyHeaders {
    pub cc: Vec<String>,
    pub bcc: Vec<String>,
    /// Paths of files to attach, as typed.
    pub attach: Vec<String>,
}

impl ReplyHeaders {
    pub fn is_empty(&self) -> bool {
        self.cc.is_empty() && self.bcc.is_empty() && self.attach.is_empty()
    }
}

/// The names of the lines [`split_header_lines`] takes, as the composer writes them.
pub const HEADER_NAMES: [&str; 3] = ["Cc", "Bcc", "Attach"];

/// A reply's text split from the `Cc:`, `Bcc:` and `Attach:` lines at its top (case does not
/// matter), so an agent sets them where they write. Returns them and the text after them; an
/// empty header line is ignored, a bad address is one sentence.
pub fn split_header_lines(text: &str) -> Result<(ReplyHeaders, String), String> {
    let mut headers = ReplyHeaders::default();
    let mut rest = text;
    loop {
        let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
        let Some((name, value)) = line.split_once(':') else { break };
        match name.trim().to_ascii_lowercase().as_str() {
            "cc" => add_new(&mut headers.cc, parse_addresses(value, "Cc")?),
            "bcc" => add_new(&mut headers.bcc, parse_addresses(value, "Bcc")?),
            "attach" if !value.trim().is_empty() => headers.attach.push(value.trim().to_string()),
            "attach" => {}
            _ => break,
        }
        rest = after;
    }
    Ok((headers, rest.to_string()))
}

fn add_new(list: &mut Vec<String>, found: Vec<String>) {
    for address in found {
        if !list.iter().any(|a| a.eq_ignore_ascii_case(&address)) {
            list.push(address);
        }
    }
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
    fn header_lines_at_the_top_are_taken_out_of_the_text() {
        let text = "Cc: a@x.example\nbcc: b@y.example\nAttach: /tmp/März.pdf\nAttach: \nHi Carla,\nCc: stays\n";
        let (headers, body) = split_header_lines(text).unwrap();
        assert_eq!(headers.cc, ["a@x.example"]);
        assert_eq!(headers.bcc, ["b@y.example"]);
        assert_eq!(headers.attach, ["/tmp/März.pdf"]);
        assert_eq!(body, "Hi Carla,\nCc: stays\n");
        let (headers, body) = split_header_lines("Dear team: thanks").unwrap();
        assert!(headers.is_empty());
        assert_eq!(body, "Dear team: thanks");
        assert!(split_header_lines("Cc: nobody\nHi").unwrap_err().contains("'nobody'"));
    }
}

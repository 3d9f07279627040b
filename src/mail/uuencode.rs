//! Files uuencoded inline in a text body (`begin 644 name` … `end`), as old mailers and scripts
//! still send them: taken out of the text and kept as attachments.

/// One file found in a body.
pub struct UuFile {
    pub name: String,
    pub data: Vec<u8>,
}

/// The body without its uuencoded files, and the files; a block that does not decode stays text.
pub fn extract(body: &str) -> (String, Vec<UuFile>) {
    if !body.starts_with("begin ") && !body.contains("\nbegin ") {
        return (body.to_string(), Vec::new());
    }
    let lines: Vec<&str> = body.split('\n').collect();
    let (mut text, mut files, mut i) = (Vec::with_capacity(lines.len()), Vec::new(), 0);
    while i < lines.len() {
        match begin_name(lines[i]).and_then(|name| block(&lines[i + 1..]).map(|(data, used)| (name, data, used))) {
            Some((name, data, used)) => {
                files.push(UuFile { name, data });
                i += used + 2;
                // The blank line that followed the block goes with it.
                if lines.get(i).is_some_and(|l| l.trim().is_empty())
                    && text.last().is_some_and(|l: &&str| l.trim().is_empty())
                {
                    i += 1;
                }
            }
            None => {
                text.push(lines[i]);
                i += 1;
            }
        }
    }
    (text.join("\n"), files)
}

/// `begin 644 invoice 4711.txt` → `invoice 4711.txt`.
fn begin_name(line: &str) -> Option<String> {
    let rest = line.trim_end_matches('\r').strip_prefix("begin ")?;
    let (mode, name) = rest.split_once(' ')?;
    let mode_ok = (3..=4).contains(&mode.len()) && mode.bytes().all(|b| (b'0'..=b'7').contains(&b));
    (mode_ok && !name.trim().is_empty()).then(|| name.trim().to_string())
}

/// The decoded bytes of the lines up to `end`, and how many lines that took (without `end`).
fn block(lines: &[&str]) -> Option<(Vec<u8>, usize)> {
    let mut data = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let line = line.trim_end_matches('\r');
        if line == "end" {
            return Some((data, n));
        }
        decode_line(line, &mut data)?;
    }
    None
}

/// One line: a length character, then groups of four characters for three bytes each.
fn decode_line(line: &str, out: &mut Vec<u8>) -> Option<()> {
    let bytes = line.as_bytes();
    let Some(&first) = bytes.first() else { return Some(()) };
    let value = |b: u8| if (b' '..=b'`').contains(&b) { Some((b - b' ') & 0x3f) } else { None };
    let len = value(first)? as usize;
    let body = &bytes[1..];
    if body.len() * 3 / 4 < len && len > 0 {
        return None;
    }
    let mut decoded = Vec::with_capacity(len + 2);
    for group in body.chunks(4) {
        let mut v = [0u8; 4];
        for (slot, b) in v.iter_mut().zip(group) {
            *slot = value(*b)?;
        }
        decoded.extend([v[0] << 2 | v[1] >> 4, v[1] << 4 | v[2] >> 2, v[2] << 6 | v[3]]);
    }
    out.extend_from_slice(decoded.get(..len)?);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_becomes_a_file() {
        let body = "Here:\n\nbegin 644 cat.txt\n#8V%T\n`\nend\n\nbye";
        let (text, files) = extract(body);
        assert_eq!(text, "Here:\n\nbye");
        assert_eq!((files[0].name.as_str(), files[0].data.as_slice()), ("cat.txt", b"cat".as_slice()));
    }

    #[test]
    fn a_block_without_end_stays_text() {
        let body = "begin 644 cat.txt\n#8V%T\n";
        assert_eq!(extract(body).0, body);
        assert!(extract(body).1.is_empty());
    }

    #[test]
    fn prose_starting_with_begin_is_text() {
        let body = "We begin tomorrow.\nbegin here please\nend";
        assert_eq!(extract(body).0, body);
    }
}

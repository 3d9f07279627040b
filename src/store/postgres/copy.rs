//! Rows between the two backends: values as both hold them, PostgreSQL's COPY text format
//! written and read, and a checksum of a table's rows that does not depend on their order.

use sha2::{Digest, Sha256};

/// A column's kind on both sides: SQLite's INTEGER, TEXT and BLOB are PostgreSQL's bigint, text
/// and bytea.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Integer,
    Text,
    Blob,
}

impl Kind {
    /// The kind of a column SQLite declared as `declared`.
    pub fn of_sqlite(declared: &str) -> Option<Kind> {
        match declared.to_ascii_uppercase().as_str() {
            "INTEGER" => Some(Kind::Integer),
            "TEXT" => Some(Kind::Text),
            "BLOB" => Some(Kind::Blob),
            _ => None,
        }
    }

    /// The kind of a column PostgreSQL's information_schema calls `data_type`.
    pub fn of_postgres(data_type: &str) -> Option<Kind> {
        match data_type {
            "bigint" => Some(Kind::Integer),
            "text" => Some(Kind::Text),
            "bytea" => Some(Kind::Blob),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Integer => "integer",
            Kind::Text => "text",
            Kind::Blob => "blob",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Integer(i64),
    Text(String),
    Blob(Vec<u8>),
}

/// Append `row` as one line of COPY's text format.
pub fn encode_row(row: &[Value], out: &mut Vec<u8>) -> Result<(), String> {
    for (i, value) in row.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        match value {
            Value::Null => out.extend_from_slice(b"\\N"),
            Value::Integer(n) => out.extend_from_slice(n.to_string().as_bytes()),
            Value::Text(text) => {
                if text.contains('\0') {
                    return Err("a NUL character, which PostgreSQL's text cannot hold".into());
                }
                escape(text.as_bytes(), out);
            }
            Value::Blob(bytes) => {
                // bytea's hex input (`\x0a…`), its backslash escaped for COPY.
                out.extend_from_slice(b"\\\\x");
                for b in bytes {
                    out.extend_from_slice(format!("{b:02x}").as_bytes());
                }
            }
        }
    }
    out.push(b'\n');
    Ok(())
}

fn escape(bytes: &[u8], out: &mut Vec<u8>) {
    for &b in bytes {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b => out.push(b),
        }
    }
}

/// Read one line of COPY's text format (without its newline) as values of `kinds`.
pub fn decode_line(line: &[u8], kinds: &[Kind]) -> Result<Vec<Value>, String> {
    let fields: Vec<&[u8]> = line.split(|&b| b == b'\t').collect();
    if fields.len() != kinds.len() {
        return Err(format!("a row of {} fields where {} columns were asked for", fields.len(), kinds.len()));
    }
    fields.iter().zip(kinds).map(|(field, kind)| decode_field(field, *kind)).collect()
}

fn decode_field(field: &[u8], kind: Kind) -> Result<Value, String> {
    if field == b"\\N" {
        return Ok(Value::Null);
    }
    let bytes = unescape(field)?;
    match kind {
        Kind::Integer => {
            let text = std::str::from_utf8(&bytes).map_err(|_| "an integer that is not text".to_string())?;
            text.parse().map(Value::Integer).map_err(|_| format!("'{text}' where an integer was expected"))
        }
        Kind::Text => String::from_utf8(bytes).map(Value::Text).map_err(|_| "text that is not UTF-8".to_string()),
        Kind::Blob => {
            let hex = bytes.strip_prefix(b"\\x").ok_or("bytea not in hex form")?;
            if hex.len() % 2 != 0 {
                return Err("bytea of an odd number of hex digits".into());
            }
            hex.chunks(2)
                .map(|pair| {
                    std::str::from_utf8(pair)
                        .ok()
                        .and_then(|p| u8::from_str_radix(p, 16).ok())
                        .ok_or_else(|| "bytea with a digit that is not hex".to_string())
                })
                .collect::<Result<Vec<u8>, String>>()
                .map(Value::Blob)
        }
    }
}

fn unescape(field: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        let b = field[i];
        i += 1;
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let Some(&next) = field.get(i) else {
            return Err("a field ending in a lone backslash".into());
        };
        i += 1;
        match next {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut value = u32::from(next - b'0');
                for _ in 0..2 {
                    match field.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(value as u8);
            }
            b'x' if field.get(i).is_some_and(u8::is_ascii_hexdigit) => {
                let mut value = 0u32;
                for _ in 0..2 {
                    match field.get(i) {
                        Some(d) if d.is_ascii_hexdigit() => {
                            value = value * 16 + (*d as char).to_digit(16).unwrap_or(0);
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(value as u8);
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// The checksum of a table: the sum of its rows' digests, so both sides may read in any order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checksum {
    pub rows: u64,
    sum: u128,
}

impl Checksum {
    pub fn add(&mut self, row: &[Value]) {
        let mut hash = Sha256::new();
        for value in row {
            match value {
                Value::Null => hash.update([0u8]),
                Value::Integer(n) => {
                    hash.update([1u8]);
                    hash.update(n.to_be_bytes());
                }
                Value::Text(text) => {
                    hash.update([2u8]);
                    hash.update((text.len() as u64).to_be_bytes());
                    hash.update(text.as_bytes());
                }
                Value::Blob(bytes) => {
                    hash.update([3u8]);
                    hash.update((bytes.len() as u64).to_be_bytes());
                    hash.update(bytes);
                }
            }
        }
        let digest = hash.finalize();
        let mut first = [0u8; 16];
        first.copy_from_slice(&digest[..16]);
        self.sum = self.sum.wrapping_add(u128::from_be_bytes(first));
        self.rows += 1;
    }

    /// The sum in hex, as the check prints it.
    pub fn hex(&self) -> String {
        format!("{:032x}", self.sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_back_as_they_went() {
        let kinds = [Kind::Integer, Kind::Text, Kind::Text, Kind::Blob, Kind::Integer, Kind::Blob];
        let row = vec![
            Value::Integer(-42),
            Value::Text("tab\there\nnew line\r back\\slash \\N é \u{1b}[31m".into()),
            Value::Text("\\N".into()),
            Value::Blob(vec![0, 1, 0xff, b'\\', b'\t']),
            Value::Null,
            Value::Blob(Vec::new()),
        ];
        let mut line = Vec::new();
        encode_row(&row, &mut line).unwrap();
        assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1, "one line: {}", String::from_utf8_lossy(&line));
        assert_eq!(decode_line(&line[..line.len() - 1], &kinds).unwrap(), row);
    }

    #[test]
    fn what_postgres_writes_is_read() {
        // PostgreSQL's own COPY output: letters for control characters, octal, bytea in hex.
        let kinds = [Kind::Text, Kind::Blob, Kind::Integer];
        let row = decode_line(b"a\\bb\\fc\\vd\\101\\x41\t\\\\x00ff\t7", &kinds).unwrap();
        assert_eq!(
            row,
            vec![Value::Text("a\u{8}b\u{c}c\u{b}dAA".into()), Value::Blob(vec![0, 255]), Value::Integer(7)]
        );
        assert!(decode_line(b"1\t2", &[Kind::Integer]).unwrap_err().contains("2 fields"));
        assert!(decode_line(b"x", &[Kind::Integer]).unwrap_err().contains("integer"));
        assert!(decode_line(b"\\\\x0", &[Kind::Blob]).is_err());
    }

    #[test]
    fn nul_in_text_is_refused() {
        assert!(encode_row(&[Value::Text("a\0b".into())], &mut Vec::new()).unwrap_err().contains("NUL"));
    }

    #[test]
    fn the_checksum_ignores_order_but_not_content() {
        let rows = [vec![Value::Integer(1), Value::Text("a".into())], vec![Value::Integer(2), Value::Null]];
        let (mut a, mut b, mut c) = (Checksum::default(), Checksum::default(), Checksum::default());
        a.add(&rows[0]);
        a.add(&rows[1]);
        b.add(&rows[1]);
        b.add(&rows[0]);
        c.add(&rows[0]);
        c.add(&[Value::Integer(2), Value::Text(String::new())]);
        assert_eq!(a, b);
        assert_ne!(a.hex(), c.hex(), "NULL is not the empty text");
        let mut blob = Checksum::default();
        blob.add(&[Value::Integer(1), Value::Blob(b"a".to_vec())]);
        let mut text = Checksum::default();
        text.add(&[Value::Integer(1), Value::Text("a".into())]);
        assert_ne!(blob, text, "a blob is not the text of its bytes");
    }
}

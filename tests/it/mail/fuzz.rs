//! The fuzz target's body (parse and import) over every fixture and deterministic mutations of it:
//! truncations and byte flips. Whatever the bytes, import ends in an outcome, never a panic.

use crate::support::mail;

use frontdesk::mail::parse_and_import;
use frontdesk::store::Store;

/// A small deterministic generator, so a failure names a case that can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    for dir in ["chatwoot", "django-helpdesk"] {
        let mut files: Vec<_> = std::fs::read_dir(mail::fixture_path(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        all.extend(files.into_iter().map(|f| (f.display().to_string(), std::fs::read(&f).unwrap())));
    }
    all
}

fn mutations(raw: &[u8], seed: u64) -> Vec<Vec<u8>> {
    let mut rng = Lcg(seed);
    let mut out = Vec::new();
    for cut in [0, 1, 7, 64, raw.len() / 3, raw.len() / 2, raw.len().saturating_sub(1)] {
        out.push(raw[..cut.min(raw.len())].to_vec());
    }
    for _ in 0..12 {
        let mut m = raw.to_vec();
        for _ in 0..1 + rng.next() % 8 {
            if m.is_empty() {
                break;
            }
            let at = (rng.next() as usize) % m.len();
            m[at] = match rng.next() % 4 {
                0 => m[at] ^ (1 << (rng.next() % 8)),
                1 => b'\n',
                2 => b'-',
                _ => rng.next() as u8,
            };
        }
        out.push(m);
    }
    out
}

#[test]
fn parse_and_import_never_panics_on_fixtures_or_their_mutations() {
    for (i, (name, raw)) in fixtures().into_iter().enumerate() {
        let store = Store::open_in_memory().unwrap();
        parse_and_import(&store, &raw).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (j, case) in mutations(&raw, i as u64).into_iter().enumerate() {
            parse_and_import(&store, &case).unwrap_or_else(|e| panic!("{name} mutation {j}: {e}"));
        }
    }
}

#[test]
fn hand_made_hostile_inputs_end_in_an_outcome() {
    let store = Store::open_in_memory().unwrap();
    let cases: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"\r\n\r\n".to_vec(),
        b"From: a@b.example\r\nContent-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n--\r\n".to_vec(),
        b"From: a@b.example\r\nContent-Type: text/html\r\n\r\n<table><tr><td>".repeat(50),
        format!("From: a@b.example\r\nContent-Type: text/html\r\n\r\n{}", "<div>".repeat(50_000)).into_bytes(),
        b"From: =?utf-8?b?invalid?= <a@b.example>\r\nSubject: =?x-unknown?q?=FF?=\r\n\r\nhi".to_vec(),
        b"From: a@b.example\r\nContent-Type: message/rfc822\r\n\r\nFrom: c@d.example\r\nContent-Type: message/rfc822\r\n\r\nx".to_vec(),
    ];
    for (i, case) in cases.iter().enumerate() {
        parse_and_import(&store, case).unwrap_or_else(|e| panic!("case {i}: {e}"));
    }
}

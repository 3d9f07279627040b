//! A small synchronous IMAP4rev1 client for exactly what the intake needs: LOGIN or AUTHENTICATE
//! XOAUTH2, STARTTLS, SELECT (UIDVALIDITY), UID SEARCH / FETCH / STORE / MOVE / EXPUNGE, IDLE,
//! NOOP and LOGOUT, over a TCP stream or rustls (the TLS lettre already brings).

mod response;
mod stream;
mod wakeup;

pub use response::uid_set;
use response::{exists_of, literal_size, quoted, Response};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::time::{Duration, Instant};
use stream::{connect_tcp, tls, Stream};
pub use wakeup::Wakeup;

/// How long a command's answer may take before the connection is taken for dead.
pub(crate) const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);
/// A mail larger than this is refused by the parser anyway; the literal is not read into memory.
const MAX_LITERAL: usize = 256 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("TLS: {0}")]
    Tls(String),
    /// The server answered NO or BAD (its text).
    #[error("the server answered {0}")]
    Refused(String),
    #[error("the server closed the connection ({0})")]
    Bye(String),
    #[error("the server's answer makes no sense: {0}")]
    Protocol(String),
    /// The wait was ended by [`Wakeup::wake`]: the watcher is stopping.
    #[error("stopped")]
    Stopped,
}

pub type Result<T> = std::result::Result<T, ImapError>;

/// A mail fetched by UID.
pub struct Fetched {
    pub uid: u32,
    pub raw: Vec<u8>,
}

/// What SELECT told.
#[derive(Debug, Clone, Copy)]
pub struct Selected {
    pub uidvalidity: u32,
    pub exists: u32,
}

pub struct Session {
    reader: BufReader<Stream>,
    next_tag: u32,
    pub capabilities: Vec<String>,
    /// LOGOUT was sent: its BYE is expected.
    closing: bool,
    /// The server said the folder has new mail (EXISTS) outside IDLE, since [`Session::take_news`].
    news: bool,
}

/// How to reach the server.
#[derive(Clone, Copy)]
pub enum Transport<'a> {
    Plain,
    /// TLS from the first byte.
    Tls(TlsTarget<'a>),
    /// Plain first, then STARTTLS.
    StartTls(TlsTarget<'a>),
}

/// What the server's certificate is checked against: its name, and the CAs trusted beside the
/// built-in and the system's (a PEM file).
#[derive(Clone, Copy)]
pub struct TlsTarget<'a> {
    pub host: &'a str,
    pub ca_file: Option<&'a str>,
}

impl Session {
    /// Connect, read the greeting and (for STARTTLS) switch to TLS; not yet logged in.
    pub fn connect(address: &str, transport: Transport) -> Result<Session> {
        let tcp = connect_tcp(address)?;
        let stream = match transport {
            Transport::Tls(target) => Stream::Tls(Box::new(tls(target, tcp)?)),
            _ => Stream::Plain(tcp),
        };
        let mut session = Session {
            reader: BufReader::with_capacity(64 * 1024, stream),
            next_tag: 1,
            capabilities: vec![],
            closing: false,
            news: false,
        };
        let greeting = session.read_response()?;
        let text = greeting.text_str();
        if !text.starts_with("* OK") && !text.starts_with("* PREAUTH") {
            return Err(ImapError::Bye(text));
        }
        if let Transport::StartTls(target) = transport {
            session.command("STARTTLS")?;
            let Stream::Plain(tcp) = session.reader.into_inner() else { unreachable!("plain before STARTTLS") };
            let stream = Stream::Tls(Box::new(tls(target, tcp)?));
            session = Session {
                reader: BufReader::with_capacity(64 * 1024, stream),
                next_tag: 100,
                capabilities: vec![],
                closing: false,
                news: false,
            };
        }
        session.refresh_capabilities()?;
        Ok(session)
    }

    /// Whether the server told of new mail (an EXISTS in the answer to some command) since the
    /// last call: mail that arrived while the folder was being read, which IDLE will not repeat.
    pub fn take_news(&mut self) -> bool {
        std::mem::take(&mut self.news)
    }

    pub fn has(&self, capability: &str) -> bool {
        self.capabilities.iter().any(|c| c.eq_ignore_ascii_case(capability))
    }

    fn refresh_capabilities(&mut self) -> Result<()> {
        let responses = self.command("CAPABILITY")?;
        self.capabilities = responses
            .iter()
            .filter_map(|r| r.text_str().strip_prefix("* CAPABILITY ").map(str::to_string))
            .flat_map(|line| line.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .collect();
        Ok(())
    }

    pub fn login(&mut self, user: &str, password: &str) -> Result<()> {
        self.command(&format!("LOGIN {} {}", quoted(user)?, quoted(password)?))?;
        self.refresh_capabilities()
    }

    /// SASL XOAUTH2 with an OAuth 2 access token (Google, Microsoft 365).
    pub fn authenticate_xoauth2(&mut self, user: &str, token: &str) -> Result<()> {
        use base64::Engine;
        let sasl = format!("user={user}\x01auth=Bearer {token}\x01\x01");
        let encoded = base64::engine::general_purpose::STANDARD.encode(sasl);
        let tag = self.send(&format!("AUTHENTICATE XOAUTH2 {encoded}"))?;
        self.finish(&tag, |session, response| {
            // A failure comes first as a challenge with the details; an empty line ends it.
            if response.text.starts_with(b"+") {
                session.write_line(b"")?;
            }
            Ok(())
        })?;
        self.refresh_capabilities()
    }

    pub fn select(&mut self, folder: &str) -> Result<Selected> {
        let responses = self.command(&format!("SELECT {}", quoted(folder)?))?;
        let uidvalidity = responses.iter().find_map(|r| r.number_after("[UIDVALIDITY"));
        let exists = responses.iter().find_map(exists_of).unwrap_or(0);
        let uidvalidity = uidvalidity.ok_or_else(|| ImapError::Protocol("SELECT gave no UIDVALIDITY".into()))?;
        Ok(Selected { uidvalidity, exists })
    }

    /// UIDs above `after`, lowest first.
    pub fn uids_after(&mut self, after: u32) -> Result<Vec<u32>> {
        // `N:*` always matches the highest UID, even when it is below N: `uids_in` drops it.
        self.uids_in(after.saturating_add(1), u32::MAX, "ALL")
    }

    /// UIDs from `from` to `to` that also meet `criteria` (`UNSEEN`, `ALL`), lowest first.
    pub fn uids_in(&mut self, from: u32, to: u32, criteria: &str) -> Result<Vec<u32>> {
        let upper = if to == u32::MAX { "*".to_string() } else { to.to_string() };
        let responses = self.command(&format!("UID SEARCH UID {from}:{upper} {criteria}"))?;
        let mut uids: Vec<u32> = responses
            .iter()
            .filter_map(|r| r.text_str().strip_prefix("* SEARCH").map(str::to_string))
            .flat_map(|line| line.split_whitespace().filter_map(|n| n.parse().ok()).collect::<Vec<u32>>())
            .filter(|uid| (from..=to).contains(uid))
            .collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// Fetch `uids` whole (without marking them seen), handing each mail to `each` as it arrives.
    pub fn fetch(&mut self, uids: &[u32], mut each: impl FnMut(Fetched) -> Result<()>) -> Result<()> {
        let tag = self.send(&format!("UID FETCH {} (UID BODY.PEEK[])", uid_set(uids)))?;
        let mut failed = None;
        self.finish(&tag, |_, mut response| {
            let (Some(uid), true) = (response.number_after("UID"), response.text.windows(6).any(|w| w == b"FETCH "))
            else {
                return Ok(());
            };
            if failed.is_none() && !response.literals.is_empty() {
                if let Err(e) = each(Fetched { uid, raw: response.literals.swap_remove(0) }) {
                    failed = Some(e);
                }
            }
            Ok(())
        })?;
        failed.map_or(Ok(()), Err)
    }

    pub fn mark_seen(&mut self, uids: &[u32]) -> Result<()> {
        self.command(&format!("UID STORE {} +FLAGS.SILENT (\\Seen)", uid_set(uids))).map(|_| ())
    }

    /// Move `uids` to `folder` (MOVE, else COPY, then delete from here).
    pub fn move_to(&mut self, uids: &[u32], folder: &str) -> Result<()> {
        if self.has("MOVE") {
            return self.command(&format!("UID MOVE {} {}", uid_set(uids), quoted(folder)?)).map(|_| ());
        }
        self.command(&format!("UID COPY {} {}", uid_set(uids), quoted(folder)?))?;
        self.delete(uids)
    }

    pub fn delete(&mut self, uids: &[u32]) -> Result<()> {
        self.command(&format!("UID STORE {} +FLAGS.SILENT (\\Deleted)", uid_set(uids)))?;
        // UID EXPUNGE (UIDPLUS) removes only ours; plain EXPUNGE would take others' deleted mail too.
        let expunge = if self.has("UIDPLUS") { format!("UID EXPUNGE {}", uid_set(uids)) } else { "EXPUNGE".into() };
        self.command(&expunge).map(|_| ())
    }

    pub fn noop(&mut self) -> Result<()> {
        self.command("NOOP").map(|_| ())
    }

    pub fn logout(mut self) {
        self.closing = true;
        let _ = self.command("LOGOUT");
    }

    /// Wait in IDLE until the folder has new mail (`true`) or `limit` passes (`false`). Nothing
    /// but the server (or `wakeup`) ends the wait: no timer wakes the process meanwhile. Woken,
    /// it ends with [`ImapError::Stopped`] and the connection is closed.
    pub fn idle(&mut self, limit: Duration, wakeup: &Wakeup) -> Result<bool> {
        let tag = self.send("IDLE")?;
        let first = self.read_response()?;
        if !first.text.starts_with(b"+") {
            return Err(ImapError::Refused(first.text_str()));
        }
        let news = match wakeup.idling(self.reader.get_ref().tcp()) {
            true => self.wait_for_exists(limit),
            false => Ok(false),
        };
        if wakeup.done_idling() {
            return Err(ImapError::Stopped);
        }
        self.reader.get_ref().tcp().set_read_timeout(Some(ANSWER_TIMEOUT))?;
        let news = news?;
        self.write_line(b"DONE")?;
        self.finish(&tag, |_, _| Ok(()))?;
        Ok(news)
    }

    fn wait_for_exists(&mut self, limit: Duration) -> Result<bool> {
        let deadline = Instant::now() + limit;
        let mut line = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(false);
            }
            self.reader.get_ref().tcp().set_read_timeout(Some(left))?;
            match self.reader.read_until(b'\n', &mut line) {
                Ok(0) => return Err(ImapError::Bye("end of stream in IDLE".into())),
                Ok(_) if line.ends_with(b"\n") => {
                    let response = Response { text: std::mem::take(&mut line), literals: vec![] };
                    if exists_of(&response).is_some() {
                        return Ok(true);
                    }
                    if response.text.starts_with(b"* BYE") {
                        return Err(ImapError::Bye(response.text_str()));
                    }
                }
                Ok(_) => {}
                // The partial line stays in `line`; the loop ends at the deadline.
                Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Send a command and collect every response up to its tagged OK.
    fn command(&mut self, command: &str) -> Result<Vec<Response>> {
        let tag = self.send(command)?;
        let mut responses = Vec::new();
        self.finish(&tag, |_, r| {
            responses.push(r);
            Ok(())
        })?;
        Ok(responses)
    }

    fn send(&mut self, command: &str) -> Result<String> {
        let tag = format!("F{}", self.next_tag);
        self.next_tag += 1;
        self.write_line(format!("{tag} {command}").as_bytes())?;
        Ok(tag)
    }

    fn write_line(&mut self, line: &[u8]) -> Result<()> {
        let stream = self.reader.get_mut();
        stream.write_all(line)?;
        stream.write_all(b"\r\n")?;
        stream.flush()?;
        Ok(())
    }

    /// Read responses, each to `each`, until the one tagged `tag`: OK is done, NO/BAD an error.
    fn finish(&mut self, tag: &str, mut each: impl FnMut(&mut Session, Response) -> Result<()>) -> Result<()> {
        let tagged = format!("{tag} ");
        loop {
            let response = self.read_response()?;
            if let Some(rest) = response.text.strip_prefix(tagged.as_bytes()) {
                let rest = String::from_utf8_lossy(rest).trim_end().to_string();
                return if rest.get(..2).is_some_and(|s| s.eq_ignore_ascii_case("OK")) {
                    Ok(())
                } else {
                    Err(ImapError::Refused(rest))
                };
            }
            if response.text.starts_with(b"* BYE") && !self.closing {
                return Err(ImapError::Bye(response.text_str()));
            }
            if exists_of(&response).is_some() {
                self.news = true;
            }
            each(self, response)?;
        }
    }

    /// One response: a line, and when it ends in `{N}`, N bytes of literal and the rest of the line.
    fn read_response(&mut self) -> Result<Response> {
        let mut response = Response::default();
        loop {
            let start = response.text.len();
            let n = self.reader.read_until(b'\n', &mut response.text)?;
            if n == 0 {
                return Err(ImapError::Bye("the connection was closed".into()));
            }
            let Some(size) = literal_size(&response.text[start..]) else { return Ok(response) };
            if size > MAX_LITERAL {
                return Err(ImapError::Protocol(format!("a literal of {size} bytes")));
            }
            let mut literal = vec![0; size];
            self.reader.read_exact(&mut literal)?;
            response.literals.push(literal);
        }
    }
}

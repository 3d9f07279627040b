//! A real SMTP server inside the test process: mailin's protocol state machine on a loopback
//! `TcpListener`, keeping every mail it accepts with its envelope recipients. Stopped when dropped.
//! [`SmtpServer::tls`] speaks it inside TLS (implicit TLS, as on port 465) and
//! [`SmtpServer::starttls`] upgrades to TLS on STARTTLS (as on port 587), both with a certificate
//! signed by a CA made for the test ([`TestCa`]). [`SmtpServer::requiring_xoauth2`] takes mail only
//! after `AUTH XOAUTH2` with one user's access token (mailin knows no XOAUTH2: this file answers it).

use mailin::{response, Action, Handler, Response, Session, SessionBuilder};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Each mail's bytes and the envelope's recipients (RCPT TO).
type Mails = Arc<Mutex<Vec<(Vec<u8>, Vec<String>)>>>;

pub struct SmtpServer {
    pub port: u16,
    mails: Mails,
    logins: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// How the relay speaks: when it stalls, its TLS, and whom it lets send.
#[derive(Clone, Default)]
struct Options {
    stall: Duration,
    tls: Option<(Arc<rustls::ServerConfig>, TlsStart)>,
    /// `AUTH XOAUTH2` with this user and token is needed before MAIL.
    xoauth2: Option<(String, String)>,
    /// A refused token first gets a 334 challenge with the error as JSON, as Gmail answers.
    challenge_refusals: bool,
}

/// Where one connection's XOAUTH2 login stands.
#[derive(Default)]
struct Login {
    authed: bool,
    /// A refusal was sent as a 334 challenge: the client's next (empty) line gets the 535.
    challenged: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum TlsStart {
    /// TLS from the first byte.
    Implicit,
    /// Clear text until the client says STARTTLS.
    OnStarttls,
}

impl SmtpServer {
    /// Listen on a free loopback port.
    pub fn start() -> SmtpServer {
        SmtpServer::stalling(Duration::ZERO)
    }

    /// A relay that accepts each connection, then says nothing for `stall` before it speaks SMTP.
    pub fn stalling(stall: Duration) -> SmtpServer {
        SmtpServer::listen(Options { stall, ..Options::default() })
    }

    /// A relay that speaks only inside TLS, with a certificate for `localhost` signed by `ca`.
    pub fn tls(ca: &TestCa) -> SmtpServer {
        SmtpServer::listen(Options { tls: Some((ca.server_config(), TlsStart::Implicit)), ..Options::default() })
    }

    /// A relay that offers STARTTLS (a certificate for `localhost` signed by `ca`) and takes no
    /// mail before the connection is upgraded.
    pub fn starttls(ca: &TestCa) -> SmtpServer {
        SmtpServer::listen(Options { tls: Some((ca.server_config(), TlsStart::OnStarttls)), ..Options::default() })
    }

    /// A clear-text relay that advertises `AUTH XOAUTH2` and takes mail only from a client that
    /// sent `user` and the access token `token` with it (235; else 535, and MAIL gets 530).
    pub fn requiring_xoauth2(user: &str, token: &str) -> SmtpServer {
        SmtpServer::listen(Options { xoauth2: Some((user.into(), token.into())), ..Options::default() })
    }

    /// [`SmtpServer::requiring_xoauth2`] answering a wrong token as Gmail does: first a 334
    /// challenge holding the error as base64 JSON, then, after the client's empty line, 535.
    pub fn requiring_xoauth2_like_gmail(user: &str, token: &str) -> SmtpServer {
        let xoauth2 = Some((user.into(), token.into()));
        SmtpServer::listen(Options { xoauth2, challenge_refusals: true, ..Options::default() })
    }

    fn listen(options: Options) -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mails = Mails::default();
        let logins = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let relay = Relay { mails: mails.clone(), logins: logins.clone(), options };
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                std::thread::sleep(relay.options.stall);
                let _ = relay.serve(stream);
            }
        });
        SmtpServer { port, mails, logins, stop, thread: Some(thread) }
    }

    /// The mails accepted so far, as text, in the order they came.
    pub fn received(&self) -> Vec<String> {
        self.mails.lock().unwrap().iter().map(|(m, _)| String::from_utf8_lossy(m).into_owned()).collect()
    }

    /// The envelope recipients of each mail accepted so far.
    pub fn recipients(&self) -> Vec<Vec<String>> {
        self.mails.lock().unwrap().iter().map(|(_, to)| to.clone()).collect()
    }

    /// How many `AUTH XOAUTH2` commands came, accepted or not.
    pub fn login_attempts(&self) -> usize {
        self.logins.load(Ordering::SeqCst)
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port)); // wakes the accept
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Collects the body of each mail; the rest of the protocol is mailin's defaults.
struct Collect {
    mails: Mails,
    current: Vec<u8>,
    to: Vec<String>,
}

impl Handler for Collect {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current.clear();
        self.to = to.to_vec();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let mail = (std::mem::take(&mut self.current), std::mem::take(&mut self.to));
        self.mails.lock().unwrap().push(mail);
        response::OK
    }
}

/// What every connection shares: the mails kept, the logins counted, the options.
struct Relay {
    mails: Mails,
    logins: Arc<AtomicUsize>,
    options: Options,
}

/// How a stretch of a conversation ended.
enum Ended<S> {
    Closed,
    /// The client said STARTTLS and was told to go ahead: TLS starts on this stream.
    Upgrade(S),
}

impl Relay {
    /// One SMTP conversation: the greeting, then a response to each line the client sends.
    fn serve(&self, stream: TcpStream) -> io::Result<()> {
        let peer = stream.peer_addr().map(|a| a.ip()).unwrap_or(IpAddr::from([127, 0, 0, 1]));
        let collect = Collect { mails: self.mails.clone(), current: Vec::new(), to: Vec::new() };
        let mut builder = SessionBuilder::new("test.desk.example");
        let tls = self.options.tls.clone();
        if matches!(tls, Some((_, TlsStart::OnStarttls))) {
            builder.enable_start_tls();
        }
        let mut session = builder.build(peer, collect);
        let mut login = Login { authed: self.options.xoauth2.is_none(), challenged: false };
        let Some((config, start)) = tls else {
            return self.talk(&mut session, &mut login, stream, true).map(|_| ());
        };
        let stream = match start {
            TlsStart::Implicit => stream,
            TlsStart::OnStarttls => match self.talk(&mut session, &mut login, stream, true)? {
                Ended::Closed => return Ok(()),
                Ended::Upgrade(stream) => stream,
            },
        };
        let conn = rustls::ServerConnection::new(config).map_err(io::Error::other)?;
        if start == TlsStart::OnStarttls {
            session.tls_active();
        }
        let greet = start == TlsStart::Implicit;
        self.talk(&mut session, &mut login, rustls::StreamOwned::new(conn, stream), greet).map(|_| ())
    }

    fn talk<S: Read + Write>(
        &self,
        session: &mut Session<Collect>,
        login: &mut Login,
        stream: S,
        greet: bool,
    ) -> io::Result<Ended<S>> {
        let mut stream = BufReader::new(stream);
        // The greeting comes once: at the start, never again after STARTTLS.
        if greet {
            session.greeting().write_to(stream.get_mut())?;
            stream.get_mut().flush()?;
        }
        // With STARTTLS offered, the stretch that greets is the clear one.
        let must_upgrade = greet && matches!(self.options.tls, Some((_, TlsStart::OnStarttls)));
        let mut line = Vec::new();
        loop {
            line.clear();
            if stream.read_until(b'\n', &mut line)? == 0 {
                return Ok(Ended::Closed);
            }
            if must_upgrade && line.len() >= 4 && line[..4].eq_ignore_ascii_case(b"MAIL") {
                stream.get_mut().write_all(b"530 5.7.0 Must issue a STARTTLS command first\r\n")?;
                stream.get_mut().flush()?;
                continue;
            }
            if let Some(answer) = self.xoauth2_answer(session, login, &line) {
                stream.get_mut().write_all(&answer)?;
                stream.get_mut().flush()?;
                continue;
            }
            let answer = session.process(&line);
            match answer.action {
                Action::Reply => answer.write_to(stream.get_mut())?,
                Action::NoReply => {}
                Action::Close => return answer.write_to(stream.get_mut()).map(|_| Ended::Closed),
                Action::UpgradeTls => {
                    answer.write_to(stream.get_mut())?;
                    stream.get_mut().flush()?;
                    // The client waits for this answer before it starts TLS: nothing is buffered.
                    return Ok(Ended::Upgrade(stream.into_inner()));
                }
            }
            stream.get_mut().flush()?;
        }
    }

    /// What this relay answers itself when it requires XOAUTH2: EHLO (to advertise it), AUTH
    /// XOAUTH2, and MAIL before a login. `None` leaves the line to mailin.
    fn xoauth2_answer(&self, session: &mut Session<Collect>, login: &mut Login, line: &[u8]) -> Option<Vec<u8>> {
        let (user, token) = self.options.xoauth2.as_ref()?;
        if std::mem::take(&mut login.challenged) {
            return Some(b"535 5.7.8 Username and Password not accepted (the access token is not valid)\r\n".to_vec());
        }
        let text = String::from_utf8_lossy(line);
        let words: Vec<&str> = text.split_whitespace().collect();
        let verb = words.first().map(|w| w.to_ascii_uppercase()).unwrap_or_default();
        match verb.as_str() {
            "EHLO" => {
                let answer = session.process(line).buffer().ok()?;
                let answer = String::from_utf8_lossy(&answer).into_owned();
                // The last line "250 X" becomes "250-X", then AUTH XOAUTH2 ends the list.
                let (head, last) = answer.trim_end().rsplit_once("\r\n").unwrap_or(("", answer.trim_end()));
                let head = if head.is_empty() { String::new() } else { format!("{head}\r\n") };
                Some(format!("{head}{}\r\n250 AUTH XOAUTH2\r\n", last.replacen("250 ", "250-", 1)).into_bytes())
            }
            "AUTH" if words.get(1).is_some_and(|m| m.eq_ignore_ascii_case("XOAUTH2")) => {
                self.logins.fetch_add(1, Ordering::SeqCst);
                use base64::Engine;
                let expected = format!("user={user}\x01auth=Bearer {token}\x01\x01");
                let given = words.get(2).and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok());
                if given.as_deref() == Some(expected.as_bytes()) {
                    login.authed = true;
                    Some(b"235 2.7.0 Accepted\r\n".to_vec())
                } else if self.options.challenge_refusals {
                    login.challenged = true;
                    let error = r#"{"status":"400","schemes":"Bearer","scope":"https://mail.google.com/"}"#;
                    Some(format!("334 {}\r\n", base64::engine::general_purpose::STANDARD.encode(error)).into_bytes())
                } else {
                    Some(b"535 5.7.8 Username and Password not accepted (the access token is not valid)\r\n".to_vec())
                }
            }
            "MAIL" if !login.authed => Some(b"530 5.7.0 Authentication required\r\n".to_vec()),
            _ => None,
        }
    }
}

/// A certificate authority made for one test, and a server certificate for `localhost` it signed.
pub struct TestCa {
    /// The CA's certificate, PEM: what a client is told to trust.
    pub pem: String,
    server_cert: rustls::pki_types::CertificateDer<'static>,
    server_key: Vec<u8>,
}

impl TestCa {
    pub fn new() -> TestCa {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(DnType::CommonName, "frontdesk test CA");
        let ca_key = KeyPair::generate().unwrap();
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let server_key = KeyPair::generate().unwrap();
        let server = CertificateParams::new(vec!["localhost".to_string()])
            .unwrap()
            .signed_by(&server_key, &ca, &ca_key)
            .unwrap();
        TestCa { pem: ca.pem(), server_cert: server.der().clone(), server_key: server_key.serialize_der() }
    }

    fn server_config(&self) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(self.server_key.clone().into());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![self.server_cert.clone()], key)
            .unwrap();
        Arc::new(config)
    }
}

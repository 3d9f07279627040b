//! A real SMTP server inside the test process: mailin's protocol state machine on a loopback
//! `TcpListener`, keeping every mail it accepts with its envelope recipients. Stopped when dropped.
//! [`SmtpServer::tls`] speaks it inside TLS (implicit TLS, as on port 465) with a certificate
//! signed by a CA made for the test ([`TestCa`]).

use mailin::{response, Action, Handler, Response, SessionBuilder};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Each mail's bytes and the envelope's recipients (RCPT TO).
type Mails = Arc<Mutex<Vec<(Vec<u8>, Vec<String>)>>>;

pub struct SmtpServer {
    pub port: u16,
    mails: Mails,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SmtpServer {
    /// Listen on a free loopback port.
    pub fn start() -> SmtpServer {
        SmtpServer::stalling(Duration::ZERO)
    }

    /// A relay that accepts each connection, then says nothing for `stall` before it speaks SMTP.
    pub fn stalling(stall: Duration) -> SmtpServer {
        SmtpServer::listen(stall, None)
    }

    /// A relay that speaks only inside TLS, with a certificate for `localhost` signed by `ca`.
    pub fn tls(ca: &TestCa) -> SmtpServer {
        SmtpServer::listen(Duration::ZERO, Some(ca.server_config()))
    }

    fn listen(stall: Duration, tls: Option<Arc<rustls::ServerConfig>>) -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mails = Mails::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (kept, stopping) = (mails.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                std::thread::sleep(stall);
                let peer = stream.peer_addr().map(|a| a.ip()).unwrap_or(IpAddr::from([127, 0, 0, 1]));
                let _ = match &tls {
                    None => converse(stream, peer, &kept),
                    Some(config) => match rustls::ServerConnection::new(config.clone()) {
                        Ok(conn) => converse(rustls::StreamOwned::new(conn, stream), peer, &kept),
                        Err(_) => continue,
                    },
                };
            }
        });
        SmtpServer { port, mails, stop, thread: Some(thread) }
    }

    /// The mails accepted so far, as text, in the order they came.
    pub fn received(&self) -> Vec<String> {
        self.mails.lock().unwrap().iter().map(|(m, _)| String::from_utf8_lossy(m).into_owned()).collect()
    }

    /// The envelope recipients of each mail accepted so far.
    pub fn recipients(&self) -> Vec<Vec<String>> {
        self.mails.lock().unwrap().iter().map(|(_, to)| to.clone()).collect()
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

/// One SMTP conversation: the greeting, then a response to each line the client sends.
fn converse(stream: impl Read + Write, peer: IpAddr, mails: &Mails) -> io::Result<()> {
    let collect = Collect { mails: mails.clone(), current: Vec::new(), to: Vec::new() };
    let mut session = SessionBuilder::new("test.desk.example").build(peer, collect);
    let mut stream = BufReader::new(stream);
    session.greeting().write_to(stream.get_mut())?;
    stream.get_mut().flush()?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if stream.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let answer = session.process(&line);
        match answer.action {
            Action::Reply => answer.write_to(stream.get_mut())?,
            Action::NoReply => {}
            Action::Close | Action::UpgradeTls => return answer.write_to(stream.get_mut()),
        }
        stream.get_mut().flush()?;
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

//! A real SMTP server inside the test process: mailin's protocol state machine on a loopback
//! `TcpListener`, keeping every mail it accepts. Stopped when dropped.

use mailin::{response, Action, Handler, Response, SessionBuilder};
use std::io::{self, BufRead, BufReader};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

type Mails = Arc<Mutex<Vec<Vec<u8>>>>;

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
                if let Ok(stream) = stream {
                    std::thread::sleep(stall);
                    let _ = converse(stream, &kept);
                }
            }
        });
        SmtpServer { port, mails, stop, thread: Some(thread) }
    }

    /// The mails accepted so far, as text, in the order they came.
    pub fn received(&self) -> Vec<String> {
        self.mails.lock().unwrap().iter().map(|m| String::from_utf8_lossy(m).into_owned()).collect()
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
}

impl Handler for Collect {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, _to: &[String]) -> Response {
        self.current.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        self.mails.lock().unwrap().push(std::mem::take(&mut self.current));
        response::OK
    }
}

/// One SMTP conversation: the greeting, then a response to each line the client sends.
fn converse(stream: TcpStream, mails: &Mails) -> io::Result<()> {
    let peer = stream.peer_addr().map(|a| a.ip()).unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let mut session =
        SessionBuilder::new("test.desk.example").build(peer, Collect { mails: mails.clone(), current: Vec::new() });
    let mut writer = stream.try_clone()?;
    session.greeting().write_to(&mut writer)?;
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let answer = session.process(&line);
        match answer.action {
            Action::Reply => answer.write_to(&mut writer)?,
            Action::NoReply => {}
            Action::Close | Action::UpgradeTls => return answer.write_to(&mut writer),
        }
    }
}

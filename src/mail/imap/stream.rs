//! The connection under a session: plain TCP or rustls over it.

use super::{ImapError, Result, TlsTarget, ANSWER_TIMEOUT};
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

pub(super) enum Stream {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Stream {
    pub(super) fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(s) => s,
            Stream::Tls(s) => s.get_ref(),
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

pub(super) fn connect_tcp(address: &str) -> Result<TcpStream> {
    use std::net::ToSocketAddrs;
    let mut last = io::Error::new(io::ErrorKind::NotFound, "no address");
    for addr in address.to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(20)) {
            Ok(tcp) => {
                tcp.set_read_timeout(Some(ANSWER_TIMEOUT))?;
                tcp.set_write_timeout(Some(ANSWER_TIMEOUT))?;
                tcp.set_nodelay(true)?;
                return Ok(tcp);
            }
            Err(e) => last = e,
        }
    }
    Err(last.into())
}

/// TLS over `tcp` to `target.host`, trusting the built-in roots, the system's and `target.ca_file`'s.
pub(super) fn tls(
    target: TlsTarget,
    tcp: TcpStream,
) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>> {
    let config =
        crate::mail::tls::client_config(target.ca_file.map(|path| (path, "ca_file"))).map_err(ImapError::Tls)?;
    let name =
        rustls::pki_types::ServerName::try_from(target.host.to_string()).map_err(|e| ImapError::Tls(e.to_string()))?;
    let conn = rustls::ClientConnection::new(config, name).map_err(|e| ImapError::Tls(e.to_string()))?;
    Ok(rustls::StreamOwned::new(conn, tcp))
}

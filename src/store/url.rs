//! Where a desk lives: a SQLite file, or a PostgreSQL database named as libpq users name one
//! (`postgres://user@host:port/desk?sslmode=require`, `postgresql://…`, or `host=… dbname=…`).
//! Pure parsing, no I/O: a wrong location gets one sentence.

use std::fmt;
use std::path::PathBuf;

/// A database a desk can be opened on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseLocation {
    /// A SQLite file (the default, embedded backend).
    File(PathBuf),
    /// A PostgreSQL database.
    Postgres(PostgresTarget),
}

/// How to reach a PostgreSQL database. Never holds a password: that comes from `password_command`
/// or `~/.pgpass` when connecting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PostgresTarget {
    /// `None`: the local server's Unix socket in its usual folder.
    pub host: Option<PostgresHost>,
    pub port: Option<u16>,
    /// `None`: the login of whoever runs frontdesk, as libpq does.
    pub user: Option<String>,
    /// `None`: the user's name, as libpq does.
    pub dbname: Option<String>,
    pub sslmode: SslMode,
    /// A PEM file of the certificate authorities to trust (`sslrootcert`).
    pub sslrootcert: Option<PathBuf>,
    pub connect_timeout: Option<u64>,
    pub application_name: Option<String>,
}

/// A server's address: a host name or IP address, or the folder holding its Unix socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostgresHost {
    Tcp(String),
    Socket(PathBuf),
}

/// Whether and how to use TLS, with libpq's names and meanings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SslMode {
    /// Never.
    Disable,
    /// TLS when the server offers it, without checking its certificate (libpq's default).
    #[default]
    Prefer,
    /// TLS or nothing; the certificate is checked against `sslrootcert` only when one is given.
    Require,
    /// TLS, with a certificate signed by a trusted authority, for any host name.
    VerifyCa,
    /// TLS, with a trusted certificate for the host connected to.
    VerifyFull,
}

impl SslMode {
    pub fn parse(text: &str) -> Result<SslMode, String> {
        match text {
            "disable" => Ok(SslMode::Disable),
            "prefer" => Ok(SslMode::Prefer),
            "require" => Ok(SslMode::Require),
            "verify-ca" => Ok(SslMode::VerifyCa),
            "verify-full" => Ok(SslMode::VerifyFull),
            other => Err(format!(
                "sslmode '{}' is not one frontdesk knows; use disable, prefer, require, verify-ca or verify-full",
                shown(other)
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

const PASSWORD_SENTENCE: &str = "the database URL holds a password; keep it out of URLs and the config (they show in process lists and backups): put it in ~/.pgpass or give [store] password_command";

/// The libpq keywords a `host=… dbname=…` string (or a URL's `?…` part) may use.
const KEYWORDS: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "user",
    "dbname",
    "sslmode",
    "sslrootcert",
    "connect_timeout",
    "application_name",
    "password",
];

impl DatabaseLocation {
    /// Read `--db`, `FRONTDESK_DB` or `[store] url`: a PostgreSQL URL or keyword string, or else a
    /// file path. A URL of another scheme is refused rather than taken as a file name.
    pub fn parse(text: &str) -> Result<DatabaseLocation, String> {
        let trimmed = text.trim();
        if let Some((scheme, rest)) = trimmed.split_once("://") {
            if scheme.eq_ignore_ascii_case("postgres") || scheme.eq_ignore_ascii_case("postgresql") {
                return parse_url(rest).map(DatabaseLocation::Postgres);
            }
            if !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) {
                return Err(format!(
                    "'{}' is not a database frontdesk can use: give a file path, a postgres:// URL or a 'host=… dbname=…' string",
                    shown(trimmed)
                ));
            }
        }
        if looks_like_keywords(trimmed) {
            return parse_keywords(trimmed).map(DatabaseLocation::Postgres);
        }
        if text.is_empty() {
            return Err("the database path is empty".into());
        }
        Ok(DatabaseLocation::File(PathBuf::from(text)))
    }
}

/// `host=db dbname=desk`: the text starts with a known keyword and `=`.
fn looks_like_keywords(text: &str) -> bool {
    let key: String = text.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    KEYWORDS.contains(&key.as_str()) && text[key.len()..].trim_start().starts_with('=')
}

fn parse_url(rest: &str) -> Result<PostgresTarget, String> {
    let mut target = PostgresTarget::default();
    let (before_query, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (before_query, None),
    };
    let hostport = match authority.rsplit_once('@') {
        Some((userinfo, hostport)) => {
            let user = match userinfo.split_once(':') {
                Some(_) => return Err(PASSWORD_SENTENCE.into()),
                None => userinfo,
            };
            if !user.is_empty() {
                target.user = Some(decode(user)?);
            }
            hostport
        }
        None => authority,
    };
    if hostport.contains(',') {
        return Err("the database URL names several hosts; frontdesk connects to one".into());
    }
    let (host, port) = split_host_port(hostport)?;
    if !host.is_empty() {
        target.host = Some(host_of(&decode(&host)?));
    }
    if let Some(port) = port {
        target.port = Some(parse_port(&port)?);
    }
    if let Some(path) = path.filter(|p| !p.is_empty()) {
        target.dbname = Some(decode(path)?);
    }
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        set(&mut target, &decode(key)?, decode(value)?)?;
    }
    Ok(target)
}

/// `host:port`, `[::1]:port`, `host` or empty.
fn split_host_port(text: &str) -> Result<(String, Option<String>), String> {
    if let Some(inner) = text.strip_prefix('[') {
        let Some((address, after)) = inner.split_once(']') else {
            return Err(format!("the host '{}' in the database URL has no closing ]", shown(text)));
        };
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p.to_string()),
            None if after.is_empty() => None,
            None => return Err(format!("the host '{}' in the database URL is not host:port", shown(text))),
        };
        return Ok((address.to_string(), port));
    }
    Ok(match text.rsplit_once(':') {
        Some((host, port)) => (host.to_string(), Some(port.to_string())),
        None => (text.to_string(), None),
    })
}

fn parse_keywords(text: &str) -> Result<PostgresTarget, String> {
    let mut target = PostgresTarget::default();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(target);
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(format!("'{}' in the database string has no value (write key=value)", shown(&key)));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            loop {
                match chars.next() {
                    Some('\\') => match chars.next() {
                        Some(c) => value.push(c),
                        None => return Err(unclosed(&key)),
                    },
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => return Err(unclosed(&key)),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                chars.next();
                if c == '\\' {
                    match chars.next() {
                        Some(escaped) => value.push(escaped),
                        None => value.push('\\'),
                    }
                } else {
                    value.push(c);
                }
            }
        }
        set(&mut target, &key, value)?;
    }
}

fn unclosed(key: &str) -> String {
    format!("the value of '{}' in the database string has no closing quote", shown(key))
}

fn set(target: &mut PostgresTarget, key: &str, value: String) -> Result<(), String> {
    match key {
        "host" | "hostaddr" => {
            if value.contains(',') {
                return Err("the database string names several hosts; frontdesk connects to one".into());
            }
            target.host = (!value.is_empty()).then(|| host_of(&value));
        }
        "port" => target.port = Some(parse_port(&value)?),
        "user" => target.user = (!value.is_empty()).then_some(value),
        "dbname" => target.dbname = (!value.is_empty()).then_some(value),
        "sslmode" => target.sslmode = SslMode::parse(&value)?,
        "sslrootcert" => target.sslrootcert = (!value.is_empty()).then(|| PathBuf::from(value)),
        "connect_timeout" => {
            let seconds = value
                .parse::<u64>()
                .map_err(|_| format!("connect_timeout '{}' is not a number of seconds", shown(&value)))?;
            target.connect_timeout = (seconds > 0).then_some(seconds);
        }
        "application_name" => target.application_name = Some(value),
        "password" => return Err(PASSWORD_SENTENCE.into()),
        other => {
            return Err(format!(
                "'{}' is not a database setting frontdesk knows; it knows {}",
                shown(other),
                KEYWORDS[..KEYWORDS.len() - 1].join(", ")
            ))
        }
    }
    Ok(())
}

/// A host starting with `/` is the folder of the server's Unix socket, as in libpq.
fn host_of(text: &str) -> PostgresHost {
    match text.starts_with('/') {
        true => PostgresHost::Socket(PathBuf::from(text)),
        false => PostgresHost::Tcp(text.to_string()),
    }
}

fn parse_port(text: &str) -> Result<u16, String> {
    match text.parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(format!("the port '{}' in the database URL is not a port number", shown(text))),
    }
}

/// Percent-decoding of one part of a URL.
fn decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(b) => out.push(b),
                None => return Err(format!("'{}' in the database URL has a broken %-escape", shown(text))),
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("'{}' in the database URL is not UTF-8 once decoded", shown(text)))
}

/// Text quoted back in an error: control characters in caret form, cut when long.
fn shown(text: &str) -> String {
    let mut cut: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        cut.push('…');
    }
    crate::domain::text::for_display_line(&cut).into_owned()
}

/// The target as a URL without secrets (there are none to hide: it never holds a password).
impl fmt::Display for PostgresTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "postgres://")?;
        if let Some(user) = &self.user {
            write!(f, "{user}@")?;
        }
        match &self.host {
            Some(PostgresHost::Tcp(h)) if h.contains(':') => write!(f, "[{h}]")?,
            Some(PostgresHost::Tcp(h)) => write!(f, "{h}")?,
            Some(PostgresHost::Socket(_)) | None => {}
        }
        if let Some(port) = self.port {
            write!(f, ":{port}")?;
        }
        write!(f, "/{}", self.dbname.as_deref().unwrap_or(""))?;
        let mut params = Vec::new();
        if let Some(PostgresHost::Socket(dir)) = &self.host {
            params.push(format!("host={}", dir.display()));
        }
        if self.sslmode != SslMode::Prefer {
            params.push(format!("sslmode={}", self.sslmode.name()));
        }
        if !params.is_empty() {
            write!(f, "?{}", params.join("&"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(text: &str) -> PostgresTarget {
        match DatabaseLocation::parse(text) {
            Ok(DatabaseLocation::Postgres(t)) => t,
            other => panic!("{text}: {other:?}"),
        }
    }

    fn refused(text: &str) -> String {
        DatabaseLocation::parse(text).expect_err(text)
    }

    #[test]
    fn paths_stay_files() {
        for path in ["desk.db", "/var/lib/frontdesk/desk.db", "./a=b.db", "C:/x.db", "postgres"] {
            assert_eq!(DatabaseLocation::parse(path), Ok(DatabaseLocation::File(path.into())), "{path}");
        }
    }

    #[test]
    fn urls_of_both_schemes() {
        let t = pg("postgres://ana@db.example:6432/desk");
        assert_eq!(t.host, Some(PostgresHost::Tcp("db.example".into())));
        assert_eq!((t.port, t.user.as_deref(), t.dbname.as_deref()), (Some(6432), Some("ana"), Some("desk")));
        assert_eq!(t.sslmode, SslMode::Prefer);
        let t = pg("postgresql://db.example/desk?sslmode=verify-full&sslrootcert=/etc/ca.pem&application_name=hq");
        assert_eq!(t.sslmode, SslMode::VerifyFull);
        assert_eq!(t.sslrootcert, Some(PathBuf::from("/etc/ca.pem")));
        assert_eq!(t.application_name.as_deref(), Some("hq"));
        assert_eq!(t.user, None);
        let t = pg("POSTGRES://[::1]:5433/desk");
        assert_eq!((t.host, t.port), (Some(PostgresHost::Tcp("::1".into())), Some(5433)));
    }

    #[test]
    fn sockets_by_query_or_escaped_host() {
        let t = pg("postgres:///desk?host=/run/postgresql");
        assert_eq!(t.host, Some(PostgresHost::Socket("/run/postgresql".into())));
        let t = pg("postgresql://%2Fvar%2Frun%2Fpostgresql/desk");
        assert_eq!(t.host, Some(PostgresHost::Socket("/var/run/postgresql".into())));
        let t = pg("postgres://");
        assert_eq!(t, PostgresTarget::default(), "everything left to libpq's defaults");
    }

    #[test]
    fn keyword_strings_with_quotes() {
        let t = pg("host=db.example port=5433 dbname='the desk' user=ana sslmode=require connect_timeout=5");
        assert_eq!(t.host, Some(PostgresHost::Tcp("db.example".into())));
        assert_eq!(t.dbname.as_deref(), Some("the desk"));
        assert_eq!((t.port, t.sslmode, t.connect_timeout), (Some(5433), SslMode::Require, Some(5)));
        let t = pg(r"dbname = 'it\'s' host=/tmp");
        assert_eq!(t.dbname.as_deref(), Some("it's"));
        assert_eq!(t.host, Some(PostgresHost::Socket("/tmp".into())));
    }

    #[test]
    fn every_sslmode_by_its_libpq_name() {
        for mode in [SslMode::Disable, SslMode::Prefer, SslMode::Require, SslMode::VerifyCa, SslMode::VerifyFull] {
            assert_eq!(SslMode::parse(mode.name()), Ok(mode));
            assert_eq!(pg(&format!("postgres://h/d?sslmode={}", mode.name())).sslmode, mode);
        }
        assert!(refused("postgres://h/d?sslmode=maybe").contains("disable, prefer, require, verify-ca or verify-full"));
    }

    #[test]
    fn passwords_are_refused_wherever_they_are() {
        for text in ["postgres://ana:secret@h/d", "postgres://h/d?password=secret", "host=h password=secret"] {
            let e = refused(text);
            assert!(e.contains("holds a password") && e.contains("~/.pgpass"), "{text}: {e}");
            assert!(!e.contains("secret"), "the password is not repeated: {e}");
        }
    }

    #[test]
    fn mistakes_get_one_sentence() {
        assert!(refused("mysql://h/d").contains("not a database frontdesk can use"));
        assert!(refused("postgres://h:99999/d").contains("not a port number"));
        assert!(refused("postgres://h:/d").contains("not a port number"));
        assert!(refused("postgres://a,b/d").contains("several hosts"));
        assert!(refused("postgres://h/d?colour=red").contains("'colour' is not a database setting"));
        assert!(refused("postgres://h/%zz").contains("broken %-escape"));
        assert!(refused("host=h dbname='open").contains("no closing quote"));
        assert!(refused("host=h dbname").contains("no value"));
        assert!(refused("postgres://[::1/d").contains("no closing ]"));
        assert!(refused("postgres://h/d?connect_timeout=soon").contains("not a number of seconds"));
        let e = refused("postgres://h/d?\u{1b}[31m=1");
        assert!(!e.contains('\u{1b}'), "no control sequence reaches the terminal: {e}");
        for e in [refused("mysql://h/d"), refused("postgres://h:0/d")] {
            assert_eq!(e.matches(". ").count(), 0, "one sentence: {e}");
        }
    }

    #[test]
    fn shown_without_secrets() {
        assert_eq!(pg("postgresql://ana@db:6432/desk").to_string(), "postgres://ana@db:6432/desk");
        assert_eq!(
            pg("host=/run/pg dbname=desk sslmode=disable").to_string(),
            "postgres:///desk?host=/run/pg&sslmode=disable"
        );
    }
}

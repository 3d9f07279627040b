//! The PostgreSQL backend, for a desk shared by several hosts: connecting (libpq's defaults,
//! `sslmode`, passwords from `password_command` or `~/.pgpass`), the schema and its migrations,
//! and moving a desk between SQLite and PostgreSQL (`frontdesk migrate`). The `Store` seam does
//! not dispatch here yet: [`crate::store::Store::open_location`] says so in one sentence.

mod copy;
pub mod migrate;
pub mod password;
mod schema;
pub mod search;
mod tls;

pub use migrate::{MigrationReport, Progress, TableCheck};
pub use schema::SCHEMA_VERSION;

use super::url::{PostgresHost, PostgresTarget, SslMode};
use super::{Result, StoreError};
use std::path::PathBuf;
use std::time::Duration;

/// How to log in, beside the target: the config's `[store] password_command`, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    pub password_command: Option<String>,
}

/// One connection to a desk's PostgreSQL database, its schema brought up to date.
pub struct PostgresDesk {
    client: postgres::Client,
    target: PostgresTarget,
    /// Set when a newer frontdesk wrote the schema: reads work, writes are refused.
    too_new: Option<i64>,
}

impl PostgresDesk {
    /// Connect and bring the schema up to date (each migration in its own transaction).
    pub fn open(target: &PostgresTarget, credentials: &Credentials) -> Result<PostgresDesk> {
        let client = connect(target, credentials)?;
        let mut desk = PostgresDesk { client, target: target.clone(), too_new: None };
        desk.too_new = schema::migrate(&mut desk.client).map_err(|e| desk.error(e))?;
        Ok(desk)
    }

    /// The schema version the database holds.
    pub fn schema_version(&mut self) -> Result<i64> {
        schema::version(&mut self.client).map_err(|e| self.error(e))
    }

    /// Writes are refused on a schema written by a newer frontdesk.
    pub fn check_writable(&self) -> Result<()> {
        match self.too_new {
            Some(found) => Err(StoreError::Invalid(format!(
                "the database {} was written by a newer frontdesk (schema {found}, this one knows {SCHEMA_VERSION}); upgrade frontdesk to change it",
                self.target
            ))),
            None => Ok(()),
        }
    }

    /// Run every migration again on a database that has them all: each must be rerunnable.
    pub fn run_migrations_again(&mut self) -> Result<()> {
        schema::run_all_again(&mut self.client).map_err(|e| self.error(e))
    }

    pub fn target(&self) -> &PostgresTarget {
        &self.target
    }

    /// The connection, for the backend's own code and its tests.
    pub fn client(&mut self) -> &mut postgres::Client {
        &mut self.client
    }

    fn error(&self, e: postgres::Error) -> StoreError {
        database_error(&self.target, e)
    }
}

/// A server's error as one sentence naming the database.
pub(crate) fn database_error(target: &PostgresTarget, e: postgres::Error) -> StoreError {
    let text = match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{}: {}", db.message(), detail),
            None => db.message().to_string(),
        },
        None => e.to_string(),
    };
    StoreError::Invalid(format!("PostgreSQL at {target}: {}", crate::domain::text::for_display_line(&text)))
}

/// The connection settings libpq would use for `target`: its host or the local socket folder,
/// port 5432, the login of whoever runs frontdesk, a database named like the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub host: PostgresHost,
    pub port: u16,
    pub user: String,
    pub dbname: String,
}

pub fn resolve(target: &PostgresTarget) -> Result<Resolved> {
    let host = match &target.host {
        Some(host) => host.clone(),
        None => PostgresHost::Socket(
            ["/var/run/postgresql", "/run/postgresql", "/tmp"]
                .iter()
                .map(PathBuf::from)
                .find(|dir| dir.is_dir())
                .unwrap_or_else(|| PathBuf::from("/tmp")),
        ),
    };
    let user = match &target.user {
        Some(user) => user.clone(),
        None => os_login().ok_or_else(|| {
            StoreError::Invalid(
                "cannot tell who you are to log in to PostgreSQL; put user=… in the database URL".into(),
            )
        })?,
    };
    let dbname = target.dbname.clone().unwrap_or_else(|| user.clone());
    Ok(Resolved { host, port: target.port.unwrap_or(5432), user, dbname })
}

fn os_login() -> Option<String> {
    // SAFETY: getpwuid returns a pointer to a static entry or NULL; it is read at once.
    unsafe {
        let entry = libc::getpwuid(libc::geteuid());
        if entry.is_null() {
            return None;
        }
        std::ffi::CStr::from_ptr((*entry).pw_name).to_str().ok().map(str::to_string)
    }
}

/// Open one connection to `target`.
pub fn connect(target: &PostgresTarget, credentials: &Credentials) -> Result<postgres::Client> {
    let resolved = resolve(target)?;
    let mut config = postgres::Config::new();
    config.user(&resolved.user).dbname(&resolved.dbname).port(resolved.port);
    config.application_name(target.application_name.as_deref().unwrap_or("frontdesk"));
    config.connect_timeout(Duration::from_secs(target.connect_timeout.unwrap_or(10)));
    let (pgpass_host, tcp_host) = match &resolved.host {
        PostgresHost::Tcp(host) => {
            config.host(host);
            (host.clone(), Some(host.clone()))
        }
        PostgresHost::Socket(dir) => {
            config.host_path(dir);
            ("localhost".to_string(), None)
        }
    };
    let password = match &credentials.password_command {
        Some(command) => Some(password::from_command(command).map_err(StoreError::Invalid)?),
        None => password::password_file()
            .and_then(|file| password::from_file(&file, &pgpass_host, resolved.port, &resolved.dbname, &resolved.user)),
    };
    if let Some(password) = password {
        config.password(password);
    }
    // Over a Unix socket there is no TLS, whatever sslmode says (as in libpq).
    let mode = if tcp_host.is_some() { target.sslmode } else { SslMode::Disable };
    let connected = match mode {
        SslMode::Disable => config.ssl_mode(postgres::config::SslMode::Disable).connect(postgres::NoTls),
        mode => {
            let tls = tls::client_config(mode, target.sslrootcert.as_deref()).map_err(StoreError::Invalid)?;
            let ssl = match mode {
                SslMode::Prefer => postgres::config::SslMode::Prefer,
                _ => postgres::config::SslMode::Require,
            };
            config.ssl_mode(ssl).connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
        }
    };
    connected.map_err(|e| connect_error(target, e))
}

fn connect_error(target: &PostgresTarget, e: postgres::Error) -> StoreError {
    use std::error::Error as _;
    let mut text = match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => e.to_string(),
    };
    if e.as_db_error().is_none() {
        if let Some(source) = e.source() {
            let cause = source.to_string();
            if !text.contains(&cause) {
                text = format!("{text}: {cause}");
            }
        }
    }
    StoreError::Invalid(format!(
        "cannot connect to PostgreSQL at {target}: {}",
        crate::domain::text::for_display_line(&text)
    ))
}

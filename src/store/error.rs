//! What can go wrong in the store, with no backend's types in it.

use rusqlite::ErrorCode;
use std::fmt;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("ticket #{0} does not exist")]
    TicketNotFound(i64),
    #[error("{}", deleted_sentence(.0))]
    TicketDeleted(Box<crate::domain::audit::Tombstone>),
    #[error("customer {0} does not exist")]
    CustomerNotFound(i64),
    #[error("agent '{0}' does not exist")]
    AgentNotFound(String),
    #[error("agent '{0}' already exists")]
    AgentExists(String),
    #[error("agent '{0}' is deactivated; an admin can let them back in with: frontdesk agent activate {0}")]
    AgentInactive(String),
    /// The change would leave the desk with no active admin.
    #[error("{0} is the desk's only active admin; make another agent an admin first")]
    LastAdmin(String),
    /// The ticket's version moved on since the agent loaded it; `changes` are the events of the
    /// writes since, oldest first, and `by` the last writer.
    #[error("{}", crate::domain::conflict::sentence(*ticket, changes, crate::domain::when::agent_zone()))]
    Conflict { ticket: i64, expected: i64, actual: i64, by: String, changes: Vec<crate::domain::Event> },
    #[error("{}", newer_messages_sentence(*ticket, newer))]
    NewerMessages { ticket: i64, newer: Vec<crate::domain::Message> },
    #[error("ticket #{ticket} was just taken by {by}; nothing was changed")]
    Taken { ticket: i64, by: String },
    /// A customer is no longer as the agent saw them (customers have no version: their name,
    /// first address and number of tickets are compared).
    #[error("customer {name} changed while you were looking: {what}; nothing was merged")]
    CustomerChanged { customer: i64, name: String, what: String },
    /// Someone saved a customer's notes while the agent was editing them.
    #[error("the notes of {name} changed since you opened them; yours were not saved")]
    NotesChanged { customer: i64, name: String },
    #[error("the database {path} was written by a newer frontdesk (schema {found}, this one knows {known}); upgrade frontdesk to change it")]
    TooNew { path: PathBuf, found: i64, known: i64 },
    #[error("the database is busy: another frontdesk kept it locked for more than 5 seconds")]
    Busy,
    #[error("{0}")]
    Invalid(String),
    #[error("cannot open the database {path}: {source}")]
    Open { path: PathBuf, source: DatabaseError },
    #[error("database error: {0}")]
    Database(#[source] DatabaseError),
    #[error("organization {0} does not exist; see frontdesk org list")]
    OrganizationNotFound(String),
    /// A customer's record is no longer as the agent opened it to edit.
    #[error("customer {name} changed while you were editing: {what}; yours was not saved")]
    CustomerEdited { customer: i64, name: String, what: String },
    /// An organization's or an agent's record is no longer as the agent opened it to edit;
    /// `record` names it ("organization Shop Inc").
    #[error("{record} changed while you were editing: {what}; yours was not saved")]
    RecordEdited { record: String, what: String },
}

fn newer_messages_sentence(ticket: i64, newer: &[crate::domain::Message]) -> String {
    let who: Vec<String> =
        newer.iter().map(|m| format!("{} from {}", m.kind, crate::domain::text::for_display_line(&m.author))).collect();
    format!(
        "ticket #{ticket} has {} new message{} since you last looked ({}); nothing was sent",
        newer.len(),
        if newer.len() == 1 { "" } else { "s" },
        who.join(", ")
    )
}

fn deleted_sentence(stone: &crate::domain::audit::Tombstone) -> String {
    use crate::domain::text::for_display_line;
    format!(
        "ticket #{} was deleted by {} at {}; it was {}",
        stone.ticket,
        for_display_line(&stone.by),
        crate::domain::when::agent_zone().full(stone.at),
        for_display_line(&stone.what)
    )
}

/// A failure of the database underneath: what the backend said and its causes, in none of its types.
#[derive(Debug)]
pub struct DatabaseError(Box<dyn std::error::Error + Send + Sync>);

impl DatabaseError {
    pub(crate) fn new(backend: impl std::error::Error + Send + Sync + 'static) -> DatabaseError {
        DatabaseError(Box::new(backend))
    }
}

impl fmt::Display for DatabaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// It stands for the backend's error, so its causes are the backend error's causes.
impl std::error::Error for DatabaseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

mod backend {
    /// An error of a database backend, as the store reports it. Not nameable outside the store,
    /// so `?` works inside it while no backend's type shows in [`super::StoreError`]'s conversions.
    pub trait BackendError {
        fn into_store_error(self) -> super::StoreError;
    }
}

impl<E: backend::BackendError> From<E> for StoreError {
    fn from(e: E) -> Self {
        e.into_store_error()
    }
}

impl backend::BackendError for rusqlite::Error {
    fn into_store_error(self) -> StoreError {
        match self.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Database(DatabaseError::new(self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite_failure(code: i32, message: &str) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some(message.into()))
    }

    #[test]
    fn a_locked_database_is_busy() {
        assert!(matches!(StoreError::from(sqlite_failure(rusqlite::ffi::SQLITE_BUSY, "locked")), StoreError::Busy));
        assert!(matches!(StoreError::from(sqlite_failure(rusqlite::ffi::SQLITE_LOCKED, "locked")), StoreError::Busy));
    }

    #[test]
    fn a_backend_error_holds_its_message_and_causes() {
        let e = StoreError::from(sqlite_failure(rusqlite::ffi::SQLITE_CORRUPT, "bad page"));
        assert_eq!(e.to_string(), "database error: bad page");
        let database = std::error::Error::source(&e).expect("the database error");
        assert_eq!(database.to_string(), "bad page");
        let cause = database.source().expect("the backend's cause");
        assert!(cause.to_string().contains("database disk image is malformed"), "{cause}");
    }
}

//! What can go wrong on the command line, one sentence each.

use crate::config::{ConfigError, PathsError};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Paths(#[from] PathsError),
    #[error("you ({0}) are not an agent on this desk; an admin can add you with: frontdesk agent add {0}")]
    NotAnAgent(String),
    #[error(
        "your login ({0}) is deactivated on this desk; an admin can let you back in with: frontdesk agent activate {0}"
    )]
    Deactivated(String),
    #[error("only an admin can {0}; you ({1}) are an agent")]
    NotAdmin(&'static str, String),
    #[error("cannot tell who you are: set USER to your login")]
    UnknownLogin,
    #[error("this console needs a terminal (use ssh -t)")]
    NeedsTerminal,
    /// A request that cannot be carried out as given, e.g. an empty reply.
    #[error("{0}")]
    Refused(String),
    /// A message the store refused, its text saved as the writer's draft on the ticket.
    #[error("{error}; your {kind} is kept as a draft on #{ticket} (open it in the console and press r)")]
    Kept { error: StoreError, ticket: i64, kind: crate::domain::MessageKind },
    #[error("cannot read the message from stdin: {0}")]
    Stdin(std::io::Error),
    #[error("cannot write the output: {0}")]
    Output(std::io::Error),
}

impl CliError {
    /// The process exit code: 3 when another agent's write stopped this one (newer messages before
    /// a reply, a changed version before a change), else 1.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Store(StoreError::NewerMessages { .. } | StoreError::Conflict { .. }) => 3,
            CliError::Kept { error: StoreError::NewerMessages { .. } | StoreError::Conflict { .. }, .. } => 3,
            _ => 1,
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Output(e)
    }
}

impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> Self {
        CliError::Output(e.into())
    }
}

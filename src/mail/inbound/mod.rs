//! IMAP mailboxes: each new mail is imported once, with the mailbox's position in the same write,
//! then marked seen, moved or deleted as the config says. [`poll_once`] takes what is there;
//! [`watch`] waits in IDLE (or polls) until stopped, reconnecting with backoff.

mod reader;
mod watch;

pub use crate::mail::imap::Wakeup;
pub use reader::{poll_once, PollOutcome};
pub use watch::{watch, InboundEvent};

use super::imap::ImapError;
use crate::config::{Auth, InboundConfig};
use crate::store::StoreError;
use std::process::{Command, Stdio};

#[derive(Debug, thiserror::Error)]
pub enum InboundError {
    #[error("mailbox {mailbox}: {what}")]
    Credentials { mailbox: String, what: String },
    #[error("mailbox {mailbox}: {server} refused the login of {user} ({text})")]
    Login { mailbox: String, server: String, user: String, text: String },
    #[error("mailbox {mailbox}: the folder {folder} cannot be opened ({text})")]
    Folder { mailbox: String, folder: String, text: String },
    #[error("mailbox {mailbox}: new tickets are to be assigned to {login}, who is not an agent of this desk")]
    Assignee { mailbox: String, login: String },
    #[error("mailbox {mailbox}: {server}: {source}")]
    Connection { mailbox: String, server: String, source: ImapError },
    #[error("mailbox {mailbox}: {source}")]
    Store { mailbox: String, source: StoreError },
}

impl InboundError {
    /// Trying again will not help until someone changes the config or the server's account.
    pub fn is_permanent(&self) -> bool {
        !matches!(self, InboundError::Connection { .. } | InboundError::Store { .. })
    }
}

/// The password or access token, from the first line its command prints.
fn secret(mailbox: &InboundConfig) -> Result<String, InboundError> {
    let (what, command) = match mailbox.auth {
        Auth::Password => ("password", mailbox.password_command.as_deref()),
        Auth::Xoauth2 => ("token", mailbox.token_command.as_deref()),
    };
    let fail = |what: String| InboundError::Credentials { mailbox: mailbox.name.clone(), what };
    let command = command.ok_or_else(|| fail(format!("no {what} command")))?;
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| fail(format!("the {what} command '{command}' could not run: {e}")))?;
    if !output.status.success() {
        return Err(fail(format!("the {what} command '{command}' failed ({})", output.status)));
    }
    let first = String::from_utf8_lossy(&output.stdout).lines().next().unwrap_or("").to_string();
    if first.is_empty() {
        return Err(fail(format!("the {what} command '{command}' printed nothing")));
    }
    Ok(first)
}

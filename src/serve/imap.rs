//! The config's IMAP mailboxes (`[[mail.inbound]]`) as the mailbox readers of `serve --once`: each is read
//! with one login, fetch and logout (`mail::inbound::poll_once`) at most every `poll_seconds`. A
//! mailbox whose login is refused (or whose folder or assignee is wrong) is not tried again until
//! the service restarts: one error in the log, not one a minute.

use super::MailboxReader;
use crate::config::{Config, InboundConfig};
use crate::store::Store;
use std::time::{Duration, Instant};

pub struct ImapMailbox {
    config: Config,
    mailbox: InboundConfig,
    last_read: Option<Instant>,
    /// Why the mailbox is no longer read (a permanent error).
    stopped: Option<String>,
}

impl ImapMailbox {
    pub fn new(config: &Config, mailbox: &InboundConfig) -> ImapMailbox {
        ImapMailbox { config: config.clone(), mailbox: mailbox.clone(), last_read: None, stopped: None }
    }

    /// One reader per `[[mail.inbound]]` entry of the config.
    pub fn all(config: &Config) -> Vec<Box<dyn MailboxReader>> {
        let mailboxes = config.mail.iter().flat_map(|m| m.inbound.iter());
        mailboxes.map(|mailbox| Box::new(ImapMailbox::new(config, mailbox)) as Box<dyn MailboxReader>).collect()
    }
}

impl MailboxReader for ImapMailbox {
    fn name(&self) -> &str {
        &self.mailbox.name
    }

    fn poll_once(&mut self, store: &Store) -> Result<usize, String> {
        let every = Duration::from_secs(self.mailbox.poll_seconds);
        if self.stopped.is_some() || self.last_read.is_some_and(|at| at.elapsed() < every) {
            return Ok(0);
        }
        self.last_read = Some(Instant::now());
        let read = match crate::mail::inbound::poll_once(store, &self.config, &self.mailbox) {
            Ok(outcome) => Ok(outcome.imported.len()),
            Err(error) if error.is_permanent() => {
                self.stopped = Some(error.to_string());
                Err(format!("{error}; not read again until the service restarts"))
            }
            Err(error) => Err(error.to_string()),
        };
        // The consoles' status line says what keeps a mailbox from being read.
        let recorded = match &read {
            Ok(_) => store.mailbox_read(&self.mailbox.name),
            Err(problem) => store.mailbox_failed(
                &self.mailbox.name,
                &crate::domain::text::for_display_line(problem),
                self.stopped.is_some(),
            ),
        };
        if let Err(error) = recorded {
            tracing::warn!(mailbox = self.mailbox.name, %error, "the mailbox's state was not recorded for the consoles");
        }
        read
    }

    fn poll_every(&self) -> Option<Duration> {
        let every = Duration::from_secs(self.mailbox.poll_seconds);
        let left = self.last_read.map_or(Duration::ZERO, |at| every.saturating_sub(at.elapsed()));
        self.stopped.is_none().then_some(left)
    }
}

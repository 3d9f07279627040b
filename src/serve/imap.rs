//! The config's IMAP mailboxes (`[[mail.inbound]]`) as the service's mailbox readers: each is read
//! with one login, fetch and logout (`mail::inbound::poll_once`) every `poll_seconds`.

use super::MailboxReader;
use crate::config::{Config, InboundConfig};
use crate::store::Store;
use std::time::Duration;

pub struct ImapMailbox {
    config: Config,
    mailbox: InboundConfig,
}

impl ImapMailbox {
    /// One reader per `[[mail.inbound]]` entry of the config.
    pub fn all(config: &Config) -> Vec<Box<dyn MailboxReader>> {
        let mailboxes = config.mail.iter().flat_map(|m| m.inbound.iter());
        mailboxes
            .map(|mailbox| {
                Box::new(ImapMailbox { config: config.clone(), mailbox: mailbox.clone() }) as Box<dyn MailboxReader>
            })
            .collect()
    }
}

impl MailboxReader for ImapMailbox {
    fn name(&self) -> &str {
        &self.mailbox.name
    }

    fn poll_once(&mut self, store: &Store) -> Result<usize, String> {
        let outcome = crate::mail::inbound::poll_once(store, &self.config, &self.mailbox).map_err(|e| e.to_string())?;
        Ok(outcome.imported.len())
    }

    fn poll_every(&self) -> Option<Duration> {
        Some(Duration::from_secs(self.mailbox.poll_seconds))
    }
}

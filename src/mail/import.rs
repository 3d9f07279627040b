//! Parse and import one mail: the body shared by `frontdesk import`, quarantine release and the fuzz target.

use super::parse::{parse_mail_from, Limits};
use crate::domain::mail::ImportOutcome;
use crate::store::{Store, StoreError};
use sha2::{Digest, Sha256};

pub struct Importer<'a> {
    pub store: &'a Store,
    pub limits: Limits,
    /// Our support address: mail from it is our own coming back, never a ticket.
    pub own_address: Option<String>,
    /// `[sla]`: how much a customer's tier raises the priority of their new tickets.
    pub sla: Option<crate::config::SlaConfig>,
    /// The rules a new ticket or a customer's reply fires, in the same write as the mail.
    pub rules: Vec<crate::domain::rules::Rule>,
    /// `[mail]`: where a rule's canned reply comes from.
    pub mail: Option<crate::config::MailConfig>,
    /// The IMAP mailbox the mail came in by (`[[mail.inbound]]`'s name), for rules' `mailbox`.
    pub mailbox: Option<String>,
}

impl<'a> Importer<'a> {
    pub fn new(store: &'a Store, config: &crate::config::Config) -> Importer<'a> {
        let mail = config.mail.as_ref();
        let limits = Limits {
            max_size: mail.map(|m| m.max_message_size).unwrap_or(Limits::default().max_size),
            ..Limits::default()
        };
        let own_address = mail.map(|m| m.address.trim().to_lowercase()).filter(|a| !a.is_empty());
        Importer {
            store,
            limits,
            own_address,
            sla: config.sla.clone(),
            rules: config.rule_set.rules.clone(),
            mail: config.mail.clone(),
            mailbox: None,
        }
    }

    /// Import `raw` (one transaction), or quarantine it whole with the reason. Only a store failure
    /// (a locked or broken database) is an error.
    pub fn import(&self, raw: &[u8], source: &str) -> Result<ImportOutcome, StoreError> {
        self.import_from(raw, source, None)
    }

    /// As [`Importer::import`], with `sender` (when given) in place of the one the mail names.
    pub fn import_from(&self, raw: &[u8], source: &str, sender: Option<&str>) -> Result<ImportOutcome, StoreError> {
        let hash = content_hash(raw);
        let mail = match parse_mail_from(raw, &self.limits, hash.clone(), sender) {
            Ok(mail) => mail,
            Err(refusal) => return self.quarantine(raw, &hash, &refusal.to_string(), source),
        };
        if self.own_address.as_deref() == Some(mail.from_email.as_str()) {
            return Ok(ImportOutcome::OwnMail { ticket: None });
        }
        if let Some(rated) = super::survey::take_answer(self.store, &mail)? {
            return Ok(rated);
        }
        let follow_up = |outcome: ImportOutcome| -> Result<ImportOutcome, StoreError> {
            if let ImportOutcome::Created { ticket, .. } = outcome {
                // A customer's tier raises the priority of their new tickets, as the config says.
                if let Some(sla) = &self.sla {
                    self.store.raise_priority_for_tier(ticket, &|tier| sla.priority_raise(tier))?;
                }
            }
            self.run_rules(&outcome, raw, &mail)?;
            Ok(outcome)
        };
        // Nothing follows the mail: its own write is enough (no savepoint in one around it).
        let stored = match self.sla.is_none() && self.rules.is_empty() {
            true => self.store.import_mail(&mail),
            false => self.store.in_one_write(|| follow_up(self.store.import_mail(&mail)?)),
        };
        match stored {
            Err(StoreError::Invalid(reason)) => self.quarantine(raw, &hash, &reason, source),
            other => other,
        }
    }

    /// The rules a new ticket or a customer's reply fires, in the caller's write.
    fn run_rules(
        &self,
        outcome: &ImportOutcome,
        raw: &[u8],
        mail: &crate::domain::mail::IncomingMail,
    ) -> Result<(), StoreError> {
        use crate::domain::rules::Event;
        let (ticket, event) = match *outcome {
            ImportOutcome::Created { ticket, .. } => (ticket, Event::NewTicket),
            ImportOutcome::Threaded { ticket, .. } if mail.automatic.is_none() => (ticket, Event::CustomerReply),
            _ => return Ok(()),
        };
        if self.rules.is_empty() {
            return Ok(());
        }
        let mut facts = super::rules::MailFacts::of(raw, mail.automatic);
        facts.body = Some(mail.body.clone());
        facts.to.extend(self.mailbox.iter().map(|m| m.to_lowercase()));
        let outbound = super::outbound::Outbound::from_config(self.mail.as_ref(), std::path::Path::new(""));
        let rules = super::rules::Rules { rules: &self.rules, outbound };
        rules.on_event(self.store, ticket, event, Some(&facts))?;
        Ok(())
    }

    fn quarantine(&self, raw: &[u8], hash: &str, reason: &str, source: &str) -> Result<ImportOutcome, StoreError> {
        let (id, new) = self.store.quarantine(raw, hash, reason, source)?;
        Ok(ImportOutcome::Quarantined { id, reason: reason.to_string(), again: !new })
    }
}

pub fn content_hash(raw: &[u8]) -> String {
    let digest = Sha256::digest(raw);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parse and import `raw` into `store` with the default limits: the fuzz target's body.
pub fn parse_and_import(store: &Store, raw: &[u8]) -> Result<ImportOutcome, StoreError> {
    let importer = Importer {
        store,
        limits: Limits::default(),
        own_address: None,
        sla: None,
        rules: Vec::new(),
        mail: None,
        mailbox: None,
    };
    importer.import(raw, "fuzz")
}

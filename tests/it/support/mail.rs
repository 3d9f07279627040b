//! Helpers shared by the mail tests: import fixtures into a fresh in-memory desk.

use frontdesk::config::{Config, MailConfig};
use frontdesk::domain::mail::ImportOutcome;
use frontdesk::domain::TicketDetail;
use frontdesk::mail::Importer;
use frontdesk::store::Store;
use std::path::PathBuf;

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/email").join(name)
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap_or_else(|e| panic!("cannot read fixture {name}: {e}"))
}

pub struct Desk {
    pub store: Store,
    pub config: Config,
}

impl Desk {
    pub fn new() -> Desk {
        Desk { store: Store::open_in_memory().unwrap(), config: Config::default() }
    }

    /// A desk whose support address is `address` (mail from it is our own).
    pub fn with_address(address: &str) -> Desk {
        let mut desk = Desk::new();
        desk.config.mail = Some(MailConfig { address: address.into(), ..MailConfig::default() });
        desk
    }

    pub fn import(&self, raw: &[u8]) -> ImportOutcome {
        Importer::new(&self.store, &self.config).import(raw, "test").unwrap()
    }

    pub fn import_fixture(&self, name: &str) -> ImportOutcome {
        self.import(&fixture(name))
    }

    pub fn detail(&self, ticket: i64) -> TicketDetail {
        self.store.ticket_detail(ticket).unwrap()
    }
}

/// The ticket an outcome put the mail on.
pub fn ticket_of(outcome: &ImportOutcome) -> i64 {
    match outcome {
        ImportOutcome::Created { ticket, .. } | ImportOutcome::Threaded { ticket, .. } => *ticket,
        other => panic!("expected the mail on a ticket, got {other:?}"),
    }
}

/// Import one fixture into a fresh desk: the new ticket with its single message.
pub fn imported(name: &str) -> (Desk, TicketDetail) {
    let desk = Desk::new();
    let outcome = desk.import_fixture(name);
    let detail = desk.detail(ticket_of(&outcome));
    (desk, detail)
}

pub fn attachment_names(detail: &TicketDetail) -> Vec<String> {
    let message = detail.messages.last().unwrap().id;
    detail.mail.of(message).map(|m| m.attachments.iter().map(|a| a.name.clone()).collect()).unwrap_or_default()
}

/// A small mail built in the test.
pub fn mail(headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut raw = String::new();
    for (name, value) in headers {
        raw.push_str(&format!("{name}: {value}\r\n"));
    }
    raw.push_str("\r\n");
    raw.push_str(body);
    raw.into_bytes()
}

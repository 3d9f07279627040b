//! One logged-in session on a mailbox's folder: take every mail above the stored position.

use super::{secret, InboundError};
use crate::config::{AfterImport, Auth, Config, InboundConfig, Security};
use crate::domain::mail::ImportOutcome;
use crate::domain::TicketChange;
use crate::mail::imap::{Fetched, ImapError, Selected, Session, TlsTarget, Transport};
use crate::mail::Importer;
use crate::store::{MailboxPosition, Store, StoreError, MAIL_ACTOR};

/// Mails fetched per UID FETCH (and marked seen per UID STORE).
const BATCH: usize = 100;
/// Mails imported per transaction, and the bytes of mail that may wait for it: one commit per
/// mail wrote each touched index page to the WAL again for every mail (most of the time spent),
/// while a group of 50 holds the desk's write lock for some 50 ms, and 4 MB bounds the memory.
const GROUP_MAILS: usize = 50;
const GROUP_BYTES: usize = 4 * 1024 * 1024;

/// What one round took from a mailbox.
#[derive(Debug, Default)]
pub struct PollOutcome {
    pub mailbox: String,
    pub uidvalidity: u32,
    /// The server's UIDVALIDITY changed: the folder was read again from UID 1 (known mails are
    /// duplicates by Message-ID and change nothing).
    pub started_over: bool,
    /// Each mail imported, by UID, lowest first.
    pub imported: Vec<(u32, ImportOutcome)>,
}

/// Log in, take every new mail, apply `after`, log out.
pub fn poll_once(store: &Store, config: &Config, mailbox: &InboundConfig) -> Result<PollOutcome, InboundError> {
    let mut reader = Reader::open(store, config, mailbox)?;
    let outcome = reader.take_new()?;
    reader.session.logout();
    Ok(outcome)
}

pub(super) struct Reader<'a> {
    store: &'a Store,
    config: &'a Config,
    mailbox: &'a InboundConfig,
    pub(super) session: Session,
    selected: Selected,
}

impl<'a> Reader<'a> {
    pub(super) fn open(store: &'a Store, config: &'a Config, mailbox: &'a InboundConfig) -> Result<Self, InboundError> {
        if let Some(login) = &mailbox.assignee {
            let known = store.agent(login).map_err(|e| store_error(mailbox, e))?;
            if known.is_none() {
                return Err(InboundError::Assignee { mailbox: mailbox.name.clone(), login: login.clone() });
            }
        }
        let secret = secret(mailbox)?;
        let mut session = connect(mailbox)?;
        let login = match mailbox.auth {
            Auth::Password => session.login(&mailbox.username, &secret),
            Auth::Xoauth2 => session.authenticate_xoauth2(&mailbox.username, &secret),
        };
        match login {
            Err(ImapError::Refused(text)) => {
                return Err(InboundError::Login {
                    mailbox: mailbox.name.clone(),
                    server: server(mailbox),
                    user: mailbox.username.clone(),
                    text,
                })
            }
            other => other.map_err(|e| connection(mailbox, e))?,
        }
        let selected = match session.select(&mailbox.folder) {
            Err(ImapError::Refused(text)) => {
                return Err(InboundError::Folder {
                    mailbox: mailbox.name.clone(),
                    folder: mailbox.folder.clone(),
                    text,
                })
            }
            other => other.map_err(|e| connection(mailbox, e))?,
        };
        Ok(Reader { store, config, mailbox, session, selected })
    }

    /// Import every mail above the stored position, then apply `after` to them.
    pub(super) fn take_new(&mut self) -> Result<PollOutcome, InboundError> {
        let uidvalidity = self.selected.uidvalidity;
        let mut outcome = PollOutcome { mailbox: self.mailbox.name.clone(), uidvalidity, ..PollOutcome::default() };
        let last = match self.store.mailbox_position(&self.mailbox.name).map_err(|e| self.store_error(e))? {
            Some(p) if p.uidvalidity == uidvalidity => p.last_uid,
            None => 0,
            Some(_) => {
                outcome.started_over = true;
                let at = MailboxPosition { uidvalidity, last_uid: 0 };
                self.store.import_at(&self.mailbox.name, at, || Ok(())).map_err(|e| self.store_error(e))?;
                0
            }
        };
        self.finish_earlier(last)?;
        let uids = self.session.uids_after(last).map_err(|e| connection(self.mailbox, e))?;
        for batch in uids.chunks(BATCH) {
            let imported = self.import_batch(batch)?;
            let done: Vec<u32> = imported.iter().map(|(uid, _)| *uid).collect();
            outcome.imported.extend(imported);
            self.after_import(&done)?;
        }
        Ok(outcome)
    }

    /// Fetch `uids` and import them a group at a time, each group in one transaction with the
    /// position of its last mail: a kill keeps every group before it and none of the one at hand.
    fn import_batch(&mut self, uids: &[u32]) -> Result<Vec<(u32, ImportOutcome)>, InboundError> {
        let (store, config, mailbox, uidvalidity) = (self.store, self.config, self.mailbox, self.selected.uidvalidity);
        let importer = Importer { mailbox: Some(mailbox.name.clone()), ..Importer::new(store, config) };
        let group = Group { store, importer, mailbox, uidvalidity };
        let (mut waiting, mut waiting_bytes) = (Vec::new(), 0);
        let mut imported = Vec::new();
        let mut failure = None;
        let fetched = self.session.fetch(uids, |mail| {
            if failure.is_some() {
                return Ok(()); // the rest of the answer is read and dropped
            }
            waiting_bytes += mail.raw.len();
            waiting.push(mail);
            if waiting.len() >= GROUP_MAILS || waiting_bytes >= GROUP_BYTES {
                waiting_bytes = 0;
                match group.import(std::mem::take(&mut waiting)) {
                    Ok(done) => imported.extend(done),
                    Err(e) => failure = Some(e),
                }
            }
            Ok(())
        });
        // Mails that arrived whole are kept even when the connection broke after them.
        if failure.is_none() {
            match group.import(waiting) {
                Ok(done) => imported.extend(done),
                Err(e) => failure = Some(e),
            }
        }
        if let Some(e) = failure {
            return Err(store_error(mailbox, e));
        }
        fetched.map_err(|e| connection(mailbox, e))?;
        Ok(imported)
    }

    /// Mails imported before a kill but not yet marked, moved or deleted get it now.
    fn finish_earlier(&mut self, last: u32) -> Result<(), InboundError> {
        if last == 0 || self.selected.exists == 0 {
            return Ok(());
        }
        let criteria = match self.mailbox.after_import() {
            Some(AfterImport::Seen) | None => "UNSEEN",
            _ => "ALL",
        };
        let left = self.session.uids_in(1, last, criteria).map_err(|e| connection(self.mailbox, e))?;
        self.after_import(&left)
    }

    fn after_import(&mut self, uids: &[u32]) -> Result<(), InboundError> {
        if uids.is_empty() {
            return Ok(());
        }
        let done = match self.mailbox.after_import() {
            Some(AfterImport::Seen) | None => self.session.mark_seen(uids),
            Some(AfterImport::Move(folder)) => self.session.move_to(uids, &folder),
            Some(AfterImport::Delete) => self.session.delete(uids),
        };
        done.map_err(|e| connection(self.mailbox, e))
    }

    pub(super) fn connection_error(&self, e: ImapError) -> InboundError {
        connection(self.mailbox, e)
    }

    fn store_error(&self, e: StoreError) -> InboundError {
        store_error(self.mailbox, e)
    }
}

/// What a group of fetched mails is imported with.
struct Group<'a> {
    store: &'a Store,
    importer: Importer<'a>,
    mailbox: &'a InboundConfig,
    uidvalidity: u32,
}

impl Group<'_> {
    /// Import `mails` and move the position to the last of them, in one transaction.
    fn import(&self, mails: Vec<Fetched>) -> Result<Vec<(u32, ImportOutcome)>, StoreError> {
        let Some(last) = mails.last().map(|m| m.uid) else { return Ok(vec![]) };
        let at = MailboxPosition { uidvalidity: self.uidvalidity, last_uid: last };
        self.store.import_at(&self.mailbox.name, at, || {
            let mut done = Vec::with_capacity(mails.len());
            for mail in &mails {
                let source = format!("imap:{}/{}", self.mailbox.name, mail.uid);
                let outcome = self.importer.import(&mail.raw, &source)?;
                if let ImportOutcome::Created { ticket, .. } = outcome {
                    give_meaning(self.store, self.mailbox, ticket)?;
                }
                done.push((mail.uid, outcome));
            }
            Ok(done)
        })
    }
}

/// The mailbox's name, tag, priority (as the least) and assignee on a ticket it just created.
fn give_meaning(store: &Store, mailbox: &InboundConfig, ticket: i64) -> Result<(), StoreError> {
    store.note_mailbox(ticket, &mailbox.name)?;
    let current = store.ticket(ticket)?;
    let change = TicketChange {
        priority: mailbox.priority().filter(|p| *p > current.priority),
        assignee: mailbox.assignee.clone().map(Some),
        add_tags: mailbox.tag.iter().cloned().collect(),
        ..TicketChange::default()
    };
    if change.priority.is_some() || change.assignee.is_some() || !change.add_tags.is_empty() {
        store.change_ticket(ticket, &change, MAIL_ACTOR)?;
    }
    Ok(())
}

fn connect(mailbox: &InboundConfig) -> Result<Session, InboundError> {
    let host = mailbox.host.trim().trim_start_matches('[').trim_end_matches(']');
    let target = TlsTarget { host, ca_file: mailbox.ca_file.as_deref() };
    let transport = match mailbox.security {
        Security::None => Transport::Plain,
        Security::Tls => Transport::Tls(target),
        Security::Starttls => Transport::StartTls(target),
    };
    let address = if host.contains(':') { format!("[{host}]:{}", mailbox.port) } else { server(mailbox) };
    Session::connect(&address, transport).map_err(|e| connection(mailbox, e))
}

fn server(mailbox: &InboundConfig) -> String {
    format!("{}:{}", mailbox.host.trim(), mailbox.port)
}

fn connection(mailbox: &InboundConfig, source: ImapError) -> InboundError {
    InboundError::Connection { mailbox: mailbox.name.clone(), server: server(mailbox), source }
}

fn store_error(mailbox: &InboundConfig, source: StoreError) -> InboundError {
    InboundError::Store { mailbox: mailbox.name.clone(), source }
}

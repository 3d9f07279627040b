//! Importing one mail: duplicates, threading, customers, tickets and attachments, in one transaction.

use super::customers::find_or_create_customer;
use super::messages::apply_message_effect;
use super::tickets::{log_event, read_ticket};
use super::{now_millis, Result, Store, StoreError};
use crate::domain::lifecycle::{self, MailPlace};
use crate::domain::mail::{subject_tag, ImportOutcome, IncomingMail, ThreadRule};
use crate::domain::{MessageKind, Status, Ticket};
use rusqlite::{params, Connection, OptionalExtension};

/// Who the audit log says did what an import did.
pub const MAIL_ACTOR: &str = "mail";

impl Store {
    /// For a long import: a larger page cache (index pages stay in memory between mails) and fewer
    /// checkpoints (each one syncs the disk).
    pub fn prepare_for_import(&self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -32_768)?;
        self.wal.set_passive_frames(10_000);
        Ok(())
    }

    /// Store `mail`: a no-op when it was imported before, else threaded onto its ticket or a new one.
    pub fn import_mail(&self, mail: &IncomingMail) -> Result<ImportOutcome> {
        self.write(|conn| {
            if let Some(outcome) = already_here(conn, mail)? {
                return Ok(outcome);
            }
            let sender = customer_by_email(conn, &mail.from_email)?;
            let (found, ignored_tag) = find_thread(conn, mail, sender)?;
            let now = now_millis();
            let outcome = match found {
                Some((ticket, rule)) => match lifecycle::place_of_mail(ticket.status, mail.kind()) {
                    MailPlace::FollowUp => follow_up(conn, mail, &ticket, ignored_tag, now)?,
                    MailPlace::Matched => {
                        let message = append(conn, mail, &ticket, sender, rule, now)?;
                        ImportOutcome::Threaded { ticket: ticket.id, message, rule }
                    }
                },
                None => {
                    let (id, message) = new_ticket(conn, mail, ThreadRule::NewTicket, now)?;
                    ImportOutcome::Created {
                        ticket: id,
                        message,
                        rule: ThreadRule::NewTicket,
                        follows: None,
                        ignored_tag,
                    }
                }
            };
            Ok(outcome)
        })
    }
}

/// A new ticket for `mail`, linked to the closed ticket it was written about.
fn follow_up(
    conn: &Connection,
    mail: &IncomingMail,
    closed: &Ticket,
    ignored_tag: Option<i64>,
    now: i64,
) -> Result<ImportOutcome> {
    let (id, message) = new_ticket(conn, mail, ThreadRule::FollowUp, now)?;
    conn.execute("INSERT INTO ticket_follow_ups (ticket_id, follows) VALUES (?1, ?2)", params![id, closed.id])?;
    log_event(conn, id, MAIL_ACTOR, "follows", None, Some(&closed.id.to_string()), now)?;
    Ok(ImportOutcome::Created {
        ticket: id,
        message,
        rule: ThreadRule::FollowUp,
        follows: Some(closed.id),
        ignored_tag,
    })
}

/// The ticket a message with this Message-ID is on, and whether it is one of our replies.
fn message_by_email_id(conn: &Connection, id: &str) -> Result<Option<(i64, MessageKind)>> {
    let mut stmt = conn.prepare_cached("SELECT ticket_id, kind FROM messages WHERE email_message_id IN (?1, ?2)")?;
    let forms = super::privacy::stored_message_id_forms(id);
    let row: Option<(i64, String)> = stmt.query_row(forms, |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
    Ok(row.map(|(t, k)| (t, k.parse().unwrap_or(MessageKind::Customer))))
}

fn already_here(conn: &Connection, mail: &IncomingMail) -> Result<Option<ImportOutcome>> {
    if let Some(id) = &mail.message_id {
        return Ok(message_by_email_id(conn, id)?.map(|(ticket, kind)| match kind {
            MessageKind::Reply | MessageKind::Note => ImportOutcome::OwnMail { ticket: Some(ticket) },
            _ => ImportOutcome::Duplicate { ticket: Some(ticket) },
        }));
    }
    let mut stmt = conn.prepare_cached("SELECT ticket_id FROM messages WHERE content_hash = ?1 LIMIT 1")?;
    let ticket: Option<i64> = stmt.query_row([&mail.content_hash], |r| r.get(0)).optional()?;
    Ok(ticket.map(|t| ImportOutcome::Duplicate { ticket: Some(t) }))
}

fn customer_by_email(conn: &Connection, email: &str) -> Result<Option<i64>> {
    let mut stmt = conn.prepare_cached("SELECT customer_id FROM customer_emails WHERE email = ?1")?;
    Ok(stmt.query_row([email], |r| r.get(0)).optional()?)
}

type Found = Option<(Ticket, ThreadRule)>;

/// In order: In-Reply-To, then References (newest first), then a `[#N]` tag from that ticket's customer.
/// Also returns a tag that was present but not honoured.
fn find_thread(conn: &Connection, mail: &IncomingMail, sender: Option<i64>) -> Result<(Found, Option<i64>)> {
    let by_headers = mail
        .in_reply_to
        .iter()
        .map(|id| (id, ThreadRule::InReplyTo))
        .chain(mail.references.iter().rev().map(|id| (id, ThreadRule::References)));
    for (id, rule) in by_headers {
        if let Some((ticket, _)) = message_by_email_id(conn, id)? {
            if let Some(ticket) = read_ticket(conn, ticket)? {
                return Ok((Some((ticket, rule)), None));
            }
        }
    }
    let Some(tag) = subject_tag(&mail.subject) else { return Ok((None, None)) };
    match read_ticket(conn, tag)? {
        Some(ticket) if Some(ticket.customer_id) == sender => Ok((Some((ticket, ThreadRule::SubjectTag)), None)),
        _ => Ok((None, Some(tag))),
    }
}

fn new_ticket(conn: &Connection, mail: &IncomingMail, rule: ThreadRule, now: i64) -> Result<(i64, i64)> {
    if mail.from_email.is_empty() {
        return Err(StoreError::Invalid("no sender address, and it belongs to no ticket".into()));
    }
    let customer = find_or_create_customer(conn, &mail.from_email, mail.from_name.as_deref(), MAIL_ACTOR)?;
    // Kept as sent (a trailing space too): only an empty subject is replaced.
    let subject = if mail.subject.trim().is_empty() { "(no subject)" } else { mail.subject.as_str() };
    // The ticket starts when the mail was sent (an old mailbox keeps its history's order).
    let id = super::audit::next_ticket_id(conn)?;
    conn.prepare_cached(
        "INSERT INTO tickets (id, subject, customer_id, status, priority, channel, created_at, updated_at)
         VALUES (?1, ?2, ?3, 'new', 'normal', 'email', ?4, ?4)",
    )?
    .execute(params![id, subject, customer, mail.time(now)])?;
    log_event(conn, id, MAIL_ACTOR, "created", None, Some(subject), now)?;
    let message = insert_message(conn, id, mail, Some(customer), rule, now)?;
    super::waiting::after_message(conn, id, mail.kind(), mail.time(now), Status::New)?;
    Ok((id, message))
}

fn append(
    conn: &Connection,
    mail: &IncomingMail,
    ticket: &Ticket,
    sender: Option<i64>,
    rule: ThreadRule,
    now: i64,
) -> Result<i64> {
    let kind = mail.kind();
    // Someone new writing on a thread (a colleague in Cc) becomes a customer; machines do not.
    let author = match (sender, kind) {
        (Some(id), _) => Some(id),
        (None, MessageKind::Customer) => {
            Some(find_or_create_customer(conn, &mail.from_email, mail.from_name.as_deref(), MAIL_ACTOR)?)
        }
        _ => None,
    };
    let message = insert_message(conn, ticket.id, mail, author, rule, now)?;
    apply_message_effect(conn, ticket, kind, MAIL_ACTOR, now, mail.time(now))?;
    conn.prepare_cached("UPDATE tickets SET version = version + 1, updated_at = max(updated_at, ?1) WHERE id = ?2")?
        .execute(params![mail.time(now), ticket.id])?;
    Ok(message)
}

fn insert_message(
    conn: &Connection,
    ticket: i64,
    mail: &IncomingMail,
    author: Option<i64>,
    rule: ThreadRule,
    now: i64,
) -> Result<i64> {
    let kind = mail.kind();
    conn.prepare_cached(
        "INSERT INTO messages (ticket_id, kind, author_customer, body, created_at, email_message_id, in_reply_to,
                               email_references, thread_rule, content_hash, sender_email)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        ticket,
        kind.as_str(),
        author,
        mail.body,
        mail.time(now),
        mail.message_id,
        mail.in_reply_to.first(),
        (!mail.references.is_empty()).then(|| mail.references.join(" ")),
        rule.as_str(),
        mail.content_hash,
        mail.from_email,
    ])?;
    let message = conn.last_insert_rowid();
    if let Some(reply_to) = mail.reply_to.as_deref().filter(|r| !r.eq_ignore_ascii_case(&mail.from_email)) {
        conn.prepare_cached("INSERT INTO message_addresses (message_id, reply_to) VALUES (?1, ?2)")?
            .execute(params![message, reply_to])?;
    }
    log_event(conn, ticket, MAIL_ACTOR, kind.as_str(), None, Some(&message.to_string()), now)?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO attachments (message_id, name, content_type, size, inline, content_id, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for a in &mail.attachments {
        stmt.execute(params![message, a.name, a.content_type, a.data.len() as i64, a.inline, a.content_id, a.data])?;
    }
    super::raw_headers::insert(conn, message, &mail.raw_headers)?;
    Ok(message)
}

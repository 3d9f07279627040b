//! Replies as RFC 5322 mail, queued in the outbox with the reply and delivered by Maildir, sendmail or SMTP.

use crate::config::{Auth, MailConfig, OutboundConfig, Security, SmtpConfig, Via};
use crate::domain::mail::subject_tag;
use crate::domain::mail::MailAttachment;
use crate::domain::{Agent, Message, Ticket, TicketChange};
use crate::store::{OutgoingMail, ReplyContext, Store, StoreError};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
use lettre::{Address, SmtpTransport, Transport};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Why a reply could not be turned into mail (it is then not stored either).
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot mail the reply: {0}")]
    Compose(String),
}

/// One outbox entry and how its delivery went.
pub type Attempt = (crate::store::OutboxEntry, Result<(), String>);

/// A reply's mail stored in the outbox, not delivered yet.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedMail {
    /// The outbox entry.
    pub outbox: i64,
    pub ticket: i64,
    pub raw: Vec<u8>,
    pub recipient: String,
}

/// What goes with a reply beside its text: copies to others, files, and whether a machine wrote it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplyOptions {
    pub cc: Vec<String>,
    /// Sent, never in the mail's headers; kept on the reply for agents.
    pub bcc: Vec<String>,
    pub attachments: Vec<MailAttachment>,
    /// A rule's canned reply: marked `Auto-Submitted: auto-replied` (RFC 3834), so the customer's
    /// own auto-responder leaves it unanswered and no loop starts.
    pub auto_replied: bool,
}

/// Where replies go: the `[mail]` config and the data folder a relative Maildir is in.
pub struct Outbound<'a> {
    pub mail: &'a MailConfig,
    pub outbound: &'a OutboundConfig,
    pub data_dir: PathBuf,
}

impl<'a> Outbound<'a> {
    /// `None` when the config sends no mail: replies are then only stored.
    pub fn from_config(mail: Option<&'a MailConfig>, data_dir: &Path) -> Option<Outbound<'a>> {
        let mail = mail?;
        Some(Outbound { mail, outbound: mail.outbound.as_ref()?, data_dir: data_dir.to_path_buf() })
    }

    /// Store the reply and its mail (and `change` to the ticket) in one transaction, then try to
    /// deliver it. A failed delivery leaves it in the outbox with the error; the reply is stored
    /// either way. With `last_seen`, a newer customer message, reply or note stops it before
    /// anything is stored or sent. Returns the reply, the ticket as it now is and the delivery.
    pub fn send_reply(
        &self,
        store: &Store,
        agent: &Agent,
        ticket: i64,
        body: &str,
        last_seen: impl Into<crate::domain::SeenTicket>,
        change: Option<&TicketChange>,
    ) -> Result<(Message, Ticket, Result<(), String>), SendError> {
        self.send_reply_with(store, agent, (ticket, body), last_seen, change, &ReplyOptions::default())
    }

    /// [`Outbound::send_reply`] with Cc, Bcc and attachments.
    pub fn send_reply_with(
        &self,
        store: &Store,
        agent: &Agent,
        (ticket, body): (i64, &str),
        last_seen: impl Into<crate::domain::SeenTicket>,
        change: Option<&TicketChange>,
        options: &ReplyOptions,
    ) -> Result<(Message, Ticket, Result<(), String>), SendError> {
        let (message, changed, queued) =
            self.queue_reply_with(store, agent, (ticket, body), last_seen, change, options)?;
        let delivered = self.deliver_queued(store, &queued)?;
        Ok((message, changed, delivered))
    }

    /// Store the reply with its mail in the outbox and apply `change` to the ticket, in one
    /// transaction (the reply guard is checked there; if any part fails nothing is stored), without
    /// delivering it yet: the console delivers on a worker thread.
    pub fn queue_reply(
        &self,
        store: &Store,
        agent: &Agent,
        ticket: i64,
        body: &str,
        last_seen: impl Into<crate::domain::SeenTicket>,
        change: Option<&TicketChange>,
    ) -> Result<(Message, Ticket, QueuedMail), SendError> {
        self.queue_reply_with(store, agent, (ticket, body), last_seen, change, &ReplyOptions::default())
    }

    /// [`Outbound::queue_reply`] with Cc, Bcc and attachments, stored with the reply.
    pub fn queue_reply_with(
        &self,
        store: &Store,
        agent: &Agent,
        (ticket, body): (i64, &str),
        last_seen: impl Into<crate::domain::SeenTicket>,
        change: Option<&TicketChange>,
        options: &ReplyOptions,
    ) -> Result<(Message, Ticket, QueuedMail), SendError> {
        let context = store.reply_context(ticket)?;
        let mail = self.compose(&context, agent, body, options)?;
        let (message, changed, outbox) =
            store.add_reply_with_mail(ticket, &agent.login, body, last_seen, &mail, change)?;
        Ok((message, changed, QueuedMail { outbox, ticket, raw: mail.raw, recipient: mail.recipient }))
    }

    /// Deliver a queued mail and record how it went; `Ok(Err(why))` when delivery failed (the mail
    /// waits in the outbox for a flush).
    pub fn deliver_queued(&self, store: &Store, queued: &QueuedMail) -> Result<Result<(), String>, StoreError> {
        let delivered = self.deliver(&queued.raw, &queued.recipient);
        store.record_delivery(queued.outbox, delivered.as_ref().map(|_| ()).map_err(String::as_str))?;
        Ok(delivered)
    }

    /// Retry every undelivered reply; returns (sent, still failing) with their errors.
    pub fn flush(&self, store: &Store) -> Result<Vec<Attempt>, StoreError> {
        let mut results = Vec::new();
        for entry in store.outbox(false)? {
            let (_, raw) = store.outbox_mail(entry.id)?;
            let delivered = self.deliver(&raw, &entry.recipient);
            store.record_delivery(entry.id, delivered.as_ref().map(|_| ()).map_err(String::as_str))?;
            results.push((entry, delivered));
        }
        Ok(results)
    }

    pub(crate) fn compose(
        &self,
        context: &ReplyContext,
        agent: &Agent,
        body: &str,
        options: &ReplyOptions,
    ) -> Result<OutgoingMail, SendError> {
        let bad = |what: &str, e: &dyn std::fmt::Display| SendError::Compose(format!("{what}: {e}"));
        let ticket = &context.ticket;
        let ours: Address = self.mail.address.parse().map_err(|e| bad("the support address is not valid", &e))?;
        // The customer's Reply-To, when their last mail had one, else their address.
        let to = context.reply_to.as_deref().unwrap_or(&ticket.customer_email);
        let theirs: Address =
            to.parse().map_err(|e| bad(&format!("the customer's address '{to}' is not valid"), &e))?;
        let from_name = match self.mail.name.trim() {
            "" => agent.name.clone(),
            desk => format!("{} via {desk}", agent.name),
        };
        let message_id = new_message_id(ticket.id, ours.domain());
        let mut builder = lettre::Message::builder()
            .from(Mailbox::new(Some(from_name), ours))
            .to(Mailbox::new(Some(ticket.customer_name.clone()), theirs))
            .subject(reply_subject(&ticket.subject, ticket.id))
            .message_id(Some(format!("<{message_id}>")));
        for cc in &options.cc {
            builder = builder
                .cc(Mailbox::new(None, cc.parse().map_err(|e| bad(&format!("the Cc '{cc}' is not valid"), &e))?));
        }
        for bcc in &options.bcc {
            let address = bcc.parse().map_err(|e| bad(&format!("the Bcc '{bcc}' is not valid"), &e))?;
            builder = builder.bcc(Mailbox::new(None, address));
        }
        if let Some(parent) = &context.in_reply_to {
            builder = builder.in_reply_to(format!("<{parent}>"));
        }
        if !context.references.is_empty() {
            let refs: Vec<String> = context.references.iter().map(|r| format!("<{r}>")).collect();
            builder = builder.references(refs.join(" "));
        }
        if options.auto_replied {
            builder = builder.raw_header(auto_submitted("auto-replied"));
        }
        let text = match agent.signature.trim() {
            "" => body.to_string(),
            signature => format!("{}\n\n-- \n{signature}\n", body.trim_end()),
        };
        let email = with_attachments(builder, text, &options.attachments).map_err(|e| bad("cannot build it", &e))?;
        let recipients: Vec<String> = email.envelope().to().iter().map(ToString::to_string).collect();
        Ok(OutgoingMail {
            message_id,
            in_reply_to: context.in_reply_to.clone(),
            references: context.references.clone(),
            recipient: recipients.join(", "),
            raw: email.formatted(),
            cc: options.cc.clone(),
            bcc: options.bcc.clone(),
            attachments: options.attachments.clone(),
        })
    }

    /// Hand `raw` to the configured transport; the error is one sentence.
    pub fn deliver(&self, raw: &[u8], recipient: &str) -> Result<(), String> {
        match self.outbound.via {
            Via::Maildir => to_maildir(&self.outbound.maildir_path(&self.data_dir), raw),
            Via::Sendmail => to_sendmail(&self.outbound.sendmail, recipient, raw),
            Via::Smtp => match &self.outbound.smtp {
                Some(smtp) => to_smtp(smtp, &self.mail.address, recipient, raw),
                None => Err("there is no [mail.outbound.smtp] in the config".into()),
            },
        }
    }
}

/// The `Auto-Submitted` header (RFC 3834) with `value`.
pub(crate) fn auto_submitted(value: &str) -> lettre::message::header::HeaderValue {
    let name = lettre::message::header::HeaderName::new_from_ascii_str("Auto-Submitted");
    lettre::message::header::HeaderValue::new(name, value.to_string())
}

/// A plain text mail, or a mixed multipart of the text and each file.
fn with_attachments(
    builder: lettre::message::MessageBuilder,
    text: String,
    files: &[MailAttachment],
) -> Result<lettre::Message, String> {
    use lettre::message::{Attachment, MultiPart, SinglePart};
    if files.is_empty() {
        return builder.header(ContentType::TEXT_PLAIN).body(text).map_err(|e| e.to_string());
    }
    let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(text));
    for file in files {
        let kind = ContentType::parse(&file.content_type)
            .or_else(|_| ContentType::parse(super::files::content_type_of("")))
            .map_err(|e| format!("the type of {}: {e}", file.name))?;
        parts = parts.singlepart(Attachment::new(file.name.clone()).body(file.data.clone(), kind));
    }
    builder.multipart(parts).map_err(|e| e.to_string())
}

/// `Re: <subject> [#N]`, without piling up `Re:` prefixes or tags.
pub fn reply_subject(subject: &str, ticket: i64) -> String {
    let mut s = subject.trim();
    while s.len() >= 3 && s[..3].eq_ignore_ascii_case("re:") {
        s = s[3..].trim_start();
    }
    let tag = format!("[#{ticket}]");
    let base = if subject_tag(s) == Some(ticket) { s.replace(&tag, "").trim().to_string() } else { s.to_string() };
    format!("Re: {base} {tag}")
}

fn new_message_id(ticket: i64, domain: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("frontdesk.{ticket}.{}.{}.{n}@{domain}", now.as_nanos(), std::process::id())
}

fn to_maildir(dir: &Path, raw: &[u8]) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("cannot write to the Maildir {}: {e}", dir.display());
    for sub in ["tmp", "new", "cur"] {
        std::fs::create_dir_all(dir.join(sub)).map_err(fail)?;
    }
    let name = new_message_id(0, "frontdesk").replace('@', ".");
    let tmp = dir.join("tmp").join(&name);
    std::fs::write(&tmp, raw).map_err(fail)?;
    std::fs::rename(&tmp, dir.join("new").join(&name)).map_err(fail)
}

/// Pipe `raw` to the command with the envelope's recipients as its arguments (`sendmail -i --
/// a@x b@y`): the Bcc reaches its recipients without being in the headers. A `-t` in the command
/// is left out, as it would take the recipients from the headers instead.
fn to_sendmail(command: &str, recipient: &str, raw: &[u8]) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| format!("sendmail command '{command}' failed: {e}");
    let recipients: Vec<&str> = recipient.split(", ").filter(|r| !r.trim().is_empty()).collect();
    if recipients.is_empty() {
        return Err(fail(&"the mail has no recipient"));
    }
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("{} \"$@\"", without_t(command)))
        .arg("sendmail") // $0; the recipients follow "--" as $1, $2, …
        .arg("--")
        .args(&recipients)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(&e))?;
    // A command that exits early closes its stdin: its exit status says more than the broken pipe.
    let written = child.stdin.take().map(|mut stdin| stdin.write_all(raw)).unwrap_or(Ok(()));
    let output = child.wait_with_output().map_err(|e| fail(&e))?;
    if output.status.success() {
        return written.map_err(|e| fail(&e));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    Err(fail(&format!("{} {}", output.status, stderr.lines().next().unwrap_or("")).trim()))
}

/// The command without its `-t` (recipients from the headers, where a Bcc is not), as a word of
/// its own or in `-ti` / `-it`.
fn without_t(command: &str) -> String {
    let words = command.split(' ').filter(|word| *word != "-t");
    words.map(|word| if word == "-ti" || word == "-it" { "-i" } else { word }).collect::<Vec<_>>().join(" ")
}

fn to_smtp(smtp: &SmtpConfig, from: &str, recipient: &str, raw: &[u8]) -> Result<(), String> {
    let at = format!("{}:{}", smtp.host, smtp.port);
    let fail = |e: &dyn std::fmt::Display| format!("SMTP delivery to {at} failed: {}", explain(&e.to_string()));
    let builder = SmtpTransport::builder_dangerous(&smtp.host);
    let builder = match smtp.security {
        Security::None => builder,
        Security::Starttls => builder.tls(Tls::Required(tls_parameters(smtp)?)),
        Security::Tls => builder.tls(Tls::Wrapper(tls_parameters(smtp)?)),
    };
    let mut builder = builder.port(smtp.port).timeout(Some(Duration::from_secs(30)));
    if let Some(user) = &smtp.username {
        let (mechanisms, secret) = match smtp.auth {
            Auth::Password => (vec![Mechanism::Plain, Mechanism::Login], password(smtp)?),
            Auth::Xoauth2 => (vec![Mechanism::Xoauth2], token(smtp)?),
        };
        builder = builder.authentication(mechanisms).credentials(Credentials::new(user.clone(), secret));
    }
    let to = recipient.split(", ").map(str::parse).collect::<Result<Vec<Address>, _>>().map_err(|e| fail(&e))?;
    let envelope =
        lettre::address::Envelope::new(Some(from.parse().map_err(|e| fail(&e))?), to).map_err(|e| fail(&e))?;
    builder.build().send_raw(&envelope, raw).map(|_| ()).map_err(|e| fail(&refused_token(smtp, e.to_string())))
}

/// A relay that refuses an XOAUTH2 token with a challenge first (Gmail) leaves lettre saying only
/// that it expected none: say what it means.
fn refused_token(smtp: &SmtpConfig, error: String) -> String {
    if smtp.auth == Auth::Xoauth2 && error.contains("does not expect a challenge") {
        return "the relay refused the access token (XOAUTH2): token_command must print a fresh, valid one".into();
    }
    error
}

/// A certificate error says what to do about it; other errors are kept as they are.
fn explain(error: &str) -> String {
    if error.contains("certificate") || error.contains("UnknownIssuer") {
        return format!(
            "{error} (the relay's certificate is not signed by a CA this machine trusts; \
             name its CA in [mail.outbound.smtp] ca_file)"
        );
    }
    error.to_string()
}

/// The built-in (webpki) roots, the system's certificate store, and `ca_file`'s certificates.
fn tls_parameters(smtp: &SmtpConfig) -> Result<TlsParameters, String> {
    let fail = |e: &dyn std::fmt::Display| format!("cannot set up TLS for {}: {e}", smtp.host);
    let mut builder = TlsParameters::builder(smtp.host.clone()).certificate_store(CertificateStore::WebpkiRoots);
    let company = match &smtp.ca_file {
        Some(path) => super::tls::ca_file(path, "mail.outbound.smtp.ca_file")?,
        None => vec![],
    };
    for der in super::tls::system_roots().iter().chain(&company) {
        builder = builder.add_root_certificate(Certificate::from_der(der.to_vec()).map_err(|e| fail(&e))?);
    }
    builder.build_rustls().map_err(|e| fail(&e))
}

/// The password `password_command` prints; none without one.
fn password(smtp: &SmtpConfig) -> Result<String, String> {
    match &smtp.password_command {
        Some(command) => first_line_of("password", command),
        None => Ok(String::new()),
    }
}

/// The access token `token_command` prints, fresh for each delivery (tokens live about an hour).
fn token(smtp: &SmtpConfig) -> Result<String, String> {
    let command = smtp.token_command.as_deref().unwrap_or("");
    let token = first_line_of("token", command)?;
    if token.trim().is_empty() {
        return Err(format!("the SMTP token command '{command}' printed no token"));
    }
    Ok(token.trim().to_string())
}

/// The first line `command` prints; `what` names it in the error.
fn first_line_of(what: &str, command: &str) -> Result<String, String> {
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("the SMTP {what} command '{command}' could not run: {e}"))?;
    if !output.status.success() {
        return Err(format!("the SMTP {what} command '{command}' failed ({})", output.status));
    }
    Ok(String::from_utf8_lossy(&output.stdout).lines().next().unwrap_or("").to_string())
}

#[cfg(test)]
mod tests {
    use super::{reply_subject, without_t};

    #[test]
    fn sendmail_takes_the_recipients_from_us_not_the_headers() {
        assert_eq!(without_t("/usr/sbin/sendmail -t -i"), "/usr/sbin/sendmail -i");
        assert_eq!(without_t("/usr/sbin/sendmail -i"), "/usr/sbin/sendmail -i");
        assert_eq!(without_t("msmtp -t --account=desk"), "msmtp --account=desk");
        assert_eq!(without_t("/opt/-t/sendmail -ti"), "/opt/-t/sendmail -i", "only the flag");
        assert_eq!(without_t("sendmail -it -bm"), "sendmail -i -bm");
    }

    #[test]
    fn reply_subjects_do_not_pile_up() {
        assert_eq!(reply_subject("Refund", 7), "Re: Refund [#7]");
        assert_eq!(reply_subject("Re: RE: Refund [#7]", 7), "Re: Refund [#7]");
        assert_eq!(reply_subject("About [#3]", 7), "Re: About [#3] [#7]");
    }
}

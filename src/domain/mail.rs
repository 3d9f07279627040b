//! Email as the desk sees it: a decoded incoming mail, how it was threaded, what importing it did.

use super::MessageKind;
use std::fmt;

/// A mail decoded and ready to be stored; header and body text are raw (sanitized only for display).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IncomingMail {
    /// Without angle brackets.
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    /// Lower-cased.
    pub from_email: String,
    pub from_name: Option<String>,
    pub subject: String,
    pub body: String,
    pub attachments: Vec<MailAttachment>,
    pub automatic: Option<Automatic>,
    /// SHA-256 of the raw mail, hex: the identity of a mail without a Message-ID.
    pub content_hash: String,
    /// When the sender says it was sent (its Date header), unix milliseconds.
    pub sent_at: Option<i64>,
    /// Headers written in raw 8-bit bytes with no charset: their bytes, beside the guessed text.
    pub raw_headers: Vec<RawHeader>,
    /// Where the sender wants answers to go (its Reply-To), when that differs from From.
    pub reply_to: Option<String>,
}

/// A header (or an attachment's name) whose raw bytes declared no charset: the bytes as sent and
/// the charset they were read in, so a wrong guess can be seen and read again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawHeader {
    /// `Subject`, `From`, or `attachment N name`.
    pub field: String,
    /// The encoding's name (`GBK`, `Shift_JIS`, `KOI8-R`).
    pub charset: String,
    pub raw: Vec<u8>,
}

impl IncomingMail {
    /// When this mail happened for the desk: its Date when that is believable (not in the future,
    /// not before 1990), else `now`, the moment it was imported.
    pub fn time(&self, now: i64) -> i64 {
        const YEAR_1990: i64 = 631_152_000_000;
        const SLACK: i64 = 10 * 60 * 1000;
        self.sent_at.filter(|t| (YEAR_1990..=now + SLACK).contains(t)).map_or(now, |t| t.min(now))
    }

    /// What the mail becomes in the conversation: a customer message, or a system line when a
    /// machine wrote it (so it never reopens a ticket).
    pub fn kind(&self) -> MessageKind {
        match self.automatic {
            Some(_) => MessageKind::System,
            None => MessageKind::Customer,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MailAttachment {
    pub name: String,
    pub content_type: String,
    pub inline: bool,
    pub content_id: Option<String>,
    pub data: Vec<u8>,
}

/// Mail written by a machine: stored as a system message that never reopens or answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Automatic {
    AutoReply,
    Bounce,
}

impl Automatic {
    pub fn as_str(self) -> &'static str {
        match self {
            Automatic::AutoReply => "auto-reply",
            Automatic::Bounce => "bounce",
        }
    }
}

/// Which rule put a mail on its ticket, stored with the message and shown beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadRule {
    InReplyTo,
    References,
    SubjectTag,
    NewTicket,
    /// A reply to a closed ticket: a new ticket that follows the closed one.
    FollowUp,
}

impl ThreadRule {
    pub const ALL: &'static [ThreadRule] = &[
        ThreadRule::InReplyTo,
        ThreadRule::References,
        ThreadRule::SubjectTag,
        ThreadRule::NewTicket,
        ThreadRule::FollowUp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ThreadRule::InReplyTo => "in_reply_to",
            ThreadRule::References => "references",
            ThreadRule::SubjectTag => "subject_tag",
            ThreadRule::NewTicket => "new_ticket",
            ThreadRule::FollowUp => "follow_up",
        }
    }

    pub fn from_name(name: &str) -> Option<ThreadRule> {
        ThreadRule::ALL.iter().copied().find(|r| r.as_str() == name)
    }

    /// How people read it: "threaded by References", "by subject tag", "new ticket".
    pub fn describe(self) -> &'static str {
        match self {
            ThreadRule::InReplyTo => "threaded by In-Reply-To",
            ThreadRule::References => "threaded by References",
            ThreadRule::SubjectTag => "threaded by subject tag",
            ThreadRule::NewTicket => "new ticket",
            ThreadRule::FollowUp => "new ticket following a closed one",
        }
    }
}

impl fmt::Display for ThreadRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// What importing one mail did.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportOutcome {
    /// A new ticket. `ignored_tag` is a `[#N]` tag that was not honoured (the sender is not that
    /// ticket's customer); `follows` the closed ticket this one follows.
    Created { ticket: i64, message: i64, rule: ThreadRule, follows: Option<i64>, ignored_tag: Option<i64> },
    /// Added to an existing ticket.
    Threaded { ticket: i64, message: i64, rule: ThreadRule },
    /// Already imported: nothing changed.
    Duplicate { ticket: Option<i64> },
    /// Our own outgoing mail coming back (by Message-ID, or From our own address): nothing changed.
    OwnMail { ticket: Option<i64> },
    /// Kept aside whole, with the reason.
    Quarantined { id: i64, reason: String, again: bool },
    /// An answer to a satisfaction survey: recorded as the ticket's CSAT, the ticket left solved.
    Rated { ticket: i64, score: u8 },
}

/// The ticket tag `[#N]` in a subject (the last one when there are several).
pub fn subject_tag(subject: &str) -> Option<i64> {
    let mut found = None;
    let mut rest = subject;
    while let Some(start) = rest.find("[#") {
        let after = &rest[start + 2..];
        let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() && after[digits.len()..].starts_with(']') {
            found = digits.parse().ok().or(found);
        }
        rest = after;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_tags_are_found() {
        assert_eq!(subject_tag("Re: Refund [#42]"), Some(42));
        assert_eq!(subject_tag("[#1] and [#7] again"), Some(7));
        assert_eq!(subject_tag("[#] [#x1] #5 [5]"), None);
        assert_eq!(subject_tag("[#99999999999999999999999]"), None);
    }

    #[test]
    fn mail_from_a_machine_is_a_system_line() {
        let mut mail = IncomingMail::default();
        assert_eq!(mail.kind(), MessageKind::Customer);
        mail.automatic = Some(Automatic::Bounce);
        assert_eq!(mail.kind(), MessageKind::System);
        mail.automatic = Some(Automatic::AutoReply);
        assert_eq!(mail.kind(), MessageKind::System);
    }
}

//! Plain types and rules of the support desk. No I/O, no terminal.

pub mod arrivals;
pub mod audit;
pub mod conflict;
mod conversation;
pub mod delivery;
pub mod fuzzy;
pub mod lifecycle;
mod listing;
pub mod mail;
mod presence;
pub mod recipients;
pub mod records;
pub mod report;
pub mod rules;
pub mod satisfaction;
pub mod search;
pub mod sla;
pub mod template;
pub mod text;
pub mod undo;
pub mod when;

pub use conversation::{AttachmentInfo, Delivery, MessageMail, TicketDetail, TicketMail};
pub use delivery::DeliveryRetry;
pub use listing::{AssigneeFilter, CustomerSummary, PageCursor, Sort, TicketFilter};
pub use presence::{Draft, Presence, PresenceState};
pub use records::{CustomerChange, NewCustomer, NewOrganization, OrganizationChange};

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

pub type Timestamp = DateTime<Utc>;

/// A named enum with a fixed set of lowercase names, parsed and printed by that name.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let lower = s.trim().to_ascii_lowercase().replace('-', "_");
                $name::ALL.iter().copied().find(|v| v.as_str() == lower).ok_or_else(|| UnknownName {
                    kind: stringify!($name),
                    given: s.to_string(),
                    expected: $name::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", "),
                })
            }
        }
    };
}

/// A name that is not one of an enum's names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {} '{given}' (expected one of: {expected})", kind.to_lowercase())]
pub struct UnknownName {
    pub kind: &'static str,
    pub given: String,
    pub expected: String,
}

named_enum!(
    /// Where a ticket is in its life.
    Status { New => "new", Open => "open", Pending => "pending", OnHold => "on_hold", Solved => "solved", Closed => "closed" }
);
named_enum!(Priority { Low => "low", Normal => "normal", High => "high", Urgent => "urgent" });
named_enum!(Channel { Email => "email", Phone => "phone", Chat => "chat", Web => "web", Social => "social" });
named_enum!(Tier { Standard => "standard", Silver => "silver", Gold => "gold", Vip => "vip" });
named_enum!(Role { Agent => "agent", Admin => "admin" });
named_enum!(
    /// What a message in a conversation is: from the customer, a public reply, an internal note or a system line.
    MessageKind { Customer => "customer", Reply => "reply", Note => "note", System => "system" }
);

impl Status {
    /// Tickets still waiting for the desk to finish them.
    pub fn is_active(self) -> bool {
        !matches!(self, Status::Solved | Status::Closed)
    }
}

impl Priority {
    /// A short glyph for the queue, readable without colour.
    pub fn glyph(self) -> &'static str {
        match self {
            Priority::Urgent => "!!",
            Priority::High => "! ",
            Priority::Normal => "· ",
            Priority::Low => "  ",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub domains: Vec<String>,
    /// The tier a new customer joining it gets.
    pub tier: Tier,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    /// The first address is the primary one.
    pub emails: Vec<String>,
    pub phone: Option<String>,
    pub organization: Option<String>,
    pub tier: Tier,
    pub notes: String,
    pub tags: Vec<String>,
    pub created_at: Timestamp,
}

impl Customer {
    pub fn primary_email(&self) -> &str {
        self.emails.first().map(String::as_str).unwrap_or("")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agent {
    pub login: String,
    pub name: String,
    pub email: Option<String>,
    pub role: Role,
    pub signature: String,
    pub active: bool,
}

impl Agent {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// A ticket as the queue and the conversation header see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ticket {
    pub id: i64,
    pub subject: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub customer_email: String,
    pub assignee: Option<String>,
    pub status: Status,
    pub priority: Priority,
    pub channel: Channel,
    pub tags: Vec<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    pub solved_at: Option<Timestamp>,
    pub version: i64,
    /// When the customer started waiting on us: their oldest public message since our last public
    /// reply, while the ticket needs an answer. `None` when nobody waits on us.
    pub waiting_since: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub id: i64,
    pub ticket_id: i64,
    pub kind: MessageKind,
    /// Display name of who wrote it: the customer's name or the agent's login.
    pub author: String,
    pub body: String,
    pub created_at: Timestamp,
}

/// One row of the append-only audit log: who changed what on a ticket, and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub id: i64,
    pub ticket_id: i64,
    pub actor: String,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub created_at: Timestamp,
}

/// A change asked of a ticket; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketChange {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    /// `Some(None)` unassigns.
    pub assignee: Option<Option<String>>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
}

/// A change asked of an agent's record; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgentChange {
    pub name: Option<String>,
    /// `Some(None)` removes the address.
    pub email: Option<Option<String>>,
    /// Put under each reply they write (and in canned replies' `{{agent.signature}}`).
    pub signature: Option<String>,
    pub role: Option<Role>,
}

impl AgentChange {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.email.is_none() && self.signature.is_none() && self.role.is_none()
    }
}

/// What the writer of a message had seen of the ticket: a message newer than `last_message`
/// stops it (the reply guard), and when the message also changes the ticket, so does a version
/// other than `version` (the change was chosen against what was on screen).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeenTicket {
    pub last_message: Option<i64>,
    pub version: Option<i64>,
}

impl From<Option<i64>> for SeenTicket {
    /// Only the newest message seen (a script's `--expect-last`).
    fn from(last_message: Option<i64>) -> SeenTicket {
        SeenTicket { last_message, version: None }
    }
}

impl TicketChange {
    pub fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.priority.is_none()
            && self.assignee.is_none()
            && self.add_tags.is_empty()
            && self.remove_tags.is_empty()
    }
}

/// A new ticket with its first customer message.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTicket {
    pub customer_email: String,
    pub customer_name: Option<String>,
    pub subject: String,
    pub body: String,
    pub priority: Priority,
    pub channel: Channel,
    pub tags: Vec<String>,
}

/// Normalise a tag: trimmed, lowercase, inner spaces as dashes.
pub fn normalize_tag(tag: &str) -> Option<String> {
    let t: String = tag.trim().to_lowercase().split_whitespace().collect::<Vec<_>>().join("-");
    // A tag is a word to filter by: control characters and invisible direction marks are no part of one.
    let invisible = |c: char| {
        c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    };
    (!t.is_empty() && !t.chars().any(invisible)).then_some(t)
}

/// The tag as stored, or the sentence that says why it is not one.
pub fn tag_or_why(tag: &str) -> Result<String, String> {
    normalize_tag(tag).ok_or_else(|| {
        let shown = text::for_display_line(tag);
        format!("'{shown}' is not a tag: a tag is a word or words, without control characters or direction marks")
    })
}

/// A plausible email address: one `@`, something on each side, no spaces.
pub fn is_plausible_email(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
                && !domain.contains('@')
        }
        None => false,
    }
}

/// An address as RFC 5322 allows it in mail: a dot-atom or quoted local part, and a host that
/// needs no dot (`root@localhost`). Looser than [`is_plausible_email`], which guards typed input.
pub fn is_mail_address(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else { return false };
    let quoted = local.len() >= 2 && local.starts_with('"') && local.ends_with('"');
    let bad = |c: char| c.is_whitespace() || c.is_control();
    let local_ok =
        if quoted { !local.chars().any(char::is_control) } else { !local.is_empty() && !local.chars().any(bad) };
    local_ok && !domain.is_empty() && !domain.starts_with('.') && !domain.ends_with('.') && !domain.chars().any(bad)
}

/// Short age like `45s`, `12m`, `3h`, `2d`, `5w`.
pub fn short_age(from: Timestamp, now: Timestamp) -> String {
    let secs = (now - from).num_seconds().max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3_600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3_600),
        s if s < 86_400 * 14 => format!("{}d", s / 86_400),
        s if s < 86_400 * 7 * 100 => format!("{}w", s / (86_400 * 7)),
        // Three characters at most, for the queue's age column.
        s => format!("{}y", s / (86_400 * 365)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_by_name_and_reject_others() {
        assert_eq!("on_hold".parse::<Status>().unwrap(), Status::OnHold);
        assert_eq!("On-Hold".parse::<Status>().unwrap(), Status::OnHold);
        let err = "done".parse::<Status>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown status 'done' (expected one of: new, open, pending, on_hold, solved, closed)"
        );
    }

    #[test]
    fn tags_are_normalized() {
        assert_eq!(normalize_tag("  Refund Request "), Some("refund-request".into()));
        assert_eq!(normalize_tag("   "), None);
        assert_eq!(normalize_tag("vip\u{1b}]0;owned\u{7}"), None, "control characters");
        assert_eq!(normalize_tag("\u{202e}pudnef"), None, "a direction override");
        assert!(tag_or_why("a\u{0}b").unwrap_err().starts_with("'a"), "named, made safe");
    }

    #[test]
    fn emails_are_checked_loosely() {
        assert!(is_plausible_email("carla@shop.example"));
        assert!(!is_plausible_email("carla"));
        assert!(!is_plausible_email("a b@c.de"));
        assert!(!is_plausible_email("a@nodot"));
        assert!(is_mail_address("root@localhost") && is_mail_address("\"john smith\"@example.com"));
        assert!(!is_mail_address("a b@c.de") && !is_mail_address("a@b.") && !is_mail_address("mailer-daemon"));
    }

    #[test]
    fn ages_are_short() {
        let now = Utc::now();
        assert_eq!(short_age(now - chrono::Duration::minutes(12), now), "12m");
        assert_eq!(short_age(now - chrono::Duration::hours(3), now), "3h");
        assert_eq!(short_age(now - chrono::Duration::days(2), now), "2d");
        assert_eq!(short_age(now - chrono::Duration::days(30), now), "4w");
        assert_eq!(short_age(now - chrono::Duration::days(760), now), "2y", "three characters for the age column");
    }
}

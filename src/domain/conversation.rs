//! A ticket with everything its conversation shows, and the mail side of its messages.

use super::{Customer, Event, Message, Ticket};
use std::collections::BTreeMap;

/// A ticket with everything its conversation shows.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketDetail {
    pub ticket: Ticket,
    pub messages: Vec<Message>,
    pub events: Vec<Event>,
    pub customer: Customer,
    /// Threading rules, attachments and delivery of the messages that came or went as mail.
    pub mail: TicketMail,
}

/// An attachment as lists show it (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    pub id: i64,
    pub message_id: i64,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    pub inline: bool,
}

/// The mail side of one message: the rule that threaded it, its attachments, its delivery.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageMail {
    pub thread_rule: Option<String>,
    pub attachments: Vec<AttachmentInfo>,
    /// For a reply sent as mail: `Ok(sent)` or the error that keeps it in the outbox.
    pub delivery: Option<Delivery>,
    /// For a reply whose mail failed: its attempts, when the next one is due, the last error.
    pub retry: Option<super::DeliveryRetry>,
    /// A reply's Cc, as sent and shown to the customer.
    pub cc: Vec<String>,
    /// A reply's Bcc: sent, never in the mail's headers, kept for agents.
    pub bcc: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    Waiting,
    Failed(String),
}

/// The mail side of a ticket, by message id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketMail {
    pub messages: BTreeMap<i64, MessageMail>,
    /// The closed ticket this one follows.
    pub follows: Option<i64>,
}

impl TicketMail {
    pub fn of(&self, message: i64) -> Option<&MessageMail> {
        self.messages.get(&message)
    }
}

//! What a list of tickets or customers shows, in what order, and where its next page starts.

use super::{Priority, Status, Ticket, Tier, Timestamp};
use serde::Serialize;

/// Which tickets a list shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketFilter {
    /// Empty means any status.
    pub statuses: Vec<Status>,
    /// Only tickets not yet solved or closed (uses the partial index).
    pub active_only: bool,
    pub assignee: AssigneeFilter,
    /// Tickets carrying every one of these tags.
    pub tags: Vec<String>,
    /// Empty means any priority.
    pub priorities: Vec<Priority>,
    pub sort: Sort,
    /// Only tickets that need a reply from us ([`super::lifecycle::needs_reply`]): the customer
    /// waits, the ticket is new or open and not snoozed.
    pub needs_reply: bool,
}

/// The order of a list of tickets, newest or most urgent first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Back from a snooze first, then breached SLA clocks, then nearly due ones (soonest due
    /// first), then the rest, most recently updated first. Within each of these the tickets that
    /// need a reply come first, the longest wait first. Without SLA policies: woken snoozes, then
    /// the customers waiting on us, then the rest.
    #[default]
    Due,
    /// Most recently updated first.
    Updated,
    /// Most recently created first.
    Created,
    /// Most urgent first, then most recently updated.
    Priority,
}

impl std::str::FromStr for Sort {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Sort, String> {
        match s {
            "due" => Ok(Sort::Due),
            "updated" => Ok(Sort::Updated),
            "created" => Ok(Sort::Created),
            "priority" => Ok(Sort::Priority),
            other => Err(format!("'{other}' is not a sort; use due, updated, created or priority")),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub enum AssigneeFilter {
    #[default]
    Any,
    Nobody,
    Agent(String),
}

/// Where the next page of a list starts: just after this ticket, in the list's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageCursor {
    pub updated_at: Timestamp,
    pub id: i64,
    pub priority: Priority,
    /// In a list by due time, the part of the list the ticket was in and its key there (see
    /// [`Store::list_page`]); `None` means the last part, most recently updated first.
    pub due: Option<(u8, i64)>,
}

impl PageCursor {
    pub fn after(ticket: &Ticket) -> PageCursor {
        PageCursor { updated_at: ticket.updated_at, id: ticket.id, priority: ticket.priority, due: None }
    }
}

/// A customer as a list shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub organization: Option<String>,
    pub tier: Tier,
    pub tickets: u64,
    pub open_tickets: u64,
}

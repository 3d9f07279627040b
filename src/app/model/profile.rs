//! What the profile shows of the customer besides their tickets: ratings, whether they are at
//! risk and why, the last contact, the open ticket's SLA clocks explained.

use crate::domain::satisfaction::Rating;
use crate::domain::Timestamp;

/// How far back a bad rating, a breach or a reopened ticket puts a customer at risk.
pub const RISK_DAYS: i64 = 90;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileFacts {
    /// Newest first.
    pub ratings: Vec<Rating>,
    /// Why the customer is at risk, e.g. "rated badly on #1042".
    pub at_risk: Option<String>,
    /// When the customer last wrote.
    pub last_contact: Option<Timestamp>,
    /// The open ticket's SLA clocks explained, e.g. "first response due Tue 10:30, 45 business minutes left".
    pub sla: Vec<String>,
    /// The customer's organization's other open tickets, when they belong to one.
    pub organization: Option<crate::domain::records::OrganizationTickets>,
}

/// A customer's notes being edited in `$EDITOR`, or an edit that could not be saved.
#[derive(Debug, Clone, PartialEq)]
pub struct NotesEdit {
    pub customer: i64,
    /// The notes as they were when the editor opened: the save is checked against them.
    pub seen: String,
    /// The agent's text that was not saved because someone else saved the notes first.
    pub unsaved: Option<String>,
}

//! The `--json` shapes (a documented contract, so explicit structs rather than the domain's derive)
//! and human-readable tables.

use crate::domain::text::for_display_line;
use crate::domain::{Agent, Customer, Event, Message, Ticket, Timestamp};
use crate::domain::{CustomerSummary, TicketDetail};
use chrono::SecondsFormat;
use serde::Serialize;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// A time as RFC 3339 in UTC, e.g. `2025-03-14T09:12:05.120Z`.
pub fn rfc3339(t: Timestamp) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[derive(Debug, Serialize)]
pub struct CustomerRef {
    pub id: i64,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Serialize)]
pub struct TicketJson {
    pub id: i64,
    pub subject: String,
    pub status: &'static str,
    pub priority: &'static str,
    pub channel: &'static str,
    pub customer: CustomerRef,
    pub assignee: Option<String>,
    pub tags: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    pub first_response_at: Option<String>,
    pub solved_at: Option<String>,
    pub version: i64,
    /// Since when the customer has waited on us, while the ticket needs a reply; else null.
    pub waiting_since: Option<String>,
    /// When the ticket comes back from a snooze; `9999-12-31T23:59:59.000Z` when it waits for the
    /// customer to write; null when it is not snoozed.
    pub snoozed_until: Option<String>,
    /// The SLA clocks, when a policy applies (`[sla]` in the config).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sla: Option<super::sla_view::SlaJson>,
}

impl From<&Ticket> for TicketJson {
    fn from(t: &Ticket) -> Self {
        TicketJson {
            id: t.id,
            subject: t.subject.clone(),
            status: t.status.as_str(),
            priority: t.priority.as_str(),
            channel: t.channel.as_str(),
            customer: CustomerRef { id: t.customer_id, name: t.customer_name.clone(), email: t.customer_email.clone() },
            assignee: t.assignee.clone(),
            tags: t.tags.clone(),
            created_at: rfc3339(t.created_at),
            updated_at: rfc3339(t.updated_at),
            first_response_at: t.first_response_at.map(rfc3339),
            solved_at: t.solved_at.map(rfc3339),
            version: t.version,
            waiting_since: t.waiting_since.map(rfc3339),
            snoozed_until: None,
            sla: None,
        }
    }
}

/// What became of one ticket of `ticket set`: the ticket as it now is, or why it did not change.
#[derive(Debug, Serialize)]
pub struct ChangeJson {
    pub id: i64,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<TicketJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct MessageJson {
    pub id: i64,
    pub kind: &'static str,
    pub author: String,
    pub body: String,
    pub created_at: String,
    /// For mail: `in_reply_to`, `references`, `subject_tag`, `new_ticket` or `follow_up`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread_rule: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<super::mail_view::AttachmentJson>,
    /// For a reply sent as mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery: Option<super::mail_view::DeliveryJson>,
    /// A reply's Cc and Bcc addresses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bcc: Vec<String>,
}

impl From<&Message> for MessageJson {
    fn from(m: &Message) -> Self {
        MessageJson {
            id: m.id,
            kind: m.kind.as_str(),
            author: m.author.clone(),
            body: m.body.clone(),
            created_at: rfc3339(m.created_at),
            thread_rule: None,
            attachments: Vec::new(),
            delivery: None,
            cc: Vec::new(),
            bcc: Vec::new(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct EventJson {
    pub id: i64,
    pub actor: String,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub created_at: String,
}

impl From<&Event> for EventJson {
    fn from(e: &Event) -> Self {
        EventJson {
            id: e.id,
            actor: e.actor.clone(),
            field: e.field.clone(),
            old: e.old.clone(),
            new: e.new.clone(),
            created_at: rfc3339(e.created_at),
        }
    }
}

/// `ticket show --json`: the ticket's fields, then its conversation and audit log.
#[derive(Debug, Serialize)]
pub struct TicketDetailJson {
    #[serde(flatten)]
    pub ticket: TicketJson,
    pub messages: Vec<MessageJson>,
    pub events: Vec<EventJson>,
}

impl From<&TicketDetail> for TicketDetailJson {
    fn from(d: &TicketDetail) -> Self {
        TicketDetailJson {
            ticket: TicketJson::from(&d.ticket),
            messages: d
                .messages
                .iter()
                .map(|m| {
                    let mail = d.mail.of(m.id);
                    MessageJson {
                        thread_rule: mail.and_then(|x| x.thread_rule.clone()),
                        attachments: super::mail_view::attachments_json(mail),
                        delivery: super::mail_view::delivery_json(mail),
                        cc: mail.map(|x| x.cc.clone()).unwrap_or_default(),
                        bcc: mail.map(|x| x.bcc.clone()).unwrap_or_default(),
                        ..MessageJson::from(m)
                    }
                })
                .collect(),
            events: d.events.iter().map(EventJson::from).collect(),
        }
    }
}

/// One of a customer's tickets, in `customer show --json`.
#[derive(Debug, Serialize)]
pub struct TicketSummaryJson {
    pub id: i64,
    pub subject: String,
    pub status: &'static str,
    pub priority: &'static str,
    pub assignee: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&Ticket> for TicketSummaryJson {
    fn from(t: &Ticket) -> Self {
        TicketSummaryJson {
            id: t.id,
            subject: t.subject.clone(),
            status: t.status.as_str(),
            priority: t.priority.as_str(),
            assignee: t.assignee.clone(),
            created_at: rfc3339(t.created_at),
            updated_at: rfc3339(t.updated_at),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct CustomerJson {
    pub id: i64,
    pub name: String,
    pub emails: Vec<String>,
    pub phone: Option<String>,
    pub organization: Option<String>,
    pub tier: &'static str,
    pub notes: String,
    pub tags: Vec<String>,
    pub created_at: String,
    pub tickets: Vec<TicketSummaryJson>,
}

impl CustomerJson {
    pub fn new(c: &Customer, tickets: &[Ticket]) -> Self {
        CustomerJson {
            id: c.id,
            name: c.name.clone(),
            emails: c.emails.clone(),
            phone: c.phone.clone(),
            organization: c.organization.clone(),
            tier: c.tier.as_str(),
            notes: c.notes.clone(),
            tags: c.tags.clone(),
            created_at: rfc3339(c.created_at),
            tickets: tickets.iter().map(TicketSummaryJson::from).collect(),
        }
    }
}

/// One row of `customer list --json`.
#[derive(Debug, Serialize)]
pub struct CustomerSummaryJson {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub organization: Option<String>,
    pub tier: &'static str,
    pub tickets: u64,
    pub open_tickets: u64,
}

impl From<&CustomerSummary> for CustomerSummaryJson {
    fn from(c: &CustomerSummary) -> Self {
        CustomerSummaryJson {
            id: c.id,
            name: c.name.clone(),
            email: c.email.clone(),
            organization: c.organization.clone(),
            tier: c.tier.as_str(),
            tickets: c.tickets,
            open_tickets: c.open_tickets,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct AgentJson {
    pub login: String,
    pub name: String,
    pub email: Option<String>,
    pub role: &'static str,
    pub signature: String,
    pub active: bool,
}

impl From<&Agent> for AgentJson {
    fn from(a: &Agent) -> Self {
        AgentJson {
            login: a.login.clone(),
            name: a.name.clone(),
            email: a.email.clone(),
            role: a.role.as_str(),
            signature: a.signature.clone(),
            active: a.active,
        }
    }
}

/// Pretty JSON followed by a newline.
pub fn write_json(out: &mut dyn Write, value: &impl Serialize) -> Result<(), super::CliError> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// A table with a header row and columns padded to their display width.
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table { rows: vec![header.iter().map(|h| h.to_string()).collect()] }
    }

    /// Add a row; every cell is made one safe line first (cells may hold customer text).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells.iter().map(|c| for_display_line(c).into_owned()).collect());
    }

    pub fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|i| self.rows.iter().filter_map(|r| r.get(i)).map(|c| c.width()).max().unwrap_or(0))
            .collect();
        for row in &self.rows {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                line.push_str(cell);
                if i + 1 < row.len() {
                    line.push_str(&" ".repeat(widths[i] - cell.width() + 2));
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

/// Tickets as a table, for `ticket list` and `search`.
pub fn ticket_table(tickets: &[Ticket], now: crate::domain::Timestamp) -> Table {
    let mut table = Table::new(&["ID", "STATUS", "PRIORITY", "ASSIGNEE", "UPDATED", "CUSTOMER", "SUBJECT"]);
    for t in tickets {
        table.row(vec![
            t.id.to_string(),
            t.status.to_string(),
            t.priority.to_string(),
            or_dash(t.assignee.as_deref()),
            crate::domain::short_age(t.updated_at, now),
            t.customer_name.clone(),
            t.subject.clone(),
        ]);
    }
    table
}

/// `-` for a missing value in a table.
pub fn or_dash(value: Option<&str>) -> String {
    value.unwrap_or("-").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_by_display_width() {
        let mut t = Table::new(&["NAME", "N"]);
        t.row(vec!["東京".into(), "1".into()]);
        t.row(vec!["ab".into(), "2".into()]);
        let mut out = Vec::new();
        t.write(&mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "NAME  N\n東京  1\nab    2\n");
    }

    #[test]
    fn cells_are_sanitized() {
        let mut t = Table::new(&["S"]);
        t.row(vec!["Refund\x1b[2J".into()]);
        let mut out = Vec::new();
        t.write(&mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("Refund^[[2J"));
    }
}

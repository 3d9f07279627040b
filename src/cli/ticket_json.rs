//! What the ticket commands that change data print with `--json`: the ticket (as `ticket list
//! --json` shows it) and what was made on it, in the shapes `ticket show --json` uses.

use super::output::{rfc3339, MessageJson, TicketDetailJson, TicketJson};
use super::sla_view::{self, SlaJson};
use super::CliError;
use crate::domain::sla::Policies;
use crate::domain::Ticket;
use crate::store::Store;
use serde::Serialize;

/// The ticket as `ticket list --json` and `ticket show --json` show it: with its snooze and clocks.
pub fn ticket(store: &Store, policies: &Policies, t: &Ticket) -> Result<TicketJson, CliError> {
    let one = std::slice::from_ref(t);
    let mut clocks = sla_view::clocks(store, policies, one, chrono::Utc::now())?;
    Ok(TicketJson {
        snoozed_until: store.snoozes(one)?.get(&t.id).copied().map(rfc3339),
        sla: clocks.remove(&t.id).map(|(c, _)| SlaJson::from(c.as_slice())),
        ..TicketJson::from(t)
    })
}

/// `ticket reply --json`: the message added (as in `ticket show --json`, with its delivery) and
/// the ticket as the reply left it.
#[derive(Debug, Serialize)]
pub struct ReplyJson {
    pub message: MessageJson,
    pub ticket: TicketJson,
}

pub fn reply(store: &Store, policies: &Policies, message_id: i64, ticket_id: i64) -> Result<ReplyJson, CliError> {
    let detail = store.ticket_detail(ticket_id)?;
    let shown = TicketDetailJson::from(&detail);
    let message = shown
        .messages
        .into_iter()
        .find(|m| m.id == message_id)
        .ok_or_else(|| CliError::Refused(format!("message {message_id} is no longer on ticket #{ticket_id}")))?;
    Ok(ReplyJson { message, ticket: ticket(store, policies, &detail.ticket)? })
}

/// `ticket merge --json`: the ticket merged into, and the one merged (now closed).
#[derive(Debug, Serialize)]
pub struct MergeJson {
    pub into: TicketJson,
    pub merged: TicketJson,
}

/// `ticket rate --json`: the ticket and the rating it now has.
#[derive(Debug, Serialize)]
pub struct RatedJson {
    #[serde(flatten)]
    pub ticket: TicketJson,
    pub rating: Option<super::satisfaction_view::RatingJson>,
}

pub fn rated(store: &Store, policies: &Policies, t: &Ticket) -> Result<RatedJson, CliError> {
    let ratings = store.customer_ratings(t.customer_id)?;
    let all = super::satisfaction_view::SatisfactionJson::from(ratings.as_slice());
    // The newest first: the rating the ticket has now.
    let rating = all.ratings.into_iter().find(|r| r.kind == "csat" && r.ticket_id == Some(t.id));
    Ok(RatedJson { ticket: ticket(store, policies, t)?, rating })
}

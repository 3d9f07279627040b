//! Writing a planned ticket through the store's bulk writer.

use super::people::{DemoAgent, DemoCustomer};
use super::plan::{Action, TicketPlan, Who};
use crate::domain::{lifecycle, Status, Ticket, Timestamp};
use crate::store::bulk::{BulkWriter, EventRow, MessageAuthor};
use crate::store::StoreError;
use chrono::Duration;

/// Write `plan` as a ticket created at `created_at`; returns how many messages it has.
pub(crate) fn write_ticket(
    bulk: &mut BulkWriter<'_>,
    plan: &TicketPlan,
    customer: &DemoCustomer,
    team: &[DemoAgent],
    created_at: Timestamp,
) -> Result<usize, StoreError> {
    let at = |after: i64| created_at + Duration::milliseconds(after);
    let first_reply = plan.steps.iter().find(|s| is_kind(&s.action, crate::domain::MessageKind::Reply));
    let solved = plan.steps.iter().rev().find(|s| is_change_to(&s.action, "solved"));
    let changes = plan.steps.iter().filter(|s| logs_event(&s.action)).count() as i64;
    let ticket = Ticket {
        id: 0,
        subject: plan.subject.clone(),
        customer_id: customer.id,
        customer_name: String::new(),
        customer_email: String::new(),
        assignee: plan.assignee.map(|a| team[a].login.clone()),
        status: plan.status,
        priority: plan.priority,
        channel: plan.channel,
        tags: plan.tags.clone(),
        created_at,
        // A rating, as on a real desk, leaves the ticket's last update where it was.
        updated_at: at(plan.steps.iter().rev().find(|s| !is_rating(&s.action)).map_or(0, |s| s.after)),
        first_response_at: first_reply.map(|s| at(s.after)),
        solved_at: solved.filter(|_| !plan.status.is_active()).map(|s| at(s.after)),
        // Every logged change but the creation bumped the version once.
        version: changes,
        waiting_since: waiting_since(plan, at),
    };
    let ticket_id = bulk.insert_ticket(&ticket)?;
    let mut messages = 0;
    for step in &plan.steps {
        let actor = match step.who {
            Who::Customer => customer.email.as_str(),
            Who::Agent(i) => team[i].login.as_str(),
            Who::System => "system",
        };
        let created_at = at(step.after);
        match &step.action {
            Action::Message { kind, body, logged } => {
                let author = match step.who {
                    Who::Customer => MessageAuthor::Customer(customer.id),
                    _ => MessageAuthor::Agent(actor),
                };
                let id = bulk.insert_message(ticket_id, *kind, author, body, created_at)?.to_string();
                messages += 1;
                if *logged {
                    let new = Some(id.as_str());
                    let field = kind.as_str();
                    bulk.insert_event(&EventRow { ticket_id, actor, field, old: None, new, created_at })?;
                }
            }
            Action::Change { field, old, new } => {
                let event = EventRow { ticket_id, actor, field, old: old.as_deref(), new: new.as_deref(), created_at };
                bulk.insert_event(&event)?;
                if let Some(score) = rating_score(&step.action) {
                    bulk.insert_rating(customer.id, score, &event)?;
                }
            }
        }
    }
    Ok(messages)
}

/// Whether the customer waits on us at the end of the plan, and since when: the store's rules
/// ([`lifecycle::wait_after_message`], [`lifecycle::wait_after_status`]) played over its steps.
fn waiting_since(plan: &TicketPlan, at: impl Fn(i64) -> Timestamp) -> Option<Timestamp> {
    let start = (None, Status::New);
    let (waiting, _) = plan.steps.iter().fold(start, |(waiting, status), step| match &step.action {
        Action::Message { kind, .. } => {
            // As in the store: the message moves the ticket first (the customer reopens it).
            let status = lifecycle::status_after_message(status, *kind).unwrap_or(status);
            let waiting = lifecycle::wait_after_message(waiting, *kind, at(step.after));
            (lifecycle::wait_after_status(waiting, status), status)
        }
        Action::Change { field: "status", new: Some(new), .. } => match new.parse::<Status>() {
            Ok(to) => (lifecycle::wait_after_status(waiting, to), to),
            Err(_) => (waiting, status),
        },
        Action::Change { .. } => (waiting, status),
    });
    waiting
}

fn is_kind(action: &Action, wanted: crate::domain::MessageKind) -> bool {
    matches!(action, Action::Message { kind, .. } if *kind == wanted)
}

fn is_rating(action: &Action) -> bool {
    matches!(action, Action::Change { field: "satisfaction", .. })
}

/// The CSAT score of a `satisfaction` change (`4/5`).
fn rating_score(action: &Action) -> Option<u8> {
    match action {
        Action::Change { field: "satisfaction", new: Some(label), .. } => label.split('/').next()?.parse().ok(),
        _ => None,
    }
}

fn is_change_to(action: &Action, status: &str) -> bool {
    matches!(action, Action::Change { field: "status", new: Some(new), .. } if new == status)
}

/// Whether the step leaves a row in the audit log (everything but the unlogged first message).
fn logs_event(action: &Action) -> bool {
    !matches!(action, Action::Message { logged: false, .. })
}

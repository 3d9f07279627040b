//! Whether a ticket arrived in a list: it is in it now, and was not before the changes others
//! made since the console last looked (a new ticket, one assigned to me, one reopened…).

use super::{AssigneeFilter, Event, Ticket, TicketFilter};

/// A ticket as it is now, with what others changed on it since the console last looked.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketChanges {
    pub ticket: Ticket,
    /// Oldest first.
    pub events: Vec<Event>,
    /// The customer wrote while it was snoozed: it is back in the working views.
    pub woken: bool,
}

/// The ticket is in the list `filter` now; did its changes bring it in? Tells from the changes'
/// old values what the ticket was before them. A snooze ended by the customer's message brings it
/// back into the working views (the ones of active tickets); one that ran out is not news.
pub fn entered(filter: &TicketFilter, changes: &TicketChanges) -> bool {
    if changes.events.iter().any(|e| e.field == "created") || (changes.woken && filter.active_only) {
        return true;
    }
    !matches(filter, &before(&changes.ticket, &changes.events))
}

/// The ticket as it was before `changes`.
fn before(ticket: &Ticket, changes: &[Event]) -> Ticket {
    let mut was = ticket.clone();
    // Newest first, so each field ends at its oldest old value.
    for e in changes.iter().rev() {
        match e.field.as_str() {
            "status" => was.status = e.old.as_deref().and_then(|s| s.parse().ok()).unwrap_or(was.status),
            "priority" => was.priority = e.old.as_deref().and_then(|p| p.parse().ok()).unwrap_or(was.priority),
            "assignee" => was.assignee = e.old.clone(),
            "tag" => {
                if let Some(added) = &e.new {
                    was.tags.retain(|t| t != added);
                }
                if let Some(removed) = e.old.clone().filter(|t| !was.tags.contains(t)) {
                    was.tags.push(removed);
                }
            }
            _ => {}
        }
    }
    was
}

/// Whether `filter` shows `ticket`, snoozes aside.
pub fn matches(filter: &TicketFilter, ticket: &Ticket) -> bool {
    let assignee = match &filter.assignee {
        AssigneeFilter::Any => true,
        AssigneeFilter::Nobody => ticket.assignee.is_none(),
        AssigneeFilter::Agent(login) => ticket.assignee.as_deref() == Some(login),
    };
    assignee
        && (!filter.active_only || ticket.status.is_active())
        && (filter.statuses.is_empty() || filter.statuses.contains(&ticket.status))
        && (filter.priorities.is_empty() || filter.priorities.contains(&ticket.priority))
        && filter
            .tags
            .iter()
            .all(|tag| ticket.tags.iter().any(|t| super::normalize_tag(tag).as_deref() == Some(t.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Channel, Priority, Status};
    use chrono::{TimeZone, Utc};

    fn ticket(status: Status, assignee: Option<&str>) -> Ticket {
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        Ticket {
            id: 7,
            subject: "Refund".into(),
            customer_id: 1,
            customer_name: "Carla".into(),
            customer_email: "carla@shop.example".into(),
            assignee: assignee.map(String::from),
            status,
            priority: Priority::Normal,
            channel: Channel::Email,
            tags: vec![],
            created_at: at,
            updated_at: at,
            first_response_at: None,
            solved_at: None,
            version: 2,
            waiting_since: None,
        }
    }

    fn change(field: &str, old: Option<&str>, new: Option<&str>) -> Event {
        Event {
            id: 1,
            ticket_id: 7,
            actor: "hiro".into(),
            field: field.into(),
            old: old.map(String::from),
            new: new.map(String::from),
            created_at: Utc::now(),
        }
    }

    fn entered(filter: &TicketFilter, ticket: &Ticket, events: &[Event]) -> bool {
        super::entered(filter, &TicketChanges { ticket: ticket.clone(), events: events.to_vec(), woken: false })
    }

    fn mine() -> TicketFilter {
        TicketFilter { active_only: true, assignee: AssigneeFilter::Agent("ana".into()), ..Default::default() }
    }

    fn open() -> TicketFilter {
        TicketFilter { active_only: true, ..Default::default() }
    }

    #[test]
    fn new_assigned_and_reopened_tickets_arrive() {
        let now = ticket(Status::Open, Some("ana"));
        assert!(entered(&open(), &now, &[change("created", None, Some("Refund"))]));
        assert!(entered(&mine(), &now, &[change("assignee", None, Some("ana"))]), "assigned to me");
        assert!(!entered(&open(), &now, &[change("assignee", None, Some("ana"))]), "already open");
        assert!(entered(&open(), &now, &[change("status", Some("solved"), Some("open"))]), "reopened");
        assert!(!entered(&open(), &now, &[change("status", Some("pending"), Some("open"))]), "was open already");
        let back = [change("assignee", Some("ana"), Some("hiro")), change("assignee", Some("hiro"), Some("ana"))];
        assert!(!entered(&mine(), &now, &back), "mine before and after");
        let tagged = TicketFilter { tags: vec!["vip".into()], ..Default::default() };
        let now = Ticket { tags: vec!["vip".into()], ..now };
        assert!(entered(&tagged, &now, &[change("tag", None, Some("vip"))]));
        let woken = TicketChanges { ticket: now, events: vec![change("customer", None, Some("9"))], woken: true };
        assert!(super::entered(&open(), &woken), "back from a snooze by the customer's message");
        assert!(!super::entered(&TicketFilter::default(), &woken), "All showed it while it slept");
    }
}

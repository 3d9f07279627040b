//! Every built-in tab's page in every order but due order (which has its own parts and indexes,
//! see `due.rs`) is a range of an index: no sort of the tab, no walk over every ticket an agent
//! ever had. Held to `EXPLAIN QUERY PLAN`, so a change of query or index that loses this fails.

use frontdesk::domain::{AssigneeFilter, Channel, NewTicket, PageCursor, Priority, Sort, TicketFilter};
use frontdesk::store::Store;

fn desk() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    for n in 0..6 {
        let new = NewTicket {
            customer_email: format!("c{n}@example.com"),
            customer_name: None,
            subject: format!("Order {n}"),
            body: "Where is it?".into(),
            priority: if n % 2 == 0 { Priority::High } else { Priority::Normal },
            channel: Channel::Email,
            tags: vec![],
        };
        store.create_ticket(&new, "ana").unwrap();
    }
    (dir, store)
}

/// The built-in tabs' filters (as `app::model::views` makes them), by name.
fn tabs() -> Vec<(&'static str, TicketFilter)> {
    let active = |assignee| TicketFilter { active_only: true, assignee, ..TicketFilter::default() };
    vec![
        ("Mine", active(AssigneeFilter::Agent("ana".into()))),
        ("Unassigned", active(AssigneeFilter::Nobody)),
        ("Open", active(AssigneeFilter::Any)),
        ("All", TicketFilter::default()),
    ]
}

#[test]
fn every_tabs_page_by_update_or_priority_is_read_from_an_index_in_its_order() {
    let (_dir, store) = desk();
    let ticket = store.ticket(3).unwrap();
    for (tab, filter) in tabs() {
        for sort in [Sort::Updated, Sort::Priority] {
            for after in [None, Some(PageCursor::after(&ticket))] {
                let filter = TicketFilter { sort, ..filter.clone() };
                let plan = store.page_plan(&filter, after).unwrap();
                let what = format!(
                    "{tab} by {sort:?}, {}: {plan:#?}",
                    if after.is_some() { "next page" } else { "first page" }
                );
                assert!(
                    !plan.iter().any(|step| step.contains("TEMP B-TREE FOR ORDER BY")
                        || step.contains("TEMP B-TREE FOR RIGHT PART OF ORDER BY")),
                    "sorts the tab: {what}"
                );
                let read = plan.iter().find(|step| step.contains(" t ") || step.ends_with(" t")).unwrap();
                assert!(read.contains("USING INDEX") || read.contains("USING COVERING INDEX"), "no index: {what}");
                if filter.active_only {
                    assert!(read.contains("_active_"), "an index of active tickets only: {what}");
                }
                if matches!(filter.assignee, AssigneeFilter::Agent(_) | AssigneeFilter::Nobody) {
                    assert!(read.starts_with("SEARCH") && read.contains("assignee"), "the agent's range: {what}");
                }
            }
        }
    }
    // And the pages are what they were: the highest priority first.
    let page = store.list_tickets(&TicketFilter { sort: Sort::Priority, ..TicketFilter::default() }, None, 10).unwrap();
    let priorities: Vec<Priority> = page.iter().map(|t| t.priority).collect();
    assert_eq!(
        priorities,
        [Priority::High, Priority::High, Priority::High, Priority::Normal, Priority::Normal, Priority::Normal]
    );
}

#[test]
fn every_tabs_breached_and_nearly_due_tickets_in_due_order_are_a_range_of_warning_times() {
    let (_dir, store) = desk();
    for (tab, filter) in tabs() {
        let plans = store.due_page_plans(&filter).unwrap();
        assert_eq!(plans.len(), 8, "{tab}: the parts of a list by due time");
        // Woken snoozes, breached waiting, breached others, nearly due waiting, nearly due others.
        for (part, index) in [
            (0, "tickets_by_snooze"),
            (2, "tickets_by_warn"),
            (3, "tickets_by_due"),
            (4, "tickets_by_warn"),
            (5, "tickets_by_warn"),
        ] {
            let read = plans[part].iter().find(|step| step.contains(" t ")).unwrap();
            assert!(read.starts_with("SEARCH") && read.contains(index), "{tab}, part {part}: {:#?}", plans[part]);
            if index == "tickets_by_warn" {
                assert!(read.contains("warn_at<?"), "{tab}, part {part} reads the warnings up to now: {read}");
                // Sorted from the index alone: only the page's tickets are read whole.
                assert!(read.contains("COVERING INDEX"), "{tab}, part {part} sorts whole rows: {read}");
                let whole = plans[part].iter().position(|step| step.contains("SEARCH t USING INTEGER PRIMARY KEY"));
                let sort = plans[part].iter().position(|step| step.contains("TEMP B-TREE FOR ORDER BY"));
                assert!(sort < whole, "{tab}, part {part} reads rows whole before sorting: {:#?}", plans[part]);
            }
        }
    }
}

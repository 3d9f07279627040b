//! `frontdesk ticket list`: tickets by a queue tab (`--view`), status, priority, assignee or tag.

use super::customer_care::CareSettings;
use super::output::{or_dash, rfc3339, write_json, Table, TicketJson};
use super::sla_view::{self, SlaJson};
use super::CliError;
use crate::app::model::views::{custom_views, View};
use crate::domain::{short_age, Agent, AssigneeFilter, Priority, Sort, Status, TicketFilter};
use crate::store::Store;
use chrono::Utc;
use clap::Args;
use std::io::Write;

#[derive(Debug, Args)]
pub struct ListArgs {
    /// A queue tab: needs-reply, mine, unassigned, open, all, or a `[[views]]` name from the
    /// config. The other options narrow it further.
    #[arg(long, value_name = "NAME")]
    view: Option<String>,
    /// Only tickets in this status, or `active` (new, open, pending, on_hold); repeat for several.
    #[arg(long = "status", value_name = "STATUS|active", value_parser = parse_status)]
    statuses: Vec<StatusArg>,
    /// Only tickets of this priority (repeat for several).
    #[arg(long = "priority", value_name = "PRIORITY")]
    priorities: Vec<Priority>,
    /// A login, `me` or `none`.
    #[arg(long, value_name = "LOGIN|me|none")]
    assignee: Option<String>,
    #[arg(long)]
    tag: Option<String>,
    /// `due` (back from a snooze, then breached, then nearly due SLA clocks, then the rest; in
    /// each the customers waiting on us first, the longest wait first), `updated`, `created` or
    /// `priority`. The default is the view's order, else `due`.
    #[arg(long, value_parser = parse_sort)]
    sort: Option<Sort>,
    /// Only tickets that need a reply: the customer wrote last, the ticket is new or open and not
    /// snoozed. Shows how long each has waited.
    #[arg(long)]
    needs_reply: bool,
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long)]
    json: bool,
}

/// One `--status` value: a status, or every active one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StatusArg {
    One(Status),
    Active,
}

fn parse_status(text: &str) -> Result<StatusArg, String> {
    match text {
        "active" => Ok(StatusArg::Active),
        other => other.parse().map(StatusArg::One).map_err(|_| {
            format!("'{other}' is not a status; use new, open, pending, on_hold, solved, closed or active")
        }),
    }
}

fn parse_sort(text: &str) -> Result<Sort, String> {
    text.parse()
}

/// The built-in tabs by the names `--view` takes, in the console's order.
const BUILT_IN: [(&str, View); 5] = [
    ("needs-reply", View::NeedsReply),
    ("mine", View::Mine),
    ("unassigned", View::Unassigned),
    ("open", View::Open),
    ("all", View::All),
];

/// The filter of the tab `name` (a built-in one, or a config view, case aside), for `agent`; an
/// unknown name is refused with the names there are.
pub fn view_filter(name: &str, agent: &Agent, settings: &CareSettings) -> Result<TicketFilter, CliError> {
    let wanted = name.trim().to_lowercase().replace('_', "-");
    if let Some((_, view)) = BUILT_IN.iter().find(|(n, _)| *n == wanted || wanted == n.replace('-', " ")) {
        return Ok(view.built_in_filter(&agent.login));
    }
    let custom = custom_views(&settings.views, &agent.login);
    if let Some(view) = custom.iter().find(|v| v.name.trim().to_lowercase() == name.trim().to_lowercase()) {
        return Ok(view.filter.clone());
    }
    let mut known: Vec<String> = BUILT_IN.iter().map(|(n, _)| n.to_string()).collect();
    known.extend(custom.iter().map(|v| format!("\"{}\"", v.name)));
    Err(CliError::Refused(format!(
        "there is no view named '{}'; the views are: {}",
        crate::domain::text::for_display_line(name),
        crate::domain::text::for_display_line(&known.join(", "))
    )))
}

/// The view's filter (or every ticket), narrowed by the options given.
fn filter(args: &ListArgs, agent: &Agent, settings: &CareSettings) -> Result<TicketFilter, CliError> {
    let mut filter = match &args.view {
        Some(name) => view_filter(name, agent, settings)?,
        None => TicketFilter { sort: Sort::Due, ..TicketFilter::default() },
    };
    if args.statuses.contains(&StatusArg::Active) {
        filter.active_only = true;
    }
    let named: Vec<Status> =
        args.statuses.iter().filter_map(|s| if let StatusArg::One(s) = s { Some(*s) } else { None }).collect();
    if !named.is_empty() {
        filter.statuses = named;
    }
    if !args.priorities.is_empty() {
        filter.priorities = args.priorities.clone();
    }
    match args.assignee.as_deref().map(|a| super::ticket_set::who(a, agent)) {
        None => {}
        Some(None) => filter.assignee = AssigneeFilter::Nobody,
        Some(Some(login)) => filter.assignee = AssigneeFilter::Agent(login),
    }
    filter.tags.extend(args.tag.iter().cloned());
    filter.needs_reply |= args.needs_reply;
    if let Some(sort) = args.sort {
        filter.sort = sort;
    }
    Ok(filter)
}

pub fn run(
    store: &Store,
    agent: &Agent,
    args: &ListArgs,
    settings: &CareSettings,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let filter = filter(args, agent, settings)?;
    let policies = &settings.policies;
    if filter.sort == Sort::Due {
        store.refresh_all_due(policies)?;
    }
    let tickets = store.list_tickets(&filter, None, args.limit)?;
    let now = Utc::now();
    let mut clocks = sla_view::clocks(store, policies, &tickets, now)?;
    if args.json {
        let snoozes = store.snoozes(&tickets)?;
        let json = tickets.iter().map(|t| TicketJson {
            sla: clocks.remove(&t.id).map(|(c, _)| SlaJson::from(c.as_slice())),
            snoozed_until: snoozes.get(&t.id).copied().map(rfc3339),
            ..TicketJson::from(t)
        });
        return write_json(out, &json.collect::<Vec<_>>());
    }
    let with_due = !clocks.is_empty();
    let mut header = vec!["ID", "STATUS", "PRIORITY", "ASSIGNEE", "UPDATED", "CUSTOMER", "SUBJECT"];
    if with_due {
        header.insert(5, "DUE");
    }
    if filter.needs_reply {
        header.insert(5, "WAITING");
    }
    let mut table = Table::new(&header);
    for t in &tickets {
        let mut row = vec![
            t.id.to_string(),
            t.status.to_string(),
            t.priority.to_string(),
            or_dash(t.assignee.as_deref()),
            short_age(t.updated_at, now),
            t.customer_name.clone(),
            t.subject.clone(),
        ];
        if with_due {
            row.insert(5, sla_view::due_cell(clocks.get(&t.id).map(|(c, _)| c.as_slice())));
        }
        if filter.needs_reply {
            row.insert(5, t.waiting_since.map_or_else(|| "-".to_string(), |since| short_age(since, now)));
        }
        table.row(row);
    }
    Ok(table.write(out)?)
}

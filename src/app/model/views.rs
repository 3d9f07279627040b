//! The queue's tabs: the built-in ones and the views the config defines.

use crate::domain::{AssigneeFilter, TicketFilter};

/// A queue tab: one of the built-in ones, or one of the views the config defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Tickets whose customer waits on us: new or open, not snoozed, the customer wrote last.
    NeedsReply,
    Mine,
    Unassigned,
    Open,
    All,
    /// The config's view at this index in [`State::views`].
    Custom(usize),
}

/// A saved filter from the config, shown as a tab after the built-in ones.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomView {
    pub name: String,
    pub filter: TicketFilter,
}

impl View {
    pub const BUILT_IN: [View; 5] = [View::NeedsReply, View::Mine, View::Unassigned, View::Open, View::All];

    pub fn built_in_title(self) -> &'static str {
        match self {
            View::NeedsReply => "Needs reply",
            View::Mine => "Mine",
            View::Unassigned => "Unassigned",
            View::Open => "Open",
            View::All | View::Custom(_) => "All",
        }
    }

    /// The tickets a built-in tab shows, for the agent `me`.
    pub fn built_in_filter(self, me: &str) -> TicketFilter {
        let active = |assignee| TicketFilter { active_only: true, assignee, ..TicketFilter::default() };
        match self {
            View::NeedsReply => TicketFilter { needs_reply: true, ..active(AssigneeFilter::Any) },
            View::Mine => active(AssigneeFilter::Agent(me.to_string())),
            View::Unassigned => active(AssigneeFilter::Nobody),
            View::Open => active(AssigneeFilter::Any),
            View::All | View::Custom(_) => TicketFilter::default(),
        }
    }
}

/// The config's views as tabs for the agent `me` (the config was checked when it was loaded).
pub fn custom_views(views: &[crate::config::ViewConfig], me: &str) -> Vec<CustomView> {
    views
        .iter()
        .map(|v| {
            let assignee = match v.assignee.as_str() {
                "" | "any" => AssigneeFilter::Any,
                "none" | "nobody" => AssigneeFilter::Nobody,
                "me" => AssigneeFilter::Agent(me.to_string()),
                login => AssigneeFilter::Agent(login.to_string()),
            };
            let filter = TicketFilter {
                statuses: v.statuses().unwrap_or_default(),
                active_only: false,
                assignee,
                tags: v.tags.clone(),
                priorities: v.priorities().unwrap_or_default(),
                sort: v.sort.parse().unwrap_or_default(),
                needs_reply: false,
            };
            CustomView { name: v.name.clone(), filter }
        })
        .collect()
}

//! The reports screen: which period and grouping the agent looks at, the report the worker read
//! for them, and the table's cursor. The report is the command line's, from the same engine.

use crate::domain::report::{Dimension, Figure, Last, Report, Row, Section};

/// The periods the screen steps through, shortest first.
pub const PERIODS: [Last; 4] = [Last::Days(7), Last::Days(30), Last::Days(90), Last::Months(12)];

/// The groupings `b` cycles through.
pub const GROUPINGS: [Dimension; 6] = [
    Dimension::Agent,
    Dimension::Tier,
    Dimension::Organization,
    Dimension::Tag,
    Dimension::Channel,
    Dimension::Priority,
];

/// The figures of the per-group table, after the group's name.
pub const TABLE_FIGURES: [Figure; 6] = [
    Figure::New,
    Figure::Solved,
    Figure::FirstResponseMedian,
    Figure::ResolutionMedian,
    Figure::ResolutionMet,
    Figure::Csat,
];

/// The figures the headline shows with their change.
pub const HEADLINE_FIGURES: [Figure; 5] =
    [Figure::New, Figure::Solved, Figure::FirstResponseMedian, Figure::ResolutionMet, Figure::Csat];

#[derive(Debug, Clone, PartialEq)]
pub struct ReportsScreen {
    /// Index in [`PERIODS`].
    pub period: usize,
    /// Index in [`GROUPINGS`].
    pub grouping: usize,
    /// The last report read; kept while a newer one is read, so the screen does not go blank.
    pub report: Option<Box<Report>>,
    /// A read is on its way.
    pub loading: bool,
    /// The read asked for last; older answers are dropped.
    pub generation: u64,
    /// The table's row under the cursor.
    pub selected: usize,
    /// Why the last read failed.
    pub error: Option<String>,
}

impl Default for ReportsScreen {
    fn default() -> ReportsScreen {
        ReportsScreen {
            period: 1, // 30 days, as `frontdesk report`
            grouping: 0,
            report: None,
            loading: false,
            generation: 0,
            selected: 0,
            error: None,
        }
    }
}

impl ReportsScreen {
    pub fn last(&self) -> Last {
        PERIODS[self.period.min(PERIODS.len() - 1)]
    }

    pub fn by(&self) -> Dimension {
        GROUPINGS[self.grouping.min(GROUPINGS.len() - 1)]
    }

    /// The table's rows: the report's groups, busiest first (by new tickets, then by name).
    pub fn rows(&self) -> Vec<&Section> {
        let Some(report) = &self.report else { return Vec::new() };
        let mut rows: Vec<&Section> = report.groups.iter().collect();
        let new = |s: &Section| figure(s, Figure::New).and_then(|r| r.value).unwrap_or(0.0);
        rows.sort_by(|a, b| new(b).total_cmp(&new(a)).then_with(|| a.key.cmp(&b.key)));
        rows
    }

    pub fn selected_row(&self) -> Option<&Section> {
        self.rows().get(self.selected).copied()
    }
}

/// A section's row for `figure`.
pub fn figure(section: &Section, figure: Figure) -> Option<&Row> {
    section.figures.iter().find(|r| r.figure == figure)
}

/// `7 days`, `30 days`, `12 months`: the period as the screen names it.
pub fn period_label(last: Last) -> String {
    match last {
        Last::Days(1) => "1 day".into(),
        Last::Days(n) => format!("{n} days"),
        Last::Months(1) => "1 month".into(),
        Last::Months(n) => format!("{n} months"),
        Last::All => "all time".into(),
    }
}

/// The tickets of a group the queue opens on Enter: those it counts as new, solved or in the
/// backlog in the period, each once, newest number first.
pub fn group_tickets(section: &Section) -> Vec<i64> {
    let mut ids: Vec<i64> = [Figure::New, Figure::Solved, Figure::Backlog]
        .into_iter()
        .filter_map(|f| figure(section, f))
        .flat_map(|r| r.behind.iter().copied())
        .collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids.dedup();
    ids
}

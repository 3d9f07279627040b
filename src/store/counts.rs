//! Counts that cost nothing: a tab's or a view's number is a sum over the kept counts
//! (`ticket_counts`, `tag_counts`: a few hundred rows per desk, kept by triggers in the same
//! transaction as every write), less the snoozed tickets it leaves out (read from the small index
//! of snoozed tickets). Only a filter on two tags or more is counted by a scan.

use super::tickets::Snoozed;
use super::{Result, Store};
use crate::domain::{normalize_tag, AssigneeFilter, TicketFilter};
use rusqlite::{params_from_iter, ToSql};

/// What a kept count and a full count of one cell disagree on, for `frontdesk check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountDrift {
    /// `ticket_counts`, or `tag_counts` with the tag.
    pub what: String,
    pub kept: i64,
    pub counted: i64,
}

impl Store {
    /// How many tickets `filter` shows.
    pub fn count_tickets(&self, filter: &TicketFilter) -> Result<u64> {
        if filter.tags.len() > 1 {
            return self.count_by_scan(filter);
        }
        let mut params: Vec<Box<dyn ToSql>> = Vec::new();
        let mut terms = vec!["1 = 1".to_string()];
        let table = match filter.tags.first() {
            Some(tag) => {
                terms.push("c.tag = ?".into());
                params.push(Box::new(normalize_tag(tag).unwrap_or_default()));
                "tag_counts"
            }
            None => "ticket_counts",
        };
        if filter.active_only {
            terms.push("c.status NOT IN ('solved', 'closed')".into());
        }
        if !filter.statuses.is_empty() {
            terms.push(format!("c.status IN ({})", vec!["?"; filter.statuses.len()].join(", ")));
            params.extend(filter.statuses.iter().map(|s| Box::new(s.as_str()) as Box<dyn ToSql>));
        }
        match &filter.assignee {
            AssigneeFilter::Any => {}
            AssigneeFilter::Nobody => terms.push("c.assignee = ''".into()),
            AssigneeFilter::Agent(login) => {
                terms.push("c.assignee = ?".into());
                params.push(Box::new(login.clone()));
            }
        }
        if !filter.priorities.is_empty() {
            terms.push(format!("c.priority IN ({})", vec!["?"; filter.priorities.len()].join(", ")));
            params.extend(filter.priorities.iter().map(|p| Box::new(p.as_str()) as Box<dyn ToSql>));
        }
        if filter.needs_reply {
            terms.push("c.waiting = 1 AND c.status IN ('new', 'open')".into());
        }
        let sql = format!("SELECT coalesce(sum(c.n), 0) FROM {table} c WHERE {}", terms.join(" AND "));
        let kept: i64 = self.conn.prepare_cached(&sql)?.query_row(params_from_iter(params.iter()), |r| r.get(0))?;
        let snoozed = match filter.active_only || filter.needs_reply {
            true => self.count_snoozed(filter)?,
            false => 0,
        };
        Ok((kept - snoozed).max(0) as u64)
    }

    /// The tickets `filter` would show but for a snooze that has not run out.
    fn count_snoozed(&self, filter: &TicketFilter) -> Result<i64> {
        let mut params: Vec<Box<dyn ToSql>> = Vec::new();
        let sql = format!(
            "SELECT count(*) FROM tickets t INDEXED BY tickets_by_snooze WHERE t.snoozed_until IS NOT NULL AND {}",
            filter.where_clause_of(&mut params, Snoozed::Only)
        );
        Ok(self.conn.prepare_cached(&sql)?.query_row(params_from_iter(params.iter()), |r| r.get(0))?)
    }

    fn count_by_scan(&self, filter: &TicketFilter) -> Result<u64> {
        let mut params: Vec<Box<dyn ToSql>> = Vec::new();
        let sql = format!("SELECT COUNT(*) FROM tickets t WHERE {}", filter.where_clause(&mut params));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row(params_from_iter(params.iter()), |r| r.get::<_, i64>(0))? as u64)
    }

    /// Every cell where the kept counts differ from a full count of the tickets and their tags.
    pub fn count_drift(&self) -> Result<Vec<CountDrift>> {
        let mut drift = Vec::new();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT '', status, assignee, priority, waiting, coalesce(k.n, 0), coalesce(f.n, 0)
             FROM {FULL_TICKET_COUNTS}
             UNION ALL SELECT tag, status, assignee, priority, waiting, coalesce(k.n, 0), coalesce(f.n, 0)
             FROM {FULL_TAG_COUNTS}"
        ))?;
        let rows = stmt.query_map([], |r| {
            let cell = format!(
                "{}, {}, priority {}{}",
                r.get::<_, String>(1)?,
                Some(r.get::<_, String>(2)?).filter(|a| !a.is_empty()).unwrap_or_else(|| "nobody's".into()),
                r.get::<_, String>(3)?,
                if r.get::<_, bool>(4)? { ", waiting" } else { "" },
            );
            Ok((r.get::<_, String>(0)?, cell, r.get::<_, i64>(5)?, r.get::<_, i64>(6)?))
        })?;
        for row in rows {
            let (tag, cell, kept, counted) = row?;
            if kept != counted {
                let what = match tag.is_empty() {
                    true => format!("ticket counts ({cell})"),
                    false => format!("tag counts of {tag} ({cell})"),
                };
                drift.push(CountDrift { what, kept, counted });
            }
        }
        Ok(drift)
    }

    /// Count every ticket and tag again into the kept counts (`frontdesk check --repair`).
    pub fn rebuild_counts(&self) -> Result<()> {
        self.write(|conn| {
            conn.execute_batch(super::migrations::COUNT_TICKETS_AGAIN)?;
            Ok(())
        })
    }
}

/// Each cell of `ticket_counts` beside a full count, both ways round (a cell only one side has).
const FULL_TICKET_COUNTS: &str = "(
    SELECT status, assignee, priority, waiting, n FROM ticket_counts WHERE n <> 0
) k FULL JOIN (
    SELECT status, coalesce(assignee, '') AS assignee, priority, waiting_since IS NOT NULL AS waiting, count(*) AS n
    FROM tickets GROUP BY 1, 2, 3, 4
) f USING (status, assignee, priority, waiting)";

const FULL_TAG_COUNTS: &str = "(
    SELECT tag, status, assignee, priority, waiting, n FROM tag_counts WHERE n <> 0
) k FULL JOIN (
    SELECT g.tag, t.status, coalesce(t.assignee, '') AS assignee, t.priority,
           t.waiting_since IS NOT NULL AS waiting, count(*) AS n
    FROM ticket_tags g JOIN tickets t ON t.id = g.ticket_id GROUP BY 1, 2, 3, 4, 5
) f USING (tag, status, assignee, priority, waiting)";

//! What a report reads: the tickets that can count in its periods, each with its timeline, then
//! the ratings and surveys of those periods; streamed into the report's builder a chunk of
//! tickets at a time, so the desk's events are never all in memory at once.

use super::rows::{named, split_tags, time};
use super::{to_millis, Result, Store};
use crate::domain::report::{
    Builder, CsatRecord, Dimension, NpsRecord, SurveyRecord, TicketGroups, TicketRecord, TicketSummary,
};
use crate::domain::sla::Timeline;
use crate::domain::{Status, Timestamp};
use rusqlite::{params_from_iter, Row};

/// Tickets whose events are read per query.
const CHUNK: usize = 500;

/// The grouping columns, over `tickets t JOIN customers c LEFT JOIN organizations o`.
const GROUP_COLUMNS: &str = "t.assignee, c.tier, o.name,
    COALESCE((SELECT group_concat(g.tag, ' ') FROM ticket_tags g WHERE g.ticket_id = t.id), ''),
    t.channel, t.priority, (SELECT m.mailbox FROM ticket_mailboxes m WHERE m.ticket_id = t.id)";

/// [`GROUP_COLUMNS`] with only what grouping `by` reads: the tags, the mailbox and the
/// organization cost a lookup per ticket, and a report of the whole desk needs none of them.
fn group_columns(by: Option<Dimension>) -> String {
    let (organization, tags, mailbox) = match by {
        Some(Dimension::Organization) => ("o.name", "''", "NULL"),
        Some(Dimension::Tag) => (
            "NULL",
            "COALESCE((SELECT group_concat(g.tag, ' ') FROM ticket_tags g WHERE g.ticket_id = t.id), '')",
            "NULL",
        ),
        Some(Dimension::Mailbox) => {
            ("NULL", "''", "(SELECT m.mailbox FROM ticket_mailboxes m WHERE m.ticket_id = t.id)")
        }
        _ => ("NULL", "''", "NULL"),
    };
    format!("t.assignee, c.tier, {organization}, {tags}, t.channel, t.priority, {mailbox}")
}

const FROM_TICKETS: &str = "tickets t JOIN customers c ON c.id = t.customer_id";
const WITH_ORGANIZATION: &str = "LEFT JOIN organizations o ON o.id = c.organization_id";

fn groups(row: &Row, at: usize) -> rusqlite::Result<TicketGroups> {
    Ok(TicketGroups {
        assignee: row.get(at)?,
        tier: named(row, at + 1)?,
        organization: row.get(at + 2)?,
        tags: split_tags(row.get(at + 3)?),
        channel: named(row, at + 4)?,
        priority: named(row, at + 5)?,
        mailbox: row.get(at + 6)?,
    })
}

/// Tickets read for a report, counted a chunk at a time in id order (as the tickets of a
/// report's `--tickets` lists come): each from its kept summary (`Some`), or the next of
/// `records`, whose timelines are read for the chunk at once.
#[derive(Default)]
struct Chunk {
    order: Vec<Option<(i64, TicketGroups, bool, TicketSummary)>>,
    records: Vec<TicketRecord>,
}

impl Store {
    /// When the desk's first ticket came in; `None` on an empty desk.
    pub fn first_ticket_at(&self) -> Result<Option<Timestamp>> {
        let first: Option<i64> = self.conn.query_row("SELECT min(created_at) FROM tickets", [], |r| r.get(0))?;
        Ok(first.map(super::from_millis))
    }

    /// Feed `builder` everything its periods count, from one snapshot of the desk. A ticket can
    /// count when it changed since the builder's earliest moment (every status change, message and
    /// follow-up moves `updated_at`) or is not solved now (the backlog, the clocks breaching now).
    /// The stale kept figures are worked out first; a solved ticket's kept figures are then
    /// counted as they are, any other ticket from its events.
    pub fn read_report(&self, builder: &mut Builder) -> Result<()> {
        if let Err(error) = self.refresh_report_facts(builder.rules()) {
            // Only slower: a ticket without fresh kept figures is worked out from its events.
            tracing::warn!(%error, "the report's kept figures were not brought up to date");
        }
        let since = to_millis(builder.reaches_back_to());
        let fingerprint = super::report_facts::fingerprint(builder.rules());
        self.read(|| {
            self.report_tickets(since, &fingerprint, builder)?;
            self.report_ratings(since, builder)?;
            self.report_surveys(since, builder)
        })
    }

    /// Two small index reads (changed since, not solved) rather than a scan of every ticket,
    /// unless the period reaches back to the first ticket.
    fn report_tickets(&self, since: i64, fingerprint: &str, builder: &mut Builder) -> Result<()> {
        // Kept figures count only when worked out under these rules, for the ticket's priority
        // and tier as they are now, and not marked stale since.
        let usable: bool = self.conn.query_row(
            "SELECT fingerprint = ?1 FROM report_facts_state WHERE id = 1",
            [fingerprint],
            |r| r.get(0),
        )?;
        let columns = group_columns(builder.request().by);
        // Reaching back to the desk's first ticket, every ticket is read: in one pass over the
        // table rather than through a temporary b-tree of every id (which spills at a million).
        let whole = self.first_ticket_at()?.is_none_or(|first| to_millis(first) >= since);
        let picked = if whole {
            // `+`: no index for the terms, so SQLite does not gather the ids to sort them again.
            "(+t.updated_at >= ?1 OR +t.status NOT IN ('solved', 'closed'))"
        } else {
            "t.id IN (SELECT id FROM tickets WHERE updated_at >= ?1
                      UNION SELECT id FROM tickets WHERE status NOT IN ('solved', 'closed'))"
        };
        let now = builder.rules().now;
        let mut tickets = self.conn.prepare(&format!(
            "SELECT t.id, t.created_at, EXISTS (SELECT 1 FROM ticket_follow_ups f WHERE f.ticket_id = t.id), {columns},
                    k.priority, k.tier, k.facts, EXISTS (SELECT 1 FROM report_stale s WHERE s.ticket_id = t.id)
             FROM {FROM_TICKETS} {WITH_ORGANIZATION} LEFT JOIN ticket_report_facts k ON k.ticket_id = t.id
             WHERE {picked}
             ORDER BY t.id"
        ))?;
        let mut rows = tickets.query([since])?;
        let mut chunk = Chunk::default();
        while let Some(row) = rows.next()? {
            let (id, follows, groups) = (row.get(0)?, row.get(2)?, groups(row, 3)?);
            let text = |i| row.get_ref(i).ok().and_then(|v| v.as_str_or_null().ok().flatten());
            let fits = usable && !row.get::<_, bool>(13)? && text(10) == text(8) && text(11) == text(4);
            let blob = if fits { row.get_ref(12)?.as_blob_or_null().ok().flatten() } else { None };
            // A kept summary of a ticket not solved holds from its last event on.
            let kept = blob.and_then(super::report_facts::decode).and_then(|s| s.at(now));
            match kept {
                Some(summary) => chunk.order.push(Some((id, groups, follows, summary))),
                None => {
                    let timeline = Timeline { created_at: time(row, 1)?, statuses: Vec::new(), messages: Vec::new() };
                    chunk.records.push(TicketRecord { id, follows, groups, timeline });
                    chunk.order.push(None);
                }
            }
            if chunk.order.len() == CHUNK {
                self.report_chunk(&mut chunk, builder)?;
            }
        }
        self.report_chunk(&mut chunk, builder)
    }

    /// Count each ticket of the chunk, in id order: from its kept summary, or from its timeline
    /// read now; then empty the chunk.
    fn report_chunk(&self, chunk: &mut Chunk, builder: &mut Builder) -> Result<()> {
        self.fill_timelines(&mut chunk.records)?;
        let mut records = chunk.records.drain(..);
        for entry in chunk.order.drain(..) {
            match entry {
                Some((id, groups, follows, summary)) => builder.add_summary(id, &groups, follows, &summary),
                None => {
                    if let Some(record) = records.next() {
                        builder.add_ticket(&record);
                    }
                }
            }
        }
        Ok(())
    }

    /// The tickets `condition` (over `t`, with `params`) picks, as a report reads them, in id
    /// order, with empty timelines for [`Store::fill_timelines`].
    pub(crate) fn report_records(&self, condition: &str, params: &[i64]) -> Result<Vec<TicketRecord>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT t.id, t.created_at, EXISTS (SELECT 1 FROM ticket_follow_ups f WHERE f.ticket_id = t.id), {GROUP_COLUMNS}
             FROM {FROM_TICKETS} {WITH_ORGANIZATION} WHERE {condition} ORDER BY t.id"
        ))?;
        let rows = stmt.query_map(params_from_iter(params), |row| {
            let timeline = Timeline { created_at: time(row, 1)?, statuses: Vec::new(), messages: Vec::new() };
            Ok(TicketRecord { id: row.get(0)?, follows: row.get(2)?, groups: groups(row, 3)?, timeline })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Read the tickets' timelines (as `sla_timelines` does, sorted here rather than by SQLite);
    /// `records` are in id order.
    pub(crate) fn fill_timelines(&self, records: &mut [TicketRecord]) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let marks = vec!["?"; records.len()].join(", ");
        let mut events = self.conn.prepare_cached(&format!(
            "SELECT ticket_id, field, new, created_at FROM events
             WHERE ticket_id IN ({marks}) AND (field = 'status' OR field = 'reply' OR field = 'customer')
             ORDER BY ticket_id, id"
        ))?;
        let mut rows = events.query(params_from_iter(records.iter().map(|t| t.id)))?;
        let mut at = 0;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            // Both are in id order: move along the chunk to this event's ticket.
            while records[at].id != id {
                at += 1;
            }
            let timeline = &mut records[at].timeline;
            let when = time(row, 3)?;
            match row.get_ref(1)?.as_str().unwrap_or_default() {
                "status" => {
                    let new = row.get_ref(2)?.as_str_or_null().ok().flatten();
                    // As stored, lowercase: found without the allocations of `str::parse`.
                    if let Some(status) = new.and_then(|s| Status::ALL.iter().copied().find(|x| x.as_str() == s)) {
                        timeline.statuses.push((when, status));
                    }
                }
                "reply" => timeline.messages.push((when, true)),
                _ => timeline.messages.push((when, false)),
            }
        }
        for record in records.iter_mut() {
            // In the index's order (by id); by time, ties by id, as the clocks read them.
            record.timeline.statuses.sort_by_key(|(at, _)| *at);
            record.timeline.messages.sort_by_key(|(at, _)| *at);
        }
        Ok(())
    }

    fn report_ratings(&self, since: i64, builder: &mut Builder) -> Result<()> {
        let mut nps = self.conn.prepare(
            "SELECT customer_id, score, created_at FROM ratings WHERE kind = 'nps' AND created_at >= ?1 ORDER BY id",
        )?;
        let mut rows = nps.query([since])?;
        while let Some(row) = rows.next()? {
            builder.add_nps(&NpsRecord { customer_id: row.get(0)?, score: row.get(1)?, at: time(row, 2)? });
        }
        let mut csat = self.conn.prepare(&format!(
            "SELECT r.ticket_id, r.score, r.good, r.comment, r.created_at, {GROUP_COLUMNS}
             FROM ratings r JOIN {FROM_TICKETS} AND t.id = r.ticket_id {WITH_ORGANIZATION}
             WHERE r.kind = 'csat' AND r.created_at >= ?1 ORDER BY r.id"
        ))?;
        let mut rows = csat.query([since])?;
        while let Some(row) = rows.next()? {
            builder.add_csat(&CsatRecord {
                ticket_id: row.get(0)?,
                score: row.get(1)?,
                good: row.get(2)?,
                comment: row.get(3)?,
                at: time(row, 4)?,
                groups: groups(row, 5)?,
            });
        }
        Ok(())
    }

    fn report_surveys(&self, since: i64, builder: &mut Builder) -> Result<()> {
        let mut surveys = self.conn.prepare(&format!(
            "SELECT s.ticket_id, s.sent_at,
                    EXISTS (SELECT 1 FROM ratings x WHERE x.ticket_id = s.ticket_id AND x.kind = 'csat'), {GROUP_COLUMNS}
             FROM surveys s JOIN {FROM_TICKETS} AND t.id = s.ticket_id {WITH_ORGANIZATION}
             WHERE s.sent_at >= ?1 ORDER BY s.sent_at"
        ))?;
        let mut rows = surveys.query([since])?;
        while let Some(row) = rows.next()? {
            builder.add_survey(&SurveyRecord {
                ticket_id: row.get(0)?,
                sent_at: time(row, 1)?,
                rated: row.get(2)?,
                groups: groups(row, 3)?,
            });
        }
        Ok(())
    }
}

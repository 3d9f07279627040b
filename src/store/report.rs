//! What a report reads: the tickets that can count in its periods, each with its timeline, then
//! the ratings and surveys of those periods; streamed into the report's builder a chunk of
//! tickets at a time, so the desk's events are never all in memory at once.

use super::report_tiers::CustomerTiers;
use super::rows::{named, split_tags, time};
use super::{to_millis, Result, Store};
use crate::domain::report::{
    Builder, CsatRecord, Dimension, NpsRecord, SurveyRecord, TicketGroups, TicketRecord, TicketSummary,
};
use crate::domain::sla::Timeline;
use crate::domain::{Channel, Priority, Status, Tier, Timestamp};
use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::{params_from_iter, OptionalExtension, Row, Rows};

/// Tickets whose events are read per query.
const CHUNK: usize = 500;

/// The grouping columns, over `tickets t JOIN customers c LEFT JOIN organizations o`.
const GROUP_COLUMNS: &str = "t.assignee, c.tier, o.name,
    COALESCE((SELECT group_concat(g.tag, ' ') FROM ticket_tags g WHERE g.ticket_id = t.id), ''),
    t.channel, t.priority, (SELECT m.mailbox FROM ticket_mailboxes m WHERE m.ticket_id = t.id)";

/// [`GROUP_COLUMNS`] with only what grouping `by` reads: the tags, the mailbox and the
/// organization cost a lookup per ticket, and a report of the whole desk needs none of them (nor
/// the assignee's name). With `tier_by_customer`, the tier's column holds the customer's id, for
/// [`CustomerTiers`], and the customers' table is not joined.
fn group_columns(by: Option<Dimension>, tier_by_customer: bool) -> String {
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
    let assignee = if by == Some(Dimension::Agent) { "t.assignee" } else { "NULL" };
    let tier = if tier_by_customer { "t.customer_id" } else { "c.tier" };
    format!("{assignee}, {tier}, {organization}, {tags}, t.channel, t.priority, {mailbox}")
}

const FROM_TICKETS: &str = "tickets t JOIN customers c ON c.id = t.customer_id";
const WITH_ORGANIZATION: &str = "LEFT JOIN organizations o ON o.id = c.organization_id";

fn groups(row: &Row, at: usize) -> rusqlite::Result<TicketGroups> {
    Ok(TicketGroups {
        assignee: row.get(at)?,
        tier: named(row, at + 1)?,
        organization: row.get(at + 2)?,
        tags: split_tags(row.get(at + 3)?),
        channel: stored(row, at + 4, Channel::ALL, |c| c.as_str())?,
        priority: stored(row, at + 5, Priority::ALL, |p| p.as_str())?,
        mailbox: row.get(at + 6)?,
    })
}

/// [`groups`] of a row of [`group_columns`]: with `tiers`, the tier's column is the customer's
/// id, looked up there; `None` for a ticket without a customer (which the join leaves out).
fn groups_of(row: &Row, at: usize, tiers: Option<&CustomerTiers>) -> rusqlite::Result<Option<TicketGroups>> {
    let Some(tiers) = tiers else { return groups(row, at).map(Some) };
    let Some(tier) = tiers.get(row.get(at + 1)?) else { return Ok(None) };
    Ok(Some(TicketGroups {
        assignee: row.get(at)?,
        tier,
        organization: row.get(at + 2)?,
        tags: split_tags(row.get(at + 3)?),
        channel: stored(row, at + 4, Channel::ALL, |c| c.as_str())?,
        priority: stored(row, at + 5, Priority::ALL, |p| p.as_str())?,
        mailbox: row.get(at + 6)?,
    }))
}

/// An enum as stored (its lowercase name), found without the allocations of `str::parse`
/// (which still reads any other spelling).
fn stored<T: Copy + std::str::FromStr>(
    row: &Row,
    at: usize,
    all: &[T],
    name: impl Fn(T) -> &'static str,
) -> rusqlite::Result<T> {
    let text = row.get_ref(at)?.as_str()?;
    all.iter().copied().find(|v| name(*v) == text).map_or_else(|| named(row, at), Ok)
}

/// How a report reads what it groups tickets by: [`group_columns`], and the customers' tiers when
/// they are looked up in memory rather than joined.
struct Grouping {
    columns: String,
    tiers: Option<CustomerTiers>,
    /// Grouped by nothing: a rating or a survey is counted without its ticket's groups.
    desk_only: bool,
}

impl Grouping {
    /// The groups of a row whose [`group_columns`] start at `at` (none when `desk_only`).
    fn of(&self, row: &Row, at: usize) -> rusqlite::Result<Option<TicketGroups>> {
        if self.desk_only {
            return Ok(Some(desk_groups()));
        }
        groups_of(row, at, self.tiers.as_ref())
    }

    /// The tables a query reads: `alone` when the tiers are in memory, else `before` the tickets
    /// joined with their customers and organizations, and `on` the join's own condition.
    fn joined(&self, alone: &str, before: &str, on: &str) -> String {
        match self.tiers {
            Some(_) => alone.to_string(),
            None => format!("{before} {FROM_TICKETS} {on} {WITH_ORGANIZATION}"),
        }
    }
}

/// Tickets read for a report, counted a chunk at a time in id order (as the tickets of a
/// report's `--tickets` lists come): each from its kept summary (`Some`), or the next of
/// `records`, whose timelines are read for the chunk at once.
#[derive(Default)]
struct Chunk {
    order: Vec<Option<(i64, TicketGroups, bool, TicketSummary)>>,
    records: Vec<TicketRecord>,
}

impl Chunk {
    /// Add the ticket of `row` to the chunk: from its kept `summary`, or to be read from its events.
    fn push(&mut self, row: &Row, id: i64, groups: TicketGroups, summary: Option<TicketSummary>) -> Result<()> {
        let follows = row.get(2)?;
        match summary {
            Some(summary) => self.order.push(Some((id, groups, follows, summary))),
            None => {
                let timeline = Timeline { created_at: time(row, 1)?, statuses: Vec::new(), messages: Vec::new() };
                self.records.push(TicketRecord { id, follows, groups, timeline });
                self.order.push(None);
            }
        }
        Ok(())
    }
}

/// A ticket's kept row: the priority and tier it was worked out for, and its summary.
struct KeptColumns<'r> {
    priority: Option<&'r str>,
    tier: Option<&'r str>,
    facts: Option<&'r [u8]>,
}

impl<'r> KeptColumns<'r> {
    /// The three columns from `at` on.
    fn of(row: &'r Row, at: usize) -> Result<KeptColumns<'r>> {
        let text = |i| row.get_ref(i).ok().and_then(|v| v.as_str_or_null().ok().flatten());
        let facts = row.get_ref(at + 2)?.as_blob_or_null().ok().flatten();
        Ok(KeptColumns { priority: text(at), tier: text(at + 1), facts })
    }

    /// Read the summary into `out` as of `now`, when it was worked out for the ticket's priority and tier as
    /// they are now and holds at `now` (a kept summary of a ticket not solved holds from its last
    /// event on); `false` to work the ticket out from its events.
    fn read_into(&self, groups: &TicketGroups, now: Timestamp, out: &mut TicketSummary) -> bool {
        self.priority == Some(groups.priority.as_str())
            && self.tier == Some(groups.tier.as_str())
            && self.facts.is_some_and(|bytes| super::report_facts::decode_into(bytes, out))
            && out.hold_at(now)
    }
}

/// The kept rows of the tickets whose figures count at `?1` or later (see [`Store::report_kept_tickets`]).
const KEPT_ROWS_SINCE: &str =
    "SELECT ticket_id, priority, tier, follows, facts FROM ticket_report_facts WHERE last_at >= ?1";

/// The NPS answers given at `?1` or later.
const NPS_SINCE: &str =
    "SELECT customer_id, score, created_at FROM ratings WHERE kind = 'nps' AND created_at >= ?1 ORDER BY id";

/// The CSAT ratings given at `?1` or later, for a report grouped by nothing. A rating's ticket is
/// there while its number is (`ON DELETE SET NULL`).
const CSAT_SINCE: &str = "SELECT r.ticket_id, r.score, r.good, r.comment, r.created_at FROM ratings r
     WHERE r.kind = 'csat' AND r.created_at >= ?1 AND r.ticket_id IS NOT NULL ORDER BY r.id";

/// Whether a report grouped `by` this reads nothing of a ticket but its kept row: the row holds
/// the priority and the tier (as they are: a change of either marks the ticket stale).
fn kept_rows_group(by: Option<Dimension>) -> bool {
    matches!(by, None | Some(Dimension::Tier) | Some(Dimension::Priority))
}

/// The groups of a kept row (`ticket_id, priority, tier, …`): its priority and tier, and nothing
/// of what [`kept_rows_group`] does not group by.
fn kept_groups(row: &Row) -> rusqlite::Result<TicketGroups> {
    Ok(TicketGroups {
        tier: stored(row, 2, Tier::ALL, |t| t.as_str())?,
        priority: stored(row, 1, Priority::ALL, |p| p.as_str())?,
        ..desk_groups()
    })
}

/// Kept rows sent from the reading thread to the counting one at a time.
const KEPT_BATCH: usize = 2_048;

/// Kept rows read, their summaries' bytes one after another.
#[derive(Default)]
struct KeptBatch {
    rows: Vec<KeptTicket>,
    bytes: Vec<u8>,
}

struct KeptTicket {
    id: i64,
    groups: TicketGroups,
    follows: bool,
    /// Where its summary is in the batch's bytes (`None`: no summary).
    facts: Option<std::ops::Range<usize>>,
}

/// Count the tickets of each batch from their summaries; returns the tickets whose summaries do
/// not read or do not hold at the report's moment, to be worked out from their events.
fn count_kept(batches: std::sync::mpsc::Receiver<KeptBatch>, builder: &mut Builder) -> Vec<i64> {
    let now = builder.rules().now;
    let (mut summary, mut last_day) = (super::report_facts::empty_summary(), None);
    let mut unheld = Vec::new();
    for batch in batches {
        for t in &batch.rows {
            let bytes = t.facts.clone().map(|range| &batch.bytes[range]);
            if bytes.is_some_and(|bytes| super::report_facts::decode_near(bytes, &mut summary, &mut last_day))
                && summary.hold_at(now)
            {
                builder.add_summary(t.id, &t.groups, t.follows, &summary);
            } else {
                unheld.push(t.id);
            }
        }
    }
    unheld
}

/// The groups of what a report grouped by nothing counts: none is read, and these stand in for
/// what is not grouped by.
fn desk_groups() -> TicketGroups {
    TicketGroups {
        assignee: None,
        tier: Tier::Standard,
        organization: None,
        tags: Vec::new(),
        channel: Channel::Email,
        priority: Priority::Normal,
        mailbox: None,
    }
}

/// Move `kept` (kept rows in ticket order) on to ticket `id`'s row, if it has one.
fn seek<'a, 's>(kept: &'a mut Rows<'s>, id: i64) -> rusqlite::Result<Option<&'a Row<'s>>> {
    while let Some(row) = kept.get() {
        if row.get::<_, i64>(0)? >= id {
            break;
        }
        kept.advance()?;
    }
    let kept: &'a Rows<'s> = kept;
    Ok(kept.get().filter(|row| row.get::<_, i64>(0).is_ok_and(|at| at == id)))
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
            let by = builder.request().by;
            // The organization's name needs the customers' table joined anyway, and grouped by
            // nothing no tier is read.
            let tiers = match by {
                None | Some(Dimension::Organization) => None,
                _ => self.customer_tiers()?,
            };
            let grouping = Grouping { columns: group_columns(by, tiers.is_some()), tiers, desk_only: by.is_none() };
            self.report_tickets(since, &fingerprint, &grouping, builder)?;
            self.report_ratings(since, &grouping, builder)?;
            self.report_surveys(since, &grouping, builder)
        })
    }

    /// Two small index reads (changed since, not solved) rather than a scan of every ticket,
    /// unless the period reaches back to the first ticket.
    fn report_tickets(&self, since: i64, fingerprint: &str, grouping: &Grouping, builder: &mut Builder) -> Result<()> {
        // Kept figures count only when worked out under these rules, for the ticket's priority
        // and tier as they are now, and not marked stale since.
        let usable: bool = self.conn.query_row(
            "SELECT fingerprint = ?1 FROM report_facts_state WHERE id = 1",
            [fingerprint],
            |r| r.get(0),
        )?;
        if usable && kept_rows_group(builder.request().by) {
            return self.report_kept_tickets(since, builder);
        }
        // Reaching back to the desk's first ticket, every ticket is read: in one pass over the
        // table rather than through a temporary b-tree of every id (which spills at a million),
        // and every kept row in one pass beside it rather than looked up ticket by ticket. Both
        // ways pick the same tickets, so the lowest id's creation is enough to choose (the
        // earliest creation is a scan of every ticket).
        let lowest: Option<i64> =
            self.conn.query_row("SELECT created_at FROM tickets ORDER BY id LIMIT 1", [], |r| r.get(0)).optional()?;
        let whole = lowest.is_none_or(|first| first >= since);
        let mut tickets = self.conn.prepare(&self.report_tickets_sql(grouping, whole)?)?;
        let mut kept_rows = self
            .conn
            .prepare("SELECT ticket_id, priority, tier, facts FROM ticket_report_facts WHERE ?1 ORDER BY ticket_id")?;
        let mut kept_rows = kept_rows.query([whole])?;
        kept_rows.advance()?;
        let mut rows = tickets.query([since])?;
        let mut chunk = Chunk::default();
        let now = builder.rules().now;
        // One summary's room for every kept one read: a million of them are read in turn.
        let mut summary = super::report_facts::empty_summary();
        while let Some(row) = rows.next()? {
            let Some(groups) = groups_of(row, 3, grouping.tiers.as_ref())? else { continue };
            let id = row.get(0)?;
            let kept = if whole {
                seek(&mut kept_rows, id)?.map(|k| KeptColumns::of(k, 1)).transpose()?
            } else {
                Some(KeptColumns::of(row, 11)?)
            };
            let fits = usable && !row.get::<_, bool>(10)?;
            let read = fits && kept.is_some_and(|k| k.read_into(&groups, now, &mut summary));
            if read && chunk.order.is_empty() {
                // Nothing before it waits for its events: counted now, in id order still.
                builder.add_summary(id, &groups, row.get(2)?, &summary);
                continue;
            }
            chunk.push(row, id, groups, read.then(|| summary.clone()))?;
            if chunk.order.len() == CHUNK {
                self.report_chunk(&mut chunk, builder)?;
            }
        }
        self.report_chunk(&mut chunk, builder)
    }

    /// How SQLite reads what a report grouped by nothing reads besides its stale tickets: the
    /// kept rows, the NPS answers, the CSAT ratings (`EXPLAIN QUERY PLAN`, one list each): for
    /// the test that holds each to a range of its index.
    #[doc(hidden)]
    pub fn report_plans(&self) -> Result<Vec<Vec<String>>> {
        [KEPT_ROWS_SINCE, NPS_SINCE, CSAT_SINCE].iter().map(|sql| self.query_plan(sql, [0])).collect()
    }

    /// Count every ticket from its kept row when its figures count at `since` or later: one range
    /// of `report_facts_by_time`, and no other table, as a kept row holds all a report grouped
    /// by nothing, the tier or the priority reads of its ticket; read on this thread, counted
    /// on another. Rows come in the order of their last moment; the builder puts the ticket
    /// numbers behind each figure back in order. The tickets a writer marked stale after the
    /// refresh, and any whose row does not hold `now`, are then counted from their events.
    fn report_kept_tickets(&self, since: i64, builder: &mut Builder) -> Result<()> {
        let stale: std::collections::HashSet<i64> = {
            let mut stmt = self.conn.prepare("SELECT ticket_id FROM report_stale")?;
            let ids = stmt.query_map([], |r| r.get(0))?;
            ids.collect::<rusqlite::Result<_>>()?
        };
        let mut again: Vec<i64> = stale.iter().copied().collect();
        let mut kept = self.conn.prepare(KEPT_ROWS_SINCE)?;
        let mut rows = kept.query([since])?;
        // This thread reads the rows and another decodes and counts them, a few batches apart:
        // at a million tickets counting takes about three times as long as reading.
        let (sender, batches) = std::sync::mpsc::sync_channel::<KeptBatch>(4);
        let (read, unheld) = std::thread::scope(|scope| {
            let counter = scope.spawn(|| count_kept(batches, builder));
            let read = (move || -> Result<()> {
                let mut batch = KeptBatch::default();
                while let Some(row) = rows.next()? {
                    let id: i64 = row.get(0)?;
                    if stale.contains(&id) {
                        continue;
                    }
                    let facts = row.get_ref(4)?.as_blob_or_null().ok().flatten();
                    let from = batch.bytes.len();
                    batch.bytes.extend_from_slice(facts.unwrap_or_default());
                    let facts = facts.map(|_| from..batch.bytes.len());
                    batch.rows.push(KeptTicket { id, groups: kept_groups(row)?, follows: row.get(3)?, facts });
                    // The counter is gone only if it panicked: the join below says so.
                    if batch.rows.len() == KEPT_BATCH && sender.send(std::mem::take(&mut batch)).is_err() {
                        break;
                    }
                }
                let _ = sender.send(batch);
                Ok(())
            })();
            let unheld = counter.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (read, unheld)
        });
        read?;
        again.extend(unheld);
        again.sort_unstable();
        for ids in again.chunks(CHUNK) {
            let marks = vec!["?"; ids.len()].join(", ");
            let mut records = self.report_records(&format!("t.id IN ({marks})"), ids)?;
            self.fill_timelines(&mut records)?;
            for record in &records {
                builder.add_ticket(record);
            }
        }
        Ok(())
    }

    /// The tickets a report reads: their id, creation, whether they follow up, [`group_columns`],
    /// whether they are stale, and (not `whole`) their kept rows' priority, tier and summary.
    fn report_tickets_sql(&self, grouping: &Grouping, whole: bool) -> Result<String> {
        let (columns, from) = (&grouping.columns, grouping.joined("tickets t", "", ""));
        // Nothing is stale after the refresh unless a writer came between it and this snapshot.
        let any_stale: bool = self.conn.query_row("SELECT EXISTS (SELECT 1 FROM report_stale)", [], |r| r.get(0))?;
        let stale = if any_stale { "EXISTS (SELECT 1 FROM report_stale s WHERE s.ticket_id = t.id)" } else { "0" };
        let (kept, picked) = if whole {
            // `+`: no index for the terms, so SQLite does not gather the ids to sort them again.
            ("", "(+t.updated_at >= ?1 OR +t.status NOT IN ('solved', 'closed'))")
        } else {
            (
                "LEFT JOIN ticket_report_facts k ON k.ticket_id = t.id",
                "t.id IN (SELECT id FROM tickets WHERE updated_at >= ?1
                          UNION SELECT id FROM tickets WHERE status NOT IN ('solved', 'closed'))",
            )
        };
        let kept_columns = if whole { "" } else { ", k.priority, k.tier, k.facts" };
        Ok(format!(
            "SELECT t.id, t.created_at, EXISTS (SELECT 1 FROM ticket_follow_ups f WHERE f.ticket_id = t.id), {columns},
                    {stale} {kept_columns}
             FROM {from} {kept} WHERE {picked} ORDER BY t.id"
        ))
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

    fn report_ratings(&self, since: i64, grouping: &Grouping, builder: &mut Builder) -> Result<()> {
        let mut nps = self.conn.prepare(NPS_SINCE)?;
        let mut rows = nps.query([since])?;
        while let Some(row) = rows.next()? {
            builder.add_nps(&NpsRecord { customer_id: row.get(0)?, score: row.get(1)?, at: time(row, 2)? });
        }
        let sql = if grouping.desk_only {
            CSAT_SINCE.to_string()
        } else {
            let from = grouping.joined(
                "ratings r JOIN tickets t ON t.id = r.ticket_id",
                "ratings r JOIN",
                "AND t.id = r.ticket_id",
            );
            format!(
                "SELECT r.ticket_id, r.score, r.good, r.comment, r.created_at, {}
                 FROM {from} WHERE r.kind = 'csat' AND r.created_at >= ?1 ORDER BY r.id",
                grouping.columns
            )
        };
        let mut csat = self.conn.prepare(&sql)?;
        let mut rows = csat.query([since])?;
        while let Some(row) = rows.next()? {
            let Some(groups) = grouping.of(row, 5)? else { continue };
            builder.add_csat(&CsatRecord {
                ticket_id: row.get(0)?,
                score: row.get(1)?,
                good: row.get(2)?,
                comment: row.get(3)?,
                at: time(row, 4)?,
                groups,
            });
        }
        Ok(())
    }

    fn report_surveys(&self, since: i64, grouping: &Grouping, builder: &mut Builder) -> Result<()> {
        let (columns, from) = if grouping.desk_only {
            (String::new(), "surveys s".to_string())
        } else {
            let from = grouping.joined(
                "surveys s JOIN tickets t ON t.id = s.ticket_id",
                "surveys s JOIN",
                "AND t.id = s.ticket_id",
            );
            (format!(", {}", grouping.columns), from)
        };
        let mut surveys = self.conn.prepare(&format!(
            "SELECT s.ticket_id, s.sent_at,
                    EXISTS (SELECT 1 FROM ratings x WHERE x.ticket_id = s.ticket_id AND x.kind = 'csat') {columns}
             FROM {from} WHERE s.sent_at >= ?1 ORDER BY s.sent_at"
        ))?;
        let mut rows = surveys.query([since])?;
        while let Some(row) = rows.next()? {
            let Some(groups) = grouping.of(row, 3)? else { continue };
            builder.add_survey(&SurveyRecord {
                ticket_id: row.get(0)?,
                sent_at: time(row, 1)?,
                rated: row.get(2)?,
                groups,
            });
        }
        Ok(())
    }
}

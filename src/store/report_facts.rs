//! Each ticket's report figures, kept (`ticket_report_facts`) so that a report does not read its
//! events and time its clocks again; of a ticket not solved, up to its last event, with the moments
//! its running clocks run out. Kept exact without a scan: every change that can alter a ticket's
//! figures (its clock events, status, priority, creation, customer, the customer's tier) puts the
//! ticket in `report_stale` by trigger, in the same transaction; a report first works those again
//! from their events, with the same code as it counts an unkept ticket, and never uses a row that
//! is stale, of another priority or tier, or of another SLA configuration (`report_facts_state`
//! holds the fingerprint of the rules the rows were worked out with).

use super::{Result, Store};
use crate::domain::report::{kept_summary, Measure, Outcome, Rules, Running, TicketFacts, TicketSummary};
use crate::domain::sla::{ClockKind, Timeline};
use crate::domain::{Status, Timestamp};
use rusqlite::{params, params_from_iter};
use sha2::{Digest, Sha256};

/// The `last_at` of a ticket neither solved nor closed: it counts in a report of any period.
pub(crate) const RUNNING: i64 = i64::MAX;

/// Stale tickets worked again per transaction: a writer waits for one batch at most.
const BATCH: usize = 500;

/// Bumped whenever what a summary holds or how it is worked out changes: the kept rows of an
/// older binary are then worked out again, never read as they are.
const SUMMARY_FORMAT: &str = "report summary 2";

/// What `frontdesk check` finds of the kept figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FactsDrift {
    /// Rows that differ from what the tickets' events give (or that cannot be read, or that
    /// belong to a ticket that no longer exists), not marked stale.
    pub wrong: usize,
    /// Tickets with neither a row nor a stale mark (correct but slow to report).
    pub missing: usize,
}

/// The fingerprint of the rules a summary depends on: the SLA policies and the default hours.
pub(crate) fn fingerprint(rules: &Rules) -> String {
    let text = format!("{SUMMARY_FORMAT}\n{:?}\n{:?}", rules.policies, rules.default_hours);
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Work out again every stale ticket's figures (all of them when the rules changed), in
    /// batches of their own transactions, so a report after it reads the kept rows. Returns how
    /// many tickets were worked out.
    pub fn refresh_report_facts(&self, rules: &Rules) -> Result<usize> {
        let wanted = fingerprint(rules);
        let kept: String =
            self.conn.query_row("SELECT fingerprint FROM report_facts_state WHERE id = 1", [], |r| r.get(0))?;
        if kept != wanted {
            self.forget_report_facts(&wanted)?;
        }
        let mut done = 0;
        loop {
            let n = self.write(|_| self.refresh_batch(rules, &wanted))?;
            if n == 0 {
                return Ok(done);
            }
            done += n;
        }
    }

    /// Drop every kept row and mark every ticket stale, under the new rules.
    fn forget_report_facts(&self, fingerprint: &str) -> Result<()> {
        self.write(|conn| {
            conn.execute_batch(
                "DELETE FROM ticket_report_facts;
                 INSERT OR IGNORE INTO report_stale (ticket_id) SELECT id FROM tickets;",
            )?;
            conn.execute("UPDATE report_facts_state SET fingerprint = ?1 WHERE id = 1", [fingerprint])?;
            Ok(())
        })
    }

    /// `frontdesk check --repair`: work every ticket's figures out again from its events.
    pub fn rebuild_report_facts(&self, rules: &Rules) -> Result<usize> {
        self.forget_report_facts(&fingerprint(rules))?;
        self.refresh_report_facts(rules)
    }

    /// One batch of stale tickets, inside a write: each kept again, as of now or its last event.
    fn refresh_batch(&self, rules: &Rules, fingerprint: &str) -> Result<usize> {
        // Another process with other rules may have taken the desk over meanwhile: leave it be.
        let kept: String =
            self.conn.query_row("SELECT fingerprint FROM report_facts_state WHERE id = 1", [], |r| r.get(0))?;
        if kept != fingerprint {
            return Ok(0);
        }
        let ids: Vec<i64> = {
            let mut stmt =
                self.conn.prepare_cached("SELECT ticket_id FROM report_stale ORDER BY ticket_id LIMIT ?1")?;
            let rows = stmt.query_map([BATCH as i64], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        if ids.is_empty() {
            return Ok(0);
        }
        let marks = vec!["?"; ids.len()].join(", ");
        let mut records = self.report_records(&format!("t.id IN ({marks})"), &ids)?;
        self.fill_timelines(&mut records)?;
        self.conn.execute(
            &format!("DELETE FROM ticket_report_facts WHERE ticket_id IN ({marks})"),
            params_from_iter(&ids),
        )?;
        let mut insert = self.conn.prepare_cached(
            "INSERT INTO ticket_report_facts (ticket_id, priority, tier, follows, last_at, facts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for r in &records {
            let summary = kept_summary(r, rules);
            let last_at = summary.last_counted_at().map_or(RUNNING, super::to_millis);
            let (priority, tier) = (r.groups.priority.as_str(), r.groups.tier.as_str());
            insert.execute(params![r.id, priority, tier, r.follows, last_at, encode(&summary)])?;
        }
        self.conn.execute(&format!("DELETE FROM report_stale WHERE ticket_id IN ({marks})"), params_from_iter(&ids))?;
        Ok(ids.len())
    }

    /// Kept rows that differ from their tickets' events, and tickets with no row.
    /// Nothing is kept under other rules than `rules` (the next report works them all out again).
    pub fn report_facts_drift(&self, rules: &Rules) -> Result<FactsDrift> {
        self.read(|| {
            let kept: String =
                self.conn.query_row("SELECT fingerprint FROM report_facts_state WHERE id = 1", [], |r| r.get(0))?;
            if kept != fingerprint(rules) {
                return Ok(FactsDrift::default());
            }
            let missing = self.conn.query_row(
                "SELECT count(*) FROM tickets t WHERE t.id NOT IN (SELECT ticket_id FROM ticket_report_facts)
                   AND t.id NOT IN (SELECT ticket_id FROM report_stale)",
                [],
                |r| r.get::<_, i64>(0),
            )? as usize;
            let mut drift = FactsDrift { wrong: 0, missing };
            let mut stmt = self.conn.prepare(
                "SELECT f.ticket_id, f.priority, f.tier, f.follows, f.last_at, f.facts FROM ticket_report_facts f
                 WHERE f.ticket_id NOT IN (SELECT ticket_id FROM report_stale) ORDER BY f.ticket_id",
            )?;
            let mut rows = stmt.query([])?;
            let mut chunk: Vec<KeptRow> = Vec::with_capacity(BATCH);
            while let Some(row) = rows.next()? {
                chunk.push(KeptRow {
                    id: row.get(0)?,
                    priority: row.get(1)?,
                    tier: row.get(2)?,
                    follows: row.get(3)?,
                    last_at: row.get(4)?,
                    facts: row.get(5)?,
                });
                if chunk.len() == BATCH {
                    drift.wrong += self.wrong_rows(&chunk, rules)?;
                    chunk.clear();
                }
            }
            drift.wrong += self.wrong_rows(&chunk, rules)?;
            Ok(drift)
        })
    }

    /// How many of `rows` differ from what their tickets' events give (a ticket not solved as of
    /// the moment its row was worked out for).
    fn wrong_rows(&self, rows: &[KeptRow], rules: &Rules) -> Result<usize> {
        if rows.is_empty() {
            return Ok(0);
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut records = self.report_records(&format!("t.id IN ({})", vec!["?"; ids.len()].join(", ")), &ids)?;
        self.fill_timelines(&mut records)?;
        let mut wrong = 0;
        for row in rows {
            let fresh = records.iter().find(|r| r.id == row.id);
            let kept = decode(&row.facts);
            let as_of = kept.as_ref().and_then(|k| k.running.as_ref()).map_or(rules.now, |r| r.as_of);
            let then = Rules { policies: rules.policies, default_hours: rules.default_hours, now: as_of };
            let right = fresh.zip(kept).is_some_and(|(r, kept)| {
                let last_at = kept.last_counted_at().map_or(RUNNING, super::to_millis);
                r.groups.priority.as_str() == row.priority
                    && r.groups.tier.as_str() == row.tier
                    && r.follows == row.follows
                    && last_at == row.last_at
                    && kept == kept_summary(r, &then)
            });
            wrong += usize::from(!right);
        }
        Ok(wrong)
    }

    /// Spoil one kept row, for the tests of `frontdesk check` (as a bad disk or a bug would).
    pub fn spoil_report_facts(&self, ticket_id: i64) -> Result<bool> {
        self.write(|conn| {
            Ok(conn.execute("UPDATE ticket_report_facts SET facts = x'01' WHERE ticket_id = ?1", [ticket_id])? == 1)
        })
    }

    /// Tickets kept and tickets stale now (tests, benchmarks).
    pub fn report_facts_kept(&self) -> Result<(i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM ticket_report_facts), (SELECT count(*) FROM report_stale)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }
}

/// A kept row as `frontdesk check` reads it.
struct KeptRow {
    id: i64,
    priority: String,
    tier: String,
    follows: bool,
    last_at: i64,
    facts: Vec<u8>,
}

/// `v` as a zigzag LEB128 integer.
fn put_int(out: &mut Vec<u8>, v: i64) {
    let mut z = ((v << 1) ^ (v >> 63)) as u64;
    loop {
        let byte = (z & 0x7f) as u8;
        z >>= 7;
        if z == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
}

/// A summary as a few dozen bytes: a format byte (1 settled, 2 with running clocks), then zigzag
/// LEB128 integers (times in Unix milliseconds, durations in seconds), lists led by their length.
pub(crate) fn encode(s: &TicketSummary) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    out.push(if s.running.is_some() { 2 } else { 1 });
    let f = &s.facts;
    let t = &s.timeline;
    let time = |out: &mut Vec<u8>, at: Timestamp| put_int(out, at.timestamp_millis());
    let measure = |out: &mut Vec<u8>, m: &Option<Measure>| match m {
        None => put_int(out, 0),
        Some(m) => {
            put_int(out, 1);
            time(out, m.at);
            put_int(out, m.seconds);
        }
    };
    time(&mut out, t.created_at);
    measure(&mut out, &f.first_response);
    put_int(&mut out, f.next_responses.len() as i64);
    for m in &f.next_responses {
        measure(&mut out, &Some(*m));
    }
    measure(&mut out, &f.resolution);
    measure(&mut out, &f.customer_wait);
    put_int(&mut out, f.outcomes.len() as i64);
    for o in &f.outcomes {
        put_int(&mut out, kind_code(o.kind));
        time(&mut out, o.at);
        put_int(&mut out, i64::from(o.breached));
    }
    put_int(&mut out, f.breaching_now.len() as i64);
    for k in &f.breaching_now {
        put_int(&mut out, kind_code(*k));
    }
    put_int(&mut out, f.reopens.len() as i64);
    for at in &f.reopens {
        time(&mut out, *at);
    }
    put_int(&mut out, f.replies_before_solve as i64);
    put_int(&mut out, i64::from(f.reopened_before_solve));
    put_int(&mut out, t.statuses.len() as i64);
    for (at, status) in &t.statuses {
        time(&mut out, *at);
        put_int(&mut out, Status::ALL.iter().position(|s| s == status).unwrap_or(0) as i64);
    }
    put_int(&mut out, t.messages.len() as i64);
    for (at, reply) in &t.messages {
        time(&mut out, *at);
        put_int(&mut out, i64::from(*reply));
    }
    if let Some(running) = &s.running {
        time(&mut out, running.as_of);
        put_int(&mut out, running.breaches.len() as i64);
        for (kind, at) in &running.breaches {
            put_int(&mut out, kind_code(*kind));
            time(&mut out, *at);
        }
    }
    out
}

fn kind_code(kind: ClockKind) -> i64 {
    match kind {
        ClockKind::FirstResponse => 0,
        ClockKind::NextResponse => 1,
        ClockKind::Resolution => 2,
    }
}

/// The summary [`encode`] wrote; `None` for bytes it did not write (then worked out again).
pub(crate) fn decode(bytes: &[u8]) -> Option<TicketSummary> {
    let mut summary = empty_summary();
    decode_into(bytes, &mut summary).then_some(summary)
}

/// A summary of nothing, for [`decode_into`] to fill.
pub(crate) fn empty_summary() -> TicketSummary {
    let facts = TicketFacts {
        first_response: None,
        next_responses: Vec::new(),
        resolution: None,
        customer_wait: None,
        outcomes: Vec::new(),
        breaching_now: Vec::new(),
        reopens: Vec::new(),
        replies_before_solve: 0,
        reopened_before_solve: false,
    };
    let timeline = Timeline { created_at: Timestamp::default(), statuses: Vec::new(), messages: Vec::new() };
    TicketSummary { facts, timeline, running: None }
}

/// [`decode`] into `out`, reusing its lists' room (a report reads a million of them); `false`
/// for bytes [`encode`] did not write, and `out` is then of no use.
pub(crate) fn decode_into(bytes: &[u8], out: &mut TicketSummary) -> bool {
    decode_near(bytes, out, &mut None)
}

/// The last day a time read fell on, and its date.
pub(crate) type LastDay = Option<(i64, chrono::NaiveDate)>;

/// [`decode_into`], for summaries read one after another: their times' dates are counted from
/// the `last` day the one before fell on (a report reads kept rows in the order of their last
/// moment, so one row's days are near the next's).
pub(crate) fn decode_near(bytes: &[u8], out: &mut TicketSummary, last: &mut LastDay) -> bool {
    let mut reader = Reader { bytes, at: 0, day: *last };
    let read = decode_parts(&mut reader, out).is_some();
    *last = reader.day;
    read
}

fn decode_parts(r: &mut Reader<'_>, out: &mut TicketSummary) -> Option<()> {
    let format = r.byte()?;
    if format != 1 && format != 2 {
        return None;
    }
    let (f, t) = (&mut out.facts, &mut out.timeline);
    t.created_at = r.time()?;
    f.first_response = r.measure()?;
    refill(&mut f.next_responses, r, |r| r.measure()?)?;
    f.resolution = r.measure()?;
    f.customer_wait = r.measure()?;
    refill(&mut f.outcomes, r, |r| Some(Outcome { kind: r.kind()?, at: r.time()?, breached: r.flag()? }))?;
    refill(&mut f.breaching_now, r, Reader::kind)?;
    refill(&mut f.reopens, r, Reader::time)?;
    f.replies_before_solve = usize::try_from(r.int()?).ok()?;
    f.reopened_before_solve = r.flag()?;
    refill(&mut t.statuses, r, |r| Some((r.time()?, *Status::ALL.get(usize::try_from(r.int()?).ok()?)?)))?;
    refill(&mut t.messages, r, |r| Some((r.time()?, r.flag()?)))?;
    out.running = match format {
        2 => {
            let as_of = r.time()?;
            let mut breaches = out.running.take().map(|r| r.breaches).unwrap_or_default();
            refill(&mut breaches, r, |r| Some((r.kind()?, r.time()?)))?;
            Some(Running { as_of, breaches })
        }
        _ => None,
    };
    (r.at == r.bytes.len()).then_some(())
}

/// Empty `list`, then read its length and that many items into it.
fn refill<'b, T>(
    list: &mut Vec<T>,
    r: &mut Reader<'b>,
    mut item: impl FnMut(&mut Reader<'b>) -> Option<T>,
) -> Option<()> {
    list.clear();
    for _ in 0..r.len()? {
        list.push(item(r)?);
    }
    Some(())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// The last day a time fell on: a summary's times are mostly of a few days, and a day's
    /// date is the costly part of reading a time.
    day: Option<(i64, chrono::NaiveDate)>,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn int(&mut self) -> Option<i64> {
        let mut z: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            z |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(((z >> 1) as i64) ^ -((z & 1) as i64));
            }
        }
        None
    }

    /// A list's length, no longer than the bytes left could hold.
    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.int()?).ok().filter(|n| *n <= self.bytes.len() - self.at)
    }

    fn flag(&mut self) -> Option<bool> {
        match self.int()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn time(&mut self) -> Option<Timestamp> {
        let millis = self.int()?;
        let (days, of_day) = (millis.div_euclid(86_400_000), millis.rem_euclid(86_400_000));
        let date = match self.day {
            Some((d, date)) if d == days => date,
            // Within a year of the last day: counted from it (without a calendar's sums).
            Some((d, date)) if (days - d).abs() <= 366 => {
                let by = chrono::Days::new((days - d).unsigned_abs());
                let date = if days > d { date.checked_add_days(by) } else { date.checked_sub_days(by) }?;
                self.day = Some((days, date));
                date
            }
            _ => {
                let date = chrono::DateTime::from_timestamp(days.checked_mul(86_400)?, 0)?.date_naive();
                self.day = Some((days, date));
                date
            }
        };
        let (seconds, millis) = (of_day / 1000, of_day % 1000);
        let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(seconds as u32, (millis * 1_000_000) as u32)?;
        Some(date.and_time(time).and_utc())
    }

    fn kind(&mut self) -> Option<ClockKind> {
        match self.int()? {
            0 => Some(ClockKind::FirstResponse),
            1 => Some(ClockKind::NextResponse),
            2 => Some(ClockKind::Resolution),
            _ => None,
        }
    }

    fn measure(&mut self) -> Option<Option<Measure>> {
        match self.int()? {
            0 => Some(None),
            1 => Some(Some(Measure { at: self.time()?, seconds: self.int()? })),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_summary_reads_back_as_it_was_written() {
        let at = |h: u32| Utc.with_ymd_and_hms(2026, 12, 7, h, 0, 0).unwrap();
        let m = |h, s| Measure { at: at(h), seconds: s };
        let s = TicketSummary {
            facts: TicketFacts {
                first_response: Some(m(2, 3_600)),
                next_responses: vec![m(4, 60), m(5, -1)],
                resolution: Some(m(6, 18_000)),
                customer_wait: None,
                outcomes: vec![Outcome { kind: ClockKind::Resolution, at: at(6), breached: true }],
                breaching_now: vec![ClockKind::NextResponse],
                reopens: vec![at(7)],
                replies_before_solve: 2,
                reopened_before_solve: false,
            },
            timeline: Timeline {
                created_at: at(1),
                statuses: vec![(at(2), Status::Open), (at(6), Status::Solved), (at(7), Status::Open)],
                messages: vec![(at(3), false)],
            },
            running: None,
        };
        let open = TicketSummary {
            running: Some(Running { as_of: at(8), breaches: vec![(ClockKind::NextResponse, at(9))] }),
            ..s.clone()
        };
        for s in [s, open] {
            let bytes = encode(&s);
            assert_eq!(decode(&bytes), Some(s));
            for cut in 0..bytes.len() {
                assert_eq!(decode(&bytes[..cut]), None, "cut at {cut}");
            }
        }
        assert_eq!(decode(&[1]), None);
        assert_eq!(decode(&[2, 0]), None);
    }

    #[test]
    fn a_summary_read_into_the_room_of_another_is_as_if_read_alone() {
        let at = |d: u32, h: u32| Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0).unwrap();
        let open = TicketSummary {
            facts: TicketFacts {
                first_response: None,
                next_responses: vec![Measure { at: at(3, 1), seconds: 60 }],
                resolution: None,
                customer_wait: None,
                outcomes: vec![Outcome { kind: ClockKind::FirstResponse, at: at(3, 1), breached: false }],
                breaching_now: Vec::new(),
                reopens: vec![at(4, 2)],
                replies_before_solve: 0,
                reopened_before_solve: false,
            },
            timeline: Timeline {
                created_at: at(2, 23),
                statuses: vec![(at(3, 0), Status::Open), (at(4, 2), Status::Pending)],
                messages: vec![(at(5, 9), false)],
            },
            running: Some(Running { as_of: at(6, 0), breaches: vec![(ClockKind::Resolution, at(7, 0))] }),
        };
        let settled = TicketSummary {
            running: None,
            timeline: Timeline { messages: Vec::new(), ..open.timeline.clone() },
            ..open.clone()
        };
        let mut room = empty_summary();
        for s in [&open, &settled, &open] {
            assert!(decode_into(&encode(s), &mut room));
            assert_eq!(&room, s);
        }
        assert!(!decode_into(&[1], &mut room));
    }

    #[test]
    fn times_read_back_to_the_millisecond_either_side_of_midnight_and_1970() {
        for millis in
            [0, -1, 1, 86_399_999, 86_400_000, -86_400_000, -86_400_001, 1_796_221_701_649, -62_135_596_800_000]
        {
            let mut bytes = Vec::new();
            put_int(&mut bytes, millis);
            let mut r = Reader { bytes: &bytes, at: 0, day: None };
            assert_eq!(r.time(), chrono::DateTime::from_timestamp_millis(millis), "{millis}");
        }
    }

    #[test]
    fn times_read_one_after_another_are_their_dates_across_years_and_leap_days() {
        // Steps forward and back of up to a year and more, across 2024's leap day, year ends,
        // 2100 (not a leap year) and 1970.
        let mut millis: i64 = -3 * 86_400_000 + 1;
        let mut day = None;
        let mut step: i64 = 1;
        while millis < 4_200_000_000_000 {
            let mut bytes = Vec::new();
            put_int(&mut bytes, millis);
            let mut r = Reader { bytes: &bytes, at: 0, day };
            assert_eq!(r.time(), chrono::DateTime::from_timestamp_millis(millis), "{millis} after {day:?}");
            day = r.day;
            // 1 ms to about 400 days, now and then a step back.
            step = (step * 7 + 86_399_991) % 34_560_000_000;
            millis += if step % 5 == 0 { -step / 3 } else { step };
        }
    }
}

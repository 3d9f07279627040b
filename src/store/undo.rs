//! Undo: the last change to a ticket reverted from its event log, in one write that logs its own
//! events (the fields changed back, and an `undo` event naming the write it reverted). Which write
//! that is, and what cannot be undone, are [`crate::domain::undo`]'s rules; what an event's old
//! and new values do not hold (a status change's solved and waiting times, the rating replaced,
//! what a merge moved) is kept beside the event in `undo_details` when the change is made.

use super::rows::{self, EVENT_COLUMNS};
use super::tickets::{check_version, log_event, read_ticket};
use super::{now_millis, to_millis, Result, Store, StoreError};
use crate::domain::undo::{self, Undone, UNDO_FIELD};
use crate::domain::{lifecycle, Event, Status, Ticket};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// What an event's change replaced or moved, beyond its old and new values.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Details {
    /// A status change: the ticket's solved and waiting times before it (Unix milliseconds).
    Status { solved_at: Option<i64>, waiting_since: Option<i64> },
    /// A snooze: the snooze it replaced.
    Snooze { until: Option<i64> },
    /// A CSAT rating: the rating row it added, and the one it replaced.
    Rating { added: i64, replaced: Option<OldRating> },
    /// A ticket merge, kept on the source's `merged_into` event: what moved to the target, and
    /// the target's wait before.
    Merge { messages: Vec<i64>, tags: Vec<String>, ratings: Vec<i64>, into_waiting_since: Option<i64> },
}

/// A CSAT rating row as it was.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct OldRating {
    pub id: i64,
    pub customer_id: i64,
    pub score: i64,
    pub good: bool,
    pub comment: String,
    pub actor: String,
    pub created_at: i64,
}

/// Record `details` beside the event just logged on `conn` (in the caller's write).
pub(crate) fn record(conn: &Connection, details: &Details) -> Result<()> {
    let event = conn.last_insert_rowid();
    let json = serde_json::to_string(details).map_err(|e| StoreError::Invalid(e.to_string()))?;
    conn.prepare_cached("INSERT INTO undo_details (event_id, details) VALUES (?1, ?2)")?
        .execute(params![event, json])?;
    Ok(())
}

fn details(conn: &Connection, event: i64) -> Result<Option<Details>> {
    let json: Option<String> = conn
        .prepare_cached("SELECT details FROM undo_details WHERE event_id = ?1")?
        .query_row([event], |r| r.get(0))
        .optional()?;
    // Details this frontdesk cannot read are as good as none: the undo falls back to the rules.
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

/// Record, beside the status event just logged, the solved and waiting times `current` had.
pub(crate) fn record_status(conn: &Connection, current: &Ticket) -> Result<()> {
    let waiting_since = super::waiting::stored_wait(conn, current.id)?;
    record(conn, &Details::Status { solved_at: current.solved_at.map(to_millis), waiting_since })
}

/// The snooze a new one replaces: as the event shows it, and to the millisecond.
pub(crate) struct SnoozeBefore {
    pub text: Option<String>,
    until: Option<i64>,
}

impl SnoozeBefore {
    /// Record it beside the snooze event just logged.
    pub fn record(&self, conn: &Connection) -> Result<()> {
        record(conn, &Details::Snooze { until: self.until })
    }
}

/// The ticket's snooze before a new one is set.
pub(crate) fn snooze_before(conn: &Connection, ticket: i64) -> Result<SnoozeBefore> {
    let until: Option<i64> =
        conn.prepare_cached("SELECT snoozed_until FROM tickets WHERE id = ?1")?.query_row([ticket], |r| r.get(0))?;
    let text = until.map(|ms| super::from_millis(ms).to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    Ok(SnoozeBefore { text, until })
}

/// A rating row as the event log names it: `good`, `bad`, `3/5`.
pub(crate) fn csat_label(r: &OldRating) -> String {
    match (r.score, r.good) {
        (5, true) => "good".into(),
        (1, false) => "bad".into(),
        (score, _) => format!("{score}/5"),
    }
}

/// What merging ticket `from` into `into` is about to move, taken before it moves.
pub(crate) fn merge_moves(conn: &Connection, from: i64, into: i64) -> Result<Details> {
    let ids = |sql: &str| -> Result<Vec<i64>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([from], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
    };
    let messages = ids("SELECT id FROM messages WHERE ticket_id = ?1 ORDER BY id")?;
    let ratings = ids("SELECT id FROM ratings WHERE ticket_id = ?1 ORDER BY id")?;
    let mut stmt = conn.prepare(
        "SELECT tag FROM ticket_tags WHERE ticket_id = ?1
         AND tag NOT IN (SELECT tag FROM ticket_tags WHERE ticket_id = ?2) ORDER BY tag",
    )?;
    let tags = stmt.query_map([from, into], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    let into_waiting_since = super::waiting::stored_wait(conn, into)?;
    Ok(Details::Merge { messages, tags, ratings, into_waiting_since })
}

/// The current CSAT rating row of a ticket, if any.
pub(crate) fn csat_row(conn: &Connection, ticket: i64) -> Result<Option<OldRating>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, customer_id, score, good, comment, actor, created_at FROM ratings
             WHERE ticket_id = ?1 AND kind = 'csat' ORDER BY id DESC LIMIT 1",
        )?
        .query_row([ticket], |r| {
            Ok(OldRating {
                id: r.get(0)?,
                customer_id: r.get(1)?,
                score: r.get(2)?,
                good: r.get(3)?,
                comment: r.get(4)?,
                actor: r.get(5)?,
                created_at: r.get(6)?,
            })
        })
        .optional()?)
}

impl Store {
    /// Revert the last change to `ticket` (see [`crate::domain::undo`] for which one), as `actor`,
    /// in one write. With `expected_version`, a ticket changed since is a conflict. A change that
    /// cannot be undone, or whose result was changed since, is refused in one sentence and nothing
    /// is written.
    pub fn undo_last(&self, ticket: i64, actor: &str, expected_version: Option<i64>) -> Result<Undone> {
        self.undo(ticket, actor, expected_version, false)
    }

    /// The console's undo: [`Store::undo_last`] at the version `actor`'s own change left, and only
    /// if the change it finds there is `actor`'s.
    pub fn undo_own(&self, ticket: i64, actor: &str, version: i64) -> Result<Undone> {
        self.undo(ticket, actor, Some(version), true)
    }

    fn undo(&self, ticket: i64, actor: &str, expected_version: Option<i64>, own: bool) -> Result<Undone> {
        self.write(|conn| {
            let current = read_ticket(conn, ticket)?.ok_or(StoreError::TicketNotFound(ticket))?;
            if let Some(expected) = expected_version {
                check_version(conn, &current, expected)?;
            }
            let events = ticket_events(conn, ticket)?;
            let write = undo::write_to_undo(ticket, &events).map_err(StoreError::Invalid)?.to_vec();
            if own {
                undo::refuse_others(ticket, &write, actor).map_or(Ok(()), |why| Err(StoreError::Invalid(why)))?;
            }
            // Later than every event of the ticket, so the undo never reads as part of the write it undoes.
            let last = events.last().map_or(0, |e| to_millis(e.created_at));
            let now = now_millis().max(last + 1);
            let other = match write.iter().find(|e| e.field == "merged" || e.field == "merged_into") {
                Some(merge) => Some(undo_merge(conn, &current, &write, merge, actor, now)?),
                None => {
                    revert(conn, &current, &write, actor, now)?;
                    None
                }
            };
            finish(conn, ticket, &write, actor, now)?;
            // Read in the write, so its version is the one this undo left.
            let ticket = read_ticket(conn, ticket)?.ok_or(StoreError::TicketNotFound(ticket))?;
            Ok(Undone { ticket, undone: write, other })
        })
    }
}

/// Log the undo naming the write it reverted, and count it as one write of the ticket.
fn finish(conn: &Connection, ticket: i64, write: &[Event], actor: &str, now: i64) -> Result<()> {
    let key = write.last().map_or(0, |e| e.id).to_string();
    log_event(conn, ticket, actor, UNDO_FIELD, None, Some(&key), now)?;
    super::tickets::bump_version(conn, ticket, now)?;
    Ok(())
}

/// Every event of a ticket, oldest first.
fn ticket_events(conn: &Connection, ticket: i64) -> Result<Vec<Event>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE ticket_id = ?1 ORDER BY id"))?;
    let events = stmt.query_map([ticket], rows::event)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(events)
}

/// Put back each field `write` changed, newest change first, logging each as `actor`'s change.
fn revert(conn: &Connection, current: &Ticket, write: &[Event], actor: &str, now: i64) -> Result<()> {
    for e in write.iter().rev() {
        still_as_left(conn, current, e)?;
        let id = current.id;
        let (old, new) = (e.old.as_deref(), e.new.as_deref());
        match e.field.as_str() {
            "status" => revert_status(conn, current, e)?,
            "priority" => {
                conn.execute("UPDATE tickets SET priority = ?1 WHERE id = ?2", params![old, id])?;
            }
            "assignee" => {
                if let Some(login) = old {
                    super::agents::require_active_agent(conn, login)?;
                }
                conn.execute("UPDATE tickets SET assignee = ?1 WHERE id = ?2", params![old, id])?;
            }
            "tag" => match (old, new) {
                (None, Some(tag)) => {
                    conn.execute("DELETE FROM ticket_tags WHERE ticket_id = ?1 AND tag = ?2", params![id, tag])?;
                }
                (Some(tag), _) => {
                    conn.execute(
                        "INSERT OR IGNORE INTO ticket_tags (ticket_id, tag) VALUES (?1, ?2)",
                        params![id, tag],
                    )?;
                }
                (None, None) => {}
            },
            "snoozed_until" => {
                let until = match details(conn, e.id)? {
                    Some(Details::Snooze { until }) => until,
                    _ => old.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()).map(|t| t.timestamp_millis()),
                };
                conn.execute("UPDATE tickets SET snoozed_until = ?1 WHERE id = ?2", params![until, id])?;
            }
            "satisfaction" => revert_rating(conn, id, e)?,
            _ => return Err(StoreError::Invalid(format!("{} changes cannot be undone", e.field))),
        }
        log_event(conn, id, actor, &e.field, new, old, now)?;
    }
    Ok(())
}

/// The change is still what the ticket shows: else someone changed it since, and the undo would
/// overwrite their change.
fn still_as_left(conn: &Connection, t: &Ticket, e: &Event) -> Result<()> {
    use crate::domain::text::for_display_line as shown;
    let new = e.new.as_deref();
    let now_is = match e.field.as_str() {
        "status" => (new != Some(t.status.as_str())).then(|| format!("it is {} now", t.status)),
        "priority" => (new != Some(t.priority.as_str())).then(|| format!("it is {} now", t.priority)),
        "assignee" => (new != t.assignee.as_deref())
            .then(|| format!("it is {} now", shown(t.assignee.as_deref().unwrap_or("nobody's")))),
        "tag" => {
            let has = |tag: &str| t.tags.iter().any(|x| x == tag);
            match (e.old.as_deref(), new) {
                (None, Some(tag)) if !has(tag) => Some(format!("#{} was removed since", shown(tag))),
                (Some(tag), None) if has(tag) => Some(format!("#{} was added again since", shown(tag))),
                _ => None,
            }
        }
        "satisfaction" => match (details(conn, e.id)?, csat_row(conn, t.id)?) {
            (Some(Details::Rating { added, .. }), row) if row.as_ref().map(|r| r.id) != Some(added) => {
                Some("it was rated again since".into())
            }
            _ => None,
        },
        _ => None,
    };
    match now_is {
        None => Ok(()),
        Some(now_is) => Err(StoreError::Invalid(format!(
            "#{}'s {} is no longer as {} left it ({now_is}); nothing was undone",
            t.id,
            shown(&e.field),
            shown(&e.actor)
        ))),
    }
}

/// Back to the status before `e`, with the solved and waiting times it had (kept when the change
/// was made; without them, as the lifecycle rules give them).
fn revert_status(conn: &Connection, current: &Ticket, e: &Event) -> Result<()> {
    let to: Status = e
        .old
        .as_deref()
        .unwrap_or("open")
        .parse()
        .map_err(|e: crate::domain::UnknownName| StoreError::Invalid(e.to_string()))?;
    let (solved_at, waiting_since) = match details(conn, e.id)? {
        Some(Details::Status { solved_at, waiting_since }) => (solved_at, waiting_since),
        _ => {
            let solved = matches!(to, Status::Solved | Status::Closed);
            let solved_at = current.solved_at.map(to_millis).or(solved.then(now_millis)).filter(|_| solved);
            let waits = super::waiting::stored_wait(conn, current.id)?;
            (solved_at, lifecycle::wait_after_status(waits.map(super::from_millis), to).map(to_millis))
        }
    };
    conn.execute(
        "UPDATE tickets SET status = ?1, solved_at = ?2, waiting_since = ?3 WHERE id = ?4",
        params![to.as_str(), solved_at, waiting_since, current.id],
    )?;
    Ok(())
}

/// The rating `e` added goes; the one it replaced, if any, comes back as it was.
fn revert_rating(conn: &Connection, ticket: i64, e: &Event) -> Result<()> {
    let Some(Details::Rating { added, replaced }) = details(conn, e.id)? else {
        return Err(StoreError::Invalid(format!(
            "the rating of #{ticket} was recorded before frontdesk kept what undo needs; rate it again instead"
        )));
    };
    conn.execute("DELETE FROM ratings WHERE id = ?1", [added])?;
    match replaced {
        Some(r) => {
            conn.execute(
                "INSERT INTO ratings (id, customer_id, ticket_id, kind, score, good, comment, actor, created_at)
                 VALUES (?1, ?2, ?3, 'csat', ?4, ?5, ?6, ?7, ?8)",
                params![r.id, r.customer_id, ticket, r.score, r.good, r.comment, r.actor, r.created_at],
            )?;
            conn.execute(
                "UPDATE tickets SET satisfaction = ?1, satisfaction_comment = ?2 WHERE id = ?3",
                params![r.score, r.comment, ticket],
            )?;
        }
        None => {
            conn.execute(
                "UPDATE tickets SET satisfaction = NULL, satisfaction_comment = NULL WHERE id = ?1",
                [ticket],
            )?;
        }
    }
    Ok(())
}

/// Undo a ticket merge, asked on either ticket: the other's last change must be the same merge.
/// The moved messages, tags and ratings go back to the source, which gets its status back; the
/// target gets its wait back; each conversation gets a system line saying so. Returns the other
/// ticket's id.
fn undo_merge(
    conn: &Connection,
    current: &Ticket,
    write: &[Event],
    merge: &Event,
    actor: &str,
    now: i64,
) -> Result<i64> {
    let other_id: i64 = merge.new.as_deref().and_then(|v| v.parse().ok()).unwrap_or(0);
    let other = read_ticket(conn, other_id)?.ok_or(StoreError::TicketNotFound(other_id))?;
    let other_events = ticket_events(conn, other_id)?;
    let same_merge = |w: &[Event]| {
        w.iter().any(|e| e.actor == merge.actor && e.created_at == merge.created_at && e.field.starts_with("merged"))
    };
    let other_write = match undo::write_to_undo(other_id, &other_events) {
        Ok(w) if same_merge(w) => w.to_vec(),
        _ => {
            return Err(StoreError::Invalid(format!(
                "#{other_id} changed since the merge; nothing was undone (undo its later changes first)"
            )))
        }
    };
    let (source, source_write, target) =
        if merge.field == "merged_into" { (current, write, &other) } else { (&other, other_write.as_slice(), current) };
    let moved = source_write.iter().find(|e| e.field == "merged_into").ok_or_else(|| {
        StoreError::Invalid(format!("#{} holds no record of the merge; nothing was undone", source.id))
    })?;
    let Some(Details::Merge { messages, tags, ratings, into_waiting_since }) = details(conn, moved.id)? else {
        return Err(StoreError::Invalid(format!(
            "the merge of #{} into #{} was made before frontdesk kept what undo needs; it cannot be undone",
            source.id, target.id
        )));
    };
    for message in &messages {
        conn.execute(
            "UPDATE messages SET ticket_id = ?1 WHERE id = ?2 AND ticket_id = ?3",
            params![source.id, message, target.id],
        )?;
    }
    for tag in &tags {
        conn.execute("DELETE FROM ticket_tags WHERE ticket_id = ?1 AND tag = ?2", params![target.id, tag])?;
    }
    for rating in &ratings {
        conn.execute("UPDATE ratings SET ticket_id = ?1 WHERE id = ?2", params![source.id, rating])?;
    }
    conn.execute("UPDATE tickets SET waiting_since = ?1 WHERE id = ?2", params![into_waiting_since, target.id])?;
    // The source's status came back through the merge's own status event.
    let status_back: Vec<Event> = source_write.iter().filter(|e| e.field == "status").cloned().collect();
    for e in &status_back {
        revert_status(conn, source, e)?;
        log_event(conn, source.id, actor, "status", e.new.as_deref(), e.old.as_deref(), now)?;
    }
    let line = |ticket: i64, text: String| {
        conn.execute(
            "INSERT INTO messages (ticket_id, kind, body, created_at) VALUES (?1, 'system', ?2, ?3)",
            params![ticket, text, now],
        )
    };
    line(source.id, format!("the merge into #{} was undone by {actor}", target.id))?;
    line(target.id, format!("the merge of ticket #{} into this ticket was undone by {actor}", source.id))?;
    for id in [source.id, target.id] {
        conn.execute("INSERT OR IGNORE INTO due_queue (ticket_id) VALUES (?1)", [id])?;
    }
    finish(conn, other_id, &other_write, actor, now)?;
    Ok(other_id)
}

//! Undo, as rules over a ticket's event log: which write an undo reverts, what cannot be undone,
//! and the words for both. Writes are told apart as [`conflict::writes`] tells them: one actor,
//! one time.
//!
//! The rule: an undo reverts the newest write that is neither an undo nor already undone, so
//! undoing again walks further back through the ticket's history (an undo is never undone; the
//! change is simply made again). A write that cannot be reverted (a message, the creation, a
//! customer merge) stops the walk: nothing older is undone over it.

use super::conflict::{describe, writes};
use super::text::for_display_line;
use super::when::Zone;
use super::{Event, Ticket};
use std::collections::HashSet;

/// The field an undo logs; its `new` names the write it reverted by that write's newest event id.
pub const UNDO_FIELD: &str = "undo";

/// What an undo did.
#[derive(Debug, Clone, PartialEq)]
pub struct Undone {
    /// The ticket as the undo left it.
    pub ticket: Ticket,
    /// The events of the write that was reverted, oldest first.
    pub undone: Vec<Event>,
    /// The other ticket of a merge that was undone.
    pub other: Option<i64>,
}

impl Undone {
    /// `undone on #12: status solved → open`.
    pub fn sentence(&self) -> String {
        format!("undone on #{}: {}", self.ticket.id, reverted(&self.undone))
    }
}

/// The write an undo of this ticket reverts, from its events oldest first; or why there is none,
/// in one sentence.
pub fn write_to_undo(ticket: i64, events: &[Event]) -> Result<&[Event], String> {
    let mut undone: HashSet<i64> = HashSet::new();
    for write in writes(events).into_iter().rev() {
        let undos: Vec<i64> =
            write.iter().filter(|e| e.field == UNDO_FIELD).filter_map(|e| e.new.as_deref()?.parse().ok()).collect();
        if !undos.is_empty() {
            undone.extend(undos);
            continue;
        }
        if write.last().is_some_and(|e| undone.contains(&e.id)) {
            continue;
        }
        refusal(ticket, write).map_or(Ok(()), Err)?;
        return Ok(write);
    }
    Err(format!("nothing to undo on #{ticket}: it has not been changed since it was created"))
}

/// Why this write cannot be undone, if it cannot.
pub fn refusal(ticket: i64, write: &[Event]) -> Option<String> {
    if write.iter().any(|e| matches!(e.field.as_str(), "created" | "follows")) {
        return Some(format!("nothing to undo on #{ticket}: it has not been changed since it was created"));
    }
    let why = write.iter().find_map(|e| match e.field.as_str() {
        "reply" => Some("a reply went to the customer and cannot be taken back"),
        "note" | "customer" | "system" => Some("messages stay in the conversation"),
        "customer_id" => Some("a merge of two customers cannot be undone"),
        field if undoable(field) => None,
        _ => Some("that kind of change cannot be undone"),
    })?;
    let first = write.first()?;
    let what: Vec<String> = write.iter().map(describe).collect();
    Some(format!(
        "the last change to #{ticket} ({} by {}) cannot be undone: {why}; nothing was undone",
        what.join(", "),
        for_display_line(&first.actor)
    ))
}

/// Why `actor` may not undo `write` as their own change, if it is someone else's.
pub fn refuse_others(ticket: i64, write: &[Event], actor: &str) -> Option<String> {
    let first = write.first().filter(|e| e.actor != actor)?;
    let what: Vec<String> = write.iter().map(describe).collect();
    Some(format!(
        "the last change to #{ticket} is {}'s ({}), not yours; nothing was undone",
        for_display_line(&first.actor),
        what.join(", ")
    ))
}

/// Fields an undo puts back.
pub fn undoable(field: &str) -> bool {
    matches!(
        field,
        "status" | "priority" | "assignee" | "tag" | "snoozed_until" | "satisfaction" | "merged" | "merged_into"
    )
}

/// What reverting `write` changes back, in words: `status solved → open, tag #vip removed`.
pub fn reverted(write: &[Event]) -> String {
    let parts: Vec<String> = write.iter().rev().map(reverted_one).collect();
    parts.join(", ")
}

fn reverted_one(e: &Event) -> String {
    let value = |v: &Option<String>| for_display_line(v.as_deref().unwrap_or("—")).into_owned();
    match e.field.as_str() {
        "merged" => format!("ticket #{} split out again", value(&e.new)),
        "merged_into" => format!("no longer merged into #{}", value(&e.new)),
        "satisfaction" if e.old.is_none() => "rating removed".into(),
        "satisfaction" => format!("rating back to {}", value(&e.old)),
        "snoozed_until" if e.old.is_none() => "snooze removed".into(),
        _ => describe(&Event { old: e.new.clone(), new: e.old.clone(), ..e.clone() }),
    }
}

/// `#12 changed since your change (status open → pending by bob at 14:02); nothing was undone`:
/// the console's undo is checked against the version its own change left. `changes` are the
/// events of the writes since, oldest first; the last three writes are named.
pub fn changed_since_sentence(ticket: i64, changes: &[Event], zone: Zone) -> String {
    let all = writes(changes);
    let parts: Vec<String> = all[all.len().saturating_sub(3)..]
        .iter()
        .map(|write| {
            let what: Vec<String> = write.iter().map(describe).collect();
            let at = zone.format(write[0].created_at, "%H:%M");
            format!("{} by {} at {at}", what.join(", "), for_display_line(&write[0].actor))
        })
        .collect();
    if parts.is_empty() {
        return format!("#{ticket} changed since your change; nothing was undone");
    }
    format!("#{ticket} changed since your change ({}); nothing was undone", parts.join(", then "))
}

#[cfg(test)]
mod tests;

//! A lost race in words: what another agent changed on a ticket, read from its event log.

use super::text::for_display_line;
use super::when::Zone;
use super::Event;

/// Writes shown in full; older ones are counted.
const SHOWN: usize = 3;

/// One change in words: `status open → pending`, `a note`, `tag #vip added`.
pub fn describe(e: &Event) -> String {
    let value = |v: &Option<String>| for_display_line(v.as_deref().unwrap_or("—")).into_owned();
    let who = |v: &Option<String>| v.as_deref().map_or("nobody".to_string(), |a| for_display_line(a).into_owned());
    match e.field.as_str() {
        "reply" => "a reply".into(),
        "note" => "a note".into(),
        "customer" => "a customer message".into(),
        "assignee" => format!("owner {} → {}", who(&e.old), who(&e.new)),
        "tag" if e.old.is_none() => format!("tag #{} added", value(&e.new)),
        "tag" => format!("tag #{} removed", value(&e.old)),
        "satisfaction" if e.new.is_none() => "rating removed".into(),
        "snoozed_until" if e.new.is_none() => "snooze removed".into(),
        "satisfaction" => format!("rated {}", value(&e.new)),
        "snoozed_until" => format!("snoozed until {}", value(&e.new)),
        "merged" => format!("ticket #{} merged in", value(&e.new)),
        "merged_into" => format!("merged into #{}", value(&e.new)),
        "undo" => "an undo".into(),
        field => format!("{} {} → {}", for_display_line(field), value(&e.old), value(&e.new)),
    }
}

/// The writes among `events` (oldest first): one per actor and moment, as each write logs its
/// events with one time.
pub fn writes(events: &[Event]) -> Vec<&[Event]> {
    events.chunk_by(|a, b| a.actor == b.actor && a.created_at == b.created_at).collect()
}

/// `ticket #12 changed since you last looked: status open → pending by alice at 14:02; nothing was
/// saved`, with times on the clock of `zone` (the agent's). `changes` are the events of the writes
/// since the agent's version, oldest first.
pub fn sentence(ticket: i64, changes: &[Event], zone: Zone) -> String {
    let writes = writes(changes);
    let older = writes.len().saturating_sub(SHOWN);
    let mut parts: Vec<String> = writes[older..]
        .iter()
        .map(|write| {
            let what: Vec<String> = write.iter().map(describe).collect();
            let at = zone.format(write[0].created_at, "%H:%M");
            format!("{} by {} at {at}", what.join(", "), for_display_line(&write[0].actor))
        })
        .collect();
    if older > 0 {
        parts.insert(0, format!("{older} earlier change{}", if older == 1 { "" } else { "s" }));
    }
    if parts.is_empty() {
        return format!("ticket #{ticket} changed since you last looked; nothing was changed");
    }
    format!("ticket #{ticket} changed since you last looked: {}; nothing was changed", parts.join(", then "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn event(id: i64, actor: &str, field: &str, old: Option<&str>, new: Option<&str>, minute: u32) -> Event {
        Event {
            id,
            ticket_id: 12,
            actor: actor.into(),
            field: field.into(),
            old: old.map(Into::into),
            new: new.map(Into::into),
            created_at: Utc.with_ymd_and_hms(2026, 3, 2, 13, minute, 0).unwrap(),
        }
    }

    #[test]
    fn one_change_names_who_and_when() {
        let changes = [event(1, "alice", "status", Some("open"), Some("pending"), 2)];
        let paris = Zone::Named(chrono_tz::Europe::Paris);
        assert_eq!(
            sentence(12, &changes, paris),
            "ticket #12 changed since you last looked: status open → pending by alice at 14:02; nothing was changed"
        );
    }

    #[test]
    fn one_write_reads_as_one_part_and_writes_follow_each_other() {
        let changes = [
            event(1, "alice", "priority", Some("normal"), Some("high"), 2),
            event(2, "alice", "tag", None, Some("vip"), 2),
            event(3, "bob", "note", None, Some("77"), 3),
            event(4, "bob", "assignee", Some("ana"), None, 4),
        ];
        assert_eq!(
            sentence(12, &changes, Zone::Named(chrono_tz::UTC)),
            "ticket #12 changed since you last looked: priority normal → high, tag #vip added by alice at 13:02, \
             then a note by bob at 13:03, then owner ana → nobody by bob at 13:04; nothing was changed"
        );
    }

    #[test]
    fn old_writes_are_counted_and_hostile_names_are_shown_as_text() {
        let changes: Vec<Event> =
            (0..5).map(|i| event(i, "m\x1b]0;x\x07", "tag", Some("a\u{9b}b"), None, i as u32)).collect();
        let said = sentence(12, &changes, Zone::Named(chrono_tz::UTC));
        assert!(said.contains(": 2 earlier changes, then tag #a<U+009B>b removed by m^[]0;x^G at 13:02"), "{said}");
        assert!(!said.contains(['\x1b', '\x07', '\u{9b}']), "{said}");
    }
}

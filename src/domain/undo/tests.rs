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

fn created() -> Event {
    event(1, "ana", "created", None, Some("Refund"), 0)
}

#[test]
fn the_newest_write_is_undone_whole() {
    let events = [
        created(),
        event(2, "ana", "status", Some("new"), Some("open"), 1),
        event(3, "bob", "priority", Some("normal"), Some("high"), 2),
        event(4, "bob", "tag", None, Some("vip"), 2),
    ];
    let write = write_to_undo(12, &events).unwrap();
    assert_eq!(write.iter().map(|e| e.id).collect::<Vec<_>>(), [3, 4]);
    assert_eq!(reverted(write), "tag #vip removed, priority high → normal");
}

#[test]
fn undoing_again_walks_back_past_undos_and_what_they_undid() {
    let mut events = vec![
        created(),
        event(2, "ana", "status", Some("new"), Some("open"), 1),
        event(3, "ana", "status", Some("open"), Some("solved"), 2),
        event(4, "ana", "status", Some("solved"), Some("open"), 3),
        event(5, "ana", UNDO_FIELD, None, Some("3"), 3),
    ];
    assert_eq!(write_to_undo(12, &events).unwrap()[0].id, 2, "the undone solve is skipped");
    events.push(event(6, "ana", "status", Some("open"), Some("new"), 4));
    events.push(event(7, "ana", UNDO_FIELD, None, Some("2"), 4));
    assert_eq!(
        write_to_undo(12, &events).unwrap_err(),
        "nothing to undo on #12: it has not been changed since it was created"
    );
}

#[test]
fn a_message_stops_the_walk() {
    let events = [
        created(),
        event(2, "ana", "status", Some("new"), Some("open"), 1),
        event(3, "ana", "reply", None, Some("77"), 2),
    ];
    assert_eq!(
        write_to_undo(12, &events).unwrap_err(),
        "the last change to #12 (a reply by ana) cannot be undone: a reply went to the customer and cannot be \
         taken back; nothing was undone"
    );
    let note = [created(), event(2, "bob", "note", None, Some("78"), 1)];
    assert!(write_to_undo(12, &note).unwrap_err().contains("messages stay in the conversation"));
}

#[test]
fn a_customer_merge_and_unknown_changes_are_not_undone() {
    let merged = [created(), event(2, "ana", "customer_id", Some("3"), Some("4"), 1)];
    assert!(write_to_undo(12, &merged).unwrap_err().contains("a merge of two customers cannot be undone"));
    let unknown = [created(), event(2, "ana", "subject", Some("a"), Some("b"), 1)];
    assert!(write_to_undo(12, &unknown).unwrap_err().contains("that kind of change cannot be undone"));
}

#[test]
fn reverted_changes_read_as_what_comes_back() {
    let write = [
        event(2, "ana", "satisfaction", None, Some("good"), 1),
        event(3, "ana", "snoozed_until", None, Some("2026-03-03T09:00:00Z"), 1),
        event(4, "ana", "assignee", None, Some("ana"), 1),
    ];
    assert_eq!(reverted(&write), "owner ana → nobody, snooze removed, rating removed");
    let rerated = [event(2, "ana", "satisfaction", Some("bad"), Some("good"), 1)];
    assert_eq!(reverted(&rerated), "rating back to bad");
    let merge = [
        event(2, "ana", "merged_into", None, Some("9"), 1),
        event(3, "ana", "status", Some("open"), Some("closed"), 1),
    ];
    assert_eq!(reverted(&merge), "status closed → open, no longer merged into #9");
}

#[test]
fn a_change_since_names_who_and_what() {
    let changes = [event(9, "bob", "status", Some("solved"), Some("open"), 5)];
    assert_eq!(
        changed_since_sentence(12, &changes, Zone::Named(chrono_tz::UTC)),
        "#12 changed since your change (status solved → open by bob at 13:05); nothing was undone"
    );
    assert_eq!(
        changed_since_sentence(12, &[], Zone::Named(chrono_tz::UTC)),
        "#12 changed since your change; nothing was undone"
    );
}

#[test]
fn hostile_names_are_shown_as_text() {
    let events = [created(), event(2, "m\x1b]0;x\x07", "note", None, Some("5"), 1)];
    let said = write_to_undo(12, &events).unwrap_err();
    assert!(said.contains("by m^[]0;x^G"), "{said}");
}

#[test]
fn an_undo_of_ones_own_change_refuses_someone_elses() {
    let write = [event(3, "bob", "priority", Some("normal"), Some("high"), 2)];
    assert_eq!(refuse_others(12, &write, "bob"), None);
    assert_eq!(
        refuse_others(12, &write, "ana").unwrap(),
        "the last change to #12 is bob's (priority normal → high), not yours; nothing was undone"
    );
}

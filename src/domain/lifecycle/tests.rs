use super::*;
use crate::domain::{Channel, Priority};
use chrono::{Duration, Utc};
use MessageKind::{Customer, Note, Reply, System};
use Status::{Closed, New, OnHold, Open, Pending, Solved};

#[test]
fn only_the_first_reply_and_the_customer_writing_move_a_ticket() {
    let moves = [(Reply, New, Open), (Customer, Pending, Open), (Customer, Solved, Open)];
    for &kind in MessageKind::ALL {
        for &status in Status::ALL {
            let expected = moves.iter().find(|(k, s, _)| *k == kind && *s == status).map(|(_, _, to)| *to);
            assert_eq!(status_after_message(status, kind), expected, "{kind} on a {status} ticket");
        }
    }
}

#[test]
fn the_customer_writing_leaves_new_open_on_hold_and_closed_as_they_are() {
    for status in [New, Open, OnHold, Closed] {
        assert_eq!(status_after_message(status, Customer), None, "customer on {status}");
    }
}

#[test]
fn machines_and_notes_never_reopen() {
    for &status in Status::ALL {
        assert_eq!(status_after_message(status, System), None, "system line on {status}");
        assert_eq!(status_after_message(status, Note), None, "note on {status}");
    }
}

#[test]
fn only_the_customer_ends_a_snooze() {
    assert!(ends_snooze(Customer));
    for kind in [Reply, Note, System] {
        assert!(!ends_snooze(kind), "{kind}");
    }
}

#[test]
fn the_first_public_reply_is_the_first_response() {
    assert!(after_message(Open, Reply, false).first_response);
    assert!(!after_message(Open, Reply, true).first_response, "answered before");
    for kind in [Customer, Note, System] {
        assert!(!after_message(Open, kind, false).first_response, "{kind}");
    }
}

#[test]
fn after_message_combines_the_rules() {
    let effect = after_message(Solved, Customer, true);
    assert_eq!(effect, MessageEffect { status: Some(Open), ends_snooze: true, first_response: false });
    let effect = after_message(New, Reply, false);
    assert_eq!(effect, MessageEffect { status: Some(Open), ends_snooze: false, first_response: true });
}

#[test]
fn the_customer_writing_about_a_closed_ticket_starts_a_follow_up() {
    assert_eq!(place_of_mail(Closed, Customer), MailPlace::FollowUp);
    assert_eq!(place_of_mail(Closed, System), MailPlace::Matched, "a bounce stays on the closed ticket");
    for status in [New, Open, Pending, OnHold, Solved] {
        assert_eq!(place_of_mail(status, Customer), MailPlace::Matched, "customer mail on {status}");
        assert_eq!(place_of_mail(status, System), MailPlace::Matched, "system mail on {status}");
    }
}

#[test]
fn closed_tickets_stay_closed() {
    for &to in Status::ALL {
        assert_eq!(may_move(Closed, to), to == Closed, "closed to {to}");
    }
}

#[test]
fn any_other_status_may_move_anywhere() {
    for &from in Status::ALL.iter().filter(|s| **s != Closed) {
        for &to in Status::ALL {
            assert!(may_move(from, to), "{from} to {to}");
        }
    }
}

fn ticket_updated_at(updated_at: Timestamp) -> Ticket {
    Ticket {
        id: 1,
        subject: "Refund".into(),
        customer_id: 1,
        customer_name: "Carla".into(),
        customer_email: "carla@shop.example".into(),
        assignee: None,
        status: Pending,
        priority: Priority::Normal,
        channel: Channel::Email,
        tags: Vec::new(),
        created_at: updated_at,
        updated_at,
        first_response_at: None,
        solved_at: None,
        version: 1,
        waiting_since: None,
    }
}

#[test]
fn a_snoozed_ticket_is_back_when_its_time_came_and_nobody_touched_it() {
    let now = Utc::now();
    let snoozed = ticket_updated_at(now - Duration::hours(2));
    assert!(woke_up(&snoozed, now - Duration::hours(1), now), "time came, untouched");
    assert!(woke_up(&snoozed, now, now), "time comes just now");
    assert!(!woke_up(&snoozed, now + Duration::hours(1), now), "still snoozed");
    let touched = ticket_updated_at(now - Duration::minutes(30));
    assert!(!woke_up(&touched, now - Duration::hours(1), now), "worked on after the snooze ended");
}

#[test]
fn the_customer_writing_starts_a_wait_and_our_reply_ends_it() {
    let t0 = Utc::now();
    let t1 = t0 + Duration::minutes(5);
    assert_eq!(wait_after_message(None, Customer, t0), Some(t0));
    assert_eq!(wait_after_message(Some(t0), Customer, t1), Some(t0), "still waiting since the first");
    assert_eq!(wait_after_message(Some(t1), Customer, t0), Some(t0), "a mail dated earlier moves it back");
    assert_eq!(wait_after_message(Some(t0), Reply, t1), None);
    assert_eq!(wait_after_message(None, Reply, t1), None);
}

#[test]
fn notes_and_system_lines_leave_the_wait_alone() {
    let t0 = Utc::now();
    for kind in [Note, System] {
        assert_eq!(wait_after_message(Some(t0), kind, t0 + Duration::hours(1)), Some(t0), "{kind}");
        assert_eq!(wait_after_message(None, kind, t0), None, "{kind}");
    }
}

#[test]
fn pending_solved_and_closed_end_the_wait_on_hold_keeps_it() {
    let t0 = Utc::now();
    for &to in Status::ALL {
        let kept = matches!(to, New | Open | OnHold);
        assert_eq!(wait_after_status(Some(t0), to), kept.then_some(t0), "set {to}");
        assert_eq!(wait_after_status(None, to), None, "set {to}");
    }
}

#[test]
fn a_merge_waits_since_the_older_wait() {
    let t0 = Utc::now();
    let t1 = t0 + Duration::hours(1);
    assert_eq!(wait_after_merge(Some(t1), Some(t0)), Some(t0));
    assert_eq!(wait_after_merge(Some(t0), Some(t1)), Some(t0));
    assert_eq!(wait_after_merge(None, Some(t1)), Some(t1));
    assert_eq!(wait_after_merge(Some(t1), None), Some(t1));
    assert_eq!(wait_after_merge(None, None), None);
}

#[test]
fn only_new_and_open_tickets_not_snoozed_need_a_reply() {
    let now = Utc::now();
    let since = Some(now - Duration::hours(3));
    for &status in Status::ALL {
        assert_eq!(needs_reply(status, since, None, now), matches!(status, New | Open), "{status}");
    }
    assert!(!needs_reply(Open, None, None, now), "nobody waits");
    assert!(!needs_reply(Open, since, Some(now + Duration::hours(1)), now), "snoozed");
    assert!(needs_reply(Open, since, Some(now - Duration::hours(1)), now), "the snooze is over");
}

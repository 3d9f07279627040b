use super::*;
use crate::domain::Status;
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc, Weekday};

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Timestamp {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn business(tz: &str, holidays: &[NaiveDate]) -> Hours {
    Hours::Business(BusinessHours {
        time_zone: tz.parse().unwrap(),
        weekdays: vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
        open: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        close: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
        holidays: holidays.to_vec(),
    })
}

fn policy(hours: Hours, first: i64, next: i64, resolution: i64) -> Policy {
    Policy {
        priority: Priority::Urgent,
        tier: None,
        targets: Targets { first_response: Some(first), next_response: Some(next), resolution: Some(resolution) },
        hours,
    }
}

fn timeline(created: Timestamp) -> Timeline {
    Timeline { created_at: created, statuses: vec![], messages: vec![(created, false)] }
}

#[test]
fn calendar_hours_count_every_second() {
    let h = Hours::Calendar;
    assert_eq!(h.working_seconds(at(2026, 11, 21, 10, 0), at(2026, 11, 21, 11, 0)), 3_600);
    assert_eq!(h.add_working(at(2026, 11, 21, 10, 0), 90 * 60), at(2026, 11, 21, 11, 30));
}

#[test]
fn business_hours_skip_the_weekend() {
    let h = business("UTC", &[]);
    // Friday 16:30 + 1h of work = Monday 09:30.
    assert_eq!(h.add_working(at(2026, 11, 20, 16, 30), 3_600), at(2026, 11, 23, 9, 30));
    assert_eq!(h.working_seconds(at(2026, 11, 20, 16, 30), at(2026, 11, 23, 9, 30)), 3_600);
    // A ticket that arrives on Saturday starts counting on Monday morning.
    assert_eq!(h.add_working(at(2026, 11, 21, 12, 0), 60), at(2026, 11, 23, 9, 1));
}

#[test]
fn business_hours_skip_holidays() {
    let christmas = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
    let h = business("UTC", &[christmas]);
    // Thursday 24th 16:00 + 2h: one hour that day, then Friday is a holiday, so Monday 28th 10:00.
    assert_eq!(h.add_working(at(2026, 12, 24, 16, 0), 7_200), at(2026, 12, 28, 10, 0));
    assert_eq!(h.working_seconds(at(2026, 12, 24, 0, 0), at(2026, 12, 28, 0, 0)), 8 * 3_600);
}

#[test]
fn business_hours_follow_the_time_zone() {
    let h = business("America/New_York", &[]);
    // 09:00 in New York in November (EST, UTC-5) is 14:00 UTC.
    assert_eq!(h.add_working(at(2026, 11, 23, 8, 0), 0), at(2026, 11, 23, 14, 0));
    assert_eq!(h.working_seconds(at(2026, 11, 23, 0, 0), at(2026, 11, 24, 0, 0)), 8 * 3_600);
}

#[test]
fn business_hours_survive_a_daylight_saving_change() {
    let h = business("Europe/Berlin", &[]);
    // Clocks go forward on Sunday 29 March 2026: opening moves from 08:00 UTC to 07:00 UTC.
    assert_eq!(h.add_working(at(2026, 3, 27, 15, 30), 3_600), at(2026, 3, 30, 7, 30));
    // Each working day is still eight hours long, on either side of the change.
    assert_eq!(h.working_seconds(at(2026, 3, 27, 0, 0), at(2026, 3, 31, 0, 0)), 2 * 8 * 3_600);
    // A round-the-clock policy over the same night counts the hour that did not exist as not there.
    let night = Hours::Calendar.working_seconds(at(2026, 3, 28, 23, 0), at(2026, 3, 29, 3, 0));
    assert_eq!(night, 4 * 3_600);
}

#[test]
fn working_time_can_be_counted_backwards() {
    let h = business("UTC", &[]);
    assert_eq!(h.add_working(at(2026, 11, 23, 9, 30), -3_600), at(2026, 11, 20, 16, 30));
}

#[test]
fn a_new_ticket_counts_down_then_warns_then_breaches() {
    let created = at(2026, 11, 23, 10, 0);
    let p = policy(Hours::Calendar, 3_600, 7_200, 86_400);
    let t = timeline(created);
    let first = |now| clocks(&p, &t, now)[0].clone();
    let c = first(at(2026, 11, 23, 10, 12));
    assert_eq!((c.kind, c.state, c.remaining_seconds), (ClockKind::FirstResponse, ClockState::Ok, 48 * 60));
    assert_eq!(c.due_at, Some(at(2026, 11, 23, 11, 0)));
    assert_eq!(first(at(2026, 11, 23, 10, 45)).state, ClockState::Warning);
    let late = first(at(2026, 11, 23, 11, 20));
    assert_eq!((late.state, late.remaining_seconds), (ClockState::Breached, -20 * 60));
    assert_eq!(late.due_at, Some(at(2026, 11, 23, 11, 0)));
    assert_eq!(countdown(late.remaining_seconds), "-20m");
}

#[test]
fn the_first_public_reply_stops_the_first_response_clock() {
    let created = at(2026, 11, 23, 10, 0);
    let p = policy(Hours::Calendar, 3_600, 7_200, 86_400);
    let mut t = timeline(created);
    t.messages.push((at(2026, 11, 23, 10, 30), true));
    let all = clocks(&p, &t, at(2026, 11, 23, 15, 0));
    assert_eq!(all[0].state, ClockState::Met);
    assert_eq!(all[0].stopped_at, Some(at(2026, 11, 23, 10, 30)));
    assert_eq!(all[0].remaining_seconds, 30 * 60);
    // No customer message since the reply: no next-response clock; resolution still runs.
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].kind, ClockKind::Resolution);
}

#[test]
fn next_response_runs_from_the_oldest_unanswered_customer_message() {
    let created = at(2026, 11, 23, 10, 0);
    let p = policy(Hours::Calendar, 3_600, 7_200, 86_400);
    let mut t = timeline(created);
    t.messages.push((at(2026, 11, 23, 10, 30), true));
    t.messages.push((at(2026, 11, 23, 11, 0), false));
    t.messages.push((at(2026, 11, 23, 11, 30), false));
    let next = clocks(&p, &t, at(2026, 11, 23, 12, 0)).into_iter().find(|c| c.kind == ClockKind::NextResponse).unwrap();
    assert_eq!(next.due_at, Some(at(2026, 11, 23, 13, 0)));
    assert_eq!(next.state, ClockState::Ok);
}

#[test]
fn clocks_pause_while_pending_or_on_hold() {
    let created = at(2026, 11, 23, 10, 0);
    let p = policy(Hours::Calendar, 3_600, 7_200, 4 * 3_600);
    let mut t = timeline(created);
    t.messages.push((at(2026, 11, 23, 10, 10), true));
    t.statuses.push((at(2026, 11, 23, 10, 10), Status::Open));
    t.statuses.push((at(2026, 11, 23, 11, 0), Status::Pending));
    let paused = clocks(&p, &t, at(2026, 11, 23, 20, 0)).pop().unwrap();
    assert_eq!((paused.kind, paused.state, paused.due_at), (ClockKind::Resolution, ClockState::Paused, None));
    assert_eq!(paused.remaining_seconds, 3 * 3_600);
    // Back to open at 20:00: three hours left from then.
    t.statuses.push((at(2026, 11, 23, 20, 0), Status::Open));
    let resumed = clocks(&p, &t, at(2026, 11, 23, 21, 0)).pop().unwrap();
    assert_eq!((resumed.state, resumed.due_at), (ClockState::Ok, Some(at(2026, 11, 23, 23, 0))));
    t.statuses.push((at(2026, 11, 23, 22, 0), Status::OnHold));
    let held = clocks(&p, &t, at(2026, 11, 24, 9, 0)).pop().unwrap();
    assert_eq!((held.state, held.remaining_seconds), (ClockState::Paused, 3_600));
}

#[test]
fn solving_stops_the_resolution_clock_and_reopening_resumes_it() {
    let created = at(2026, 11, 23, 10, 0);
    let p = policy(Hours::Calendar, 3_600, 7_200, 4 * 3_600);
    let mut t = timeline(created);
    t.messages.push((at(2026, 11, 23, 10, 10), true));
    t.statuses.push((at(2026, 11, 23, 11, 0), Status::Solved));
    let met = clocks(&p, &t, at(2026, 11, 24, 9, 0)).pop().unwrap();
    assert_eq!((met.state, met.stopped_at), (ClockState::Met, Some(at(2026, 11, 23, 11, 0))));
    t.statuses.push((at(2026, 11, 24, 9, 0), Status::Open));
    let reopened = clocks(&p, &t, at(2026, 11, 24, 10, 0)).pop().unwrap();
    assert_eq!((reopened.state, reopened.remaining_seconds), (ClockState::Ok, 2 * 3_600));
}

#[test]
fn business_clocks_explain_themselves() {
    let h = business("UTC", &[]);
    let p = policy(h.clone(), 4 * 3_600, 7_200, 86_400);
    // Created Monday 15:00: two hours left that day, two more on Tuesday morning.
    let t = timeline(at(2026, 11, 23, 15, 0));
    let c = clocks(&p, &t, at(2026, 11, 24, 10, 15)).remove(0);
    assert_eq!(c.due_at, Some(at(2026, 11, 24, 11, 0)));
    let utc = crate::domain::when::Zone::Named(chrono_tz::UTC);
    assert_eq!(explain(&c, &h, utc), "first response due Tue 11:00 UTC, 45 business minutes left");
    // The agent reads the due time on their own clock, whatever zone the business hours are in.
    let tokyo = crate::domain::when::Zone::Named(chrono_tz::Asia::Tokyo);
    assert_eq!(explain(&c, &h, tokyo), "first response due Tue 20:00 JST, 45 business minutes left");
}

#[test]
fn a_tier_policy_wins_over_the_general_one() {
    let general = policy(Hours::Calendar, 3_600, 7_200, 86_400);
    let vip = Policy { tier: Some(Tier::Vip), ..policy(Hours::Calendar, 600, 600, 600) };
    let all = Policies { policies: vec![general.clone(), vip.clone()] };
    assert_eq!(all.for_ticket(Priority::Urgent, Tier::Vip), Some(&vip));
    assert_eq!(all.for_ticket(Priority::Urgent, Tier::Gold), Some(&general));
    assert_eq!(all.for_ticket(Priority::Low, Tier::Gold), None);
}

#[test]
fn the_next_due_clock_is_the_breached_or_soonest_one() {
    let p = policy(Hours::Calendar, 3_600, 7_200, 1_800);
    let t = timeline(at(2026, 11, 23, 10, 0));
    let all = clocks(&p, &t, at(2026, 11, 23, 10, 40));
    assert_eq!(next_due(&all).map(|c| c.kind), Some(ClockKind::Resolution));
    // Answered late: the first response clock stays breached, but it is no longer due.
    let mut late = timeline(at(2026, 11, 23, 10, 0));
    late.messages.push((at(2026, 11, 23, 11, 30), true));
    let clocks = clocks(&p, &late, at(2026, 11, 23, 11, 40));
    assert_eq!(clocks[0].state, ClockState::Breached);
    assert_ne!(next_due(&clocks).map(|c| c.kind), Some(ClockKind::FirstResponse));
}

#[test]
fn countdowns_and_durations_are_short() {
    assert_eq!(countdown(12 * 60), "12m");
    assert_eq!(countdown(3 * 3_600 + 5), "3h");
    assert_eq!(countdown(2 * 86_400 + 7), "2d");
    assert_eq!(countdown(-13 * 86_400), "-13d");
    assert_eq!(countdown(-99 * 7 * 86_400), "-99w");
    assert_eq!(countdown(-760 * 86_400), "-2y");
    for seconds in [-86_400 * 800, -86_400 * 99, -86_400 * 13, -3_599, 86_400 * 800] {
        assert!(countdown(seconds).chars().count() <= 4, "{}", countdown(seconds));
    }
    assert_eq!(countdown(-20 * 60), "-20m");
    assert_eq!(countdown(-10), "-1m");
    assert_eq!(parse_duration("30m"), Ok(1_800));
    assert_eq!(parse_duration("4h"), Ok(14_400));
    assert_eq!(parse_duration("2d"), Ok(172_800));
    assert!(parse_duration("soon").unwrap_err().contains("is not a duration like 30m"));
    assert!(parse_duration("0m").unwrap_err().contains("above zero"));
    assert_eq!(parse_duration("366d"), Ok(366 * 86_400));
    for huge in ["367d", "99999999999999999d", "9223372036854775807s", "999999999999999999999999h"] {
        assert!(parse_duration(huge).unwrap_err().contains("longer than a target can be"), "{huge}");
    }
}

/// Working time counted minute by minute (the desk is open at `m` when no wait is needed there),
/// to check the week-at-a-time count against.
fn slow_working_seconds(h: &Hours, a: Timestamp, b: Timestamp) -> i64 {
    let mut total = 0;
    let mut m = a;
    while m < b {
        if h.add_working(m, 0) == m {
            total += 60;
        }
        m += chrono::Duration::minutes(1);
    }
    total
}

#[test]
fn long_ranges_count_the_same_from_summed_days_as_minute_by_minute() {
    let holidays = [NaiveDate::from_ymd_opt(2026, 4, 3).unwrap(), NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()];
    let h = business("Europe/Berlin", &holidays);
    let ranges = [
        (at(2026, 1, 5, 10, 17), at(2026, 6, 30, 15, 3)),
        (at(2026, 3, 1, 0, 0), at(2026, 4, 15, 0, 0)),
        (at(2026, 10, 1, 8, 30), at(2027, 1, 10, 9, 45)),
    ];
    for (a, b) in ranges {
        assert_eq!(h.working_seconds(a, b), slow_working_seconds(&h, a, b), "{a} → {b}");
    }
}

/// Working time counted day by day: each open local day's window clipped to [a, b).
fn day_by_day_working_seconds(h: &Hours, a: Timestamp, b: Timestamp) -> i64 {
    use chrono::Datelike;
    let Hours::Business(bh) = h else { return (b - a).num_seconds() };
    let instant = |d: NaiveDate, t: NaiveTime| bh.time_zone.from_local_datetime(&d.and_time(t)).earliest().unwrap();
    let (first, last) = (a.with_timezone(&bh.time_zone).date_naive(), b.with_timezone(&bh.time_zone).date_naive());
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| bh.weekdays.contains(&d.weekday()) && !bh.holidays.contains(d))
        .map(|d| instant(d, bh.close).with_timezone(&Utc).min(b) - instant(d, bh.open).with_timezone(&Utc).max(a))
        .map(|open| open.num_seconds().max(0))
        .sum()
}

#[test]
fn years_long_ranges_count_the_same_in_any_order_of_asking() {
    let holidays = [NaiveDate::from_ymd_opt(2021, 12, 24).unwrap(), NaiveDate::from_ymd_opt(2025, 5, 1).unwrap()];
    let h = business("America/New_York", &holidays);
    // A later span first, then earlier ones (the sums grow backwards), then one across both, then
    // a span wider than the sums keep (counted day by day).
    let ranges = [
        (at(2025, 2, 3, 14, 0), at(2026, 11, 30, 10, 0)),
        (at(2019, 7, 1, 8, 0), at(2021, 3, 15, 16, 59)),
        (at(2020, 1, 1, 0, 0), at(2026, 6, 1, 0, 0)),
        (at(2026, 3, 6, 12, 0), at(2026, 3, 9, 12, 0)),
        (at(1960, 1, 4, 9, 0), at(2026, 1, 5, 9, 0)),
    ];
    for (a, b) in ranges {
        assert_eq!(h.working_seconds(a, b), day_by_day_working_seconds(&h, a, b), "{a} → {b}");
    }
    // Friday noon to Monday noon across the spring clock change: 5 h + 3 h of work.
    assert_eq!(h.working_seconds(at(2026, 3, 6, 17, 0), at(2026, 3, 9, 16, 0)), 8 * 3_600);
}

#[test]
fn the_timeline_is_read_from_the_event_log() {
    let event = |id, field: &str, new: &str, minute| crate::domain::Event {
        id,
        ticket_id: 7,
        actor: "ana".into(),
        field: field.into(),
        old: None,
        new: Some(new.into()),
        created_at: at(2026, 11, 23, 10, minute),
    };
    let events = [
        event(3, "reply", "12", 30),
        event(1, "created", "Lamp", 0),
        event(4, "status", "open", 30),
        event(5, "tag", "vip", 31),
        event(6, "customer", "13", 40),
        event(7, "status", "pending", 50),
    ];
    let t = Timeline::from_events(at(2026, 11, 23, 10, 0), &events);
    assert_eq!(t.messages, vec![(at(2026, 11, 23, 10, 30), true), (at(2026, 11, 23, 10, 40), false)]);
    assert_eq!(t.statuses, vec![(at(2026, 11, 23, 10, 30), Status::Open), (at(2026, 11, 23, 10, 50), Status::Pending)]);
    let p = policy(Hours::Calendar, 3_600, 7_200, 86_400);
    let all = clocks(&p, &t, at(2026, 11, 23, 12, 0));
    assert_eq!(
        all.iter().map(|c| c.state).collect::<Vec<_>>(),
        vec![ClockState::Met, ClockState::Paused, ClockState::Paused]
    );
}

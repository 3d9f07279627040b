//! The report's maths on hand-made timelines: business hours, pauses, every wait, empty periods.

use super::*;
use crate::domain::sla::{clocks, BusinessHours, ClockKind, Hours, Policies, Policy, Targets, Timeline};
use crate::domain::{Channel, Priority, Status, Tier, Timestamp};
use chrono::{NaiveTime, TimeZone, Utc, Weekday};

fn at(day: u32, hour: u32, min: u32) -> Timestamp {
    // December 2026: the 7th is a Monday.
    Utc.with_ymd_and_hms(2026, 12, day, hour, min, 0).unwrap()
}

fn business() -> Hours {
    Hours::Business(BusinessHours {
        time_zone: chrono_tz::Tz::UTC,
        weekdays: vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
        open: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        close: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
        holidays: vec![],
    })
}

fn policies(hours: Hours) -> Policies {
    let targets = Targets { first_response: Some(3_600), next_response: Some(7_200), resolution: Some(8 * 3_600) };
    Policies { policies: vec![Policy { priority: Priority::Normal, tier: None, targets, hours }] }
}

fn record(id: i64, timeline: Timeline) -> TicketRecord {
    let groups = TicketGroups {
        assignee: Some("ana".into()),
        tier: Tier::Standard,
        organization: None,
        tags: vec![],
        channel: Channel::Email,
        priority: Priority::Normal,
        mailbox: None,
    };
    TicketRecord { id, groups, follows: false, timeline }
}

/// Created Friday 16:30, answered Monday 9:15, the customer writes at 10:00 and is answered at
/// 13:00, solved at 14:00.
fn weekend_ticket() -> Timeline {
    Timeline {
        created_at: at(4, 16, 30),
        statuses: vec![(at(7, 9, 15), Status::Open), (at(7, 14, 0), Status::Solved)],
        messages: vec![(at(4, 16, 30), false), (at(7, 9, 15), true), (at(7, 10, 0), false), (at(7, 13, 0), true)],
    }
}

#[test]
fn times_count_business_hours_like_the_clocks() {
    let p = policies(business());
    let now = at(8, 12, 0);
    let rules = Rules { policies: &p, default_hours: &Hours::Calendar, now };
    let f = facts(&record(1, weekend_ticket()), &rules);
    // Friday 16:30–17:00 and Monday 9:00–9:15.
    assert_eq!(f.first_response.map(|m| m.seconds), Some(45 * 60));
    assert_eq!(f.next_responses.iter().map(|m| m.seconds).collect::<Vec<_>>(), vec![3 * 3_600]);
    assert_eq!(f.resolution.map(|m| m.seconds), Some(30 * 60 + 5 * 3_600));
    // The customer's wait counts every hour: the weekend too.
    assert_eq!(f.customer_wait.map(|m| m.seconds), Some((2 * 86_400 + 16 * 3_600 + 45 * 60) + 3 * 3_600));
    // Each figure is what the ticket's own clock used.
    for c in clocks(&p.policies[0], &weekend_ticket(), now) {
        let used = c.target_seconds - c.remaining_seconds;
        let measured = match c.kind {
            ClockKind::FirstResponse => f.first_response,
            ClockKind::NextResponse => f.next_responses.last().copied(),
            ClockKind::Resolution => f.resolution,
        };
        assert_eq!(measured.map(|m| m.seconds), Some(used), "{:?}", c.kind);
    }
    let kinds: Vec<(ClockKind, bool)> = f.outcomes.iter().map(|o| (o.kind, o.breached)).collect();
    assert_eq!(
        kinds,
        vec![(ClockKind::FirstResponse, false), (ClockKind::NextResponse, true), (ClockKind::Resolution, false)]
    );
    assert_eq!(f.replies_before_solve, 2);
}

#[test]
fn every_wait_is_timed_and_the_last_like_the_next_response_clock() {
    let p = policies(business());
    let mut t = weekend_ticket();
    // A second wait, still unanswered: Monday 15:00 to now.
    t.statuses.push((at(7, 15, 0), Status::Open));
    t.messages.push((at(7, 15, 0), false));
    let now = at(8, 12, 0);
    let uses = crate::domain::sla::clock_uses(&p.policies[0], &t, now);
    let waits: Vec<_> = uses.iter().filter(|u| u.kind == ClockKind::NextResponse).collect();
    assert_eq!(waits.len(), 2);
    let shown = clocks(&p.policies[0], &t, now).into_iter().find(|c| c.kind == ClockKind::NextResponse).unwrap();
    let last = waits[1];
    assert_eq!(
        (last.state, last.remaining_seconds, last.stopped_at),
        (shown.state, shown.remaining_seconds, shown.stopped_at)
    );
    // Monday 15:00–17:00 and Tuesday 9:00–12:00: 5 business hours of a 2-hour target.
    assert_eq!(last.remaining_seconds, 7_200 - 5 * 3_600);
    let rules = Rules { policies: &p, default_hours: &Hours::Calendar, now };
    assert_eq!(facts(&record(4, t), &rules).breaching_now, vec![ClockKind::NextResponse, ClockKind::Resolution]);
}

#[test]
fn pending_time_is_not_counted_and_a_reopen_is_seen() {
    let timeline = Timeline {
        created_at: at(7, 9, 0),
        statuses: vec![
            (at(7, 10, 0), Status::Pending),
            (at(7, 12, 0), Status::Open),
            (at(7, 13, 0), Status::Solved),
            (at(7, 15, 0), Status::Open),
            (at(7, 16, 0), Status::Solved),
        ],
        messages: vec![(at(7, 9, 0), false), (at(7, 10, 0), true)],
    };
    let p = Policies::default();
    let rules = Rules { policies: &p, default_hours: &Hours::Calendar, now: at(8, 0, 0) };
    let f = facts(&record(2, timeline), &rules);
    // 9–10, 12–13 and 15–16: the pending and the first solved stretch are pauses.
    assert_eq!(f.resolution.map(|m| (m.at, m.seconds)), Some((at(7, 16, 0), 3 * 3_600)));
    assert_eq!(f.reopens, vec![at(7, 15, 0)]);
    assert!(f.reopened_before_solve);
    assert!(f.outcomes.is_empty(), "no policy, no clocks");
}

#[test]
fn a_late_unanswered_ticket_is_breaching_now() {
    let timeline = Timeline { created_at: at(7, 9, 0), statuses: vec![], messages: vec![(at(7, 9, 0), false)] };
    let p = policies(Hours::Calendar);
    let rules = Rules { policies: &p, default_hours: &Hours::Calendar, now: at(7, 12, 0) };
    let f = facts(&record(3, timeline), &rules);
    assert_eq!(f.breaching_now, vec![ClockKind::FirstResponse]);
    assert_eq!(f.first_response, None);
}

fn builder_report(tickets: &[TicketRecord], compare: bool) -> Report {
    let p = policies(Hours::Calendar);
    let period = Period { since: at(7, 0, 0), until: at(14, 0, 0) };
    let request = Request {
        period,
        compare,
        by: Some(Dimension::Agent),
        series: Some(SeriesStep::Day),
        zone: Default::default(),
    };
    let mut b = Builder::new(request, Rules { policies: &p, default_hours: &Hours::Calendar, now: at(14, 0, 0) });
    for t in tickets {
        b.add_ticket(t);
    }
    b.finish("calendar hours".into())
}

#[test]
fn an_empty_period_has_counts_of_zero_and_no_times() {
    let r = builder_report(&[], true);
    assert_eq!(r.row(Figure::New).value, Some(0.0));
    for f in [Figure::FirstResponseMedian, Figure::ResolutionP90, Figure::Csat, Figure::Nps, Figure::OneTouch] {
        assert_eq!(r.row(f).value, None, "{f:?}");
        assert_eq!(r.row(f).change_percent, None, "{f:?}");
    }
    assert!(r.groups.is_empty());
    assert_eq!(r.series.len(), 7);
}

#[test]
fn each_figure_lands_in_its_period_group_and_day() {
    let mut older = weekend_ticket();
    older.created_at = at(1, 10, 0);
    let tickets = [record(1, weekend_ticket()), record(2, older)];
    let r = builder_report(&tickets, true);
    // Both were answered and solved on Monday the 7th; the first was created in the period before.
    assert_eq!(r.row(Figure::New).value, Some(0.0));
    assert_eq!(r.row(Figure::New).previous, Some(2.0));
    assert_eq!(r.row(Figure::Solved).value, Some(2.0));
    assert_eq!(r.row(Figure::Solved).change_percent, None, "nothing was solved before");
    assert_eq!(r.groups.len(), 1);
    assert_eq!(r.groups[0].key, "ana");
    let solved_monday = r.series[0].figures.iter().find(|row| row.figure == Figure::Solved).unwrap();
    assert_eq!(solved_monday.value, Some(2.0));
    assert_eq!(r.row(Figure::NextResponseBreached).value, Some(2.0), "answered 3 hours after, of 2");
}

#[test]
fn the_heat_map_counts_customer_messages_of_the_period_by_weekday_and_hour_in_its_zone() {
    let p = policies(Hours::Calendar);
    let period = Period { since: at(7, 0, 0), until: at(14, 0, 0) };
    let request = Request { period, compare: false, by: None, series: None, zone: Default::default() };
    let rules = Rules { policies: &p, default_hours: &Hours::Calendar, now: at(14, 0, 0) };
    let tokyo = crate::domain::when::Zone::Named(chrono_tz::Asia::Tokyo);
    let mut b = Builder::new(request, rules).heat_in(tokyo);
    let timeline = Timeline {
        created_at: at(7, 23, 30),
        statuses: vec![],
        // Opened Monday 23:30 UTC, Tuesday 08:30 in Tokyo (its first message, logged with the
        // opening, counts once); our reply is not counted, nor the message before the period.
        messages: vec![(at(6, 10, 0), false), (at(7, 23, 30), false), (at(8, 1, 0), true), (at(9, 1, 15), false)],
    };
    b.add_ticket(&record(1, timeline));
    let heat = b.finish("calendar hours".into()).heat;
    assert_eq!(heat.zone, "Asia/Tokyo");
    assert_eq!(heat.counts[1][8], 1, "Tuesday 08:00 in Tokyo");
    assert_eq!(heat.counts[2][10], 1, "Wednesday 01:15 UTC is Wednesday 10:15 in Tokyo");
    assert_eq!(heat.total(), 2);
    assert_eq!(heat.most(), 1);
}

/// A small deterministic generator (the tests must not depend on the run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// An open ticket of random statuses and messages at millisecond times, from `start` on.
fn open_timeline(rng: &mut Lcg, start: Timestamp) -> Timeline {
    let mut t = start;
    let mut timeline = Timeline { created_at: t, statuses: vec![], messages: vec![(t, false)] };
    for _ in 0..rng.below(7) {
        t += chrono::Duration::milliseconds(rng.below(3 * 86_400_000) as i64);
        match rng.below(4) {
            0 => timeline.messages.push((t, true)),
            1 => timeline.messages.push((t, false)),
            _ => {
                let s = [Status::Open, Status::Pending, Status::OnHold, Status::Solved][rng.below(4) as usize];
                timeline.statuses.push((t, s));
            }
        }
    }
    // Open now, or waiting on someone (pending, on hold): not solved.
    let end = [Status::Open, Status::Pending, Status::OnHold, Status::New][rng.below(4) as usize];
    if end != Status::New || timeline.status_now() != Status::New {
        timeline.statuses.push((t + chrono::Duration::milliseconds(rng.below(600_000) as i64), end));
    }
    timeline
}

/// Business hours in London (clock changes on 29 March and 25 October 2026), a holiday too.
fn london() -> Hours {
    Hours::Business(BusinessHours {
        time_zone: chrono_tz::Europe::London,
        weekdays: vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
        open: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
        close: NaiveTime::from_hms_opt(18, 0, 0).unwrap(),
        holidays: vec![chrono::NaiveDate::from_ymd_opt(2026, 3, 30).unwrap()],
    })
}

#[test]
fn a_kept_open_ticket_at_any_later_moment_is_the_ticket_worked_out_then() {
    let mut rng = Lcg(16);
    let starts = [at(4, 16, 59), Utc.with_ymd_and_hms(2026, 3, 26, 17, 30, 0).unwrap()];
    for hours in [Hours::Calendar, business(), london()] {
        let p = policies(hours);
        let mut breached = 0;
        for n in 0..300 {
            let timeline = open_timeline(&mut rng, starts[n % 2] + chrono::Duration::milliseconds(n as i64 * 7_919));
            assert!(!is_settled(timeline.status_now()));
            let r = record(n as i64, timeline);
            let kept_at = r.timeline.created_at + chrono::Duration::milliseconds(rng.below(4 * 86_400_000) as i64);
            let rules = |now| Rules { policies: &p, default_hours: &Hours::Calendar, now };
            let kept = kept_summary(&r, &rules(kept_at));
            let running = kept.running.clone().expect("an open ticket keeps its running clocks");
            assert!(running.as_of >= kept_at);
            if running.as_of > r.timeline.created_at {
                let before = running.as_of - chrono::Duration::milliseconds(1);
                assert_eq!(kept.clone().at(before), None, "not before the moment it holds from");
            }
            // Every moment a clock runs out, a millisecond before it, and moments in between.
            let mut moments = vec![running.as_of];
            for (_, at) in &running.breaches {
                moments.extend([*at - chrono::Duration::milliseconds(1), *at, *at + chrono::Duration::seconds(1)]);
            }
            for _ in 0..4 {
                moments.push(running.as_of + chrono::Duration::milliseconds(rng.below(20 * 86_400_000) as i64));
            }
            for now in moments.into_iter().filter(|now| *now >= running.as_of) {
                let live = summary(&r, &rules(now));
                let then = kept.clone().at(now).expect("a later moment");
                assert_eq!((then.facts, then.timeline), (live.facts.clone(), live.timeline), "ticket {n} at {now}");
                breached += live.facts.breaching_now.len();
            }
        }
        assert!(breached > 100, "clocks ran out: {breached}");
    }
}

#[test]
fn without_ticket_numbers_every_figure_is_the_same_and_nothing_is_behind_it() {
    let mut older = weekend_ticket();
    older.created_at = at(1, 10, 0);
    let mut open = weekend_ticket();
    open.statuses.truncate(1);
    let tickets = [record(1, weekend_ticket()), record(2, older), record(3, open)];
    let p = policies(business());
    let build = |keep: bool| {
        let period = Period { since: at(7, 0, 0), until: at(14, 0, 0) };
        let request = Request {
            period,
            compare: true,
            by: Some(Dimension::Agent),
            series: Some(SeriesStep::Day),
            zone: Default::default(),
        };
        let mut b = Builder::new(request, Rules { policies: &p, default_hours: &Hours::Calendar, now: at(14, 0, 0) });
        if !keep {
            b = b.without_ticket_numbers();
        }
        for t in &tickets {
            b.add_ticket(t);
        }
        b.add_nps(&NpsRecord { customer_id: 9, score: 10, at: at(8, 9, 0) });
        b.add_csat(&CsatRecord {
            ticket_id: 1,
            score: 2,
            good: false,
            comment: "slow".into(),
            at: at(8, 9, 0),
            groups: tickets[0].groups.clone(),
        });
        b.finish("business hours".into())
    };
    let (with, without) = (build(true), build(false));
    assert_eq!(serde_json::to_value(&with).unwrap(), serde_json::to_value(&without).unwrap());
    let rows = || without.desk.figures.iter().chain(without.groups.iter().flat_map(|g| &g.figures));
    assert!(rows().all(|r| r.behind.is_empty()));
    assert!(with.desk.figures.iter().filter(|r| !r.behind.is_empty()).count() > 10, "numbers kept by default");
    assert!(with.row(Figure::Solved).value > Some(0.0) && with.row(Figure::Nps).value.is_some());
}

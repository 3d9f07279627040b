use super::*;
use chrono_tz::{America::New_York, Europe::Berlin};

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Timestamp {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// Tue 1 Dec 2026, 13:30 in Berlin (CET, UTC+1).
fn now() -> Timestamp {
    utc(2026, 12, 1, 12, 30)
}

fn berlin(text: &str) -> Result<Timestamp, String> {
    Zone::Named(Berlin).parse(text, now())
}

#[test]
fn days_and_times_are_read_in_the_agents_zone() {
    assert_eq!(berlin("tomorrow 9:00"), Ok(utc(2026, 12, 2, 8, 0)));
    assert_eq!(berlin("tomorrow"), Ok(utc(2026, 12, 2, 8, 0)), "a day alone is 9:00");
    assert_eq!(berlin("Tomorrow at 17:30"), Ok(utc(2026, 12, 2, 16, 30)));
    assert_eq!(berlin("14:00"), Ok(utc(2026, 12, 1, 13, 0)), "later today");
    assert_eq!(berlin("9:00"), Ok(utc(2026, 12, 2, 8, 0)), "already past today: tomorrow");
    assert_eq!(berlin("2pm"), Ok(utc(2026, 12, 1, 13, 0)));
    assert_eq!(berlin("12am"), Ok(utc(2026, 12, 1, 23, 0)));
    assert_eq!(berlin("today 17:00"), Ok(utc(2026, 12, 1, 16, 0)));
    assert_eq!(berlin("2026-12-24 08:00"), Ok(utc(2026, 12, 24, 7, 0)));
    assert_eq!(berlin("2026-12-24T08:00"), Ok(utc(2026, 12, 24, 7, 0)));
    assert_eq!(berlin("2026-12-24"), Ok(utc(2026, 12, 24, 8, 0)), "a date alone is 9:00");
    assert_eq!(berlin("2026-12-24T08:00:00+00:00"), Ok(utc(2026, 12, 24, 8, 0)), "RFC 3339 keeps its offset");
}

#[test]
fn a_weekday_is_the_next_one_after_today() {
    assert_eq!(berlin("mon"), Ok(utc(2026, 12, 7, 8, 0)));
    assert_eq!(berlin("Monday 14:30"), Ok(utc(2026, 12, 7, 13, 30)));
    assert_eq!(berlin("next mon"), Ok(utc(2026, 12, 7, 8, 0)));
    assert_eq!(berlin("wed"), Ok(utc(2026, 12, 2, 8, 0)));
    assert_eq!(berlin("tue"), Ok(utc(2026, 12, 8, 8, 0)), "today's weekday is a week ahead");
}

#[test]
fn delays_count_from_now() {
    assert_eq!(berlin("2h"), Ok(utc(2026, 12, 1, 14, 30)));
    assert_eq!(berlin("90m"), Ok(utc(2026, 12, 1, 14, 0)));
    assert_eq!(berlin("3d"), Ok(utc(2026, 12, 4, 12, 30)));
    assert_eq!(berlin("1w"), Ok(utc(2026, 12, 8, 12, 30)));
    assert_eq!(berlin("in 3 days"), Ok(utc(2026, 12, 4, 12, 30)));
    assert_eq!(berlin("in 2 hours"), Ok(utc(2026, 12, 1, 14, 30)));
    assert_eq!(berlin("1 week"), Ok(utc(2026, 12, 8, 12, 30)));
}

#[test]
fn days_keep_the_wall_clock_across_a_clock_change() {
    // Fri 23 Oct 2026 10:00 CEST; on Sunday the clocks go back to CET.
    let friday = utc(2026, 10, 23, 8, 0);
    let zone = Zone::Named(Berlin);
    assert_eq!(zone.parse("3d", friday), Ok(utc(2026, 10, 26, 9, 0)), "Monday 10:00 CET: 73 hours later");
    assert_eq!(zone.parse("72h", friday), Ok(utc(2026, 10, 26, 8, 0)), "hours are elapsed time");
    assert_eq!(zone.parse("mon", friday), Ok(utc(2026, 10, 26, 8, 0)), "Monday 9:00 is CET");
    assert_eq!(zone.parse("fri", utc(2026, 10, 20, 8, 0)), Ok(utc(2026, 10, 23, 7, 0)), "Friday 9:00 is CEST");
    // Twice 02:30 that night: the earlier, still CEST.
    assert_eq!(zone.parse("2026-10-25 02:30", friday), Ok(utc(2026, 10, 25, 0, 30)));
    // 02:30 never happens on 28 Mar 2027: moved on by the hour the clocks skip (03:30 CEST).
    assert_eq!(zone.parse("2027-03-28 02:30", friday), Ok(utc(2027, 3, 28, 1, 30)));
    // New York is still on EST in December: 9:00 is 14:00 UTC.
    assert_eq!(Zone::Named(New_York).parse("9:00", now()), Ok(utc(2026, 12, 1, 14, 0)));
}

#[test]
fn anything_else_is_one_clear_error() {
    for bad in ["someday", "", "tomorrow-ish", "25:00", "13pm", "2026-13-01", "2026-12-24 8", "0d", "3 fortnights"] {
        let error = berlin(bad).unwrap_err();
        assert!(!error.is_empty() && !error.contains('\n'), "{bad}: {error}");
    }
    assert!(berlin("someday").unwrap_err().starts_with("'someday' is not a time; try tomorrow 9:00"));
    assert!(berlin("25:00").unwrap_err().contains("'25:00' is not a time of day"));
    assert!(berlin("today").unwrap_err().contains("needs a time of day"));
}

#[test]
fn huge_numbers_are_an_error_not_a_panic() {
    for huge in
        ["99999999999999d", "99999999999999999999999m", "9223372036854775807w", "in 99999999 weeks", "300000000h"]
    {
        let error = berlin(huge).unwrap_err();
        assert!(error.contains("too far ahead"), "{huge}: {error}");
    }
    assert!(berlin("9999-06-01 09:00").unwrap_err().contains("too far ahead"));
    assert!(berlin("9999-12-31T23:59:59Z").unwrap_err().contains("too far ahead"), "RFC 3339 is checked too");
}

#[test]
fn times_are_shown_in_the_zone() {
    let zone = Zone::Named(Berlin);
    assert_eq!(zone.short(utc(2026, 12, 7, 8, 0), now()), "Mon 7 Dec 09:00");
    assert_eq!(zone.short(utc(2027, 1, 4, 8, 0), now()), "Mon 4 Jan 2027 09:00");
    assert_eq!(zone.full(utc(2026, 12, 7, 8, 0)), "Mon 7 Dec 2026 09:00 CET");
    assert_eq!(zone.full(utc(2026, 7, 6, 7, 0)), "Mon 6 Jul 2026 09:00 CEST");
}

#[test]
fn each_time_is_shown_with_the_offset_in_force_at_that_time() {
    let zone = Zone::Named(Berlin);
    // Clocks go back at 03:00 CEST on 25 Oct 2026: an hour apart in UTC, the same hour on the wall.
    assert_eq!(zone.format(utc(2026, 10, 25, 0, 30), "%H:%M %Z"), "02:30 CEST");
    assert_eq!(zone.format(utc(2026, 10, 25, 1, 30), "%H:%M %Z"), "02:30 CET");
    assert_eq!(zone.date_of(utc(2026, 12, 31, 23, 30)), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
    let midnight = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    assert_eq!(zone.instant(midnight), Some(utc(2026, 6, 30, 22, 0)));
}

#[test]
fn zones_are_named_as_iana_names_or_local() {
    assert_eq!(Zone::named("Asia/Tokyo"), Ok(Zone::Named(chrono_tz::Asia::Tokyo)));
    assert_eq!(Zone::named(" local "), Ok(Zone::Local));
    let error = Zone::named("Mars/Olympus").unwrap_err();
    assert!(error.starts_with("'Mars/Olympus' is not a time zone"), "{error}");
}

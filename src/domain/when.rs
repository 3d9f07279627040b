//! A time the agent types — `tomorrow 9:00`, `17:30`, `mon 14:30`, `3d`, `in 3 days`,
//! `2026-12-24 08:00` — read in the agent's time zone, and times shown back in it. Pure: `now`
//! and the zone are given; a daylight-saving change is the zone's own on the day in question.

use super::Timestamp;
use chrono::{DateTime, Datelike, Days, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono::{Offset, Weekday};
use std::fmt::Display;

/// A date without a time means this time of day.
const DEFAULT_TIME: (u32, u32) = (9, 0);

/// What the agent is told when a text is not a time.
const EXAMPLES: &str = "try tomorrow 9:00, 17:30, mon, mon 14:30, 3d, 2h, 90m, 1w, in 3 days, 2026-12-24 08:00";

/// The agent's time zone: the machine's (the console and the command line) or a named one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    /// The zone of the machine the program runs on (`TZ`, else `/etc/localtime`).
    Local,
    Named(chrono_tz::Tz),
}

impl Default for Zone {
    fn default() -> Zone {
        Zone::Named(chrono_tz::Tz::UTC)
    }
}

impl Zone {
    /// Read `text` as a time after `now`; one sentence when it is not one.
    pub fn parse(self, text: &str, now: Timestamp) -> Result<Timestamp, String> {
        match self {
            Zone::Local => parse_in(text, now, &chrono::Local),
            Zone::Named(tz) => parse_in(text, now, &tz),
        }
    }

    /// `Mon 7 Dec 09:00`, with the year when it is not `now`'s.
    pub fn short(self, t: Timestamp, now: Timestamp) -> String {
        match self {
            Zone::Local => short_in(t, now, &chrono::Local),
            Zone::Named(tz) => short_in(t, now, &tz),
        }
    }

    /// `Mon 7 Dec 2026 09:00 CET`: the whole local time with its zone.
    pub fn full(self, t: Timestamp) -> String {
        match self {
            Zone::Local => full_in(t, &chrono::Local),
            Zone::Named(tz) => full_in(t, &tz),
        }
    }

    /// `t` on the zone's wall clock, in a `chrono` format (`%Z` is the zone's abbreviation where it
    /// has one). The offset is the one in force at `t`, so a daylight-saving change is honoured.
    pub fn format(self, t: Timestamp, format: &str) -> String {
        match self {
            Zone::Local => t.with_timezone(&chrono::Local).format(format).to_string(),
            Zone::Named(tz) => t.with_timezone(&tz).format(format).to_string(),
        }
    }

    /// The calendar day `t` falls on in this zone.
    pub fn date_of(self, t: Timestamp) -> NaiveDate {
        match self {
            Zone::Local => t.with_timezone(&chrono::Local).date_naive(),
            Zone::Named(tz) => t.with_timezone(&tz).date_naive(),
        }
    }

    /// The instant a wall-clock time in this zone is (the earlier one when the clocks go back, the
    /// time moved on by the gap when they go forward).
    pub fn instant(self, local: NaiveDateTime) -> Option<Timestamp> {
        match self {
            Zone::Local => instant(&chrono::Local, local),
            Zone::Named(tz) => instant(&tz, local),
        }
    }

    /// The zone named `name` (an IANA name such as `Europe/Paris`, or `UTC`), or `local` for the
    /// machine's.
    pub fn named(name: &str) -> Result<Zone, String> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("local") {
            return Ok(Zone::Local);
        }
        name.parse::<chrono_tz::Tz>().map(Zone::Named).map_err(|_| {
            format!("'{name}' is not a time zone; give an IANA name such as Europe/Paris, America/New_York or UTC")
        })
    }
}

/// The zone this process shows and reads human times in, chosen once at start-up from the config
/// (`ui.time_zone`); the machine's zone until then. Store errors that name a time use it.
static AGENT_ZONE: std::sync::OnceLock<Zone> = std::sync::OnceLock::new();

/// Choose the process's zone (the first choice stays).
pub fn set_agent_zone(zone: Zone) {
    let _ = AGENT_ZONE.set(zone);
}

/// The process's zone: the configured one, else the machine's.
pub fn agent_zone() -> Zone {
    AGENT_ZONE.get().copied().unwrap_or(Zone::Local)
}

/// `text` as a time, in `zone`, after `now`. See the module's documentation for what it reads.
pub fn parse_in<Z: TimeZone>(text: &str, now: Timestamp, zone: &Z) -> Result<Timestamp, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(format!("no time given; {EXAMPLES}"));
    }
    let lower = trimmed.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().filter(|w| *w != "at").collect();
    let rfc3339 = || DateTime::parse_from_rfc3339(trimmed).ok().map(|t| Ok(t.with_timezone(&Utc)));
    let read = rfc3339()
        .or_else(|| delay(&words, now, zone))
        .or_else(|| time_of_day(&words, now, zone))
        .or_else(|| named_day(&words, now, zone))
        .or_else(|| date(&words, zone));
    match read {
        // The year 9999 is where a snooze "until the customer writes" lives.
        Some(Ok(t)) if t.year() >= 9999 => Err(too_far(trimmed)),
        Some(Ok(t)) => Ok(t),
        Some(Err(problem)) => Err(problem.replace("{text}", trimmed)),
        None => Err(format!("'{trimmed}' is not a time; {EXAMPLES}")),
    }
}

fn too_far(text: &str) -> String {
    format!("'{text}' is too far ahead; give a time before the year 9999")
}

/// `3d`, `2h`, `90m`, `1w`, `3 days`, `in 3 days`: hours and minutes as elapsed time, days and
/// weeks on the calendar (the same wall-clock time, across a clock change).
fn delay<Z: TimeZone>(words: &[&str], now: Timestamp, zone: &Z) -> Option<Result<Timestamp, String>> {
    let words = match words {
        ["in", rest @ ..] => rest,
        _ => words,
    };
    let (number, unit) = match words {
        [one] => {
            let split = one.find(|c: char| !c.is_ascii_digit())?;
            one.split_at(split)
        }
        [number, unit] => (*number, *unit),
        _ => return None,
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let scale = unit_minutes(unit)?;
    let n = match number.parse::<i64>() {
        Ok(n) if n > 0 => n,
        Ok(_) => return Some(Err("'{text}' is not a delay; give a number above 0, like 3d or 2h".into())),
        Err(_) => return Some(Err(too_far("{text}"))),
    };
    let later = match scale {
        Unit::Minutes(per) => {
            n.checked_mul(per).and_then(Duration::try_minutes).and_then(|d| now.checked_add_signed(d))
        }
        Unit::Days(per) => n.checked_mul(per).and_then(|days| {
            let local = now.with_timezone(zone).naive_local();
            let date = local.date().checked_add_days(Days::new(u64::try_from(days).ok()?))?;
            instant(zone, date.and_time(local.time()))
        }),
    };
    Some(later.ok_or_else(|| too_far("{text}")))
}

enum Unit {
    Minutes(i64),
    Days(i64),
}

fn unit_minutes(unit: &str) -> Option<Unit> {
    Some(match unit {
        "m" | "min" | "mins" | "minute" | "minutes" => Unit::Minutes(1),
        "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Minutes(60),
        "d" | "day" | "days" => Unit::Days(1),
        "w" | "wk" | "wks" | "week" | "weeks" => Unit::Days(7),
        _ => return None,
    })
}

/// `9:00`, `17:30`, `9am`, `2:30pm`: the next such time, today or tomorrow.
fn time_of_day<Z: TimeZone>(words: &[&str], now: Timestamp, zone: &Z) -> Option<Result<Timestamp, String>> {
    let [word] = words else { return None };
    let time = match clock_time(word)? {
        Ok(time) => time,
        Err(problem) => return Some(Err(problem)),
    };
    let today = now.with_timezone(zone).date_naive();
    let at = |date: NaiveDate| instant(zone, date.and_time(time));
    let next = at(today).filter(|t| *t > now).or_else(|| at(today.succ_opt()?));
    Some(next.ok_or_else(|| too_far("{text}")))
}

/// `today 17:00`, `tomorrow`, `tomorrow 9:00`, `mon`, `next monday 14:30`: a day (9:00 unless a
/// time is given). A weekday is the next one after today, a week ahead when today is that day.
fn named_day<Z: TimeZone>(words: &[&str], now: Timestamp, zone: &Z) -> Option<Result<Timestamp, String>> {
    let words = match words {
        ["next", rest @ ..] => rest,
        _ => words,
    };
    let (day, time) = match words {
        [day] => (*day, None),
        [day, time] => (*day, Some(*time)),
        _ => return None,
    };
    let today = now.with_timezone(zone).date_naive();
    let date = match day {
        "today" if time.is_none() => return Some(Err("'{text}' needs a time of day, like today 17:00".into())),
        "today" => today,
        "tomorrow" | "tmrw" => today.succ_opt()?,
        name => {
            let weekday = weekday(name)?;
            let ahead = (7 + weekday.num_days_from_monday() - today.weekday().num_days_from_monday() - 1) % 7 + 1;
            today.checked_add_days(Days::new(u64::from(ahead)))?
        }
    };
    let time = match time {
        None => default_time(),
        Some(word) => match clock_time(word) {
            Some(Ok(time)) => time,
            Some(Err(problem)) => return Some(Err(problem)),
            None => return Some(Err(format!("'{{text}}': '{word}' is not a time of day, like 9:00 or 2pm"))),
        },
    };
    let at = instant(zone, date.and_time(time))?;
    if at <= now {
        return Some(Err(format!("'{{text}}' has already passed ({} now)", clock_label(now, zone))));
    }
    Some(Ok(at))
}

fn weekday(name: &str) -> Option<Weekday> {
    Some(match name {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "weds" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// `2026-12-24` (9:00), `2026-12-24 08:00`, `2026-12-24t08:00`.
fn date<Z: TimeZone>(words: &[&str], zone: &Z) -> Option<Result<Timestamp, String>> {
    let (day, time) = match words {
        [one] => match one.split_once('t') {
            Some((day, time)) => (day, Some(time)),
            None => (*one, None),
        },
        [day, time] => (*day, Some(*time)),
        _ => return None,
    };
    if !day.bytes().next().is_some_and(|b| b.is_ascii_digit()) || !day.contains('-') {
        return None;
    }
    let Ok(date) = NaiveDate::parse_from_str(day, "%Y-%m-%d") else {
        return Some(Err(format!("'{{text}}': '{day}' is not a date; write it as 2026-12-24")));
    };
    let time = match time.map(clock_time) {
        None => default_time(),
        Some(Some(Ok(time))) => time,
        Some(Some(Err(problem))) => return Some(Err(problem)),
        Some(None) => return Some(Err("'{text}' has no time of day that can be read; write it as 08:00".into())),
    };
    Some(instant(zone, date.and_time(time)).ok_or_else(|| too_far("{text}")))
}

fn default_time() -> NaiveTime {
    NaiveTime::from_hms_opt(DEFAULT_TIME.0, DEFAULT_TIME.1, 0).unwrap_or_default()
}

/// `9:00`, `09:00`, `17:30`, `9am`, `12pm`, `2:30pm`; `None` when it does not look like a time,
/// an error when it does but is not one (`25:00`).
fn clock_time(word: &str) -> Option<Result<NaiveTime, String>> {
    let (digits, half) = match (word.strip_suffix("am"), word.strip_suffix("pm")) {
        (Some(d), _) => (d, Some(0)),
        (_, Some(d)) => (d, Some(12)),
        _ => (word, None),
    };
    let (hour, minute) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if half.is_some() => (digits, "00"),
        None => return None,
    };
    let is_number = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !is_number(hour) || minute.len() != 2 || !is_number(minute) {
        return None;
    }
    let (mut h, m): (u32, u32) = (hour.parse().ok()?, minute.parse().ok()?);
    if let Some(offset) = half {
        if !(1..=12).contains(&h) {
            return Some(Err(format!("'{word}' is not a time of day; with am or pm the hour is 1 to 12")));
        }
        h = h % 12 + offset;
    }
    Some(NaiveTime::from_hms_opt(h, m, 0).ok_or_else(|| format!("'{word}' is not a time of day (00:00 to 23:59)")))
}

/// A wall-clock time in `zone` as an instant. Twice in a night the clocks go back: the earlier.
/// Skipped when they go forward: moved on by the gap, as a clock put forward would show it.
fn instant<Z: TimeZone>(zone: &Z, local: NaiveDateTime) -> Option<Timestamp> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(earlier, _) => Some(earlier.with_timezone(&Utc)),
        LocalResult::None => {
            // The offset before the gap says which instant that wall time would have been.
            let before = zone.offset_from_utc_datetime(&(local - Duration::hours(3))).fix();
            let utc = local.checked_sub_signed(Duration::seconds(i64::from(before.local_minus_utc())))?;
            Some(utc.and_utc())
        }
    }
}

fn clock_label<Z: TimeZone>(t: Timestamp, zone: &Z) -> String {
    t.with_timezone(zone).naive_local().format("%a %H:%M").to_string()
}

fn short_in<Z: TimeZone>(t: Timestamp, now: Timestamp, zone: &Z) -> String {
    let local = t.with_timezone(zone).naive_local();
    if local.year() == now.with_timezone(zone).year() {
        local.format("%a %-d %b %H:%M").to_string()
    } else {
        local.format("%a %-d %b %Y %H:%M").to_string()
    }
}

fn full_in<Z: TimeZone>(t: Timestamp, zone: &Z) -> String
where
    Z::Offset: Display,
{
    t.with_timezone(zone).format("%a %-d %b %Y %H:%M %Z").to_string()
}

#[cfg(test)]
mod tests;

//! The period a report covers, the one before it, and its days or weeks for a series.

use crate::domain::when::Zone;
use crate::domain::Timestamp;
use chrono::{Datelike, Duration, Months, NaiveDateTime, NaiveTime};
use serde::Serialize;

/// [since, until): what happened at or after `since` and before `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub since: Timestamp,
    pub until: Timestamp,
}

impl Period {
    pub fn contains(&self, t: Timestamp) -> bool {
        t >= self.since && t < self.until
    }

    /// The period of the same length just before this one.
    pub fn previous(&self) -> Period {
        Period { since: self.since - (self.until - self.since), until: self.since }
    }

    pub fn days(&self) -> f64 {
        (self.until - self.since).num_seconds() as f64 / 86_400.0
    }
}

/// How far back `--last` reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Last {
    Days(u32),
    Months(u32),
    /// The desk's whole history.
    All,
}

/// `7d`, `30d`, `90d`, `2w`, `12m` (months) or `all`; the error names what is accepted.
pub fn parse_last(text: &str) -> Result<Last, String> {
    let t = text.trim().to_ascii_lowercase();
    let wrong = || format!("'{text}' is not a length like 7d, 30d, 90d, 2w, 12m (months) or all");
    if t == "all" {
        return Ok(Last::All);
    }
    let split = t.find(|c: char| !c.is_ascii_digit()).filter(|at| *at > 0).ok_or_else(wrong)?;
    let (number, unit) = t.split_at(split);
    let n: u32 = number.parse().ok().filter(|n| *n > 0 && *n <= 36_500).ok_or_else(wrong)?;
    match unit {
        "d" => Ok(Last::Days(n)),
        "w" => Ok(Last::Days(n * 7)),
        "m" if n <= 1_200 => Ok(Last::Months(n)),
        _ => Err(wrong()),
    }
}

/// The period `last` names, ending at `now`; `first` is when the desk's first ticket came in.
pub fn last_period(last: Last, now: Timestamp, first: Option<Timestamp>) -> Period {
    let since = match last {
        Last::Days(n) => now - Duration::days(n.into()),
        Last::Months(n) => now.checked_sub_months(Months::new(n)).unwrap_or(now - Duration::days(30 * i64::from(n))),
        Last::All => first.unwrap_or(now).min(now),
    };
    Period { since, until: now }
}

/// Per day or per week (weeks start on Monday), on the agent's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeriesStep {
    Day,
    Week,
}

impl std::str::FromStr for SeriesStep {
    type Err = String;
    fn from_str(s: &str) -> Result<SeriesStep, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "day" => Ok(SeriesStep::Day),
            "week" => Ok(SeriesStep::Week),
            _ => Err(format!("'{s}' is not a series step; use day or week")),
        }
    }
}

/// The start of each day or week of `period` in `zone`; the first is `period.since` itself.
pub fn buckets(period: Period, step: SeriesStep, zone: Zone) -> Vec<Timestamp> {
    let mut starts = vec![period.since];
    let mut date = zone.date_of(period.since);
    if step == SeriesStep::Week {
        date = date - Duration::days(date.weekday().num_days_from_monday().into());
    }
    let step_days = if step == SeriesStep::Day { 1 } else { 7 };
    loop {
        date += Duration::days(step_days);
        let Some(start) = zone.instant(NaiveDateTime::new(date, NaiveTime::MIN)) else { continue };
        if start >= period.until {
            return starts;
        }
        if start > period.since {
            starts.push(start);
        }
    }
}

/// Which bucket `t` falls in, given the buckets' starts.
pub fn bucket_of(starts: &[Timestamp], t: Timestamp) -> Option<usize> {
    starts.partition_point(|s| *s <= t).checked_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn at(y: i32, m: u32, d: u32, h: u32) -> Timestamp {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn lengths_read_as_days_weeks_months_or_all() {
        assert_eq!(parse_last("30d"), Ok(Last::Days(30)));
        assert_eq!(parse_last("2w"), Ok(Last::Days(14)));
        assert_eq!(parse_last("12m"), Ok(Last::Months(12)));
        assert_eq!(parse_last("ALL"), Ok(Last::All));
        for wrong in ["", "d", "0d", "30", "3y", "-7d", "7 d"] {
            assert!(parse_last(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn the_previous_period_has_the_same_length() {
        let p = last_period(Last::Days(7), at(2026, 12, 8, 12), None);
        assert_eq!(p.since, at(2026, 12, 1, 12));
        assert_eq!(p.previous(), Period { since: at(2026, 11, 24, 12), until: at(2026, 12, 1, 12) });
        let months = last_period(Last::Months(12), at(2026, 12, 1, 0), None);
        assert_eq!(months.since, at(2025, 12, 1, 0));
    }

    #[test]
    fn all_starts_with_the_first_ticket() {
        let p = last_period(Last::All, at(2026, 12, 1, 0), Some(at(2024, 1, 1, 0)));
        assert_eq!(p.since, at(2024, 1, 1, 0));
        assert_eq!(last_period(Last::All, at(2026, 12, 1, 0), None).days(), 0.0);
    }

    #[test]
    fn days_start_at_local_midnight() {
        let zone = Zone::named("Europe/Paris").unwrap();
        let period = Period { since: at(2026, 12, 1, 12), until: at(2026, 12, 3, 12) };
        let starts = buckets(period, SeriesStep::Day, zone);
        assert_eq!(starts, vec![at(2026, 12, 1, 12), at(2026, 12, 1, 23), at(2026, 12, 2, 23)]);
        assert_eq!(bucket_of(&starts, at(2026, 12, 2, 0)), Some(1));
        assert_eq!(bucket_of(&starts, at(2026, 11, 30, 0)), None);
    }

    #[test]
    fn weeks_start_on_monday() {
        // Thursday 3 December 2026 to Thursday the 17th: the Mondays 7th and 14th start weeks.
        let period = Period { since: at(2026, 12, 3, 9), until: at(2026, 12, 17, 9) };
        let starts = buckets(period, SeriesStep::Week, Zone::default());
        assert_eq!(starts, vec![at(2026, 12, 3, 9), at(2026, 12, 7, 0), at(2026, 12, 14, 0)]);
    }
}

//! Working time: round the clock, or business hours in a time zone with weekdays and holidays.

use crate::domain::Timestamp;
use chrono::{
    Datelike, Days, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

/// How far ahead a due time is looked for before giving up (a calendar with no open day).
const MAX_DAYS: u32 = 3_700;

#[derive(Debug, Clone, PartialEq)]
pub enum Hours {
    /// Every second counts.
    Calendar,
    Business(BusinessHours),
}

#[derive(Debug, Clone, PartialEq)]
pub struct BusinessHours {
    pub time_zone: Tz,
    pub weekdays: Vec<Weekday>,
    pub open: NaiveTime,
    pub close: NaiveTime,
    pub holidays: Vec<NaiveDate>,
}

impl BusinessHours {
    /// The open window of one local day, in UTC, if the desk is open that day.
    fn window(&self, date: NaiveDate) -> Option<(Timestamp, Timestamp)> {
        if !self.weekdays.contains(&date.weekday()) || self.holidays.contains(&date) {
            return None;
        }
        let open = self.instant(date.and_time(self.open))?;
        let close = self.instant(date.and_time(self.close))?;
        (close > open).then_some((open, close))
    }

    /// A local wall time as an instant; in a daylight-saving gap, the first instant after it.
    fn instant(&self, local: NaiveDateTime) -> Option<Timestamp> {
        match self.time_zone.from_local_datetime(&local) {
            LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
            LocalResult::Ambiguous(earlier, _) => Some(earlier.with_timezone(&Utc)),
            LocalResult::None => self
                .time_zone
                .from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
                .map(|t| t.with_timezone(&Utc)),
        }
    }

    fn local_date(&self, t: Timestamp) -> NaiveDate {
        t.with_timezone(&self.time_zone).date_naive()
    }

    /// Open seconds in a week with no holiday and no clock change.
    fn weekly_seconds(&self) -> i64 {
        let day = (self.close - self.open).num_seconds().max(0);
        let mut days = self.weekdays.clone();
        days.sort_by_key(|d| d.num_days_from_monday());
        days.dedup();
        day * days.len() as i64
    }

    /// [from, to) holds no holiday and the same UTC offset at both ends (no daylight-saving change).
    fn is_plain_week(&self, from: NaiveDate, to: NaiveDate) -> bool {
        let offset = |d: NaiveDate| {
            self.instant(d.and_time(NaiveTime::MIN)).map(|t| t.with_timezone(&self.time_zone).offset().fix())
        };
        !self.holidays.iter().any(|h| *h >= from && *h < to) && offset(from).is_some() && offset(from) == offset(to)
    }
}

impl Hours {
    /// Working seconds in [a, b); zero when b is not after a.
    pub fn working_seconds(&self, a: Timestamp, b: Timestamp) -> i64 {
        if b <= a {
            return 0;
        }
        let Hours::Business(bh) = self else { return (b - a).num_seconds() };
        let (first, last) = (bh.local_date(a), bh.local_date(b));
        let clipped =
            |d: NaiveDate| bh.window(d).map(|(open, close)| (close.min(b) - open.max(a)).num_seconds().max(0));
        let mut total = clipped(first).unwrap_or(0) + if last > first { clipped(last).unwrap_or(0) } else { 0 };
        // The days in between are whole: a plain week (no holiday, no clock change) counts at once.
        let mut day = first.succ_opt().unwrap_or(last);
        while day < last {
            match day.checked_add_days(Days::new(7)) {
                Some(next) if next <= last && bh.is_plain_week(day, next) => {
                    total += bh.weekly_seconds();
                    day = next;
                }
                _ => {
                    total += bh.window(day).map(|(open, close)| (close - open).num_seconds()).unwrap_or(0);
                    day = day.succ_opt().unwrap_or(last);
                }
            }
        }
        total
    }

    /// The instant at which `seconds` of working time have passed since `from` (negative: before).
    pub fn add_working(&self, from: Timestamp, seconds: i64) -> Timestamp {
        let Hours::Business(bh) = self else { return from + Duration::seconds(seconds) };
        if seconds < 0 {
            return self.subtract_working(bh, from, -seconds);
        }
        let mut left = seconds;
        for date in bh.local_date(from).iter_days().take(MAX_DAYS as usize) {
            let Some((open, close)) = bh.window(date) else { continue };
            let start = open.max(from);
            if close <= start {
                continue;
            }
            let available = (close - start).num_seconds();
            if left <= available {
                return start + Duration::seconds(left);
            }
            left -= available;
        }
        from + Duration::seconds(seconds)
    }

    fn subtract_working(&self, bh: &BusinessHours, from: Timestamp, seconds: i64) -> Timestamp {
        let mut left = seconds;
        let mut date = bh.local_date(from);
        for _ in 0..MAX_DAYS {
            if let Some((open, close)) = bh.window(date) {
                let end = close.min(from);
                if end > open {
                    let available = (end - open).num_seconds();
                    if left <= available {
                        return end - Duration::seconds(left);
                    }
                    left -= available;
                }
            }
            let Some(previous) = date.pred_opt() else { break };
            date = previous;
        }
        from - Duration::seconds(seconds)
    }
}

//! Working time: round the clock, or business hours in a time zone with weekdays and holidays.

use crate::domain::Timestamp;
use chrono::{Datelike, Days, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use std::cell::RefCell;

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

    /// The open seconds of one whole local day.
    fn day_seconds(&self, date: NaiveDate) -> i64 {
        self.window(date).map(|(open, close)| (close - open).num_seconds()).unwrap_or(0)
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
        // The days in between are whole.
        if let Some(day) = first.succ_opt().filter(|day| *day < last) {
            total += whole_days(bh, day, last);
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

/// Days' open seconds summed from a first day on: the open time of any run of whole days is a
/// difference of two sums, however long the run (a clock of a ticket open for years counts its
/// days once per thread, not once per look).
struct DaySums {
    hours: BusinessHours,
    first: NaiveDate,
    /// `sums[i]`: the open seconds of the days from `first` up to, not including, `first + i`.
    sums: Vec<i64>,
}

/// The widest span of days kept summed for one calendar (about 55 years): a run outside it is
/// counted day by day.
const SUMMED_DAYS: usize = 20_000;
/// The calendars a thread keeps sums of (one per SLA policy's hours at most, usually one).
const KEPT_CALENDARS: usize = 16;

thread_local! {
    /// The calendars this thread has counted in.
    static DAY_SUMS: RefCell<Vec<DaySums>> = const { RefCell::new(Vec::new()) };
}

/// The open seconds of the whole days `[from, to)`.
fn whole_days(hours: &BusinessHours, from: NaiveDate, to: NaiveDate) -> i64 {
    DAY_SUMS.with_borrow_mut(|all| {
        let i = match all.iter().position(|s| s.hours == *hours) {
            Some(i) => i,
            None => {
                // A changed config brings new calendars; the oldest is forgotten.
                if all.len() == KEPT_CALENDARS {
                    all.remove(0);
                }
                all.push(DaySums { hours: hours.clone(), first: from, sums: vec![0] });
                all.len() - 1
            }
        };
        all[i]
            .between(from, to)
            .unwrap_or_else(|| from.iter_days().take_while(|d| *d < to).map(|d| hours.day_seconds(d)).sum())
    })
}

impl DaySums {
    /// The open seconds of `[from, to)`, the sums grown to cover it; `None` past [`SUMMED_DAYS`].
    fn between(&mut self, from: NaiveDate, to: NaiveDate) -> Option<i64> {
        let last = self.first + Days::new(self.sums.len() as u64 - 1);
        let (start, end) = (from.min(self.first), to.max(last));
        if (end - start).num_days() as usize >= SUMMED_DAYS {
            return None;
        }
        if start < self.first {
            let before: Vec<i64> =
                start.iter_days().take_while(|d| *d < self.first).map(|d| self.hours.day_seconds(d)).collect();
            let added: i64 = before.iter().sum();
            let mut sums = Vec::with_capacity(before.len() + self.sums.len());
            let mut running = 0;
            for seconds in before {
                sums.push(running);
                running += seconds;
            }
            sums.extend(self.sums.iter().map(|s| s + added));
            (self.first, self.sums) = (start, sums);
        }
        let mut day = self.first + Days::new(self.sums.len() as u64 - 1);
        while day < end {
            let next = self.sums[self.sums.len() - 1] + self.hours.day_seconds(day);
            self.sums.push(next);
            day = day.succ_opt()?;
        }
        let at = |d: NaiveDate| self.sums[(d - self.first).num_days() as usize];
        Some(at(to) - at(from))
    }
}

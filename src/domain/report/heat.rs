//! When customers write: tickets opened and customer messages of the period counted by weekday
//! and hour, in one time zone (the desk's business hours' when it has them), for staffing.

use crate::domain::when::Zone;
use crate::domain::Timestamp;
use chrono::{Datelike, Timelike};
use serde::Serialize;

/// Customer messages per weekday (Monday first) and hour of the day (0–23).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HeatMap {
    /// The zone the hours are read in.
    pub zone: String,
    /// `counts[weekday][hour]`, Monday = 0.
    pub counts: [[u32; 24]; 7],
}

impl HeatMap {
    pub fn new(zone: Zone) -> HeatMap {
        let name = match zone {
            Zone::Local => "local".to_string(),
            Zone::Named(tz) => tz.name().to_string(),
        };
        HeatMap { zone: name, counts: [[0; 24]; 7] }
    }

    /// Count one customer message on `weekday` (Monday = 0) at `hour` (0–23).
    pub fn add_at(&mut self, weekday: usize, hour: usize) {
        self.counts[weekday][hour] += 1;
    }

    /// The busiest hour's count (0 when nobody wrote).
    pub fn most(&self) -> u32 {
        self.counts.iter().flatten().copied().max().unwrap_or(0)
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().flatten().map(|c| u64::from(*c)).sum()
    }
}

/// The weekday and hour of moments in one zone, for many moments: a zone's offset from UTC is
/// looked up once per UTC day (at its first and last second) and, when both are the same, the
/// day's moments are read by arithmetic alone. A day whose offset changes (a daylight-saving
/// change) is read moment by moment. A whole history's report reads millions of messages' hours,
/// and the zone's rules were about a twentieth of its time (`perf`, a million tickets).
pub struct ZoneClock {
    zone: Zone,
    /// Each UTC day seen: its offset in seconds, or `None` when it changes during the day.
    days: std::collections::HashMap<i64, Option<i64>>,
}

impl ZoneClock {
    pub fn new(zone: Zone) -> ZoneClock {
        ZoneClock { zone, days: std::collections::HashMap::new() }
    }

    fn offset(&self, seconds: i64) -> Option<i64> {
        use chrono::Offset;
        let t = chrono::DateTime::from_timestamp(seconds, 0)?;
        Some(i64::from(match self.zone {
            Zone::Local => t.with_timezone(&chrono::Local).offset().fix().local_minus_utc(),
            Zone::Named(tz) => t.with_timezone(&tz).offset().fix().local_minus_utc(),
        }))
    }

    /// `t`'s weekday (Monday = 0) and hour (0–23) in the zone.
    pub fn weekday_hour(&mut self, t: Timestamp) -> (usize, usize) {
        let seconds = t.timestamp();
        let day = seconds.div_euclid(86_400);
        let offset = match self.days.get(&day) {
            Some(offset) => *offset,
            None => {
                let (first, last) = (self.offset(day * 86_400), self.offset(day * 86_400 + 86_399));
                let offset = first.filter(|f| Some(*f) == last);
                self.days.insert(day, offset);
                offset
            }
        };
        match offset {
            Some(offset) => {
                let local = seconds + offset;
                // 1970-01-01 was a Thursday (3 days after Monday).
                let weekday = (local.div_euclid(86_400) + 3).rem_euclid(7);
                (weekday as usize, (local.rem_euclid(86_400) / 3_600) as usize)
            }
            None => slow_weekday_hour(t, self.zone),
        }
    }
}

fn slow_weekday_hour(t: Timestamp, zone: Zone) -> (usize, usize) {
    let (weekday, hour) = match zone {
        Zone::Local => {
            let local = t.with_timezone(&chrono::Local);
            (local.weekday(), local.hour())
        }
        Zone::Named(tz) => {
            let local = t.with_timezone(&tz);
            (local.weekday(), local.hour())
        }
    };
    (weekday.num_days_from_monday() as usize, hour as usize)
}

#[cfg(test)]
mod clock_tests {
    use super::*;

    #[test]
    fn a_zones_hours_by_the_day_are_its_hours_moment_by_moment_across_its_changes() {
        // London and Adelaide change for daylight saving (Adelaide by half hours), Kolkata is
        // half an hour off all year, Kathmandu three quarters, Lord Howe changes by half an hour.
        for name in ["Europe/London", "Australia/Adelaide", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe"] {
            let zone = Zone::Named(name.parse().unwrap());
            let mut clock = ZoneClock::new(zone);
            // Every 7 minutes 13 seconds over two years, both directions of every change included.
            let start = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z").unwrap().timestamp();
            let mut seconds = start;
            while seconds < start + 2 * 366 * 86_400 {
                let t = chrono::DateTime::from_timestamp(seconds, 0).unwrap();
                assert_eq!(clock.weekday_hour(t), slow_weekday_hour(t, zone), "{name} at {t}");
                seconds += 433;
            }
            let changing = clock.days.values().filter(|o| o.is_none()).count();
            assert!(name.starts_with("Asia") || changing >= 4, "{name}: the changes' days are read moment by moment");
        }
    }
}

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

    /// Count one customer message written at `t`, read in `zone`.
    pub fn add(&mut self, t: Timestamp, zone: Zone) {
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
        self.counts[weekday.num_days_from_monday() as usize][hour as usize] += 1;
    }

    /// The busiest hour's count (0 when nobody wrote).
    pub fn most(&self) -> u32 {
        self.counts.iter().flatten().copied().max().unwrap_or(0)
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().flatten().map(|c| u64::from(*c)).sum()
    }
}

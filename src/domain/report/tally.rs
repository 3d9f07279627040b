//! The running counts of one period (and one group): filled ticket by ticket, read as figures.

use super::facts::{CsatRecord, NpsRecord, SurveyRecord};
use super::figure::Figure;
use super::stats::{distinct, percent, spread, Samples, Spread};
use crate::domain::sla::ClockKind;
use serde::Serialize;

/// A bad CSAT rating and what the customer said.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BadRating {
    pub ticket_id: i64,
    /// 1–5 (bad is 1).
    pub score: u8,
    pub comment: String,
    pub at: crate::domain::Timestamp,
}

/// Ticket numbers (or customers' for NPS) behind each count.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub new: Vec<i64>,
    pub solved: Vec<i64>,
    pub reopened: Vec<i64>,
    pub follow_ups: Vec<i64>,
    /// Backlog at the end, by age: under a day, 1–3 days, 3–7 days, older.
    pub backlog: [Vec<i64>; 4],
    pub first_response: Samples,
    pub next_response: Samples,
    pub resolution: Samples,
    pub customer_wait: Samples,
    /// By clock kind: first response, next response, resolution.
    pub met: [Vec<i64>; 3],
    pub breached: [Vec<i64>; 3],
    pub breaching_now: [Vec<i64>; 3],
    pub csat_good: Vec<i64>,
    pub csat_bad: Vec<BadRating>,
    pub surveyed: Vec<i64>,
    pub surveyed_rated: Vec<i64>,
    /// (score, customer)
    pub nps: Vec<(u8, i64)>,
    pub one_touch: Vec<i64>,
    pub reopened_solved: Vec<i64>,
}

pub fn kind_index(kind: ClockKind) -> usize {
    match kind {
        ClockKind::FirstResponse => 0,
        ClockKind::NextResponse => 1,
        ClockKind::Resolution => 2,
    }
}

/// A figure's value and the numbers behind it.
pub struct Value {
    pub value: Option<f64>,
    pub behind: Vec<i64>,
}

impl Tally {
    pub fn add_backlog(&mut self, id: i64, age_seconds: i64) {
        let bucket = match age_seconds {
            a if a < 86_400 => 0,
            a if a < 3 * 86_400 => 1,
            a if a < 7 * 86_400 => 2,
            _ => 3,
        };
        self.backlog[bucket].push(id);
    }

    pub fn add_csat(&mut self, r: &CsatRecord) {
        if r.good {
            self.csat_good.push(r.ticket_id);
        } else {
            self.csat_bad.push(BadRating {
                ticket_id: r.ticket_id,
                score: r.score,
                comment: r.comment.clone(),
                at: r.at,
            });
        }
    }

    pub fn add_survey(&mut self, s: &SurveyRecord) {
        self.surveyed.push(s.ticket_id);
        if s.rated {
            self.surveyed_rated.push(s.ticket_id);
        }
    }

    pub fn add_nps(&mut self, n: &NpsRecord) {
        self.nps.push((n.score, n.customer_id));
    }

    /// Every figure, in [`Figure::ALL`]'s order; each set of times is sorted once.
    pub fn values(&self) -> Vec<(Figure, Value)> {
        let spreads = self.spreads();
        Figure::ALL.iter().map(|f| (*f, self.value_with(*f, &spreads))).collect()
    }

    fn spreads(&self) -> [Spread; 4] {
        [&self.first_response, &self.next_response, &self.resolution, &self.customer_wait].map(spread)
    }

    fn value_with(&self, figure: Figure, spreads: &[Spread; 4]) -> Value {
        use Figure::*;
        let count = |ids: &[i64]| Value { value: Some(ids.len() as f64), behind: ids.to_vec() };
        let backlog: Vec<i64> = self.backlog.iter().flatten().copied().collect();
        let rated: Vec<i64> = self.csat_good.iter().copied().chain(self.csat_bad.iter().map(|b| b.ticket_id)).collect();
        let nps = |keep: fn(u8) -> bool| -> Vec<i64> { distinct(self.nps.iter().filter(|n| keep(n.0)).map(|n| n.1)) };
        match figure {
            New => count(&self.new),
            Solved => count(&self.solved),
            Reopened => count(&self.reopened),
            FollowUps => count(&self.follow_ups),
            Backlog => count(&backlog),
            BacklogUnderDay => count(&self.backlog[0]),
            BacklogDays => count(&self.backlog[1]),
            BacklogWeek => count(&self.backlog[2]),
            BacklogOld => count(&self.backlog[3]),
            FirstResponseMedian | FirstResponseP90 | FirstResponseMean => times(&spreads[0], figure),
            NextResponseMedian | NextResponseP90 | NextResponseMean => times(&spreads[1], figure),
            ResolutionMedian | ResolutionP90 | ResolutionMean => times(&spreads[2], figure),
            CustomerWaitMedian | CustomerWaitP90 | CustomerWaitMean => times(&spreads[3], figure),
            FirstResponseMet => self.met_percent(0),
            NextResponseMet => self.met_percent(1),
            ResolutionMet => self.met_percent(2),
            FirstResponseBreached => {
                count(&distinct(self.breached[0].iter().copied())).with_count(self.breached[0].len())
            }
            NextResponseBreached => {
                count(&distinct(self.breached[1].iter().copied())).with_count(self.breached[1].len())
            }
            ResolutionBreached => count(&distinct(self.breached[2].iter().copied())).with_count(self.breached[2].len()),
            FirstResponseBreaching => count(&self.breaching_now[0]),
            NextResponseBreaching => count(&self.breaching_now[1]),
            ResolutionBreaching => count(&self.breaching_now[2]),
            Csat => Value { value: percent(self.csat_good.len(), rated.len()), behind: rated },
            Rated => count(&rated),
            ResponseRate => {
                Value { value: percent(self.surveyed_rated.len(), self.surveyed.len()), behind: self.surveyed.clone() }
            }
            BadRatings => count(&self.csat_bad.iter().map(|b| b.ticket_id).collect::<Vec<_>>()),
            Nps => {
                let (promoters, detractors) =
                    (self.nps.iter().filter(|n| n.0 >= 9).count(), self.nps.iter().filter(|n| n.0 <= 6).count());
                let value =
                    percent(promoters, self.nps.len()).zip(percent(detractors, self.nps.len())).map(|(p, d)| p - d);
                Value { value, behind: distinct(self.nps.iter().map(|n| n.1)) }
            }
            Promoters => count(&nps(|s| s >= 9)).with_count(self.nps.iter().filter(|n| n.0 >= 9).count()),
            Passives => count(&nps(|s| (7..=8).contains(&s)))
                .with_count(self.nps.iter().filter(|n| (7..=8).contains(&n.0)).count()),
            Detractors => count(&nps(|s| s <= 6)).with_count(self.nps.iter().filter(|n| n.0 <= 6).count()),
            OneTouch => {
                Value { value: percent(self.one_touch.len(), self.solved.len()), behind: self.one_touch.clone() }
            }
            Reopen => Value {
                value: percent(self.reopened_solved.len(), self.solved.len()),
                behind: self.reopened_solved.clone(),
            },
        }
    }

    fn met_percent(&self, kind: usize) -> Value {
        let (met, breached) = (self.met[kind].len(), self.breached[kind].len());
        let behind = distinct(self.breached[kind].iter().chain(&self.met[kind]).copied());
        Value { value: percent(met, met + breached), behind }
    }
}

impl Value {
    /// The count is of clocks or answers, which can be more than the tickets behind them.
    fn with_count(self, n: usize) -> Value {
        Value { value: Some(n as f64), ..self }
    }
}

fn times(s: &Spread, figure: Figure) -> Value {
    let name = figure.name();
    if name.ends_with("_p90") {
        Value { value: s.p90, behind: s.tail.clone() }
    } else if name.ends_with("_mean") {
        Value { value: s.mean, behind: s.all.clone() }
    } else {
        Value { value: s.median, behind: s.all.clone() }
    }
}

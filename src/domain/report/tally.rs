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

/// How many were counted, the last one, and every ticket (or customer) number when the report
/// keeps them (`--tickets`): a million tickets' numbers behind each figure are hundreds of MB.
#[derive(Debug, Default, Clone)]
pub struct Counted {
    n: usize,
    last: Option<i64>,
    ids: Option<Vec<i64>>,
}

impl Counted {
    pub fn new(with_ids: bool) -> Counted {
        Counted { n: 0, last: None, ids: with_ids.then(Vec::new) }
    }

    pub fn push(&mut self, id: i64) {
        self.n += 1;
        self.last = Some(id);
        if let Some(ids) = &mut self.ids {
            ids.push(id);
        }
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn last(&self) -> Option<i64> {
        self.last
    }

    /// Put the numbers counted in ascending order (as counted ticket by ticket in id order).
    pub fn sort(&mut self) {
        if let Some(ids) = &mut self.ids {
            ids.sort_unstable();
        }
    }

    /// The numbers counted, in order; none when they are not kept.
    pub fn ids(&self) -> &[i64] {
        self.ids.as_deref().unwrap_or_default()
    }
}

/// What each count counts, and the ticket numbers (or customers' for NPS) behind it when kept.
#[derive(Debug, Clone)]
pub struct Tally {
    pub new: Counted,
    pub solved: Counted,
    pub reopened: Counted,
    pub follow_ups: Counted,
    /// Backlog at the end, by age: under a day, 1–3 days, 3–7 days, older.
    pub backlog: [Counted; 4],
    pub first_response: Samples,
    pub next_response: Samples,
    pub resolution: Samples,
    pub customer_wait: Samples,
    /// By clock kind: first response, next response, resolution.
    pub met: [Counted; 3],
    pub breached: [Counted; 3],
    pub breaching_now: [Counted; 3],
    pub csat_good: Counted,
    pub csat_bad: Vec<BadRating>,
    pub surveyed: Counted,
    pub surveyed_rated: Counted,
    /// NPS answers by customer: promoters (9–10), passives (7–8), detractors (0–6).
    pub nps: [Counted; 3],
    /// Every NPS answer's customer, in order.
    pub nps_customers: Counted,
    pub one_touch: Counted,
    pub reopened_solved: Counted,
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
    /// Nothing counted yet; ticket numbers kept only with `with_ids`.
    pub fn new(with_ids: bool) -> Tally {
        let c = || Counted::new(with_ids);
        let s = || Samples::new(with_ids);
        Tally {
            new: c(),
            solved: c(),
            reopened: c(),
            follow_ups: c(),
            backlog: [c(), c(), c(), c()],
            first_response: s(),
            next_response: s(),
            resolution: s(),
            customer_wait: s(),
            met: [c(), c(), c()],
            breached: [c(), c(), c()],
            breaching_now: [c(), c(), c()],
            csat_good: c(),
            csat_bad: Vec::new(),
            surveyed: c(),
            surveyed_rated: c(),
            nps: [c(), c(), c()],
            nps_customers: c(),
            one_touch: c(),
            reopened_solved: c(),
        }
    }

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
        let class = match n.score {
            9.. => 0,
            7..=8 => 1,
            _ => 2,
        };
        self.nps[class].push(n.customer_id);
        self.nps_customers.push(n.customer_id);
    }

    /// Sort the measured times in place, before [`Tally::values`] reads them, and the ticket
    /// numbers behind the tickets' counts: tickets may be counted in any order (ratings, surveys
    /// and NPS answers keep theirs: they are counted in the order they were given).
    pub fn sort_samples(&mut self) {
        for s in [&mut self.first_response, &mut self.next_response, &mut self.resolution, &mut self.customer_wait] {
            s.sort();
        }
        let counts = [&mut self.new, &mut self.solved, &mut self.reopened, &mut self.follow_ups];
        let kinds = self.met.iter_mut().chain(&mut self.breached).chain(&mut self.breaching_now);
        let shares = [&mut self.one_touch, &mut self.reopened_solved];
        for c in counts.into_iter().chain(&mut self.backlog).chain(kinds).chain(shares) {
            c.sort();
        }
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
        let count = |c: &Counted| Value { value: Some(c.len() as f64), behind: c.ids().to_vec() };
        // Each clock or answer counted, the tickets (customers) behind them once each.
        let once = |c: &Counted| Value { value: Some(c.len() as f64), behind: distinct(c.ids().iter().copied()) };
        let backlog = || Value {
            value: Some(self.backlog.iter().map(Counted::len).sum::<usize>() as f64),
            behind: self.backlog.iter().flat_map(Counted::ids).copied().collect(),
        };
        let rated = || self.csat_good.ids().iter().copied().chain(self.csat_bad.iter().map(|b| b.ticket_id));
        let n_rated = self.csat_good.len() + self.csat_bad.len();
        let share =
            |part: &Counted, whole: usize| Value { value: percent(part.len(), whole), behind: part.ids().to_vec() };
        match figure {
            New => count(&self.new),
            Solved => count(&self.solved),
            Reopened => count(&self.reopened),
            FollowUps => count(&self.follow_ups),
            Backlog => backlog(),
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
            FirstResponseBreached => once(&self.breached[0]),
            NextResponseBreached => once(&self.breached[1]),
            ResolutionBreached => once(&self.breached[2]),
            FirstResponseBreaching => count(&self.breaching_now[0]),
            NextResponseBreaching => count(&self.breaching_now[1]),
            ResolutionBreaching => count(&self.breaching_now[2]),
            Csat => Value { value: percent(self.csat_good.len(), n_rated), behind: self.rated_ids(rated()) },
            Rated => Value { value: Some(n_rated as f64), behind: self.rated_ids(rated()) },
            ResponseRate => Value {
                value: percent(self.surveyed_rated.len(), self.surveyed.len()),
                behind: self.surveyed.ids().to_vec(),
            },
            BadRatings => Value {
                value: Some(self.csat_bad.len() as f64),
                behind: self.rated_ids(self.csat_bad.iter().map(|b| b.ticket_id)),
            },
            Nps => {
                let answers = self.nps_customers.len();
                let (promoters, detractors) = (self.nps[0].len(), self.nps[2].len());
                let value = percent(promoters, answers).zip(percent(detractors, answers)).map(|(p, d)| p - d);
                Value { value, behind: distinct(self.nps_customers.ids().iter().copied()) }
            }
            Promoters => once(&self.nps[0]),
            Passives => once(&self.nps[1]),
            Detractors => once(&self.nps[2]),
            OneTouch => share(&self.one_touch, self.solved.len()),
            Reopen => share(&self.reopened_solved, self.solved.len()),
        }
    }

    /// Rated tickets' numbers, when this tally keeps ticket numbers.
    fn rated_ids(&self, ids: impl Iterator<Item = i64>) -> Vec<i64> {
        if self.new.ids.is_some() {
            ids.collect()
        } else {
            Vec::new()
        }
    }

    fn met_percent(&self, kind: usize) -> Value {
        let (met, breached) = (self.met[kind].len(), self.breached[kind].len());
        let behind = distinct(self.breached[kind].ids().iter().chain(self.met[kind].ids()).copied());
        Value { value: percent(met, met + breached), behind }
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

//! A report built ticket by ticket: each ticket's facts go to the period (and group, and day or
//! week) they happened in, then every tally is read as rows of figures.

use super::facts::{
    backlog_age, summary, CsatRecord, NpsRecord, Rules, SurveyRecord, TicketGroups, TicketRecord, TicketSummary,
};
use super::figure::{Figure, Unit};
use super::heat::{HeatMap, ZoneClock};
use super::period::{bucket_of, buckets, Period, SeriesStep};
use super::tally::{kind_index, BadRating, Tally};
use super::Dimension;
use crate::domain::when::Zone;
use crate::domain::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;

/// What a report is asked for.
#[derive(Debug, Clone)]
pub struct Request {
    pub period: Period,
    /// Compared with the period before it (not for the whole history).
    pub compare: bool,
    pub by: Option<Dimension>,
    pub series: Option<SeriesStep>,
    pub zone: Zone,
}

/// One figure of a section: this period's value, the previous period's, and the change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub figure: Figure,
    pub unit: Unit,
    /// `null` when there is nothing to measure (no ticket solved, nothing rated…).
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<f64>,
    /// value − previous (for percentages, in points).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<f64>,
    /// The change as a share of the previous value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_percent: Option<f64>,
    /// The tickets (customers, for NPS) behind this period's value.
    #[serde(skip)]
    pub behind: Vec<i64>,
}

/// The figures of the whole desk, or of one group of `--by`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// `desk`, or the group's name (`ana`, `gold`, `unassigned`…).
    pub key: String,
    pub figures: Vec<Row>,
}

/// One day or week of the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesPoint {
    pub start: Timestamp,
    pub figures: Vec<Row>,
}

/// A whole report: plain data, drawn by the command line (and the console) as it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub period: Period,
    pub previous_period: Option<Period>,
    pub generated_at: Timestamp,
    /// Which hours the times count (see `--explain`).
    pub hours: String,
    pub by: Option<Dimension>,
    pub desk: Section,
    pub groups: Vec<Section>,
    pub series_step: Option<SeriesStep>,
    pub series: Vec<SeriesPoint>,
    /// This period's bad CSAT ratings, newest first.
    pub bad_ratings: Vec<BadRating>,
    /// When customers wrote in this period (hour × weekday).
    pub heat: HeatMap,
}

/// This period's and the previous one's tallies.
struct Pair {
    current: Tally,
    previous: Tally,
}

impl Pair {
    fn new(with_ids: bool) -> Pair {
        Pair { current: Tally::new(with_ids), previous: Tally::new(with_ids) }
    }

    fn pick(&mut self, current: bool) -> &mut Tally {
        if current {
            &mut self.current
        } else {
            &mut self.previous
        }
    }
}

pub struct Builder<'a> {
    request: Request,
    rules: Rules<'a>,
    desk: Pair,
    groups: BTreeMap<String, Pair>,
    starts: Vec<Timestamp>,
    series: Vec<Tally>,
    heat: HeatMap,
    /// The zone the heat map's hours are read in.
    heat_zone: ZoneClock,
    /// Whether each figure keeps the ticket numbers behind it ([`Row::behind`]).
    with_ids: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum When {
    Current,
    Previous,
}

impl<'a> Builder<'a> {
    pub fn new(request: Request, rules: Rules<'a>) -> Builder<'a> {
        let starts = request.series.map(|step| buckets(request.period, step, request.zone)).unwrap_or_default();
        let series = vec![Tally::new(true); starts.len()];
        let (heat, heat_zone) = (HeatMap::new(request.zone), ZoneClock::new(request.zone));
        let desk = Pair::new(true);
        Builder { request, rules, desk, groups: BTreeMap::new(), starts, series, heat, heat_zone, with_ids: true }
    }

    /// Count without keeping the ticket numbers behind each figure (every [`Row::behind`] empty):
    /// the same figures, in memory that does not grow with every ticket counted.
    pub fn without_ticket_numbers(mut self) -> Builder<'a> {
        self.with_ids = false;
        self.desk = Pair::new(false);
        self.series = vec![Tally::new(false); self.starts.len()];
        self.groups.clear();
        self
    }

    /// Read the heat map's hours in `zone` (the desk's business hours' zone) instead of the request's.
    pub fn heat_in(mut self, zone: Zone) -> Builder<'a> {
        self.heat = HeatMap::new(zone);
        self.heat_zone = ZoneClock::new(zone);
        self
    }

    /// The earliest moment anything counted can have happened.
    pub fn reaches_back_to(&self) -> Timestamp {
        self.previous().map_or(self.request.period.since, |p| p.since)
    }

    fn previous(&self) -> Option<Period> {
        self.request.compare.then(|| self.request.period.previous())
    }

    fn when(&self, t: Timestamp) -> Option<When> {
        if self.request.period.contains(t) {
            Some(When::Current)
        } else if self.previous().is_some_and(|p| p.contains(t)) {
            Some(When::Previous)
        } else {
            None
        }
    }

    /// Add `f` to every tally `t` and `groups` fall in.
    fn each(&mut self, t: Timestamp, groups: &TicketGroups, mut f: impl FnMut(&mut Tally)) {
        let Some(when) = self.when(t) else { return };
        let current = when == When::Current;
        f(self.desk.pick(current));
        if let Some(by) = self.request.by {
            for key in by.keys(groups) {
                let with_ids = self.with_ids;
                f(self.groups.entry(key).or_insert_with(|| Pair::new(with_ids)).pick(current));
            }
        }
        if when == When::Current {
            if let Some(i) = bucket_of(&self.starts, t) {
                f(&mut self.series[i]);
            }
        }
    }

    /// What the builder was asked for.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// The rules the builder times tickets by.
    pub fn rules(&self) -> &Rules<'a> {
        &self.rules
    }

    /// Count one ticket, from its timeline.
    pub fn add_ticket(&mut self, r: &TicketRecord) {
        let s = summary(r, &self.rules);
        self.add_summary(r.id, &r.groups, r.follows, &s);
    }

    /// Count one ticket from its summary (as [`summary`] made it under these rules, kept or not).
    pub fn add_summary(&mut self, id: i64, g: &TicketGroups, follows: bool, s: &TicketSummary) {
        let facts = &s.facts;
        let created = s.timeline.created_at;
        self.each(created, g, |t| t.new.push(id));
        if follows {
            self.each(created, g, |t| t.follow_ups.push(id));
        }
        for at in &facts.reopens {
            // Once per ticket and tally, however often it was reopened: tickets come one at a time.
            self.each(*at, g, |t| {
                if t.reopened.last() != Some(id) {
                    t.reopened.push(id);
                }
            });
        }
        if let Some(m) = facts.first_response {
            self.each(m.at, g, |t| t.first_response.push(m.seconds, id));
        }
        for m in &facts.next_responses {
            self.each(m.at, g, |t| t.next_response.push(m.seconds, id));
        }
        if let Some(m) = facts.resolution {
            let (one_touch, reopened) = (facts.replies_before_solve == 1, facts.reopened_before_solve);
            self.each(m.at, g, |t| {
                t.solved.push(id);
                t.resolution.push(m.seconds, id);
                if one_touch {
                    t.one_touch.push(id);
                }
                if reopened {
                    t.reopened_solved.push(id);
                }
            });
        }
        if let Some(m) = facts.customer_wait {
            self.each(m.at, g, |t| t.customer_wait.push(m.seconds, id));
        }
        for o in &facts.outcomes {
            let k = kind_index(o.kind);
            self.each(o.at, g, |t| if o.breached { t.breached[k].push(id) } else { t.met[k].push(id) });
        }
        self.add_backlog(id, g, &s.timeline, &facts.breaching_now);
        self.add_heat(&s.timeline);
    }

    /// The ticket's opening (its customer's first message, logged as `created`) and its later
    /// customer messages, written in this period.
    fn add_heat(&mut self, timeline: &crate::domain::sla::Timeline) {
        let (period, created) = (self.request.period, timeline.created_at);
        let later = timeline.messages.iter().filter(|(at, reply)| !reply && *at != created).map(|(at, _)| *at);
        for at in std::iter::once(created).chain(later).filter(|at| period.contains(*at)) {
            let (weekday, hour) = self.heat_zone.weekday_hour(at);
            self.heat.add_at(weekday, hour);
        }
    }

    /// The backlog at the end of each period, and the clocks breaching now (this period only).
    fn add_backlog(
        &mut self,
        id: i64,
        groups: &TicketGroups,
        timeline: &crate::domain::sla::Timeline,
        breaching: &[crate::domain::sla::ClockKind],
    ) {
        let ends = [Some(self.request.period.until), self.previous().map(|p| p.until)];
        let keys = self.request.by.map(|by| by.keys(groups)).unwrap_or_default();
        let with_ids = self.with_ids;
        for (i, end) in ends.into_iter().enumerate() {
            let Some(age) = end.and_then(|end| backlog_age(timeline, end)) else { continue };
            self.desk.pick(i == 0).add_backlog(id, age);
            for key in &keys {
                self.groups.entry(key.clone()).or_insert_with(|| Pair::new(with_ids)).pick(i == 0).add_backlog(id, age);
            }
        }
        for kind in breaching {
            let k = kind_index(*kind);
            self.desk.current.breaching_now[k].push(id);
            for key in &keys {
                self.groups.entry(key.clone()).or_insert_with(|| Pair::new(with_ids)).current.breaching_now[k].push(id);
            }
        }
    }

    pub fn add_csat(&mut self, r: &CsatRecord) {
        self.each(r.at, &r.groups, |t| t.add_csat(r));
    }

    pub fn add_survey(&mut self, s: &SurveyRecord) {
        self.each(s.sent_at, &s.groups, |t| t.add_survey(s));
    }

    /// NPS is a customer's, not a ticket's: it counts for the desk and its series only.
    pub fn add_nps(&mut self, n: &NpsRecord) {
        let Some(when) = self.when(n.at) else { return };
        match when {
            When::Current => self.desk.current.add_nps(n),
            When::Previous => self.desk.previous.add_nps(n),
        }
        if when == When::Current {
            if let Some(i) = bucket_of(&self.starts, n.at) {
                self.series[i].add_nps(n);
            }
        }
    }

    pub fn finish(mut self, hours: String) -> Report {
        let pairs = std::iter::once(&mut self.desk).chain(self.groups.values_mut());
        for tally in pairs.flat_map(|p| [&mut p.current, &mut p.previous]).chain(self.series.iter_mut()) {
            tally.sort_samples();
        }
        let compare = self.request.compare;
        let section =
            |key: String, pair: &Pair| Section { key, figures: rows(&pair.current, compare.then_some(&pair.previous)) };
        let mut bad_ratings = self.desk.current.csat_bad.clone();
        bad_ratings.sort_by_key(|b| std::cmp::Reverse(b.at));
        Report {
            period: self.request.period,
            previous_period: self.previous(),
            generated_at: self.rules.now,
            hours,
            by: self.request.by,
            desk: section("desk".into(), &self.desk),
            groups: self.groups.iter().map(|(k, p)| section(k.clone(), p)).collect(),
            series_step: self.request.series,
            series: self
                .starts
                .iter()
                .zip(&self.series)
                .map(|(s, t)| SeriesPoint { start: *s, figures: rows(t, None) })
                .collect(),
            bad_ratings,
            heat: self.heat,
        }
    }
}

fn rows(current: &Tally, previous: Option<&Tally>) -> Vec<Row> {
    let before: Option<Vec<_>> = previous.map(|p| p.values());
    current
        .values()
        .into_iter()
        .enumerate()
        .map(|(i, (figure, v))| {
            // Breaching now is of now: the period before has no such figure.
            let now_only = figure.name().ends_with("_now");
            let previous = before.as_ref().and_then(|b| b[i].1.value).filter(|_| !now_only);
            let change = v.value.zip(previous).map(|(now, was)| now - was);
            let change_percent =
                v.value.zip(previous).filter(|(_, was)| *was != 0.0).map(|(now, was)| 100.0 * (now - was) / was.abs());
            Row { figure, unit: figure.unit(), value: v.value, previous, change, change_percent, behind: v.behind }
        })
        .collect()
}

impl Report {
    pub fn row(&self, figure: Figure) -> &Row {
        let i = Figure::ALL.iter().position(|f| *f == figure).unwrap_or(0);
        &self.desk.figures[i]
    }
}

//! Median, 90th percentile and mean of a set of durations, with the tickets behind each.

/// Measured seconds, and the ticket each was measured on when the report keeps them.
#[derive(Debug, Clone, Default)]
pub struct Samples {
    seconds: Seconds,
    /// Beside `seconds`, one for one; `None` when the report keeps no ticket numbers.
    ids: Option<Vec<i64>>,
}

/// The seconds as 4-byte numbers while every one fits (68 years either way), else as 8-byte
/// ones: a million tickets' times are then half the memory, and the figures the same.
#[derive(Debug, Clone)]
enum Seconds {
    Narrow(Vec<i32>),
    Wide(Vec<i64>),
}

impl Default for Seconds {
    fn default() -> Seconds {
        Seconds::Narrow(Vec::new())
    }
}

impl Seconds {
    fn push(&mut self, value: i64) {
        match self {
            Seconds::Narrow(narrow) => match i32::try_from(value) {
                Ok(v) => narrow.push(v),
                Err(_) => {
                    let mut wide: Vec<i64> = narrow.iter().map(|v| i64::from(*v)).collect();
                    wide.push(value);
                    *self = Seconds::Wide(wide);
                }
            },
            Seconds::Wide(wide) => wide.push(value),
        }
    }

    fn sort(&mut self) {
        match self {
            Seconds::Narrow(v) => v.sort_unstable(),
            Seconds::Wide(v) => v.sort_unstable(),
        }
    }

    fn is_sorted(&self) -> bool {
        match self {
            Seconds::Narrow(v) => v.is_sorted(),
            Seconds::Wide(v) => v.is_sorted(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Seconds::Narrow(v) => v.len(),
            Seconds::Wide(v) => v.len(),
        }
    }

    fn get(&self, i: usize) -> i64 {
        match self {
            Seconds::Narrow(v) => i64::from(v[i]),
            Seconds::Wide(v) => v[i],
        }
    }

    fn iter(&self) -> Box<dyn Iterator<Item = i64> + '_> {
        match self {
            Seconds::Narrow(v) => Box::new(v.iter().map(|s| i64::from(*s))),
            Seconds::Wide(v) => Box::new(v.iter().copied()),
        }
    }
}

impl Samples {
    /// No samples yet; the tickets' numbers kept beside them only with `with_ids`.
    pub fn new(with_ids: bool) -> Samples {
        Samples { seconds: Seconds::default(), ids: with_ids.then(Vec::new) }
    }

    /// Sort the seconds in place when no ticket numbers are paired with them: [`spread`] then
    /// reads them without a sorted copy (at a million tickets, tens of MB).
    pub fn sort(&mut self) {
        if self.ids.is_none() {
            self.seconds.sort();
        }
    }

    pub fn push(&mut self, seconds: i64, id: i64) {
        self.seconds.push(seconds);
        if let Some(ids) = &mut self.ids {
            ids.push(id);
        }
    }
}

/// The middle value (the mean of the two middle ones for an even count); `None` when empty.
pub fn median(sorted: &[i64]) -> Option<f64> {
    median_of(sorted.len(), |i| sorted[i])
}

pub fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    percentile_of(sorted.len(), p, |i| sorted[i])
}

pub fn mean(values: &[i64]) -> Option<f64> {
    mean_of(values.len(), values.iter().copied())
}

/// The median of `n` sorted values, the `i`th given by `at`.
fn median_of(n: usize, at: impl Fn(usize) -> i64) -> Option<f64> {
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(at(n / 2) as f64),
        _ => Some((at(n / 2 - 1) as f64 + at(n / 2) as f64) / 2.0),
    }
}

/// The `p`th percentile (nearest rank) of `n` sorted values, the `i`th given by `at`.
fn percentile_of(n: usize, p: u32, at: impl Fn(usize) -> i64) -> Option<i64> {
    (n > 0).then(|| at((n * p as usize).div_ceil(100).clamp(1, n) - 1))
}

/// The mean of `n` values.
fn mean_of(n: usize, values: impl Iterator<Item = i64>) -> Option<f64> {
    (n > 0).then(|| values.map(|v| v as f64).sum::<f64>() / n as f64)
}

/// `part` of `whole` in per cent; `None` when the whole is empty.
pub fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

/// Ticket numbers once each, in the order first seen.
pub fn distinct(ids: impl IntoIterator<Item = i64>) -> Vec<i64> {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter().filter(|id| seen.insert(*id)).collect()
}

/// The three figures of a set of samples and the tickets behind each: every ticket measured
/// (slowest first) for the median and the mean, the tail at or above the p90 for the p90 (none
/// when the samples keep no ticket numbers).
pub struct Spread {
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub mean: Option<f64>,
    pub all: Vec<i64>,
    pub tail: Vec<i64>,
}

pub fn spread(samples: &Samples) -> Spread {
    let sorted = if samples.seconds.is_sorted() {
        std::borrow::Cow::Borrowed(&samples.seconds)
    } else {
        let mut sorted = samples.seconds.clone();
        sorted.sort();
        std::borrow::Cow::Owned(sorted)
    };
    let p90 = percentile_of(sorted.len(), 90, |i| sorted.get(i));
    let (all, tail) = match &samples.ids {
        Some(ids) => {
            let mut by_time: Vec<(i64, i64)> = samples.seconds.iter().zip(ids.iter().copied()).collect();
            by_time.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let tail = distinct(by_time.iter().filter(|s| p90.is_some_and(|p| s.0 >= p)).map(|s| s.1));
            (distinct(by_time.iter().map(|s| s.1)), tail)
        }
        None => (Vec::new(), Vec::new()),
    };
    let median = median_of(sorted.len(), |i| sorted.get(i));
    Spread { median, p90: p90.map(|v| v as f64), mean: mean_of(sorted.len(), sorted.iter()), all, tail }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples(pairs: impl IntoIterator<Item = (i64, i64)>, with_ids: bool) -> Samples {
        let mut s = Samples::new(with_ids);
        for (seconds, id) in pairs {
            s.push(seconds, id);
        }
        s
    }

    #[test]
    fn empty_sets_have_no_figures() {
        assert_eq!(median(&[]), None);
        assert_eq!(percentile(&[], 90), None);
        assert_eq!(mean(&[]), None);
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn one_value_is_every_figure() {
        assert_eq!(median(&[7]), Some(7.0));
        assert_eq!(percentile(&[7], 90), Some(7));
        assert_eq!(mean(&[7]), Some(7.0));
    }

    #[test]
    fn an_even_count_takes_the_mean_of_the_middle_two() {
        assert_eq!(median(&[1, 2, 3, 10]), Some(2.5));
    }

    #[test]
    fn the_p90_is_the_nearest_rank() {
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&ten, 90), Some(9));
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(percentile(&eleven, 90), Some(10)); // rank ceil(9.9) = 10
        assert_eq!(percentile(&[5, 5, 5], 90), Some(5));
    }

    #[test]
    fn the_tail_holds_the_tickets_at_or_over_the_p90_slowest_first() {
        let s = spread(&samples((1..=10).map(|i| (i * 60, 100 + i)), true));
        assert_eq!(s.p90, Some(540.0));
        assert_eq!(s.tail, vec![110, 109]);
        assert_eq!(s.all.first(), Some(&110));
        assert_eq!(s.mean, Some(330.0));
    }

    #[test]
    fn a_ticket_measured_twice_is_listed_once() {
        let s = spread(&samples([(10, 1), (20, 1), (30, 2)], true));
        assert_eq!(s.all, vec![2, 1]);
    }

    #[test]
    fn without_ticket_numbers_the_figures_are_the_same() {
        let pairs: Vec<(i64, i64)> = (1..=25).map(|i| ((i * 37) % 11 * 60, i)).collect();
        let (with, without) = (spread(&samples(pairs.clone(), true)), spread(&samples(pairs, false)));
        assert_eq!((with.median, with.p90, with.mean), (without.median, without.p90, without.mean));
        assert!(with.median.is_some() && !with.all.is_empty() && !with.tail.is_empty());
        assert!(without.all.is_empty() && without.tail.is_empty());
    }

    #[test]
    fn a_time_too_long_for_four_bytes_keeps_every_figure_exact() {
        let long = i64::from(i32::MAX) + 10;
        let mut values: Vec<i64> = (1..=20).map(|i| i * 100).collect();
        values.extend([long, -long, 7]);
        for with_ids in [false, true] {
            let mut s = samples(values.iter().map(|v| (*v, *v)), with_ids);
            s.sort();
            let got = spread(&s);
            let mut sorted = values.clone();
            sorted.sort_unstable();
            assert_eq!(got.median, median(&sorted));
            assert_eq!(got.p90, percentile(&sorted, 90).map(|v| v as f64));
            assert_eq!(got.mean, mean(&sorted));
        }
    }
}

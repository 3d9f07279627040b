//! Satisfaction: CSAT per solved ticket, NPS per customer, and the figures made of them.

use super::Timestamp;
use chrono::Duration;
use std::str::FromStr;

/// A CSAT answer: good or bad, or 1 to 5 where 4 and 5 count as good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Csat {
    Good,
    Bad,
    Score(u8),
}

impl Csat {
    pub fn is_good(self) -> bool {
        match self {
            Csat::Good => true,
            Csat::Bad => false,
            Csat::Score(s) => s >= 4,
        }
    }

    /// As stored: 1–5, with good as 5 and bad as 1.
    pub fn score(self) -> u8 {
        match self {
            Csat::Good => 5,
            Csat::Bad => 1,
            Csat::Score(s) => s,
        }
    }

    pub fn label(self) -> String {
        match self {
            Csat::Good => "good".into(),
            Csat::Bad => "bad".into(),
            Csat::Score(s) => format!("{s}/5"),
        }
    }
}

impl FromStr for Csat {
    type Err = String;
    fn from_str(s: &str) -> Result<Csat, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "good" => Ok(Csat::Good),
            "bad" => Ok(Csat::Bad),
            n => match n.parse::<u8>() {
                Ok(score @ 1..=5) => Ok(Csat::Score(score)),
                _ => Err(format!("'{s}' is not a CSAT rating; use good, bad or 1 to 5")),
            },
        }
    }
}

/// An NPS score, 0 to 10.
pub fn parse_nps(s: &str) -> Result<u8, String> {
    match s.trim().parse::<u8>() {
        Ok(score @ 0..=10) => Ok(score),
        _ => Err(format!("'{s}' is not an NPS score; use 0 to 10")),
    }
}

/// NPS is asked at most once per customer in this many days.
pub const NPS_INTERVAL_DAYS: i64 = 30;

/// Whether an NPS asked at `now` comes too soon after the last one at `last`.
pub fn nps_too_soon(last: Timestamp, now: Timestamp) -> bool {
    now - last < Duration::days(NPS_INTERVAL_DAYS)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatingKind {
    Csat,
    Nps,
}

impl RatingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RatingKind::Csat => "csat",
            RatingKind::Nps => "nps",
        }
    }
}

/// One recorded rating of a customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    pub kind: RatingKind,
    /// CSAT 1–5 or NPS 0–10.
    pub score: u8,
    /// For CSAT: counted as good.
    pub good: bool,
    pub ticket_id: Option<i64>,
    pub comment: String,
    pub created_at: Timestamp,
}

impl Rating {
    /// `CSAT 4/5`, `CSAT bad`, `NPS 9`.
    pub fn label(&self) -> String {
        match self.kind {
            RatingKind::Csat => format!("CSAT {}", if self.good { "good" } else { "bad" }),
            RatingKind::Nps => format!("NPS {}", self.score),
        }
    }
}

/// CSAT % = good ÷ (good + bad); `None` when nothing was rated.
pub fn csat_percent(ratings: &[Rating]) -> Option<f64> {
    let csat: Vec<_> = ratings.iter().filter(|r| r.kind == RatingKind::Csat).collect();
    let good = csat.iter().filter(|r| r.good).count();
    (!csat.is_empty()).then(|| 100.0 * good as f64 / csat.len() as f64)
}

/// NPS = % promoters (9–10) − % detractors (0–6); `None` when nobody answered.
pub fn nps(ratings: &[Rating]) -> Option<f64> {
    let scores: Vec<u8> = ratings.iter().filter(|r| r.kind == RatingKind::Nps).map(|r| r.score).collect();
    let promoters = scores.iter().filter(|s| **s >= 9).count() as f64;
    let detractors = scores.iter().filter(|s| **s <= 6).count() as f64;
    (!scores.is_empty()).then(|| 100.0 * (promoters - detractors) / scores.len() as f64)
}

/// `CSAT 67% of 3 · NPS 20 of 1`, or `not rated yet`.
pub fn summary(ratings: &[Rating]) -> String {
    let count = |kind| ratings.iter().filter(|r| r.kind == kind).count();
    let mut parts = Vec::new();
    if let Some(pct) = csat_percent(ratings) {
        parts.push(format!("CSAT {pct:.0}% of {}", count(RatingKind::Csat)));
    }
    if let Some(score) = nps(ratings) {
        parts.push(format!("NPS {score:.0} of {}", count(RatingKind::Nps)));
    }
    if parts.is_empty() {
        "not rated yet".into()
    } else {
        parts.join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn rating(kind: RatingKind, score: u8) -> Rating {
        let good = kind == RatingKind::Csat && score >= 4;
        Rating { kind, score, good, ticket_id: None, comment: String::new(), created_at: Utc::now() }
    }

    #[test]
    fn csat_answers_parse_and_four_and_five_count_as_good() {
        assert_eq!("good".parse::<Csat>(), Ok(Csat::Good));
        assert_eq!(" 4 ".parse::<Csat>(), Ok(Csat::Score(4)));
        assert!(Csat::Score(4).is_good() && Csat::Score(5).is_good() && !Csat::Score(3).is_good());
        assert!(!Csat::Bad.is_good());
        assert_eq!("6".parse::<Csat>().unwrap_err(), "'6' is not a CSAT rating; use good, bad or 1 to 5");
        assert_eq!(parse_nps("10"), Ok(10));
        assert!(parse_nps("11").is_err() && parse_nps("-1").is_err());
    }

    #[test]
    fn csat_percent_is_good_over_rated() {
        assert_eq!(csat_percent(&[]), None);
        let ratings = [rating(RatingKind::Csat, 5), rating(RatingKind::Csat, 4), rating(RatingKind::Csat, 2)];
        let pct = csat_percent(&ratings).unwrap();
        assert!((pct - 66.666).abs() < 0.01, "{pct}");
        // NPS answers are not CSAT ratings.
        assert_eq!(csat_percent(&[rating(RatingKind::Nps, 10)]), None);
    }

    #[test]
    fn nps_is_promoters_minus_detractors() {
        let scores = [10, 9, 9, 8, 7, 6, 3, 0, 10, 10];
        let ratings: Vec<_> = scores.iter().map(|s| rating(RatingKind::Nps, *s)).collect();
        // 5 promoters, 3 detractors of 10: 50 % − 30 % = 20.
        assert_eq!(nps(&ratings), Some(20.0));
        assert_eq!(nps(&[]), None);
    }

    #[test]
    fn nps_waits_thirty_days() {
        let then = Utc::now();
        assert!(nps_too_soon(then, then + Duration::days(29)));
        assert!(!nps_too_soon(then, then + Duration::days(30)));
    }
}

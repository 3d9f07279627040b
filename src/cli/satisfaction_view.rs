//! Ratings in `customer show`: the CSAT % and NPS figures and every rating, for people and `--json`.

use super::output::{rfc3339, CustomerJson};
use crate::domain::satisfaction::{csat_percent, nps, Rating};
use crate::domain::text::for_display_line;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Debug, Serialize)]
pub struct RatingJson {
    /// `csat` or `nps`.
    pub kind: &'static str,
    pub score: u8,
    /// For CSAT: whether it counts as good.
    pub good: Option<bool>,
    pub ticket_id: Option<i64>,
    pub comment: String,
    pub created_at: String,
}

#[derive(Debug, Serialize)]
pub struct SatisfactionJson {
    /// good ÷ (good + bad) × 100; null when nothing was rated.
    pub csat_percent: Option<f64>,
    /// % promoters − % detractors; null when nobody answered.
    pub nps: Option<f64>,
    pub ratings: Vec<RatingJson>,
}

/// `customer show --json`: the customer, then their satisfaction.
#[derive(Debug, Serialize)]
pub struct CustomerShowJson {
    #[serde(flatten)]
    pub customer: CustomerJson,
    pub satisfaction: SatisfactionJson,
}

impl From<&[Rating]> for SatisfactionJson {
    fn from(ratings: &[Rating]) -> Self {
        let csat = crate::domain::satisfaction::RatingKind::Csat;
        SatisfactionJson {
            csat_percent: csat_percent(ratings),
            nps: nps(ratings),
            ratings: ratings
                .iter()
                .map(|r| RatingJson {
                    kind: r.kind.as_str(),
                    score: r.score,
                    good: (r.kind == csat).then_some(r.good),
                    ticket_id: r.ticket_id,
                    comment: r.comment.clone(),
                    created_at: rfc3339(r.created_at),
                })
                .collect(),
        }
    }
}

pub fn write(ratings: &[Rating], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "satisfaction: {}", crate::domain::satisfaction::summary(ratings))?;
    for r in ratings {
        let on = r.ticket_id.map(|t| format!(" on #{t}")).unwrap_or_default();
        let comment = if r.comment.is_empty() { String::new() } else { format!(": {}", for_display_line(&r.comment)) };
        writeln!(
            out,
            "  {} {}{on}{comment}",
            crate::domain::when::agent_zone().format(r.created_at, "%Y-%m-%d"),
            r.label()
        )?;
    }
    Ok(())
}

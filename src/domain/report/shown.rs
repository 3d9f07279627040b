//! A figure's value and change as people read them: in the command line's table and the console.

use super::{Row, Unit};

/// `3h 20m`, `2d 4h`, `45m`, `30s`.
pub fn duration(seconds: f64) -> String {
    let s = seconds.round() as i64;
    match s {
        s if s < 60 => format!("{s}s"),
        s if s < 3_600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h {:02}m", s / 3_600, s % 3_600 / 60),
        s => format!("{}d {:02}h", s / 86_400, s % 86_400 / 3_600),
    }
}

pub fn value(unit: Unit, v: Option<f64>) -> String {
    match (unit, v) {
        (_, None) => "—".into(),
        (Unit::Count, Some(v)) => format!("{v:.0}"),
        (Unit::Seconds, Some(v)) => duration(v),
        (Unit::Percent, Some(v)) => format!("{v:.1} %"),
        (Unit::Score, Some(v)) => format!("{v:+.0}"),
    }
}

/// `▲ 12 %`, `▼ 3 %`, `= 0 %`; percentages and NPS change in points.
pub fn change(row: &Row) -> String {
    let arrow = |d: f64| {
        if d > 0.0 {
            "▲"
        } else if d < 0.0 {
            "▼"
        } else {
            "="
        }
    };
    match (row.unit, row.change, row.change_percent) {
        (_, None, _) => String::new(),
        (Unit::Percent | Unit::Score, Some(d), _) => format!("{} {:.1} pts", arrow(d), d.abs()),
        (_, Some(d), Some(p)) => format!("{} {:.0} %", arrow(d), p.abs()),
        (_, Some(0.0), None) => "=".into(),
        (_, Some(d), None) => format!("{} from 0", arrow(d)),
    }
}

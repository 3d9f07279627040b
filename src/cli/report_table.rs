//! `frontdesk report` drawn for people (a table that fits 80 columns), as CSV, and `--explain`.

use crate::domain::report::{Figure, Report, Row, Section};
use crate::domain::text::for_display_line;
use crate::domain::when::Zone;
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

pub use crate::domain::report::{change, value};

/// The sentence a block shows instead of its rows when it has nothing to measure.
fn nothing(figure: Figure) -> Option<&'static str> {
    Some(match figure {
        Figure::FirstResponseMedian => "first response: no first replies in this period",
        Figure::NextResponseMedian => "next response: no customer was answered again in this period",
        Figure::ResolutionMedian => "resolution: no tickets solved in this period",
        Figure::CustomerWaitMedian => "no tickets solved in this period",
        Figure::FirstResponseMet => "first response: no SLA clock stopped in this period",
        Figure::NextResponseMet => "next response: no SLA clock stopped in this period",
        Figure::ResolutionMet => "resolution: no SLA clock stopped in this period",
        Figure::Csat => "CSAT: nothing rated in this period",
        Figure::ResponseRate => "no survey mailed in this period",
        Figure::Nps => "NPS: no answers in this period",
        Figure::OneTouch => "no tickets solved in this period",
        _ => return None,
    })
}

/// The rows a block's first figure leads: skipped with it when it has nothing to measure.
fn led_by(figure: Figure) -> Option<Figure> {
    use Figure::*;
    Some(match figure {
        FirstResponseP90 | FirstResponseMean => FirstResponseMedian,
        NextResponseP90 | NextResponseMean => NextResponseMedian,
        ResolutionP90 | ResolutionMean => ResolutionMedian,
        CustomerWaitP90 | CustomerWaitMean => CustomerWaitMedian,
        FirstResponseBreached | FirstResponseBreaching => FirstResponseMet,
        NextResponseBreached | NextResponseBreaching => NextResponseMet,
        ResolutionBreached | ResolutionBreaching => ResolutionMet,
        Rated | BadRatings => Csat,
        Promoters | Passives | Detractors => Nps,
        Reopen => OneTouch,
        _ => return None,
    })
}

fn is_sla(f: Figure) -> bool {
    f.name().starts_with("sla_")
}

pub fn write(report: &Report, has_sla: bool, zone: Zone, out: &mut dyn Write) -> io::Result<()> {
    header(report, zone, out)?;
    let compare = report.previous_period.is_some();
    let (before, change_title) = if compare { ("before", "change") } else { ("", "") };
    let titles = format!("{:<42}{:>12}{:>12}{:>12}", "", "this period", before, change_title);
    writeln!(out, "{}", titles.trim_end())?;
    let rows = &report.desk.figures;
    let empty = |f: Figure| rows.iter().find(|r| r.figure == f).is_some_and(|r| r.value.is_none());
    for row in rows {
        if let Some(heading) = row.figure.heading() {
            writeln!(out, "{heading}")?;
            if row.figure == Figure::FirstResponseMet && !has_sla {
                writeln!(out, "  no SLA policies in the config ([sla.policies])")?;
            }
        }
        if is_sla(row.figure) && !has_sla {
            continue;
        }
        if row.value.is_none() {
            if let Some(sentence) = nothing(row.figure) {
                writeln!(out, "  {sentence}")?;
                continue;
            }
        }
        if led_by(row.figure).is_some_and(empty) {
            continue;
        }
        let previous = if compare { value(row.unit, row.previous) } else { String::new() };
        let (label, now) = (pad(row.figure.label(), 40), value(row.unit, row.value));
        let line = format!("  {label}{now:>12}{previous:>12}{:>12}", change(row));
        writeln!(out, "{}", line.trim_end())?;
        if row.figure == Figure::BacklogOld || row.figure == Figure::CustomerWaitMean {
            writeln!(out)?;
        }
    }
    bad_comments(report, zone, out)?;
    if !report.groups.is_empty() {
        groups(report, out)?;
    }
    if !report.series.is_empty() {
        series(report, zone, out)?;
    }
    Ok(())
}

fn header(report: &Report, zone: Zone, out: &mut dyn Write) -> io::Result<()> {
    let p = report.period;
    let when = |t| zone.format(t, "%Y-%m-%d %H:%M");
    writeln!(
        out,
        "Report {} – {} {} ({:.0} days)",
        when(p.since),
        when(p.until),
        zone.format(p.until, "%Z"),
        p.days()
    )?;
    match report.previous_period {
        Some(before) => writeln!(out, "beside the {:.0} days before, from {}", before.days(), when(before.since))?,
        None => writeln!(out, "the whole history, not compared")?,
    }
    for line in wrap(&format!("times in {}", report.hours), 80) {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "(frontdesk report --explain says what each figure counts)\n")
}

fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    if w >= width {
        text.to_string()
    } else {
        format!("{text}{}", " ".repeat(width - w))
    }
}

/// Cut `text` to `width` columns, with `…` when cut.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) >= width {
            break;
        }
        out.push(c);
    }
    out + "…"
}

fn bad_comments(report: &Report, zone: Zone, out: &mut dyn Write) -> io::Result<()> {
    let said: Vec<_> = report.bad_ratings.iter().filter(|b| !b.comment.trim().is_empty()).collect();
    if said.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nWhat customers said with a bad rating")?;
    for b in said.iter().take(20) {
        let lead = format!("  #{} {}/5 {}: ", b.ticket_id, b.score, zone.format(b.at, "%d %b"));
        let room = 80usize.saturating_sub(lead.width());
        writeln!(out, "{lead}{}", fit(&for_display_line(&b.comment), room))?;
    }
    if said.len() > 20 {
        writeln!(out, "  … and {} more (--json has them all)", said.len() - 20)?;
    }
    Ok(())
}

const GROUP_COLUMNS: [(Figure, &str); 7] = [
    (Figure::New, "new"),
    (Figure::Solved, "solved"),
    (Figure::FirstResponseMedian, "1st resp"),
    (Figure::ResolutionMedian, "resolve"),
    (Figure::FirstResponseMet, "SLA 1st"),
    (Figure::Csat, "CSAT"),
    (Figure::Backlog, "backlog"),
];

fn cell(section: &[Row], figure: Figure) -> String {
    section.iter().find(|r| r.figure == figure).map(|r| value(r.unit, r.value)).unwrap_or_default()
}

fn groups(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let by = report.by.map_or("group", |b| b.as_str());
    writeln!(out, "\nBy {by} (medians; --json and --csv have every figure)")?;
    let mut line = pad(by, 17);
    for (_, title) in GROUP_COLUMNS {
        line.push_str(&format!("{title:>9}"));
    }
    writeln!(out, "{line}")?;
    for g in &report.groups {
        group_line(g, out)?;
    }
    Ok(())
}

fn group_line(g: &Section, out: &mut dyn Write) -> io::Result<()> {
    let mut line = pad(&fit(&for_display_line(&g.key), 16), 17);
    for (figure, _) in GROUP_COLUMNS {
        line.push_str(&format!("{:>9}", cell(&g.figures, figure)));
    }
    writeln!(out, "{line}")
}

fn series(report: &Report, zone: Zone, out: &mut dyn Write) -> io::Result<()> {
    let step =
        report.series_step.map_or("", |s| if s == crate::domain::report::SeriesStep::Day { "day" } else { "week" });
    writeln!(out, "\nPer {step}")?;
    let mut line = pad(step, 17);
    for (_, title) in GROUP_COLUMNS.iter().take(6) {
        line.push_str(&format!("{title:>9}"));
    }
    writeln!(out, "{line}")?;
    for p in &report.series {
        let mut line = pad(&zone.format(p.start, "%a %d %b %y"), 17);
        for (figure, _) in GROUP_COLUMNS.iter().take(6) {
            line.push_str(&format!("{:>9}", cell(&p.figures, *figure)));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// `--explain`: the period, the hours, and what each figure counts.
pub fn explain(report: &Report, zone: Zone, out: &mut dyn Write) -> io::Result<()> {
    header(report, zone, out)?;
    writeln!(out, "Each figure by its name (for --tickets, --json and --csv):\n")?;
    for f in Figure::ALL {
        writeln!(out, "{} ({})", f.name(), f.label().trim())?;
        for line in wrap(f.explain(), 76) {
            writeln!(out, "    {line}")?;
        }
    }
    let notes = [
        format!("Times are in {}; customers' wait counts every hour.", report.hours),
        "--by groups tickets as they are now (assignee, the customer's tier and organization, tags, channel, \
         priority); NPS belongs to customers and counts for the whole desk only."
            .to_string(),
    ];
    for note in notes {
        writeln!(out)?;
        for line in wrap(&note, 80) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let last = lines.last_mut().expect("one line");
        if !last.is_empty() && last.width() + 1 + word.width() > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// `--csv`: section, key, figure, unit, value, previous, change, change_percent.
pub fn csv(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "section,key,figure,unit,value,previous,change,change_percent")?;
    let mut rows = |section: &str, key: &str, figures: &[Row]| -> io::Result<()> {
        for r in figures {
            let unit =
                serde_json::to_value(r.unit).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            let n = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
            writeln!(
                out,
                "{section},{},{},{unit},{},{},{},{}",
                quoted(key),
                r.figure.name(),
                n(r.value),
                n(r.previous),
                n(r.change),
                n(r.change_percent)
            )?;
        }
        Ok(())
    };
    rows("desk", &report.desk.key, &report.desk.figures)?;
    for g in &report.groups {
        rows("group", &g.key, &g.figures)?;
    }
    for p in &report.series {
        rows("series", &p.start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), &p.figures)?;
    }
    Ok(())
}

/// A CSV field: quoted when it holds a comma, a quote or a line break; made safe for a terminal.
fn quoted(text: &str) -> String {
    let safe = for_display_line(text);
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe.into_owned()
    }
}

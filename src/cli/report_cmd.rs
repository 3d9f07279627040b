//! `frontdesk report`: how the desk is doing over a period, beside the period before, from the
//! same clocks as the queue; `--explain` says what each figure counts, `--tickets` which tickets.

use super::report_table;
use super::CliError;
use crate::config::Config;
use crate::domain::audit::parse_bound;
use crate::domain::report::{
    desk_zone, hours_text, last_period, Behind, Builder, Dimension, Figure, Last, Period, Report, Request, Rules,
    SeriesStep,
};
use crate::domain::when::Zone;
use crate::domain::Timestamp;
use crate::store::Store;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The period's start: 2026-12-01, "2026-12-01 09:30", today, yesterday, 7d (7 days ago) or an
    /// RFC 3339 time, in your time zone.
    #[arg(long, value_name = "TIME", conflicts_with = "last")]
    pub since: Option<String>,
    /// The period's end (not included; now by default), as for --since.
    #[arg(long, value_name = "TIME", conflicts_with = "last")]
    pub until: Option<String>,
    /// The period up to now: 7d, 30d (the default), 90d, 2w, 12m (months), or all (the whole history).
    #[arg(long, value_name = "LENGTH", value_parser = crate::domain::report::parse_last)]
    pub last: Option<Last>,
    /// Figures per agent (assignee), tier, organization, tag, channel or priority.
    #[arg(long, value_name = "GROUPING", value_parser = str::parse::<Dimension>)]
    pub by: Option<Dimension>,
    /// The figures per day or per week of the period.
    #[arg(long, value_name = "STEP", value_parser = str::parse::<SeriesStep>)]
    pub series: Option<SeriesStep>,
    /// What each figure counts, from which events, in which hours.
    #[arg(long)]
    pub explain: bool,
    /// The ticket numbers behind FIGURE (a name from --explain), e.g. sla_resolution_breached.
    #[arg(long, value_name = "FIGURE", value_parser = Figure::named)]
    pub tickets: Option<Figure>,
    /// Every figure as JSON (times in seconds, periods in UTC).
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Every figure as CSV: one row per figure of the desk, of each group and of each day or week.
    #[arg(long)]
    pub csv: bool,
}

pub fn run(store: &Store, config: &Config, args: &ReportArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let zone = crate::domain::when::agent_zone();
    let now = chrono::Utc::now();
    let (period, compare) = period(store, args, now, zone)?;
    let policies = config.sla_policies();
    let default_hours = config.sla_hours();
    let request = Request { period, compare, by: args.by, series: args.series, zone };
    let heat_zone = desk_zone(&policies, &default_hours).unwrap_or(zone);
    let mut builder =
        Builder::new(request, Rules { policies: &policies, default_hours: &default_hours, now }).heat_in(heat_zone);
    if args.tickets.is_none() && !args.explain {
        // The numbers behind the figures are only printed by --tickets: at a million tickets they
        // would be most of the memory a report takes.
        builder = builder.without_ticket_numbers();
    }
    store.read_report(&mut builder)?;
    let report = builder.finish(hours_text(&policies, &default_hours));
    if let Some(figure) = args.tickets {
        return tickets(&report, figure, args.json, out);
    }
    if args.explain {
        return report_table::explain(&report, zone, out).map_err(CliError::from);
    }
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    if args.csv {
        return report_table::csv(&report, out).map_err(CliError::from);
    }
    report_table::write(&report, !policies.is_empty(), zone, out).map_err(CliError::from)
}

/// The period the flags name, and whether it is compared with the one before.
fn period(store: &Store, args: &ReportArgs, now: Timestamp, zone: Zone) -> Result<(Period, bool), CliError> {
    let bound = |flag: &str, text: &str| {
        parse_bound(text, now, zone).map_err(|problem| CliError::Refused(format!("{flag}: {problem}")))
    };
    if args.since.is_none() && args.until.is_none() {
        let last = args.last.unwrap_or(Last::Days(30));
        let first = if last == Last::All { store.first_ticket_at()? } else { None };
        return Ok((last_period(last, now, first), last != Last::All));
    }
    let until = args.until.as_deref().map(|t| bound("--until", t)).transpose()?.unwrap_or(now);
    let since = match args.since.as_deref() {
        Some(t) => bound("--since", t)?,
        None => until - chrono::Duration::days(30),
    };
    if since >= until {
        return Err(CliError::Refused(format!(
            "--since ({}) is not before --until ({}); nothing to report",
            zone.full(since),
            zone.full(until)
        )));
    }
    Ok((Period { since, until }, true))
}

/// `--tickets FIGURE`: the numbers behind it, one a line (`--json`: an object).
fn tickets(report: &Report, figure: Figure, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let of = |section: &crate::domain::report::Section| {
        section.figures.iter().find(|r| r.figure == figure).map(|r| r.behind.clone()).unwrap_or_default()
    };
    let behind = if figure.behind() == Behind::Customers { "customers" } else { "tickets" };
    if json {
        let groups: serde_json::Map<String, serde_json::Value> =
            report.groups.iter().map(|g| (g.key.clone(), serde_json::json!(of(g)))).collect();
        let mut value = serde_json::json!({ "figure": figure.name(), "of": behind, "ids": of(&report.desk) });
        if report.by.is_some() {
            value["groups"] = serde_json::Value::Object(groups);
        }
        serde_json::to_writer_pretty(&mut *out, &value)?;
        writeln!(out)?;
        return Ok(());
    }
    if report.by.is_none() {
        for id in of(&report.desk) {
            writeln!(out, "{id}")?;
        }
        return Ok(());
    }
    for g in &report.groups {
        let ids: Vec<String> = of(g).iter().map(i64::to_string).collect();
        writeln!(out, "{}\t{}", crate::domain::text::for_display_line(&g.key), ids.join(" "))?;
    }
    Ok(())
}

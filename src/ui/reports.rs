//! The reports screen: headline figures with their change, the per-group table, volume per day
//! as bars, the first-response median as a sparkline, and when customers write as a heat map of
//! graded blocks. Every value is text too, so it reads without colour. Narrow screens put the
//! table first and drop charts that do not fit.

use super::theme::Theme;
use crate::app::model::reports::{figure, period_label, ReportsScreen, HEADLINE_FIGURES, TABLE_FIGURES};
use crate::app::model::text::truncate;
use crate::domain::report::{change, value, Figure, HeatMap, Report, SeriesPoint};
use crate::domain::text::for_display_line;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Clear, Paragraph, Row, Sparkline, Table, Widget};

/// The heat map's grades, from nobody to the busiest hour.
const GRADES: [char; 5] = [' ', '░', '▒', '▓', '█'];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
/// Below this height the charts give way to the table.
const CHARTS_MIN_HEIGHT: u16 = 8;
/// The charts' band on a wide screen: the heat map's rows with room for the bars.
const CHARTS_WIDE_HEIGHT: u16 = 16;

pub fn render_reports(screen: &ReportsScreen, theme: &Theme, area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf); // the queue underneath is not shown through
    let [head, rest] = Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(area);
    render_head(screen, theme, head, buf);
    let Some(report) = &screen.report else {
        let text = match &screen.error {
            Some(problem) => format!(" the report could not be read: {}", for_display_line(problem)),
            None => " reading the report…".to_string(),
        };
        Paragraph::new(text).render(rest, buf);
        return;
    };
    let rows = screen.rows().len() as u16;
    // The table what it needs, leaving the charts the rest: at least a fixed band when wide (the
    // table then at least half, if it needs it), else whatever is left over 10 rows.
    let wanted = rows + 3;
    let table_h = if rest.width >= 160 {
        wanted.min(rest.height.saturating_sub(CHARTS_WIDE_HEIGHT)).max(wanted.min(rest.height / 2))
    } else {
        wanted.min(rest.height.saturating_sub(10))
    };
    let table_h = table_h.max(4.min(rest.height));
    let [table, charts] = Layout::vertical([Constraint::Length(table_h), Constraint::Fill(1)]).areas(rest);
    render_table(screen, theme, table, buf);
    if charts.height >= CHARTS_MIN_HEIGHT {
        render_charts(report, theme, charts, buf);
    }
}

/// The title line (period, grouping, reading…) and the headline figures with their change.
fn render_head(screen: &ReportsScreen, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let busy = if screen.loading { " · reading the report…" } else { "" };
    let title = format!(" Reports · last {} · by {}{busy}", period_label(screen.last()), screen.by().as_str());
    let mut lines = vec![Line::from(Span::styled(truncate(&title, area.width as usize), theme.heading()))];
    if let Some(report) = &screen.report {
        let parts: Vec<String> = HEADLINE_FIGURES
            .iter()
            .map(|f| {
                let row = report.row(*f);
                let changed = change(row);
                let changed = if changed.is_empty() { changed } else { format!(" {changed}") };
                format!("{} {}{changed}", short_label(*f), value(row.unit, row.value))
            })
            .collect();
        let line = crate::app::model::text::fit_parts(&parts, " · ", (area.width as usize).saturating_sub(1));
        lines.push(Line::from(format!(" {line}")));
    }
    Paragraph::new(lines).render(area, buf);
}

fn short_label(f: Figure) -> &'static str {
    match f {
        Figure::New => "new",
        Figure::Solved => "solved",
        Figure::FirstResponseMedian => "1st reply",
        Figure::ResolutionMedian => "resolution",
        Figure::ResolutionMet => "SLA met",
        Figure::Csat => "CSAT",
        other => other.label(),
    }
}

/// The per-group table; the cursor's row in reverse video, marked `▌` too.
fn render_table(screen: &ReportsScreen, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let by = screen.by().as_str();
    let header = std::iter::once(by.to_string()).chain(TABLE_FIGURES.iter().map(|f| short_label(*f).to_string()));
    let header = Row::new(header.collect::<Vec<_>>()).style(theme.bold());
    let sections = screen.rows();
    let shown = area.height.saturating_sub(3) as usize;
    let offset = (screen.selected + 1).saturating_sub(shown);
    let rows = sections.iter().enumerate().skip(offset).take(shown).map(|(i, section)| {
        let selected = i == screen.selected;
        let marker = if selected { "▌" } else { " " };
        let name = format!("{marker}{}", for_display_line(&section.key));
        let cells = std::iter::once(name).chain(
            TABLE_FIGURES.iter().map(|f| figure(section, *f).map(|r| value(r.unit, r.value)).unwrap_or_default()),
        );
        let row = Row::new(cells.collect::<Vec<_>>());
        if selected {
            row.style(theme.selected(true))
        } else {
            row
        }
    });
    let name_w = area.width.saturating_sub(2 + 6 * 11).clamp(10, 32);
    let widths = [Constraint::Length(name_w)].into_iter().chain(std::iter::repeat_n(Constraint::Length(10), 6));
    let count = sections.len();
    let title = if count == 0 { " no groups in this period ".to_string() } else { format!(" {count} groups ") };
    let block = Block::bordered().border_type(theme.border_type(true)).border_style(theme.border(true)).title(title);
    Widget::render(Table::new(rows, widths).header(header).column_spacing(1).block(block), area, buf);
}

/// Volume, first response and the heat map: side by side when wide, the heat map beside the two
/// others stacked when narrow, dropped when it does not fit.
fn render_charts(report: &Report, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let heat_cols: u16 = if area.width >= 160 { 2 } else { 1 };
    let heat_w = 4 + 24 * heat_cols + 2;
    let (others, heat) = if area.width >= heat_w + 30 {
        let [others, heat] = Layout::horizontal([Constraint::Fill(1), Constraint::Length(heat_w)]).areas(area);
        (others, Some(heat))
    } else {
        (area, None)
    };
    if area.width >= 160 {
        let [volume, first] = Layout::horizontal([Constraint::Fill(3), Constraint::Fill(2)]).areas(others);
        render_volume(report, theme, volume, buf);
        render_first_response(report, theme, first, buf);
    } else {
        let [volume, first] = Layout::vertical([Constraint::Fill(1), Constraint::Length(4)]).areas(others);
        render_volume(report, theme, volume, buf);
        render_first_response(report, theme, first, buf);
    }
    if let Some(heat) = heat {
        render_heat(&report.heat, heat_cols, theme, heat, buf);
    }
}

fn series_value(point: &SeriesPoint, f: Figure) -> Option<f64> {
    point.figures.iter().find(|r| r.figure == f).and_then(|r| r.value)
}

/// New and solved per day (or week) as pairs of bars, new on the left; the latest that fit.
fn render_volume(report: &Report, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let new_total = value(report.row(Figure::New).unit, report.row(Figure::New).value);
    let solved_total = value(report.row(Figure::Solved).unit, report.row(Figure::Solved).value);
    let inner_w = area.width.saturating_sub(2) as usize;
    // Each day: two bars of one column and a gap.
    let fit = (inner_w / 3).max(1);
    let points = &report.series[report.series.len().saturating_sub(fit)..];
    let step = if report.series_step == Some(crate::domain::report::SeriesStep::Week) { "week" } else { "day" };
    let shown =
        if points.len() < report.series.len() { format!(", last {} shown", points.len()) } else { String::new() };
    let title = format!(" Per {step}: new {new_total} (left) · solved {solved_total} (right){shown} ");
    let groups: Vec<BarGroup> = points
        .iter()
        .map(|p| {
            let new = series_value(p, Figure::New).unwrap_or(0.0) as u64;
            let solved = series_value(p, Figure::Solved).unwrap_or(0.0) as u64;
            BarGroup::new([
                Bar::default().value(new).text_value(String::new()).style(theme.bold()),
                Bar::default().value(solved).text_value(String::new()).style(theme.dim()),
            ])
        })
        .collect();
    let block = Block::bordered().border_style(theme.border(false)).title(truncate(&title, inner_w));
    let mut chart = BarChart::default().block(block).bar_width(1).bar_gap(0).group_gap(1);
    for group in groups {
        chart = chart.data(group);
    }
    chart.render(area, buf);
}

/// The first-response median per day (or week), as a sparkline, with its figures as text.
fn render_first_response(report: &Report, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let inner_w = area.width.saturating_sub(2) as usize;
    let values: Vec<Option<u64>> = report
        .series
        .iter()
        .map(|p| series_value(p, Figure::FirstResponseMedian).map(|s| (s / 60.0).round() as u64))
        .collect();
    let values = &values[values.len().saturating_sub(inner_w)..];
    let row = report.row(Figure::FirstResponseMedian);
    let most = report
        .series
        .iter()
        .filter_map(|p| series_value(p, Figure::FirstResponseMedian))
        .fold(None, |m, v| Some(m.map_or(v, |m: f64| m.max(v))));
    let title = format!(" 1st reply median: {} · slowest {} ", value(row.unit, row.value), value(row.unit, most));
    let block = Block::bordered().border_style(theme.border(false)).title(truncate(&title, inner_w));
    Sparkline::default().block(block).data(values.iter().copied()).render(area, buf);
}

/// Hour × weekday of customer messages in graded blocks; the busiest hour named in the title.
fn render_heat(heat: &HeatMap, cols: u16, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let most = heat.most();
    let busiest = (0..7)
        .flat_map(|d| (0..24).map(move |h| (d, h)))
        .max_by_key(|(d, h)| (heat.counts[*d][*h], std::cmp::Reverse((*d, *h))))
        .filter(|_| most > 0)
        .map(|(d, h)| format!(" · most {} {h:02}h", WEEKDAYS[d]))
        .unwrap_or_default();
    let title = format!(" When customers write ({}) ", for_display_line(&heat.zone));
    let block = Block::bordered().border_style(theme.border(false)).title(truncate(&title, area.width as usize - 2));
    let inner = block.inner(area);
    block.render(area, buf);
    let width = cols as usize;
    let mut hours = String::from("    ");
    for h in (0..24).step_by(if cols == 1 { 6 } else { 3 }) {
        let label = format!("{h}");
        hours.push_str(&format!("{label:<w$}", w = width * if cols == 1 { 6 } else { 3 }));
    }
    let mut lines = vec![Line::from(Span::styled(hours, theme.dim()))];
    for (d, name) in WEEKDAYS.iter().enumerate() {
        let cells: String = heat.counts[d].iter().flat_map(|c| std::iter::repeat_n(grade(*c, most), width)).collect();
        lines.push(Line::from(format!("{name} {cells}")));
    }
    lines.push(Line::from(Span::styled(format!("░ few █ {most}/h{busiest}"), theme.dim())));
    Paragraph::new(lines).render(inner, buf);
}

/// ` ` for none, then `░▒▓█` by quarters of the busiest hour.
fn grade(count: u32, most: u32) -> char {
    if count == 0 || most == 0 {
        return GRADES[0];
    }
    let step = (u64::from(count) * 4).div_ceil(u64::from(most)).clamp(1, 4);
    GRADES[step as usize]
}

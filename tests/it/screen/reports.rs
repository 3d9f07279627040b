//! The reports screen on the fixture desk's report (built by the engine from hand-made
//! timelines): at 80×24 the table first and the charts that fit, at 200×50 every chart side by
//! side; names from customers made safe; the same text with and without colour.

use crate::support::fixtures::{self as common, at, render, screen_text};
use frontdesk::app::model::reports::ReportsScreen;
use frontdesk::app::model::state::State;
use frontdesk::domain::report::{Builder, Dimension, Last, Period, Report, Request, Rules, SeriesStep};
use frontdesk::domain::report::{TicketGroups, TicketRecord};
use frontdesk::domain::sla::{Hours, Policies, Timeline};
use frontdesk::domain::{Channel, Priority, Status, Tier};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

const HOSTILE_ORG: &str = "Evil\x1b[2J Corp\u{202E}";

fn groups(n: i64) -> TicketGroups {
    let agents = ["ana", "hiro", "olu"];
    TicketGroups {
        assignee: (n % 4 != 3).then(|| agents[n as usize % 3].to_string()),
        tier: Tier::Gold,
        organization: Some(if n % 2 == 0 { HOSTILE_ORG.into() } else { "Núñez Imports".into() }),
        tags: vec!["refund".into()],
        channel: Channel::Email,
        priority: Priority::Normal,
        mailbox: None,
    }
}

/// Forty tickets over the fixture's last 30 days: opened at working hours, answered after
/// 20 minutes to a few hours, most solved the next day.
fn tickets() -> Vec<TicketRecord> {
    (0..40)
        .map(|n| {
            let created = at(23, 12, 15) - chrono::Duration::days(n % 28) - chrono::Duration::hours(n % 9);
            let reply = created + chrono::Duration::minutes(20 + 37 * (n % 5));
            let mut statuses = vec![(reply, Status::Open)];
            if n % 5 != 0 {
                statuses.push((reply + chrono::Duration::hours(20), Status::Solved));
            }
            let again = created + chrono::Duration::hours(2);
            let timeline = Timeline { created_at: created, statuses, messages: vec![(reply, true), (again, false)] };
            TicketRecord { id: 1000 + n, groups: groups(n), follows: false, timeline }
        })
        .collect()
}

fn report(by: Dimension) -> Report {
    let now = common::now();
    let period = Period { since: now - chrono::Duration::days(30), until: now };
    let request =
        Request { period, compare: true, by: Some(by), series: Some(SeriesStep::Day), zone: Default::default() };
    let policies = Policies::default();
    let mut builder = Builder::new(request, Rules { policies: &policies, default_hours: &Hours::Calendar, now });
    for t in tickets() {
        builder.add_ticket(&t);
    }
    builder.finish("calendar hours (every hour counts)".into())
}

fn screen(size: (u16, u16), by: Dimension, grouping: usize) -> State {
    let mut state = common::state(size, "Login loop", "Still waiting");
    let mut screen = ReportsScreen { grouping, report: Some(Box::new(report(by))), ..Default::default() };
    screen.selected = 1;
    assert_eq!(screen.last(), Last::Days(30));
    state.reports = Some(screen);
    state
}

#[test]
fn at_80_by_24_the_table_comes_first_with_the_charts_that_fit() {
    let state = screen((80, 24), Dimension::Agent, 0);
    let text = screen_text(&render(&state));
    assert!(text.contains("Reports · last 30 days · by agent"), "{text}");
    for agent in ["ana", "hiro", "olu", "unassigned"] {
        assert!(text.contains(agent), "{agent} in the table:\n{text}");
    }
    assert!(text.contains("Per day: new 40 (left) · solved 31 (right)"), "{text}");
    assert!(text.contains("When customers write"), "{text}");
    insta::assert_snapshot!(render(&state).backend());
}

#[test]
fn at_200_by_50_every_chart_sits_side_by_side() {
    let state = screen((200, 50), Dimension::Agent, 0);
    let text = screen_text(&render(&state));
    let charts = text.lines().find(|l| l.contains("Per day: new")).unwrap_or_default();
    assert!(charts.contains("1st reply median") && charts.contains("When customers write"), "{text}");
    // The table is as tall as its rows, and the charts take the height left.
    let lines: Vec<&str> = text.lines().collect();
    let last_row = lines.iter().position(|l| l.contains("unassigned")).unwrap_or_default();
    assert!(lines[last_row + 1].starts_with('┗'), "the table ends after its last row:\n{text}");
    assert!(lines[last_row + 2].contains("Per day: new"), "the charts come right after:\n{text}");
    insta::assert_snapshot!(render(&state).backend());
}

#[test]
fn organization_names_from_customers_are_made_safe() {
    let state = screen((120, 32), Dimension::Organization, 2);
    let text = screen_text(&render(&state));
    assert!(text.contains("Evil^[[2J Corp<U+202E>"), "{text}");
    assert!(!text.contains('\x1b') && !text.contains('\u{202E}'));
    insta::assert_snapshot!(render(&state).backend());
}

#[test]
fn with_colour_and_without_the_screen_reads_the_same() {
    let state = screen((80, 24), Dimension::Agent, 0);
    let mut coloured = Terminal::new(TestBackend::new(80, 24)).unwrap();
    coloured.draw(|f| frontdesk::ui::draw(f, &state, &frontdesk::ui::theme::Theme::ansi16())).unwrap();
    assert_eq!(screen_text(&coloured), screen_text(&render(&state)), "every value is text, not colour");
    let text = screen_text(&render(&state));
    let selected = text.lines().find(|l| l.contains('▌')).unwrap_or_default();
    assert!(selected.contains("hiro") || selected.contains("ana"), "the cursor's row is marked: {text}");
    assert!(text.chars().any(|c| "░▒▓█".contains(c)), "the heat map's grades: {text}");
}

#[test]
fn while_the_first_report_is_read_the_screen_says_so() {
    let mut state = common::state((80, 24), "Login loop", "Still waiting");
    state.reports = Some(ReportsScreen { loading: true, ..Default::default() });
    let text = screen_text(&render(&state));
    assert!(text.contains("reading the report…"), "{text}");
}

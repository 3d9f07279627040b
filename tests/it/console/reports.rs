//! The reports screen: `g r` reads the report on its worker (the same engine as `frontdesk
//! report`), period and grouping keys read it again, Enter opens a group's tickets in the queue,
//! Esc comes back to the screen and then to the queue as it was.

use crate::support::console::{deliver, key, numbered_ticket, open_with, press, status};
use frontdesk::app::effects::App;
use frontdesk::app::model::message::Msg;
use frontdesk::app::model::state::PromptKind;
use frontdesk::domain::report::{Builder, Dimension, Figure, Last, Request, Rules};
use frontdesk::domain::*;
use frontdesk::store::Store;

/// Seven tickets: four assigned to hiro (one of them urgent), three to ana.
fn desk() -> (tempfile::TempDir, App, Vec<i64>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    store.add_agent("hiro", Some("Hiro Tanaka"), Role::Agent).unwrap();
    let mut hiros = Vec::new();
    for n in 0..7 {
        let t = numbered_ticket(&store, n);
        let owner = if n % 2 == 0 { "hiro" } else { "ana" };
        let priority = (n == 2).then_some(Priority::Urgent);
        let change = TicketChange { assignee: Some(Some(owner.into())), priority, ..Default::default() };
        store.update_ticket(t.id, t.version, &change, "ana").unwrap();
        if owner == "hiro" {
            hiros.push(t.id);
        }
    }
    let app = open_with(store, "ana", chrono::Utc::now(), |_| {});
    (dir, app, hiros)
}

fn group_keys(app: &App) -> Vec<String> {
    let screen = app.state.reports.as_ref().expect("the reports screen");
    screen.rows().iter().map(|s| s.key.clone()).collect()
}

#[test]
fn g_r_reads_the_report_on_its_worker_and_shows_it_grouped_by_agent() {
    let (_dir, mut app, _) = desk();
    app.handle(Msg::Key(key("g")));
    app.handle(Msg::Key(key("r")));
    let screen = app.state.reports.as_ref().expect("g r opens the screen at once");
    assert!(screen.loading && screen.report.is_none(), "reading the report… until the worker answers");
    app.wait_idle();
    let screen = app.state.reports.as_ref().unwrap();
    assert!(!screen.loading);
    let report = screen.report.as_ref().expect("the worker's report");
    assert_eq!(report.by, Some(Dimension::Agent));
    assert_eq!(report.row(Figure::New).value, Some(7.0));
    assert_eq!(group_keys(&app), vec!["hiro", "ana"], "busiest first");
    assert!(report.heat.total() >= 7, "every ticket's first message is a customer's");
}

#[test]
fn the_screen_shows_the_same_figures_as_the_engine_read_directly() {
    let (dir, mut app, _) = desk();
    press(&mut app, "g r");
    let shown = app.state.reports.as_ref().unwrap().report.as_ref().unwrap().clone();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    let policies = Default::default();
    let hours = frontdesk::domain::sla::Hours::Calendar;
    let period = shown.period;
    let request = Request {
        period,
        compare: true,
        by: Some(Dimension::Agent),
        series: Some(frontdesk::domain::report::SeriesStep::Day),
        zone: app.state.zone,
    };
    let mut builder = Builder::new(request, Rules { policies: &policies, default_hours: &hours, now: app.state.now });
    store.read_report(&mut builder).unwrap();
    let direct = builder.finish(shown.hours.clone());
    assert_eq!(direct.desk, shown.desk);
    assert_eq!(direct.groups, shown.groups);
    assert_eq!(direct.heat.counts, shown.heat.counts);
}

#[test]
fn period_and_grouping_keys_read_the_report_again() {
    let (_dir, mut app, _) = desk();
    press(&mut app, "g r");
    let first = app.state.reports.as_ref().unwrap().generation;
    press(&mut app, "l");
    let screen = app.state.reports.as_ref().unwrap();
    assert_eq!(screen.last(), Last::Days(90));
    assert!(screen.generation > first, "read again");
    let report = screen.report.as_ref().unwrap();
    assert!((report.period.days() - 90.0).abs() < 0.01, "{}", report.period.days());
    press(&mut app, "l");
    assert_eq!(app.state.reports.as_ref().unwrap().last(), Last::Months(12));
    assert_eq!(
        app.state.reports.as_ref().unwrap().report.as_ref().unwrap().series_step,
        Some(frontdesk::domain::report::SeriesStep::Week),
        "a year is drawn by weeks"
    );
    press(&mut app, "l");
    assert!(status(&app).contains("longest"), "{}", status(&app));
    press(&mut app, "h h h");
    assert_eq!(app.state.reports.as_ref().unwrap().last(), Last::Days(7));
    press(&mut app, "b");
    let screen = app.state.reports.as_ref().unwrap();
    assert_eq!(screen.by(), Dimension::Tier);
    assert_eq!(screen.report.as_ref().unwrap().by, Some(Dimension::Tier));
    assert_eq!(group_keys(&app), vec!["standard"]);
    press(&mut app, "b b b b");
    assert_eq!(app.state.reports.as_ref().unwrap().by(), Dimension::Priority);
    assert_eq!(group_keys(&app), vec!["normal", "urgent"]);
    press(&mut app, "b");
    assert_eq!(app.state.reports.as_ref().unwrap().by(), Dimension::Agent, "b cycles back to agent");
}

#[test]
fn an_answer_overtaken_by_a_newer_read_is_dropped() {
    let (_dir, mut app, _) = desk();
    press(&mut app, "g r");
    let screen = app.state.reports.as_ref().unwrap();
    let mut old = screen.report.as_ref().unwrap().clone();
    old.by = Some(Dimension::Channel);
    let stale = screen.generation - 1;
    app.handle(Msg::ReportLoaded { generation: stale, result: Ok(old) });
    let report = app.state.reports.as_ref().unwrap().report.as_ref().unwrap();
    assert_eq!(report.by, Some(Dimension::Agent));
    let generation = app.state.reports.as_ref().unwrap().generation;
    app.handle(Msg::ReportLoaded { generation, result: Err("disk I/O error".into()) });
    assert!(status(&app).contains("the report could not be read: disk I/O error"), "{}", status(&app));
    assert!(app.state.reports.as_ref().unwrap().report.is_some(), "the last report stays on screen");
}

#[test]
fn enter_opens_the_groups_tickets_in_the_queue_and_esc_comes_back_to_the_screen_then_the_queue() {
    let (_dir, mut app, hiros) = desk();
    press(&mut app, "j");
    let (view, selected) = (app.state.view, app.state.queue.selected);
    let rows: Vec<i64> = app.state.queue.rows.iter().map(|t| t.id).collect();
    press(&mut app, "g r");
    assert_eq!(group_keys(&app), vec!["hiro", "ana"]);
    press(&mut app, "enter");
    assert!(app.state.reports.is_none(), "the queue shows");
    let findings = app.state.findings.as_ref().expect("the group's tickets as the queue's results");
    assert_eq!(findings.kind, PromptKind::Report);
    assert!(findings.text.contains("agent hiro"), "{}", findings.text);
    let mut shown: Vec<i64> = app.state.queue.rows.iter().map(|t| t.id).collect();
    shown.sort();
    let mut expected = hiros.clone();
    expected.sort();
    assert_eq!(shown, expected, "hiro's tickets, nobody else's");
    press(&mut app, "esc");
    assert!(app.state.findings.is_none());
    let screen = app.state.reports.as_ref().expect("back on the reports screen");
    assert_eq!(screen.selected, 0, "on the row it was");
    press(&mut app, "j enter");
    let shown: Vec<i64> = app.state.queue.rows.iter().map(|t| t.id).collect();
    assert_eq!(shown.len(), 3, "ana's three");
    press(&mut app, "esc esc");
    assert!(app.state.reports.is_none() && app.state.findings.is_none());
    assert_eq!(app.state.view, view);
    assert_eq!(app.state.queue.selected, selected, "the queue where it was");
    assert_eq!(app.state.queue.rows.iter().map(|t| t.id).collect::<Vec<_>>(), rows);
}

#[test]
fn q_closes_the_screen_and_ticket_keys_say_where_they_work() {
    let (_dir, mut app, _) = desk();
    press(&mut app, "g r");
    press(&mut app, "r");
    assert!(app.state.composer.is_none(), "no reply from the reports screen");
    assert!(status(&app).contains("not on the reports screen: Esc goes back"), "{}", status(&app));
    press(&mut app, "q");
    assert!(app.state.reports.is_none());
    assert!(!app.state.should_quit, "q leaves the screen, not the console");
}

#[test]
fn the_palette_and_help_know_the_reports_screen() {
    let (_dir, mut app, _) = desk();
    press(&mut app, ":");
    frontdesk::app::update::on_action(&mut app.state, frontdesk::app::model::action::Action::Back);
    let help = frontdesk::app::model::action::Action::from_name("reports").expect("a named action");
    assert_eq!(help.title(), "Reports");
    assert_eq!(app.state.keymap.hint_for(frontdesk::app::model::keymap::Context::Queue, help).as_deref(), Some("g r"));
    assert_eq!(
        app.state
            .keymap
            .hint_for(
                frontdesk::app::model::keymap::Context::Reports,
                frontdesk::app::model::action::Action::ReportGrouping
            )
            .as_deref(),
        Some("b")
    );
}

#[test]
fn opened_from_the_palette_while_writing_the_screen_takes_the_keys_and_esc_returns_to_the_draft() {
    let (_dir, mut app, _) = desk();
    press(&mut app, "enter r");
    assert!(app.state.composer.is_some());
    deliver(&mut app, Msg::Action(frontdesk::app::model::action::Action::Reports));
    press(&mut app, "b");
    assert_eq!(app.state.reports.as_ref().unwrap().by(), Dimension::Tier, "b is the screen's, not typed");
    assert_eq!(app.state.composer.as_ref().unwrap().text.lines().concat(), "");
    press(&mut app, "esc");
    assert!(app.state.reports.is_none() && app.state.composer.is_some(), "the draft is still open");
}

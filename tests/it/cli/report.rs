//! `frontdesk report` against an independent computation from `ticket show --json` of every
//! ticket of a generated desk, and its flags, formats and errors.

use crate::support::cli::Desk;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Round-the-clock targets for every priority, so every clock can be worked out by hand.
const CALENDAR_SLA: &str = r#"
[sla]
hours = "calendar"
[[sla.policies]]
priority = "urgent"
first_response = "1h"
next_response = "2h"
resolution = "16h"
[[sla.policies]]
priority = "high"
first_response = "4h"
next_response = "8h"
resolution = "1d"
[[sla.policies]]
priority = "normal"
first_response = "8h"
next_response = "16h"
resolution = "2d"
[[sla.policies]]
priority = "low"
first_response = "20h"
next_response = "30h"
resolution = "5d"
"#;

/// A generated desk of `tickets` tickets under `config`.
fn demo_desk(config: &str, tickets: usize) -> Desk {
    let mut desk = Desk::empty();
    let path = desk.path("config.toml");
    std::fs::write(&path, config).unwrap();
    desk.config = Some(path);
    desk.ok(&["demo", "--tickets", &tickets.to_string(), "--seed", "11"]);
    desk
}

fn at(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap().with_timezone(&Utc)
}

/// Every ticket as `ticket show --json` gives it.
fn every_ticket(desk: &Desk) -> Vec<Value> {
    let mut args = vec!["ticket", "list", "--limit", "100000", "--json"];
    for status in ["new", "open", "pending", "on_hold", "solved", "closed"] {
        args.extend(["--status", status]);
    }
    let list = desk.json(&args);
    let ids: Vec<i64> = list.as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect();
    assert!(!ids.is_empty());
    ids.iter().map(|id| desk.json(&["ticket", "show", &id.to_string(), "--json"])).collect()
}

/// A ticket's history worked out here from its events, without the desk's timeline code.
struct Story {
    id: i64,
    created: DateTime<Utc>,
    statuses: Vec<(DateTime<Utc>, String)>,
    /// (when, is ours)
    messages: Vec<(DateTime<Utc>, bool)>,
    csat: Option<(DateTime<Utc>, bool)>,
    json: Value,
}

fn story(t: &Value) -> Story {
    let mut events: Vec<&Value> = t["events"].as_array().unwrap().iter().collect();
    events.sort_by_key(|e| (at(&e["created_at"]), e["id"].as_i64()));
    let mut s = Story {
        id: t["id"].as_i64().unwrap(),
        created: at(&t["created_at"]),
        statuses: vec![],
        messages: vec![],
        csat: None,
        json: t.clone(),
    };
    for e in events {
        let when = at(&e["created_at"]);
        match e["field"].as_str().unwrap() {
            "status" => s.statuses.push((when, e["new"].as_str().unwrap().to_string())),
            "reply" => s.messages.push((when, true)),
            "customer" => s.messages.push((when, false)),
            "satisfaction" => {
                let label = e["new"].as_str().unwrap();
                let good = label == "good" || label.starts_with('4') || label.starts_with('5');
                s.csat = Some((when, good));
            }
            _ => {}
        }
    }
    s
}

fn done(status: &str) -> bool {
    status == "solved" || status == "closed"
}

fn paused(status: &str) -> bool {
    matches!(status, "pending" | "on_hold" | "solved" | "closed")
}

impl Story {
    /// Whole seconds in [a, b) while the ticket was not paused, counted per unbroken stretch of
    /// work (as a clock does: each stretch to the second).
    fn running(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        let mut stretches = vec![];
        let mut working_since = Some(self.created);
        for (when, status) in &self.statuses {
            match (paused(status), working_since) {
                (true, Some(start)) => {
                    stretches.push((start, *when));
                    working_since = None;
                }
                (false, None) => working_since = Some(*when),
                _ => {}
            }
        }
        stretches.extend(working_since.map(|start| (start, b.max(a))));
        stretches
            .iter()
            .map(|(lo, hi)| ((*lo).max(a), (*hi).min(b)))
            .filter(|(lo, hi)| hi > lo)
            .map(|(lo, hi)| (hi - lo).num_seconds())
            .sum()
    }

    fn status_at(&self, t: DateTime<Utc>) -> String {
        self.statuses.iter().rfind(|(w, _)| *w <= t).map_or("new".into(), |(_, s)| s.clone())
    }

    /// When the current run of solved/closed began, if it is solved or closed now.
    fn solved_at(&self) -> Option<DateTime<Utc>> {
        let mut start = None;
        for (when, s) in &self.statuses {
            start = if done(s) { start.or(Some(*when)) } else { None };
        }
        start
    }

    fn first_reply(&self) -> Option<DateTime<Utc>> {
        self.messages.iter().find(|m| m.1).map(|m| m.0)
    }

    fn reopens(&self) -> Vec<DateTime<Utc>> {
        let mut before = "new".to_string();
        let mut out = vec![];
        for (when, s) in &self.statuses {
            if done(&before) && !done(s) {
                out.push(*when);
            }
            before = s.clone();
        }
        out
    }
}

fn median(mut v: Vec<i64>) -> Option<f64> {
    v.sort();
    let n = v.len();
    (n > 0).then(|| if n % 2 == 1 { v[n / 2] as f64 } else { (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0 })
}

fn p90(mut v: Vec<i64>) -> Option<f64> {
    v.sort();
    (!v.is_empty()).then(|| v[((v.len() * 90).div_ceil(100)).max(1) - 1] as f64)
}

fn mean(v: &[i64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<i64>() as f64 / v.len() as f64)
}

fn pct(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

fn figure(report: &Value, name: &str) -> Option<f64> {
    let rows = report["desk"]["figures"].as_array().unwrap();
    let row = rows.iter().find(|r| r["figure"] == name).unwrap_or_else(|| panic!("no figure {name}"));
    row["value"].as_f64()
}

fn close(ours: Option<f64>, theirs: Option<f64>, name: &str) {
    match (ours, theirs) {
        (Some(a), Some(b)) => assert!((a - b).abs() < 1e-6, "{name}: worked out {a}, report says {b}"),
        _ => assert_eq!(ours, theirs, "{name}"),
    }
}

#[test]
fn the_report_agrees_with_every_tickets_own_history() {
    let desk = demo_desk(CALENDAR_SLA, 160);
    let report = desk.json(&["report", "--last", "30d", "--json"]);
    let (since, until) = (at(&report["period"]["since"]), at(&report["period"]["until"]));
    let inside = |t: DateTime<Utc>| t >= since && t < until;
    let stories: Vec<Story> = every_ticket(&desk).iter().map(story).collect();

    let new = stories.iter().filter(|s| inside(s.created)).count();
    let solved: Vec<&Story> = stories.iter().filter(|s| s.solved_at().is_some_and(inside)).collect();
    let reopened = stories.iter().filter(|s| s.reopens().into_iter().any(inside)).count();
    let backlog = stories.iter().filter(|s| s.created < until && !done(&s.status_at(until))).count();
    let first: Vec<i64> = stories
        .iter()
        .filter_map(|s| s.first_reply().filter(|r| inside(*r)).map(|r| s.running(s.created, r)))
        .collect();
    let resolution: Vec<i64> = solved.iter().map(|s| s.running(s.created, s.solved_at().unwrap())).collect();
    let one_touch = solved
        .iter()
        .filter(|s| s.messages.iter().filter(|(w, ours)| *ours && *w <= s.solved_at().unwrap()).count() == 1)
        .count();
    let reopened_solved = solved.iter().filter(|s| s.reopens().iter().any(|r| *r < s.solved_at().unwrap())).count();
    let rated: Vec<bool> = stories.iter().filter_map(|s| s.csat.filter(|c| inside(c.0)).map(|c| c.1)).collect();
    assert!(new > 10 && !solved.is_empty() && first.len() > 10, "the demo desk has a month of work");

    close(Some(new as f64), figure(&report, "new"), "new");
    close(Some(solved.len() as f64), figure(&report, "solved"), "solved");
    close(Some(reopened as f64), figure(&report, "reopened"), "reopened");
    close(Some(backlog as f64), figure(&report, "backlog"), "backlog");
    close(median(first.clone()), figure(&report, "first_response_median"), "first_response_median");
    close(p90(first.clone()), figure(&report, "first_response_p90"), "first_response_p90");
    close(mean(&first), figure(&report, "first_response_mean"), "first_response_mean");
    close(median(resolution.clone()), figure(&report, "resolution_median"), "resolution_median");
    close(p90(resolution.clone()), figure(&report, "resolution_p90"), "resolution_p90");
    close(mean(&resolution), figure(&report, "resolution_mean"), "resolution_mean");
    close(pct(one_touch, solved.len()), figure(&report, "one_touch"), "one_touch");
    close(pct(reopened_solved, solved.len()), figure(&report, "reopen_rate"), "reopen_rate");
    close(pct(rated.iter().filter(|g| **g).count(), rated.len()), figure(&report, "csat"), "csat");

    // Attainment: each ticket's own clock (from `ticket show`) that stopped in the period.
    for (kind, name) in [("first_response", "sla_first_response_met"), ("resolution", "sla_resolution_met")] {
        let stopped: Vec<&Value> = stories
            .iter()
            .map(|s| &s.json["sla"][kind])
            .filter(|c| c["stopped_at"].as_str().is_some_and(|_| inside(at(&c["stopped_at"]))))
            .collect();
        let met = stopped.iter().filter(|c| c["state"] == "met").count();
        close(pct(met, stopped.len()), figure(&report, name), name);
        // And the clock's own time agrees with the report's measure of it.
        for c in stopped.iter().filter(|c| kind == "resolution" && c["state"] == "met") {
            assert!(c["remaining_seconds"].as_i64().unwrap() >= 0);
        }
    }
    let mut breached: Vec<i64> = stories
        .iter()
        .filter(|s| {
            let c = &s.json["sla"]["resolution"];
            c["state"] == "breached" && c["stopped_at"].as_str().is_some_and(|_| inside(at(&c["stopped_at"])))
        })
        .map(|s| s.id)
        .collect();
    breached.sort();
    let listed = desk.ok(&["report", "--tickets", "sla_resolution_breached"]);
    let mut listed: Vec<i64> = listed.lines().map(|l| l.parse().unwrap()).collect();
    listed.sort();
    assert_eq!(listed, breached, "--tickets lists exactly the breached resolutions");
}

#[test]
fn in_business_hours_each_first_response_is_the_time_its_clock_used() {
    let config =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo-config/config.toml")).unwrap();
    let desk = demo_desk(&config, 120);
    let report = desk.json(&["report", "--last", "30d", "--json"]);
    let (since, until) = (at(&report["period"]["since"]), at(&report["period"]["until"]));
    let stories: Vec<Story> = every_ticket(&desk).iter().map(story).collect();
    let mut used = Vec::new();
    for s in &stories {
        let clock = &s.json["sla"]["first_response"];
        let (Some(reply), Some(stop)) = (s.first_reply(), clock["stopped_at"].as_str()) else { continue };
        if reply >= since && reply < until && at(&Value::from(stop)) == reply {
            used.push(clock["target_seconds"].as_i64().unwrap() - clock["remaining_seconds"].as_i64().unwrap());
        }
    }
    assert!(used.len() > 10, "{}", used.len());
    close(median(used.clone()), figure(&report, "first_response_median"), "first_response_median");
    close(mean(&used), figure(&report, "first_response_mean"), "first_response_mean");
    assert!(report["hours"].as_str().unwrap().starts_with("business hours (Europe/London"), "{}", report["hours"]);
}

#[test]
fn csv_and_json_carry_the_same_figures() {
    let desk = demo_desk(CALENDAR_SLA, 60);
    // The same period for both runs.
    let until = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let since = (Utc::now() - chrono::Duration::days(30)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let args = ["report", "--since", &since, "--until", &until, "--by", "priority", "--series", "week"];
    let json = desk.json(&[&args[..], &["--json"]].concat());
    let csv = desk.ok(&[&args[..], &["--csv"]].concat());
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("section,key,figure,unit,value,previous,change,change_percent"));
    let mut sections = vec![("desk", json["desk"].clone())];
    sections.extend(json["groups"].as_array().unwrap().iter().map(|g| ("group", g.clone())));
    sections.extend(json["series"].as_array().unwrap().iter().map(|p| ("series", p.clone())));
    let mut expected = Vec::new();
    for (section, s) in sections {
        let key = s["key"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| at(&s["start"]).to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        for r in s["figures"].as_array().unwrap() {
            let n = |v: &Value| v.as_f64().map(|f| f.to_string()).unwrap_or_default();
            expected.push(format!(
                "{section},{key},{},{},{},{},{},{}",
                r["figure"].as_str().unwrap(),
                r["unit"].as_str().unwrap(),
                n(&r["value"]),
                n(&r["previous"]),
                n(&r["change"]),
                n(&r["change_percent"])
            ));
        }
    }
    let got: Vec<String> = lines.map(str::to_string).collect();
    assert_eq!(got.len(), expected.len());
    for (got, expected) in got.iter().zip(&expected) {
        let (a, b): (Vec<&str>, Vec<&str>) = (got.split(',').collect(), expected.split(',').collect());
        assert_eq!(a[..4], b[..4], "{got}");
        for (x, y) in a[4..].iter().zip(&b[4..]) {
            let (x, y) = (x.parse::<f64>().ok(), y.parse::<f64>().ok());
            assert!(x == y || x.zip(y).is_some_and(|(x, y)| (x - y).abs() <= 1e-9 * y.abs()), "{got} / {expected}");
        }
    }
    assert!(!json["groups"].as_array().unwrap().is_empty() && !json["series"].as_array().unwrap().is_empty());
}

#[test]
fn the_table_fits_80_columns_and_says_when_there_is_nothing() {
    let desk = Desk::with_config(CALENDAR_SLA);
    let out = desk.ok(&["report"]);
    for wanted in
        ["no tickets solved in this period", "no first replies in this period", "nothing rated in this period"]
    {
        assert!(out.contains(wanted), "{wanted} in:\n{out}");
    }
    assert!(!out.contains("NaN") && !out.contains("inf"), "{out}");
    let busy = demo_desk(CALENDAR_SLA, 80);
    for args in
        [&["report"][..], &["report", "--by", "agent"], &["report", "--series", "day"], &["report", "--explain"]]
    {
        let out = busy.ok(args);
        for line in out.lines() {
            assert!(unicode_width::UnicodeWidthStr::width(line) <= 80, "{args:?}: {line}");
        }
    }
    let out = busy.ok(&["report", "--last", "all"]);
    assert!(out.contains("the whole history, not compared"), "{out}");
}

#[test]
fn every_figure_is_explained_and_has_its_tickets() {
    let desk = demo_desk(CALENDAR_SLA, 60);
    let explained = desk.ok(&["report", "--explain"]);
    let report = desk.json(&["report", "--json"]);
    for row in report["desk"]["figures"].as_array().unwrap() {
        let name = row["figure"].as_str().unwrap();
        assert!(explained.contains(&format!("\n{name} (")), "{name} is explained");
        let listed = desk.json(&["report", "--tickets", name, "--json"]);
        assert_eq!(listed["figure"], name);
        assert!(listed["ids"].is_array(), "{name}");
    }
}

#[test]
fn wrong_flags_get_one_clear_error() {
    let desk = Desk::with_admin();
    let cases: &[(&[&str], i32, &str)] = &[
        (&["--last", "3y"], 2, "is not a length like 7d"),
        (&["--by", "weather"], 2, "is not a grouping"),
        (&["--series", "month"], 2, "is not a series step"),
        (&["--tickets", "speed"], 2, "is not a figure of the report"),
        (&["--last", "7d", "--since", "today"], 2, "cannot be used with"),
        (&["--json", "--csv"], 2, "cannot be used with"),
        (&["--since", "tomorrowish"], 1, "--since: 'tomorrowish' is not a time"),
        (&["--since", "today", "--until", "yesterday"], 1, "is not before --until"),
    ];
    for (args, code, says) in cases {
        let run = desk.run(&[&["report"], *args].concat(), "");
        assert_eq!(run.code, *code, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        if *code == 1 {
            assert_eq!(run.stderr.lines().count(), 1, "{args:?}: {}", run.stderr);
        }
    }
}

#[test]
fn a_bad_ratings_comment_reaches_the_table_as_text() {
    let desk = Desk::with_config(CALENDAR_SLA);
    desk.ok(&["ticket", "new", "--from", "carla@example.com", "--subject", "Broken", "--body", "It broke"]);
    desk.ok(&["ticket", "reply", "1", "--body", "Sorry", "--status", "solved"]);
    desk.ok(&["ticket", "rate", "1", "--csat", "bad", "--comment", "slow\x1b[2J\u{202e}reply"]);
    let out = desk.ok(&["report"]);
    assert!(out.contains("#1 1/5"), "{out}");
    assert!(out.contains("slow^[[2J<U+202E>reply"), "{out}");
    assert!(!out.contains('\x1b'), "{out}");
    assert_eq!(desk.json(&["report", "--json"])["bad_ratings"][0]["comment"], "slow\x1b[2J\u{202e}reply");
}

#[test]
fn check_finds_kept_report_figures_that_differ_from_the_events_and_repair_works_them_out_again() {
    let desk = demo_desk(CALENDAR_SLA, 200);
    let until = (Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let since = (Utc::now() - chrono::Duration::days(60)).to_rfc3339();
    let figures = |desk: &Desk| {
        let report = desk.json(&["report", "--since", &since, "--until", &until, "--by", "agent", "--json"]);
        (report["desk"].clone(), report["groups"].clone())
    };
    let right = figures(&desk);
    assert!(desk.ok(&["check"]).contains("report figures"), "the kept figures are checked");
    // Another ticket's figures in a kept row: read as they are, so only `check` can tell.
    let conn = rusqlite::Connection::open(&desk.db).unwrap();
    let changed = conn
        .execute(
            "UPDATE ticket_report_facts SET facts = (SELECT facts FROM ticket_report_facts ORDER BY ticket_id LIMIT 1)
             WHERE ticket_id = (SELECT max(ticket_id) FROM ticket_report_facts)",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    let run = desk.run(&["check"], "");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("problem: 1 tickets' kept report figures differ from their events"), "{}", run.stdout);
    let repaired = desk.ok(&["check", "--repair"]);
    assert!(repaired.contains("(1 were wrong, 0 missing)"), "{repaired}");
    assert!(repaired.contains(": ok"), "{repaired}");
    assert_eq!(figures(&desk), right, "the repaired figures are the events' again");

    // `--json` checks and repairs the same: it used to leave the report figures out of both.
    let conn = rusqlite::Connection::open(&desk.db).unwrap();
    conn.execute(
        "UPDATE ticket_report_facts SET facts = (SELECT facts FROM ticket_report_facts ORDER BY ticket_id LIMIT 1)
         WHERE ticket_id = (SELECT max(ticket_id) FROM ticket_report_facts)",
        [],
    )
    .unwrap();
    let run = desk.run(&["check", "--json"], "");
    assert_eq!(run.code, 1, "{}", run.stdout);
    let found: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let said = found["problems"].as_array().unwrap();
    assert!(said.iter().any(|p| p.as_str().unwrap().starts_with("1 tickets' kept report figures differ")), "{found}");
    let repaired = desk.json(&["check", "--repair", "--json"]);
    assert_eq!(
        (&repaired["ok"], &repaired["repaired"]["report_figures_wrong"]),
        (&true.into(), &1.into()),
        "{repaired}"
    );
    assert!(repaired["repaired"]["report_figures_worked_out"].as_u64().unwrap() >= 1, "{repaired}");
    assert_eq!(figures(&desk), right);
}

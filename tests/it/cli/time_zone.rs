//! `ui.time_zone`: one zone for every human time the command line shows and reads (snoozes,
//! `ticket show`, search's `before:`/`after:`), whatever the machine's zone; `--json` stays UTC.

use crate::support::cli::Desk;
use chrono::{Duration, Utc};

/// Run `args` on a machine whose own zone is Berlin; (exit code, stdout, stderr).
fn run(desk: &Desk, args: &[&str]) -> (i32, String, String) {
    let out = desk.command(args).env("TZ", "Europe/Berlin").output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

fn desk_in(zone: &str) -> Desk {
    let desk = Desk::with_config(&format!("[ui]\ntime_zone = \"{zone}\"\n"));
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Lamp", "--body", "Broken."]);
    desk
}

#[test]
fn the_configured_zone_wins_over_the_machines_for_shown_and_typed_times() {
    let desk = desk_in("Asia/Tokyo");
    let (code, out, err) = run(&desk, &["ticket", "snooze", "1", "--until", "2030-12-24 08:00"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "ticket #1 snoozed until Tue 24 Dec 2030 08:00 JST (2030-12-23T23:00:00Z)\n");
    let (_, shown, _) = run(&desk, &["ticket", "show", "1"]);
    assert!(shown.contains(" JST"), "ticket show names the configured zone: {shown}");
    assert!(!shown.contains(" UTC") && !shown.contains(" CET"), "{shown}");
    let json = desk.json(&["ticket", "show", "1", "--json"]);
    assert!(json["ticket"]["created_at"]
        .as_str()
        .unwrap_or_else(|| json["created_at"].as_str().unwrap())
        .ends_with('Z'));
}

#[test]
fn search_dates_are_days_in_the_configured_zone() {
    // The ticket was created now. Fourteen hours ahead of UTC, the day it was created on there
    // began before now; twelve hours behind, that day begins later than now.
    let day = (Utc::now() + Duration::hours(14)).format("%Y-%m-%d").to_string();
    let after = format!("after:{day}");
    let ahead = desk_in("Pacific/Kiritimati");
    let (code, out, err) = run(&ahead, &["search", &after, "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"Lamp\""), "found in a zone where {day} has begun: {out}");
    let behind = desk_in("Etc/GMT+12");
    let (code, out, err) = run(&behind, &["search", &after, "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("\"Lamp\""), "not found where {day} is still to come: {out}");
}

#[test]
fn a_zone_that_does_not_exist_is_one_clear_error() {
    let desk = Desk::empty();
    let path = desk.path("config.toml");
    std::fs::write(&path, "[ui]\ntime_zone = \"Mars/Olympus\"\n").unwrap();
    let out = desk.command(&["ticket", "list"]).env("FRONTDESK_CONFIG", &path).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("ui.time_zone: 'Mars/Olympus' is not a time zone"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

//! `ticket snooze --until` reads the time as the console does, in the agent's time zone (here
//! set by `TZ`), and says it back in that zone with the exact time beside it.

use crate::support::cli::Desk;

/// Run `args` with the time zone `tz`; (exit code, stdout, stderr).
fn run_in(desk: &Desk, tz: &str, args: &[&str]) -> (i32, String, String) {
    let out = desk.command(args).env("TZ", tz).output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

fn desk_with_a_ticket() -> Desk {
    let desk = Desk::with_config("");
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Lamp", "--body", "Broken."]);
    desk
}

fn snoozed_until(desk: &Desk) -> String {
    let detail = desk.json(&["ticket", "show", "1", "--json"]);
    let events = detail["events"].as_array().unwrap();
    let snooze = events.iter().rev().find(|e| e["field"] == "snoozed_until").expect("a snooze event");
    snooze["new"].as_str().unwrap().to_string()
}

#[test]
fn a_typed_time_is_read_in_the_local_zone_and_said_back_in_it() {
    let desk = desk_with_a_ticket();
    let (code, out, err) = run_in(&desk, "Europe/Berlin", &["ticket", "snooze", "1", "--until", "2030-12-24 08:00"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "ticket #1 snoozed until Tue 24 Dec 2030 08:00 CET (2030-12-24T07:00:00Z)\n");
    assert_eq!(snoozed_until(&desk), "2030-12-24T07:00:00Z");
    let (_, out, _) = run_in(&desk, "Europe/Berlin", &["ticket", "snooze", "1", "--until", "2030-07-01"]);
    assert_eq!(out, "ticket #1 snoozed until Mon 1 Jul 2030 09:00 CEST (2030-07-01T07:00:00Z)\n", "summer time");
    let (_, out, _) = run_in(&desk, "America/New_York", &["ticket", "snooze", "1", "--until", "2030-12-24 08:00"]);
    assert!(out.ends_with("08:00 EST (2030-12-24T13:00:00Z)\n"), "{out}");
    let (_, out, _) = run_in(&desk, "Asia/Tokyo", &["ticket", "snooze", "1", "--until", "tomorrow 9:00"]);
    assert!(out.contains(" 09:00 JST (") && out.contains("T00:00:00Z)"), "{out}");
}

#[test]
fn rfc_3339_keeps_its_offset_and_bad_times_get_one_sentence() {
    let desk = desk_with_a_ticket();
    let (code, out, _) =
        run_in(&desk, "Europe/Berlin", &["ticket", "snooze", "1", "--until", "2030-12-24T08:00:00+05:00"]);
    assert_eq!(code, 0);
    assert!(out.ends_with("(2030-12-24T03:00:00Z)\n"), "{out}");
    for (bad, says) in [
        ("99999999999999d", "'99999999999999d' is too far ahead"),
        ("someday", "'someday' is not a time; try tomorrow 9:00"),
        ("25:00", "'25:00' is not a time of day"),
    ] {
        let (code, out, err) = run_in(&desk, "Europe/Berlin", &["ticket", "snooze", "1", "--until", bad]);
        assert_eq!((code, out.as_str()), (1, ""), "{bad}: {err}");
        assert!(err.contains(says), "{bad}: {err}");
        assert_eq!(err.lines().count(), 1, "one sentence: {err}");
    }
    let (_, _, err) = run_in(&desk, "Europe/Berlin", &["ticket", "snooze", "1", "--until", "someday"]);
    assert!(err.contains("or 'reply'"), "{err}");
    assert_eq!(snoozed_until(&desk), "2030-12-24T03:00:00Z", "nothing changed by the bad ones");
}

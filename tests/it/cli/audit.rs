//! `frontdesk audit`: the whole story of a ticket and of a customer, through the built binary.

use crate::support::cli::{Desk, Run};
use serde_json::Value;

/// `frontdesk audit ARGS` as `ana`, human times in Tokyo (no daylight saving: a fixed `+09:00`).
fn audit(desk: &Desk, args: &[&str]) -> Run {
    let out = desk.command(&[&["audit"], args].concat()).env("TZ", "Asia/Tokyo").output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn lines(desk: &Desk, args: &[&str]) -> Vec<String> {
    let run = audit(desk, args);
    assert_eq!(run.code, 0, "audit {args:?}: {}{}", run.stdout, run.stderr);
    run.stdout.lines().map(String::from).collect()
}

/// What each line says after its time (`2026-12-01 09:30:05 JST  `).
fn changes(desk: &Desk, args: &[&str]) -> Vec<String> {
    lines(desk, args)
        .into_iter()
        .map(|line| {
            assert!(line.get(19..24) == Some(" JST "), "a local time to the second: {line}");
            line[25..].to_string()
        })
        .collect()
}

/// A desk where Carla has written twice: #1 answered, tagged and solved, #2 merged into it.
fn story_desk() -> Desk {
    let desk = Desk::with_admin();
    desk.ok(&["agent", "add", "bob", "--name", "Bob Brown"]);
    desk.ok(&[
        "ticket",
        "new",
        "--from",
        "carla@shop.example",
        "--name",
        "Carla Núñez",
        "--subject",
        "Refund",
        "--body",
        "It broke.",
    ]);
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Refund?", "--body", "Hello?"]);
    desk.by("bob").ok(&["ticket", "set", "1", "--status", "open", "--tag", "carrier"]);
    desk.by("bob").ok(&["ticket", "reply", "1", "--body", "On its way."]);
    desk.ok(&["ticket", "merge", "2", "--into", "1"]);
    desk.ok(&["ticket", "set", "1", "--status", "solved"]);
    desk
}

#[test]
fn the_whole_story_of_a_ticket_and_of_a_deleted_one() {
    let desk = story_desk();
    let story = changes(&desk, &["--ticket", "1"]);
    let expected = [
        "ana  #1  created: Refund",
        "bob  #1  status new → open",
        "bob  #1  tagged carrier",
        "bob  #1  added reply message",
        "ana  #1  #2 merged into it",
        "ana  #1  status open → solved",
    ];
    assert_eq!(story.len(), expected.len(), "{story:#?}");
    for (line, want) in story.iter().zip(expected) {
        assert!(line.starts_with(want), "{line:?} should start with {want:?}");
    }
    desk.ok(&["ticket", "delete", "2", "--yes"]);
    let gone = changes(&desk, &["--ticket", "2"]);
    assert_eq!(gone.len(), 4, "{gone:#?}");
    assert!(gone[0].starts_with("ana  #2  created: Refund?"), "{gone:?}");
    assert!(gone[1].starts_with("ana  #2  merged into #1"), "{gone:?}");
    assert!(gone[2].starts_with("ana  #2  status new → closed"), "{gone:?}");
    assert_eq!(
        gone[3],
        "ana  #2  deleted: \"Refund?\" from Carla Núñez <carla@shop.example> (customer 1), closed, 1 message"
    );
    let show = desk.run(&["ticket", "show", "2"], "");
    assert_eq!(show.code, 1);
    assert!(show.stderr.contains("ticket #2 was deleted by ana at "), "{}", show.stderr);
    assert!(show.stderr.contains("it was \"Refund?\" from Carla Núñez"), "{}", show.stderr);
    assert_eq!(show.stderr.lines().count(), 1, "one sentence: {}", show.stderr);
    let next = desk.ok(&["ticket", "new", "--from", "otto@shop.example", "--subject", "Hi"]);
    assert!(next.contains("#3"), "a deleted number is not given out again: {next}");
    assert!(desk.ok(&["check"]).contains(": ok"));
}

#[test]
fn the_whole_story_of_a_customer_with_their_edits_merges_and_tickets() {
    let desk = story_desk();
    desk.ok(&["ticket", "new", "--from", "c.nunez@work.example", "--name", "C. Núñez", "--subject", "Invoice"]);
    desk.ok(&["customer", "set", "1", "--tier", "gold"]);
    desk.ok(&["customer", "set", "1", "--tier", "gold"]);
    desk.by("bob").ok(&["customer", "set", "1", "--notes", "Prefers email"]);
    desk.ok(&["customer", "merge", "2", "--into", "1"]);
    let story = changes(&desk, &["--customer", "1"]);
    let want = [
        "ana  customer 1  created: Carla Núñez <carla@shop.example>",
        "ana  #1  created: Refund",
        "ana  #2  created: Refund?",
        "ana  customer 1  tier standard → gold",
        "bob  customer 1  notes \"\" → Prefers email",
        "ana  customer 1  took in customer 2 (C. Núñez): tickets #3",
        "ana  customer 1  emails carla@shop.example → carla@shop.example c.nunez@work.example",
        "ana  #3  customer_id 2 → 1",
    ];
    for want in want {
        assert_eq!(story.iter().filter(|l| l.as_str() == want).count(), 1, "{want:?} once in {story:#?}");
    }
    let position = |text: &str| story.iter().position(|l| l.starts_with(text)).unwrap();
    assert!(position("ana  customer 1  created") < position("ana  #1  created"), "oldest first");
    assert!(position("ana  customer 1  tier") < position("bob  customer 1  notes"));
    assert!(story.iter().any(|l| l.starts_with("ana  #3  created: Invoice")), "the merged-in ticket's story too");
    let gone = changes(&desk, &["--customer", "2"]);
    assert_eq!(
        gone.last().unwrap(),
        "ana  customer 2  merged into customer 1: was C. Núñez <c.nunez@work.example> (standard)"
    );
}

#[test]
fn who_since_and_until_narrow_the_list() {
    let desk = story_desk();
    let bob = changes(&desk, &["--who", "bob"]);
    assert_eq!(bob.len(), 3, "{bob:#?}");
    assert!(bob.iter().all(|l| l.starts_with("bob  #1  ")), "{bob:#?}");
    let everything = lines(&desk, &[]);
    assert_eq!(lines(&desk, &["--since", "1h"]), everything, "all of it happened in the last hour");
    assert_eq!(lines(&desk, &["--since", "yesterday"]), everything);
    assert_eq!(lines(&desk, &["--until", "1h"]), ["nothing in the history matches"]);
    let json = json(&desk, &[]);
    let at = |i: usize| json[i]["at"].as_str().unwrap().to_string();
    // From the fourth entry on, and before the last: exact to the millisecond, in UTC.
    let (from, to) = (at(3), at(json.len() - 1));
    let middle = self::json(&desk, &["--since", &from, "--until", &to]);
    assert!(!middle.is_empty() && middle.len() < json.len(), "{} of {}", middle.len(), json.len());
    assert!(middle
        .iter()
        .all(|e| e["at"].as_str().unwrap() >= from.as_str() && e["at"].as_str().unwrap() < to.as_str()));
    assert_eq!(lines(&desk, &["--who", "mallory"]), ["nothing in the history matches"]);
}

fn json(desk: &Desk, args: &[&str]) -> Vec<Value> {
    let run = audit(desk, &[args, &["--json"]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str::<Value>(&run.stdout).unwrap().as_array().unwrap().clone()
}

#[test]
fn json_is_an_array_of_entries_in_utc() {
    let desk = story_desk();
    desk.ok(&["customer", "set", "1", "--tier", "vip"]);
    let all = json(&desk, &[]);
    let first = &all[0];
    assert_eq!(first["source"], "audit");
    assert_eq!(first["subject_kind"], "agent");
    assert_eq!(first["subject"], "ana");
    assert_eq!(first["field"], "created");
    let tier = all.iter().find(|e| e["field"] == "tier").unwrap();
    assert_eq!((tier["subject_kind"].as_str(), tier["subject"].as_i64()), (Some("customer"), Some(1)));
    assert_eq!((tier["old"].as_str(), tier["new"].as_str()), (Some("standard"), Some("vip")));
    let status = all.iter().find(|e| e["field"] == "status").unwrap();
    assert_eq!((status["source"].as_str(), status["subject"].as_i64()), (Some("event"), Some(1)));
    for entry in &all {
        let at = entry["at"].as_str().unwrap();
        assert!(at.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(at).is_ok(), "{at}");
        assert!(entry["id"].is_i64() && entry["actor"].is_string(), "{entry}");
    }
    let times: Vec<&str> = all.iter().map(|e| e["at"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first: {times:?}");
    assert_eq!(json(&desk, &["--who", "mallory"]), Vec::<Value>::new(), "an empty array, not a sentence");
}

#[test]
fn customer_text_reaches_the_terminal_as_text() {
    let desk = Desk::with_admin();
    let subject = "Refund \u{1b}]0;owned\u{7} \u{1b}[2J \u{202e}";
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--name", "Carla\u{1b}[31m", "--subject", subject]);
    desk.ok(&["customer", "set", "1", "--notes", "line one\nline two\u{9b}"]);
    let out = audit(&desk, &[]).stdout;
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    assert!(out.contains("Refund ^[]0;owned^G ^[[2J <U+202E>"), "{out}");
    assert!(out.contains("Carla^[[31m <carla@shop.example>"), "{out}");
    assert_eq!(out.lines().count(), 4, "one line each, a note's newline too: {out}");
}

#[test]
fn bad_flags_get_one_clear_error() {
    let desk = story_desk();
    let cases: [(&[&str], i32, &str); 6] = [
        (&["--since", "soon"], 1, "--since: 'soon' is not a time; try 2026-12-01"),
        (&["--until", "2026-02-30"], 1, "--until: '2026-02-30' is not a time"),
        (&["--since", "today", "--until", "yesterday"], 1, "is not before --until"),
        (&["--ticket", "99"], 1, "ticket #99 does not exist"),
        (&["--customer", "42"], 1, "customer 42 does not exist"),
        (&["--ticket", "one"], 2, "invalid value 'one' for '--ticket <N>'"),
    ];
    for (args, code, says) in cases {
        let run = audit(&desk, args);
        assert_eq!(run.code, code, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: nothing else printed: {}", run.stdout);
        if code == 1 {
            assert_eq!(run.stderr.lines().count(), 1, "{args:?}: {}", run.stderr);
        }
    }
}

#[test]
fn the_configured_zone_shows_and_reads_the_times() {
    let desk = Desk::with_config("[ui]\ntime_zone = \"Asia/Tokyo\"\n");
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Lamp"]);
    let run = |args: &[&str]| {
        let out = desk.command(&[&["audit"], args].concat()).env("TZ", "Europe/Berlin").output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let all = run(&[]);
    assert!(all.lines().all(|l| l.get(19..24) == Some(" JST ")), "the configured zone, not the machine's: {all}");
    let json = desk.json(&["audit", "--json"]);
    let ticket = json.as_array().unwrap().iter().find(|e| e["subject_kind"] == "ticket").unwrap();
    let created = chrono::DateTime::parse_from_rfc3339(ticket["at"].as_str().unwrap()).unwrap();
    // The minute it happened, typed on Tokyo's clock: everything from then on.
    let tokyo = created.with_timezone(&chrono_tz::Asia::Tokyo).format("%Y-%m-%d %H:%M").to_string();
    assert!(run(&["--since", &tokyo]).contains("#1  created: Lamp"), "since {tokyo}");
    let later = (created + chrono::Duration::minutes(1)).with_timezone(&chrono_tz::Asia::Tokyo);
    assert_eq!(run(&["--since", &later.format("%Y-%m-%d %H:%M").to_string()]), "nothing in the history matches\n");
}

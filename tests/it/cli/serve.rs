//! `frontdesk serve`: the desk service as a real process, against the in-process SMTP server.

use crate::support::cli::Desk;
use crate::support::smtp::SmtpServer;
use crate::support::{resident_kb, wakeups_and_ticks};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const CUSTOMER_MAIL: &str =
    "From: Carla <carla@shop.example>\r\nSubject: Refund\r\nMessage-ID: <c1@shop.example>\r\n\r\nBroken.\r\n";

fn smtp_config(port: u16, extra: &str) -> String {
    format!(
        "{extra}[mail]\naddress = \"support@desk.example\"\nname = \"Desk Support\"\n\
         [mail.outbound]\nvia = \"smtp\"\n\
         [mail.outbound.smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\n"
    )
}

/// A loopback port nothing listens on: every connection is refused.
fn dead_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A desk whose relay refuses, with one ticket and a reply that failed once.
fn desk_with_a_failed_reply() -> Desk {
    let desk = Desk::with_config(&smtp_config(dead_port(), ""));
    desk.run(&["import", "-"], CUSTOMER_MAIL);
    let out = desk.ok(&["ticket", "reply", "1", "--body", "Your refund is on its way."]);
    assert!(out.contains("not mailed yet"), "{out}");
    desk
}

fn point_relay_at(desk: &Desk, port: u16) {
    std::fs::write(desk.config.as_ref().unwrap(), smtp_config(port, "")).unwrap();
}

/// Time passes for the outbox: every waiting mail is due now.
fn make_due(desk: &Desk) {
    let conn = rusqlite::Connection::open(&desk.db).unwrap();
    conn.execute("UPDATE outbox_retries SET next_try_at = 0", []).unwrap();
}

fn outbox(desk: &Desk) -> Vec<Value> {
    desk.json(&["outbox", "list", "--json"]).as_array().unwrap().clone()
}

fn seconds_from_now(rfc3339: &Value) -> i64 {
    let at = chrono::DateTime::parse_from_rfc3339(rfc3339.as_str().unwrap()).unwrap();
    (at.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds()
}

/// `serve` running in the background, once it has said it serves the desk.
fn start_service(desk: &Desk) -> Child {
    let mut child = desk.command(&["serve"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with("serving "), "serve said: {line}");
    child
}

fn terminate(child: &mut Child) -> i32 {
    signal(child, libc::SIGTERM)
}

fn signal(child: &mut Child, signal: libc::c_int) -> i32 {
    // SAFETY: a signal to our own child process.
    unsafe { libc::kill(child.id() as i32, signal) };
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        assert!(start.elapsed() < Duration::from_secs(10), "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn serve_once_delivers_the_waiting_outbox_to_the_relay() {
    let desk = desk_with_a_failed_reply();
    let server = SmtpServer::start();
    point_relay_at(&desk, server.port);
    make_due(&desk);
    let out = desk.ok(&["serve", "--once"]);
    assert!(out.contains("1 reply mailed, 0 not"), "{out}");
    let received = server.received();
    assert_eq!(received.len(), 1, "one mail arrives");
    assert!(received[0].contains("Your refund is on its way."), "{}", received[0]);
    assert!(outbox(&desk).is_empty(), "nothing waits");
    let all = desk.json(&["outbox", "list", "--all", "--json"]);
    assert_eq!(all[0]["attempts"], 2);
    assert!(all[0]["next_try_at"].is_null());
}

#[test]
fn serve_once_json_prints_the_round_per_mailbox_and_per_reply() {
    let inbound = format!(
        "[[mail.inbound]]\nname = \"support\"\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\n\
         username = \"support@desk.example\"\npassword_command = \"echo secret\"\n",
        dead_port()
    );
    let desk = desk_with_a_failed_reply();
    std::fs::write(desk.config.as_ref().unwrap(), format!("{}{inbound}", smtp_config(dead_port(), ""))).unwrap();
    make_due(&desk);
    let round = desk.json(&["serve", "--once", "--json"]);
    assert_eq!((round["mailed"].as_u64(), round["failed"].as_u64()), (Some(0), Some(1)), "{round}");
    assert_eq!(outbox(&desk)[0]["attempts"], 2, "the failure counted is the outbox's");
    let mailboxes = round["mailboxes"].as_array().unwrap();
    assert_eq!(mailboxes.len(), 1, "{round}");
    assert_eq!((mailboxes[0]["name"].as_str(), mailboxes[0]["read"].as_u64()), (Some("support"), Some(0)));
    assert!(mailboxes[0]["error"].as_str().is_some_and(|e| !e.is_empty()), "{round}");
    assert_eq!(round["read"], 0);
    assert_eq!(round["rules_fired"], serde_json::json!([]));
    assert_eq!((round["surveys"].as_u64(), round["snoozes_ended"].as_i64()), (Some(0), Some(0)));
    assert_eq!(round["more"], false);

    let server = SmtpServer::start();
    point_relay_at(&desk, server.port);
    make_due(&desk);
    let round = desk.json(&["serve", "--once", "--json"]);
    assert_eq!((round["mailed"].as_u64(), round["failed"].as_u64()), (Some(1), Some(0)), "{round}");
    assert_eq!(round["mailboxes"], serde_json::json!([]), "the config now names no mailbox");
    assert_eq!(server.received().len(), 1);
    assert!(outbox(&desk).is_empty());

    let run = desk.run(&["serve", "--json"], "");
    assert_eq!((run.code, run.stdout.as_str()), (2, ""), "--json needs --once: {}", run.stderr);
}

#[test]
fn mail_not_due_yet_is_left_for_its_next_try() {
    let desk = desk_with_a_failed_reply();
    let server = SmtpServer::start();
    point_relay_at(&desk, server.port);
    let out = desk.ok(&["serve", "--once"]);
    assert!(out.contains("0 replies mailed, 0 not"), "{out}");
    assert!(server.received().is_empty());
    assert_eq!(outbox(&desk)[0]["attempts"], 1);
}

#[test]
fn a_failing_relay_counts_attempts_and_waits_twice_as_long_each_time() {
    let desk = desk_with_a_failed_reply();
    let first = &outbox(&desk)[0];
    assert_eq!(first["attempts"], 1);
    assert!((50..=61).contains(&seconds_from_now(&first["next_try_at"])), "{first}");
    for (attempts, minutes) in [(2, 2), (3, 4)] {
        make_due(&desk);
        let out = desk.ok(&["serve", "--once"]);
        assert!(out.contains("0 replies mailed, 1 not"), "{out}");
        let entry = &outbox(&desk)[0];
        assert_eq!(entry["attempts"], attempts);
        let wait = seconds_from_now(&entry["next_try_at"]);
        assert!((minutes * 60 - 10..=minutes * 60 + 1).contains(&wait), "{entry}");
        assert!(entry["error"].as_str().unwrap().contains("SMTP delivery to 127.0.0.1"), "{entry}");
    }
    let listed = desk.ok(&["outbox", "list"]);
    let row = listed.lines().nth(1).unwrap_or_default();
    assert!(row.contains(" 3 ") && row.contains("not sent: SMTP delivery"), "{listed}");
    // The next try is minutes away: today, or tomorrow when the test runs just before midnight.
    let next = chrono::Local::now() + chrono::Duration::minutes(5);
    let days = [chrono::Local::now(), next].map(|d| d.format("%Y-%m-%d").to_string());
    assert!(days.iter().any(|d| row.contains(d)) || row.contains(" now "), "the next try is shown: {listed}");
    let shown = desk.ok(&["ticket", "show", "1"]);
    assert!(shown.contains("✉ not mailed yet: 3 attempts, next try 20"), "{shown}");
}

#[test]
fn a_second_service_names_the_first_and_sigterm_releases_the_desk() {
    let desk = Desk::with_config(&smtp_config(dead_port(), ""));
    let mut first = start_service(&desk);
    let second = desk.run(&["serve", "--once"], "");
    assert_eq!(second.code, 1, "{}", second.stderr);
    let sentence = format!("already served by process {} on ", first.id());
    assert!(second.stderr.contains(&sentence), "{}", second.stderr);
    assert_eq!(second.stderr.lines().count(), 1, "{}", second.stderr);
    assert_eq!(terminate(&mut first), 0, "SIGTERM ends serve with exit 0");
    let out = desk.ok(&["serve", "--once"]);
    assert!(out.contains("round done"), "the desk is free again: {out}");
    let conn = rusqlite::Connection::open(&desk.db).unwrap();
    let pid: Option<i64> = conn.query_row("SELECT pid FROM service", [], |r| r.get(0)).unwrap();
    assert_eq!(pid, None, "a stopped service leaves no pid behind");
}

#[test]
fn an_idle_service_sleeps_without_using_the_cpu() {
    let desk = Desk::with_config(&smtp_config(dead_port(), ""));
    let mut child = start_service(&desk);
    let pid = child.id();
    std::thread::sleep(Duration::from_millis(300));
    let before = wakeups_and_ticks(pid).1;
    std::thread::sleep(Duration::from_secs(2));
    let used = wakeups_and_ticks(pid).1 - before;
    let resident = resident_kb(pid);
    assert_eq!(terminate(&mut child), 0);
    assert!(used < 5, "an idle serve used {used} ticks of CPU in 2 s");
    assert!(resident <= 32 * 1024, "an idle serve holds {resident} kB resident");
}

#[test]
fn a_survey_due_from_a_solve_without_mail_is_mailed_by_the_service() {
    let server = SmtpServer::start();
    let desk = Desk::with_config(&smtp_config(server.port, "[sla]\ncsat_survey = true\n"));
    desk.ok(&["serve", "--once"]);
    desk.run(&["import", "-"], CUSTOMER_MAIL);
    // Solved by a process whose config sends no mail: no survey leaves then.
    std::fs::write(desk.config.as_ref().unwrap(), "[sla]\ncsat_survey = true\n").unwrap();
    desk.ok(&["ticket", "set", "1", "--status", "solved"]);
    std::fs::write(desk.config.as_ref().unwrap(), smtp_config(server.port, "[sla]\ncsat_survey = true\n")).unwrap();
    let out = desk.ok(&["serve", "--once"]);
    assert!(out.contains("0 surveys mailed"), "a fresh solve is left to the process that solved it: {out}");
    solved_ten_minutes_ago(&desk);
    let out = desk.ok(&["serve", "--once"]);
    assert!(out.contains("1 survey mailed"), "{out}");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].contains("How did we do? [#1]"), "{}", received[0]);
    assert!(received[0].contains("\r\nAuto-Submitted: auto-generated\r\n"), "{}", received[0]);
    let out = desk.ok(&["serve", "--once"]);
    assert!(out.contains("0 surveys mailed"), "each survey once: {out}");
}

/// Time passes for the solve: the event log is append-only, so its guard steps aside for this.
fn solved_ten_minutes_ago(desk: &Desk) {
    let conn = rusqlite::Connection::open(&desk.db).unwrap();
    let guard: String = conn
        .query_row("SELECT sql FROM sqlite_master WHERE name = 'events_are_append_only'", [], |r| r.get(0))
        .unwrap();
    conn.execute_batch("DROP TRIGGER events_are_append_only; UPDATE events SET created_at = created_at - 600000;")
        .unwrap();
    conn.execute_batch(&guard).unwrap();
}

#[test]
fn sigterm_during_a_delivery_finishes_that_mail_then_exits_0() {
    let desk = desk_with_a_failed_reply();
    let relay = SmtpServer::stalling(Duration::from_millis(1500));
    point_relay_at(&desk, relay.port);
    make_due(&desk);
    let mut service = start_service(&desk);
    std::thread::sleep(Duration::from_millis(500)); // connected; the relay has not spoken yet
    assert_eq!(terminate(&mut service), 0);
    assert_eq!(relay.received().len(), 1, "the mail at hand was delivered");
    assert!(outbox(&desk).is_empty(), "and recorded as sent");
}

#[test]
fn sigint_stops_an_idle_service_with_exit_0() {
    let desk = Desk::with_config(&smtp_config(dead_port(), ""));
    let mut service = start_service(&desk);
    assert_eq!(signal(&mut service, libc::SIGINT), 0);
}

//! The desk's whole mail loop through real servers: a Dovecot the customer's mail reaches, the
//! desk service watching it in IDLE, a console in a real terminal, and the in-process SMTP server
//! the replies go to. Also the service through kill -9 and a refused login as the console tells it.

use crate::support::cli::Desk;
use crate::support::console::open_with;
use crate::support::dovecot::{mail, Dovecot};
use crate::support::smtp::SmtpServer;
use crate::support::terminal::start_with;
use crate::support::{resident_kb, wait_until, wakeups_and_ticks};
use frontdesk::store::Store;
use mail_parser::MimeHeaders;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// Mails on the desk, distinct Message-IDs among them, and tickets.
fn counts(db: &Path) -> (i64, i64, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT (SELECT count(*) FROM messages), (SELECT count(DISTINCT email_message_id) FROM messages),
                (SELECT count(*) FROM tickets)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .unwrap()
}

fn serve(desk: &Desk) -> Child {
    desk.command(&["serve"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap()
}

/// The service has logged in `n` times in all (it is in IDLE a moment later).
fn logged_in(dovecot: &Dovecot, n: usize) -> bool {
    wait_until(Duration::from_secs(10), || dovecot.log().matches("Login: user=<desk>").count() >= n)
}

fn terminate(mut child: Child) {
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().unwrap();
    assert!(status.success(), "the service ended with {status}");
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_the_running_service_makes_a_mail_a_ticket_within_two_seconds() {
    let mut dovecot = Dovecot::start();
    let desk = Desk::with_config(&dovecot.config_toml("support", "poll_seconds = 600"));
    let service = serve(&desk);
    assert!(logged_in(&dovecot, 1), "the service did not log in: {}", dovecot.log());
    std::thread::sleep(Duration::from_millis(300));
    for n in 0..3 {
        dovecot.deliver(&mail(n));
        let delivered = Instant::now();
        let arrived = wait_until(Duration::from_secs(2), || counts(&desk.db).0 == n as i64 + 1);
        assert!(arrived, "mail {n} was no ticket 2 s after delivery (the poll is 10 minutes away: IDLE)");
        eprintln!("mail {n}: delivered to ticket in {:?}", delivered.elapsed());
    }
    terminate(service);
    assert_eq!(counts(&desk.db), (3, 3, 3));
    assert_eq!(dovecot.log().matches("Login: user=<desk>").count(), 1, "one session, in IDLE throughout");
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_two_hundred_mails_through_kill_9_of_the_service_are_each_imported_once() {
    let mut dovecot = Dovecot::start();
    for n in 0..200 {
        dovecot.deliver(&mail(n));
    }
    let desk = Desk::with_config(&dovecot.config_toml("support", ""));
    let mut seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    eprintln!("seed {seed}");
    let (mut kills, mut mid_way, mut more) = (0, 0, 0);
    while counts(&desk.db).0 < 200 && kills < 100 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let before = counts(&desk.db).0;
        let mut service = serve(&desk);
        if kills % 2 == 1 {
            std::thread::sleep(Duration::from_millis(30 + (seed >> 33) % 400));
        } else {
            // The first kill and every other land just after a group of mails was kept: in the
            // middle of the rest (a random one could come after the last mail).
            wait_until(Duration::from_secs(5), || counts(&desk.db).0 > before);
            std::thread::sleep(Duration::from_millis((seed >> 33) % 20));
        }
        service.kill().unwrap(); // SIGKILL
        service.wait().unwrap();
        kills += 1;
        let (on_desk, _, _) = counts(&desk.db);
        mid_way += usize::from(on_desk > 0 && on_desk < 200);
        // New mail between kills too: it is read after the restart, once.
        if kills % 3 == 0 && more < 20 {
            dovecot.deliver(&mail(200 + more));
            more += 1;
        }
    }
    assert!(mid_way > 0, "no service was killed mid-way ({kills} kills): the test proved nothing");
    eprintln!("{kills} kills, {mid_way} of them with part of the mail imported, {more} mails between kills");
    let service = serve(&desk);
    let all = 200 + more as i64;
    assert!(wait_until(Duration::from_secs(20), || counts(&desk.db).0 == all), "{:?}", counts(&desk.db));
    std::thread::sleep(Duration::from_millis(500)); // nothing more comes
    terminate(service);
    assert_eq!(counts(&desk.db), (all, all, all), "after {kills} kills");
    assert!(
        wait_until(Duration::from_secs(2), || dovecot.seen_count() == all as usize),
        "{} seen",
        dovecot.seen_count()
    );
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_a_refused_login_is_on_the_consoles_status_line_once_and_the_service_goes_on() {
    let dovecot = Dovecot::start();
    let toml = dovecot.config_toml("support", "").replace("echo secret", "echo wrong");
    let desk = Desk::with_config(&toml);
    let service = serve(&desk);
    assert!(
        wait_until(Duration::from_secs(10), || dovecot.log().contains("auth failed")),
        "no login was tried: {}",
        dovecot.log()
    );
    std::thread::sleep(Duration::from_millis(300));
    let app = open_with(Store::open(&desk.db).unwrap(), "ana", chrono::Utc::now(), |_| {});
    let told = app.state.unread_mailbox.clone().unwrap_or_default();
    assert!(told.starts_with("mailbox support: 127.0.0.1:"), "{told}");
    assert!(told.contains("refused the login of desk"), "{told}");
    assert!(told.ends_with("not read again until the service restarts"), "{told}");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(dovecot.log().matches("auth failed").count(), 1, "one refused login: {}", dovecot.log());
    terminate(service);
}

/// Issue 15's loop: a mail appended to the INBOX shows in a running console within 2 s; the
/// agent's reply reaches the SMTP server with threading headers, a Cc and a file; the customer's
/// answer threads back into the same ticket.
#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_mail_in_a_reply_with_cc_and_file_out_and_the_answer_threads_back() {
    let mut dovecot = Dovecot::start();
    let smtp = SmtpServer::start();
    let toml = format!(
        "{}\n[mail.outbound]\nvia = \"smtp\"\n\n[mail.outbound.smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\n",
        dovecot.config_toml("support", "poll_seconds = 600"),
        smtp.port
    );
    let desk = Desk::with_config(&toml);
    let label = desk.path("label.pdf");
    std::fs::write(&label, b"%PDF-1.4 return label").unwrap();
    let service = serve(&desk);
    assert!(logged_in(&dovecot, 1), "the service did not log in: {}", dovecot.log());
    let config = desk.config.clone().unwrap();
    let mut console = start_with(&desk.db, "ana", &[("FRONTDESK_CONFIG", config.as_os_str())], b"Queue");
    std::thread::sleep(Duration::from_millis(300));

    dovecot.deliver(&mail(1));
    let delivered = Instant::now();
    console.wait_for_within(b"Question number 1", Duration::from_secs(2));
    eprintln!("appended to shown in the console: {:?}", delivered.elapsed());
    // The notice on the status line can come a frame before the queue has the row: Enter on a
    // queue that is still empty opens nothing.
    console.wait_for_line(&["1 new", "Customer 1", "Question number 1"], Duration::from_secs(2));

    console.keys(b"\r"); // open it
                         // The pane may have shown the ticket as a preview already; opened, the keys are the
                         // conversation's.
    console.wait_for_line(&["k scroll up", "n note"], Duration::from_secs(10));
    console.wait_for_line(&["Hello, this is question 1."], Duration::from_secs(10));
    console.keys(b"r");
    console.wait_for(b"Ctrl-s");
    console.keys(b"Here is your return label.");
    console.master.write_all(b"\x1bc").unwrap(); // Alt-c: a Cc line
    console.wait_for(b"Cc:");
    console.keys(b"boss@shop.example");
    console.master.write_all(b"\x1ba").unwrap(); // Alt-a: a file
    console.wait_for(b"Attach:");
    console.keys(label.display().to_string().as_bytes());
    console.master.write_all(b"\x13").unwrap(); // Ctrl-s: send
    assert!(wait_until(Duration::from_secs(10), || !smtp.received().is_empty()), "no reply reached the SMTP server");

    let raw = smtp.received()[0].clone();
    let sent = mail_parser::MessageParser::default().parse(raw.as_bytes()).unwrap();
    assert_eq!(sent.in_reply_to().as_text(), Some("question-1@shop.example"), "{raw}");
    let references = sent.references().as_text_list().unwrap_or_default();
    assert!(references.iter().any(|r| r == "question-1@shop.example"), "{raw}");
    assert_eq!(sent.to().unwrap().first().unwrap().address.as_deref(), Some("customer1@shop.example"));
    assert_eq!(sent.cc().unwrap().first().unwrap().address.as_deref(), Some("boss@shop.example"));
    assert_eq!(sent.body_text(0).unwrap().trim(), "Here is your return label.");
    let part = sent.attachment(0).expect("the file");
    assert_eq!((part.attachment_name(), part.contents()), (Some("label.pdf"), &b"%PDF-1.4 return label"[..]));
    assert!(smtp.recipients()[0].contains(&"boss@shop.example".to_string()));

    let reply_id = sent.message_id().unwrap().to_string();
    let subject = sent.subject().unwrap().to_string();
    let answer = format!(
        "From: Customer 1 <customer1@shop.example>\r\nTo: support@desk.example\r\nSubject: Re: {subject}\r\n\
         Message-ID: <answer-1@shop.example>\r\nIn-Reply-To: <{reply_id}>\r\nReferences: <question-1@shop.example> <{reply_id}>\r\n\
         Date: Tue, 01 Dec 2026 11:00:00 +0000\r\n\r\nGot it, printing the label now. Thanks!\r\n"
    );
    dovecot.deliver(answer.as_bytes());
    console.wait_for_within(b"printing the label now", Duration::from_secs(3));
    assert_eq!(counts(&desk.db), (3, 3, 1), "the question, the reply and the answer, on one ticket");

    console.child.kill().unwrap();
    console.child.wait().unwrap();
    terminate(service);
}

#[test]
#[ignore = "needs Dovecot: apt-get install dovecot-imapd"]
fn dovecot_a_service_waiting_in_idle_sleeps_and_sigterm_ends_it_at_once() {
    let dovecot = Dovecot::start();
    // Dovecot says "still here" in IDLE every 2 minutes by default; the test is shorter.
    let desk = Desk::with_config(&dovecot.config_toml("support", "poll_seconds = 600"));
    let service = serve(&desk);
    let pid = service.id();
    assert!(logged_in(&dovecot, 1), "the service did not log in: {}", dovecot.log());
    std::thread::sleep(Duration::from_millis(500));
    let (wakeups, ticks) = wakeups_and_ticks(pid);
    std::thread::sleep(Duration::from_secs(5));
    let (wakeups_after, ticks_after) = wakeups_and_ticks(pid);
    let resident = resident_kb(pid);
    let stopping = Instant::now();
    terminate(service);
    let stopped_in = stopping.elapsed();
    eprintln!(
        "idle 5 s: {} wake-ups, {} CPU ticks, {resident} kB resident; SIGTERM to exit {stopped_in:?}",
        wakeups_after - wakeups,
        ticks_after - ticks
    );
    assert!(wakeups_after - wakeups <= 2, "an idle service woke {} times in 5 s", wakeups_after - wakeups);
    assert_eq!(ticks_after - ticks, 0, "an idle service used CPU");
    assert!(resident <= 32 * 1024, "an idle service holds {resident} kB resident");
    assert!(stopped_in < Duration::from_secs(1), "SIGTERM took {stopped_in:?} to end a service in IDLE");
    assert!(dovecot.log().contains("Disconnected"), "{}", dovecot.log());
}

//! The mail commands run as the binary: import report and --json, stdin, mbox, Maildir, quarantine,
//! attachments, the outbox, and a reply sent to a real SMTP server on loopback (in this process).

use crate::support::cli::Desk;
use crate::support::mail;
use crate::support::smtp::SmtpServer;
use std::time::{Duration, Instant};

fn fixture(name: &str) -> String {
    mail::fixture_path(name).display().to_string()
}

const CUSTOMER_MAIL: &str =
    "From: Carla <carla@shop.example>\r\nSubject: Refund\r\nMessage-ID: <c1@shop.example>\r\n\r\nBroken.\r\n";

#[test]
fn import_reports_one_line_per_mail_and_a_summary() {
    let desk = Desk::with_config("");
    let files = [fixture("chatwoot/support.eml"), fixture("chatwoot/only_text.eml"), fixture("chatwoot/support.eml")];
    let args: Vec<&str> = std::iter::once("import").chain(files.iter().map(String::as_str)).collect();
    let out = desk.ok(&args);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].ends_with("support.eml: imported into #1 (new ticket)"), "{out}");
    assert!(lines[1].ends_with("only_text.eml: imported into #2 (new ticket)"), "{out}");
    assert!(lines[2].ends_with("support.eml: duplicate (on #1)"), "{out}");
    assert_eq!(lines[3], "3 mails: 2 new tickets, 0 threaded, 1 duplicates, 0 ignored (our own mail), 0 quarantined");
}

#[test]
fn import_json_gives_the_same_as_data() {
    let desk = Desk::with_config("");
    let v = desk.json(&["import", "--json", &fixture("chatwoot/support.eml"), &fixture("chatwoot/in_reply_to.eml")]);
    assert_eq!(v["results"][0]["outcome"], "created");
    assert_eq!(v["results"][0]["rule"], "new_ticket");
    assert_eq!(v["results"][1]["outcome"], "threaded");
    assert_eq!(v["results"][1]["rule"], "in_reply_to");
    assert_eq!(v["results"][1]["ticket"], 1);
    assert_eq!(v["summary"]["mails"], 2);
}

#[test]
fn import_reads_stdin_mbox_and_maildir() {
    let desk = Desk::with_config("");
    let run = desk.run(&["import", "-"], CUSTOMER_MAIL);
    assert!(run.stdout.starts_with("stdin: imported into #1"), "{}{}", run.stdout, run.stderr);

    let mbox = desk.path("box.mbox");
    let body = |n: usize| {
        format!("From carla@shop.example Mon Nov 23 10:00:00 2026\nFrom: carla@shop.example\nSubject: Mbox {n}\nMessage-ID: <m{n}@x>\n\nline\n>From the start\n\n")
    };
    std::fs::write(&mbox, (0..3).map(body).collect::<String>()).unwrap();
    let out = desk.ok(&["import", mbox.to_str().unwrap()]);
    assert!(out.contains("box.mbox#3: imported into #4"), "{out}");
    let detail = desk.json(&["ticket", "show", "4", "--json"]);
    assert_eq!(detail["messages"][0]["body"], "line\nFrom the start");

    let maildir = desk.path("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    std::fs::copy(fixture("chatwoot/only_html.eml"), maildir.join("new/1.eml")).unwrap();
    std::fs::copy(fixture("chatwoot/only_text.eml"), maildir.join("cur/2.eml:2,S")).unwrap();
    let out = desk.ok(&["import", maildir.to_str().unwrap()]);
    assert!(out.contains("2 mails: 2 new tickets"), "{out}");
}

#[test]
fn an_unreadable_path_is_named_and_the_rest_is_imported() {
    let desk = Desk::with_config("");
    let run = desk.run(&["import", "/nonexistent/x.eml", &fixture("chatwoot/only_text.eml")], "");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("cannot read /nonexistent/x.eml"), "{}", run.stderr);
    assert!(run.stdout.contains("imported into #1"), "{}", run.stdout);
}

#[test]
fn quarantine_list_show_release() {
    let desk = Desk::with_config("[mail]\nmax_message_size = 100\n");
    let out = desk.ok(&["import", &fixture("chatwoot/only_text.eml")]);
    assert!(out.contains("quarantined as 1: too large"), "{out}");
    let list = desk.ok(&["quarantine", "list"]);
    assert!(list.contains("too large"), "{list}");
    let show = desk.ok(&["quarantine", "show", "1"]);
    assert!(show.contains("reason: too large") && show.contains("Subject: test text only mail"), "{show}");
    let out = desk.ok(&["quarantine", "release", "1"]);
    assert!(out.contains("released 1: imported into #1"), "{out}");
    assert!(desk.json(&["quarantine", "list", "--json"]).as_array().unwrap().is_empty());
    let again = desk.run(&["quarantine", "release", "1"], "");
    assert_eq!((again.code, again.stderr.trim()), (1, "frontdesk: quarantined mail 1 was already released"));
}

#[test]
fn hostile_text_in_the_report_is_made_safe() {
    let desk = Desk::with_config("");
    let raw = "From: \x1b[31mevil\x1b[0m\r\nSubject: x\r\n\r\nhi";
    let run = desk.run(&["import", "-"], raw);
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
    assert!(run.stdout.contains("quarantined"), "{}", run.stdout);
}

#[test]
fn attachments_are_listed_and_saved() {
    let desk = Desk::with_config("");
    desk.ok(&["import", &fixture("django-helpdesk/pgp.eml")]);
    let show = desk.ok(&["ticket", "show", "1"]);
    assert!(show.contains("new ticket"), "{show}");
    assert!(show.contains("📎 attachment 1: signature.asc (application/pgp-signature, 801 bytes)"), "{show}");
    let target = desk.path("sig.asc");
    desk.ok(&["attachment", "save", "1", target.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&target).unwrap().starts_with("-----BEGIN PGP SIGNATURE-----"));
    let again = desk.run(&["attachment", "save", "1", target.to_str().unwrap()], "");
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    let json = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!(json["messages"][0]["attachments"][0]["name"], "signature.asc");
    assert_eq!(json["messages"][0]["thread_rule"], "new_ticket");
}

#[test]
fn attachment_save_json_prints_the_file_and_the_attachment_as_ticket_show_does() {
    let desk = Desk::with_config("");
    desk.ok(&["import", &fixture("django-helpdesk/pgp.eml")]);
    let target = desk.path("sig.asc");
    let saved = desk.json(&["attachment", "save", "1", target.to_str().unwrap(), "--json"]);
    assert_eq!(saved["file"], target.to_str().unwrap());
    assert_eq!(saved["bytes"], std::fs::metadata(&target).unwrap().len());
    assert_eq!(saved["replaced"], false);
    let shown = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!(saved["message"], shown["messages"][0]["id"]);
    assert_eq!(saved["attachment"], shown["messages"][0]["attachments"][0]);
    assert_eq!(saved["bytes"], saved["attachment"]["size"]);
    let refused = desk.run(&["attachment", "save", "1", target.to_str().unwrap(), "--json"], "");
    assert_eq!((refused.code, refused.stdout.as_str()), (1, ""), "{}", refused.stderr);
    let again = desk.json(&["attachment", "save", "1", target.to_str().unwrap(), "--force", "--json"]);
    assert_eq!(again["replaced"], true);
}

#[test]
fn a_reply_lands_in_the_maildir_outbox_when_configured() {
    let desk = Desk::with_config("[mail]\naddress = \"support@desk.example\"\nname = \"Desk\"\n[mail.outbound]\nvia = \"maildir\"\nmaildir = \"out\"\n");
    desk.run(&["import", "-"], CUSTOMER_MAIL);
    let out = desk.ok(&["ticket", "reply", "1", "--body", "On its way."]);
    assert!(out.contains("and mailed it"), "{out}");
    desk.ok(&["ticket", "reply", "1", "--note", "--body", "internal only"]);
    let new = desk.path("data/frontdesk/out/new");
    let files: Vec<_> = std::fs::read_dir(&new).unwrap().collect();
    assert_eq!(files.len(), 1, "the note was not mailed");
    let raw = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
    assert!(raw.contains("In-Reply-To: <c1@shop.example>") && raw.contains("Subject: Re: Refund [#1]"), "{raw}");
}

#[test]
fn a_mailed_reply_with_a_stale_expect_last_exits_3_and_mails_nothing() {
    let desk = Desk::with_config(
        "[mail]\naddress = \"support@desk.example\"\n[mail.outbound]\nvia = \"maildir\"\nmaildir = \"out\"\n",
    );
    desk.run(&["import", "-"], CUSTOMER_MAIL);
    let seen = desk.json(&["ticket", "show", "1", "--json"])["messages"][0]["id"].as_i64().unwrap().to_string();
    desk.ok(&["ticket", "reply", "1", "--note", "--body", "bob: I am calling her"]);
    let run = desk.run(&["ticket", "reply", "1", "--body", "On its way.", "--expect-last", &seen], "");
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("1 new message since you last looked (note from ana); nothing was sent"),
        "{}",
        run.stderr
    );
    assert!(!desk.path("data/frontdesk/out/new").exists(), "nothing was mailed");
    assert_eq!(desk.json(&["ticket", "show", "1", "--json"])["messages"].as_array().unwrap().len(), 2);
}

#[test]
fn a_failed_delivery_waits_in_the_outbox_until_a_flush() {
    let desk = Desk::with_config(
        "[mail]\naddress = \"support@desk.example\"\n[mail.outbound]\nvia = \"sendmail\"\nsendmail = \"exit 75\"\n",
    );
    desk.run(&["import", "-"], CUSTOMER_MAIL);
    let out = desk.ok(&["ticket", "reply", "1", "--body", "Hello"]);
    assert!(out.contains("not mailed yet, it waits in the outbox"), "{out}");
    let list = desk.ok(&["outbox", "list"]);
    assert!(list.contains("not sent: sendmail command 'exit 75' failed"), "{list}");
    assert!(desk.ok(&["ticket", "show", "1"]).contains("not mailed yet: 1 attempt, next try"));
    assert_eq!(desk.run(&["outbox", "flush"], "").code, 1);
    std::fs::write(desk.config.as_ref().unwrap(), "[mail]\naddress = \"support@desk.example\"\n[mail.outbound]\nvia = \"sendmail\"\nsendmail = \"cat >/dev/null; true\"\n").unwrap();
    assert!(desk.ok(&["outbox", "flush"]).contains("1 sent, 0 still waiting"));
    assert!(desk.json(&["outbox", "list", "--json"]).as_array().unwrap().is_empty());
}

#[test]
fn a_reply_arrives_at_a_real_smtp_server_with_threading_headers() {
    let server = SmtpServer::start();
    let config = format!(
        "[mail]\naddress = \"support@desk.example\"\nname = \"Desk Support\"\n\
         [mail.outbound]\nvia = \"smtp\"\n\
         [mail.outbound.smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\n",
        server.port
    );
    let desk = Desk::with_config(&config);
    desk.run(&["import", "-"], CUSTOMER_MAIL);
    desk.run(&["import", "-"], "From: carla@shop.example\r\nSubject: Re: Refund\r\nIn-Reply-To: <c1@shop.example>\r\nMessage-ID: <c2@shop.example>\r\n\r\nAnd?\r\n");
    let out = desk.ok(&["ticket", "reply", "1", "--body", "Your refund is on its way."]);
    assert!(out.contains("and mailed it"), "{out}");
    let start = Instant::now();
    let mut received = server.received();
    while received.is_empty() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
        received = server.received();
    }
    assert_eq!(received.len(), 1, "one mail arrives");
    let sent = mail_parser::MessageParser::default().parse(received[0].as_bytes()).unwrap();
    let from = sent.from().unwrap().first().unwrap();
    assert_eq!(
        (from.name.as_deref(), from.address.as_deref()),
        (Some("ana via Desk Support"), Some("support@desk.example"))
    );
    assert_eq!(sent.to().unwrap().first().unwrap().address.as_deref(), Some("carla@shop.example"));
    assert_eq!(sent.subject(), Some("Re: Refund [#1]"));
    assert_eq!(sent.in_reply_to().as_text(), Some("c2@shop.example"));
    assert_eq!(sent.references().as_text_list().map(|l| l.len()), Some(2));
    assert!(sent.message_id().unwrap().starts_with("frontdesk.1."));
    assert_eq!(sent.body_text(0).unwrap().trim(), "Your refund is on its way.");
    assert!(desk.json(&["outbox", "list", "--json"]).as_array().unwrap().is_empty(), "nothing waits");
}

#[test]
fn a_reply_that_cannot_be_made_into_mail_is_kept_as_a_draft() {
    let desk = Desk::with_config(
        "[mail]\naddress = \"support@desk.example\"\n[mail.outbound]\nvia = \"maildir\"\nmaildir = \"out\"\n",
    );
    // An address the desk accepted but no mail library will write to.
    desk.ok(&["ticket", "new", "--from", "carla(at)home@shop..example", "--subject", "Refund", "--body", "x"]);
    let run = desk.run(&["ticket", "reply", "1"], "A long answer typed into stdin.");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("kept as a draft on #1"), "{}", run.stderr);
    let store = frontdesk::store::Store::open(&desk.db).unwrap();
    let login = store.agents().unwrap()[0].login.clone();
    assert_eq!(store.draft(1, &login).unwrap().unwrap().body, "A long answer typed into stdin.");
    assert_eq!(store.ticket_detail(1).unwrap().messages.len(), 1, "nothing half-sent is stored");
}

#[test]
fn a_mail_without_a_usable_sender_is_released_with_one_given_by_hand() {
    let desk = Desk::with_config("");
    let raw = "From: nobody\r\nSubject: Where is my parcel\r\nMessage-ID: <p1@x>\r\n\r\nStill waiting.\r\n";
    let run = desk.run(&["import", "-"], raw);
    assert!(run.stdout.contains("quarantined as 1: no sender address"), "{}", run.stdout);
    assert_eq!(desk.run(&["quarantine", "release", "1"], "").code, 1, "no sender: it stays");
    let bad = desk.run(&["quarantine", "release", "1", "--from", "not an address"], "");
    assert_eq!((bad.code, bad.stderr.trim()), (1, "frontdesk: --from 'not an address' is not an email address"));
    let out = desk.ok(&["quarantine", "release", "1", "--from", "Carla@Shop.example"]);
    assert!(out.contains("released 1: imported into #1"), "{out}");
    let ticket = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!(ticket["subject"], "Where is my parcel");
    assert_eq!(ticket["messages"][0]["body"], "Still waiting.");
    let customer = desk.ok(&["customer", "list"]);
    assert!(customer.contains("carla@shop.example"), "{customer}");
}

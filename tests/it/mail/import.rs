//! Our own mail fixtures: threading, duplicates, automatic mail, loops and hostile mail.

use crate::support::mail;

use frontdesk::config::{MailConfig, OutboundConfig};
use frontdesk::domain::mail::{ImportOutcome, ThreadRule};
use frontdesk::domain::{MessageKind, Role, Status, TicketChange};
use frontdesk::mail::outbound::Outbound;
use mail::{mail, ticket_of, Desk};

fn first_mail(desk: &Desk) -> i64 {
    let raw = mail(
        &[("From", "Carla Núñez <Carla@Shop.example>"), ("Subject", "Refund"), ("Message-ID", "<c1@shop.example>")],
        "My order arrived broken.",
    );
    ticket_of(&desk.import(&raw))
}

fn customer_reply(headers: &[(&str, &str)]) -> Vec<u8> {
    let mut all = vec![("From", "carla@shop.example")];
    all.extend_from_slice(headers);
    mail(&all, "Any news?")
}

fn set_status(desk: &Desk, ticket: i64, status: Status) {
    let version = desk.store.ticket(ticket).unwrap().version;
    let change = TicketChange { status: Some(status), ..Default::default() };
    desk.store.update_ticket(ticket, version, &change, "ana").unwrap();
}

#[test]
fn a_new_sender_becomes_a_customer_named_from_the_display_name() {
    let desk = Desk::new();
    let d = desk.detail(first_mail(&desk));
    assert_eq!((d.customer.name.as_str(), d.customer.primary_email()), ("Carla Núñez", "carla@shop.example"));
    assert_eq!(d.mail.of(d.messages[0].id).unwrap().thread_rule.as_deref(), Some("new_ticket"));
}

#[test]
fn a_reply_threads_by_in_reply_to_then_references() {
    let desk = Desk::new();
    let ticket = first_mail(&desk);
    let by_irt =
        customer_reply(&[("Subject", "Re: Refund"), ("In-Reply-To", "<c1@shop.example>"), ("Message-ID", "<c2@x>")]);
    assert!(
        matches!(desk.import(&by_irt), ImportOutcome::Threaded { ticket: t, rule: ThreadRule::InReplyTo, .. } if t == ticket)
    );
    let by_refs = customer_reply(&[
        ("Subject", "Re: Refund"),
        ("In-Reply-To", "<unknown@elsewhere>"),
        ("References", "<c1@shop.example> <unknown@elsewhere>"),
        ("Message-ID", "<c3@x>"),
    ]);
    assert!(
        matches!(desk.import(&by_refs), ImportOutcome::Threaded { ticket: t, rule: ThreadRule::References, .. } if t == ticket)
    );
}

#[test]
fn a_subject_tag_threads_only_for_that_tickets_customer() {
    let desk = Desk::new();
    let ticket = first_mail(&desk);
    let tagged = customer_reply(&[("Subject", &format!("Re: Refund [#{ticket}]")), ("Message-ID", "<t1@x>")]);
    assert!(matches!(desk.import(&tagged), ImportOutcome::Threaded { rule: ThreadRule::SubjectTag, .. }));
    let stranger = mail(
        &[("From", "mallory@evil.example"), ("Subject", &format!("Re: Refund [#{ticket}]")), ("Message-ID", "<t2@x>")],
        "Please send the refund to me instead.",
    );
    let outcome = desk.import(&stranger);
    assert!(
        matches!(outcome, ImportOutcome::Created { ticket: t, ignored_tag: Some(tag), rule: ThreadRule::NewTicket, .. } if t != ticket && tag == ticket),
        "{outcome:?}"
    );
    assert_eq!(desk.detail(ticket).messages.len(), 2, "nothing of the stranger's landed on the ticket");
}

#[test]
fn a_customer_reply_reopens_a_pending_or_solved_ticket() {
    let desk = Desk::new();
    let ticket = first_mail(&desk);
    for (i, status) in [Status::Pending, Status::Solved].into_iter().enumerate() {
        set_status(&desk, ticket, status);
        let id = format!("<r{i}@x>");
        desk.import(&customer_reply(&[
            ("Subject", "Re: Refund"),
            ("In-Reply-To", "<c1@shop.example>"),
            ("Message-ID", &id),
        ]));
        assert_eq!(desk.store.ticket(ticket).unwrap().status, Status::Open);
    }
}

#[test]
fn a_reply_to_a_closed_ticket_opens_a_follow_up() {
    let desk = Desk::new();
    let ticket = first_mail(&desk);
    set_status(&desk, ticket, Status::Closed);
    let raw =
        customer_reply(&[("Subject", "Re: Refund"), ("In-Reply-To", "<c1@shop.example>"), ("Message-ID", "<late@x>")]);
    let ImportOutcome::Created { ticket: new, follows, rule, .. } = desk.import(&raw) else { panic!("no new ticket") };
    assert_eq!((follows, rule), (Some(ticket), ThreadRule::FollowUp));
    assert_eq!(desk.detail(new).mail.follows, Some(ticket));
    assert_eq!(desk.store.ticket(ticket).unwrap().status, Status::Closed);
}

#[test]
fn a_bounce_about_a_closed_ticket_stays_on_it() {
    let desk = Desk::new();
    let ticket = first_mail(&desk);
    set_status(&desk, ticket, Status::Closed);
    let raw = customer_reply(&[
        ("Subject", "Out of office"),
        ("In-Reply-To", "<c1@shop.example>"),
        ("Message-ID", "<away@x>"),
        ("Auto-Submitted", "auto-replied"),
    ]);
    assert!(matches!(desk.import(&raw), ImportOutcome::Threaded { ticket: t, .. } if t == ticket));
    assert_eq!(desk.store.ticket(ticket).unwrap().status, Status::Closed);
    assert_eq!(desk.store.count_tickets(&Default::default()).unwrap(), 1, "no follow-up");
}

#[test]
fn a_customer_mail_ends_a_snooze_and_an_auto_reply_does_not() {
    let desk = Desk::new();
    let ticket = first_mail(&desk);
    let until = chrono::Utc::now() + chrono::Duration::days(3);
    desk.store.snooze_ticket(ticket, until, "ana").unwrap();
    let reply = |id: &str, auto: bool| {
        let mut headers = vec![("Subject", "Re: Refund"), ("In-Reply-To", "<c1@shop.example>"), ("Message-ID", id)];
        headers.extend(auto.then_some(("Auto-Submitted", "auto-replied")));
        customer_reply(&headers)
    };
    let snoozed = || desk.store.snoozes(&[desk.store.ticket(ticket).unwrap()]).unwrap().contains_key(&ticket);
    desk.import(&reply("<auto@x>", true));
    assert!(snoozed(), "a machine does not end a snooze");
    desk.import(&reply("<news@x>", false));
    assert!(!snoozed(), "the customer writing does");
}

#[test]
fn duplicates_are_no_ops_by_message_id_or_content() {
    let desk = Desk::new();
    let ticket = first_mail(&desk);
    assert_eq!(
        desk.import(&mail(&[("From", "carla@shop.example"), ("Message-ID", "<c1@shop.example>")], "x")),
        ImportOutcome::Duplicate { ticket: Some(ticket) }
    );
    let no_id = mail(&[("From", "olu@example.com"), ("Subject", "No id")], "Hello");
    let first = ticket_of(&desk.import(&no_id));
    assert_eq!(desk.import(&no_id), ImportOutcome::Duplicate { ticket: Some(first) });
    assert_eq!(desk.store.count_tickets(&Default::default()).unwrap(), 2);
}

#[test]
fn auto_replies_never_reopen_or_count_as_the_customer() {
    let desk = Desk::new();
    let ticket = first_mail(&desk);
    set_status(&desk, ticket, Status::Solved);
    for (i, header) in
        [("Auto-Submitted", "auto-replied"), ("Precedence", "bulk"), ("X-Autoreply", "yes")].iter().enumerate()
    {
        let id = format!("<auto{i}@x>");
        let raw = customer_reply(&[
            ("Subject", "Out of office"),
            ("In-Reply-To", "<c1@shop.example>"),
            ("Message-ID", &id),
            *header,
        ]);
        assert!(matches!(desk.import(&raw), ImportOutcome::Threaded { .. }));
    }
    let d = desk.detail(ticket);
    assert_eq!(d.ticket.status, Status::Solved);
    assert!(d.messages[1..].iter().all(|m| m.kind == MessageKind::System));
}

/// A desk that mails replies into a Maildir under `dir`.
fn mailing_desk(dir: &std::path::Path) -> (Desk, MailConfig) {
    let mut desk = Desk::with_address("support@desk.example");
    let config = MailConfig {
        address: "support@desk.example".into(),
        name: "Desk Support".into(),
        outbound: Some(OutboundConfig {
            maildir: dir.join("outbox").display().to_string(),
            ..OutboundConfig::default()
        }),
        ..MailConfig::default()
    };
    desk.config.mail = Some(config.clone());
    desk.store.register_first_admin("ana").unwrap();
    (desk, config)
}

fn outbox_files(dir: &std::path::Path) -> Vec<Vec<u8>> {
    let new = dir.join("outbox/new");
    let mut files: Vec<_> = std::fs::read_dir(new).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.into_iter().map(|f| std::fs::read(f).unwrap()).collect()
}

#[test]
fn a_reply_lands_in_the_maildir_outbox_with_threading_headers() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, config) = mailing_desk(dir.path());
    let ticket = first_mail(&desk);
    let mut agent = desk.store.agent("ana").unwrap().unwrap();
    agent.name = "Ana Ruiz".into();
    agent.signature = "Ana, Desk Support".into();
    let outbound = Outbound::from_config(Some(&config), dir.path()).unwrap();
    let (_, _, delivered) = outbound.send_reply(&desk.store, &agent, ticket, "Refund started.", None, None).unwrap();
    assert_eq!(delivered, Ok(()));
    let raw = String::from_utf8(outbox_files(dir.path()).remove(0)).unwrap();
    let sent = mail_parser::MessageParser::default().parse(raw.as_bytes()).unwrap();
    let from = sent.from().unwrap().first().unwrap();
    assert_eq!(
        (from.name.as_deref(), from.address.as_deref()),
        (Some("Ana Ruiz via Desk Support"), Some("support@desk.example"))
    );
    let to = sent.to().unwrap().first().unwrap();
    assert_eq!((to.name.as_deref(), to.address.as_deref()), (Some("Carla Núñez"), Some("carla@shop.example")));
    assert_eq!(sent.subject(), Some(format!("Re: Refund [#{ticket}]").as_str()));
    assert_eq!(sent.in_reply_to().as_text(), Some("c1@shop.example"));
    assert_eq!(sent.references().as_text(), Some("c1@shop.example"));
    assert!(sent.message_id().unwrap().starts_with("frontdesk."));
    assert_eq!(
        sent.body_text(0).unwrap().replace("\r\n", "\n").trim_end(),
        "Refund started.\n\n-- \nAna, Desk Support"
    );

    // The customer answers our reply: threaded by In-Reply-To onto the same ticket.
    let our_id = raw.lines().find_map(|l| l.strip_prefix("Message-ID: ")).unwrap().to_string();
    let answer = customer_reply(&[("Subject", "Re: Refund"), ("In-Reply-To", &our_id), ("Message-ID", "<c9@x>")]);
    assert!(
        matches!(desk.import(&answer), ImportOutcome::Threaded { ticket: t, rule: ThreadRule::InReplyTo, .. } if t == ticket)
    );

    // Our own mail coming back (a loop through a forwarder) is recognised and makes nothing.
    assert!(matches!(desk.import(raw.as_bytes()), ImportOutcome::OwnMail { .. }));
    // Even without knowing our address, its Message-ID gives it away.
    let blind = frontdesk::mail::Importer {
        store: &desk.store,
        limits: Default::default(),
        own_address: None,
        sla: None,
        rules: Vec::new(),
        mail: None,
        mailbox: None,
    };
    assert_eq!(blind.import(raw.as_bytes(), "loop").unwrap(), ImportOutcome::OwnMail { ticket: Some(ticket) });
}

#[test]
fn notes_are_never_mailed_and_failed_delivery_stays_in_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, mut config) = mailing_desk(dir.path());
    let ticket = first_mail(&desk);
    let agent = desk.store.agent("ana").unwrap().unwrap();
    desk.store.add_message(ticket, MessageKind::Note, "ana", "internal", None).unwrap();
    assert!(desk.store.outbox(true).unwrap().is_empty());
    config.outbound.as_mut().unwrap().via = frontdesk::config::Via::Sendmail;
    config.outbound.as_mut().unwrap().sendmail = "exit 3".into();
    let outbound = Outbound::from_config(Some(&config), dir.path()).unwrap();
    let (message, _, delivered) = outbound.send_reply(&desk.store, &agent, ticket, "Hello", None, None).unwrap();
    let error = delivered.unwrap_err();
    assert!(error.contains("exit status: 3"), "{error}");
    let waiting = desk.store.outbox(false).unwrap();
    assert_eq!(waiting.len(), 1);
    assert!(waiting[0].last_error.is_some());
    assert!(matches!(
        desk.detail(ticket).mail.of(message.id).unwrap().delivery,
        Some(frontdesk::domain::Delivery::Failed(_))
    ));
    // Fixed config: a flush sends it.
    config.outbound.as_mut().unwrap().sendmail = "cat > /dev/null; true".into(); // the recipients are arguments: `true` takes them
    let outbound = Outbound::from_config(Some(&config), dir.path()).unwrap();
    assert!(outbound.flush(&desk.store).unwrap().iter().all(|(_, r)| r.is_ok()));
    assert!(desk.store.outbox(false).unwrap().is_empty());
    let _ = Role::Admin;
}

#[test]
fn a_bounce_of_our_reply_is_a_system_message_on_its_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, config) = mailing_desk(dir.path());
    let ticket = first_mail(&desk);
    let agent = desk.store.agent("ana").unwrap().unwrap();
    let outbound = Outbound::from_config(Some(&config), dir.path()).unwrap();
    outbound.send_reply(&desk.store, &agent, ticket, "Refund started.", None, None).unwrap().2.unwrap();
    set_status(&desk, ticket, Status::Pending);
    let ours = String::from_utf8(outbox_files(dir.path()).remove(0)).unwrap();
    let bounce = format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.shop.example>\r\nSubject: Undelivered Mail\r\nMessage-ID: <b1@mx>\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n\
         --B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\
         --B\r\nContent-Type: message/rfc822\r\n\r\n{ours}\r\n--B--\r\n"
    );
    let outcome = desk.import(bounce.as_bytes());
    assert!(matches!(outcome, ImportOutcome::Threaded { ticket: t, .. } if t == ticket), "{outcome:?}");
    let d = desk.detail(ticket);
    assert_eq!(d.messages.last().unwrap().kind, MessageKind::System);
    assert_eq!(d.ticket.status, Status::Pending, "a bounce never reopens");
}

#[test]
fn mail_from_our_own_address_makes_no_ticket() {
    let desk = Desk::with_address("support@desk.example");
    let raw = mail(&[("From", "Support <SUPPORT@desk.example>"), ("Subject", "Loop")], "x");
    assert_eq!(desk.import(&raw), ImportOutcome::OwnMail { ticket: None });
}

fn assert_quarantined(desk: &Desk, raw: &[u8], reason: &str) -> i64 {
    let outcome = desk.import(raw);
    let ImportOutcome::Quarantined { id, reason: got, .. } = outcome else { panic!("not quarantined: {outcome:?}") };
    assert!(got.contains(reason), "{got}");
    assert_eq!(desk.store.quarantined_mail(id).unwrap().1, raw, "kept whole");
    assert_eq!(desk.store.count_tickets(&Default::default()).unwrap(), 0, "never half-imported");
    id
}

#[test]
fn a_mail_over_the_size_limit_is_quarantined() {
    let mut desk = Desk::new();
    desk.config.mail = Some(MailConfig { max_message_size: 1000, ..MailConfig::default() });
    let raw = mail(&[("From", "a@b.example"), ("Subject", "big")], &"x".repeat(2000));
    assert_quarantined(&desk, &raw, "too large");
    assert!(matches!(desk.import(&raw), ImportOutcome::Quarantined { again: true, .. }));
}

#[test]
fn a_mail_nested_too_deep_is_quarantined() {
    let desk = Desk::new();
    let mut body = String::from("deep\r\n");
    for level in (0..40).rev() {
        body = format!(
            "--b{level}\r\nContent-Type: multipart/mixed; boundary=\"b{}\"\r\n\r\n{body}\r\n--b{level}--\r\n",
            level + 1
        );
    }
    let raw = mail(
        &[("From", "a@b.example"), ("Subject", "deep"), ("Content-Type", "multipart/mixed; boundary=\"b0\"")],
        &body,
    );
    assert_quarantined(&desk, &raw, "nested deeper than 32");
}

#[test]
fn a_mail_with_too_many_parts_is_quarantined() {
    let desk = Desk::new();
    let body: String =
        (0..1100).map(|i| format!("--p\r\nContent-Type: text/plain\r\n\r\npart {i}\r\n")).collect::<String>()
            + "--p--\r\n";
    let raw = mail(
        &[("From", "a@b.example"), ("Subject", "parts"), ("Content-Type", "multipart/mixed; boundary=\"p\"")],
        &body,
    );
    assert_quarantined(&desk, &raw, "MIME parts (the limit is 1000)");
}

#[test]
fn garbage_and_mail_without_a_sender_are_quarantined() {
    let desk = Desk::new();
    assert_quarantined(&desk, b"\x00\x01\x02 not a mail at all \xff\xfe", "");
    assert_quarantined(&desk, &mail(&[("Subject", "who?")], "hi"), "no sender address");
    assert_quarantined(&desk, &mail(&[("From", "not-an-address"), ("Subject", "x")], "hi"), "sender");
}

#[test]
fn a_released_mail_is_imported_without_the_limits() {
    let mut desk = Desk::new();
    desk.config.mail = Some(MailConfig { max_message_size: 100, ..MailConfig::default() });
    let raw = mail(&[("From", "a@b.example"), ("Subject", "big")], &"x".repeat(200));
    let id = assert_quarantined(&desk, &raw, "too large");
    let mut importer = frontdesk::mail::Importer::new(&desk.store, &desk.config);
    importer.limits = frontdesk::mail::Limits::none();
    assert!(matches!(importer.import(&raw, "release").unwrap(), ImportOutcome::Created { .. }));
    desk.store.mark_released(id).unwrap();
    assert!(desk.store.quarantined(false).unwrap().is_empty());
}

#[test]
fn a_mail_holds_the_time_it_was_sent_unless_that_is_unbelievable() {
    let desk = Desk::new();
    let old = mail(
        &[("From", "olu@shop.example"), ("Subject", "Invoice"), ("Date", "Tue, 03 Mar 2026 09:15:00 +0100")],
        "Where is the VAT number?",
    );
    let ticket = ticket_of(&desk.import(&old));
    let d = desk.detail(ticket);
    let sent = chrono::DateTime::parse_from_rfc2822("Tue, 03 Mar 2026 09:15:00 +0100").unwrap();
    assert_eq!(d.messages[0].created_at, sent, "an old mailbox keeps its history's order");
    assert_eq!(d.ticket.created_at, sent);
    // Stored times have milliseconds; start a millisecond early.
    let before = chrono::Utc::now() - chrono::Duration::milliseconds(1);
    let future = mail(
        &[("From", "ann@shop.example"), ("Subject", "Hi"), ("Date", "Sat, 01 Jan 2100 00:00:00 +0000")],
        "From the future.",
    );
    let d = desk.detail(ticket_of(&desk.import(&future)));
    assert!(
        d.messages[0].created_at >= before && d.messages[0].created_at <= chrono::Utc::now(),
        "a date to come is now"
    );
    let undated = mail(&[("From", "zoe@shop.example"), ("Subject", "No date")], "When?");
    let d = desk.detail(ticket_of(&desk.import(&undated)));
    assert!(d.messages[0].created_at >= before, "no date is now");
}

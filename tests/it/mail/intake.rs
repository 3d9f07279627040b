//! Real mail that used to be misread, one fixture of our own per kind (tests/fixtures/email/intake):
//! UTF-7, a blank plain alternative, undeclared 8-bit headers, unusual senders, missing closing
//! boundaries, RFC 2231 continuations and inline uuencode.

use crate::support::mail::{attachment_names, fixture, imported, ticket_of, Desk};
use frontdesk::domain::mail::ImportOutcome;
use frontdesk::domain::MessageKind;

fn intake(name: &str) -> String {
    format!("intake/{name}")
}

#[test]
fn utf7_subject_sender_and_body_are_decoded() {
    let (_, d) = imported(&intake("utf7.eml"));
    assert_eq!(d.ticket.subject, "Übermittlung fehlgeschlagen");
    assert_eq!(d.customer.name, "Jürgen Müller");
    assert_eq!(d.messages[0].body, "Die Übermittlung der Bestellung 4711 ist fehlgeschlagen.\r\nGrüße");
}

#[test]
fn a_blank_plain_alternative_gives_way_to_the_html() {
    let (_, d) = imported(&intake("blank-plain-alternative.eml"));
    assert_eq!(d.messages[0].body, "Order **4711** arrived broken.");
    assert!(attachment_names(&d).is_empty());
}

#[test]
fn undeclared_gb2312_headers_follow_the_body_charset() {
    let (desk, d) = imported(&intake("gb2312-headers.eml"));
    assert_eq!(d.ticket.subject, "关于订单退款的申请");
    assert_eq!(d.customer.name, "张伟");
    assert_eq!(d.messages[0].body, "我的订单还没有收到，请帮我退款。");
    let raw = desk.store.raw_headers(d.messages[0].id).unwrap();
    assert_eq!(raw.len(), 2, "{raw:?}");
    assert!(raw.iter().all(|h| h.charset == "GBK"), "{raw:?}");
    let subject = raw.iter().find(|h| h.field == "Subject").unwrap();
    assert_eq!(subject.raw, encode_gb2312_subject());
}

/// The Subject line's bytes as the fixture holds them.
fn encode_gb2312_subject() -> Vec<u8> {
    let raw = fixture(&intake("gb2312-headers.eml"));
    let start = raw.windows(9).position(|w| w == b"Subject: ").unwrap() + 9;
    let end = start + raw[start..].iter().position(|b| *b == b'\r').unwrap();
    raw[start..end].to_vec()
}

#[test]
fn undeclared_koi8r_headers_are_detected() {
    let (desk, d) = imported(&intake("koi8r-headers.eml"));
    assert_eq!(d.ticket.subject, "Возврат заказа и вопрос о доставке");
    assert_eq!(d.customer.name, "Иван Петров");
    assert_eq!(d.messages[0].body, "Order 4711, please.");
    let raw = desk.store.raw_headers(d.messages[0].id).unwrap();
    // chardetng names KOI8-U, never KOI8-R: a superset that reads every Russian letter the same.
    assert!(raw.iter().any(|h| h.field == "From" && h.charset == "KOI8-U"), "{raw:?}");
}

#[test]
fn an_undeclared_shift_jis_file_name_is_detected() {
    let (desk, d) = imported(&intake("sjis-filename.eml"));
    assert_eq!(attachment_names(&d), ["請求書の控え.txt"]);
    let raw = desk.store.raw_headers(d.messages[0].id).unwrap();
    assert!(raw.iter().any(|h| h.field == "attachment 1 name" && h.charset == "Shift_JIS"), "{raw:?}");
}

#[test]
fn ascii_headers_keep_no_raw_copy() {
    let (desk, d) = imported(&intake("utf7.eml"));
    assert!(desk.store.raw_headers(d.messages[0].id).unwrap().is_empty());
}

#[test]
fn a_trailing_dot_on_the_sender_domain_is_dropped() {
    let (_, d) = imported(&intake("sender-trailing-dot.eml"));
    assert_eq!(d.customer.primary_email(), "kim@yahoo.com");
    assert_eq!(d.customer.name, "Kim Lee");
}

#[test]
fn a_host_without_a_dot_is_a_sender() {
    let (_, d) = imported(&intake("sender-localhost.eml"));
    assert_eq!(d.customer.primary_email(), "root@localhost");
}

#[test]
fn a_quoted_local_part_is_kept() {
    let (_, d) = imported(&intake("sender-quoted-local.eml"));
    assert_eq!(d.customer.primary_email(), "\"john smith\"@example.com");
    assert_eq!(d.customer.name, "John Smith");
}

#[test]
fn without_from_the_sender_is_the_reply_to() {
    let (_, d) = imported(&intake("sender-reply-to-only.eml"));
    assert_eq!(d.customer.primary_email(), "ann@example.org");
    assert_eq!(d.customer.name, "Ann Ray");
}

#[test]
fn without_from_or_reply_to_the_sender_is_the_return_path() {
    let (_, d) = imported(&intake("sender-return-path-only.eml"));
    assert_eq!(d.customer.primary_email(), "rita@example.org");
}

#[test]
fn a_bounce_from_a_bare_mailer_daemon_lands_on_the_bounced_ticket() {
    let desk = Desk::new();
    let reply = "From: Carla <carla@shop.example>\r\nSubject: Refund\r\nMessage-ID: <reply-1@desk.example>\r\n\r\nx";
    let ticket = ticket_of(&desk.import(reply.as_bytes()));
    let outcome = desk.import_fixture(&intake("bounce-bare-mailer-daemon.eml"));
    assert!(matches!(outcome, ImportOutcome::Threaded { ticket: t, .. } if t == ticket), "{outcome:?}");
    let d = desk.detail(ticket);
    assert_eq!(d.messages[1].kind, MessageKind::System);
    assert!(d.messages[1].body.contains("could not be delivered"));
}

#[test]
fn a_bounce_from_a_bare_mailer_daemon_on_no_ticket_is_a_system_ticket() {
    let (_, d) = imported(&intake("bounce-bare-mailer-daemon.eml"));
    assert_eq!(d.messages[0].kind, MessageKind::System);
    assert_eq!(d.customer.primary_email(), "mailer-daemon@mx.desk.example");
}

#[test]
fn nested_parts_without_closing_boundaries_are_decoded() {
    let (_, d) = imported(&intake("nested-missing-boundaries.eml"));
    let body = &d.messages[0].body;
    assert_eq!(body, "Grüße, the parcel arrived with a dent and a very long line that is folded by the sender.");
    assert!(attachment_names(&d).is_empty(), "{:?}", attachment_names(&d));
}

#[test]
fn rfc2231_continuations_are_joined_before_they_are_decoded() {
    let (_, d) = imported(&intake("rfc2231-continuation.eml"));
    assert_eq!(attachment_names(&d), ["請求書2026年11月.pdf", "résumé of the order № 4711.txt"]);
}

#[test]
fn inline_uuencode_becomes_an_attachment() {
    let (desk, d) = imported(&intake("uuencode-inline.eml"));
    assert_eq!(d.messages[0].body, "Please see the invoice below.\r\n\r\nThanks, Ben");
    let atts = &d.mail.of(d.messages[0].id).unwrap().attachments;
    assert_eq!(atts.len(), 1);
    assert_eq!(atts[0].name, "invoice 4711.txt");
    assert_eq!(desk.store.attachment(atts[0].id).unwrap().1, "Invoice 4711\ntotal: 42.00 EUR\n".repeat(5).as_bytes());
}

#[test]
fn an_inner_multipart_left_open_before_the_next_outer_part_is_decoded() {
    let (desk, d) = imported(&intake("nested-inner-left-open.eml"));
    let body = &d.messages[0].body;
    assert_eq!(body, "Die Lieferung kam beschädigt an.");
    let atts = &d.mail.of(d.messages[0].id).unwrap().attachments;
    assert_eq!(atts.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["photo-note.txt"]);
    assert_eq!(desk.store.attachment(atts[0].id).unwrap().1, "dent on the left – see photo".as_bytes());
}

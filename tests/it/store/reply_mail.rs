//! What the store keeps of a reply's mail: its Cc and Bcc, its files as attachments, and the
//! Reply-To of the customer's last mail, where the next answer goes.

use frontdesk::domain::mail::MailAttachment;
use frontdesk::domain::MessageKind;
use frontdesk::store::OutgoingMail;

use crate::support::mail::Desk;

const FIRST: &[u8] = b"From: Carla <carla@shop.example>\r\nReply-To: orders@shop.example\r\nSubject: Refund\r\n\
    Message-ID: <c1@shop.example>\r\n\r\nBroken.\r\n";
const SECOND: &[u8] = b"From: Carla <carla@shop.example>\r\nSubject: Re: Refund\r\nIn-Reply-To: <c1@shop.example>\r\n\
    Message-ID: <c2@shop.example>\r\n\r\nAnd?\r\n";

fn reply_mail() -> OutgoingMail {
    OutgoingMail {
        message_id: "r1@desk.example".into(),
        in_reply_to: Some("c1@shop.example".into()),
        references: vec!["c1@shop.example".into()],
        recipient: "orders@shop.example, boss@shop.example, audit@desk.example".into(),
        raw: b"Subject: Re: Refund\r\n\r\nDone.\r\n".to_vec(),
        cc: vec!["boss@shop.example".into()],
        bcc: vec!["audit@desk.example".into()],
        attachments: vec![MailAttachment {
            name: "Rechnung März.pdf".into(),
            content_type: "application/pdf".into(),
            inline: false,
            content_id: None,
            data: vec![0, 1, 2, 255],
        }],
    }
}

#[test]
fn the_reply_to_of_the_customers_last_mail_is_where_the_answer_goes() {
    let desk = Desk::new();
    desk.import(FIRST);
    assert_eq!(desk.store.reply_context(1).unwrap().reply_to.as_deref(), Some("orders@shop.example"));
    // Their newer mail has none: the answer goes to their address again.
    desk.import(SECOND);
    assert_eq!(desk.store.reply_context(1).unwrap().reply_to, None);
}

#[test]
fn a_reply_keeps_its_copies_and_files_with_it() {
    let desk = Desk::new();
    desk.store.register_first_admin("ana").unwrap();
    desk.import(FIRST);
    let (message, _, outbox) = desk.store.add_reply_with_mail(1, "ana", "Done.", None, &reply_mail(), None).unwrap();
    assert_eq!(message.kind, MessageKind::Reply);
    let mail = desk.store.ticket_mail(1).unwrap();
    let of_reply = mail.of(message.id).unwrap();
    assert_eq!(of_reply.cc, ["boss@shop.example"]);
    assert_eq!(of_reply.bcc, ["audit@desk.example"]);
    assert_eq!(of_reply.attachments.len(), 1);
    let (info, data) = desk.store.attachment(of_reply.attachments[0].id).unwrap();
    assert_eq!((info.name.as_str(), info.size, data), ("Rechnung März.pdf", 4, vec![0, 1, 2, 255]));
    assert_eq!(desk.store.outbox_mail(outbox).unwrap().0.recipient, reply_mail().recipient);
    // The customer's own mail has no copies recorded.
    let first = desk.detail(1).messages[0].id;
    assert!(mail.of(first).is_none_or(|m| m.cc.is_empty() && m.bcc.is_empty()));
}

#[test]
fn a_refused_reply_leaves_no_files_behind() {
    let desk = Desk::new();
    desk.store.register_first_admin("ana").unwrap();
    desk.import(FIRST);
    let before = desk.store.ticket_detail(1).unwrap();
    let seen = before.messages[0].id - 1; // a message older than the one on the ticket
    assert!(desk.store.add_reply_with_mail(1, "ana", "Done.", Some(seen), &reply_mail(), None).is_err());
    let mail = desk.store.ticket_mail(1).unwrap();
    assert!(mail.messages.values().all(|m| m.attachments.is_empty() && m.cc.is_empty()));
}

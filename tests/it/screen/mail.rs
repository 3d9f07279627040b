//! The conversation shows each mail's threading rule, its attachments (hostile names made safe)
//! and a reply that could not be mailed.

use crate::support::fixtures as common;

use frontdesk::domain::{AttachmentInfo, Delivery, MessageMail};

#[test]
fn conversation_lists_attachments_rules_and_undelivered_replies() {
    let mut state = common::state((120, 32), common::HOSTILE_SUBJECT, "Photos attached.");
    let conversation = state.conversation.as_mut().unwrap();
    let mail = &mut conversation.detail.mail;
    mail.messages.insert(
        1,
        MessageMail {
            thread_rule: Some("new_ticket".into()),
            attachments: vec![AttachmentInfo {
                id: 7,
                message_id: 1,
                name: "box.jpg".into(),
                content_type: "image/jpeg".into(),
                size: 48_213,
                inline: false,
            }],
            delivery: None,
            ..Default::default()
        },
    );
    mail.messages.insert(
        3,
        MessageMail {
            delivery: Some(Delivery::Failed("SMTP delivery to smtp.example.com:587 failed: timed out".into())),
            ..Default::default()
        },
    );
    mail.messages.insert(
        4,
        MessageMail {
            thread_rule: Some("references".into()),
            attachments: vec![AttachmentInfo {
                id: 8,
                message_id: 4,
                name: "invoice\u{202E}fdp.exe\x1b[2J".into(),
                content_type: "application/pdf".into(),
                size: 912,
                inline: true,
            }],
            delivery: None,
            ..Default::default()
        },
    );
    let term = common::render(&state);
    insta::assert_snapshot!(term.backend());
}

#[test]
fn a_reply_shows_its_cc_and_bcc_made_safe() {
    let mut state = common::state((100, 20), "Refund", "Please refund order 48213.");
    let conversation = state.conversation.as_mut().unwrap();
    conversation.detail.mail.messages.insert(
        3,
        MessageMail {
            cc: vec!["boss@shop.example".into(), "ev\u{202E}il@x.example".into()],
            bcc: vec!["audit@desk.example".into()],
            ..Default::default()
        },
    );
    let term = common::render(&state);
    insta::assert_snapshot!(term.backend());
}

#[test]
fn a_mailbox_the_service_cannot_read_is_on_the_status_line_at_80_columns() {
    let mut state = common::state((80, 24), "Refund", "Please refund order 48213.");
    state.unread_mailbox = Some(
        "mailbox \x1b[31msupport\x1b[0m: imap.shop.example:993 refused the login of support@shop.example \
         (AUTHENTICATIONFAILED); not read again until the service restarts"
            .into(),
    );
    let term = common::render(&state);
    let text = common::screen_text(&term);
    assert!(!text.contains('\x1b'), "the server's text is shown as text");
    insta::assert_snapshot!(term.backend());
}

#[test]
fn a_rule_after_a_mailed_reply_is_said_beside_mailed_at_80_columns() {
    use frontdesk::app::model::message::{Msg, RuleFired};
    use frontdesk::app::update::update;
    use frontdesk::domain::MessageKind;
    let mut state = common::state((80, 24), "Refund", "Please refund order 48213.");
    let ticket = state.open_ticket().unwrap().id;
    let vip = RuleFired { rule: "vip".into(), ticket, did: vec!["priority high".into(), "tags +vip".into()] };
    let sent = Msg::MessageSent { ticket, kind: MessageKind::Reply, mailing: true };
    update(&mut state, Msg::RulesRan { fired: vec![vip], failed: None, then: Box::new(sent) });
    let said = state.status.as_ref().unwrap().text.clone();
    assert!(said.ends_with(&format!(" · rule 'vip' fired on #{ticket}: priority high, tags +vip")), "{said}");
    update(&mut state, Msg::Delivered { ticket, result: Ok(()) });
    let said = state.status.as_ref().unwrap().text.clone();
    assert_eq!(
        said,
        format!("reply on #{ticket} mailed to the customer · rule 'vip' fired on #{ticket}: priority high, tags +vip"),
        "the mail's news does not wipe out the rule's"
    );
    let term = common::render(&state);
    let buffer = term.backend().buffer();
    let bottom: String = (0..80).map(|x| buffer[(x, 23)].symbol()).collect();
    assert!(bottom.contains("replied · mailed · rule 'vip': priority high, tags +vip"), "{bottom}");
    insta::assert_snapshot!(term.backend());
}

//! Rules at mail intake: in the mail's own write, by the IMAP mailbox's name, on a customer's
//! reply but not a machine's, and a rule that cannot be applied loses no mail.

use crate::support::mail::{ticket_of, Desk};
use frontdesk::domain::rules::{Action, Assign, Conditions, Rule, Trigger};
use frontdesk::mail::Importer;

fn rule(name: &str, trigger: Trigger, conditions: Conditions, actions: Vec<Action>) -> Rule {
    Rule { name: name.into(), trigger, conditions, actions }
}

fn desk(rules: Vec<Rule>) -> Desk {
    let mut desk = Desk::new();
    desk.store.register_first_admin("ana").unwrap();
    desk.config.rule_set.rules = rules;
    desk
}

const FIRST: &str = "From: Carla <carla@shop.example>\r\nTo: support@desk.example\r\nSubject: Invoice wrong\r\n\
    Message-ID: <c1@shop.example>\r\n\r\nThe total is wrong.\r\n";
const REPLY: &str =
    "From: Carla <carla@shop.example>\r\nSubject: Re: Invoice wrong\r\nIn-Reply-To: <c1@shop.example>\r\n\
    Message-ID: <c2@shop.example>\r\n\r\nAny news?\r\n";
const AUTO: &str = "From: Carla <carla@shop.example>\r\nSubject: Out of office\r\nIn-Reply-To: <c1@shop.example>\r\n\
    Auto-Submitted: auto-replied\r\nMessage-ID: <c3@shop.example>\r\n\r\nAway until Monday.\r\n";

#[test]
fn the_imap_mailbox_name_is_a_mailbox_for_rules() {
    let billing = Conditions { mailbox: vec!["billing".into()], ..Conditions::default() };
    let desk = desk(vec![rule("billing", Trigger::NewTicket, billing, vec![Action::Tags(vec!["billing".into()])])]);
    let plain = Importer::new(&desk.store, &desk.config);
    let by_mailbox = Importer { mailbox: Some("Billing".into()), ..Importer::new(&desk.store, &desk.config) };
    let first = ticket_of(&plain.import(FIRST.as_bytes(), "test").unwrap());
    let other = FIRST.replace("c1@", "c9@");
    let second = ticket_of(&by_mailbox.import(other.as_bytes(), "test").unwrap());
    assert!(desk.store.ticket(first).unwrap().tags.is_empty(), "sent to support@, read from no mailbox");
    assert_eq!(desk.store.ticket(second).unwrap().tags, ["billing"]);
}

#[test]
fn a_customer_reply_fires_its_rules_and_an_auto_reply_does_not() {
    let desk = desk(vec![rule(
        "customer wrote",
        Trigger::CustomerReply,
        Conditions { body_words: vec!["news".into(), "office".into()], ..Conditions::default() },
        vec![Action::Tags(vec!["chased".into()])],
    )]);
    let id = ticket_of(&desk.import(FIRST.as_bytes()));
    assert!(desk.store.ticket(id).unwrap().tags.is_empty(), "a new ticket is no reply");
    desk.import(AUTO.as_bytes());
    assert!(desk.store.ticket(id).unwrap().tags.is_empty(), "a machine's answer is no customer reply");
    desk.import(REPLY.as_bytes());
    let t = desk.store.ticket(id).unwrap();
    assert_eq!(t.tags, ["chased"]);
}

#[test]
fn a_rule_that_cannot_be_applied_loses_no_mail_and_stops_no_other_rule() {
    let desk = desk(vec![
        rule("to nobody", Trigger::NewTicket, Conditions::default(), vec![Action::Assign(Assign::Agent("zoe".into()))]),
        rule("tag it", Trigger::NewTicket, Conditions::default(), vec![Action::Tags(vec!["seen".into()])]),
    ]);
    let id = ticket_of(&desk.import(FIRST.as_bytes()));
    let detail = desk.detail(id);
    assert_eq!(detail.messages.len(), 1, "the mail is kept");
    assert_eq!((detail.ticket.assignee.as_deref(), detail.ticket.tags.clone()), (None, vec!["seen".to_string()]));
    assert!(detail.events.iter().all(|e| e.actor != "rule:to nobody"));
}

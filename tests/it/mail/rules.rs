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

/// A mailbox of the service, named `billing`, importing as the IMAP reader does (with its name).
struct Billing {
    config: frontdesk::config::Config,
    mails: Vec<String>,
}

impl frontdesk::serve::MailboxReader for Billing {
    fn name(&self) -> &str {
        "billing"
    }

    fn poll_once(&mut self, store: &frontdesk::store::Store) -> Result<usize, String> {
        let Some(mail) = self.mails.pop() else { return Ok(0) };
        let importer = Importer { mailbox: Some("billing".into()), ..Importer::new(store, &self.config) };
        importer.import(mail.as_bytes(), "billing").map_err(|e| e.to_string())?;
        Ok(1)
    }
}

#[test]
fn a_service_round_runs_the_rules_of_the_mail_it_reads_and_mails_their_reply_in_the_same_round() {
    use frontdesk::config::{Config, MailConfig, OutboundConfig, Via};
    let dir = tempfile::tempdir().unwrap();
    let outbound = OutboundConfig { via: Via::Maildir, maildir: "out".into(), ..OutboundConfig::default() };
    let mail = MailConfig {
        address: "support@desk.example".into(),
        name: "Desk Support".into(),
        outbound: Some(outbound),
        ..MailConfig::default()
    };
    let mut config = Config { mail: Some(mail), ..Config::default() };
    let ack = Action::Reply { name: "ack".into(), body: "Hi {{customer.first_name}}, we have it.".into() };
    let billing = Conditions { mailbox: vec!["billing".into()], ..Conditions::default() };
    config.rule_set.rules = vec![
        rule("billing", Trigger::NewTicket, billing, vec![Action::Tags(vec!["billing".into()])]),
        rule("ack", Trigger::NewTicket, Conditions::default(), vec![ack]),
    ];
    let store = frontdesk::store::Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    let mut round = frontdesk::serve::Round::new(7, &config, dir.path());
    round.inbound = vec![Box::new(Billing {
        config: config.clone(),
        mails: vec![FIRST.into(), AUTO.replace("In-Reply-To: <c1@shop.example>\r\n", "")],
    })];
    let report = round.run(&store, || false).unwrap();
    assert_eq!((report.read, report.mailed), (1, 0), "the auto-reply came first: tagged, not answered");
    assert_eq!(store.ticket(1).unwrap().tags, ["billing"]);
    let report = round.run(&store, || false).unwrap();
    assert_eq!((report.read, report.mailed), (1, 1), "the customer's mail is answered in the round that read it");
    assert_eq!(store.ticket(2).unwrap().tags, ["billing"]);
    let sent: Vec<String> = std::fs::read_dir(dir.path().join("out/new"))
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .collect();
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].contains("Hi Carla, we have it.") && sent[0].contains("To: Carla <carla@shop.example>"),
        "{}",
        sent[0]
    );
}

#[test]
fn a_timed_rule_fires_when_the_clock_reaches_its_point_and_looks_at_no_ticket_before() {
    use frontdesk::mail::rules::Rules;
    let config = frontdesk::config::parse(
        "[sla]\n[[sla.policies]]\npriority = \"normal\"\nfirst_response = \"1h\"\nresolution = \"8h\"\n",
        std::path::Path::new("config.toml"),
    )
    .unwrap();
    let policies = config.sla_policies();
    let desk = desk(vec![
        rule(
            "escalate",
            Trigger::Clock { at: 80, clock: Some(frontdesk::domain::sla::ClockKind::FirstResponse) },
            Conditions::default(),
            vec![Action::Tags(vec!["escalated".into()])],
        ),
        rule("late", Trigger::Breach { clock: None }, Conditions::default(), vec![Action::Tags(vec!["late".into()])]),
    ]);
    let id = ticket_of(&desk.import(FIRST.as_bytes()));
    let created = desk.store.ticket(id).unwrap().created_at;
    let rules = Rules::with(&desk.config.rule_set.rules, None, std::path::Path::new(""));
    let at = |minutes: i64| created + chrono::Duration::minutes(minutes);
    let run = |minutes: i64| -> Vec<String> {
        let fired = frontdesk::serve::rules::run_timed(&desk.store, &rules, &policies, at(minutes)).unwrap();
        fired.into_iter().map(|f| f.rule).collect()
    };
    assert!(run(10).is_empty());
    assert!(run(47).is_empty(), "47 of 60 minutes is 78 %");
    assert_eq!(run(48), ["escalate"], "48 of 60 minutes is 80 %: looked at again when its time came");
    assert!(run(59).is_empty());
    assert_eq!(run(61), ["late"], "past the first response target");
    assert!(run(600).is_empty(), "each fires once");
    assert_eq!(desk.store.ticket(id).unwrap().tags, ["escalated", "late"]);
}

use super::*;

fn facts() -> Facts {
    Facts {
        mailboxes: vec!["billing@shop.example".into()],
        from: "carla@vip.example".into(),
        organization: Some("Núñez Imports".into()),
        tier: Tier::Gold,
        channel: Channel::Email,
        priority: Priority::Normal,
        status: Status::New,
        tags: vec!["refund".into()],
        subject: "Invoice 48213, wrong amount".into(),
        body: "The invoice total is wrong.".into(),
        automatic: None,
    }
}

fn rule(conditions: Conditions) -> Rule {
    Rule {
        name: "r".into(),
        trigger: Trigger::NewTicket,
        conditions,
        actions: vec![Action::Tags(vec!["billing".into()]), Action::Reply { name: "ack".into(), body: "Hi".into() }],
    }
}

#[test]
fn every_condition_must_hold() {
    let c = Conditions {
        mailbox: vec!["billing".into()],
        from_domain: vec!["vip.example".into()],
        organization: vec!["núñez imports".into()],
        tier: vec![Tier::Gold, Tier::Vip],
        subject_words: vec!["invoice".into()],
        body_words: vec!["total is".into()],
        tags: vec!["refund".into()],
        ..Conditions::default()
    };
    assert_eq!(rule(c.clone()).check(&facts()), Verdict::Fires);
    let other = Conditions { from_domain: vec!["shop.example".into()], ..c.clone() };
    assert_eq!(
        rule(other).check(&facts()),
        Verdict::Skips("the sender's domain vip.example is not 'shop.example'".into())
    );
    let other = Conditions { subject_words: vec!["invoic".into()], ..c.clone() };
    assert!(matches!(rule(other).check(&facts()), Verdict::Skips(why) if why.contains("subject")));
    let other = Conditions { tags: vec!["refund".into(), "vip".into()], ..c.clone() };
    assert_eq!(rule(other).check(&facts()), Verdict::Skips("the ticket has no tag 'vip'".into()));
    let other = Conditions { status: vec![Status::New, Status::Open], ..c.clone() };
    assert_eq!(rule(other).check(&facts()), Verdict::Fires);
    let other = Conditions { status: vec![Status::Solved], ..c };
    assert_eq!(rule(other).check(&facts()), Verdict::Skips("the status is new".into()));
}

#[test]
fn a_mailbox_is_a_name_an_address_or_its_local_part() {
    let by = |m: &str| rule(Conditions { mailbox: vec![m.into()], ..Conditions::default() }).check(&facts());
    assert_eq!(by("billing"), Verdict::Fires);
    assert_eq!(by("billing@shop.example"), Verdict::Fires);
    assert!(matches!(by("sales"), Verdict::Skips(_)));
    assert!(matches!(by("billing@other.example"), Verdict::Skips(_)));
}

#[test]
fn no_reply_goes_to_a_machine() {
    let r = rule(Conditions::default());
    assert_eq!(r.actions_for(&facts()).len(), 2);
    let auto = Facts { automatic: Some(Automatic::AutoReply), ..facts() };
    assert_eq!(r.actions_for(&auto), vec![&Action::Tags(vec!["billing".into()])]);
}

#[test]
fn round_robin_goes_round_and_clock_use_is_a_percentage() {
    let logins = vec!["ana".to_string(), "ben".to_string()];
    assert_eq!(next_in_turn(&logins, None), Some((0, "ana")));
    assert_eq!(next_in_turn(&logins, Some(0)), Some((1, "ben")));
    assert_eq!(next_in_turn(&logins, Some(1)), Some((0, "ana")));
    assert_eq!(next_in_turn(&logins, Some(7)), Some((0, "ana")));
    assert_eq!(next_in_turn(&[], None), None);
    assert_eq!(used_percent(3600, 720), 80);
    assert_eq!(used_percent(3600, -3600), 200);
    assert_eq!(actor("vip first"), "rule:vip first");
}

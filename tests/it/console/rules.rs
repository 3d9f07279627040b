//! The desk's rules from the console: a reply, a status change (from the picker and on marked
//! tickets) and a new ticket fire them as the same commands do. What a rule did shows in the
//! conversation as `rule:NAME`'s and on the status line; its canned reply waits in the outbox,
//! marked as an automatic answer.

use crate::support::console::{open_with, press, status, store_of, ticket_from, type_text};
use frontdesk::app::effects::App;
use frontdesk::app::headless::{key, Headless};
use frontdesk::app::model::views::View;
use frontdesk::config::{MailConfig, OutboundConfig, Via};
use frontdesk::domain::rules::{Action, Conditions, Rule, Trigger};
use frontdesk::domain::{MessageKind, Priority, Status};
use frontdesk::store::Store;
use std::path::Path;

fn rule(name: &str, trigger: Trigger, conditions: Conditions, actions: Vec<Action>) -> Rule {
    Rule { name: name.into(), trigger, conditions, actions }
}

fn when_status(status: Status) -> Conditions {
    Conditions { status: vec![status], ..Conditions::default() }
}

/// Replies go to a Maildir in `dir`, so a rule's canned reply can be composed as mail.
fn mail(app: &mut App, dir: &Path) {
    let outbound = OutboundConfig { via: Via::Maildir, maildir: "out".into(), ..OutboundConfig::default() };
    app.mail = Some(MailConfig {
        address: "support@desk.example".into(),
        name: "Desk Support".into(),
        outbound: Some(outbound),
        ..MailConfig::default()
    });
    app.data_dir = dir.to_path_buf();
}

/// A desk of `tickets` tickets from Carla, and the console of ana with `rules` on it; replies
/// are mailed when `mailing`.
fn console(dir: &Path, tickets: usize, rules: Vec<Rule>, mailing: bool) -> App {
    let store = Store::open(&dir.join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    for n in 0..tickets {
        ticket_from(&store, "carla@shop.example", "Carla Núñez", &format!("Refund {n}"), Priority::Normal);
    }
    open_with(store, "ana", chrono::Utc::now(), |app| {
        if mailing {
            mail(app, dir);
        }
        app.rules = rules;
    })
}

/// The events of ticket `id` written by `actor`, as `field new`.
fn by(store: &Store, id: i64, actor: &str) -> Vec<String> {
    let detail = store.ticket_detail(id).unwrap();
    let events = detail.events.iter().filter(|e| e.actor == actor);
    events.map(|e| format!("{} {}", e.field, e.new.as_deref().unwrap_or("-"))).collect()
}

#[test]
fn a_reply_from_the_console_fires_the_agent_reply_rules_and_the_conversation_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let awaiting = Action::Tags(vec!["awaiting-customer".into()]);
    let chase = rule("chase", Trigger::AgentReply, Conditions::default(), vec![awaiting]);
    let mut app = console(dir.path(), 1, vec![chase], false);
    press(&mut app, "r");
    type_text(&mut app, "We are on it.");
    press(&mut app, "ctrl-s");
    let said = status(&app);
    assert!(
        said.starts_with("reply sent on #1 · ")
            && said.ends_with(" · rule 'chase' fired on #1: tags +awaiting-customer"),
        "{said}"
    );
    let store = store_of(&app);
    assert_eq!(store.ticket(1).unwrap().tags, ["awaiting-customer"]);
    assert_eq!(by(&store, 1, "rule:chase"), ["tag awaiting-customer"]);
    let shown = app.state.conversation.as_ref().expect("the ticket stays open").detail.events.clone();
    assert!(shown.iter().any(|e| e.actor == "rule:chase"), "the console reloaded the ticket: {shown:?}");
    // A note is no reply: the rule stays quiet.
    press(&mut app, "n");
    type_text(&mut app, "internal");
    press(&mut app, "ctrl-s");
    assert_eq!(status(&app), "note added to #1");
    assert_eq!(by(&store_of(&app), 1, "rule:chase").len(), 1);
}

#[test]
fn the_screen_shows_what_a_rule_did_as_the_rules_change() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    ticket_from(&store, "carla@shop.example", "Carla Núñez", "Refund", Priority::Normal);
    let agent = store.agent("ana").unwrap().unwrap();
    let urgent = rule(
        "escalate on hold",
        Trigger::StatusChange,
        when_status(Status::OnHold),
        vec![Action::Priority(Priority::Urgent)],
    );
    let mut desk = Headless::start_with(store, agent, View::Open, (160, 30), chrono::Utc::now(), |app| {
        app.rules = vec![urgent];
    })
    .unwrap();
    desk.rest().unwrap();
    for name in ["s", "h", "o", "l", "d", "Enter"] {
        desk.press(key(name)).unwrap();
    }
    let screen = desk.screen_text();
    assert!(screen.contains("── ana set status new → on_hold"), "{screen}");
    assert!(screen.contains("── rule:escalate on hold set priority normal → u…"), "{screen}");
    assert!(screen.contains("#1 saved: on_hold · urgent · nobody · rule 'escalate on hold' fired on #1"), "{screen}");
}

#[test]
fn solving_from_the_picker_fires_the_rule_for_solved_and_its_reply_is_queued_as_automatic() {
    let dir = tempfile::tempdir().unwrap();
    let thanks = Action::Reply { name: "Thanks".into(), body: "Hi {{customer.first_name}}, glad it is sorted.".into() };
    let pending = rule(
        "pending noted",
        Trigger::StatusChange,
        when_status(Status::Pending),
        vec![Action::Tags(vec!["waiting".into()])],
    );
    let thank = rule("thank on solve", Trigger::StatusChange, when_status(Status::Solved), vec![thanks]);
    let mut app = console(dir.path(), 1, vec![pending, thank], true);
    press(&mut app, "s");
    type_text(&mut app, "solved");
    press(&mut app, "enter");
    assert!(status(&app).ends_with(" · rule 'thank on solve' fired on #1: reply 'Thanks'"), "{}", status(&app));
    let store = store_of(&app);
    let detail = store.ticket_detail(1).unwrap();
    assert_eq!(detail.ticket.status, Status::Solved);
    assert!(detail.ticket.tags.is_empty(), "the status it moved to is solved, not pending");
    let reply = detail.messages.iter().find(|m| m.kind == MessageKind::Reply).expect("the rule's reply");
    assert_eq!((reply.author.as_str(), reply.body.as_str()), ("rule:thank on solve", "Hi Carla, glad it is sorted."));
    // Queued like the command line's, for the desk service; the agent's console does not mail it.
    let outbox = store.outbox(false).unwrap();
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    let (_, raw) = store.outbox_mail(outbox[0].id).unwrap();
    let mail = mail_parser::MessageParser::default().parse(&raw).unwrap();
    assert_eq!(mail.header_raw("Auto-Submitted").map(str::trim), Some("auto-replied"));
    assert_eq!(mail.to().and_then(|a| a.first()).and_then(|a| a.address()), Some("carla@shop.example"));
    // The rule's write came after the agent's: `u` says so rather than undo the rule's reply.
    press(&mut app, "u");
    assert!(status(&app).contains("rule:thank on solve"), "{}", status(&app));
    assert_eq!(store.ticket(1).unwrap().status, Status::Solved);
}

#[test]
fn changing_marked_tickets_fires_the_rules_on_each() {
    let dir = tempfile::tempdir().unwrap();
    let hold = rule(
        "on hold is tagged",
        Trigger::StatusChange,
        when_status(Status::OnHold),
        vec![Action::Tags(vec!["third-party".into()])],
    );
    let mut app = console(dir.path(), 3, vec![hold], false);
    press(&mut app, "space space");
    press(&mut app, "s");
    type_text(&mut app, "hold");
    press(&mut app, "enter y");
    let store = store_of(&app);
    let tagged: Vec<i64> = (1..=3).filter(|id| store.ticket(*id).unwrap().tags == ["third-party"]).collect();
    assert_eq!(tagged.len(), 2, "the two marked tickets");
    let said = status(&app);
    assert!(
        said.ends_with(&format!(" · rule 'on hold is tagged' fired on #{}, #{}", tagged[0], tagged[1]))
            || said.ends_with(&format!(" · rule 'on hold is tagged' fired on #{}, #{}", tagged[1], tagged[0])),
        "{said}"
    );
}

#[test]
fn a_new_ticket_from_the_form_fires_the_new_ticket_rules_in_its_write() {
    let dir = tempfile::tempdir().unwrap();
    let refunds = Conditions { subject_words: vec!["refund".into()], ..Conditions::default() };
    let tag = rule(
        "refunds",
        Trigger::NewTicket,
        refunds,
        vec![Action::Tags(vec!["refund".into()]), Action::Priority(Priority::High)],
    );
    let mut app = console(dir.path(), 1, vec![tag], false);
    press(&mut app, "c");
    type_text(&mut app, "Olu Okafor <olu@new.example>");
    press(&mut app, "tab");
    type_text(&mut app, "Refund for order 48213");
    press(&mut app, "ctrl-s");
    let ticket = app.state.open_ticket().expect("the new ticket is open").clone();
    assert_eq!(
        (ticket.priority, ticket.tags.clone()),
        (Priority::High, vec!["refund".to_string()]),
        "shown as the rule left it"
    );
    assert_eq!(
        status(&app),
        format!(
            "created #{0} for Olu Okafor <olu@new.example> · rule 'refunds' fired on #{0}: tags +refund, priority high",
            ticket.id
        )
    );
    assert_eq!(by(&store_of(&app), ticket.id, "rule:refunds"), ["priority high", "tag refund"]);
}

#[test]
fn solving_stale_pending_tickets_from_the_console_fires_the_rules_on_each() {
    use frontdesk::app::model::action::Action as ConsoleAction;
    use frontdesk::app::model::message::Msg;
    use frontdesk::domain::TicketChange;
    let dir = tempfile::tempdir().unwrap();
    let thank = rule(
        "thank on solve",
        Trigger::StatusChange,
        when_status(Status::Solved),
        vec![Action::Tags(vec!["thanked".into()])],
    );
    let store = Store::open(&dir.path().join("desk.db")).unwrap();
    store.register_first_admin("ana").unwrap();
    let t = ticket_from(&store, "carla@shop.example", "Carla Núñez", "Lamp", Priority::Normal);
    let pending =
        TicketChange { status: Some(Status::Pending), assignee: Some(Some("ana".into())), ..TicketChange::default() };
    store.change_ticket(t.id, &pending, "ana").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let mut app = open_with(store, "ana", chrono::Utc::now(), |app| {
        app.stale_days = 0;
        app.rules = vec![thank];
    });
    crate::support::console::deliver(&mut app, Msg::Action(ConsoleAction::SolveStale));
    press(&mut app, "y");
    let store = store_of(&app);
    assert_eq!(store.ticket(t.id).unwrap().status, Status::Solved);
    assert_eq!(by(&store, t.id, "rule:thank on solve"), ["tag thanked"]);
    assert!(status(&app).ends_with(" · rule 'thank on solve' fired on #1: tags +thanked"), "{}", status(&app));
}

/// Open ticket `id` from the queue.
fn open_ticket(app: &mut App, id: i64) {
    let at = app.state.queue.rows.iter().position(|t| t.id == id).unwrap();
    for _ in 0..at {
        press(app, "j");
    }
    press(app, "enter");
}

/// Merge the open ticket into the one the merge picker offers first, answering yes.
fn merge_open_ticket(app: &mut App) {
    use frontdesk::app::model::action::Action as ConsoleAction;
    use frontdesk::app::model::message::Msg;
    crate::support::console::deliver(app, Msg::Action(ConsoleAction::MergeTicket));
    press(app, "enter");
    press(app, "y");
}

#[test]
fn undoing_a_status_change_fires_the_rules_for_the_status_it_put_back_but_none_that_would_redo_it() {
    let dir = tempfile::tempdir().unwrap();
    let reopened = rule(
        "reopened is tagged",
        Trigger::StatusChange,
        when_status(Status::New),
        vec![Action::Tags(vec!["reopened".into()])],
    );
    // Would move the ticket on from the status the agent just chose by undoing.
    let wait =
        rule("new ones wait", Trigger::StatusChange, when_status(Status::New), vec![Action::Status(Status::Pending)]);
    let mut app = console(dir.path(), 1, vec![reopened, wait], false);
    press(&mut app, "s");
    type_text(&mut app, "solved");
    press(&mut app, "enter");
    assert_eq!(store_of(&app).ticket(1).unwrap().status, Status::Solved);
    press(&mut app, "u");
    assert_eq!(
        status(&app),
        "undone on #1: status solved → new · rule 'reopened is tagged' fired on #1: tags +reopened"
    );
    let store = store_of(&app);
    let t = store.ticket(1).unwrap();
    assert_eq!((t.status, t.tags.clone()), (Status::New, vec!["reopened".to_string()]));
    assert!(by(&store, 1, "rule:new ones wait").is_empty(), "held back: the undo put the status back");
}

#[test]
fn a_merge_from_the_console_fires_the_status_rules_on_the_ticket_it_closed_without_a_reply() {
    let dir = tempfile::tempdir().unwrap();
    let bye = Action::Reply { name: "Bye".into(), body: "Hi {{customer.first_name}}, your ticket is closed.".into() };
    let closed = rule(
        "closed is noted",
        Trigger::StatusChange,
        when_status(Status::Closed),
        vec![Action::Note("Closed.".into()), bye],
    );
    let mut app = console(dir.path(), 2, vec![closed], true);
    open_ticket(&mut app, 1);
    merge_open_ticket(&mut app);
    let store = store_of(&app);
    assert_eq!(store.ticket(1).unwrap().status, Status::Closed, "merged into #2");
    assert!(status(&app).ends_with(" · rule 'closed is noted' fired on #1: note"), "{}", status(&app));
    let detail = store.ticket_detail(1).unwrap();
    let by_rule: Vec<MessageKind> =
        detail.messages.iter().filter(|m| m.author == "rule:closed is noted").map(|m| m.kind).collect();
    assert_eq!(by_rule, [MessageKind::Note], "the conversation goes on in #2: no reply says it is closed");
    assert!(store.outbox(false).unwrap().is_empty());
    assert!(by(&store, 2, "rule:closed is noted").is_empty(), "the ticket merged into keeps its status");
}

#[test]
fn undoing_a_merge_from_the_console_fires_the_status_rules_on_the_ticket_split_out_again() {
    let dir = tempfile::tempdir().unwrap();
    let back =
        rule("split out", Trigger::StatusChange, when_status(Status::New), vec![Action::Tags(vec!["split".into()])]);
    let mut app = console(dir.path(), 2, vec![back], false);
    open_ticket(&mut app, 1);
    merge_open_ticket(&mut app);
    assert_eq!(store_of(&app).ticket(1).unwrap().status, Status::Closed);
    press(&mut app, "u");
    let said = status(&app);
    assert!(said.starts_with("undone on #2: ticket #1 split out again"), "{said}");
    assert!(said.ends_with(" · rule 'split out' fired on #1: tags +split"), "{said}");
    let store = store_of(&app);
    assert_eq!((store.ticket(1).unwrap().status, store.ticket(1).unwrap().tags), (Status::New, vec!["split".into()]));
    assert!(store.ticket(2).unwrap().tags.is_empty(), "the ticket merged into changed no status");
}

//! Rules end to end: a shop's rule set through `frontdesk import` of real mails and through
//! `frontdesk serve`, and `rules check`, `rules test` and `rules run` as a shop's admin runs them.

use crate::support::cli::Desk;
use crate::support::smtp::SmtpServer;
use serde_json::Value;
use std::path::Path;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/email/chatwoot");

const ACKNOWLEDGE: &str = "name = \"Acknowledge\"\nbody = \"\"\"\nHi {{customer.first_name}},\n\n\
    We have your message about \\\"{{ticket.subject}}\\\" (ticket #{{ticket.number}}) and will answer soon.\n\"\"\"\n";

/// Tag by mailbox, priority by domain, auto-acknowledge, escalate at 80 % of the first response
/// target; the round robin is in `rules/` beside the config.
const RULES: &str = r#"
[sla]
[[sla.policies]]
priority = "normal"
first_response = "1h"
[[sla.policies]]
priority = "high"
first_response = "1h"

[[rules]]
name = "care mail is tagged"
when = "new_ticket"
if = { mailbox = ["care"] }
then = { tags = ["care"] }

[[rules]]
name = "vip domain is high priority"
when = "new_ticket"
if = { from_domain = ["vip.example"] }
then = { priority = "high" }

[[rules]]
name = "acknowledge"
when = "new_ticket"
then = { reply = "Acknowledge" }

[[rules]]
name = "escalate at 80%"
when = "clock"
at = 80
clock = "first_response"
then = { priority = "urgent", tags = ["escalated"], note = "The first response is nearly due." }
"#;

const ROUND_ROBIN: &str = r#"
[[rules]]
name = "share the load"
when = "new_ticket"
then = { assign = { round_robin = ["ana", "ben"] } }
"#;

fn mail_config(port: u16) -> String {
    format!(
        "[mail]\naddress = \"support@desk.example\"\nname = \"Desk Support\"\n[mail.outbound]\nvia = \"smtp\"\n\
         [mail.outbound.smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\n"
    )
}

/// A desk with the shop's five rules, its canned reply and a second agent.
fn shop(port: u16) -> Desk {
    let desk = Desk::with_config(&format!("{}{RULES}", mail_config(port)));
    std::fs::create_dir_all(desk.path("macros")).unwrap();
    std::fs::write(desk.path("macros/acknowledge.toml"), ACKNOWLEDGE).unwrap();
    std::fs::create_dir_all(desk.path("rules")).unwrap();
    std::fs::write(desk.path("rules/assign.toml"), ROUND_ROBIN).unwrap();
    desk.ok(&["agent", "add", "ben"]);
    desk
}

fn dead_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A customer's mail sent `minutes` ago.
fn mail(from: &str, to: &str, subject: &str, id: &str, minutes: i64) -> String {
    let date = (chrono::Utc::now() - chrono::Duration::minutes(minutes)).to_rfc2822();
    format!("From: {from}\nTo: {to}\nSubject: {subject}\nMessage-ID: <{id}>\nDate: {date}\n\nHello, {subject}.\n")
}

fn ticket(desk: &Desk, id: i64) -> Value {
    desk.json(&["ticket", "show", &id.to_string(), "--json"])
}

fn tags(t: &Value) -> Vec<&str> {
    t["tags"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect()
}

/// Events of the ticket written by `actor`, as `field new`.
fn by(t: &Value, actor: &str) -> Vec<String> {
    t["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"] == actor)
        .map(|e| format!("{} {}", e["field"].as_str().unwrap(), e["new"].as_str().unwrap_or("-")))
        .collect()
}

fn outbox_tickets(desk: &Desk) -> Vec<i64> {
    let list = desk.json(&["outbox", "list", "--json"]);
    list.as_array().unwrap().iter().map(|e| e["ticket"].as_i64().unwrap()).collect()
}

#[test]
fn a_shops_five_rules_run_on_imported_mail_and_the_clock_rule_on_rules_run() {
    let desk = shop(dead_port());
    // Real mails: one to care@ (the fixture's To), one auto-reply; then an mbox of two.
    let care = Path::new(FIXTURES).join("only_text.eml");
    let auto = Path::new(FIXTURES).join("auto_reply.eml");
    desk.ok(&["import", care.to_str().unwrap()]);
    desk.ok(&["import", auto.to_str().unwrap()]);
    let mbox = desk.path("shop.mbox");
    let mails = [
        mail("Carla <carla@vip.example>", "support@desk.example", "Refund", "c1@vip.example", 50),
        mail("Hiro <hiro@other.example>", "support@desk.example", "Login", "h1@other.example", 5),
    ];
    let text: String = mails.iter().map(|m| format!("From someone@example Mon Jan  1 00:00:00 2026\n{m}\n")).collect();
    std::fs::write(&mbox, text).unwrap();
    let out = desk.ok(&["import", mbox.to_str().unwrap()]);
    assert!(out.contains("2 new tickets"), "{out}");

    let first = ticket(&desk, 1);
    assert_eq!(tags(&first), ["care"], "tagged by the mailbox it was sent to");
    assert_eq!(first["priority"], "normal");
    assert_eq!(by(&first, "rule:care mail is tagged"), ["tag care"]);
    let reply = &first["messages"][1];
    assert_eq!((reply["kind"].as_str(), reply["author"].as_str()), (Some("reply"), Some("rule:acknowledge")));
    assert!(reply["body"].as_str().unwrap().contains("Hi text,\n\nWe have your message about \"test text only mail\""));
    assert_eq!(by(&first, "rule:acknowledge"), ["auto_reply 2"]);
    assert_eq!(first["status"], "new", "an automatic answer is not the desk's response");
    assert!(first["first_response_at"].is_null());

    let machine = ticket(&desk, 2);
    assert_eq!(machine["messages"][0]["kind"], "system");
    assert!(by(&machine, "rule:acknowledge").is_empty(), "no canned reply to an auto-reply");
    assert_eq!(outbox_tickets(&desk), [1, 3, 4], "acknowledged: every customer, not the machine");

    let vip = ticket(&desk, 3);
    assert_eq!(vip["priority"], "high", "priority by domain");
    assert!(tags(&vip).is_empty(), "sent to support@, not care@");
    let other = ticket(&desk, 4);
    assert_eq!(other["priority"], "normal");
    // The round robin goes on from one `import` process to the next: its turn is in the database.
    let assignees: Vec<Value> = (1..=4).map(|id| ticket(&desk, id)["assignee"].clone()).collect();
    assert_eq!(assignees, ["ana", "ben", "ana", "ben"]);

    // 50 of 60 minutes used on #3, past the target on the fixtures' old tickets, 5 minutes on #4.
    let out = desk.ok(&["rules", "run"]);
    for id in [1, 2, 3] {
        assert!(out.contains(&format!("rule 'escalate at 80%' fired on #{id}: priority urgent")), "{out}");
    }
    assert!(!out.contains("#4"), "{out}");
    let vip = ticket(&desk, 3);
    assert_eq!(vip["priority"], "urgent");
    assert_eq!(tags(&vip), ["escalated"]);
    let note = vip["messages"].as_array().unwrap().iter().find(|m| m["kind"] == "note").unwrap();
    assert_eq!(note["author"], "rule:escalate at 80%");
    assert_eq!(by(&vip, "rule:escalate at 80%"), ["priority urgent", "tag escalated", &format!("note {}", note["id"])]);
    assert_eq!(desk.ok(&["rules", "run"]), "no timed rule is due\n", "each fires once per ticket");
    assert_eq!(ticket(&desk, 4)["priority"], "normal");
}

#[test]
fn rules_run_json_prints_each_rule_fired_and_the_ticket_as_it_left_it() {
    let desk = shop(dead_port());
    for (id, minutes) in [("j1@vip.example", 55), ("j2@vip.example", 5)] {
        let run =
            desk.run(&["import", "-"], &mail("Carla <carla@vip.example>", "care@desk.example", "Refund", id, minutes));
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let fired = desk.json(&["rules", "run", "--json"]);
    let fired = fired.as_array().unwrap();
    assert_eq!(fired.len(), 1, "only #1 is at 80% of its first response: {fired:?}");
    let f = &fired[0];
    assert_eq!(f["rule"], "escalate at 80%");
    let shown = ticket(&desk, 1);
    let note = shown["messages"].as_array().unwrap().iter().find(|m| m["kind"] == "note").unwrap();
    assert_eq!(note["author"], "rule:escalate at 80%");
    let actions: Vec<&str> = f["actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert_eq!(actions, ["priority urgent", "tags +escalated", "note"], "as the text says them");
    assert!(f["left_out"].is_null());
    assert_eq!(f["changed_status"], false);
    let t = &f["ticket"];
    assert_eq!(t["id"], 1);
    for field in ["priority", "status", "tags", "assignee", "subject", "updated_at"] {
        assert_eq!(t[field], shown[field], "{field}");
    }
    assert_eq!(t["priority"], "urgent");
    let listed = desk.json(&["ticket", "list", "--json"]);
    let listed = listed.as_array().unwrap().iter().find(|l| l["id"] == 1).unwrap().clone();
    assert_eq!(t, &listed, "in the shape of ticket list --json");
    assert_eq!(desk.json(&["rules", "run", "--json"]), serde_json::json!([]), "nothing is due now");
}

#[test]
fn serve_mails_the_acknowledgement_and_escalates_in_its_round() {
    let server = SmtpServer::start();
    let desk = shop(server.port);
    let run = desk
        .run(&["import", "-"], &mail("Carla <carla@vip.example>", "care@desk.example", "Refund", "c2@vip.example", 55));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = desk.ok(&["serve", "--once"]);
    assert!(out.contains("1 reply mailed, 0 not"), "{out}");
    assert!(out.contains("1 timed rule fired"), "{out}");
    let received = server.received();
    assert_eq!(received.len(), 1, "{received:?}");
    assert!(received[0].contains("We have your message about \"Refund\" (ticket #1)"), "{}", received[0]);
    assert!(received[0].contains("Automatic reply via Desk Support"), "{}", received[0]);
    assert_eq!(server.recipients()[0], ["carla@vip.example"]);
    let t = ticket(&desk, 1);
    assert_eq!((t["priority"].as_str(), tags(&t)), (Some("urgent"), vec!["care", "escalated"]));
    let out = desk.ok(&["serve", "--once"]);
    assert!(out.contains("0 replies mailed") && out.contains("0 timed rules fired"), "{out}");
}

#[test]
fn serve_once_json_lists_the_timed_rules_its_round_fired() {
    let server = SmtpServer::start();
    let desk = shop(server.port);
    let run = desk
        .run(&["import", "-"], &mail("Carla <carla@vip.example>", "care@desk.example", "Refund", "c4@vip.example", 55));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let round = desk.json(&["serve", "--once", "--json"]);
    assert_eq!((round["mailed"].as_u64(), round["failed"].as_u64()), (Some(1), Some(0)), "the acknowledgement");
    let fired = round["rules_fired"].as_array().unwrap();
    assert_eq!(fired.len(), 1, "{round}");
    assert_eq!(fired[0]["rule"], "escalate at 80%");
    assert_eq!(fired[0]["ticket"]["id"], 1);
    assert_eq!(fired[0]["ticket"]["priority"], ticket(&desk, 1)["priority"]);
    assert_eq!(fired[0]["ticket"]["priority"], "urgent");
    assert_eq!(server.received().len(), 1);
    let round = desk.json(&["serve", "--once", "--json"]);
    assert_eq!((round["mailed"].as_u64(), round["rules_fired"].as_array().map(Vec::len)), (Some(0), Some(0)));
}

#[test]
fn a_rule_never_fires_on_its_own_change() {
    let desk = Desk::with_config(
        "[[rules]]\nname = \"keep it open\"\nwhen = \"status_change\"\n\
         then = { status = \"open\", note = \"Kept open by the rule.\" }\n\
         [[rules]]\nname = \"mark changes\"\nwhen = \"status_change\"\nthen = { tags = [\"moved\"] }\n",
    );
    desk.run(
        &["import", "-"],
        &mail("Carla <carla@shop.example>", "support@desk.example", "Refund", "c3@shop.example", 1),
    );
    desk.ok(&["ticket", "set", "1", "--status", "pending"]);
    let t = ticket(&desk, 1);
    assert_eq!(t["status"], "open", "the rule moved it back");
    assert_eq!(by(&t, "rule:keep it open"), ["status open", "note 2"], "once, not again on its own change");
    assert_eq!(by(&t, "rule:mark changes"), ["tag moved"], "the other rule fires once");
    let notes = t["messages"].as_array().unwrap().iter().filter(|m| m["kind"] == "note").count();
    assert_eq!(notes, 1);
}

#[test]
fn rules_check_names_each_mistake_and_lists_good_rules() {
    let desk = Desk::with_config(
        "[[rules]]\nname = \"tag billing\"\nwhen = \"new_tickets\"\nthen = { tags = [\"billing\"] }\n\
         [[rules]]\nname = \"escalate\"\nwhen = \"clock\"\nthen = { priority = \"hot\", reply = \"No such reply\" }\n",
    );
    std::fs::create_dir_all(desk.path("rules")).unwrap();
    std::fs::write(desk.path("rules/vip.toml"), "[[rules]]\nname = \"vip\"\nwhen = \"new_ticket\"\nif = { tier = \"gold\", colour = \"red\" }\nthen = { priority = \"high\" }\n").unwrap();
    std::fs::write(desk.path("rules/broken.toml"), "[[rules]\nname = \"x\"\n").unwrap();
    let run = desk.run(&["rules", "check"], "");
    assert_eq!(run.code, 1, "{}", run.stdout);
    let (config, folder) =
        (desk.config.as_ref().unwrap().display().to_string(), desk.path("rules").display().to_string());
    let lines: Vec<String> =
        run.stderr.lines().map(|l| l.replace(&config, "config.toml").replace(&folder, "rules")).collect();
    let expected = [
        "rules file config.toml, line 1, rule 'tag billing': when = 'new_tickets' is not one of new_ticket, customer_reply, \
         agent_reply, status_change, clock, breach, no_answer",
        "rules file config.toml, line 5, rule 'escalate': when = \"clock\" needs at = N, the percentage of the target (as in at = 80)",
        "rules file config.toml, line 5, rule 'escalate': then.priority: unknown priority 'hot' (expected one of: low, normal, high, urgent)",
        "rules file config.toml, line 5, rule 'escalate': then.reply: no canned reply is called 'No such reply'; there are: \
         Need more information, Thanks, solved",
    ];
    assert_eq!(lines[..4], expected, "{}", run.stderr);
    assert!(lines[4].starts_with("rules file rules/broken.toml, line 1: "), "{}", run.stderr);
    assert!(
        lines[5].starts_with(
            "rules file rules/vip.toml, line 1, rule 'vip': unknown field `colour`, expected one of `mailbox`"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(lines[6..], ["frontdesk: 6 mistakes in the rules"], "{}", run.stderr);
    // A mail still comes in while the rules are wrong (an MTA piping it would bounce it), with a warning.
    let run = desk.run(&["import", "-"], &mail("c@shop.example", "support@desk.example", "Hi", "w1@shop.example", 1));
    assert_eq!(run.code, 0);
    assert!(run.stderr.starts_with("warning: rules file "), "{}", run.stderr);
    // The service does not start on wrong rules.
    let run = desk.run(&["serve", "--once"], "");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("and 5 more mistakes; `frontdesk rules check` lists them"), "{}", run.stderr);

    let good = Desk::with_config(RULES);
    std::fs::create_dir_all(good.path("macros")).unwrap();
    std::fs::write(good.path("macros/acknowledge.toml"), ACKNOWLEDGE).unwrap();
    let out = good.ok(&["rules", "check"]);
    let body: Vec<&str> = out.lines().skip(1).collect();
    assert!(out.starts_with("4 rules read from "), "{out}");
    assert_eq!(
        body,
        [
            "  care mail is tagged: when new ticket, if mailbox care, then tags +care",
            "  vip domain is high priority: when new ticket, if from_domain vip.example, then priority high",
            "  acknowledge: when new ticket, if always, then reply 'Acknowledge'",
            "  escalate at 80%: when clock at 80% of the first response target, if always, then priority urgent, tags +escalated, note",
        ]
    );
}

#[test]
fn rules_test_says_which_rules_would_fire_and_why_the_others_would_not_and_changes_nothing() {
    let desk = shop(dead_port());
    let file = desk.path("vip.eml");
    std::fs::write(&file, mail("Carla <carla@vip.example>", "Care <care@desk.example>", "Refund", "t1@vip.example", 1))
        .unwrap();
    let out = desk.ok(&["rules", "test", file.to_str().unwrap()]);
    assert_eq!(
        out,
        "as a new ticket from carla@vip.example (a new customer, tier standard), subject 'Refund':\n\
         \x20 fires care mail is tagged: tags +care\n\
         \x20 fires vip domain is high priority: priority high\n\
         \x20 fires acknowledge: reply 'Acknowledge'\n\
         \x20 no    escalate at 80%: it runs on clock at 80% of the first response target, not a new ticket\n\
         \x20 fires share the load: assign round robin ana, ben\n"
    );
    let auto = Path::new(FIXTURES).join("auto_reply.eml");
    let out = desk.ok(&["rules", "test", auto.to_str().unwrap()]);
    assert!(
        out.contains("  no    care mail is tagged: the mailbox is not 'care' (it came to: replies@example.com)\n"),
        "{out}"
    );
    assert!(
        out.contains("  no    vip domain is high priority: the sender's domain chatwoot.com is not 'vip.example'\n"),
        "{out}"
    );
    assert!(out.contains("  fires acknowledge: nothing (no reply: the mail is auto-reply)\n"), "{out}");
    assert_eq!(desk.json(&["ticket", "list", "--json"]), serde_json::json!([]), "nothing was made");
}

/// A shop whose new tickets from a VIP domain are raised and acknowledged, and whose solved
/// tickets are thanked; mail goes out by SMTP on `port`.
fn acknowledging_shop(port: u16) -> Desk {
    let rules = r#"
[[rules]]
name = "vip first"
when = "new_ticket"
if = { from_domain = "vip.example" }
then = { priority = "high", tags = ["vip"] }

[[rules]]
name = "acknowledge"
when = "new_ticket"
then = { reply = "Acknowledge" }

[[rules]]
name = "thank on solve"
when = "status_change"
if = { status = ["solved"] }
then = { tags = ["thanked"] }
"#;
    let desk = Desk::with_config(&format!("{}{rules}", mail_config(port)));
    std::fs::create_dir_all(desk.path("macros")).unwrap();
    std::fs::write(desk.path("macros/acknowledge.toml"), ACKNOWLEDGE).unwrap();
    desk
}

#[test]
fn ticket_new_runs_the_new_ticket_rules_and_their_reply_goes_out_marked_automatic() {
    let server = SmtpServer::start();
    let desk = acknowledging_shop(server.port);
    let out = desk.ok(&["ticket", "new", "--from", "carla@vip.example", "--subject", "Refund", "--body", "Broken."]);
    assert_eq!(
        out,
        "created ticket #1 for carla@vip.example\n\
         rule 'vip first' fired on #1: priority high, tags +vip\n\
         rule 'acknowledge' fired on #1: reply 'Acknowledge'\n"
    );
    let t = ticket(&desk, 1);
    assert_eq!((t["priority"].as_str(), tags(&t)), (Some("high"), vec!["vip"]));
    assert_eq!(by(&t, "rule:vip first"), ["priority high", "tag vip"]);
    assert_eq!(t["messages"][1]["author"], "rule:acknowledge");
    // --json: stdout is the ticket as the rules left it, what they did is said on stderr.
    let run = desk.run(&["ticket", "new", "--from", "hiro@other.example", "--subject", "Login", "--json"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let made: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!((made["id"].as_i64(), made["priority"].as_str()), (Some(2), Some("normal")), "not a VIP domain");
    assert_eq!(run.stderr, "rule 'acknowledge' fired on #2: reply 'Acknowledge'\n");
    assert_eq!(outbox_tickets(&desk), [1, 2], "acknowledged, queued for the service");

    let out = desk.ok(&["serve", "--once"]);
    assert!(out.contains("2 replies mailed, 0 not"), "{out}");
    let received = server.received();
    assert_eq!(received.len(), 2, "{received:?}");
    for raw in &received {
        let mail = mail_parser::MessageParser::default().parse(raw.as_bytes()).unwrap();
        let header = mail.header_raw("Auto-Submitted").map(str::trim);
        assert_eq!(header, Some("auto-replied"), "RFC 3834: an automatic answer says so\n{raw}");
    }
    // An agent's own reply is no automatic one.
    desk.ok(&["ticket", "reply", "1", "--body", "Refunded."]);
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert!(!received[2].contains("Auto-Submitted"), "{}", received[2]);
}

#[test]
fn a_status_change_rule_fires_on_the_status_it_names_from_ticket_set_and_ticket_reply() {
    let desk = acknowledging_shop(dead_port());
    desk.ok(&["ticket", "new", "--from", "hiro@other.example", "--subject", "Login"]);
    let out = desk.ok(&["ticket", "set", "1", "--status", "pending"]);
    assert!(!out.contains("thank on solve"), "{out}");
    assert!(tags(&ticket(&desk, 1)).is_empty(), "pending is not solved");
    let out = desk.ok(&["ticket", "set", "1", "--status", "solved"]);
    assert!(out.ends_with("rule 'thank on solve' fired on #1: tags +thanked\n"), "{out}");
    assert_eq!(by(&ticket(&desk, 1), "rule:thank on solve"), ["tag thanked"]);

    desk.ok(&["ticket", "new", "--from", "hiro@other.example", "--subject", "Password"]);
    let run = desk.run(&["ticket", "reply", "2", "--body", "Reset it.", "--status", "solved", "--json"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str::<Value>(&run.stdout).expect("stdout stays one JSON document");
    assert!(run.stderr.contains("rule 'thank on solve' fired on #2: tags +thanked\n"), "{}", run.stderr);
    assert_eq!(tags(&ticket(&desk, 2)), ["thanked"]);
}

#[test]
fn rules_check_names_a_status_that_is_not_one_and_reads_active() {
    let desk = Desk::with_config(
        "[[rules]]\nname = \"thank\"\nwhen = \"status_change\"\nif = { status = [\"solved\", \"slved\"] }\n\
         then = { tags = [\"thanked\"] }\n\
         [[rules]]\nname = \"busy\"\nwhen = \"status_change\"\nif = { status = \"active\" }\nthen = { tags = [\"busy\"] }\n",
    );
    let run = desk.run(&["rules", "check"], "");
    assert_eq!(run.code, 1);
    let config = desk.config.as_ref().unwrap().display().to_string();
    assert_eq!(
        run.stderr.replace(&config, "config.toml"),
        "rules file config.toml, line 1, rule 'thank': if.status: 'slved' is not a status; give one of new, open, \
         pending, on_hold, solved, closed, or active\n\
         frontdesk: 1 mistake in the rules\n"
    );
    std::fs::write(desk.config.as_ref().unwrap(), "[[rules]]\nname = \"busy\"\nwhen = \"status_change\"\nif = { status = \"active\" }\nthen = { tags = [\"busy\"] }\n").unwrap();
    let out = desk.ok(&["rules", "check"]);
    assert!(
        out.ends_with("  busy: when status change, if status new or open or pending or on_hold, then tags +busy\n"),
        "{out}"
    );
}

#[test]
fn solving_stale_pending_tickets_fires_the_status_change_rules() {
    let desk = Desk::with_config(
        "[sla]\nsolve_pending_after_days = 0\n\
         [[rules]]\nname = \"thank on solve\"\nwhen = \"status_change\"\nif = { status = \"solved\" }\n\
         then = { tags = [\"thanked\"] }\n",
    );
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "Lamp", "--body", "x"]);
    desk.ok(&["ticket", "set", "1", "--status", "pending"]);
    std::thread::sleep(std::time::Duration::from_millis(5));
    assert_eq!(
        desk.ok(&["ticket", "stale", "--solve"]),
        "solved #1 Lamp\nrule 'thank on solve' fired on #1: tags +thanked\n"
    );
    assert_eq!(by(&ticket(&desk, 1), "rule:thank on solve"), ["tag thanked"]);
}

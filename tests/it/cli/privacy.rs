//! `frontdesk customer export | erase`: everything the desk holds about a customer, handed over as
//! one file; then their personal data removed, from the tables, the indexes and the file's bytes,
//! while reports count their tickets as before.

use crate::support::cli::Desk;
use serde_json::Value;

const CONFIG: &str = "[mail]\naddress = \"support@desk.example\"\n[mail.outbound]\nvia = \"maildir\"\n\
maildir = \"out\"\n[sla]\ncsat_survey = true\n";

/// A mail from Zebedee with a small attachment, words found nowhere else.
const ZEBEDEE_MAIL: &str = "From: Zebedee Quixotic <zebedee.quixotic@marmalade.example>\r\n\
To: support@desk.example\r\nSubject: Wobbly flugelhorn\r\nMessage-ID: <z1@marmalade.example>\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\
Content-Type: text/plain\r\n\r\nMy flugelhorn arrived bent, order xylophonist-4471.\r\n--b\r\n\
Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"../receipt.txt\"\r\n\r\n\
receipt 4471 paid\r\n--b--\r\n";

const OTHER_MAIL: &str = "From: Hiro <hiro@shop.example>\r\nTo: support@desk.example\r\nSubject: Login\r\n\
Message-ID: <h1@shop.example>\r\n\r\nI cannot log in.\r\n";

/// Zebedee's ticket answered, solved (a survey is mailed), rated; an NPS answer; another customer.
fn desk_with_zebedee() -> Desk {
    let desk = Desk::with_config(CONFIG);
    desk.run(&["import", "-"], ZEBEDEE_MAIL);
    desk.run(&["import", "-"], OTHER_MAIL);
    desk.ok(&["ticket", "reply", "1", "--body", "Sorry about the flugelhorn, Zebedee.", "--status", "solved"]);
    desk.ok(&["ticket", "rate", "1", "--csat", "4", "--comment", "Quixotic service"]);
    desk.ok(&["customer", "rate", "1", "--nps", "9"]);
    desk.ok(&["customer", "set", "1", "--notes", "Calls about brass instruments"]);
    desk
}

#[test]
fn an_export_holds_the_profile_tickets_messages_attachments_ratings_surveys_and_history() {
    let desk = desk_with_zebedee();
    let file = desk.path("zebedee.json");
    let said = desk.ok(&["customer", "export", "1", "--output", file.to_str().unwrap()]);
    assert!(said.contains("(1 tickets, 1 attachments)"), "{said}");
    let export: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let customer = &export["customer"];
    assert_eq!(
        (&customer["name"], &customer["emails"][0]),
        (&"Zebedee Quixotic".into(), &"zebedee.quixotic@marmalade.example".into())
    );
    assert_eq!(customer["notes"], "Calls about brass instruments");
    assert_eq!(customer["satisfaction"]["ratings"].as_array().unwrap().len(), 2, "the CSAT and the NPS: {customer}");
    let ticket = &export["tickets"][0];
    assert_eq!(ticket["subject"], "Wobbly flugelhorn");
    assert!(ticket["messages"][0]["body"].as_str().unwrap().contains("xylophonist-4471"));
    assert!(ticket["events"].as_array().unwrap().iter().any(|e| e["field"] == "status"));
    assert_eq!(export["surveys"][0]["ticket"], 1, "{}", export["surveys"]);
    assert!(export["history"].as_array().unwrap().iter().any(|e| e["field"] == "notes"), "{}", export["history"]);
    let attachment = &export["attachments"][0];
    assert_eq!(attachment["name"], "../receipt.txt");
    let saved = desk.path(attachment["file"].as_str().unwrap());
    assert!(saved.starts_with(desk.path("zebedee.json.attachments")), "{}", saved.display());
    assert_eq!(std::fs::read_to_string(&saved).unwrap().trim_end(), "receipt 4471 paid");
    // An existing file is never replaced.
    let before = std::fs::read(&file).unwrap();
    let again = desk.run(&["customer", "export", "1", "--output", file.to_str().unwrap()], "");
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists; nothing was written"), "{}", again.stderr);
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn export_json_names_the_files_written_and_counts_what_is_in_them() {
    let desk = desk_with_zebedee();
    let file = desk.path("zebedee.json");
    let said = desk.json(&["customer", "export", "1", "--output", file.to_str().unwrap(), "--json"]);
    let folder = desk.path("zebedee.json.attachments");
    let same = |printed: &Value, path: &std::path::Path| {
        let printed = std::path::PathBuf::from(printed.as_str().unwrap());
        assert_eq!(printed.canonicalize().unwrap(), path.canonicalize().unwrap());
    };
    same(&said["file"], &file);
    same(&said["attachments_folder"], &folder);
    let export: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(said["tickets"], export["tickets"].as_array().unwrap().len() as u64);
    assert_eq!(said["attachments"], export["attachments"].as_array().unwrap().len() as u64);
    assert_eq!(said["attachments"], std::fs::read_dir(&folder).unwrap().count() as u64);
    assert_eq!((said["tickets"].as_u64(), said["attachments"].as_u64()), (Some(1), Some(1)));

    // Hiro has no attachment: no folder, and null for it.
    let hiro = desk.path("hiro.json");
    let said = desk.json(&["customer", "export", "2", "--output", hiro.to_str().unwrap(), "--json"]);
    assert!(said["attachments_folder"].is_null(), "{said}");
    assert!(!desk.path("hiro.json.attachments").exists());
    assert_eq!((said["tickets"].as_u64(), said["attachments"].as_u64()), (Some(1), Some(0)));
    let again = desk.run(&["customer", "export", "2", "--output", hiro.to_str().unwrap(), "--json"], "");
    assert_eq!((again.code, again.stdout.as_str()), (1, ""), "a refused export prints no JSON");
}

/// Every figure of the report, without the time it was made at.
fn report(desk: &Desk) -> Value {
    let mut report = desk.json(&["report", "--json"]);
    report.as_object_mut().unwrap().retain(|k, _| !k.contains("period") && !k.contains("generated"));
    report
}

fn file_bytes(desk: &Desk) -> Vec<u8> {
    let mut bytes = std::fs::read(&desk.db).unwrap();
    let wal = desk.db.with_extension("db-wal");
    bytes.extend(std::fs::read(wal).unwrap_or_default());
    bytes
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.to_lowercase().into_bytes();
    haystack.to_ascii_lowercase().windows(needle.len()).any(|w| w == needle.as_slice())
}

#[test]
fn an_erase_removes_the_personal_data_everywhere_and_reports_count_as_before() {
    let desk = desk_with_zebedee();
    let words = ["zebedee.quixotic@marmalade.example", "Zebedee", "Quixotic", "flugelhorn", "xylophonist", "brass"];
    for word in words {
        assert!(holds(&file_bytes(&desk), word), "the test's words are in the file first: {word}");
    }
    assert!(desk.json(&["search", "flugelhorn", "--json"])["tickets"].as_array().is_some_and(|t| !t.is_empty()));
    let figures = report(&desk);
    let erased = desk.json(&["customer", "erase", "1", "--yes", "--json"]);
    assert_eq!(
        (&erased["customer"]["name"], &erased["customer"]["emails"]),
        (&"erased customer #1".into(), &serde_json::json!([]))
    );
    assert_eq!(
        (&erased["tickets"], &erased["messages"], &erased["attachments"]),
        (&Value::from(1), &Value::from(2), &Value::from(1))
    );
    for word in ["zebedee.quixotic@marmalade.example", "Zebedee", "flugelhorn", "xylophonist", "Sorry about"] {
        let found = desk.json(&["search", word, "--json"]);
        assert_eq!(found["tickets"], serde_json::json!([]), "search {word}: {found}");
    }
    let bytes = file_bytes(&desk);
    for word in words {
        assert!(!holds(&bytes, word), "the database file still holds {word}");
    }
    let after = report(&desk);
    for key in figures.as_object().unwrap().keys() {
        assert_eq!(after[key], figures[key], "reports count the erased customer's ticket as before: {key}");
    }
    let ticket = desk.json(&["ticket", "show", "1", "--json"]);
    assert_eq!((&ticket["status"], &ticket["subject"]), (&"solved".into(), &"erased".into()));
    let shown = desk.json(&["customer", "show", "1", "--json"]);
    assert_eq!(shown["satisfaction"]["ratings"][0]["comment"], "", "the scores stay, not the comments");
    assert_eq!(shown["satisfaction"]["ratings"].as_array().unwrap().len(), 2);
    let history = desk.json(&["audit", "--customer", "1", "--json"]);
    let last = history.as_array().unwrap().iter().find(|e| e["field"] == "erased").cloned().unwrap();
    assert_eq!((&last["actor"], &last["subject"]), (&"ana".into(), &Value::from(1)));
    // The other customer is untouched.
    assert_eq!(desk.json(&["search", "login", "--json"])["tickets"][0]["id"], 2);
}

#[test]
fn an_erase_is_for_admins_and_asks_first() {
    let desk = desk_with_zebedee();
    desk.ok(&["agent", "add", "bob"]);
    let run = desk.by("bob").run(&["customer", "erase", "1", "--yes"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("erase customers"), "{}", run.stderr);
    let run = desk.run(&["customer", "erase", "1"], "erase\n");
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr.trim(),
        "frontdesk: erasing customer #1 cannot be undone: run it again with --yes (stdin is not a terminal to ask on)"
    );
    assert_eq!(desk.json(&["customer", "show", "1", "--json"])["name"], "Zebedee Quixotic", "nothing was erased");
    assert_eq!(desk.run(&["customer", "erase", "9", "--yes"], "").code, 1, "an unknown customer");
}

/// A mail whose Message-ID holds Zebedee's address, as some mailers make them.
const ZEBEDEE_NAMED_ID: &str = "From: Zebedee Quixotic <zebedee.quixotic@marmalade.example>\r\n\
To: support@desk.example\r\nSubject: Tuba\r\nMessage-ID: <4471.zebedee.quixotic@marmalade.example>\r\n\r\n\
And the tuba.\r\n";

/// A colleague's answer to that mail: its In-Reply-To and References name Zebedee's address.
const BOSS_ANSWERS_ZEBEDEE: &str = "From: Boss <boss@shop.example>\r\n\
To: support@desk.example\r\nSubject: Re: Tuba\r\nMessage-ID: <b1@shop.example>\r\n\
In-Reply-To: <4471.zebedee.quixotic@marmalade.example>\r\n\
References: <a0@shop.example> <4471.zebedee.quixotic@marmalade.example>\r\n\r\nNo tubas.\r\n";

#[test]
fn an_erase_takes_the_address_from_others_cc_and_keeps_only_a_hash_of_ids_that_named_it() {
    let desk = desk_with_zebedee();
    desk.run(&["import", "-"], ZEBEDEE_NAMED_ID);
    // Zebedee's tuba ticket is closed, so the colleague's answer is a new ticket of theirs.
    desk.ok(&["ticket", "set", "3", "--status", "closed"]);
    let answer = desk.run(&["import", "-"], BOSS_ANSWERS_ZEBEDEE);
    assert!(answer.stdout.contains("new ticket: #3 is closed"), "{}{}", answer.stdout, answer.stderr);
    let cc = ["--cc", "Zebedee Q <Zebedee.Quixotic@marmalade.example>", "--cc", "boss@shop.example"];
    desk.ok(&[&["ticket", "reply", "2", "--body", "Copying a colleague."][..], &cc].concat());
    assert!(holds(&file_bytes(&desk), "4471.zebedee.quixotic"), "the Message-ID is in the file first");
    assert!(holds(&file_bytes(&desk), "Zebedee Q"), "and the name in the other customer's Cc");
    desk.ok(&["customer", "erase", "1", "--yes"]);
    let bytes = file_bytes(&desk);
    assert!(!holds(&bytes, "zebedee.quixotic@marmalade.example"), "the address is nowhere in the file");
    assert!(!holds(&bytes, "Zebedee Q"), "nor the name it had in the Cc of the mail to another customer");
    let store = frontdesk::store::Store::open(&desk.db).unwrap();
    let mail = store.ticket_mail(2).unwrap();
    let lists: Vec<_> = mail.messages.values().filter(|m| !m.cc.is_empty()).map(|m| m.cc.clone()).collect();
    assert_eq!(lists, vec![vec!["boss@shop.example".to_string()]], "the other Cc stays");
    let outbox = desk.json(&["outbox", "list", "--all", "--json"]);
    let recipients: Vec<_> = outbox.as_array().unwrap().iter().map(|e| e["recipient"].clone()).collect();
    assert!(recipients.iter().any(|r| r == "hiro@shop.example, boss@shop.example"), "{outbox}");
    // Both of Zebedee's mails, imported again, are still known: no new ticket.
    for mail in [ZEBEDEE_MAIL, ZEBEDEE_NAMED_ID] {
        let again = desk.run(&["import", "-"], mail);
        assert!(again.stdout.contains("1 duplicates"), "{}{}", again.stdout, again.stderr);
    }
    assert_eq!(desk.json(&["ticket", "list", "--json"]).as_array().unwrap().len(), 4);
}

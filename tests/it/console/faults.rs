//! The fault sweep: hostile text in every field a customer, a mail or an agent can fill (subjects,
//! bodies, names, addresses, tags, notes, attachment names, agent names), pushed through every
//! output: every screen and overlay of the console (the real backend's bytes), the window title,
//! OSC 52 copies, every human CLI output (stdout and stderr) and the log file. No control byte
//! from data may reach any of them, and bidi overrides are shown as `<U+202E>`.
//!
//! The lists below are the sweep: a new command (from `frontdesk --help`) or a new overlay kind
//! fails here until it is added to them.

use crate::support::cli::Desk;
use frontdesk::app::headless::{key, Headless};
use frontdesk::app::model::message::Msg;
use frontdesk::app::model::overlay::OverlayKind;
use frontdesk::app::model::views::View;
use frontdesk::store::Store;
use std::collections::BTreeSet;

/// OSC 0, 8 and 52, CSI (one that makes the terminal answer), DCS, C1 controls as characters,
/// bidi overrides and isolates, NUL, DEL, BEL.
const HOSTILE: &str =
    "A\x1b]0;pwned\x07B\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\C\x1b]52;c;cm0gLXJmIH4=\x07\
D\x1b[2J\x1b[6n\x1b[31mE\x1bP1$r\x1b\\F\u{9b}31m\u{9d}0;x\u{9c}\u{85}G\u{202e}cod.exe\u{2066}H\u{2069}\0I\x7fJ\x08K";

/// The same without NUL, for the command line (no argument can hold one).
fn hostile_arg() -> String {
    HOSTILE.replace('\0', "")
}

/// A mail whose headers and body carry raw 8-bit bytes (invalid UTF-8, a raw 0x9b CSI), escape
/// sequences, bidi overrides, a 5 MB line and an attachment with a hostile file name.
fn hostile_mail() -> Vec<u8> {
    let mut mail = Vec::new();
    mail.extend_from_slice(b"From: \"Mal\x1b]0;x\x07lory \xe2\x80\xae\" <carla@shop.example>\r\n");
    mail.extend_from_slice(
        b"To: support@example.com\r\nSubject: Raw \x9b31m \xff\xfe bytes \x1b[2J\xe2\x80\xae end\r\n",
    );
    mail.extend_from_slice(b"Message-ID: <hostile-1@evil.example>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n");
    mail.extend_from_slice(b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n--XX\r\n");
    mail.extend_from_slice(
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nraw \x9b2J and \xc2\x9b2J and \x00 nul \xff\r\n",
    );
    mail.extend_from_slice(HOSTILE.as_bytes());
    mail.extend_from_slice(b"\r\n");
    mail.extend(std::iter::repeat_n(b'x', 5 * 1024 * 1024));
    mail.extend_from_slice(b"\x1b]52;c;aGk=\x07 end of the long line\r\n--XX\r\n");
    mail.extend_from_slice(b"Content-Type: text/plain\r\nContent-Disposition: attachment; filename=\"inv\x1b[2Jo\xe2\x80\xaeice.txt\"\r\n\r\n");
    mail.extend_from_slice(b"attached\r\n--XX--\r\n");
    mail
}

/// A desk with hostile text everywhere, written the way users and mail write it.
fn hostile_desk() -> Desk {
    let desk = Desk::with_config("[mail]\naddress = \"support@example.com\"\n");
    let text = hostile_arg();
    desk.ok(&["agent", "add", "bob", "--name", &text]);
    let created = desk.run(
        &[
            "ticket",
            "new",
            "--from",
            "carla@shop.example",
            "--name",
            &text,
            "--subject",
            &text,
            "--tag",
            "vip",
            "--body",
            &text,
        ],
        "",
    );
    assert_eq!(created.code, 0, "{}", created.stderr);
    // A hostile tag may be refused; either way the refusal is checked below with every output.
    let _ = desk.run(&["ticket", "set", "1", "--tag", &text], "");
    desk.ok(&["ticket", "reply", "1", "--note", "--body", &text]);
    desk.ok(&["ticket", "set", "1", "--assign", "bob"]);
    desk.ok(&["customer", "set", "1", "--notes", &text]);
    // The same hostile name at another address: a customer to merge with.
    desk.ok(&["ticket", "new", "--from", "mal@evil.example", "--name", &text, "--subject", &text]);
    let mail = desk.path("hostile.eml");
    std::fs::write(&mail, hostile_mail()).unwrap();
    let imported = desk.run(&["import", mail.to_str().unwrap()], "");
    assert_eq!(imported.code, 0, "{}{}", imported.stdout, imported.stderr);
    desk
}

// ---------------------------------------------------------------------------------------------
// What counts as a leak.

/// Characters no output may carry from data: C0 but newline, DEL, C1, and the invisible format
/// characters the display rules show as `<U+…>` (bidi controls, isolates, zero-width marks).
fn forbidden(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\n')
        || (0x7f..=0x9f).contains(&u)
        || matches!(u, 0x200B..=0x200F | 0x202A..=0x202E | 0x2066..=0x2069 | 0xFEFF)
}

/// The first forbidden character in plain text (a CLI's output, a log), with its neighbours.
fn leak_in_text(text: &[u8]) -> Option<String> {
    let Ok(text) = std::str::from_utf8(text) else { return Some("output is not UTF-8".into()) };
    let chars: Vec<char> = text.chars().collect();
    let at = chars.iter().position(|c| forbidden(*c))?;
    Some(format!("{:?}", chars[at.saturating_sub(40)..(at + 40).min(chars.len())].iter().collect::<String>()))
}

/// The first byte of a console frame that is neither text nor one of the sequences the console
/// itself sends: cursor moves (H, C, D), SGR (m), cursor visibility and synchronized output
/// (`?25`, `?2026`), the title (OSC 2) and OSC 52, each ended by ST.
fn leak_in_frame(bytes: &[u8]) -> Option<String> {
    let Ok(text) = std::str::from_utf8(bytes) else { return Some("frame is not UTF-8".into()) };
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let here = || format!("{:?}", rest.chars().take(60).collect::<String>());
        if c == '\x1b' {
            let Some(len) = own_sequence(rest) else { return Some(here()) };
            rest = &rest[len..];
        } else if forbidden(c) && c != '\r' {
            return Some(here());
        } else {
            rest = &rest[c.len_utf8()..];
        }
    }
    None
}

/// The length of the console's own escape sequence at the start of `s`, if it is one.
fn own_sequence(s: &str) -> Option<usize> {
    if let Some(params) = s.strip_prefix("\x1b[") {
        let end = params.find(|c: char| !(c.is_ascii_digit() || c == ';' || c == '?'))?;
        let (p, last) = (&params[..end], params[end..].chars().next()?);
        let ok = match last {
            'H' | 'C' | 'D' | 'm' => !p.contains('?'),
            'h' | 'l' => p == "?25" || p == "?2026",
            _ => false,
        };
        return ok.then_some(2 + end + 1);
    }
    let payload = s.strip_prefix("\x1b]2;").or_else(|| s.strip_prefix("\x1b]52;c;"))?;
    let end = payload.find("\x1b\\")?;
    let inner = &payload[..end];
    let safe = !inner.chars().any(forbidden);
    safe.then_some(s.len() - payload.len() + end + 2)
}

#[test]
fn the_leak_detectors_catch_what_they_are_for() {
    assert!(leak_in_text("fine\n^[[2J <U+202E>".as_bytes()).is_none());
    for bad in ["\x1b[2J", "x\u{9b}", "\u{202e}", "\0", "a\x07"] {
        assert!(leak_in_text(bad.as_bytes()).is_some(), "{bad:?}");
    }
    assert!(leak_in_frame(b"\x1b[?2026h\x1b[3;4H\x1b[0;7;36mok\r\n\x1b[2C\x1b]2;#1 t\x1b\\\x1b[?2026l").is_none());
    for bad in ["\x1b[2J", "\x1b[6n", "\x1b]8;;x\x1b\\", "\x1bP1$r", "\x1b]2;a\x07b\x1b\\", "\u{9b}", "a\u{202e}"] {
        assert!(leak_in_frame(bad.as_bytes()).is_some(), "{bad:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The console: every screen and overlay, through the real backend's bytes.

/// Each step: the keys, and the overlay it leaves open (if any), so every overlay kind is visited.
const CONSOLE_STEPS: &[(&str, Option<OverlayKind>)] = &[
    ("", None),
    ("Enter", None),
    ("?", Some(OverlayKind::Help)),
    ("Esc :", Some(OverlayKind::Palette)),
    ("Esc s", Some(OverlayKind::Status)),
    ("Esc p", Some(OverlayKind::Priority)),
    ("Esc a", Some(OverlayKind::Assign)),
    ("Esc t", Some(OverlayKind::Tags)),
    ("Esc z", Some(OverlayKind::Snooze)),
    ("Esc R", Some(OverlayKind::Rate)),
    ("Esc : m e r g e _ t i c k e t Enter", Some(OverlayKind::Merge)),
    ("Esc 3 M", Some(OverlayKind::MergeCustomer)),
    ("Esc Esc 2 d", Some(OverlayKind::SaveAttachment)),
    ("Esc o", Some(OverlayKind::OpenAttachment)),
    ("Esc r C-t", Some(OverlayKind::Macro)),
    ("Esc Esc Esc : d e l e t e Enter", Some(OverlayKind::Confirm)),
    ("Esc Esc Esc g A", Some(OverlayKind::Agents)),
    ("Enter", None),
    ("Esc Esc Esc 1 j", None),
    ("k Enter 3 j j", None),
    ("o", None),
    ("Esc", None),
    ("Esc 1 c", None),
    ("Esc Esc 1 / x", None),
    ("Esc y", None),
    ("S x Enter", None),
];

const EVERY_OVERLAY: &[OverlayKind] = &[
    OverlayKind::Help,
    OverlayKind::Palette,
    OverlayKind::Status,
    OverlayKind::Priority,
    OverlayKind::Assign,
    OverlayKind::Tags,
    OverlayKind::Snooze,
    OverlayKind::Rate,
    OverlayKind::Macro,
    OverlayKind::Merge,
    OverlayKind::MergeCustomer,
    OverlayKind::SaveAttachment,
    OverlayKind::OpenAttachment,
    OverlayKind::Confirm,
    OverlayKind::Agents,
];

/// Every variant of `OverlayKind` is in `EVERY_OVERLAY` (this match stops compiling otherwise).
fn listed(kind: OverlayKind) -> bool {
    match kind {
        OverlayKind::Help
        | OverlayKind::Palette
        | OverlayKind::Status
        | OverlayKind::Priority
        | OverlayKind::Assign
        | OverlayKind::Tags
        | OverlayKind::Snooze
        | OverlayKind::Rate
        | OverlayKind::Macro
        | OverlayKind::Merge
        | OverlayKind::MergeCustomer
        | OverlayKind::SaveAttachment
        | OverlayKind::OpenAttachment
        | OverlayKind::Confirm
        | OverlayKind::Agents => EVERY_OVERLAY.contains(&kind),
    }
}

fn press_all(console: &mut Headless, keys: &str, frames: &mut Vec<(String, Vec<u8>)>) {
    for name in keys.split(' ').filter(|k| !k.is_empty()) {
        console.press(key(name)).unwrap();
        frames.push((format!("{keys} (at {name})"), console.last_bytes.clone()));
    }
}

#[test]
fn no_control_byte_from_data_reaches_the_terminal_on_any_screen_or_overlay() {
    let desk = hostile_desk();
    let store = Store::open(&desk.db).unwrap();
    let agent = store.agent("ana").unwrap().unwrap();
    let mut console = Headless::start(store, agent, View::All, (120, 40), chrono::Utc::now()).unwrap();
    let mut frames = vec![("first frame".to_string(), console.last_bytes.clone())];
    let mut seen = BTreeSet::new();
    for (keys, overlay) in CONSOLE_STEPS {
        press_all(&mut console, keys, &mut frames);
        let open = console.app.state.overlay.as_ref().map(|o| o.kind);
        assert_eq!(open, *overlay, "after {keys:?}: status {:?}", console.app.state.status);
        seen.extend(open.map(|k| format!("{k:?}")));
        let screen = console.screen_text();
        assert!(!screen.chars().any(forbidden), "after {keys:?} the buffer holds a control:\n{screen}");
    }
    // A paste of hostile text into the filter and into a reply, shown as the agent typed it.
    press_all(&mut console, "Esc Esc Esc 1 /", &mut frames);
    console.app.handle(Msg::Paste(HOSTILE.into()));
    console.draw().unwrap();
    frames.push(("paste into the filter".into(), console.last_bytes.clone()));
    press_all(&mut console, "Esc Esc Enter r", &mut frames);
    console.app.handle(Msg::Paste(HOSTILE.into()));
    console.draw().unwrap();
    frames.push(("paste into a reply".into(), console.last_bytes.clone()));
    // A hostile tag typed into the tags picker, and the hostile agent chosen as assignee: the
    // status line, the queue and the conversation then show them.
    press_all(&mut console, "Esc Esc Esc 2 t", &mut frames);
    console.app.handle(Msg::Paste(HOSTILE.into()));
    console.draw().unwrap();
    frames.push(("paste into the tags picker".into(), console.last_bytes.clone()));
    press_all(&mut console, "Enter a b o b Enter 1 j k Enter", &mut frames);
    let screen = console.screen_text();
    assert!(screen.contains("saved: new · normal · bob"), "the status line says what was saved:\n{screen}");
    assert!(!screen.chars().any(forbidden), "the buffer holds a control:\n{screen}");
    for (when, bytes) in &frames {
        if let Some(leak) = leak_in_frame(bytes) {
            panic!("after {when}: data reached the terminal as control bytes at {leak}");
        }
    }
    let missing: Vec<_> = EVERY_OVERLAY.iter().filter(|k| listed(**k) && !seen.contains(&format!("{k:?}"))).collect();
    assert!(missing.is_empty(), "overlays the sweep never opened: {missing:?}");
    let shown = frames.iter().flat_map(|(_, b)| b.iter().copied()).collect::<Vec<u8>>();
    let shown = String::from_utf8_lossy(&shown);
    assert!(shown.contains("<U+202E>"), "bidi overrides are shown as text");
    assert!(shown.contains("\x1b]52;c;"), "the sweep copied through OSC 52");
    let titles: Vec<&str> = shown.split("\x1b]2;").skip(1).filter_map(|t| t.split("\x1b\\").next()).collect();
    assert!(titles.iter().any(|t| t.contains("A^[]0;pwned^GB")), "a title names a hostile ticket as text: {titles:?}");
}

// ---------------------------------------------------------------------------------------------
// The command line: every command's human output, and the log.

/// Every leaf command of `frontdesk --help` with the arguments the sweep runs it with (`{mail}`
/// and `{dir}` are filled in), or `None` for one that prints nothing from the desk.
fn cli_sweep() -> Vec<(&'static str, Option<Vec<&'static str>>)> {
    vec![
        ("init", Some(vec!["init"])),
        ("check", Some(vec!["check"])),
        ("backup", Some(vec!["backup", "{dir}/backup.db"])),
        ("demo", None), // fills a desk with generated text only
        (
            "ticket new",
            Some(vec!["ticket", "new", "--from", "eve@evil.example", "--name", "{hostile}", "--subject", "{hostile}"]),
        ),
        ("ticket list", Some(vec!["ticket", "list"])),
        ("ticket show", Some(vec!["ticket", "show", "1"])),
        ("ticket reply", Some(vec!["ticket", "reply", "1", "--body", "{hostile}"])),
        ("ticket macros", Some(vec!["ticket", "macros"])),
        ("ticket rate", Some(vec!["ticket", "rate", "1", "--csat", "bad", "--comment", "{hostile}"])),
        ("ticket merge", Some(vec!["ticket", "merge", "3", "--into", "1"])),
        ("ticket stale", Some(vec!["ticket", "stale"])),
        ("ticket snooze", Some(vec!["ticket", "snooze", "1", "--until", "2h"])),
        ("ticket set", Some(vec!["ticket", "set", "1", "2", "--priority", "high"])),
        ("ticket delete", Some(vec!["ticket", "delete", "3"])),
        ("customer list", Some(vec!["customer", "list"])),
        ("customer show", Some(vec!["customer", "show", "1"])),
        ("customer set", Some(vec!["customer", "set", "1", "--tier", "gold"])),
        ("customer merge", Some(vec!["customer", "merge", "3", "--into", "1"])),
        ("customer rate", Some(vec!["customer", "rate", "1", "--nps", "3", "--comment", "{hostile}"])),
        ("agent add", Some(vec!["agent", "add", "eve", "--name", "{hostile}"])),
        ("agent list", Some(vec!["agent", "list"])),
        ("agent set", Some(vec!["agent", "set", "eve", "--name", "{hostile}", "--signature", "{hostile}"])),
        ("agent deactivate", Some(vec!["agent", "deactivate", "eve"])),
        ("agent activate", Some(vec!["agent", "activate", "eve"])),
        ("config path", Some(vec!["config", "path"])),
        ("config dump", Some(vec!["config", "dump"])),
        ("search", Some(vec!["search", "pwned"])),
        ("import", Some(vec!["import", "{mail}"])),
        ("quarantine list", Some(vec!["quarantine", "list"])),
        ("quarantine show", Some(vec!["quarantine", "show", "1"])),
        ("quarantine release", Some(vec!["quarantine", "release", "1"])),
        ("attachment save", Some(vec!["attachment", "save", "1", "{dir}/saved"])),
        ("outbox list", Some(vec!["outbox", "list"])),
        ("outbox flush", Some(vec!["outbox", "flush"])),
        ("keys", Some(vec!["keys"])),
        ("completions", None), // a fixed script
        ("man", None),         // a fixed page
        // Commands other branches add; swept here when the binary has them.
        ("audit", Some(vec!["audit"])),
        ("ticket undo", Some(vec!["ticket", "undo", "1"])),
        ("serve", Some(vec!["serve", "--once"])),
        // No mailbox in the sweep's config: one sentence naming none. Its mail lines are import's.
        ("mailbox check", Some(vec!["mailbox", "check", "support"])),
        // The bad ratings' comments are customer text.
        ("report", Some(vec!["report"])),
        // Customer and organization records: names and notes typed by agents, shown back.
        ("customer new", Some(vec!["customer", "new", "--name", "{hostile}", "--email", "new@evil.example"])),
        ("customer email", Some(vec!["customer", "email", "add", "1", "second@evil.example"])),
        ("org new", Some(vec!["org", "new", "{hostile}", "--domain", "evil.example", "--notes", "{hostile}"])),
        ("org list", Some(vec!["org", "list"])),
        ("org show", Some(vec!["org", "show", "1"])),
        ("org set", Some(vec!["org", "set", "1", "--notes", "{hostile}"])),
        ("org delete", Some(vec!["org", "delete", "{hostile}"])),
        ("rules check", Some(vec!["rules", "check"])),
        ("rules test", Some(vec!["rules", "test", "{mail}"])),
        ("rules run", Some(vec!["rules", "run"])),
        // A mail read as a spreadsheet: every bad line is quoted back.
        ("customer import", Some(vec!["customer", "import", "{mail}", "--dry-run"])),
        // Another customer than the hostile one, whose ticket is read again below.
        ("customer export", Some(vec!["customer", "export", "1", "--output", "{dir}/export.json"])),
        ("customer erase", Some(vec!["customer", "erase", "2", "--yes"])),
        // No PostgreSQL in this sweep: nothing listens on port 1, so this is its one sentence
        // (its table of checks prints table names and numbers only).
        (
            "migrate",
            Some(vec!["migrate", "--to", "postgres://desk@127.0.0.1:1/desk?sslmode=disable&connect_timeout=2"]),
        ),
    ]
}

/// The commands `frontdesk --help` lists, with their subcommands: `ticket list`, `search`, …
fn commands_of_the_binary(desk: &Desk) -> Vec<String> {
    fn names(help: &str) -> Vec<String> {
        let commands = help.split("Commands:").nth(1).unwrap_or_default();
        let commands = commands.split("\n\n").next().unwrap_or_default();
        commands
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .filter(|n| *n != "help")
            .map(String::from)
            .collect()
    }
    let mut all = Vec::new();
    for top in names(&desk.ok(&["--help"])) {
        let subs = names(&desk.ok(&[&top, "--help"]));
        if subs.is_empty() {
            all.push(top);
        } else {
            all.extend(subs.into_iter().map(|s| format!("{top} {s}")));
        }
    }
    all
}

#[test]
fn no_control_byte_from_data_reaches_any_command_output_or_the_log() {
    let desk = hostile_desk();
    // A second ticket and customer to merge and delete, and a mail that goes to quarantine.
    desk.ok(&["ticket", "new", "--from", "carla@shop.example", "--subject", "again"]);
    let deep = desk.path("deep.eml");
    let mut nested = String::from("From: x@evil.example\r\nSubject: deep \x1b[2J\r\nMIME-Version: 1.0\r\n");
    for d in 0..60 {
        nested.push_str(&format!("Content-Type: multipart/mixed; boundary=\"b{d}\"\r\n\r\n--b{d}\r\n"));
    }
    nested.push_str("Content-Type: text/plain\r\n\r\n\x1b]0;pwned\x07\r\n");
    std::fs::write(&deep, nested).unwrap();
    let _ = desk.run(&["import", deep.to_str().unwrap()], "");

    let sweep = cli_sweep();
    let binary = commands_of_the_binary(&desk);
    let unswept: Vec<_> = binary.iter().filter(|c| !sweep.iter().any(|(name, _)| name == c)).collect();
    assert!(unswept.is_empty(), "commands the fault sweep does not run (add them to cli_sweep): {unswept:?}");

    let (mail, dir, hostile) = (desk.path("hostile.eml"), desk.dir.path().display().to_string(), hostile_arg());
    let (mut ran, mut leaks) = (0, Vec::new());
    for (name, args) in sweep.iter().filter(|(name, _)| binary.contains(&name.to_string())) {
        let Some(args) = args else { continue };
        let args: Vec<String> = args
            .iter()
            .map(|a| a.replace("{mail}", mail.to_str().unwrap()).replace("{dir}", &dir).replace("{hostile}", &hostile))
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = desk.run(&args, "");
        for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            if let Some(leak) = leak_in_text(text.as_bytes()) {
                leaks.push(format!(
                    "`frontdesk {name}` (exit {}) wrote a control from data to {stream}: {leak}",
                    run.code
                ));
            }
        }
        ran += 1;
    }
    // Hostile input where the command expects something else: the error quotes it as text.
    for args in [
        vec!["ticket", "show", "{hostile}"],
        vec!["ticket", "new", "--from", "{hostile}", "--subject", "x"],
        vec!["ticket", "set", "1", "--status", "{hostile}"],
        vec!["ticket", "set", "1", "--assign", "{hostile}"],
        vec!["ticket", "snooze", "1", "--until", "{hostile}"],
        vec!["ticket", "reply", "1", "--macro", "{hostile}"],
        vec!["ticket", "list", "--tag", "{hostile}"],
        vec!["search", "before:{hostile} {hostile}"],
        vec!["customer", "show", "{hostile}"],
        vec!["agent", "add", "{hostile}"],
        vec!["import", "{dir}/{hostile}"],
        vec!["--as", "{hostile}", "ticket", "list"],
        vec!["{hostile}"],
    ] {
        let args: Vec<String> = args.iter().map(|a| a.replace("{dir}", &dir).replace("{hostile}", &hostile)).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = desk.run(&args, "");
        for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            if let Some(leak) = leak_in_text(text.as_bytes()) {
                leaks.push(format!(
                    "`frontdesk {}` (exit {}) wrote a control to {stream}: {leak}",
                    args.iter().take(2).copied().collect::<Vec<_>>().join(" "),
                    run.code
                ));
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
    assert!(ran >= 30, "only {ran} commands ran");
    let shown = desk.ok(&["ticket", "show", "1"]);
    assert!(shown.contains("<U+202E>") && shown.contains("^[]0;pwned^G"), "{shown}");
    let logs = log_files(&desk.dir.path().join("state"));
    assert!(!logs.is_empty(), "the commands wrote a log");
    for log in logs {
        let text = std::fs::read(&log).unwrap();
        if let Some(leak) = leak_in_text(&text) {
            panic!("the log {} holds a control from data: {leak}", log.display());
        }
    }
}

fn log_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(log_files(&path));
        } else if path.to_string_lossy().contains("log") {
            found.push(path);
        }
    }
    found
}

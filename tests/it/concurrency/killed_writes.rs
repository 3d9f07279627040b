//! Kill -9 in the middle of each kind of write, through the real binary: a shell loop runs one CLI
//! write after another and the whole loop (its process group) is killed at a random moment, many
//! times. After each kill `frontdesk check` passes and every write is whole or absent: a reply with
//! its outbox row and its status change, an import's ticket with its message and attachments, a
//! merge with everything it moves, a bulk change on all its tickets.

use crate::support::cli::Desk;
use rusqlite::Connection;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime};

/// Rounds of each kind: a few seconds each.
const ROUNDS: u64 = 14;

/// A small pseudo-random sequence (the seed is printed, so a failure can be replayed).
struct Moments(u64);

impl Moments {
    fn new() -> Moments {
        let seed = std::env::var("FRONTDESK_KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().subsec_nanos() as u64);
        eprintln!("FRONTDESK_KILL_SEED={seed}");
        Moments(seed | 1)
    }

    /// Milliseconds from `least` to `least + spread`.
    fn next(&mut self, least: u64, spread: u64) -> Duration {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        Duration::from_millis(least + (self.0 >> 33) % spread)
    }
}

/// `script` run by `sh` as the desk's agent `ana`, with `$FD` the binary and `$DB` the database,
/// in a process group of its own so one signal ends the loop and the write it is in.
fn shell_loop(desk: &Desk, script: &str) -> Child {
    let template = desk.command(&[]);
    let mut sh = Command::new("sh");
    sh.arg("-c").arg(script);
    for (key, value) in template.get_envs() {
        match value {
            Some(value) => sh.env(key, value),
            None => sh.env_remove(key),
        };
    }
    sh.env("FD", env!("CARGO_BIN_EXE_frontdesk")).env("DB", &desk.db);
    if let Some(config) = &desk.config {
        sh.env("FRONTDESK_CONFIG", config);
    }
    std::os::unix::process::CommandExt::process_group(&mut sh, 0);
    sh.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap()
}

/// SIGKILL to the loop's whole process group, then reap the shell.
fn kill_group(mut child: Child) {
    // SAFETY: kill(2) with a negative pid signals the process group we created for this child.
    let rc = unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
    assert_eq!(rc, 0, "kill: {}", std::io::Error::last_os_error());
    child.wait().unwrap();
}

/// `frontdesk check` as a user runs it.
fn check(desk: &Desk, round: u64) {
    let run = desk.run(&["check"], "");
    assert_eq!(run.code, 0, "round {round}: check failed: {}{}", run.stdout, run.stderr);
}

fn count(db: &Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |row| row.get(0)).unwrap()
}

/// Kill `script` at random moments `ROUNDS` times; after each kill, check the desk and `whole`.
fn kill_repeatedly(desk: &Desk, script: &str, whole: impl Fn(&Connection, u64)) -> u64 {
    kill_repeatedly_within(desk, script, (40, 160), whole)
}

/// The same, killing `least` to `least + spread` milliseconds after each start.
fn kill_repeatedly_within(
    desk: &Desk,
    script: &str,
    (least, spread): (u64, u64),
    whole: impl Fn(&Connection, u64),
) -> u64 {
    let mut moments = Moments::new();
    for round in 0..ROUNDS {
        let child = shell_loop(desk, script);
        std::thread::sleep(moments.next(least, spread));
        kill_group(child);
        check(desk, round);
        let db = Connection::open(&desk.db).unwrap();
        whole(&db, round);
    }
    ROUNDS
}

fn new_tickets(desk: &Desk, from: &str, n: usize) {
    for k in 0..n {
        desk.ok(&["ticket", "new", "--from", from, "--subject", &format!("Question {k}"), "--body", "Hello?"]);
    }
}

#[test]
fn a_killed_reply_is_stored_with_its_outbox_row_and_its_status_change_or_not_at_all() {
    let desk = Desk::with_config(
        "[mail]\naddress = \"support@example.com\"\n[mail.outbound]\nvia = \"maildir\"\nmaildir = \"outbox\"\n",
    );
    new_tickets(&desk, "carla@shop.example", 1);
    // Each reply sets pending and follows a write back to open: every whole reply is one status event.
    let script = r#"n=0; while :; do n=$((n+1));
        "$FD" --db "$DB" ticket set 1 --status open;
        "$FD" --db "$DB" ticket reply 1 --status pending --body "reply $n"; done"#;
    let rounds = kill_repeatedly_within(&desk, script, (60, 400), |db, round| {
        let replies = count(db, "SELECT COUNT(*) FROM messages WHERE ticket_id = 1 AND kind = 'reply'");
        let without_mail = count(
            db,
            "SELECT COUNT(*) FROM messages m WHERE m.kind = 'reply'
             AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = m.id)",
        );
        let to_pending =
            count(db, "SELECT COUNT(*) FROM events WHERE ticket_id = 1 AND field = 'status' AND new = 'pending'");
        assert_eq!(without_mail, 0, "round {round}: a reply without its outbox row");
        assert_eq!(count(db, "SELECT COUNT(*) FROM outbox"), replies, "round {round}: an outbox row without its reply");
        assert_eq!(to_pending, replies, "round {round}: a reply without its status change, or the reverse");
    });
    let db = Connection::open(&desk.db).unwrap();
    let replies = count(&db, "SELECT COUNT(*) FROM messages WHERE kind = 'reply'");
    eprintln!("{replies} replies whole after {rounds} kills");
    assert!(replies > 0, "the loop never got a reply in: the kills came too early to test anything");
}

/// An mbox of `n` mails from new senders, each with two attachments, numbered from `first`.
fn mbox_with_attachments(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|k| {
            format!(
                "From s{k}@shop.example Mon Nov 23 10:00:00 2026\nFrom: Sender {k} <s{k}@shop.example>\n\
                 To: support@example.com\nSubject: Photos {k}\nMessage-ID: <p{k}@shop.example>\n\
                 Date: Mon, 23 Nov 2026 10:00:00 +0000\nMIME-Version: 1.0\n\
                 Content-Type: multipart/mixed; boundary=\"b{k}\"\n\n--b{k}\nContent-Type: text/plain\n\n\
                 Two photos attached, number {k}.\n--b{k}\nContent-Type: image/png\n\
                 Content-Disposition: attachment; filename=\"one-{k}.png\"\nContent-Transfer-Encoding: base64\n\n\
                 iVBORw0KGgo=\n--b{k}\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"two-{k}.txt\"\n\n\
                 second\n--b{k}--\n\n"
            )
        })
        .collect()
}

#[test]
fn a_killed_import_leaves_each_ticket_with_its_message_and_both_attachments_or_nothing() {
    let desk = Desk::with_admin();
    let mbox = desk.path("photos.mbox");
    std::fs::write(&mbox, mbox_with_attachments(0, 400)).unwrap();
    let script = r#"while :; do "$FD" --db "$DB" import "$DB.mbox-in"; done"#;
    std::fs::copy(&mbox, format!("{}.mbox-in", desk.db.display())).unwrap();
    let (half_way, before) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    kill_repeatedly(&desk, script, |db, round| {
        let bare = count(
            db,
            "SELECT COUNT(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id)",
        );
        let torn = count(
            db,
            "SELECT COUNT(*) FROM messages m WHERE m.kind = 'customer'
             AND (SELECT COUNT(*) FROM attachments a WHERE a.message_id = m.id) != 2",
        );
        assert_eq!(bare, 0, "round {round}: a ticket without its message");
        assert_eq!(torn, 0, "round {round}: a message without both of its attachments");
        let tickets = count(db, "SELECT COUNT(*) FROM tickets");
        let mails = count(db, "SELECT COUNT(*) FROM messages WHERE kind = 'customer'");
        assert_eq!(tickets, mails, "round {round}: one ticket per mail");
        half_way.set(half_way.get() + usize::from(tickets > before.get() && tickets < 400));
        before.set(tickets);
    });
    eprintln!("{} of {ROUNDS} kills stopped an import that was adding tickets", half_way.get());
    let run = desk.run(&["import", mbox.to_str().unwrap()], "");
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let db = Connection::open(&desk.db).unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM tickets"), 400, "the rerun adds what was missing, no duplicates");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM attachments"), 800);
}

#[test]
fn a_killed_merge_moves_the_whole_conversation_or_nothing() {
    let desk = Desk::with_admin();
    new_tickets(&desk, "carla@shop.example", 60);
    for k in 1..=60 {
        desk.ok(&["ticket", "reply", &k.to_string(), "--note", "--body", &format!("note on {k}")]);
    }
    // Merge 60 into 59, 59 into 58, …: each merge moves everything merged before it.
    let script =
        r#"while :; do for k in $(seq 60 -1 2); do "$FD" --db "$DB" ticket merge "$k" --into "$((k-1))"; done; done"#;
    kill_repeatedly(&desk, script, |db, round| {
        // A merged ticket is closed and empty of customer messages and notes; every message is still somewhere.
        let customer = count(db, "SELECT COUNT(*) FROM messages WHERE kind = 'customer'");
        let notes = count(db, "SELECT COUNT(*) FROM messages WHERE kind = 'note'");
        assert_eq!((customer, notes), (60, 60), "round {round}: messages lost or doubled");
        let half = count(
            db,
            "SELECT COUNT(*) FROM tickets t WHERE (t.status = 'closed') =
             EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id AND m.kind IN ('customer', 'note'))",
        );
        assert_eq!(half, 0, "round {round}: a ticket closed with its conversation still in it, or emptied and open");
    });
}

/// A change to several tickets is one write per ticket, by design (one ticket that cannot change
/// stops no other): a kill leaves the first tickets changed, each of them whole with its event.
#[test]
fn a_killed_bulk_change_leaves_each_ticket_whole_and_only_a_first_part_changed() {
    let desk = Desk::with_admin();
    new_tickets(&desk, "carla@shop.example", 12);
    let script =
        r#"n=0; while :; do n=$((n+1)); "$FD" --db "$DB" ticket set 1 2 3 4 5 6 7 8 9 10 11 12 --tag "b$$-$n"; done"#;
    kill_repeatedly(&desk, script, |db, round| {
        let unlogged = count(
            db,
            "SELECT COUNT(*) FROM ticket_tags t WHERE NOT EXISTS
             (SELECT 1 FROM events e WHERE e.ticket_id = t.ticket_id AND e.field = 'tag' AND e.new = t.tag)",
        );
        assert_eq!(unlogged, 0, "round {round}: a tag without its event");
        let out_of_order = count(
            db,
            "SELECT COUNT(*) FROM (SELECT tag, COUNT(*) AS n, MAX(ticket_id) AS last FROM ticket_tags GROUP BY tag)
             WHERE n != last",
        );
        assert_eq!(out_of_order, 0, "round {round}: a tag on a later ticket but not on an earlier one");
    });
}

#[test]
fn a_killed_demo_fill_leaves_a_desk_that_passes_check() {
    let desk = Desk::empty();
    let script = r#"while :; do "$FD" --db "$DB" demo --tickets 400; done"#;
    kill_repeatedly(&desk, script, |db, round| {
        let bare = count(
            db,
            "SELECT COUNT(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id)",
        );
        assert_eq!(bare, 0, "round {round}: a generated ticket without its conversation");
    });
}

/// The console in a pseudo-terminal, killed while the agent sets statuses and priorities and sends
/// replies: each change is on its ticket with its event, or on neither.
#[test]
fn a_console_killed_in_the_middle_of_its_writes_leaves_each_change_whole() {
    let desk = Desk::with_admin();
    new_tickets(&desk, "carla@shop.example", 4);
    // Status pending, priority high, a reply sent, status open, the next ticket; over and over.
    let cycle: &[u8] = b"spen\rphig\rrok, looking\x13sope\rplow\rj";
    let mut moments = Moments::new();
    for round in 0..6 {
        let mut console = super::terminals::start_showing(&desk.db, "ana", b"Queue");
        let keys = 8 + moments.next(0, 40).as_millis() as usize;
        console.keys(&cycle.repeat(4)[..keys]);
        console.child.kill().unwrap();
        console.child.wait().unwrap();
        check(&desk, round);
        let db = Connection::open(&desk.db).unwrap();
        for field in ["status", "priority"] {
            let torn = count(
                &db,
                &format!(
                    "SELECT COUNT(*) FROM tickets t JOIN events e ON e.id =
                     (SELECT MAX(id) FROM events WHERE ticket_id = t.id AND field = '{field}')
                     WHERE e.new != t.{field}"
                ),
            );
            assert_eq!(torn, 0, "round {round}: a ticket whose {field} is not what its last event says");
        }
    }
    let db = Connection::open(&desk.db).unwrap();
    let changes = count(&db, "SELECT COUNT(*) FROM events WHERE actor = 'ana' AND field IN ('status', 'priority')");
    eprintln!("{changes} status and priority changes from killed consoles");
    assert!(changes > 0, "the consoles were killed before they changed anything");
}

/// Every kind of write that moves a kept count (creates, imports, status, assignee and tag
/// changes, snoozes, merges, deletes), one after another, killed at random moments: after each
/// kill every tab's, view's and tag's kept count equals a full count of the tickets it lists.
#[test]
fn a_killed_mix_of_writes_leaves_every_kept_count_equal_to_a_full_count() {
    let desk = Desk::with_admin();
    desk.ok(&["agent", "add", "bob", "--name", "Bob"]);
    new_tickets(&desk, "carla@shop.example", 20);
    // Ticket k of the first 20 changes in each round; a new ticket of Carla's is merged into it or
    // deleted; a mail from a new sender opens a ticket and one from Carla answers ticket k.
    let script = r#"n=0; while :; do n=$((n+1)); k=$(( ($$ + n) % 20 + 1 ));
        "$FD" --db "$DB" ticket set "$k" --status pending --assign bob --tag billing;
        "$FD" --db "$DB" ticket snooze "$k" --until 2d;
        printf 'From: Buyer %s <b%s-%s@mail.example>\nSubject: Order %s\nMessage-ID: <o%s-%s@mail.example>\n\nWhere is it?\n' \
            "$n" "$$" "$n" "$n" "$$" "$n" | "$FD" --db "$DB" import -;
        printf 'From: carla@shop.example\nSubject: Re: Question [#%s]\nMessage-ID: <c%s-%s@shop.example>\n\nAny news?\n' \
            "$k" "$$" "$n" | "$FD" --db "$DB" import -;
        id=$("$FD" --db "$DB" ticket new --from carla@shop.example --subject "More $n" --tag vip --body more |
            sed -n 's/^created ticket #\([0-9]*\).*/\1/p');
        if [ $(( ($$ + n) % 2 )) = 0 ]; then "$FD" --db "$DB" ticket merge "$id" --into "$k";
        else "$FD" --db "$DB" ticket delete "$id" --yes; fi;
        "$FD" --db "$DB" ticket set "$k" --status solved --assign none --untag billing --tag vip;
        "$FD" --db "$DB" ticket set "$k" --status open --assign ana --priority high; done"#;
    kill_repeatedly_within(&desk, script, (200, 1200), |_, round| {
        let store = frontdesk::store::Store::open(&desk.db).unwrap();
        crate::store::counts::assert_exact(&store, &format!("kill {round}"));
    });
    let db = Connection::open(&desk.db).unwrap();
    for (what, sql) in [
        ("snoozes", "SELECT COUNT(*) FROM events WHERE field = 'snoozed_until'"),
        (
            "imports",
            "SELECT COUNT(*) FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.name LIKE 'Buyer %'",
        ),
        ("merges", "SELECT COUNT(*) FROM events WHERE field = 'merged_into'"),
        ("deletes", "SELECT COUNT(*) FROM audit WHERE field = 'deleted'"),
        ("status changes", "SELECT COUNT(*) FROM events WHERE field = 'status' AND new = 'solved'"),
    ] {
        let n = count(&db, sql);
        eprintln!("{n} {what} whole after the kills");
        assert!(n > 0, "no {what} got in: the kills came too early to test them");
    }
}

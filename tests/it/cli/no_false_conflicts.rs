//! Writes that do not depend on what the writer saw never fail because another process wrote
//! first: notes, replies without `--expect-last`, tags, assignments without `--expect-version`.

use crate::support::cli::Desk;

#[test]
fn eight_processes_adding_notes_and_tags_to_three_tickets_all_succeed_and_all_are_kept() {
    const PROCESSES: usize = 8;
    const EACH: usize = 60;
    let desk = Desk::with_admin();
    for n in 1..=3 {
        desk.ok(&["ticket", "new", "--from", &format!("c{n}@shop.example"), "--subject", "Busy", "--body", "hi"]);
    }
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..PROCESSES)
            .map(|p| {
                let desk = &desk;
                scope.spawn(move || {
                    let mut failed = Vec::new();
                    for i in 0..EACH {
                        let ticket = ((p + i) % 3 + 1).to_string();
                        let run = if i % 2 == 0 {
                            desk.by("ana").run(&["ticket", "reply", &ticket, "--note", "--body", &format!("p{p} n{i}")])
                        } else {
                            desk.by("ana").run(&["ticket", "set", &ticket, "--tag", &format!("p{p}-t{i}")])
                        };
                        if run.code != 0 {
                            failed.push(format!("process {p}, write {i}: {}", run.stderr.trim()));
                        }
                    }
                    failed
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{} of {} writes failed: {failures:#?}", failures.len(), PROCESSES * EACH);
    let mut notes = 0;
    let mut tags = 0;
    for n in 1..=3 {
        let shown = desk.json(&["ticket", "show", &n.to_string(), "--json"]);
        notes += shown["messages"].as_array().unwrap().iter().filter(|m| m["kind"] == "note").count();
        tags += shown["tags"].as_array().unwrap().len();
    }
    assert_eq!(notes, PROCESSES * EACH / 2, "every note is kept");
    assert_eq!(tags, PROCESSES * EACH / 2, "every tag is kept");
}

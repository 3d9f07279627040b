//! How a failed run ends, seen from outside: the sentence on stderr, the exit code and the log.

use crate::support::cli::{Desk, Run};
use std::fs::File;
use std::process::{Command, Stdio};

const ESC: u8 = 0x1b;

/// The binary as `ana` with these variables set, its output unread unless asked for.
fn command(desk: &Desk, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = desk.command(args);
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).envs(env.iter().copied());
    cmd
}

fn run(desk: &Desk, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = command(desk, args, env).stderr(Stdio::piped()).output().unwrap();
    Run { code: out.status.code().unwrap_or(-1), stdout: String::new(), stderr: String::from_utf8(out.stderr).unwrap() }
}

/// Everything logged so far, every day's file together.
fn logged(desk: &Desk) -> String {
    let folder = desk.dir.path().join("state").join("frontdesk");
    let mut text = String::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("frontdesk.log.20"), "a log file named {name}");
        text.push_str(&std::fs::read_to_string(path).unwrap());
    }
    text
}

#[test]
fn a_missing_ticket_is_one_plain_sentence_and_exit_1() {
    let desk = Desk::with_admin();
    let run = run(&desk, &["ticket", "show", "99999"], &[("NO_COLOR", "1")]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "frontdesk: ticket #99999 does not exist\n");
}

#[test]
fn an_error_quoting_what_was_typed_shows_its_control_characters_as_text() {
    let desk = Desk::with_admin();
    desk.ok(&["ticket", "new", "--from", "a@shop.example", "--subject", "Hi", "--body", "x"]);
    let run = run(&desk, &["ticket", "snooze", "1", "--until", "\x1b]0;pwned\x07 soon"], &[("NO_COLOR", "1")]);
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains('\x1b') && !run.stderr.contains('\x07'), "{:?}", run.stderr);
    assert!(run.stderr.contains("^[]0;pwned^G soon"), "{:?}", run.stderr);
}

#[test]
fn stderr_to_a_file_has_no_colour_even_without_no_color() {
    let desk = Desk::with_admin();
    let err_path = desk.dir.path().join("err");
    let status = command(&desk, &["ticket", "show", "99999"], &[("TERM", "xterm-256color")])
        .stderr(File::create(&err_path).unwrap())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let err = std::fs::read(&err_path).unwrap();
    assert!(!err.contains(&ESC), "{:?}", String::from_utf8_lossy(&err));
    assert_eq!(String::from_utf8(err).unwrap().lines().count(), 1);
}

#[test]
fn the_log_has_the_failure_as_plain_text() {
    let desk = Desk::with_admin();
    run(&desk, &["ticket", "show", "99999"], &[]);
    let log = logged(&desk);
    assert!(!log.as_bytes().contains(&ESC), "{log}");
    let line = log.lines().find(|l| l.contains("ERROR")).unwrap_or_else(|| panic!("no error line in {log}"));
    assert!(line.ends_with("ticket #99999 does not exist"), "{line}");
    assert!(!log.contains("backtrace") && !log.contains("Location:"), "{log}");
}

#[test]
fn the_log_has_the_whole_chain_and_stderr_only_the_sentence() {
    let mut desk = Desk::with_admin();
    desk.db = desk.dir.path().join("a-folder"); // SQLite cannot open a folder
    std::fs::create_dir(&desk.db).unwrap();
    let run = run(&desk, &["ticket", "list"], &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    let sentence = run.stderr.trim_end().strip_prefix("frontdesk: ").unwrap();
    assert!(sentence.starts_with("cannot open the database"), "{sentence}");
    let log = logged(&desk);
    let line = log.lines().find(|l| l.contains("ERROR")).unwrap();
    let (_, logged) = line.split_once(sentence).unwrap_or_else(|| panic!("{line}"));
    assert!(logged.starts_with(": "), "the causes follow the sentence: {line}");
}

#[test]
fn frontdesk_log_sets_the_level_and_a_bad_value_means_info() {
    let desk = Desk::with_admin();
    let info_lines = |log: &str| log.lines().filter(|l| l.contains(" INFO ")).count();
    let before = info_lines(&logged(&desk));
    assert!(before > 0, "info is the default: {}", logged(&desk));
    run(&desk, &["ticket", "show", "99999"], &[("FRONTDESK_LOG", "warn")]);
    let log = logged(&desk);
    assert_eq!(info_lines(&log), before, "{log}");
    assert!(log.contains("ERROR"), "{log}");
    let run = run(&desk, &["ticket", "list"], &[("FRONTDESK_LOG", "loud")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let log = logged(&desk);
    assert_eq!(info_lines(&log), before + 1, "{log}");
    assert!(log.contains("FRONTDESK_LOG=\"loud\" is not a level"), "{log}");
}

#[test]
fn a_usage_error_exits_2() {
    let desk = Desk::with_admin();
    assert_eq!(run(&desk, &["ticket", "show", "not-a-number"], &[]).code, 2);
}

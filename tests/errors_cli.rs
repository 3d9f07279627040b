//! How a failed run ends, seen from outside: the sentence on stderr, the exit code and the log.

use std::fs::File;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const ESC: u8 = 0x1b;

/// A temp desk with every home folder inside it and `ana` as its first admin.
struct Desk {
    dir: tempfile::TempDir,
    db: PathBuf,
}

struct Run {
    code: i32,
    stderr: String,
}

impl Desk {
    fn new() -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.db");
        let desk = Desk { dir, db };
        assert_eq!(desk.run(&["init"], &[]).code, 0);
        desk
    }

    fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let home = self.dir.path();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_frontdesk"));
        cmd.arg("--db").arg(&self.db).args(args).stdin(Stdio::null()).stdout(Stdio::null());
        for var in ["FRONTDESK_DB", "FRONTDESK_CONFIG", "FRONTDESK_LOG", "LOGNAME", "NO_COLOR"] {
            cmd.env_remove(var);
        }
        cmd.env("HOME", home).env("USER", "ana");
        for (var, sub) in [("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_STATE_HOME", "state")] {
            cmd.env(var, home.join(sub));
        }
        cmd.envs(env.iter().copied());
        cmd
    }

    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let out = self.command(args, env).stderr(Stdio::piped()).output().unwrap();
        Run { code: out.status.code().unwrap_or(-1), stderr: String::from_utf8(out.stderr).unwrap() }
    }

    /// Everything logged so far, every day's file together.
    fn log(&self) -> String {
        let folder = self.dir.path().join("state").join("frontdesk");
        let mut text = String::new();
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(name.starts_with("frontdesk.log.20"), "a log file named {name}");
            text.push_str(&std::fs::read_to_string(path).unwrap());
        }
        text
    }
}

#[test]
fn a_missing_ticket_is_one_plain_sentence_and_exit_1() {
    let desk = Desk::new();
    let run = desk.run(&["ticket", "show", "99999"], &[("NO_COLOR", "1")]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "frontdesk: ticket #99999 does not exist\n");
}

#[test]
fn stderr_to_a_file_has_no_colour_even_without_no_color() {
    let desk = Desk::new();
    let err_path = desk.dir.path().join("err");
    let status = desk
        .command(&["ticket", "show", "99999"], &[("TERM", "xterm-256color")])
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
    let desk = Desk::new();
    desk.run(&["ticket", "show", "99999"], &[]);
    let log = desk.log();
    assert!(!log.as_bytes().contains(&ESC), "{log}");
    let line = log.lines().find(|l| l.contains("ERROR")).unwrap_or_else(|| panic!("no error line in {log}"));
    assert!(line.ends_with("ticket #99999 does not exist"), "{line}");
    assert!(!log.contains("backtrace") && !log.contains("Location:"), "{log}");
}

#[test]
fn the_log_has_the_whole_chain_and_stderr_only_the_sentence() {
    let mut desk = Desk::new();
    desk.db = desk.dir.path().join("a-folder"); // SQLite cannot open a folder
    std::fs::create_dir(&desk.db).unwrap();
    let run = desk.run(&["ticket", "list"], &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    let sentence = run.stderr.trim_end().strip_prefix("frontdesk: ").unwrap();
    assert!(sentence.starts_with("cannot open the database"), "{sentence}");
    let log = desk.log();
    let line = log.lines().find(|l| l.contains("ERROR")).unwrap();
    let (_, logged) = line.split_once(sentence).unwrap_or_else(|| panic!("{line}"));
    assert!(logged.starts_with(": "), "the causes follow the sentence: {line}");
}

#[test]
fn frontdesk_log_sets_the_level_and_a_bad_value_means_info() {
    let desk = Desk::new();
    let info_lines = |log: &str| log.lines().filter(|l| l.contains(" INFO ")).count();
    let before = info_lines(&desk.log());
    assert!(before > 0, "info is the default: {}", desk.log());
    desk.run(&["ticket", "show", "99999"], &[("FRONTDESK_LOG", "warn")]);
    let log = desk.log();
    assert_eq!(info_lines(&log), before, "{log}");
    assert!(log.contains("ERROR"), "{log}");
    let run = desk.run(&["ticket", "list"], &[("FRONTDESK_LOG", "loud")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let log = desk.log();
    assert_eq!(info_lines(&log), before + 1, "{log}");
    assert!(log.contains("FRONTDESK_LOG=\"loud\" is not a level"), "{log}");
}

#[test]
fn a_usage_error_exits_2() {
    let desk = Desk::new();
    assert_eq!(desk.run(&["ticket", "show", "not-a-number"], &[]).code, 2);
}

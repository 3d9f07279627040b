//! What packagers run at build time: the completion scripts and the man page, with no desk at all.

use std::path::Path;
use std::process::{Command, Output};

/// Run with every home folder in `home` (which stays empty if nothing is created).
fn run(home: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_frontdesk"));
    cmd.args(args).env_remove("FRONTDESK_DB").env_remove("FRONTDESK_CONFIG").env("HOME", home);
    for (var, sub) in [("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_STATE_HOME", "state")] {
        cmd.env(var, home.join(sub));
    }
    cmd.output().unwrap()
}

fn ok(home: &Path, args: &[&str]) -> String {
    let out = run(home, args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn completion_scripts_name_the_commands_and_create_nothing() {
    let home = tempfile::tempdir().unwrap();
    let bash = ok(home.path(), &["completions", "bash"]);
    assert!(bash.contains("frontdesk") && bash.contains("ticket"), "{bash}");
    assert!(ok(home.path(), &["completions", "zsh"]).contains("#compdef frontdesk"));
    assert!(ok(home.path(), &["completions", "fish"]).contains("complete -c frontdesk"));
    let db = home.path().join("desk.db");
    ok(home.path(), &["--db", db.to_str().unwrap(), "completions", "bash"]);
    assert_eq!(std::fs::read_dir(home.path()).unwrap().count(), 0, "no folder, database or log");
}

#[test]
fn the_man_page_is_roff_and_names_the_commands() {
    let home = tempfile::tempdir().unwrap();
    let page = ok(home.path(), &["man"]);
    // clap_mangen defines the apostrophe string (`.ie`/`.el`) before the title.
    let first = page.lines().find(|l| !l.starts_with(".ie ") && !l.starts_with(".el ")).unwrap();
    assert!(first.starts_with(".TH frontdesk 1"), "{first}");
    for command in ["ticket", "import", "completions", "man"] {
        assert!(page.contains(&format!("frontdesk\\-{command}(1)")), "{command} missing from the page");
    }
    assert_eq!(std::fs::read_dir(home.path()).unwrap().count(), 0);
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    let out = run(home.path(), &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

//! `frontdesk demo` and the demo database behind `--demo`.

use super::identity::{acting_agent, os_login, require_admin};
use super::output::write_json;
use super::CliError;
use crate::config::Paths;
use crate::demo::{generate, DemoOptions, DemoSummary, DEMO_SEED, DEMO_TICKETS, DESK_CONFIG, DESK_MACROS};
use crate::domain::Role;
use crate::store::Store;
use chrono::Utc;
use clap::Args;
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::Path;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many tickets to generate.
    #[arg(long, default_value_t = DEMO_TICKETS)]
    tickets: usize,
    /// The random seed: the same seed gives the same desk.
    #[arg(long, default_value_t = DEMO_SEED)]
    seed: u64,
    /// Print the database and what was generated in it, as JSON.
    #[arg(long)]
    json: bool,
}

/// `demo --json`: the database filled and what this run generated in it.
#[derive(Debug, Serialize)]
struct DemoJson {
    db: String,
    tickets: usize,
    customers: usize,
    organizations: usize,
    messages: usize,
    agents: usize,
    seed: u64,
}

/// `frontdesk demo`: fill the database (admins only) with generated tickets.
pub fn run(
    store: &Store,
    config: &crate::config::Config,
    args: &DemoArgs,
    as_login: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let agent = acting_agent(store, as_login)?;
    require_admin(&agent, "fill the desk with demo data")?;
    // The demo's organizations and customers would collide with those it made before.
    let held = store.count_tickets(&crate::domain::TicketFilter::default())?;
    if held > 0 {
        return Err(CliError::Refused(format!(
            "{} already holds {held} tickets; demo fills an empty desk (name a new one with --db)",
            store.path().display()
        )));
    }
    let made = fill(store, args.tickets, args.seed, &agent.login)?;
    settle(store, config)?;
    if args.json {
        let DemoSummary { tickets, customers, organizations, messages, agents } = made;
        let db = store.path().display().to_string();
        return write_json(out, &DemoJson { db, tickets, customers, organizations, messages, agents, seed: args.seed });
    }
    writeln!(out, "filled {} with {} demo tickets (seed {})", store.path().display(), args.tickets, args.seed)?;
    Ok(())
}

/// The first use of the demo database: fill it and make the current login one of its admins.
pub fn fill_first_demo(store: &Store) -> Result<(), CliError> {
    let login = os_login()?;
    fill(store, DEMO_TICKETS, DEMO_SEED, &login)?;
    if store.agent(&login)?.is_none() {
        store.add_agent(&login, None, Role::Admin)?;
    }
    Ok(())
}

fn fill(store: &Store, tickets: usize, seed: u64, login: &str) -> Result<DemoSummary, CliError> {
    let options = DemoOptions { tickets, seed, now: Utc::now(), agents: vec![login.to_string()] };
    let show_progress = std::io::stderr().is_terminal();
    let mut progress = |done: usize| {
        if show_progress {
            eprint!("\rgenerating demo data: {done} of {tickets} tickets");
        }
    };
    let result = generate(store, &options, &mut progress);
    if show_progress {
        eprintln!();
    }
    Ok(result?)
}

/// Work out what the desk's first commands would otherwise work out from every ticket's events,
/// under `config`'s SLA rules: the due times (which the first list in due order waited for: 50 s
/// at 1,000,000 tickets) and every ticket's report figures (the first report: 36.7 s).
fn settle(store: &Store, config: &crate::config::Config) -> Result<(), CliError> {
    let (policies, default_hours) = (config.sla_policies(), config.sla_hours());
    let show_progress = std::io::stderr().is_terminal();
    if show_progress {
        eprint!("working out every ticket's due times and report figures…");
    }
    store.refresh_all_due(&policies)?;
    let rules = crate::domain::report::Rules { policies: &policies, default_hours: &default_hours, now: Utc::now() };
    store.refresh_report_facts(&rules)?;
    if show_progress {
        eprintln!(" done");
    }
    Ok(())
}

/// The demo's own config, on first use: `config.toml` and its canned replies in `macros/`, where
/// `paths` says. Nothing is written once the config is there, so an edited one is kept; a file
/// already in `macros/` is never replaced.
pub fn write_demo_config(paths: &Paths) -> Result<(), CliError> {
    if !paths.demo_config || paths.config.exists() {
        return Ok(());
    }
    let folder = paths.config.parent().unwrap_or(Path::new("."));
    let macros = folder.join("macros");
    let cannot = |path: &Path, e: std::io::Error| {
        CliError::Refused(format!("cannot write the demo config {}: {e}", path.display()))
    };
    std::fs::create_dir_all(&macros).map_err(|e| cannot(&macros, e))?;
    for (name, text) in DESK_MACROS {
        write_new(&macros.join(name), text).map_err(|e| cannot(&macros.join(name), e))?;
    }
    // The config last, whole or not at all: should anything fail, the next run tries again.
    let partial = folder.join("config.toml.partial");
    std::fs::write(&partial, DESK_CONFIG)
        .and_then(|()| std::fs::rename(&partial, &paths.config))
        .map_err(|e| cannot(&paths.config, e))?;
    tracing::info!(config = %paths.config.display(), "wrote the demo config");
    Ok(())
}

/// Write `text` to a new file; a file already there is kept as it is.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(mut file) => file.write_all(text.as_bytes()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_paths(data: &Path) -> Paths {
        Paths {
            db: data.join("demo.db"),
            config: data.join("demo").join("config.toml"),
            config_required: false,
            demo_config: true,
            data_dir: data.to_path_buf(),
            state_dir: data.join("state"),
        }
    }

    #[test]
    fn the_demo_config_is_written_once_and_files_already_there_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let paths = demo_paths(dir.path());
        let greeting = dir.path().join("demo").join("macros").join("greeting.toml");
        std::fs::create_dir_all(greeting.parent().unwrap()).unwrap();
        std::fs::write(&greeting, "mine").unwrap();
        write_demo_config(&paths).unwrap();
        assert_eq!(std::fs::read_to_string(&paths.config).unwrap(), DESK_CONFIG);
        assert_eq!(std::fs::read_to_string(&greeting).unwrap(), "mine");
        assert!(greeting.with_file_name("order-number.toml").is_file());
        std::fs::write(&paths.config, "# edited\n").unwrap();
        std::fs::remove_file(greeting.with_file_name("order-number.toml")).unwrap();
        write_demo_config(&paths).unwrap();
        assert_eq!(std::fs::read_to_string(&paths.config).unwrap(), "# edited\n");
        assert!(!greeting.with_file_name("order-number.toml").exists(), "a deleted reply stays deleted");
    }

    #[test]
    fn a_named_config_is_never_written() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths { demo_config: false, ..demo_paths(dir.path()) };
        write_demo_config(&paths).unwrap();
        assert!(!paths.config.exists());
    }
}

//! `frontdesk demo` and the demo database behind `--demo`.

use super::identity::{acting_agent, os_login, require_admin};
use super::CliError;
use crate::demo::{generate, DemoOptions, DEMO_SEED, DEMO_TICKETS};
use crate::domain::Role;
use crate::store::Store;
use chrono::Utc;
use clap::Args;
use std::io::{IsTerminal, Write};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many tickets to generate.
    #[arg(long, default_value_t = DEMO_TICKETS)]
    tickets: usize,
    /// The random seed: the same seed gives the same desk.
    #[arg(long, default_value_t = DEMO_SEED)]
    seed: u64,
}

/// `frontdesk demo`: fill the database (admins only) with generated tickets.
pub fn run(store: &Store, args: &DemoArgs, as_login: Option<&str>, out: &mut dyn Write) -> Result<(), CliError> {
    let agent = acting_agent(store, as_login)?;
    require_admin(&agent, "fill the desk with demo data")?;
    fill(store, args.tickets, args.seed, &agent.login)?;
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

fn fill(store: &Store, tickets: usize, seed: u64, login: &str) -> Result<(), CliError> {
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
    result?;
    Ok(())
}

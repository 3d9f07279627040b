//! The command line: clap definitions and one thin function per command over the store.

mod agent;
mod attachment;
mod audit;
mod check;
mod config_cmd;
mod customer;
mod customer_care;
mod customer_import;
mod customer_records;
mod demo;
mod error;
mod generate;
mod identity;
mod import;
pub mod logging;
mod mail_view;
mod mailbox;
mod migrate;
mod org;
mod outbox;
mod output;
pub mod panic_hook;
mod privacy;
mod quarantine;
pub mod report;
mod report_cmd;
mod report_table;
mod rules;
mod satisfaction_view;
mod search;
mod serve;
mod sla_view;
mod ticket;
mod ticket_json;
mod ticket_list;
mod ticket_set;
mod ticket_undo;
mod ticket_view;

pub use error::CliError;

use crate::config::{self, Config, Paths};
use crate::domain::Agent;
use crate::store::Store;
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "frontdesk", version, about = "A keyboard-first customer-support desk that runs in a terminal")]
pub struct Cli {
    /// The database: a file (SQLite) or a PostgreSQL URL (postgres://user@host/desk).
    #[arg(long, global = true, env = "FRONTDESK_DB", value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
    /// The config file.
    #[arg(long, global = true, env = "FRONTDESK_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Use the demo database (filled with generated data on first use); ignores --db.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Act as another agent (admins only).
    #[arg(long = "as", global = true, value_name = "LOGIN")]
    pub acting_as: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database (idempotent) and register you as its first admin.
    Init {
        /// Share the database with this group (mode 0660) instead of keeping it to yourself (0600).
        #[arg(long, value_name = "NAME")]
        group: Option<String>,
        /// Print the database, its first admin (when this run registered one) and group, as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check the database: SQLite's integrity check and frontdesk's own invariants.
    Check {
        /// Rebuild what can be rebuilt from the tickets (the kept counts), then check.
        #[arg(long)]
        repair: bool,
        /// Print the problems found and what was rebuilt, as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Copy the database to PATH, consistently, while others keep working.
    Backup {
        path: PathBuf,
        /// Print the copy's path, size, tickets and schema version, as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Fill the database with realistic generated data.
    Demo(demo::DemoArgs),
    /// Create, list, show, answer and change tickets.
    #[command(subcommand)]
    Ticket(ticket::TicketCommand),
    /// Customers: list, show, create, change, their addresses, merge, rate.
    #[command(subcommand)]
    Customer(customer::CustomerCommand),
    /// Agents: add, list, change their record, deactivate and activate them.
    #[command(subcommand)]
    Agent(agent::AgentCommand),
    /// Organizations: their name, email domains, tier and notes; who belongs to them.
    #[command(subcommand)]
    Org(org::OrgCommand),
    /// Show where files are and the effective config.
    #[command(subcommand)]
    Config(config_cmd::ConfigCommand),
    /// Search tickets: words, "phrases", prefix*, and from: status: priority: tag: assignee: before: after:
    Search(search::SearchArgs),
    /// Import email: .eml files, mbox files, Maildir folders, or `-` for one mail on stdin.
    Import(import::ImportArgs),
    /// Quarantined mail: list, show, release.
    #[command(subcommand)]
    Quarantine(quarantine::QuarantineCommand),
    /// Save an attachment to a file.
    #[command(subcommand)]
    Attachment(attachment::AttachmentCommand),
    /// Replies waiting to leave as mail: list, flush.
    #[command(subcommand)]
    Outbox(outbox::OutboxCommand),
    /// Show the effective key map.
    Keys {
        #[arg(long)]
        json: bool,
    },
    /// Print the shell completion script for SHELL (bash, zsh, fish, elvish, powershell).
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff), e.g. `frontdesk man > frontdesk.1`.
    Man,
    /// The desk's history, oldest first: every change to tickets, customers and agents, and every
    /// deletion, who made it and when, before → after.
    Audit(audit::AuditArgs),
    /// The desk service, in the foreground: delivers the outbox with retries, mails surveys that
    /// are due, reads the inbound mailboxes, runs the timed rules; one per desk. SIGTERM stops it
    /// after the mail at hand.
    Serve(serve::ServeArgs),
    /// IMAP mailboxes ([[mail.inbound]]): check NAME reads one once.
    #[command(subcommand)]
    Mailbox(mailbox::MailboxCommand),
    /// How the desk is doing: volume, response and resolution times, SLA, satisfaction, beside the
    /// period before; --explain says what each figure counts, --tickets which tickets it counts.
    Report(report_cmd::ReportArgs),
    /// Rules ([[rules]] in the config, rules/*.toml beside it): check them, test a mail against
    /// them, run the timed ones now.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Move the desk between its SQLite file (--db) and a PostgreSQL database: --to URL copies the
    /// file into an empty database, --from URL copies a database into a new file; then checks
    /// every table's rows and checksum on both sides.
    Migrate(migrate::MigrateArgs),
}

/// What `main` runs after a command: nothing, or the console on an open desk.
pub enum Next {
    Done,
    Console(Box<Console>),
}

/// Everything the console needs, opened and checked by the command line.
pub struct Console {
    pub store: Store,
    pub config: Config,
    pub agent: Agent,
}

/// Run the command `cli` names. Opening the console is left to the caller (it owns the terminal).
pub fn dispatch(cli: Cli, paths: &Paths, config: Config) -> Result<Next, CliError> {
    let as_login = cli.acting_as.as_deref();
    // `[store] url` names the desk when neither --db nor FRONTDESK_DB does.
    let configured;
    let paths = match (&cli.db, cli.demo, &config.store.url) {
        (None, false, Some(url)) => {
            configured = Paths { db: PathBuf::from(url), ..paths.clone() };
            &configured
        }
        _ => paths,
    };
    let Some(command) = cli.command else {
        return open_console(paths, config, cli.demo, as_login);
    };
    let mut stdout = std::io::stdout().lock();
    let result = run_command(command, paths, &config, cli.demo, as_login, &mut stdout);
    finish_output(result, &mut stdout).map(|()| Next::Done)
}

/// Run the command when it needs no files at all (the completion script, the man page), before any
/// path is resolved: nothing is created and a packager can run it at build time. `None` otherwise.
pub fn run_without_files(cli: &Cli) -> Option<Result<(), CliError>> {
    let mut stdout = std::io::stdout().lock();
    let result = match cli.command.as_ref()? {
        Command::Completions { shell } => generate::completions(*shell, &mut stdout),
        Command::Man => generate::man(&mut stdout),
        _ => return None,
    };
    Some(finish_output(result, &mut stdout))
}

fn finish_output(result: Result<(), CliError>, stdout: &mut dyn Write) -> Result<(), CliError> {
    match result.and_then(|()| Ok(stdout.flush()?)) {
        // A reader that stopped early (`| head`) is not a failure.
        Err(CliError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn run_command(
    command: Command,
    paths: &Paths,
    config: &Config,
    demo: bool,
    as_login: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match command {
        Command::Config(cmd) => config_cmd::run(cmd, paths, config, out),
        Command::Keys { json } => config_cmd::keys(config, json, out),
        Command::Completions { shell } => generate::completions(shell, out),
        Command::Man => generate::man(out),
        Command::Init { group, json } => {
            let store = open_store(paths, demo)?;
            let admin = identity::init(&store, json, out)?;
            if let Some(group) = &group {
                store.share_with_group(group)?;
                if !json {
                    writeln!(out, "shared with the group {group} (mode 0660)")?;
                }
            }
            match json {
                true => check::init_json(&store, admin.as_ref(), group.as_deref(), out),
                false => Ok(()),
            }
        }
        Command::Check { repair, json } => {
            let store = open_store(paths, demo)?;
            identity::acting_agent(&store, as_login)?;
            if json {
                return check::check_json(&store, config, repair, out);
            }
            if repair {
                check::repair(&store, config, out)?;
            }
            check::check(&store, config, out)
        }
        Command::Backup { path, json } => {
            let store = open_store(paths, demo)?;
            identity::acting_agent(&store, as_login)?;
            check::backup(&store, &path, json, out)
        }
        Command::Demo(args) => demo::run(&open_store(paths, false)?, config, &args, as_login, out),
        Command::Ticket(cmd) => {
            let store = open_store(paths, demo)?;
            let agent = identity::acting_agent(&store, as_login)?;
            let outbound = crate::mail::outbound::Outbound::from_config(config.mail.as_ref(), &paths.data_dir);
            ticket::run(&store, &agent, cmd, outbound.as_ref(), &customer_care::CareSettings::new(config, paths), out)
        }
        // The intake needs no agent: an MTA or fetchmail pipes mail in as whoever it runs as.
        Command::Import(args) => import::run(&open_store(paths, demo)?, config, args, out),
        Command::Quarantine(cmd) => {
            let store = open_store(paths, demo)?;
            identity::acting_agent(&store, as_login)?;
            quarantine::run(&store, config, cmd, out)
        }
        Command::Attachment(cmd) => {
            let store = open_store(paths, demo)?;
            identity::acting_agent(&store, as_login)?;
            attachment::run(&store, cmd, out)
        }
        Command::Outbox(cmd) => {
            let store = open_store(paths, demo)?;
            identity::acting_agent(&store, as_login)?;
            let outbound = crate::mail::outbound::Outbound::from_config(config.mail.as_ref(), &paths.data_dir);
            outbox::run(&store, outbound.as_ref(), cmd, out)
        }
        Command::Customer(cmd) => {
            let store = open_store(paths, demo)?;
            let agent = identity::acting_agent(&store, as_login)?;
            customer::run(&store, &agent, cmd, out)
        }
        Command::Search(args) => {
            let mut store = open_store(paths, demo)?;
            let agent = identity::acting_agent(&store, as_login)?;
            search::run(&mut store, &agent, &args, out)
        }
        Command::Agent(cmd) => {
            let store = open_store(paths, demo)?;
            let agent = identity::acting_agent(&store, as_login)?;
            agent::run(&store, &agent, cmd, out)
        }
        Command::Org(cmd) => {
            let store = open_store(paths, demo)?;
            let agent = identity::acting_agent(&store, as_login)?;
            org::run(&store, &agent, cmd, out)
        }
        Command::Audit(args) => {
            let store = open_store(paths, demo)?;
            identity::acting_agent(&store, as_login)?;
            audit::run(&store, &args, out)
        }
        // The service runs as whoever systemd or cron runs it as, like the intake: no agent.
        Command::Serve(args) => serve::run(&open_store(paths, demo)?, config, paths, &args, out),
        // Like `import`, the intake needs no agent.
        Command::Mailbox(cmd) => mailbox::run(&open_store(paths, demo)?, config, cmd, out),
        Command::Report(args) => {
            let store = open_store(paths, demo)?;
            identity::acting_agent(&store, as_login)?;
            report_cmd::run(&store, config, &args, out)
        }
        Command::Rules(rules::RulesCommand::Check) => rules::check(config, out, &mut std::io::stderr()),
        Command::Rules(rules::RulesCommand::Test { mail }) => {
            rules::test(&open_store(paths, demo)?, config, &mail, out)
        }
        // Like `serve`, the timed rules run as whoever cron runs them as.
        Command::Rules(rules::RulesCommand::Run { json }) => {
            rules::run(&open_store(paths, demo)?, config, paths, json, out)
        }
        Command::Migrate(args) => migrate::run(&args, &paths.db, config, out),
    }
}

/// Open the database; on the first use of the demo database, fill it first.
fn open_store(paths: &Paths, demo: bool) -> Result<Store, CliError> {
    let location =
        crate::store::url::DatabaseLocation::parse(&paths.db.to_string_lossy()).map_err(CliError::Refused)?;
    let fresh = !paths.db.exists();
    let store = Store::open_location(&location)?;
    if demo && fresh {
        demo::fill_first_demo(&store)?;
    }
    Ok(store)
}

fn open_console(paths: &Paths, config: Config, demo: bool, as_login: Option<&str>) -> Result<Next, CliError> {
    // Checked first so a piped run fails cleanly instead of panicking in the terminal setup.
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(CliError::NeedsTerminal);
    }
    let store = open_store(paths, demo)?;
    let agent = identity::acting_agent(&store, as_login)?;
    Ok(Next::Console(Box::new(Console { store, config, agent })))
}

/// Load the config the paths name (a missing default file is the default config); the demo's
/// own is written first, on first use, and then read like any other.
pub fn load_config(paths: &Paths) -> Result<Config, CliError> {
    demo::write_demo_config(paths)?;
    Ok(config::load(&paths.config, paths.config_required)?)
}

//! The composition root: parse the command line, find the files, start logging, load the config,
//! run the command or open the console. Errors end here as one sentence, the whole chain in the log.

use clap::Parser;
use frontdesk::cli::{self, logging, panic_hook, report, Cli, Next};
use frontdesk::{app, config, Error};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return report::usage(e), // exit 2, the input it quotes made safe
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report::report(&e),
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    if let Some(result) = cli::run_without_files(&cli) {
        return Ok(result?);
    }
    let paths = config::resolve_paths(cli.db.clone(), cli.config.clone(), cli.demo)?;
    let _log = logging::init(&paths.state_dir);
    panic_hook::install(logging::log_file(&paths.state_dir));
    tracing::info!("frontdesk {} started", env!("CARGO_PKG_VERSION"));
    let result = desk(cli, &paths);
    if let Err(e) = &result {
        tracing::error!("{}", e.chain()); // here, while the log is still open
    }
    result
}

fn desk(cli: Cli, paths: &config::Paths) -> Result<(), Error> {
    let config = cli::load_config(paths)?;
    frontdesk::domain::when::set_agent_zone(config.ui.zone());
    match cli::dispatch(cli, paths, config)? {
        Next::Done => Ok(()),
        Next::Console(console) => app::run(console.store, console.config, console.agent, paths),
    }
}

//! The composition root: parse the command line, find the files, start logging, load the config,
//! run the command or open the console. Errors end here as one sentence and exit code 1.

use clap::Parser;
use frontdesk::cli::{self, logging, Cli, Next};
use frontdesk::{app, config};
use std::process::ExitCode;

fn main() -> ExitCode {
    // Only fails when already installed; the program runs the same either way.
    let _ = color_eyre::install();
    let cli = Cli::parse(); // usage errors exit 2 here
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(report) => {
            eprintln!("frontdesk: {report}");
            report.downcast_ref::<cli::CliError>().map_or(ExitCode::FAILURE, |e| ExitCode::from(e.exit_code()))
        }
    }
}

fn run(cli: Cli) -> color_eyre::Result<()> {
    let paths = config::resolve_paths(cli.db.clone(), cli.config.clone(), cli.demo)?;
    let _log = logging::init(&paths.state_dir);
    let result = desk(cli, &paths);
    if let Err(report) = &result {
        tracing::error!("{report:?}");
    }
    result
}

fn desk(cli: Cli, paths: &config::Paths) -> color_eyre::Result<()> {
    let config = cli::load_config(paths)?;
    match cli::dispatch(cli, paths, config)? {
        Next::Done => Ok(()),
        Next::Console(console) => app::run(console.store, console.config, console.agent, paths),
    }
}

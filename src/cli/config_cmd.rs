//! `frontdesk config …` and `frontdesk keys`: where things are and what is in effect.

use super::output::{write_json, Table};
use super::{logging, CliError};
use crate::app::{self, KeyListing};
use crate::config::{Config, Paths};
use clap::Subcommand;
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print where the database, the config, the canned replies and the log are.
    Path,
    /// Print the effective config as TOML.
    Dump,
}

pub fn run(cmd: ConfigCommand, paths: &Paths, config: &Config, out: &mut dyn Write) -> Result<(), CliError> {
    match cmd {
        ConfigCommand::Path => {
            writeln!(out, "database  {}", paths.db.display())?;
            writeln!(out, "config    {}", paths.config.display())?;
            let folder = paths.config.parent().unwrap_or(std::path::Path::new("."));
            writeln!(out, "macros    {}", folder.join("macros").display())?;
            writeln!(out, "log       {}", logging::log_file(&paths.state_dir).display())?;
        }
        ConfigCommand::Dump => write!(out, "{}", config.to_toml())?,
    }
    Ok(())
}

/// One binding in `keys --json`.
#[derive(Debug, Serialize)]
struct KeyJson<'a> {
    context: &'a str,
    keys: &'a str,
    action: &'a str,
    description: &'a str,
}

impl<'a> From<&'a KeyListing> for KeyJson<'a> {
    fn from(k: &'a KeyListing) -> Self {
        KeyJson { context: &k.context, keys: &k.keys, action: &k.action, description: &k.description }
    }
}

pub fn keys(config: &Config, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let (listing, warnings) = app::key_listing(config);
    for warning in &warnings {
        eprintln!("frontdesk: warning: {warning}");
    }
    if json {
        return write_json(out, &listing.iter().map(KeyJson::from).collect::<Vec<_>>());
    }
    let mut table = Table::new(&["CONTEXT", "KEYS", "ACTION", "DESCRIPTION"]);
    for k in &listing {
        table.row(vec![k.context.clone(), k.keys.clone(), k.action.clone(), k.description.clone()]);
    }
    Ok(table.write(out)?)
}

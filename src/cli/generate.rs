//! `frontdesk completions SHELL` and `frontdesk man`: text made from the command line's own
//! definition, for packagers and for shells.

use super::{Cli, CliError};
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;

/// The completion script for `shell`.
pub fn completions(shell: Shell, out: &mut dyn Write) -> Result<(), CliError> {
    // Into a buffer first: the generator panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "frontdesk", &mut script);
    Ok(out.write_all(&script)?)
}

/// The man page, in roff.
pub fn man(out: &mut dyn Write) -> Result<(), CliError> {
    Ok(clap_mangen::Man::new(Cli::command()).render(out)?)
}

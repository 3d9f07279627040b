//! The console's event loop.

use crate::config::{Config, Paths};
use crate::domain::Agent;
use crate::store::Store;

/// Open the console on `store` as `agent`. Returns when the agent quits.
pub fn run(store: Store, config: Config, agent: Agent, paths: &Paths) -> color_eyre::Result<()> {
    let _ = (store, config, agent, paths);
    Err(color_eyre::eyre::eyre!("the console is not built yet"))
}

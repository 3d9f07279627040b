//! The console's event loop.

use crate::config::{Config, Paths};
use crate::domain::Agent;
use crate::store::Store;

/// Open the console on `store` as `agent`. Returns when the agent quits.
pub fn run(store: Store, config: Config, agent: Agent, paths: &Paths) -> color_eyre::Result<()> {
    let _ = (store, config, agent, paths);
    Err(color_eyre::eyre::eyre!("the console is not built yet"))
}

/// One line of the effective key map, for `frontdesk keys` and the help overlay.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct KeyListing {
    /// `global`, `queue`, `conversation`, `profile` or `composer`.
    pub context: String,
    /// The key sequence as the config spells it, e.g. `g g` or `ctrl-d`.
    pub keys: String,
    /// The action's name, e.g. `select_first`.
    pub action: String,
    pub description: String,
}

/// The effective key map (defaults with the config's overrides) and the problems found in the
/// config's bindings (unknown actions, unknown keys, conflicts), one sentence each.
pub fn key_listing(config: &Config) -> (Vec<KeyListing>, Vec<String>) {
    let _ = config;
    (Vec::new(), Vec::new())
}

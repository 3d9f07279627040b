//! The console's flows: key presses into `State` and the store, without a terminal.

mod customer_care;
mod demo_desk;
mod mail;
mod output_safety;
mod several_agents;
mod tickets;

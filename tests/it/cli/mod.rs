//! The command line, through the built binary on temporary desks.

mod commands;
mod customer_care;
mod several_agents;

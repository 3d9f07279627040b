//! The command line, through the built binary on temporary desks.

mod agents;
mod audit;
mod commands;
mod customer_care;
mod customer_import;
mod database_url;
mod demo;
mod errors;
mod keys_table;
mod no_false_conflicts;
mod packaging;
mod privacy;
mod records;
mod report;
mod rules;
mod scripts;
mod serve;
mod several_agents;
mod snooze_times;
mod time_zone;
mod undo;
mod waiting;

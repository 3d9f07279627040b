//! The console's flows: key presses into `State` and the store, without a terminal.

mod agent_loop;
mod agent_records;
mod arrivals;
mod asks_first;
mod audit;
mod checked_writes;
mod customer_care;
mod customer_records;
mod daily;
mod demo_desk;
mod desk_service;
mod faults;
mod large_tab_filter;
mod mail;
mod marks;
mod organization_records;
mod output_safety;
mod reply_mail;
mod reports;
mod rules;
mod several_agents;
mod text_kept;
mod tickets;
mod undo;

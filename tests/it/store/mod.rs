//! The store on temporary database files.

mod arrivals;
mod audit;
mod checked_writes;
pub(crate) mod counts;
mod customer_care;
mod demo;
mod demo_promises;
mod filter_index;
mod list_conditions;
mod mailboxes;
mod organizations;
mod pages;
mod privacy;
mod records;
mod replies;
mod reply_mail;
mod report;
mod report_facts;
mod rules;
mod search;
mod search_terms;
mod tickets;
mod undo;
mod waiting;

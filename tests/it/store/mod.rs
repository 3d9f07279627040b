//! The store on temporary database files.

mod arrivals;
mod audit;
mod checked_writes;
pub(crate) mod counts;
mod customer_care;
mod demo;
mod demo_promises;
mod filter_index;
mod mailboxes;
mod pages;
mod replies;
mod reply_mail;
mod report;
mod search;
mod tickets;
mod undo;
mod waiting;

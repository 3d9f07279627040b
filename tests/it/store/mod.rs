//! The store on temporary database files.

mod customer_care;
mod demo;
mod demo_promises;
mod search;
mod tickets;

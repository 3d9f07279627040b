//! The store on temporary database files.

mod customer_care;
mod demo;
mod search;
mod tickets;
mod waiting;

//! The store on temporary database files.

mod arrivals;
mod customer_care;
mod demo;
mod search;
mod tickets;

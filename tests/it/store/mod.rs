//! The store on temporary database files.

mod customer_care;
mod demo;
mod replies;
mod search;
mod tickets;
mod waiting;

//! Email in and out: parsing, threading, the corpus of other helpdesks' mails, the binary.

mod cli;
mod corpus;
mod desk_loop;
mod fuzz;
mod imap;
mod import;
mod intake;
mod oauth;
mod outbound;
mod rules;
mod service;

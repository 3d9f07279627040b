//! What the tests share: the binary on a temporary desk, the console without a terminal, a fixed
//! desk for snapshots, mail fixtures, and an SMTP server inside the test process.
#![allow(dead_code)]

pub mod cli;
pub mod console;
pub mod dovecot;
pub mod fixtures;
pub mod mail;
pub mod smtp;
pub mod terminal;

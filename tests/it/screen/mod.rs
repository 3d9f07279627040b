//! Snapshots of the screen at fixed sizes (insta on ratatui's `TestBackend`).

mod customer_care;
mod customer_records;
mod desk;
mod keys;
mod layout;
mod mail;
mod palette;
mod presence;
mod questions;
mod records_forms;
mod reports;
mod ticket_form;
mod wide_text;

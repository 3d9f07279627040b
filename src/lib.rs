//! frontdesk: a keyboard-first customer-support desk in a terminal, over one SQLite file.
//!
//! A map for newcomers: where each thing lives, and the rules between the rooms.
//!
//! | folder | what it is |
//! |---|---|
//! | `main.rs` | the composition root: parse args, find the files, start logging, load the config, run a command or the console |
//! | [`cli`] | one thin function per command over domain and store; `--json` output; the error report and panic hook |
//! | [`config`] | the config file (serde + toml), paths, SLA policies, mail settings, canned replies, rules (`[[rules]]`, `rules/*.toml`) |
//! | [`domain`] | plain types and rules: tickets, messages, customers, statuses and their transitions ([`domain::lifecycle`]), SLA clocks, reports' figures from the same clocks ([`domain::report`]), search queries, rules' triggers, conditions and actions ([`domain::rules`]), text made safe for display |
//! | [`store`] | the only module that speaks SQL: one file per aggregate, migrations, the WAL's upkeep |
//! | [`mail`] | intake (parse, thread, import) and outbound mail (SMTP, sendmail, Maildir), surveys, rules applied to a ticket with their canned replies ([`mail::rules`]) |
//! | [`serve`] | the desk service (`frontdesk serve`): outbox delivery with retries, surveys due, inbound mailboxes, the timed rules, one per desk |
//! | [`demo`] | generated desks for the demo and the benchmarks, and the demo's own config (`assets/demo-config/`) |
//! | [`app`] | the console: [`app::model`] what it shows, [`app::update`] pure changes to it, [`app::effects`] its I/O on workers, [`app::term`] the terminal; [`app::headless`] runs it without one |
//! | [`ui`] | drawing only, from the model |
//!
//! Rules (`tests/it/layering.rs` checks them on every `cargo test`):
//! - `domain` and `store` never see `app`, `ui`, ratatui or crossterm.
//! - `ui` draws from `app::model` and `domain`; it never sees the store or the effects.
//! - `app::model` imports neither the terminal (crossterm) nor the store.
//! - `app::update` is pure: no store, no mail, no files, no clock but `State::now`. It returns
//!   effects; `app::effects` carries them out on workers (store, mail, filter, watcher, due times
//!   and the index) and answers with messages, so nothing slow runs on the console's thread.
//! - No folder depends on itself through others.
//! - Customer text is stored raw and made safe only where it is shown ([`domain::text`]).

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod mail;
pub mod panics;
pub mod serve;
pub mod store;
pub mod ui;

pub use error::Error;

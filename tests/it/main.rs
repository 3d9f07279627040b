//! Every integration test in one crate, so `cargo test` links one test binary instead of two dozen.
//! Modules by capability; what they share is in `support`.

mod support;

mod cli;
mod concurrency;
mod console;
mod layering;
mod mail;
mod postgres;
mod screen;
mod store;

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod mail;
pub mod panics;
pub mod store;
pub mod ui;

pub use error::Error;

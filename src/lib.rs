pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod mail;
pub mod store;
pub mod ui;

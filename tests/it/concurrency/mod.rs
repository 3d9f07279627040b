//! Many processes and terminals on one database file.

mod processes;
mod terminals;

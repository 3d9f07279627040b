//! Many processes and terminals on one database file.

mod killed_writes;
mod processes;
mod terminals;

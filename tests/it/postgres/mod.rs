//! The PostgreSQL backend against a real server (`support::postgres`, ignored unless PostgreSQL
//! is installed: `.ci/run` installs it): connecting, the schema beside SQLite's, the search
//! language, and moving a desk both ways.

mod connect;
mod migrate;
mod schema;

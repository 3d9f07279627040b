//! `frontdesk migrate --to URL | --from URL`: move a desk between its SQLite file and a PostgreSQL
//! database, then print the check of every table (rows and checksum on both sides).

use super::CliError;
use crate::config::Config;
use crate::store::postgres::{Credentials, MigrationReport, Progress};
use crate::store::url::{DatabaseLocation, PostgresTarget};
use crate::store::Store;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("direction").required(true).args(["to", "from"])))]
pub struct MigrateArgs {
    /// Copy the SQLite desk (--db) into this empty PostgreSQL database.
    #[arg(long, value_name = "URL")]
    pub to: Option<String>,
    /// Copy the desk in this PostgreSQL database into a new SQLite file (--db).
    #[arg(long, value_name = "URL")]
    pub from: Option<String>,
    /// Print the check as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &MigrateArgs, db: &Path, config: &Config, out: &mut dyn Write) -> Result<(), CliError> {
    let credentials = Credentials { password_command: config.store.password_command.clone() };
    let file = match DatabaseLocation::parse(&db.to_string_lossy()).map_err(CliError::Refused)? {
        DatabaseLocation::File(path) => path,
        DatabaseLocation::Postgres(_) => {
            return Err(CliError::Refused(
                "migrate moves a desk between a SQLite file and PostgreSQL: name the file with --db".into(),
            ))
        }
    };
    let (url, to) = match (&args.to, &args.from) {
        (Some(url), None) => (url, true),
        (None, Some(url)) => (url, false),
        _ => return Err(CliError::Refused("give either --to URL or --from URL".into())),
    };
    let target = postgres_target(url)?;
    let mut bar = Bar::new(std::io::stderr().is_terminal());
    let started = Instant::now();
    let report = if to {
        if !file.exists() {
            return Err(CliError::Refused(format!("there is no desk at {} to migrate", file.display())));
        }
        let store = Store::open(&file)?;
        store.migrate_to_postgres(&target, &credentials, &mut |p| bar.show(p))
    } else {
        Store::migrate_from_postgres(&file, &target, &credentials, &mut |p| bar.show(p))
    };
    bar.end();
    let report = report?;
    let (from, into) = match to {
        true => (file.display().to_string(), target.to_string()),
        false => (target.to_string(), file.display().to_string()),
    };
    match args.json {
        true => json(&report, &from, &into, out),
        false => table(&report, &from, &into, started.elapsed().as_secs_f64(), out),
    }
}

fn postgres_target(url: &str) -> Result<PostgresTarget, CliError> {
    match DatabaseLocation::parse(url).map_err(CliError::Refused)? {
        DatabaseLocation::Postgres(target) => Ok(target),
        DatabaseLocation::File(_) => Err(CliError::Refused(format!(
            "'{}' is not a PostgreSQL URL; write postgres://user@host/desk or 'host=… dbname=…'",
            crate::domain::text::for_display_line(url)
        ))),
    }
}

fn table(report: &MigrationReport, from: &str, into: &str, seconds: f64, out: &mut dyn Write) -> Result<(), CliError> {
    let width = report.tables.iter().map(|t| t.table.len()).max().unwrap_or(5).max(5);
    writeln!(out, "{:<width$}  {:>10}  {:>10}  checksum (both sides)", "table", "source", "copy")?;
    let mut rows = 0;
    for t in &report.tables {
        rows += t.source_rows;
        let same = if t.matches() {
            t.source_checksum.clone()
        } else {
            format!("{} ≠ {}", t.source_checksum, t.target_checksum)
        };
        writeln!(out, "{:<width$}  {:>10}  {:>10}  {same}", t.table, t.source_rows, t.target_rows)?;
    }
    writeln!(
        out,
        "moved {rows} rows in {} tables from {from} to {into} in {seconds:.1} s; every table matches ({} tickets indexed for search)",
        report.tables.len(),
        report.indexed
    )?;
    Ok(())
}

fn json(report: &MigrationReport, from: &str, into: &str, out: &mut dyn Write) -> Result<(), CliError> {
    let tables: Vec<_> = report
        .tables
        .iter()
        .map(|t| {
            serde_json::json!({
                "table": t.table,
                "source_rows": t.source_rows,
                "copy_rows": t.target_rows,
                "source_checksum": t.source_checksum,
                "copy_checksum": t.target_checksum,
                "matches": t.matches(),
            })
        })
        .collect();
    let value = serde_json::json!({ "from": from, "to": into, "tables": tables, "indexed": report.indexed });
    writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    Ok(())
}

/// A one-line progress bar on stderr, only when it is a terminal.
struct Bar {
    shown: bool,
    drawn: bool,
}

impl Bar {
    fn new(shown: bool) -> Bar {
        Bar { shown, drawn: false }
    }

    fn show(&mut self, p: &Progress) {
        if !self.shown {
            return;
        }
        let fraction = if p.rows_total == 0 { 1.0 } else { p.rows_done as f64 / p.rows_total as f64 };
        let filled = (fraction * 30.0).round() as usize;
        eprint!(
            "\r[{}{}] {:>3.0}% {:>9} of {} rows  {:<24}",
            "#".repeat(filled),
            " ".repeat(30 - filled.min(30)),
            fraction * 100.0,
            p.rows_done,
            p.rows_total,
            p.table
        );
        self.drawn = true;
    }

    fn end(&mut self) {
        if self.drawn {
            eprintln!();
        }
    }
}

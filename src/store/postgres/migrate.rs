//! Moving a desk between SQLite and PostgreSQL (`frontdesk migrate --to URL | --from URL`):
//! every table copied in one transaction on the side written, then checked before it commits
//! (row counts and a checksum per table, read back from the written side), so a desk arrives
//! whole or not at all. The search and filter indexes are each backend's own and are built on
//! the written side for the tickets the source had indexed; the counts, queues and stale marks
//! are copied as they are, so the desk keeps every piece of work it had pending.

use super::copy::{self, Checksum, Kind, Value};
use super::{database_error, Credentials, PostgresDesk, SCHEMA_VERSION};
use crate::store::url::PostgresTarget;
use crate::store::{Result, Store, StoreError};
use rusqlite::types::ValueRef;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;

/// How far a migration has come, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub table: String,
    pub rows_done: u64,
    pub rows_total: u64,
}

/// One table's check: its rows and checksum as read from the source and from the written copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCheck {
    pub table: String,
    pub source_rows: u64,
    pub target_rows: u64,
    pub source_checksum: String,
    pub target_checksum: String,
}

impl TableCheck {
    pub fn matches(&self) -> bool {
        self.source_rows == self.target_rows && self.source_checksum == self.target_checksum
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    pub tables: Vec<TableCheck>,
    /// Tickets put in the written side's search index.
    pub indexed: u64,
}

/// A table both backends hold, with its columns in SQLite's order.
#[derive(Debug, Clone)]
struct Table {
    name: String,
    columns: Vec<(String, Kind)>,
}

impl Table {
    fn column_list(&self) -> String {
        self.columns.iter().map(|(name, _)| format!("\"{name}\"")).collect::<Vec<_>>().join(", ")
    }

    fn kinds(&self) -> Vec<Kind> {
        self.columns.iter().map(|(_, kind)| *kind).collect()
    }
}

/// Rows of these tables are made by the schema itself (one row of state each): an empty desk
/// has them, and the copy replaces them.
const STATE_TABLES: &[&str] =
    &["search_state", "due_state", "filter_index_state", "filter_index_hold", "report_facts_state"];

/// SQLite's full-text tables (each backend builds its own), their shadow tables and the list of
/// their words (`store::search_terms`).
const FTS_SHADOWS: &[&str] = &["_data", "_idx", "_content", "_docsize", "_config", "_terms", "_terms_build"];

/// The tables of the SQLite desk to copy: every table but SQLite's own and the FTS5 tables.
fn sqlite_tables(conn: &rusqlite::Connection) -> Result<Vec<Table>> {
    let mut virtual_tables = Vec::new();
    let mut names = Vec::new();
    let mut stmt = conn.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))?;
    for row in rows {
        let (name, sql) = row?;
        if sql.as_deref().is_some_and(|s| s.trim_start().to_ascii_uppercase().starts_with("CREATE VIRTUAL TABLE")) {
            virtual_tables.push(name);
        } else if !name.starts_with("sqlite_") {
            names.push(name);
        }
    }
    let shadow =
        |name: &str| virtual_tables.iter().any(|v| FTS_SHADOWS.iter().any(|suffix| name == format!("{v}{suffix}")));
    let mut tables = Vec::new();
    for name in names.into_iter().filter(|n| !shadow(n)) {
        let mut columns = Vec::new();
        let mut info = conn.prepare(&format!("SELECT name, type FROM pragma_table_info('{name}') ORDER BY cid"))?;
        for column in info.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (column, declared) = column?;
            let kind = Kind::of_sqlite(&declared).ok_or_else(|| {
                StoreError::Invalid(format!(
                    "the column {name}.{column} is of type '{declared}', which frontdesk cannot move to PostgreSQL"
                ))
            })?;
            columns.push((column, kind));
        }
        tables.push(Table { name, columns });
    }
    Ok(tables)
}

/// The columns PostgreSQL has for each table of the schema (`public` or the first on the path).
fn postgres_columns(
    client: &mut impl postgres::GenericClient,
) -> std::result::Result<BTreeMap<String, Vec<(String, String)>>, postgres::Error> {
    let mut tables: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for row in client.query(
        "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns
         WHERE table_schema = current_schema()
           AND table_name IN (SELECT table_name FROM information_schema.tables
                              WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')
         ORDER BY table_name, ordinal_position",
        &[],
    )? {
        tables.entry(row.get(0)).or_default().push((row.get(1), row.get(2)));
    }
    Ok(tables)
}

/// Check the two schemas hold the same columns of the same kinds for every table copied.
fn same_columns(
    tables: &[Table],
    postgres: &BTreeMap<String, Vec<(String, String)>>,
    target: &PostgresTarget,
) -> Result<()> {
    for table in tables {
        let Some(columns) = postgres.get(&table.name) else {
            return Err(StoreError::Invalid(format!(
                "PostgreSQL at {target} has no table {}; its schema is not this frontdesk's",
                table.name
            )));
        };
        for (name, kind) in &table.columns {
            let found = columns.iter().find(|(c, _)| c == name).and_then(|(_, t)| Kind::of_postgres(t));
            if found != Some(*kind) {
                return Err(StoreError::Invalid(format!(
                    "PostgreSQL at {target} has no {} column {}.{name}; its schema is not this frontdesk's",
                    kind.name(),
                    table.name
                )));
            }
        }
    }
    Ok(())
}

/// A SQLite value as the column's kind holds it on both sides. Text in a BLOB column is its
/// bytes; anything else that does not fit is refused with the row named.
fn sqlite_value(value: ValueRef<'_>, kind: Kind, table: &str, column: &str) -> Result<Value> {
    let refused = |what: &str| {
        StoreError::Invalid(format!(
            "a row of {table} holds {what} in the {} column {column}, which PostgreSQL cannot hold there; nothing was moved",
            kind.name()
        ))
    };
    Ok(match (value, kind) {
        (ValueRef::Null, _) => Value::Null,
        (ValueRef::Integer(n), Kind::Integer) => Value::Integer(n),
        (ValueRef::Text(t), Kind::Text) => {
            Value::Text(String::from_utf8(t.to_vec()).map_err(|_| refused("text that is not UTF-8"))?)
        }
        (ValueRef::Text(t), Kind::Blob) | (ValueRef::Blob(t), Kind::Blob) => Value::Blob(t.to_vec()),
        (ValueRef::Integer(_), _) => return Err(refused("an integer")),
        (ValueRef::Real(_), _) => return Err(refused("a real number")),
        (ValueRef::Text(_), _) => return Err(refused("text")),
        (ValueRef::Blob(_), _) => return Err(refused("a blob")),
    })
}

fn sqlite_rows(
    conn: &rusqlite::Connection,
    table: &Table,
    mut each: impl FnMut(Vec<Value>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&format!("SELECT {} FROM \"{}\"", table.column_list(), table.name))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(table.columns.len());
        for (i, (column, kind)) in table.columns.iter().enumerate() {
            values.push(sqlite_value(row.get_ref(i)?, *kind, &table.name, column)?);
        }
        each(values)?;
    }
    Ok(())
}

/// Read a table from PostgreSQL with COPY, row by row.
fn postgres_rows(
    client: &mut impl postgres::GenericClient,
    table: &Table,
    mut each: impl FnMut(Vec<Value>) -> Result<()>,
) -> std::result::Result<std::result::Result<(), StoreError>, postgres::Error> {
    let reader =
        client.copy_out(&format!("COPY (SELECT {} FROM \"{}\") TO STDOUT", table.column_list(), table.name))?;
    let kinds = table.kinds();
    let mut reader = std::io::BufReader::with_capacity(1 << 16, reader);
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = match reader.read_until(b'\n', &mut line) {
            Ok(n) => n,
            Err(e) => return Ok(Err(StoreError::Invalid(format!("reading {} from PostgreSQL: {e}", table.name)))),
        };
        if n == 0 {
            return Ok(Ok(()));
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        let values = match copy::decode_line(&line, &kinds) {
            Ok(values) => values,
            Err(e) => return Ok(Err(StoreError::Invalid(format!("a row of {} from PostgreSQL: {e}", table.name)))),
        };
        if let Err(e) = each(values) {
            return Ok(Err(e));
        }
    }
}

fn count_sqlite(conn: &rusqlite::Connection, table: &str) -> Result<u64> {
    Ok(conn.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| r.get::<_, i64>(0))? as u64)
}

/// Tell the bar about every ten thousand rows, and at each table's end.
struct Meter<'a> {
    report: &'a mut dyn FnMut(&Progress),
    progress: Progress,
}

impl Meter<'_> {
    fn table(&mut self, name: &str) {
        self.progress.table = name.to_string();
        (self.report)(&self.progress);
    }

    fn row(&mut self) {
        self.progress.rows_done += 1;
        if self.progress.rows_done.is_multiple_of(10_000) || self.progress.rows_done == self.progress.rows_total {
            (self.report)(&self.progress);
        }
    }
}

impl Store {
    /// Copy this SQLite desk into the empty PostgreSQL database `target` (its schema made first),
    /// in one transaction there, checked before it commits. The SQLite desk is read on one snapshot
    /// and not changed.
    pub fn migrate_to_postgres(
        &self,
        target: &PostgresTarget,
        credentials: &Credentials,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<MigrationReport> {
        self.check_sqlite_version()?;
        let mut desk = PostgresDesk::open(target, credentials)?;
        desk.check_writable()?;
        self.read(|| {
            let tables = sqlite_tables(&self.conn)?;
            let mut rows_total = 0;
            let mut counts = Vec::new();
            for table in &tables {
                let n = count_sqlite(&self.conn, &table.name)?;
                rows_total += n;
                counts.push(n);
            }
            let pg_error = |e| database_error(target, e);
            let mut tx = desk.client.transaction().map_err(pg_error)?;
            let columns = postgres_columns(&mut tx).map_err(pg_error)?;
            same_columns(&tables, &columns, target)?;
            refuse_postgres_desk(&mut tx, &tables, target)?;
            // The triggers would count, queue and index every row again: off for the copy (in
            // this transaction only), and the foreign keys checked once at its end.
            for table in &tables {
                tx.batch_execute(&format!("ALTER TABLE \"{}\" DISABLE TRIGGER USER", table.name)).map_err(pg_error)?;
            }
            for table in &tables {
                tx.batch_execute(&format!("DELETE FROM \"{}\"", table.name)).map_err(pg_error)?;
            }
            tx.batch_execute("DELETE FROM ticket_search; DELETE FROM ticket_filter; SET CONSTRAINTS ALL DEFERRED")
                .map_err(pg_error)?;
            let mut meter =
                Meter { report: progress, progress: Progress { table: String::new(), rows_done: 0, rows_total } };
            let mut sources = Vec::new();
            for table in &tables {
                meter.table(&table.name);
                let mut writer = tx
                    .copy_in(&format!("COPY \"{}\" ({}) FROM STDIN", table.name, table.column_list()))
                    .map_err(pg_error)?;
                let mut checksum = Checksum::default();
                let mut line = Vec::with_capacity(1 << 16);
                let mut write_error = None;
                sqlite_rows(&self.conn, table, |row| {
                    copy::encode_row(&row, &mut line).map_err(|what| {
                        StoreError::Invalid(format!("a row of {} holds {what}; nothing was moved", table.name))
                    })?;
                    checksum.add(&row);
                    meter.row();
                    if line.len() >= 1 << 16 {
                        if let Err(e) = writer.write_all(&line) {
                            write_error = Some(e);
                        }
                        line.clear();
                    }
                    Ok(())
                })?;
                if write_error.is_none() {
                    if let Err(e) = writer.write_all(&line) {
                        write_error = Some(e);
                    }
                }
                match write_error {
                    Some(e) => {
                        // The server's reason is in the error finish() returns.
                        let finished = writer.finish();
                        return Err(match finished {
                            Err(pg) => pg_error(pg),
                            Ok(_) => StoreError::Invalid(format!("copying {} to PostgreSQL: {e}", table.name)),
                        });
                    }
                    None => {
                        writer.finish().map_err(pg_error)?;
                    }
                }
                sources.push(checksum);
            }
            meter.table("the search index");
            let indexed = tx
                .execute(
                    "INSERT INTO ticket_search (ticket_id, document)
                     SELECT id, frontdesk_search_document(subject, body, customer) FROM ticket_search_docs
                     WHERE id >= (SELECT pending_below FROM search_state)",
                    &[],
                )
                .map_err(pg_error)?;
            meter.table("the filter index");
            tx.batch_execute(
                "INSERT INTO ticket_filter (ticket_id, text)
                 SELECT id, text FROM ticket_filter_docs
                 WHERE id >= (SELECT pending_below FROM filter_index_state)
                   AND id NOT IN (SELECT ticket_id FROM filter_queue)",
            )
            .map_err(pg_error)?;
            tx.batch_execute("SET CONSTRAINTS ALL IMMEDIATE").map_err(pg_error)?;
            for table in &tables {
                tx.batch_execute(&format!("ALTER TABLE \"{}\" ENABLE TRIGGER USER", table.name)).map_err(pg_error)?;
            }
            restart_identities(&mut tx).map_err(pg_error)?;
            meter.table("checking");
            let mut checks = Vec::new();
            for (table, source) in tables.iter().zip(&sources) {
                let mut written = Checksum::default();
                postgres_rows(&mut tx, table, |row| {
                    written.add(&row);
                    Ok(())
                })
                .map_err(pg_error)??;
                checks.push(check(table, source, &written));
            }
            if let Some(bad) = checks.iter().find(|c| !c.matches()) {
                return Err(mismatch(bad));
            }
            tx.commit().map_err(pg_error)?;
            // The planner's statistics, for the desk's first queries.
            let _ = desk.client.batch_execute("ANALYZE");
            Ok(MigrationReport { tables: checks, indexed })
        })
    }

    /// Copy the desk in the PostgreSQL database `source` into a new SQLite file at `path`, in one
    /// transaction, checked before it commits. PostgreSQL is read on one snapshot and not changed.
    pub fn migrate_from_postgres(
        path: &Path,
        source: &PostgresTarget,
        credentials: &Credentials,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<MigrationReport> {
        if std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
            return Err(StoreError::Invalid(format!(
                "{} already exists; migrate --from writes a new file, so name one that does not exist",
                path.display()
            )));
        }
        let mut desk = PostgresDesk::open(source, credentials)?;
        if let Some(found) = desk.too_new {
            return Err(StoreError::Invalid(format!(
                "PostgreSQL at {source} holds schema {found}, newer than this frontdesk's {SCHEMA_VERSION}; upgrade frontdesk to move it"
            )));
        }
        let pg_error = |e| database_error(source, e);
        let created = !path.exists();
        let store = Store::open(path)?;
        let result = store.fill_from_postgres(&mut desk, progress);
        if result.is_err() && created {
            drop(store);
            for suffix in ["", "-wal", "-shm"] {
                let mut name = path.as_os_str().to_owned();
                name.push(suffix);
                let _ = std::fs::remove_file(name);
            }
        }
        result.map_err(|e| match e {
            Fill::Store(e) => e,
            Fill::Postgres(e) => pg_error(e),
        })
    }

    fn fill_from_postgres(
        &self,
        desk: &mut PostgresDesk,
        progress: &mut dyn FnMut(&Progress),
    ) -> std::result::Result<MigrationReport, Fill> {
        self.check_sqlite_version()?;
        let mut tx = desk
            .client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let target = desk.target.clone();
        let result = self.write(|conn| {
            let tables = sqlite_tables(conn)?;
            let columns = postgres_columns(&mut tx).map_err(|e| database_error(&target, e))?;
            same_columns(&tables, &columns, &target)?;
            let mut rows_total = 0;
            for table in &tables {
                let n: i64 = tx
                    .query_one(&format!("SELECT count(*) FROM \"{}\"", table.name), &[])
                    .map_err(|e| database_error(&target, e))?
                    .get(0);
                rows_total += n as u64;
            }
            // The triggers would count, queue and index every row again: they are set aside for
            // the copy (SQLite's DDL is transactional) and made again from their own SQL.
            let triggers: Vec<(String, String)> = conn
                .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (name, _) in &triggers {
                conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
            }
            conn.execute_batch("PRAGMA defer_foreign_keys = ON")?;
            let mut meter =
                Meter { report: progress, progress: Progress { table: String::new(), rows_done: 0, rows_total } };
            let mut sources = Vec::new();
            for table in &tables {
                meter.table(&table.name);
                conn.execute(&format!("DELETE FROM \"{}\"", table.name), [])?;
                let marks = vec!["?"; table.columns.len()].join(", ");
                let mut insert = conn.prepare(&format!(
                    "INSERT INTO \"{}\" ({}) VALUES ({marks})",
                    table.name,
                    table.column_list()
                ))?;
                let mut checksum = Checksum::default();
                postgres_rows(&mut tx, table, |row| {
                    checksum.add(&row);
                    let values = row.iter().map(|v| match v {
                        Value::Null => rusqlite::types::Value::Null,
                        Value::Integer(n) => rusqlite::types::Value::Integer(*n),
                        Value::Text(t) => rusqlite::types::Value::Text(t.clone()),
                        Value::Blob(b) => rusqlite::types::Value::Blob(b.clone()),
                    });
                    insert.execute(rusqlite::params_from_iter(values))?;
                    meter.row();
                    Ok(())
                })
                .map_err(|e| database_error(&target, e))??;
                sources.push(checksum);
            }
            meter.table("the search index");
            let indexed = conn.execute(
                "INSERT INTO ticket_search (rowid, subject, body, customer)
                 SELECT id, subject, body, customer FROM ticket_search_docs
                 WHERE id >= (SELECT pending_below FROM search_state)",
                [],
            )? as u64;
            crate::store::search_terms::list_all_words(conn)?;
            meter.table("the filter index");
            conn.execute(
                "INSERT INTO ticket_filter (rowid, text) SELECT id, text FROM ticket_filter_docs
                 WHERE id >= (SELECT pending_below FROM filter_index_state)
                   AND id NOT IN (SELECT ticket_id FROM filter_queue)",
                [],
            )?;
            for (_, sql) in &triggers {
                conn.execute_batch(sql)?;
            }
            meter.table("checking");
            let mut checks = Vec::new();
            for (table, source) in tables.iter().zip(&sources) {
                let mut written = Checksum::default();
                sqlite_rows(conn, table, |row| {
                    written.add(&row);
                    Ok(())
                })?;
                checks.push(check(table, source, &written));
            }
            if let Some(bad) = checks.iter().find(|c| !c.matches()) {
                return Err(mismatch(bad));
            }
            Ok(MigrationReport { tables: checks, indexed })
        });
        let _ = tx.commit();
        Ok(result?)
    }

    /// Only a desk at the schema both backends know can move.
    fn check_sqlite_version(&self) -> Result<()> {
        self.check_writable()?;
        let version: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version != SCHEMA_VERSION {
            return Err(StoreError::Invalid(format!(
                "{} is at schema {version} and PostgreSQL's desk at {SCHEMA_VERSION}; open it with this frontdesk first",
                self.path.display()
            )));
        }
        Ok(())
    }
}

/// What can fail while filling a file from PostgreSQL.
enum Fill {
    Store(StoreError),
    Postgres(postgres::Error),
}

impl From<StoreError> for Fill {
    fn from(e: StoreError) -> Self {
        Fill::Store(e)
    }
}

impl From<postgres::Error> for Fill {
    fn from(e: postgres::Error) -> Self {
        Fill::Postgres(e)
    }
}

/// A target holding anything but the schema's own state rows is another desk: refused.
fn refuse_postgres_desk(tx: &mut postgres::Transaction<'_>, tables: &[Table], target: &PostgresTarget) -> Result<()> {
    for table in tables.iter().filter(|t| !STATE_TABLES.contains(&t.name.as_str())) {
        let found: Option<i64> = tx
            .query_opt(&format!("SELECT 1::bigint FROM \"{}\" LIMIT 1", table.name), &[])
            .map_err(|e| database_error(target, e))?
            .map(|row| row.get(0));
        if found.is_some() {
            return Err(StoreError::Invalid(format!(
                "PostgreSQL at {target} already holds a desk (its table {} has rows); migrate --to needs an empty database",
                table.name
            )));
        }
    }
    Ok(())
}

/// Identity columns go on after the highest id copied, so new rows get new numbers.
fn restart_identities(tx: &mut postgres::Transaction<'_>) -> std::result::Result<(), postgres::Error> {
    let identities = tx.query(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES'",
        &[],
    )?;
    for row in identities {
        let (table, column): (String, String) = (row.get(0), row.get(1));
        tx.execute(
            &format!(
                "SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), max(\"{column}\")) FROM \"{table}\"
                 HAVING max(\"{column}\") IS NOT NULL"
            ),
            &[],
        )?;
    }
    Ok(())
}

fn check(table: &Table, source: &Checksum, written: &Checksum) -> TableCheck {
    TableCheck {
        table: table.name.clone(),
        source_rows: source.rows,
        target_rows: written.rows,
        source_checksum: source.hex(),
        target_checksum: written.hex(),
    }
}

fn mismatch(bad: &TableCheck) -> StoreError {
    StoreError::Invalid(format!(
        "the copy of {} does not match its source ({} rows, checksum {}; copied {} rows, checksum {}); nothing was moved",
        bad.table, bad.source_rows, bad.source_checksum, bad.target_rows, bad.target_checksum
    ))
}

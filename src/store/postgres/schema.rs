//! The PostgreSQL schema's migrations, recorded in `frontdesk_schema` (SQLite keeps its version in
//! `PRAGMA user_version`). The versions are SQLite's: the first step makes the desk as SQLite's
//! schema 24 holds it, and each later step of SQLite's gets a step of the same number here, so a
//! desk moves between the two only at one version.

/// Each step: the version it brings the schema to, and its SQL (run in one transaction).
const MIGRATIONS: &[(i64, &str)] = &[
    (24, include_str!("desk.sql")),
    // SQLite's 25 rewrote conditions SQLite tests slowly (lists of three constants); PostgreSQL
    // has no such cost, and its schema is the same without the step.
    (25, "SELECT 1"),
    (26, include_str!("rule_checks.sql")),
    (27, include_str!("created_blocks.sql")),
    // SQLite's 28 clusters a ticket's events in an index because a SQLite connection in WAL mode
    // reads every page again after another's commit; PostgreSQL's shared buffers outlive a
    // commit, so its schema is the same without the step.
    (28, "SELECT 1"),
    (29, "CREATE INDEX IF NOT EXISTS ratings_by_kind_time ON ratings(kind, created_at)"),
    (30, include_str!("report_facts_by_time.sql")),
    // SQLite's 31 lists the words of its FTS5 index, for prefixes FTS5 answers slowly; the
    // tsvector index answers them its own way, and its schema is the same without the step.
    (31, "SELECT 1"),
];

/// The schema version this frontdesk writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// Any number, the same for every frontdesk: migrations of one desk wait for each other.
const MIGRATION_LOCK: i64 = 0x6672_6f6e_7464_6573;

const VERSION_TABLE: &str = "CREATE TABLE IF NOT EXISTS frontdesk_schema (
    id      bigint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
)";

/// Bring the schema up to date, one transaction per step. Returns the version found when it is
/// newer than this frontdesk knows (then nothing is changed).
pub(super) fn migrate(client: &mut postgres::Client) -> Result<Option<i64>, postgres::Error> {
    loop {
        let mut tx = client.transaction()?;
        // Another frontdesk may be migrating the same desk: wait for it, then see what it did.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        tx.batch_execute(VERSION_TABLE)?;
        let current: i64 =
            tx.query_opt("SELECT version FROM frontdesk_schema WHERE id = 1", &[])?.map(|row| row.get(0)).unwrap_or(0);
        if current > SCHEMA_VERSION {
            return Ok(Some(current));
        }
        let Some((next, sql)) = MIGRATIONS.iter().find(|(version, _)| *version > current) else {
            return Ok(None);
        };
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO frontdesk_schema (id, version) VALUES (1, $1)
             ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version",
            &[next],
        )?;
        tx.commit()?;
    }
}

pub(super) fn version(client: &mut postgres::Client) -> Result<i64, postgres::Error> {
    Ok(client.query_opt("SELECT version FROM frontdesk_schema WHERE id = 1", &[])?.map(|row| row.get(0)).unwrap_or(0))
}

/// Run every step again on a database that has them (migrations must be rerunnable), for tests.
pub(super) fn run_all_again(client: &mut postgres::Client) -> Result<(), postgres::Error> {
    let mut tx = client.transaction()?;
    for (_, sql) in MIGRATIONS {
        tx.batch_execute(sql)?;
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_versions_follow_sqlites() {
        assert_eq!(super::SCHEMA_VERSION, crate::store::migrations::MIGRATIONS.len() as i64);
        assert!(super::MIGRATIONS.windows(2).all(|w| w[0].0 < w[1].0));
    }
}

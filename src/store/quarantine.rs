//! Mail that import refused, kept whole with the reason, until an agent releases it.

use super::{now_millis, Result, Store, StoreError};
use rusqlite::{params, OptionalExtension};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantinedMail {
    pub id: i64,
    pub reason: String,
    /// Where it came from: a file, a mailbox entry, or stdin.
    pub source: String,
    pub size: u64,
    pub created_at: crate::domain::Timestamp,
    pub released: bool,
}

const COLUMNS: &str = "id, reason, source, size, created_at, released_at";

fn row(r: &rusqlite::Row) -> rusqlite::Result<QuarantinedMail> {
    Ok(QuarantinedMail {
        id: r.get(0)?,
        reason: r.get(1)?,
        source: r.get(2)?,
        size: r.get::<_, i64>(3)? as u64,
        created_at: super::rows::time(r, 4)?,
        released: r.get::<_, Option<i64>>(5)?.is_some(),
    })
}

impl Store {
    /// Keep `raw` aside with its reason. The same mail twice is kept once: returns (id, was it new).
    pub fn quarantine(&self, raw: &[u8], hash: &str, reason: &str, source: &str) -> Result<(i64, bool)> {
        self.write(|conn| {
            let existing: Option<i64> =
                conn.query_row("SELECT id FROM quarantine WHERE content_hash = ?1", [hash], |r| r.get(0)).optional()?;
            if let Some(id) = existing {
                return Ok((id, false));
            }
            conn.execute(
                "INSERT INTO quarantine (reason, source, size, content_hash, raw, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![reason, source, raw.len() as i64, hash, raw, now_millis()],
            )?;
            Ok((conn.last_insert_rowid(), true))
        })
    }

    /// Quarantined mail, oldest first; released ones only when asked.
    pub fn quarantined(&self, include_released: bool) -> Result<Vec<QuarantinedMail>> {
        let sql = format!("SELECT {COLUMNS} FROM quarantine WHERE ?1 OR released_at IS NULL ORDER BY id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([include_released], row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn quarantined_mail(&self, id: i64) -> Result<(QuarantinedMail, Vec<u8>)> {
        let sql = format!("SELECT {COLUMNS}, raw FROM quarantine WHERE id = ?1");
        let found = self.conn.query_row(&sql, [id], |r| Ok((row(r)?, r.get::<_, Vec<u8>>(6)?))).optional()?;
        found.ok_or_else(|| StoreError::Invalid(format!("quarantined mail {id} does not exist")))
    }

    pub fn mark_released(&self, id: i64) -> Result<()> {
        self.write(|conn| {
            conn.execute("UPDATE quarantine SET released_at = ?1 WHERE id = ?2", params![now_millis(), id])?;
            Ok(())
        })
    }
}

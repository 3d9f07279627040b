//! The raw bytes of headers that declared no charset, kept beside the text read from them.

use super::{Result, Store};
use crate::domain::mail::RawHeader;
use rusqlite::{params, Connection};

pub(crate) fn insert(conn: &Connection, message: i64, headers: &[RawHeader]) -> Result<()> {
    if headers.is_empty() {
        return Ok(());
    }
    let mut stmt = conn
        .prepare_cached("INSERT INTO message_raw_headers (message_id, field, charset, raw) VALUES (?1, ?2, ?3, ?4)")?;
    for h in headers {
        stmt.execute(params![message, h.field, h.charset, h.raw])?;
    }
    Ok(())
}

impl Store {
    /// A message's headers that were read in a guessed charset, in the order they were read.
    pub fn raw_headers(&self, message: i64) -> Result<Vec<RawHeader>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT field, charset, raw FROM message_raw_headers WHERE message_id = ?1 ORDER BY rowid",
        )?;
        let rows =
            stmt.query_map([message], |r| Ok(RawHeader { field: r.get(0)?, charset: r.get(1)?, raw: r.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

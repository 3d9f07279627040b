//! Tags across the desk, for the tag picker.

use super::{Result, Store};

impl Store {
    /// The most used ticket tags, most used first (from the kept counts: no scan of the tags).
    pub fn popular_tags(&self, limit: usize) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT tag FROM tag_counts GROUP BY tag HAVING sum(n) > 0 ORDER BY sum(n) DESC, tag LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
    }
}

//! The words the search index holds, so that a prefix costs what its words cost.
//!
//! FTS5 answers a prefix its `prefix = '2 3'` indexes do not cover (`deliv*`) by merging the whole
//! list of tickets of every word that starts so before it returns the first: 19–27 ms at a million
//! tickets, ten times the cost at 100k. One word is read newest first and stops at the page
//! (0.35 ms at a million). So a longer prefix is looked up in `ticket_search_terms` and searched
//! as the words it stands for, `("delivered" OR "delivery")`, which finds the same tickets.
//!
//! The list is kept as the index is written: the words of each batch [`Store::index_queued`]
//! indexes are read from a scratch FTS5 table with the same tokenizer, so they are the index's own
//! words, not a guess. A desk's whole index (one made before the list, or built in bulk) is read
//! into it from `fts5vocab` in steps by term, newest words first being no concern: until the
//! list is complete (no row in `ticket_search_terms_build`) prefixes are searched as FTS5 does.
//! Words of tickets deleted or erased may stay; they match nothing. [`Store::erase_customer`]
//! removes an erased customer's words that no ticket holds any more.

use super::{Result, Store};
use crate::domain::search::{fts_expression, Term};
use rusqlite::{params, Connection, OptionalExtension};

/// How many words one step of reading the index's list takes (one short write each).
pub const TERMS_BATCH: usize = 5_000;

/// The longest prefix the index answers by itself (its `prefix = '2 3'`).
const INDEXED_PREFIX: usize = 3;

/// A prefix standing for more words than this is left to FTS5: an OR of hundreds of words costs
/// more than the merge it saves.
const MOST_WORDS: usize = 64;

/// The connection's scratch tables: `fts5vocab` views of the index and of a scratch index with
/// the same tokenizer, in the temporary schema (nothing of it reaches the file).
fn scratch(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.ticket_search_words USING fts5vocab(main, ticket_search, row);
         CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_scratch USING fts5(
             subject, body, customer, content = '', tokenize = 'unicode61 remove_diacritics 2');
         CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_scratch_words USING fts5vocab(temp, search_scratch, row);",
    )
}

/// Add to the list the words of the tickets whose numbers `ids` holds (as a list for `IN`).
pub(super) fn add_words_of(conn: &Connection, ids: &str) -> rusqlite::Result<()> {
    scratch(conn)?;
    conn.execute_batch(&format!(
        "INSERT INTO temp.search_scratch (rowid, subject, body, customer)
             SELECT id, subject, body, customer FROM ticket_search_docs WHERE id IN ({ids});
         INSERT OR IGNORE INTO ticket_search_terms (term) SELECT term FROM temp.search_scratch_words;
         INSERT INTO temp.search_scratch (search_scratch) VALUES ('delete-all');"
    ))
}

/// The words of the tickets `ids` holds, as the index would hold them.
pub(super) fn words_of(conn: &Connection, ids: &str) -> rusqlite::Result<Vec<String>> {
    scratch(conn)?;
    conn.execute(
        &format!(
            "INSERT INTO temp.search_scratch (rowid, subject, body, customer)
             SELECT id, subject, body, customer FROM ticket_search_docs WHERE id IN ({ids})"
        ),
        [],
    )?;
    let words = conn
        .prepare("SELECT term FROM temp.search_scratch_words")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>();
    conn.execute("INSERT INTO temp.search_scratch (search_scratch) VALUES ('delete-all')", [])?;
    words
}

/// Take out of the list those of `words` no ticket in the index holds any more.
pub(super) fn drop_words_gone(conn: &Connection, words: &[String]) -> rusqlite::Result<()> {
    let mut held = conn.prepare("SELECT 1 FROM ticket_search WHERE ticket_search MATCH ?1 LIMIT 1")?;
    let mut drop = conn.prepare("DELETE FROM ticket_search_terms WHERE term = ?1")?;
    for word in words {
        let quoted = format!("\"{}\"", word.replace('"', "\"\""));
        if held.query_row([&quoted], |_| Ok(())).optional()?.is_none() {
            drop.execute([word])?;
        }
    }
    Ok(())
}

/// List every word of the index at once, in the caller's transaction (a desk moved in whole).
pub(super) fn list_all_words(conn: &Connection) -> rusqlite::Result<()> {
    scratch(conn)?;
    conn.execute("INSERT OR IGNORE INTO ticket_search_terms (term) SELECT term FROM temp.ticket_search_words", [])?;
    Ok(())
}

/// Read the whole index's words into the list again, from the first word on, once the index's
/// bulk build is done.
pub(super) fn read_again(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("INSERT OR REPLACE INTO ticket_search_terms_build (id, after) VALUES (1, '')", [])?;
    Ok(())
}

impl Store {
    /// Whether the list of the index's words is still being read from the index.
    pub fn search_terms_pending(&self) -> Result<bool> {
        Ok(self.conn.query_row("SELECT EXISTS (SELECT 1 FROM ticket_search_terms_build)", [], |r| r.get(0))?)
    }

    /// Read the next `batch` words of the index into the list, in one short write. Returns `true`
    /// when nothing is left to do now: the list is complete, or the index itself is being built
    /// (its build reads the list again when it is done).
    pub fn build_search_terms_step(&self, batch: usize) -> Result<bool> {
        self.write(|conn| {
            let Some(after) = conn
                .query_row("SELECT after FROM ticket_search_terms_build", [], |r| r.get::<_, String>(0))
                .optional()?
            else {
                return Ok(true);
            };
            let building: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM tickets WHERE id < (SELECT pending_below FROM search_state))",
                [],
                |r| r.get(0),
            )?;
            if building {
                return Ok(true);
            }
            scratch(conn)?;
            let words: Vec<String> = conn
                .prepare("SELECT term FROM temp.ticket_search_words WHERE term > ?1 ORDER BY term LIMIT ?2")?
                .query_map(params![after, batch as i64], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut add = conn.prepare("INSERT OR IGNORE INTO ticket_search_terms (term) VALUES (?1)")?;
            for word in &words {
                add.execute([word])?;
            }
            match words.last() {
                Some(last) if words.len() == batch => {
                    conn.execute("UPDATE ticket_search_terms_build SET after = ?1", [last])?;
                    Ok(false)
                }
                _ => {
                    conn.execute("DELETE FROM ticket_search_terms_build", [])?;
                    Ok(true)
                }
            }
        })
    }

    /// Read the whole list, step by step (once the index is complete).
    pub fn build_search_terms(&self) -> Result<()> {
        while !self.build_search_terms_step(TERMS_BATCH)? {}
        Ok(())
    }

    /// How many words of the index its list lacks (0 while the list is still being read).
    pub fn search_terms_missing(&self) -> Result<i64> {
        if self.search_terms_pending()? {
            return Ok(0);
        }
        scratch(&self.conn)?;
        Ok(self.conn.query_row(
            "SELECT count(*) FROM temp.ticket_search_words w
             WHERE NOT EXISTS (SELECT 1 FROM ticket_search_terms t WHERE t.term = w.term)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Read the list of the index's words again from the index (`check --repair`).
    pub fn rebuild_search_terms(&self) -> Result<()> {
        self.write(|conn| Ok(read_again(conn)?))?;
        self.build_search_terms()
    }

    /// The FTS5 expression a search matches with: [`fts_expression`]'s, but a prefix longer than
    /// the index's own prefixes written as the words it stands for when the list knows them.
    pub fn search_expression(&self, terms: &[Term]) -> Result<String> {
        let complete = !self.search_terms_pending()?;
        let mut parts = Vec::with_capacity(terms.len());
        for term in terms {
            let words = match term {
                Term::Prefix(prefix) if complete => self.words_starting(prefix)?,
                _ => None,
            };
            parts.push(match words {
                // Each word quoted as a search's own words are.
                Some(words) => {
                    let words: Vec<String> = words.into_iter().map(|w| fts_expression(&[Term::Word(w)])).collect();
                    format!("({})", words.join(" OR "))
                }
                None => fts_expression(std::slice::from_ref(term)),
            });
        }
        // FTS5 reads two phrases side by side as both, but not a bracket and what follows it.
        Ok(parts.join(" AND "))
    }

    /// The words of the index starting with `prefix`, when the list can say: a prefix of ASCII
    /// letters and digits (folded to lower case as the tokenizer does; any other is left to FTS5),
    /// longer than the index's own prefixes, standing for 1 to [`MOST_WORDS`] words.
    fn words_starting(&self, prefix: &str) -> Result<Option<Vec<String>>> {
        if prefix.len() <= INDEXED_PREFIX || !prefix.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Ok(None);
        }
        let low = prefix.to_ascii_lowercase();
        // The first string after every one starting with `low`: its last byte plus one (ASCII).
        let mut high = low.clone().into_bytes();
        *high.last_mut().expect("longer than three") += 1;
        let high = String::from_utf8(high).expect("ASCII");
        let words: Vec<String> = self
            .conn
            .prepare_cached("SELECT term FROM ticket_search_terms WHERE term >= ?1 AND term < ?2 LIMIT ?3")?
            .query_map(params![low, high, MOST_WORDS as i64 + 1], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok((!words.is_empty() && words.len() <= MOST_WORDS).then_some(words))
    }
}

//! A customer's personal data: the surveys the desk mailed them (for an export, GDPR article 15),
//! and their erasure (article 17), which keeps their tickets' rows, statuses, times, events and
//! ratings' scores so reports still count them.

use super::audit::{record, AuditRow};
use super::search_terms;
use super::{now_millis, Result, Store};
use crate::domain::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};

/// A satisfaction survey mailed about one of a customer's tickets.
#[derive(Debug, Clone, PartialEq)]
pub struct Survey {
    pub message_id: String,
    pub ticket_id: i64,
    pub sent_at: Timestamp,
}

/// What an erasure removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erasure {
    pub customer: i64,
    pub tickets: usize,
    pub messages: usize,
    pub attachments: usize,
    /// Quarantined mails that named one of their addresses.
    pub quarantined: usize,
    /// Whether the write-ahead log could be emptied into the file afterwards (no reader held it):
    /// until then it keeps the pages as they were before.
    pub log_emptied: bool,
}

/// The audit log's fields whose values say nothing about the person: kept after an erasure.
const PLAIN_FIELDS: &[&str] =
    &["tier", "status", "priority", "assignee", "satisfaction", "snoozed_until", "customer_id"];

/// Tries to truncate the write-ahead log after an erasure (the last one 1.55 s after the first).
const TRUNCATE_TRIES: u32 = 6;

/// Index pages an erasure merges per write while it purges the search indexes' old segments.
const MERGE_PAGES: i64 = 1000;

impl Store {
    pub fn customer_surveys(&self, customer: i64) -> Result<Vec<Survey>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.message_id, s.ticket_id, s.sent_at FROM surveys s JOIN tickets t ON t.id = s.ticket_id
             WHERE t.customer_id = ?1 ORDER BY s.sent_at, s.message_id",
        )?;
        let rows = stmt.query_map([customer], |r| {
            Ok(Survey { message_id: r.get(0)?, ticket_id: r.get(1)?, sent_at: super::rows::time(r, 2)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Remove customer `id`'s personal data, recorded in the audit log as done by `actor`. Deleted
    /// content is overwritten in the file (`secure_delete`), the search and filter indexes are
    /// rebuilt without it (and the search index's list of words), and the write-ahead log is
    /// emptied into the file when no one reads it.
    pub fn erase_customer(&self, id: i64, actor: &str) -> Result<Erasure> {
        self.customer(id)?;
        let before: i64 = self.conn.pragma_query_value(None, "secure_delete", |r| r.get(0))?;
        self.conn.pragma_update(None, "secure_delete", 1)?;
        // The customer's words, as the index holds them: those no other ticket holds leave the
        // list of the index's words too.
        let words = search_terms::words_of(&self.conn, &format!("SELECT id FROM tickets WHERE customer_id = {id}"))?;
        let erased = self.write(|conn| erase(conn, id, actor)).and_then(|mut erased| {
            self.index_queued()?;
            for index in ["ticket_search", "ticket_filter"] {
                self.merge_all_segments(index)?;
            }
            self.write(|conn| Ok(search_terms::drop_words_gone(conn, &words)?))?;
            erased.log_emptied = self.empty_log();
            Ok(erased)
        });
        let _ = self.conn.pragma_update(None, "secure_delete", before);
        erased
    }

    /// Merge the FTS5 table `index` into one segment, so no old segment keeps an erased
    /// customer's words, in short writes of `MERGE_PAGES` pages each (a whole `optimize` of a large
    /// desk's index would hold the write lock for seconds): the first one starts an incremental
    /// optimize, the next ones go on until one does no work (fewer than two changes).
    fn merge_all_segments(&self, index: &str) -> Result<()> {
        let sql = format!("INSERT INTO {index} ({index}, rank) VALUES ('merge', ?1)");
        let mut pages = -MERGE_PAGES;
        loop {
            let before = self.conn.total_changes();
            self.write(|conn| Ok(conn.execute(&sql, [pages])?))?;
            if pages > 0 && self.conn.total_changes() - before < 2 {
                return Ok(());
            }
            pages = MERGE_PAGES;
        }
    }

    /// Rewrite the whole file without its free space (`VACUUM`): old copies of rows written before
    /// content was zeroed as it was freed (by an older frontdesk) go too. As slow as a backup, and
    /// it needs as much free disk; other writers wait for it.
    pub fn rewrite_file(&self) -> Result<()> {
        self.check_writable()?;
        self.conn.execute_batch("VACUUM")?;
        self.empty_log();
        Ok(())
    }

    /// Copy the write-ahead log into the file and truncate it; false when readers kept it. The
    /// copy (PASSIVE) holds nobody up; each try to truncate waits only a moment for the readers
    /// of the moment, as writers wait meanwhile, and a few are made, further apart each time.
    fn empty_log(&self) -> bool {
        if self.path.as_os_str() == ":memory:" {
            return true;
        }
        let _ = self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        for attempt in 0..TRUNCATE_TRIES {
            if attempt > 0 {
                std::thread::sleep(std::time::Duration::from_millis(50 << (attempt - 1)));
            }
            let busy: rusqlite::Result<i64> =
                self.wal.waiting_briefly(|| self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0)));
            if matches!(busy, Ok(0)) {
                return true;
            }
        }
        false
    }
}

fn erase(conn: &Connection, id: i64, actor: &str) -> Result<Erasure> {
    let emails: Vec<String> = conn
        .prepare("SELECT lower(email) FROM customer_emails WHERE customer_id = ?1")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    conn.execute("INSERT OR IGNORE INTO erasing (customer_id) VALUES (?1)", [id])?;
    let tickets = "SELECT id FROM tickets WHERE customer_id = ?1";
    // A customer writes only on their own tickets (a ticket merge keeps to one customer); by
    // ticket the messages are read from their index, not by a scan of every message.
    let messages = format!("SELECT id FROM messages WHERE ticket_id IN ({tickets})");
    let count = |sql: &str| -> Result<usize> { Ok(conn.query_row(sql, [id], |r| r.get::<_, i64>(0))? as usize) };
    let mut erased = Erasure {
        customer: id,
        tickets: count(&format!("SELECT count(*) FROM ({tickets})"))?,
        messages: count(&format!("SELECT count(*) FROM ({messages})"))?,
        attachments: count(&format!("SELECT count(*) FROM attachments WHERE message_id IN ({messages})"))?,
        ..Erasure::default()
    };
    let name = format!("erased customer #{id}");
    conn.execute("UPDATE customers SET name = ?2, phone = NULL, notes = '' WHERE id = ?1", params![id, name])?;
    let statements = [
        "DELETE FROM customer_emails WHERE customer_id = ?1".to_string(),
        "DELETE FROM customer_tags WHERE customer_id = ?1".to_string(),
        format!("DELETE FROM attachments WHERE message_id IN ({messages})"),
        format!("DELETE FROM message_raw_headers WHERE message_id IN ({messages})"),
        format!("DELETE FROM message_addresses WHERE message_id IN ({messages})"),
        format!(
            "UPDATE messages SET body = '', sender_email = NULL, in_reply_to = NULL, email_references = NULL
             WHERE id IN ({messages})"
        ),
        // Mail not sent yet never goes; what was sent keeps its row, not its text.
        format!("DELETE FROM outbox WHERE sent_at IS NULL AND ticket_id IN ({tickets})"),
        format!("UPDATE outbox SET recipient = '', raw = X'' WHERE ticket_id IN ({tickets})"),
        format!("DELETE FROM drafts WHERE ticket_id IN ({tickets})"),
        // What an undo would put back (a rating's comment among it) goes with the text.
        format!("DELETE FROM undo_details WHERE event_id IN (SELECT id FROM events WHERE ticket_id IN ({tickets}))"),
        "UPDATE tickets SET subject = 'erased', satisfaction_comment = NULL, version = version + 1
         WHERE customer_id = ?1"
            .to_string(),
        "UPDATE ratings SET comment = '' WHERE customer_id = ?1".to_string(),
    ];
    for sql in &statements {
        conn.execute(sql, [id])?;
    }
    let plain = PLAIN_FIELDS.iter().map(|f| format!("'{f}'")).collect::<Vec<_>>().join(", ");
    let cleared = "old = CASE WHEN old IS NULL THEN NULL ELSE 'erased' END, \
                   new = CASE WHEN new IS NULL THEN NULL ELSE 'erased' END";
    conn.execute(
        // A ticket's `created` event holds its subject; its other events hold ids, states and tags.
        &format!("UPDATE events SET {cleared} WHERE ticket_id IN ({tickets}) AND field = 'created'"),
        [id],
    )?;
    conn.execute(&format!("UPDATE audit SET {cleared} WHERE customer_id = ?1 AND field NOT IN ({plain})"), [id])?;
    for email in &emails {
        forget_in_others_addresses(conn, email)?;
        hash_message_ids_naming(conn, id, email)?;
        hash_references_naming(conn, email)?;
        erased.quarantined +=
            conn.execute("DELETE FROM quarantine WHERE instr(lower(CAST(raw AS TEXT)), ?1) > 0", [email])?;
    }
    conn.execute("DELETE FROM erasing WHERE customer_id = ?1", [id])?;
    let what = format!(
        "{} tickets, {} messages, {} attachments, {} quarantined mails",
        erased.tickets, erased.messages, erased.attachments, erased.quarantined
    );
    let subject = id.to_string();
    record(conn, &AuditRow::customer(actor, &subject, "erased", None, Some(&what)), now_millis())?;
    Ok(erased)
}

/// What a kept Message-ID that named an erased customer becomes: a one-way hash of it, so the
/// same mail imported again is still recognised (see [`stored_message_id_forms`]).
pub(crate) fn erased_message_id(id: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(id.as_bytes());
    format!("erased-sha256-{}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// The forms a Message-ID can be stored in: as it is, or hashed by an erasure.
pub(crate) fn stored_message_id_forms(id: &str) -> [String; 2] {
    [id.to_string(), erased_message_id(id)]
}

/// The erased customer's messages keep their Message-IDs (re-importing an old mail stays a
/// no-op), but one that holds their address is kept only as its hash.
fn hash_message_ids_naming(conn: &Connection, customer: i64, email: &str) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, email_message_id FROM messages
         WHERE ticket_id IN (SELECT id FROM tickets WHERE customer_id = ?1)
           AND email_message_id IS NOT NULL AND instr(lower(email_message_id), ?2) > 0",
    )?;
    let naming = stmt
        .query_map(params![customer, email], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (message, id) in naming {
        conn.execute(
            "UPDATE messages SET email_message_id = ?1 WHERE id = ?2",
            params![erased_message_id(&id), message],
        )?;
    }
    Ok(())
}

/// Any message's In-Reply-To and References that name a Message-ID holding the erased address
/// (a reply to their mail, theirs or another's): each such id is kept as its hash, as the
/// message's own id is, so the references still match one another and nothing else.
fn hash_references_naming(conn: &Connection, email: &str) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, in_reply_to, email_references FROM messages
         WHERE instr(lower(coalesce(in_reply_to, '') || ' ' || coalesce(email_references, '')), ?1) > 0",
    )?;
    type References = (i64, Option<String>, Option<String>);
    let rows = stmt
        .query_map([email], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<References>>>()?;
    let hashed = |ids: Option<String>| {
        ids.map(|ids| {
            let naming = |id: &str| id.to_ascii_lowercase().contains(email);
            ids.split(' ')
                .map(|id| if naming(id) { erased_message_id(id) } else { id.to_string() })
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    for (message, in_reply_to, references) in rows {
        conn.execute(
            "UPDATE messages SET in_reply_to = ?2, email_references = ?3 WHERE id = ?1",
            params![message, hashed(in_reply_to), hashed(references)],
        )?;
    }
    Ok(())
}

/// Other customers' messages that were copied to the erased address: it leaves their Cc, Bcc and
/// Reply-To, the envelope of their mail, and the mail kept in the outbox (as an address that goes
/// nowhere, so the headers still read).
fn forget_in_others_addresses(conn: &Connection, email: &str) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT message_id, cc, bcc, reply_to FROM message_addresses
         WHERE instr(lower(coalesce(cc, '') || char(10) || coalesce(bcc, '') || char(10) || coalesce(reply_to, '')), ?1) > 0",
    )?;
    type Lists = (i64, Option<String>, Option<String>, Option<String>);
    let rows = stmt
        .query_map([email], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<Lists>>>()?;
    for (message, cc, bcc, reply_to) in rows {
        let [cc, bcc, reply_to] = [cc, bcc, reply_to].map(|list| without_address(list, "\n", email));
        conn.execute(
            "UPDATE message_addresses SET cc = ?2, bcc = ?3, reply_to = ?4 WHERE message_id = ?1",
            params![message, cc, bcc, reply_to],
        )?;
        let outbox: Option<(String, Vec<u8>)> = conn
            .query_row("SELECT recipient, raw FROM outbox WHERE message_id = ?1", [message], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if let Some((recipient, raw)) = outbox {
            let recipient = without_address(Some(recipient), ", ", email).unwrap_or_default();
            let raw = without_erased_names(&replace_ignoring_case(&raw, email.as_bytes(), ERASED_ADDRESS.as_bytes()));
            conn.execute(
                "UPDATE outbox SET recipient = ?2, raw = ?3 WHERE message_id = ?1",
                params![message, recipient, raw],
            )?;
        }
    }
    Ok(())
}

/// Where an erased address stood in a kept mail: a reserved domain, so nothing is ever sent there.
const ERASED_ADDRESS: &str = "erased@erased.invalid";

/// `list` (addresses joined by `separator`, each bare or as `Name <address>`) without `email`;
/// `None` when nothing is left.
fn without_address(list: Option<String>, separator: &str, email: &str) -> Option<String> {
    let address = |entry: &str| {
        let entry = entry.trim();
        match (entry.rfind('<'), entry.rfind('>')) {
            (Some(open), Some(close)) if open < close => entry[open + 1..close].trim().to_string(),
            _ => entry.to_string(),
        }
    };
    let kept: Vec<&str> = list
        .as_deref()?
        .split(separator)
        .filter(|entry| !entry.trim().is_empty() && !address(entry).eq_ignore_ascii_case(email))
        .collect();
    (!kept.is_empty()).then(|| kept.join(separator))
}

/// A kept mail's headers without the display name of each erased address (`Zebedee Q
/// <erased@erased.invalid>` becomes `<erased@erased.invalid>`): the name, encoded or not, is the
/// phrase between the entry's separator (`:`, `,`, or the start of an unfolded line) and the
/// address. The body is left as it is.
fn without_erased_names(raw: &[u8]) -> Vec<u8> {
    let header_end =
        memchr::memmem::find(raw, b"\r\n\r\n").or_else(|| memchr::memmem::find(raw, b"\n\n")).unwrap_or(raw.len());
    let marker = format!("<{ERASED_ADDRESS}>");
    let mut out = Vec::with_capacity(raw.len());
    let mut copied = 0;
    for at in memchr::memmem::find_iter(&raw[..header_end], marker.as_bytes()) {
        if at < copied {
            continue;
        }
        let mut start = at;
        while start > copied {
            let byte = raw[start - 1];
            let unfolded_line_start = byte == b'\n' && !matches!(raw.get(start), Some(b' ' | b'\t'));
            if byte == b':' || byte == b',' || unfolded_line_start {
                break;
            }
            start -= 1;
        }
        out.extend_from_slice(&raw[copied..start]);
        if start > 0 && raw[start - 1] != b'\n' {
            out.push(b' ');
        }
        copied = at;
    }
    out.extend_from_slice(&raw[copied..]);
    out
}

/// `haystack` with every occurrence of `needle` (ASCII case ignored) replaced by `with`.
fn replace_ignoring_case(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut at = 0;
    while at < haystack.len() {
        if haystack.len() - at >= needle.len() && haystack[at..at + needle.len()].eq_ignore_ascii_case(needle) {
            out.extend_from_slice(with);
            at += needle.len();
        } else {
            out.push(haystack[at]);
            at += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_erased_address_loses_its_display_name_in_the_headers_only() {
        let raw = b"To: hiro@shop.example\r\nCc: \"Zebedee Q\" <erased@erased.invalid>, boss@shop.example,\r\n =?utf-8?q?Zeb=C3=A9d=C3=A9e?= <erased@erased.invalid>\r\n\r\nZebedee Q <erased@erased.invalid> stays in the body.\r\n";
        let kept = String::from_utf8(super::without_erased_names(raw)).unwrap();
        assert_eq!(
            kept,
            "To: hiro@shop.example\r\nCc: <erased@erased.invalid>, boss@shop.example, <erased@erased.invalid>\r\n\r\nZebedee Q <erased@erased.invalid> stays in the body.\r\n"
        );
    }

    use super::*;

    #[test]
    fn an_address_leaves_a_list_in_any_case_and_form_and_only_that_address() {
        let list = "Zeb <Zeb@M.example>\nxzeb@m.example\nboss@shop.example".to_string();
        assert_eq!(
            without_address(Some(list), "\n", "zeb@m.example").as_deref(),
            Some("xzeb@m.example\nboss@shop.example")
        );
        assert_eq!(without_address(Some("zeb@m.example".into()), ", ", "zeb@m.example"), None);
        assert_eq!(without_address(None, "\n", "zeb@m.example"), None);
        assert_eq!(replace_ignoring_case(b"Cc: <ZEB@m.example>", b"zeb@m.example", b"x@y"), b"Cc: <x@y>".to_vec());
    }

    #[test]
    fn a_hashed_message_id_is_one_way_and_the_same_for_the_same_id() {
        let hashed = erased_message_id("<4471.zeb@m.example>");
        assert!(hashed.starts_with("erased-sha256-") && !hashed.contains("zeb"));
        assert_eq!(stored_message_id_forms("<4471.zeb@m.example>")[1], hashed);
        assert_ne!(erased_message_id("<4472.zeb@m.example>"), hashed);
    }
}

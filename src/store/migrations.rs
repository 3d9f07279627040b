//! Schema migrations, applied by `PRAGMA user_version`, each in one transaction.

/// Each entry moves the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    DESK,
    MAIL,
    SEARCH_INDEX,
    PRESENCE,
    RATINGS_AND_SNOOZES,
    DUE_TIMES,
    WAITING,
    AUDIT,
    UNDO,
    RAW_HEADERS,
    DESK_SERVICE,
    REPLY_ADDRESSES,
    MAILBOXES,
    MAILBOX_PROBLEMS,
    TICKET_COUNTS,
    TICKET_MAILBOXES,
    FILTER_INDEX,
    REPORT_EVENTS,
    PRIORITY_PAGES,
    FILTER_INDEX_DEFERRED,
    ORGANIZATION_RECORDS,
    ERASURE,
    RULES,
    REPORT_FACTS,
    PLAIN_PREDICATES,
    RULE_CHECKS,
    CREATED_BLOCKS_AND_WARNINGS,
    EVENTS_IN_TICKET_ORDER,
    RATINGS_BY_TIME,
    REPORT_FACTS_BY_TIME,
    SEARCH_TERMS,
];

/// The desk: organizations, customers and their addresses and tags, agents, tickets and their tags,
/// messages, the event log and drafts.
const DESK: &str = r#"
CREATE TABLE organizations (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    domains TEXT NOT NULL DEFAULT ''
);

CREATE TABLE customers (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    phone           TEXT,
    organization_id INTEGER REFERENCES organizations(id),
    tier            TEXT NOT NULL DEFAULT 'standard'
                    CHECK (tier IN ('standard', 'silver', 'gold', 'vip')),
    notes           TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
);

-- Several addresses per customer, unique without regard to case.
CREATE TABLE customer_emails (
    email       TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX customer_emails_by_customer ON customer_emails(customer_id, position);

CREATE TABLE customer_tags (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    tag         TEXT NOT NULL,
    PRIMARY KEY (customer_id, tag)
);

CREATE TABLE agents (
    login      TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    email      TEXT,
    role       TEXT NOT NULL CHECK (role IN ('agent', 'admin')),
    signature  TEXT NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);

CREATE TABLE tickets (
    id                   INTEGER PRIMARY KEY,
    subject              TEXT NOT NULL,
    customer_id          INTEGER NOT NULL REFERENCES customers(id),
    assignee             TEXT REFERENCES agents(login),
    status               TEXT NOT NULL
                         CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
    priority             TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    channel              TEXT NOT NULL CHECK (channel IN ('email', 'phone', 'chat', 'web', 'social')),
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    first_response_at    INTEGER,
    solved_at            INTEGER,
    snoozed_until        INTEGER,
    version              INTEGER NOT NULL DEFAULT 1,
    satisfaction         INTEGER,
    satisfaction_comment TEXT
);
CREATE INDEX tickets_by_updated ON tickets(updated_at, id);
CREATE INDEX tickets_active_by_updated ON tickets(updated_at, id)
    WHERE status IN ('new', 'open', 'pending', 'on_hold');
CREATE INDEX tickets_by_assignee ON tickets(assignee, updated_at, id);
CREATE INDEX tickets_by_customer ON tickets(customer_id, created_at);

CREATE TABLE ticket_tags (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    PRIMARY KEY (ticket_id, tag)
) WITHOUT ROWID;
CREATE INDEX ticket_tags_by_tag ON ticket_tags(tag, ticket_id);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    ticket_id       INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('customer', 'reply', 'note', 'system')),
    author_login    TEXT REFERENCES agents(login),
    author_customer INTEGER REFERENCES customers(id),
    body            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    email_message_id TEXT,
    in_reply_to     TEXT,
    email_references TEXT
);
CREATE INDEX messages_by_ticket ON messages(ticket_id, id);

-- Append-only audit log: who changed what on a ticket, and when.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    actor      TEXT NOT NULL,
    field      TEXT NOT NULL,
    old        TEXT,
    new        TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX events_by_ticket ON events(ticket_id, id);
CREATE TRIGGER events_are_append_only BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

CREATE TABLE drafts (
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    agent      TEXT NOT NULL REFERENCES agents(login),
    kind       TEXT NOT NULL CHECK (kind IN ('reply', 'note')),
    body       TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, agent)
);
"#;

/// Email: how each message was threaded, duplicates, attachments, follow-ups, quarantine, outbox.
const MAIL: &str = r#"
ALTER TABLE messages ADD COLUMN thread_rule TEXT;
ALTER TABLE messages ADD COLUMN content_hash TEXT;
ALTER TABLE messages ADD COLUMN sender_email TEXT;
CREATE UNIQUE INDEX messages_by_email_id ON messages(email_message_id) WHERE email_message_id IS NOT NULL;
CREATE INDEX messages_by_content_hash ON messages(content_hash) WHERE content_hash IS NOT NULL;

-- A reply to a closed ticket opens a new ticket that follows it.
CREATE TABLE ticket_follow_ups (
    ticket_id INTEGER NOT NULL PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    follows   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE
);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    message_id   INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    inline       INTEGER NOT NULL DEFAULT 0,
    content_id   TEXT,
    data         BLOB NOT NULL
);
CREATE INDEX attachments_by_message ON attachments(message_id, id);

-- Mail refused by import, kept whole with the reason.
CREATE TABLE quarantine (
    id           INTEGER PRIMARY KEY,
    reason       TEXT NOT NULL,
    source       TEXT NOT NULL,
    size         INTEGER NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    raw          BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    released_at  INTEGER
);

-- Replies to be (or that were) sent as mail; a failed one keeps its error until a flush sends it.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL UNIQUE REFERENCES messages(id) ON DELETE CASCADE,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    recipient  TEXT NOT NULL,
    raw        BLOB NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at    INTEGER
);
CREATE INDEX outbox_unsent ON outbox(id) WHERE sent_at IS NULL;
CREATE INDEX outbox_by_ticket ON outbox(ticket_id);
"#;

/// Full-text search: one FTS5 document per ticket (its subject, every message body, its customer's
/// name and addresses).
///
/// Every write that changes a ticket's document puts the ticket in `search_queue`, in the same
/// transaction; [`Store::index_queued`](crate::store::Store::index_queued) re-indexes the queued
/// tickets, and every search does so first, so a search always sees every write. Re-indexing in
/// batches instead of inside each write keeps imports fast (one FTS segment per batch, not per
/// message).
///
/// Tickets below `search_state.pending_below` are not indexed yet: an existing desk gets its index
/// built in the background after this migration (and the demo builds it after its bulk load), so
/// opening the console never waits for it. The queue skips those tickets; the build reads them as
/// they are when it reaches them.
const SEARCH_INDEX: &str = r#"
CREATE VIRTUAL TABLE ticket_search USING fts5(
    subject, body, customer,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE VIEW ticket_search_docs (id, subject, body, customer) AS
SELECT t.id,
       t.subject,
       (SELECT group_concat(m.body, char(10)) FROM messages m WHERE m.ticket_id = t.id),
       (SELECT c.name || ' ' || ifnull((SELECT group_concat(e.email, ' ') FROM customer_emails e
                                        WHERE e.customer_id = c.id), '')
        FROM customers c WHERE c.id = t.customer_id)
FROM tickets t;

CREATE TABLE search_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    pending_below INTEGER NOT NULL
);
INSERT INTO search_state (id, pending_below) SELECT 1, ifnull(max(id), 0) + 1 FROM tickets;

CREATE TABLE search_queue (ticket_id INTEGER PRIMARY KEY);

CREATE TRIGGER search_ticket_added AFTER INSERT ON tickets
WHEN NEW.id >= (SELECT pending_below FROM search_state)
BEGIN
    INSERT OR IGNORE INTO search_queue (ticket_id) VALUES (NEW.id);
END;

CREATE TRIGGER search_ticket_changed AFTER UPDATE OF subject, customer_id ON tickets
WHEN NEW.id >= (SELECT pending_below FROM search_state)
BEGIN
    INSERT OR IGNORE INTO search_queue (ticket_id) VALUES (NEW.id);
END;

CREATE TRIGGER search_ticket_removed AFTER DELETE ON tickets
BEGIN
    DELETE FROM ticket_search WHERE rowid = OLD.id;
    DELETE FROM search_queue WHERE ticket_id = OLD.id;
END;

CREATE TRIGGER search_message_added AFTER INSERT ON messages
WHEN NEW.ticket_id >= (SELECT pending_below FROM search_state)
BEGIN
    INSERT OR IGNORE INTO search_queue (ticket_id) VALUES (NEW.ticket_id);
END;

CREATE TRIGGER search_message_changed AFTER UPDATE OF body, ticket_id ON messages
BEGIN
    INSERT OR IGNORE INTO search_queue (ticket_id)
        SELECT value FROM (SELECT OLD.ticket_id AS value UNION SELECT NEW.ticket_id)
        WHERE value >= (SELECT pending_below FROM search_state);
END;

CREATE TRIGGER search_message_removed AFTER DELETE ON messages
WHEN OLD.ticket_id >= (SELECT pending_below FROM search_state)
BEGIN
    INSERT OR IGNORE INTO search_queue (ticket_id) VALUES (OLD.ticket_id);
END;

CREATE TRIGGER search_customer_renamed AFTER UPDATE OF name ON customers
BEGIN
    INSERT OR IGNORE INTO search_queue (ticket_id)
        SELECT id FROM tickets WHERE customer_id = NEW.id AND id >= (SELECT pending_below FROM search_state);
END;

CREATE TRIGGER search_email_added AFTER INSERT ON customer_emails
BEGIN
    INSERT OR IGNORE INTO search_queue (ticket_id)
        SELECT id FROM tickets WHERE customer_id = NEW.customer_id
        AND id >= (SELECT pending_below FROM search_state);
END;

CREATE TRIGGER search_email_removed AFTER DELETE ON customer_emails
BEGIN
    INSERT OR IGNORE INTO search_queue (ticket_id)
        SELECT id FROM tickets WHERE customer_id = OLD.customer_id
        AND id >= (SELECT pending_below FROM search_state);
END;
"#;

/// Several agents on one file: who is looking at or writing on which ticket (heartbeats that expire).
const PRESENCE: &str = r#"
CREATE TABLE IF NOT EXISTS presence (
    console    TEXT PRIMARY KEY,
    agent      TEXT NOT NULL,
    ticket_id  INTEGER,
    state      TEXT NOT NULL CHECK (state IN ('viewing', 'writing')),
    expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS presence_by_ticket ON presence(ticket_id);
"#;

/// Ratings (CSAT per ticket, NPS per customer), the surveys that ask for them, and an index of
/// snoozed tickets.
const RATINGS_AND_SNOOZES: &str = r#"
CREATE TABLE ratings (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    ticket_id   INTEGER REFERENCES tickets(id) ON DELETE SET NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('csat', 'nps')),
    score       INTEGER NOT NULL,
    good        INTEGER NOT NULL DEFAULT 0,
    comment     TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX ratings_by_customer ON ratings(customer_id, kind, created_at);
CREATE INDEX ratings_by_ticket ON ratings(ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX tickets_by_snooze ON tickets(snoozed_until) WHERE snoozed_until IS NOT NULL;

-- Satisfaction surveys mailed when a ticket is solved: a reply to one is threaded by its Message-ID.
CREATE TABLE surveys (
    message_id TEXT NOT NULL PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    sent_at    INTEGER NOT NULL
);
"#;

/// When each ticket's next SLA clock falls due, so the queue can put breached and nearly due
/// tickets first across the whole desk, not just a loaded page. The clocks depend on the config's
/// policies, which the store does not know: writes that change a ticket's timeline queue it in
/// `due_queue`, and whoever lists tickets by due time first works the queue out with the policies
/// it has (`Store::refresh_due`). `due_state.policies` names the policies the stored times follow;
/// other policies mean every active ticket is worked out again.
const DUE_TIMES: &str = r#"
ALTER TABLE tickets ADD COLUMN due_at INTEGER;
ALTER TABLE tickets ADD COLUMN warn_at INTEGER;
CREATE INDEX tickets_by_due ON tickets(due_at, id) WHERE due_at IS NOT NULL;

CREATE TABLE due_queue (ticket_id INTEGER PRIMARY KEY);
CREATE TABLE due_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    policies TEXT NOT NULL
);
INSERT INTO due_state (id, policies) VALUES (1, '');

CREATE TRIGGER due_ticket_added AFTER INSERT ON tickets
BEGIN
    INSERT OR IGNORE INTO due_queue (ticket_id) VALUES (NEW.id);
END;

CREATE TRIGGER due_ticket_changed AFTER UPDATE OF status, priority, customer_id, created_at ON tickets
BEGIN
    INSERT OR IGNORE INTO due_queue (ticket_id) VALUES (NEW.id);
END;

CREATE TRIGGER due_ticket_removed AFTER DELETE ON tickets
BEGIN
    DELETE FROM due_queue WHERE ticket_id = OLD.id;
END;

-- The clocks are computed from the status, reply and customer events.
CREATE TRIGGER due_event_added AFTER INSERT ON events
WHEN NEW.field IN ('status', 'reply', 'customer')
BEGIN
    INSERT OR IGNORE INTO due_queue (ticket_id) VALUES (NEW.ticket_id);
END;

CREATE TRIGGER due_tier_changed AFTER UPDATE OF tier ON customers
BEGIN
    INSERT OR IGNORE INTO due_queue (ticket_id)
        SELECT id FROM tickets WHERE customer_id = NEW.id AND status IN ('new', 'open', 'pending', 'on_hold');
END;
"#;

/// Since when the customer has waited on us (`domain::lifecycle::wait_after_message`), kept on the
/// ticket by every write that adds a message or changes a status. Existing tickets get it from
/// their messages: the customer's oldest message since our last reply, on tickets neither pending,
/// solved nor closed (those end a wait). The index holds only the waiting tickets, in the order
/// they waited, with every column the Needs reply list, its count and the due order's waiting
/// parts test, so those read nothing but the index; the index of due tickets gets the same columns
/// (a page in due order of Mine or Unassigned read the table for each breached ticket of the desk).
const WAITING: &str = r#"
ALTER TABLE tickets ADD COLUMN waiting_since INTEGER;
UPDATE tickets SET waiting_since = (
    SELECT min(m.created_at) FROM messages m
    WHERE m.ticket_id = tickets.id AND m.kind = 'customer'
      AND m.id > ifnull((SELECT r.id FROM messages r WHERE r.ticket_id = tickets.id AND r.kind = 'reply'
                         ORDER BY r.id DESC LIMIT 1), 0))
WHERE status IN ('new', 'open', 'on_hold');
CREATE INDEX tickets_by_waiting
    ON tickets(waiting_since, id, status, snoozed_until, updated_at, due_at, warn_at, assignee)
    WHERE waiting_since IS NOT NULL;
DROP INDEX tickets_by_due;
CREATE INDEX tickets_by_due
    ON tickets(due_at, id, warn_at, waiting_since, status, snoozed_until, updated_at, assignee)
    WHERE due_at IS NOT NULL;
"#;

/// The audit log of what is not a ticket's own event: changes to customers and agents, and
/// deletions (a deleted ticket's tombstone and its events, copied here before the delete cascades
/// them away). Append-only and kept when what it names is gone; `ticket_id` and `customer_id` say
/// which ticket and customer a row concerns, so a number once used is never given out again.
const AUDIT: &str = r#"
CREATE TABLE audit (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('ticket', 'customer', 'agent', 'organization', 'config')),
    subject_id   TEXT NOT NULL,
    field        TEXT NOT NULL,
    old          TEXT,
    new          TEXT,
    ticket_id    INTEGER,
    customer_id  INTEGER
);
CREATE INDEX audit_by_subject ON audit(subject_kind, subject_id, id);
CREATE INDEX audit_by_time ON audit(at, id);
CREATE INDEX audit_by_ticket ON audit(ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX audit_by_customer ON audit(customer_id) WHERE customer_id IS NOT NULL;
CREATE TRIGGER audit_is_append_only BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_is_kept BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
"#;

/// What a change replaced or moved, beyond its event's old and new values, so that an undo can put
/// it back exactly (`store::undo`): a status change's solved and waiting times, a snooze's end to
/// the millisecond, the rating a new one replaced, the messages, tags and ratings a ticket merge
/// moved. One JSON object per event; it goes with its event.
const UNDO: &str = r#"
CREATE TABLE IF NOT EXISTS undo_details (
    event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    details  TEXT NOT NULL
);
"#;

/// Headers a mail sent as raw 8-bit bytes with no charset: the bytes beside the text read from them.
const RAW_HEADERS: &str = r#"
CREATE TABLE IF NOT EXISTS message_raw_headers (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    field      TEXT NOT NULL,
    charset    TEXT NOT NULL,
    raw        BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS message_raw_headers_by_message ON message_raw_headers(message_id);
"#;

/// The desk service (`frontdesk serve`): when each waiting mail is tried next (a new one after the
/// process that queued it had its go, a failed one later each time), and the service's heartbeat,
/// so a console can tell whether one runs. Kept last and self-contained (`IF NOT EXISTS`, no change
/// to older tables), so it can take another number when migrations are merged.
const DESK_SERVICE: &str = r#"
CREATE TABLE IF NOT EXISTS outbox_retries (
    outbox_id   INTEGER PRIMARY KEY REFERENCES outbox(id) ON DELETE CASCADE,
    next_try_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_retries_by_time ON outbox_retries(next_try_at);
CREATE INDEX IF NOT EXISTS surveys_by_ticket ON surveys(ticket_id);
-- pid is NULL once the service stopped; survey_mark: the last event the service looked at for
-- solved tickets whose survey is due.
CREATE TABLE IF NOT EXISTS service (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    pid          INTEGER,
    host         TEXT NOT NULL,
    started_at   INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL,
    survey_mark  INTEGER
);
"#;

/// Who else a message went to: a reply's Cc (shown) and Bcc (kept for agents), one address a line;
/// and a customer mail's Reply-To, where replies to it go. Only messages that have one get a row.
const REPLY_ADDRESSES: &str = r#"
CREATE TABLE IF NOT EXISTS message_addresses (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    cc         TEXT,
    bcc        TEXT,
    reply_to   TEXT
);
"#;

/// Per IMAP mailbox (by its name in the config): the UIDVALIDITY seen and the highest UID
/// imported, written in the same transaction as each mail.
const MAILBOXES: &str = r#"
CREATE TABLE IF NOT EXISTS mailbox_positions (
    mailbox     TEXT PRIMARY KEY,
    uidvalidity INTEGER NOT NULL,
    last_uid    INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
"#;

/// What keeps each IMAP mailbox from being read, as the service last saw it (cleared when it
/// logs in again): the console's status line tells the agents.
const MAILBOX_PROBLEMS: &str = r#"
CREATE TABLE IF NOT EXISTS mailbox_problems (
    mailbox   TEXT PRIMARY KEY,
    problem   TEXT NOT NULL,
    since     INTEGER NOT NULL,
    permanent INTEGER NOT NULL
);
"#;

/// The IMAP mailbox each ticket came in by (`report --by mailbox`); a ticket made by hand, by
/// `frontdesk import` or before this migration has none.
const TICKET_MAILBOXES: &str = r#"
CREATE TABLE IF NOT EXISTS ticket_mailboxes (
    ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    mailbox   TEXT NOT NULL
);
"#;

/// Pages in priority order, and an agent's (or nobody's) active tickets, read from an index range
/// instead of sorting the tab or stepping over every solved ticket an agent ever had. The rank
/// is written as the queue's `ORDER BY` writes it (`PRIORITY_RANK` in tickets.rs): SQLite uses
/// an index on an expression only for the same expression.
const PRIORITY_PAGES: &str = r#"
CREATE INDEX IF NOT EXISTS tickets_by_priority ON tickets(
    (CASE priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END), updated_at, id);
CREATE INDEX IF NOT EXISTS tickets_active_by_priority ON tickets(
    (CASE priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END), updated_at, id)
    WHERE status IN ('new', 'open', 'pending', 'on_hold');
CREATE INDEX IF NOT EXISTS tickets_active_by_assignee ON tickets(assignee, updated_at, id)
    WHERE status IN ('new', 'open', 'pending', 'on_hold');
CREATE INDEX IF NOT EXISTS tickets_active_by_assignee_priority ON tickets(assignee,
    (CASE priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END), updated_at, id)
    WHERE status IN ('new', 'open', 'pending', 'on_hold');
"#;

/// An import commits its mails in groups, each mail a savepoint of the group's transaction, and
/// FTS5 writes its pending entries out at every savepoint: a trigram segment per mail, then
/// merges of them (a fifth of an import's time). While `filter_index_hold.held` is set, which
/// only a write sets and clears in its own transaction ([`Store::deferring_filter_index`]), the
/// filter triggers queue the ticket ids instead, and the write indexes them once before it
/// commits: nobody ever sees the index behind the tickets.
///
/// [`Store::deferring_filter_index`]: super::Store::deferring_filter_index
const FILTER_INDEX_DEFERRED: &str = r#"
CREATE TABLE IF NOT EXISTS filter_index_hold (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    held INTEGER NOT NULL
);
INSERT OR IGNORE INTO filter_index_hold (id, held) VALUES (1, 0);
CREATE TABLE IF NOT EXISTS filter_queue (ticket_id INTEGER PRIMARY KEY);

DROP TRIGGER IF EXISTS filter_ticket_added;
CREATE TRIGGER filter_ticket_added AFTER INSERT ON tickets
WHEN NOT (SELECT held FROM filter_index_hold)
BEGIN
    INSERT INTO ticket_filter (rowid, text) SELECT id, text FROM ticket_filter_docs WHERE id = NEW.id;
END;
DROP TRIGGER IF EXISTS filter_ticket_added_later;
CREATE TRIGGER filter_ticket_added_later AFTER INSERT ON tickets
WHEN (SELECT held FROM filter_index_hold)
BEGIN
    INSERT OR IGNORE INTO filter_queue (ticket_id) VALUES (NEW.id);
END;

DROP TRIGGER IF EXISTS filter_ticket_changed;
CREATE TRIGGER filter_ticket_changed AFTER UPDATE OF subject, customer_id ON tickets
WHEN (OLD.subject IS NOT NEW.subject OR OLD.customer_id IS NOT NEW.customer_id)
     AND NOT (SELECT held FROM filter_index_hold)
BEGIN
    DELETE FROM ticket_filter WHERE rowid = NEW.id;
    INSERT INTO ticket_filter (rowid, text) SELECT id, text FROM ticket_filter_docs WHERE id = NEW.id;
END;
DROP TRIGGER IF EXISTS filter_ticket_changed_later;
CREATE TRIGGER filter_ticket_changed_later AFTER UPDATE OF subject, customer_id ON tickets
WHEN (OLD.subject IS NOT NEW.subject OR OLD.customer_id IS NOT NEW.customer_id)
     AND (SELECT held FROM filter_index_hold)
BEGIN
    INSERT OR IGNORE INTO filter_queue (ticket_id) VALUES (NEW.id);
END;

DROP TRIGGER IF EXISTS filter_ticket_removed;
CREATE TRIGGER filter_ticket_removed AFTER DELETE ON tickets
WHEN NOT (SELECT held FROM filter_index_hold)
BEGIN
    DELETE FROM ticket_filter WHERE rowid = OLD.id;
END;
DROP TRIGGER IF EXISTS filter_ticket_removed_later;
CREATE TRIGGER filter_ticket_removed_later AFTER DELETE ON tickets
WHEN (SELECT held FROM filter_index_hold)
BEGIN
    INSERT OR IGNORE INTO filter_queue (ticket_id) VALUES (OLD.id);
END;

DROP TRIGGER IF EXISTS filter_customer_renamed;
CREATE TRIGGER filter_customer_renamed AFTER UPDATE OF name ON customers
WHEN OLD.name IS NOT NEW.name AND NOT (SELECT held FROM filter_index_hold)
BEGIN
    DELETE FROM ticket_filter WHERE rowid IN (SELECT id FROM tickets WHERE customer_id = NEW.id);
    INSERT INTO ticket_filter (rowid, text)
        SELECT id, text FROM ticket_filter_docs WHERE id IN (SELECT id FROM tickets WHERE customer_id = NEW.id);
END;
DROP TRIGGER IF EXISTS filter_customer_renamed_later;
CREATE TRIGGER filter_customer_renamed_later AFTER UPDATE OF name ON customers
WHEN OLD.name IS NOT NEW.name AND (SELECT held FROM filter_index_hold)
BEGIN
    INSERT OR IGNORE INTO filter_queue (ticket_id) SELECT id FROM tickets WHERE customer_id = NEW.id;
END;

DROP TRIGGER IF EXISTS filter_email_added;
CREATE TRIGGER filter_email_added AFTER INSERT ON customer_emails
WHEN NOT (SELECT held FROM filter_index_hold)
BEGIN
    DELETE FROM ticket_filter WHERE rowid IN (SELECT id FROM tickets WHERE customer_id = NEW.customer_id);
    INSERT INTO ticket_filter (rowid, text)
        SELECT id, text FROM ticket_filter_docs
        WHERE id IN (SELECT id FROM tickets WHERE customer_id = NEW.customer_id);
END;
DROP TRIGGER IF EXISTS filter_email_added_later;
CREATE TRIGGER filter_email_added_later AFTER INSERT ON customer_emails
WHEN (SELECT held FROM filter_index_hold)
BEGIN
    INSERT OR IGNORE INTO filter_queue (ticket_id) SELECT id FROM tickets WHERE customer_id = NEW.customer_id;
END;

DROP TRIGGER IF EXISTS filter_email_removed;
CREATE TRIGGER filter_email_removed AFTER DELETE ON customer_emails
WHEN NOT (SELECT held FROM filter_index_hold)
BEGIN
    DELETE FROM ticket_filter WHERE rowid IN (SELECT id FROM tickets WHERE customer_id = OLD.customer_id);
    INSERT INTO ticket_filter (rowid, text)
        SELECT id, text FROM ticket_filter_docs
        WHERE id IN (SELECT id FROM tickets WHERE customer_id = OLD.customer_id);
END;
DROP TRIGGER IF EXISTS filter_email_removed_later;
CREATE TRIGGER filter_email_removed_later AFTER DELETE ON customer_emails
WHEN (SELECT held FROM filter_index_hold)
BEGIN
    INSERT OR IGNORE INTO filter_queue (ticket_id) SELECT id FROM tickets WHERE customer_id = OLD.customer_id;
END;

DROP TRIGGER IF EXISTS filter_email_changed;
CREATE TRIGGER filter_email_changed AFTER UPDATE ON customer_emails
WHEN NOT (SELECT held FROM filter_index_hold)
BEGIN
    DELETE FROM ticket_filter
        WHERE rowid IN (SELECT id FROM tickets WHERE customer_id IN (OLD.customer_id, NEW.customer_id));
    INSERT INTO ticket_filter (rowid, text)
        SELECT id, text FROM ticket_filter_docs
        WHERE id IN (SELECT id FROM tickets WHERE customer_id IN (OLD.customer_id, NEW.customer_id));
END;
DROP TRIGGER IF EXISTS filter_email_changed_later;
CREATE TRIGGER filter_email_changed_later AFTER UPDATE ON customer_emails
WHEN (SELECT held FROM filter_index_hold)
BEGIN
    INSERT OR IGNORE INTO filter_queue (ticket_id)
        SELECT id FROM tickets WHERE customer_id IN (OLD.customer_id, NEW.customer_id);
END;
"#;

/// Fill the kept counts from the tickets: the migration's last step, and `check --repair`.
macro_rules! count_tickets_again {
    () => {
        "
DELETE FROM ticket_counts;
INSERT INTO ticket_counts
    SELECT status, coalesce(assignee, ''), priority, waiting_since IS NOT NULL, count(*)
    FROM tickets GROUP BY 1, 2, 3, 4;
DELETE FROM tag_counts;
INSERT INTO tag_counts
    SELECT g.tag, t.status, coalesce(t.assignee, ''), t.priority, t.waiting_since IS NOT NULL, count(*)
    FROM ticket_tags g JOIN tickets t ON t.id = g.ticket_id GROUP BY 1, 2, 3, 4, 5;
"
    };
}

/// What `check --repair` runs to rebuild the kept counts.
pub(super) const COUNT_TICKETS_AGAIN: &str = count_tickets_again!();

/// Counts that cost nothing to read: how many tickets there are per status, assignee (`''` for
/// nobody), priority and whether the customer waits on us, and the same per tag. Triggers keep
/// them in the same transaction as every write to `tickets` and `ticket_tags`, whichever code
/// path writes, so a tab's count is a sum over a few hundred rows, not a scan of the desk.
/// `frontdesk check` compares them with a full count; `check --repair` rebuilds them.
const TICKET_COUNTS: &str = concat!(
    r#"
CREATE TABLE IF NOT EXISTS ticket_counts (
    status   TEXT NOT NULL,
    assignee TEXT NOT NULL,
    priority TEXT NOT NULL,
    waiting  INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (status, assignee, priority, waiting)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tag_counts (
    tag      TEXT NOT NULL,
    status   TEXT NOT NULL,
    assignee TEXT NOT NULL,
    priority TEXT NOT NULL,
    waiting  INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (tag, status, assignee, priority, waiting)
) WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS ticket_counts_on_insert AFTER INSERT ON tickets BEGIN
    INSERT OR IGNORE INTO ticket_counts
        VALUES (NEW.status, coalesce(NEW.assignee, ''), NEW.priority, NEW.waiting_since IS NOT NULL, 0);
    UPDATE ticket_counts SET n = n + 1
        WHERE (status, assignee, priority, waiting)
            = (NEW.status, coalesce(NEW.assignee, ''), NEW.priority, NEW.waiting_since IS NOT NULL);
END;

CREATE TRIGGER IF NOT EXISTS ticket_counts_on_update
AFTER UPDATE OF status, assignee, priority, waiting_since ON tickets
WHEN OLD.status IS NOT NEW.status OR coalesce(OLD.assignee, '') IS NOT coalesce(NEW.assignee, '')
    OR OLD.priority IS NOT NEW.priority OR (OLD.waiting_since IS NULL) IS NOT (NEW.waiting_since IS NULL)
BEGIN
    UPDATE ticket_counts SET n = n - 1
        WHERE (status, assignee, priority, waiting)
            = (OLD.status, coalesce(OLD.assignee, ''), OLD.priority, OLD.waiting_since IS NOT NULL);
    INSERT OR IGNORE INTO ticket_counts
        VALUES (NEW.status, coalesce(NEW.assignee, ''), NEW.priority, NEW.waiting_since IS NOT NULL, 0);
    UPDATE ticket_counts SET n = n + 1
        WHERE (status, assignee, priority, waiting)
            = (NEW.status, coalesce(NEW.assignee, ''), NEW.priority, NEW.waiting_since IS NOT NULL);
    UPDATE tag_counts SET n = n - 1
        WHERE (status, assignee, priority, waiting)
            = (OLD.status, coalesce(OLD.assignee, ''), OLD.priority, OLD.waiting_since IS NOT NULL)
          AND tag IN (SELECT g.tag FROM ticket_tags g WHERE g.ticket_id = NEW.id);
    INSERT OR IGNORE INTO tag_counts
        SELECT g.tag, NEW.status, coalesce(NEW.assignee, ''), NEW.priority, NEW.waiting_since IS NOT NULL, 0
        FROM ticket_tags g WHERE g.ticket_id = NEW.id;
    UPDATE tag_counts SET n = n + 1
        WHERE (status, assignee, priority, waiting)
            = (NEW.status, coalesce(NEW.assignee, ''), NEW.priority, NEW.waiting_since IS NOT NULL)
          AND tag IN (SELECT g.tag FROM ticket_tags g WHERE g.ticket_id = NEW.id);
END;

-- The ticket's tags go first, while the ticket still says what they are counted under.
CREATE TRIGGER IF NOT EXISTS ticket_counts_on_delete BEFORE DELETE ON tickets BEGIN
    DELETE FROM ticket_tags WHERE ticket_id = OLD.id;
    UPDATE ticket_counts SET n = n - 1
        WHERE (status, assignee, priority, waiting)
            = (OLD.status, coalesce(OLD.assignee, ''), OLD.priority, OLD.waiting_since IS NOT NULL);
END;

CREATE TRIGGER IF NOT EXISTS tag_counts_on_insert AFTER INSERT ON ticket_tags BEGIN
    INSERT OR IGNORE INTO tag_counts
        SELECT NEW.tag, t.status, coalesce(t.assignee, ''), t.priority, t.waiting_since IS NOT NULL, 0
        FROM tickets t WHERE t.id = NEW.ticket_id;
    UPDATE tag_counts SET n = n + 1
        WHERE tag = NEW.tag AND (status, assignee, priority, waiting)
            = (SELECT t.status, coalesce(t.assignee, ''), t.priority, t.waiting_since IS NOT NULL
               FROM tickets t WHERE t.id = NEW.ticket_id);
END;

CREATE TRIGGER IF NOT EXISTS tag_counts_on_delete AFTER DELETE ON ticket_tags BEGIN
    UPDATE tag_counts SET n = n - 1
        WHERE tag = OLD.tag AND (status, assignee, priority, waiting)
            = (SELECT t.status, coalesce(t.assignee, ''), t.priority, t.waiting_since IS NOT NULL
               FROM tickets t WHERE t.id = OLD.ticket_id);
END;

CREATE TRIGGER IF NOT EXISTS tag_counts_on_update AFTER UPDATE ON ticket_tags BEGIN
    UPDATE tag_counts SET n = n - 1
        WHERE tag = OLD.tag AND (status, assignee, priority, waiting)
            = (SELECT t.status, coalesce(t.assignee, ''), t.priority, t.waiting_since IS NOT NULL
               FROM tickets t WHERE t.id = OLD.ticket_id);
    INSERT OR IGNORE INTO tag_counts
        SELECT NEW.tag, t.status, coalesce(t.assignee, ''), t.priority, t.waiting_since IS NOT NULL, 0
        FROM tickets t WHERE t.id = NEW.ticket_id;
    UPDATE tag_counts SET n = n + 1
        WHERE tag = NEW.tag AND (status, assignee, priority, waiting)
            = (SELECT t.status, coalesce(t.assignee, ''), t.priority, t.waiting_since IS NOT NULL
               FROM tickets t WHERE t.id = NEW.ticket_id);
END;

-- Stale pending tickets are counted from the front of their own small index, not the active ones'.
CREATE INDEX IF NOT EXISTS tickets_pending_by_updated ON tickets(updated_at, assignee, status)
    WHERE status = 'pending';

"#,
    count_tickets_again!()
);

/// The `/` filter's index for large tabs: each ticket's filter text (number, subject, customer name
/// and first address, as `Store::filter_candidates` gives it) in an FTS5 trigram table, so a word
/// of three letters or more is found as a substring without reading the desk. Triggers keep it in
/// the same transaction as every write to tickets, customers and their addresses. Tickets below
/// `filter_index_state.pending_below` predate it: they are added in short batches
/// (`Store::build_filter_index_step`), so the migration itself takes no time at any desk size.
const FILTER_INDEX: &str = r#"
CREATE VIRTUAL TABLE IF NOT EXISTS ticket_filter USING fts5(
    text,
    tokenize = 'trigram remove_diacritics 1'
);

CREATE VIEW IF NOT EXISTS ticket_filter_docs (id, text) AS
SELECT t.id,
       '#' || t.id || ' ' || t.subject || ' ' || c.name || ' '
           || coalesce((SELECT e.email FROM customer_emails e WHERE e.customer_id = t.customer_id
                        ORDER BY e.position LIMIT 1), '')
FROM tickets t JOIN customers c ON c.id = t.customer_id;

CREATE TABLE IF NOT EXISTS filter_index_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    pending_below INTEGER NOT NULL
);
INSERT OR IGNORE INTO filter_index_state (id, pending_below) SELECT 1, ifnull(max(id), 0) + 1 FROM tickets;

CREATE TRIGGER IF NOT EXISTS filter_ticket_added AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_filter (rowid, text) SELECT id, text FROM ticket_filter_docs WHERE id = NEW.id;
END;

CREATE TRIGGER IF NOT EXISTS filter_ticket_changed AFTER UPDATE OF subject, customer_id ON tickets
WHEN OLD.subject IS NOT NEW.subject OR OLD.customer_id IS NOT NEW.customer_id
BEGIN
    DELETE FROM ticket_filter WHERE rowid = NEW.id;
    INSERT INTO ticket_filter (rowid, text) SELECT id, text FROM ticket_filter_docs WHERE id = NEW.id;
END;

CREATE TRIGGER IF NOT EXISTS filter_ticket_removed AFTER DELETE ON tickets BEGIN
    DELETE FROM ticket_filter WHERE rowid = OLD.id;
END;

CREATE TRIGGER IF NOT EXISTS filter_customer_renamed AFTER UPDATE OF name ON customers
WHEN OLD.name IS NOT NEW.name
BEGIN
    DELETE FROM ticket_filter WHERE rowid IN (SELECT id FROM tickets WHERE customer_id = NEW.id);
    INSERT INTO ticket_filter (rowid, text)
        SELECT id, text FROM ticket_filter_docs WHERE id IN (SELECT id FROM tickets WHERE customer_id = NEW.id);
END;

CREATE TRIGGER IF NOT EXISTS filter_email_added AFTER INSERT ON customer_emails BEGIN
    DELETE FROM ticket_filter WHERE rowid IN (SELECT id FROM tickets WHERE customer_id = NEW.customer_id);
    INSERT INTO ticket_filter (rowid, text)
        SELECT id, text FROM ticket_filter_docs
        WHERE id IN (SELECT id FROM tickets WHERE customer_id = NEW.customer_id);
END;

CREATE TRIGGER IF NOT EXISTS filter_email_removed AFTER DELETE ON customer_emails BEGIN
    DELETE FROM ticket_filter WHERE rowid IN (SELECT id FROM tickets WHERE customer_id = OLD.customer_id);
    INSERT INTO ticket_filter (rowid, text)
        SELECT id, text FROM ticket_filter_docs
        WHERE id IN (SELECT id FROM tickets WHERE customer_id = OLD.customer_id);
END;

CREATE TRIGGER IF NOT EXISTS filter_email_changed AFTER UPDATE ON customer_emails BEGIN
    DELETE FROM ticket_filter
        WHERE rowid IN (SELECT id FROM tickets WHERE customer_id IN (OLD.customer_id, NEW.customer_id));
    INSERT INTO ticket_filter (rowid, text)
        SELECT id, text FROM ticket_filter_docs
        WHERE id IN (SELECT id FROM tickets WHERE customer_id IN (OLD.customer_id, NEW.customer_id));
END;
"#;

/// A report reads every clock event of thousands of tickets: this index holds them in the order
/// they are read (by ticket, then as logged) with the columns read, so no table row is visited.
const REPORT_EVENTS: &str = r#"
CREATE INDEX IF NOT EXISTS events_clock_by_ticket ON events(ticket_id, id, field, created_at, new)
    WHERE field IN ('status', 'reply', 'customer');
"#;

/// Organizations as a shop keeps them: a tier and notes (in a table beside theirs, so this
/// migration can run again on a desk that has it), and each email domain in a table of its own,
/// so a new customer's address finds its organization through an index at any desk size.
/// `organizations.domains` (space-separated) stays what is written; triggers keep the table in step
/// with it in the same transaction, whoever writes.
const ORGANIZATION_RECORDS: &str = r#"
CREATE TABLE IF NOT EXISTS organization_details (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    tier            TEXT NOT NULL DEFAULT 'standard' CHECK (tier IN ('standard', 'silver', 'gold', 'vip')),
    notes           TEXT NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS organization_domains (
    domain          TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS organization_domains_by_organization ON organization_domains(organization_id);
CREATE INDEX IF NOT EXISTS customers_by_organization ON customers(organization_id) WHERE organization_id IS NOT NULL;

-- A domain listed twice keeps its first organization (the store refuses the second with a sentence).
INSERT OR IGNORE INTO organization_domains (domain, organization_id)
    SELECT lower(j.value), o.id FROM organizations o, json_each('["' || replace(trim(o.domains), ' ', '","') || '"]') j
    WHERE j.value <> '' ORDER BY o.id;

CREATE TRIGGER IF NOT EXISTS organization_domains_added AFTER INSERT ON organizations BEGIN
    INSERT OR IGNORE INTO organization_domains (domain, organization_id)
        SELECT lower(value), NEW.id FROM json_each('["' || replace(trim(NEW.domains), ' ', '","') || '"]')
        WHERE value <> '';
END;

CREATE TRIGGER IF NOT EXISTS organization_domains_changed AFTER UPDATE OF domains ON organizations
WHEN OLD.domains IS NOT NEW.domains
BEGIN
    DELETE FROM organization_domains WHERE organization_id = NEW.id;
    INSERT OR IGNORE INTO organization_domains (domain, organization_id)
        SELECT lower(value), NEW.id FROM json_each('["' || replace(trim(NEW.domains), ' ', '","') || '"]')
        WHERE value <> '';
END;
"#;

/// A customer's erasure (`Store::erase_customer`): the events and audit rows about them keep who,
/// what and when, but the text in them (a subject, a name, an address) is cleared. The logs stay
/// append-only for every other write: an update passes only while the customer is in `erasing`,
/// which the erasure's own transaction fills and empties, and only to `old` and `new`.
const ERASURE: &str = r#"
CREATE TABLE IF NOT EXISTS erasing (customer_id INTEGER PRIMARY KEY);

DROP TRIGGER IF EXISTS events_are_append_only;
CREATE TRIGGER IF NOT EXISTS events_are_append_only BEFORE UPDATE ON events
WHEN NOT (NEW.id = OLD.id AND NEW.ticket_id = OLD.ticket_id AND NEW.actor = OLD.actor AND NEW.field = OLD.field
          AND NEW.created_at = OLD.created_at
          AND OLD.ticket_id IN (SELECT t.id FROM tickets t JOIN erasing e ON e.customer_id = t.customer_id))
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

DROP TRIGGER IF EXISTS audit_is_append_only;
CREATE TRIGGER IF NOT EXISTS audit_is_append_only BEFORE UPDATE ON audit
WHEN NOT (NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor = OLD.actor AND NEW.subject_kind = OLD.subject_kind
          AND NEW.subject_id = OLD.subject_id AND NEW.field = OLD.field AND NEW.ticket_id IS OLD.ticket_id
          AND NEW.customer_id IS OLD.customer_id
          AND OLD.customer_id IN (SELECT customer_id FROM erasing))
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
"#;

/// Rules: the firings of each rule on each ticket (a timed trigger fires once per ticket and rule)
/// the login a round robin picked last, and which rule wrote a message.
const RULES: &str = r#"
CREATE TABLE IF NOT EXISTS rule_firings (
    rule      TEXT NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    trigger   TEXT NOT NULL,
    fired_at  INTEGER NOT NULL,
    PRIMARY KEY (rule, ticket_id, trigger)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rule_firings_by_ticket ON rule_firings(ticket_id);

CREATE TABLE IF NOT EXISTS rule_turns (
    rule       TEXT PRIMARY KEY,
    last_login TEXT NOT NULL
);

-- The rule (`rule:NAME`) that wrote a note or canned reply: author_login names agents only.
CREATE TABLE IF NOT EXISTS message_rules (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    rule       TEXT NOT NULL
);
"#;

/// When each timed rule (`clock`, `breach`) need look at a ticket again: the earliest time one of
/// its clocks can reach the rule's point, as worked out with the policies and rule `fingerprint`
/// names (`NULL`: no clock runs towards it). A change of what the clocks are timed from (the same
/// as the due times' triggers) drops the ticket's rows, so it is looked at in the next round.
const RULE_CHECKS: &str = r#"
CREATE TABLE IF NOT EXISTS rule_checks (
    rule        TEXT NOT NULL,
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    trigger     TEXT NOT NULL,
    fingerprint INTEGER NOT NULL,
    check_at    INTEGER,
    PRIMARY KEY (rule, ticket_id, trigger)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rule_checks_by_ticket ON rule_checks(ticket_id);

CREATE TRIGGER IF NOT EXISTS rule_checks_ticket_changed
AFTER UPDATE OF status, priority, customer_id, created_at ON tickets
BEGIN
    DELETE FROM rule_checks WHERE ticket_id = NEW.id;
END;

CREATE TRIGGER IF NOT EXISTS rule_checks_event_added AFTER INSERT ON events
WHEN (NEW.field = 'status' OR NEW.field = 'reply' OR NEW.field = 'customer')
BEGIN
    DELETE FROM rule_checks WHERE ticket_id = NEW.ticket_id;
END;

CREATE TRIGGER IF NOT EXISTS rule_checks_tier_changed AFTER UPDATE OF tier ON customers
BEGIN
    DELETE FROM rule_checks WHERE ticket_id IN (SELECT id FROM tickets WHERE customer_id = NEW.id);
END;
"#;

/// Each solved or closed ticket's report figures, kept so a report need not read its events and
/// time its clocks again (`store::report_facts`). Every change that can alter them marks the
/// ticket stale in the same transaction; a report works the stale ones out again before reading.
/// The fingerprint starts empty: the first report works every ticket out under its rules.
const REPORT_FACTS: &str = r#"
CREATE TABLE IF NOT EXISTS ticket_report_facts (
    ticket_id INTEGER PRIMARY KEY,
    priority  TEXT NOT NULL,
    tier      TEXT NOT NULL,
    facts     BLOB NOT NULL
);

CREATE TABLE IF NOT EXISTS report_stale (ticket_id INTEGER PRIMARY KEY);

CREATE TABLE IF NOT EXISTS report_facts_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL
);
INSERT OR IGNORE INTO report_facts_state (id, fingerprint) VALUES (1, '');

CREATE TRIGGER IF NOT EXISTS report_event_added AFTER INSERT ON events
WHEN NEW.field IN ('status', 'reply', 'customer')
BEGIN
    INSERT OR IGNORE INTO report_stale (ticket_id) VALUES (NEW.ticket_id);
END;

CREATE TRIGGER IF NOT EXISTS report_event_removed AFTER DELETE ON events
WHEN OLD.field IN ('status', 'reply', 'customer')
BEGIN
    INSERT OR IGNORE INTO report_stale (ticket_id) VALUES (OLD.ticket_id);
END;

CREATE TRIGGER IF NOT EXISTS report_event_changed AFTER UPDATE ON events BEGIN
    INSERT OR IGNORE INTO report_stale (ticket_id) VALUES (OLD.ticket_id);
    INSERT OR IGNORE INTO report_stale (ticket_id) VALUES (NEW.ticket_id);
END;

CREATE TRIGGER IF NOT EXISTS report_ticket_changed AFTER UPDATE OF created_at, status, priority, customer_id ON tickets
WHEN OLD.created_at IS NOT NEW.created_at OR OLD.status IS NOT NEW.status
  OR OLD.priority IS NOT NEW.priority OR OLD.customer_id IS NOT NEW.customer_id
BEGIN
    INSERT OR IGNORE INTO report_stale (ticket_id) VALUES (NEW.id);
END;

CREATE TRIGGER IF NOT EXISTS report_ticket_removed AFTER DELETE ON tickets BEGIN
    DELETE FROM ticket_report_facts WHERE ticket_id = OLD.id;
    INSERT OR IGNORE INTO report_stale (ticket_id) VALUES (OLD.id);
END;

CREATE TRIGGER IF NOT EXISTS report_tier_changed AFTER UPDATE OF tier ON customers
WHEN OLD.tier IS NOT NEW.tier
BEGIN
    INSERT OR IGNORE INTO report_stale (ticket_id) SELECT id FROM tickets WHERE customer_id = NEW.id;
END;
"#;

/// SQLite tests a list of three or more constants (`status IN ('new', 'open', 'pending',
/// 'on_hold')`) through a temporary in-memory b-tree, opened, filled and thrown away each time the
/// test runs: each write to a ticket tested the four active-ticket indexes' conditions for the old
/// row and the new, and each event the clock events' index and two triggers, so a change of
/// priority opened fifteen such b-trees, page cache and all (a fifth of its CPU time). Two
/// constants are tested as two comparisons: the same conditions are written here as what they
/// leave out, or as comparisons joined by OR, and every query that uses these indexes writes its
/// condition the same way, as SQLite picks a partial index only for a condition written like its
/// own (`frontdesk::store` holds no other spelling: a test reads the sources).
const PLAIN_PREDICATES: &str = r#"
DROP INDEX IF EXISTS tickets_active_by_updated;
CREATE INDEX tickets_active_by_updated ON tickets(updated_at, id)
    WHERE status NOT IN ('solved', 'closed');
DROP INDEX IF EXISTS tickets_active_by_priority;
CREATE INDEX tickets_active_by_priority ON tickets(
    (CASE priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END), updated_at, id)
    WHERE status NOT IN ('solved', 'closed');
DROP INDEX IF EXISTS tickets_active_by_assignee;
CREATE INDEX tickets_active_by_assignee ON tickets(assignee, updated_at, id)
    WHERE status NOT IN ('solved', 'closed');
DROP INDEX IF EXISTS tickets_active_by_assignee_priority;
CREATE INDEX tickets_active_by_assignee_priority ON tickets(assignee,
    (CASE priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END), updated_at, id)
    WHERE status NOT IN ('solved', 'closed');

DROP INDEX IF EXISTS events_clock_by_ticket;
CREATE INDEX events_clock_by_ticket ON events(ticket_id, id, field, created_at, new)
    WHERE (field = 'status' OR field = 'reply' OR field = 'customer');

DROP TRIGGER IF EXISTS due_event_added;
CREATE TRIGGER due_event_added AFTER INSERT ON events
WHEN (NEW.field = 'status' OR NEW.field = 'reply' OR NEW.field = 'customer')
BEGIN
    INSERT OR IGNORE INTO due_queue (ticket_id) VALUES (NEW.ticket_id);
END;
DROP TRIGGER IF EXISTS report_event_added;
CREATE TRIGGER report_event_added AFTER INSERT ON events
WHEN (NEW.field = 'status' OR NEW.field = 'reply' OR NEW.field = 'customer')
BEGIN
    INSERT OR IGNORE INTO report_stale (ticket_id) VALUES (NEW.ticket_id);
END;
DROP TRIGGER IF EXISTS report_event_removed;
CREATE TRIGGER report_event_removed AFTER DELETE ON events
WHEN (OLD.field = 'status' OR OLD.field = 'reply' OR OLD.field = 'customer')
BEGIN
    INSERT OR IGNORE INTO report_stale (ticket_id) VALUES (OLD.ticket_id);
END;
DROP TRIGGER IF EXISTS due_tier_changed;
CREATE TRIGGER due_tier_changed AFTER UPDATE OF tier ON customers
BEGIN
    INSERT OR IGNORE INTO due_queue (ticket_id)
        SELECT id FROM tickets WHERE customer_id = NEW.id AND status NOT IN ('solved', 'closed');
END;
"#;

/// Two ranges a page or a search reads instead of a scan that grows with the desk.
///
/// `tickets_by_warn`: the running clocks by warning time, so the breached and nearly due parts
/// of a list in due order are the range up to now (`store::due`).
///
/// The earliest and latest creation time among each run of 1,024 ticket numbers (`id >> 10`), so
/// a search's `before:` and `after:` become bounds on the ticket number that the text index seeks
/// to, instead of reading the ticket of every newer (or older) match to check its time. A ticket
/// added, or given another creation time, widens its run's span in the same transaction; a ticket
/// deleted leaves the span as wide as it was, so a bound is never too narrow, only at worst wider
/// than it need be (`store::created_bounds`).
const CREATED_BLOCKS_AND_WARNINGS: &str = r#"
CREATE INDEX IF NOT EXISTS tickets_by_warn
    ON tickets(warn_at, id, due_at, waiting_since, status, snoozed_until, updated_at, assignee)
    WHERE due_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS ticket_created_blocks (
    block    INTEGER PRIMARY KEY,
    earliest INTEGER NOT NULL,
    latest   INTEGER NOT NULL
);
INSERT INTO ticket_created_blocks (block, earliest, latest)
    SELECT id >> 10, min(created_at), max(created_at) FROM tickets WHERE true GROUP BY id >> 10
    ON CONFLICT (block) DO UPDATE SET earliest = min(earliest, excluded.earliest), latest = max(latest, excluded.latest);

CREATE TRIGGER IF NOT EXISTS created_block_ticket_added AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_created_blocks (block, earliest, latest) VALUES (NEW.id >> 10, NEW.created_at, NEW.created_at)
    ON CONFLICT (block) DO UPDATE SET earliest = min(earliest, excluded.earliest), latest = max(latest, excluded.latest);
END;

CREATE TRIGGER IF NOT EXISTS created_block_ticket_changed AFTER UPDATE OF id, created_at ON tickets
WHEN OLD.id IS NOT NEW.id OR OLD.created_at IS NOT NEW.created_at
BEGIN
    INSERT INTO ticket_created_blocks (block, earliest, latest) VALUES (NEW.id >> 10, NEW.created_at, NEW.created_at)
    ON CONFLICT (block) DO UPDATE SET earliest = min(earliest, excluded.earliest), latest = max(latest, excluded.latest);
END;
"#;

/// A conversation reads every event of its ticket. Rows are stored in the order they are written,
/// so a busy ticket's events lie one to a page among the whole desk's, and in WAL mode a read that
/// follows another connection's commit starts with an empty page cache: each event of the ticket
/// was a page to read. This index holds every column of an event in ticket order, so a ticket's
/// events are read from a few neighbouring pages and no table row is visited. It replaces the
/// index on (ticket_id, id) alone, so a write updates as many indexes as before.
const EVENTS_IN_TICKET_ORDER: &str = r#"
DROP INDEX IF EXISTS events_by_ticket;
CREATE INDEX events_by_ticket ON events(ticket_id, id, created_at, actor, field, old, new);
"#;

/// A report reads the CSAT and NPS ratings of its periods: without this index each read was a scan
/// of every rating the desk ever had (335,000 on the million-ticket demo desk, twice a report).
const RATINGS_BY_TIME: &str = r#"
CREATE INDEX IF NOT EXISTS ratings_by_kind_time ON ratings(kind, created_at);
"#;

/// A report reads every ticket that can count in its periods: one changed since the period's start
/// or not solved. Those were picked from the tickets' table and their kept rows looked up one by
/// one, pages apart: at a million tickets, 135,000 lookups for a 30-day report. Each kept row now
/// holds all a report reads of its ticket (whether it follows up another) and the last moment its
/// figures count anything at (`last_at`: its latest status change, message or measure; the largest
/// integer while its clocks run), and an index by that moment holds the rows, so a report reads
/// one range of one index. The rows are worked out again (the fingerprint is emptied): a follow-up
/// mark, added or dropped, and a new ticket now mark the ticket stale too.
const REPORT_FACTS_BY_TIME: &str = r#"
DROP TABLE IF EXISTS ticket_report_facts;
CREATE TABLE ticket_report_facts (
    ticket_id INTEGER PRIMARY KEY,
    priority  TEXT NOT NULL,
    tier      TEXT NOT NULL,
    follows   INTEGER NOT NULL,
    last_at   INTEGER NOT NULL,
    facts     BLOB NOT NULL
);
CREATE INDEX report_facts_by_time ON ticket_report_facts(last_at, ticket_id, priority, tier, follows, facts);
UPDATE report_facts_state SET fingerprint = '' WHERE id = 1;

CREATE TRIGGER IF NOT EXISTS report_ticket_added AFTER INSERT ON tickets BEGIN
    INSERT OR IGNORE INTO report_stale (ticket_id) VALUES (NEW.id);
END;
CREATE TRIGGER IF NOT EXISTS report_follow_up_added AFTER INSERT ON ticket_follow_ups BEGIN
    INSERT OR IGNORE INTO report_stale (ticket_id) VALUES (NEW.ticket_id);
END;
CREATE TRIGGER IF NOT EXISTS report_follow_up_removed AFTER DELETE ON ticket_follow_ups BEGIN
    INSERT OR IGNORE INTO report_stale (ticket_id) VALUES (OLD.ticket_id);
END;
"#;

/// The words the search index holds, for prefixes longer than its own (`store::search_terms`):
/// kept as tickets are indexed; a desk that has tickets already reads them from its index in the
/// background (`ticket_search_terms_build` holds the last word read), and searches its prefixes
/// the old way until then.
const SEARCH_TERMS: &str = r#"
CREATE TABLE IF NOT EXISTS ticket_search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ticket_search_terms_build (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    after TEXT NOT NULL
);
INSERT OR IGNORE INTO ticket_search_terms_build (id, after) SELECT 1, '' WHERE EXISTS (SELECT 1 FROM tickets);
"#;

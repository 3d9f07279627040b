-- Schema 27: the running clocks by warning time, and the span of creation times of each run of
-- 1,024 ticket numbers (SQLite's CREATED_BLOCKS_AND_WARNINGS). Every statement can run again.

CREATE INDEX IF NOT EXISTS tickets_by_warn
    ON tickets(warn_at, id, due_at, waiting_since, status, snoozed_until, updated_at, assignee)
    WHERE due_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS ticket_created_blocks (
    block    bigint PRIMARY KEY,
    earliest bigint NOT NULL,
    latest   bigint NOT NULL
);
INSERT INTO ticket_created_blocks (block, earliest, latest)
    SELECT id >> 10, min(created_at), max(created_at) FROM tickets GROUP BY id >> 10
    ON CONFLICT (block) DO UPDATE SET earliest = least(ticket_created_blocks.earliest, EXCLUDED.earliest),
                                      latest = greatest(ticket_created_blocks.latest, EXCLUDED.latest);

CREATE OR REPLACE FUNCTION created_block_widened() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ticket_created_blocks (block, earliest, latest) VALUES (NEW.id >> 10, NEW.created_at, NEW.created_at)
    ON CONFLICT (block) DO UPDATE SET earliest = least(ticket_created_blocks.earliest, EXCLUDED.earliest),
                                      latest = greatest(ticket_created_blocks.latest, EXCLUDED.latest);
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER created_block_ticket_added AFTER INSERT ON tickets
    FOR EACH ROW EXECUTE FUNCTION created_block_widened();
CREATE OR REPLACE TRIGGER created_block_ticket_changed AFTER UPDATE OF id, created_at ON tickets
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.created_at IS DISTINCT FROM NEW.created_at)
    EXECUTE FUNCTION created_block_widened();

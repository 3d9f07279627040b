-- Schema 26: when a timed rule looks at a ticket again (SQLite's RULE_CHECKS). Every statement
-- can run again.

CREATE TABLE IF NOT EXISTS rule_checks (
    rule        text NOT NULL,
    ticket_id   bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE DEFERRABLE,
    trigger     text NOT NULL,
    fingerprint bigint NOT NULL,
    check_at    bigint,
    PRIMARY KEY (rule, ticket_id, trigger)
);
CREATE INDEX IF NOT EXISTS rule_checks_by_ticket ON rule_checks(ticket_id);

CREATE OR REPLACE FUNCTION rule_checks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'events' THEN
        DELETE FROM rule_checks WHERE ticket_id = NEW.ticket_id;
    ELSIF TG_TABLE_NAME = 'customers' THEN
        DELETE FROM rule_checks WHERE ticket_id IN (SELECT id FROM tickets WHERE customer_id = NEW.id);
    ELSE
        DELETE FROM rule_checks WHERE ticket_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER rule_checks_ticket_changed AFTER UPDATE OF status, priority, customer_id, created_at ON tickets
    FOR EACH ROW EXECUTE FUNCTION rule_checks_changed();
CREATE OR REPLACE TRIGGER rule_checks_event_added AFTER INSERT ON events
    FOR EACH ROW WHEN (NEW.field IN ('status', 'reply', 'customer')) EXECUTE FUNCTION rule_checks_changed();
CREATE OR REPLACE TRIGGER rule_checks_tier_changed AFTER UPDATE OF tier ON customers
    FOR EACH ROW EXECUTE FUNCTION rule_checks_changed();

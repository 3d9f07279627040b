-- SQLite's 30: each ticket's kept report row holds whether it follows up another and the last
-- moment its figures count anything at, and an index by that moment holds the rows, so a report
-- reads one range of one index. The rows are worked out again; a new ticket and a follow-up mark,
-- added or dropped, now mark the ticket stale too.
DROP TABLE IF EXISTS ticket_report_facts;
CREATE TABLE ticket_report_facts (
    ticket_id bigint PRIMARY KEY,
    priority  text NOT NULL,
    tier      text NOT NULL,
    follows   bigint NOT NULL,
    last_at   bigint NOT NULL,
    facts     bytea NOT NULL
);
CREATE INDEX report_facts_by_time ON ticket_report_facts(last_at, ticket_id, priority, tier, follows);
UPDATE report_facts_state SET fingerprint = '' WHERE id = 1;

CREATE OR REPLACE TRIGGER report_ticket_added AFTER INSERT ON tickets
    FOR EACH ROW EXECUTE FUNCTION report_mark_stale();
CREATE OR REPLACE TRIGGER report_follow_up_added AFTER INSERT ON ticket_follow_ups
    FOR EACH ROW EXECUTE FUNCTION report_mark_stale();
CREATE OR REPLACE TRIGGER report_follow_up_removed AFTER DELETE ON ticket_follow_ups
    FOR EACH ROW EXECUTE FUNCTION report_mark_stale();

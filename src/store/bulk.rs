//! A fast writer for generated data: one long `BEGIN IMMEDIATE`, cached statements, and a commit
//! every [`TICKETS_PER_COMMIT`] tickets so the WAL stays small.

use super::{to_millis, Result, Store};
use crate::domain::{normalize_tag, Agent, Customer, MessageKind, Organization, Ticket, Timestamp};
use rusqlite::{params, Connection};

/// How many tickets (with their messages and events) go into one transaction.
pub const TICKETS_PER_COMMIT: usize = 20_000;

/// Who wrote a message: an agent by login, or the customer by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageAuthor<'a> {
    Agent(&'a str),
    Customer(i64),
}

/// One row of the audit log, as the bulk writer takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventRow<'a> {
    pub ticket_id: i64,
    pub actor: &'a str,
    pub field: &'a str,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
    pub created_at: Timestamp,
}

/// Inserts rows inside a write transaction. Call [`BulkWriter::finish`] to commit the last batch;
/// dropping it unfinished rolls back whatever was written since the last intermediate commit.
pub struct BulkWriter<'a> {
    conn: &'a Connection,
    tickets_in_batch: usize,
    in_transaction: bool,
}

impl Store {
    /// Start a bulk write (`BEGIN IMMEDIATE`).
    pub fn bulk(&self) -> Result<BulkWriter<'_>> {
        self.check_writable()?;
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        // The search index skips every ticket from here on; `finish` hands them to the index build,
        // which indexes them in one pass instead of once per message. Should the load stop halfway,
        // the build still finds them.
        self.conn.execute(&format!("UPDATE search_state SET pending_below = {}", i64::MAX), [])?;
        Ok(BulkWriter { conn: &self.conn, tickets_in_batch: 0, in_transaction: true })
    }
}

impl BulkWriter<'_> {
    /// Insert an organization; its domains are stored space-separated. Returns its id.
    pub fn insert_organization(&mut self, org: &Organization) -> Result<i64> {
        self.conn
            .prepare_cached("INSERT INTO organizations (name, domains) VALUES (?1, ?2)")?
            .execute(params![org.name, org.domains.join(" ")])?;
        let id = self.conn.last_insert_rowid();
        self.conn
            .prepare_cached("INSERT INTO organization_details (organization_id, tier, notes) VALUES (?1, ?2, ?3)")?
            .execute(params![id, org.tier.as_str(), org.notes])?;
        Ok(id)
    }

    /// Insert a customer with their addresses (lowercased, first is primary) and tags. Returns their id.
    pub fn insert_customer(&mut self, customer: &Customer, organization_id: Option<i64>) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO customers (name, phone, organization_id, tier, notes, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                customer.name,
                customer.phone,
                organization_id,
                customer.tier.as_str(),
                customer.notes,
                to_millis(customer.created_at)
            ])?;
        let id = self.conn.last_insert_rowid();
        let mut email_stmt = self
            .conn
            .prepare_cached("INSERT INTO customer_emails (email, customer_id, position) VALUES (?1, ?2, ?3)")?;
        for (position, email) in customer.emails.iter().enumerate() {
            email_stmt.execute(params![email.to_lowercase(), id, position as i64])?;
        }
        let mut tag_stmt =
            self.conn.prepare_cached("INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?1, ?2)")?;
        for tag in customer.tags.iter().filter_map(|t| normalize_tag(t)) {
            tag_stmt.execute(params![id, tag])?;
        }
        Ok(id)
    }

    /// Insert an agent unless the login exists already. Returns whether it was inserted.
    pub fn insert_agent(&mut self, agent: &Agent, created_at: Timestamp) -> Result<bool> {
        let inserted = self
            .conn
            .prepare_cached(
                "INSERT INTO agents (login, name, email, role, signature, active, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (login) DO NOTHING",
            )?
            .execute(params![
                agent.login,
                agent.name,
                agent.email,
                agent.role.as_str(),
                agent.signature,
                agent.active,
                to_millis(created_at)
            ])?;
        Ok(inserted > 0)
    }

    /// Insert a ticket with all its columns and tags (`waiting_since` as the caller worked it out
    /// by [`crate::domain::lifecycle::wait_after_message`]); `id`, `customer_name` and
    /// `customer_email` are ignored. Returns the new id. Commits the batch first when it is full.
    pub fn insert_ticket(&mut self, ticket: &Ticket) -> Result<i64> {
        if self.tickets_in_batch >= TICKETS_PER_COMMIT {
            self.commit_batch()?;
        }
        self.tickets_in_batch += 1;
        self.conn
            .prepare_cached(
                "INSERT INTO tickets (subject, customer_id, assignee, status, priority, channel, created_at,
                                      updated_at, first_response_at, solved_at, version, waiting_since)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                ticket.subject,
                ticket.customer_id,
                ticket.assignee,
                ticket.status.as_str(),
                ticket.priority.as_str(),
                ticket.channel.as_str(),
                to_millis(ticket.created_at),
                to_millis(ticket.updated_at),
                ticket.first_response_at.map(to_millis),
                ticket.solved_at.map(to_millis),
                ticket.version.max(1),
                ticket.waiting_since.map(to_millis)
            ])?;
        let id = self.conn.last_insert_rowid();
        let mut tag_stmt =
            self.conn.prepare_cached("INSERT OR IGNORE INTO ticket_tags (ticket_id, tag) VALUES (?1, ?2)")?;
        for tag in ticket.tags.iter().filter_map(|t| normalize_tag(t)) {
            tag_stmt.execute(params![id, tag])?;
        }
        Ok(id)
    }

    /// Insert one message of a conversation. Returns its id.
    pub fn insert_message(
        &mut self,
        ticket_id: i64,
        kind: MessageKind,
        author: MessageAuthor<'_>,
        body: &str,
        created_at: Timestamp,
    ) -> Result<i64> {
        let (login, customer) = match author {
            MessageAuthor::Agent(login) => (Some(login), None),
            MessageAuthor::Customer(id) => (None, Some(id)),
        };
        self.conn
            .prepare_cached(
                "INSERT INTO messages (ticket_id, kind, author_login, author_customer, body, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![ticket_id, kind.as_str(), login, customer, body, to_millis(created_at)])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Append one audit-log row. Returns its id.
    pub fn insert_event(&mut self, event: &EventRow<'_>) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO events (ticket_id, actor, field, old, new, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                event.ticket_id,
                event.actor,
                event.field,
                event.old,
                event.new,
                to_millis(event.created_at)
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Record a customer's CSAT (1–5; 4 and 5 are good) for the ticket, by whom and when `event`
    /// (its `satisfaction` row) says, and keep it on the ticket.
    pub fn insert_rating(&mut self, customer_id: i64, score: u8, event: &EventRow<'_>) -> Result<()> {
        let ticket_id = event.ticket_id;
        self.conn
            .prepare_cached(
                "INSERT INTO ratings (customer_id, ticket_id, kind, score, good, actor, created_at)
                 VALUES (?1, ?2, 'csat', ?3, ?4, ?5, ?6)",
            )?
            .execute(params![customer_id, ticket_id, score, score >= 4, event.actor, to_millis(event.created_at)])?;
        self.conn
            .prepare_cached("UPDATE tickets SET satisfaction = ?1 WHERE id = ?2")?
            .execute(params![score, ticket_id])?;
        Ok(())
    }

    /// Commit everything written since the last batch.
    pub fn finish(mut self) -> Result<()> {
        self.conn
            .execute("UPDATE search_state SET pending_below = (SELECT ifnull(max(id), 0) + 1 FROM tickets)", [])?;
        self.in_transaction = false;
        self.conn.execute_batch("COMMIT")?;
        Ok(())
    }

    fn commit_batch(&mut self) -> Result<()> {
        self.conn.execute_batch("COMMIT")?;
        // Between the two statements no transaction is open: a failed BEGIN leaves nothing to roll back.
        self.in_transaction = false;
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.in_transaction = true;
        self.tickets_in_batch = 0;
        Ok(())
    }
}

impl Drop for BulkWriter<'_> {
    fn drop(&mut self) {
        if self.in_transaction {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Channel, Priority, Role, Status, Tier};
    use chrono::Utc;

    fn customer(email: &str) -> Customer {
        Customer {
            id: 0,
            name: "Carla Núñez".into(),
            emails: vec![email.into(), "c.nunez@work.example".into()],
            phone: Some("+34 600 000 000".into()),
            organization: None,
            tier: Tier::Gold,
            notes: "Prefers email.".into(),
            tags: vec!["Repeat Buyer".into()],
            created_at: Utc::now(),
        }
    }

    fn ticket(customer_id: i64) -> Ticket {
        let now = Utc::now();
        Ticket {
            id: 0,
            subject: "Refund for order 48213".into(),
            customer_id,
            customer_name: String::new(),
            customer_email: String::new(),
            assignee: Some("ana".into()),
            status: Status::Open,
            priority: Priority::High,
            channel: Channel::Email,
            tags: vec!["refund".into()],
            created_at: now,
            updated_at: now,
            first_response_at: Some(now),
            solved_at: None,
            version: 3,
            waiting_since: None,
        }
    }

    fn agent(login: &str) -> Agent {
        Agent {
            login: login.into(),
            name: "Ana Ruiz".into(),
            email: None,
            role: Role::Agent,
            signature: String::new(),
            active: true,
        }
    }

    #[test]
    fn finished_bulk_write_is_visible_through_the_store() {
        let store = Store::open_in_memory().unwrap();
        let mut bulk = store.bulk().unwrap();
        assert!(bulk.insert_agent(&agent("ana"), Utc::now()).unwrap());
        assert!(!bulk.insert_agent(&agent("ana"), Utc::now()).unwrap());
        let org = Organization {
            id: 0,
            name: "Núñez Imports".into(),
            domains: vec!["nunez.example".into()],
            tier: Tier::Standard,
            notes: String::new(),
        };
        let org_id = bulk.insert_organization(&org).unwrap();
        let customer_id = bulk.insert_customer(&customer("Carla@Nunez.example"), Some(org_id)).unwrap();
        let ticket_id = bulk.insert_ticket(&ticket(customer_id)).unwrap();
        let at = Utc::now();
        bulk.insert_message(ticket_id, MessageKind::Customer, MessageAuthor::Customer(customer_id), "Hi", at).unwrap();
        let event =
            EventRow { ticket_id, actor: "ana", field: "status", old: Some("new"), new: Some("open"), created_at: at };
        bulk.insert_event(&event).unwrap();
        bulk.finish().unwrap();

        let detail = store.ticket_detail(ticket_id).unwrap();
        assert_eq!(detail.ticket.version, 3);
        assert_eq!(detail.ticket.customer_email, "carla@nunez.example");
        assert_eq!(detail.customer.organization.as_deref(), Some("Núñez Imports"));
        assert_eq!(detail.customer.tags, vec!["repeat-buyer".to_string()]);
        assert_eq!(detail.messages.len(), 1);
        assert_eq!(detail.events.len(), 1);
    }

    #[test]
    fn a_bulk_rating_is_the_customers_and_marks_them_at_risk_when_bad() {
        let store = Store::open_in_memory().unwrap();
        let mut bulk = store.bulk().unwrap();
        bulk.insert_agent(&agent("ana"), Utc::now()).unwrap();
        let customer_id = bulk.insert_customer(&customer("carla@nunez.example"), None).unwrap();
        let ticket_id = bulk.insert_ticket(&ticket(customer_id)).unwrap();
        let at = Utc::now();
        let actor = "carla@nunez.example";
        let event = EventRow { ticket_id, actor, field: "satisfaction", old: None, new: Some("2/5"), created_at: at };
        bulk.insert_event(&event).unwrap();
        bulk.insert_rating(customer_id, 2, &event).unwrap();
        bulk.finish().unwrap();

        let ratings = store.customer_ratings(customer_id).unwrap();
        assert_eq!(
            (ratings.len(), ratings[0].score, ratings[0].good, ratings[0].ticket_id),
            (1, 2, false, Some(ticket_id))
        );
        let since = at - chrono::Duration::days(1);
        assert_eq!(store.customer_risk(customer_id, since).unwrap(), Some(format!("rated badly on #{ticket_id}")));
    }

    #[test]
    fn unfinished_bulk_write_is_rolled_back() {
        let store = Store::open_in_memory().unwrap();
        {
            let mut bulk = store.bulk().unwrap();
            bulk.insert_agent(&agent("ana"), Utc::now()).unwrap();
        }
        assert!(store.agents().unwrap().is_empty());
    }
}

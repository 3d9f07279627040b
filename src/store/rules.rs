//! Rules' side of the store: the facts a rule is checked against, a rule's actions applied in one
//! write (each change an event whose actor is the rule), the round robin's turn, and the firings of
//! the timed triggers (each fires once per ticket and rule).

use super::messages::apply_message_effect;
use super::tickets::{apply_change, log_event, read_ticket};
use super::{now_millis, OutgoingMail, Result, Store, StoreError};
use crate::domain::rules::{next_in_turn, Action, Assign, Facts, Rule};
use crate::domain::{MessageKind, Status, Ticket, TicketChange, Tier, Timestamp};
use rusqlite::{params, Connection, OptionalExtension};

/// The event field of a canned reply a rule sent.
pub const AUTO_REPLY_FIELD: &str = "auto_reply";

/// What applying a rule did.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The status before, when the rule changed it.
    pub status_from: Option<Status>,
    /// The outbox entry of the canned reply the rule sent.
    pub outbox: Option<i64>,
    pub ticket: Ticket,
}

impl Store {
    /// Run `f` in one write: every write inside it is part of that write (a savepoint each), so
    /// a mail and the rules it fires are kept together, or neither is.
    pub fn in_one_write<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        self.write(|_| f())
    }

    /// What rules are checked against for ticket `id`: its fields, its customer's tier and
    /// organization, the mailbox it came in by and its first customer message. The caller adds
    /// the addresses the mail at hand was sent to and whether a machine wrote it.
    pub fn rule_facts(&self, id: i64) -> Result<(Ticket, Facts)> {
        let ticket = read_ticket(&self.conn, id)?.ok_or(StoreError::TicketNotFound(id))?;
        let (tier, organization): (String, Option<String>) = self.conn.prepare_cached(
            "SELECT c.tier, o.name FROM customers c LEFT JOIN organizations o ON o.id = c.organization_id WHERE c.id = ?1",
        )?
        .query_row([ticket.customer_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let mailbox: Option<String> = self
            .conn
            .prepare_cached("SELECT mailbox FROM ticket_mailboxes WHERE ticket_id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let body: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT body FROM messages WHERE ticket_id = ?1 AND kind = 'customer' ORDER BY created_at, id LIMIT 1",
            )?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let facts = Facts {
            mailboxes: mailbox.map(|m| m.to_lowercase()).into_iter().collect(),
            from: ticket.customer_email.to_lowercase(),
            organization,
            tier: tier.parse().unwrap_or(Tier::Standard),
            channel: ticket.channel,
            priority: ticket.priority,
            status: ticket.status,
            tags: ticket.tags.clone(),
            subject: ticket.subject.clone(),
            body: body.unwrap_or_default(),
            automatic: None,
        };
        Ok((ticket, facts))
    }

    /// Apply `actions` of `rule` to ticket `id` in one write, every change logged as the rule's;
    /// `reply` is the canned reply's text and its mail, queued in the outbox. The firing is
    /// recorded under `trigger` (the timed triggers fire once per ticket and rule).
    pub fn apply_rule(
        &self,
        id: i64,
        rule: &Rule,
        actions: &[&Action],
        trigger: &str,
        reply: Option<(&str, &OutgoingMail)>,
    ) -> Result<Applied> {
        let actor = rule.actor();
        let (status_from, outbox) = self.write(|conn| {
            let current = read_ticket(conn, id)?.ok_or(StoreError::TicketNotFound(id))?;
            let now = now_millis();
            let mut change = TicketChange::default();
            for action in actions {
                match action {
                    Action::Priority(p) => change.priority = Some(*p),
                    Action::Status(s) => change.status = Some(*s),
                    Action::Tags(tags) => change.add_tags.extend(tags.iter().cloned()),
                    Action::Assign(Assign::Agent(login)) => change.assignee = Some(Some(login.clone())),
                    Action::Assign(Assign::RoundRobin(logins)) => {
                        change.assignee = Some(Some(take_turn(conn, &rule.name, logins)?));
                    }
                    Action::Snooze(_) | Action::Note(_) | Action::Reply { .. } => {}
                }
            }
            let mut changed = apply_change(conn, &current, &change, &actor, now)?;
            for action in actions {
                match action {
                    Action::Snooze(seconds) => changed |= snooze(conn, &current, now + seconds * 1000, &actor, now)?,
                    Action::Note(text) => {
                        insert_rule_message(conn, &current, MessageKind::Note, &actor, text, now)?;
                    }
                    _ => {}
                }
            }
            if changed {
                super::tickets::bump_version(conn, id, now)?;
            }
            let outbox = match reply {
                Some((body, mail)) => Some(queue_reply(conn, id, &actor, body, mail, now)?),
                None => None,
            };
            conn.prepare_cached(
                "INSERT INTO rule_firings (rule, ticket_id, trigger, fired_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (rule, ticket_id, trigger) DO UPDATE SET fired_at = excluded.fired_at",
            )?
            .execute(params![rule.name, id, trigger, now])?;
            let after = read_ticket(conn, id)?.ok_or(StoreError::TicketNotFound(id))?;
            Ok(((after.status != current.status).then_some(current.status), outbox))
        })?;
        Ok(Applied { status_from, outbox, ticket: self.ticket(id)? })
    }

    /// Active tickets after ticket `after` the rule has not fired on under `trigger` yet and that
    /// it need look at as of `now`: those without a check worked out with `fingerprint` (never
    /// looked at, changed since, or other policies), and those whose check time has come; by
    /// number, at most `limit` (the next page starts after the last one).
    pub fn rule_candidates(
        &self,
        (rule, trigger, fingerprint): (&str, &str, i64),
        now: Timestamp,
        after: i64,
        limit: usize,
    ) -> Result<Vec<Ticket>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.id FROM tickets t
             WHERE t.id > ?3 AND t.status NOT IN ('solved', 'closed')
               AND NOT EXISTS (SELECT 1 FROM rule_firings f WHERE f.rule = ?1 AND f.ticket_id = t.id AND f.trigger = ?2)
               AND NOT EXISTS (SELECT 1 FROM rule_checks k WHERE k.rule = ?1 AND k.ticket_id = t.id AND k.trigger = ?2
                               AND k.fingerprint = ?5 AND (k.check_at IS NULL OR k.check_at > ?6))
             ORDER BY t.id LIMIT ?4",
        )?;
        let now = super::to_millis(now);
        let ids = stmt
            .query_map(params![rule, trigger, after, limit as i64, fingerprint, now], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        let mut tickets = self.tickets_by_ids(&ids)?;
        tickets.sort_by_key(|t| t.id);
        Ok(tickets)
    }

    /// Record when the rule need look at each ticket again (`None`: not until what its clocks are
    /// timed from changes), as worked out with `fingerprint`; one write for them all.
    pub fn record_rule_checks(
        &self,
        (rule, trigger, fingerprint): (&str, &str, i64),
        checks: &[(i64, Option<Timestamp>)],
    ) -> Result<()> {
        if checks.is_empty() {
            return Ok(());
        }
        self.write(|conn| {
            let mut stmt = conn.prepare_cached(
                "INSERT INTO rule_checks (rule, ticket_id, trigger, fingerprint, check_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (rule, ticket_id, trigger)
                 DO UPDATE SET fingerprint = excluded.fingerprint, check_at = excluded.check_at",
            )?;
            for (ticket, at) in checks {
                stmt.execute(params![rule, ticket, trigger, fingerprint, at.map(super::to_millis)])?;
            }
            Ok(())
        })
    }

    /// Active tickets whose last public message is a reply of ours written before `cutoff`
    /// (the customer has not answered since) that the rule has not fired on yet.
    pub fn unanswered_since(
        &self,
        rule: &str,
        trigger: &str,
        cutoff: Timestamp,
        after: i64,
        limit: usize,
    ) -> Result<Vec<Ticket>> {
        let cutoff = super::to_millis(cutoff);
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.id FROM tickets t
             JOIN messages m ON m.id = (SELECT id FROM messages WHERE ticket_id = t.id AND kind IN ('customer', 'reply')
                                        ORDER BY created_at DESC, id DESC LIMIT 1)
             WHERE t.id > ?5 AND t.status <> 'new' AND t.status NOT IN ('solved', 'closed') AND m.kind = 'reply' AND m.created_at <= ?3
               AND NOT EXISTS (SELECT 1 FROM rule_firings f WHERE f.rule = ?1 AND f.ticket_id = t.id AND f.trigger = ?2)
             ORDER BY t.id LIMIT ?4",
        )?;
        let ids = stmt
            .query_map(params![rule, trigger, cutoff, limit as i64, after], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        let mut tickets = self.tickets_by_ids(&ids)?;
        tickets.sort_by_key(|t| t.id);
        Ok(tickets)
    }

    /// Whether the rule `rule` fired on ticket `id` under `trigger`.
    pub fn rule_fired(&self, rule: &str, id: i64, trigger: &str) -> Result<bool> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM rule_firings WHERE rule = ?1 AND ticket_id = ?2 AND trigger = ?3")?;
        Ok(stmt.query_row(params![rule, id, trigger], |_| Ok(())).optional()?.is_some())
    }
}

/// The round robin's next login for `rule`, kept as the one it picked last.
fn take_turn(conn: &Connection, rule: &str, logins: &[String]) -> Result<String> {
    let last: Option<String> = conn
        .prepare_cached("SELECT last_login FROM rule_turns WHERE rule = ?1")?
        .query_row([rule], |r| r.get(0))
        .optional()?;
    let position = last.and_then(|l| logins.iter().position(|x| *x == l));
    let (_, login) = next_in_turn(logins, position)
        .ok_or_else(|| StoreError::Invalid(format!("rule '{rule}' has nobody to assign in turn")))?;
    conn.prepare_cached(
        "INSERT INTO rule_turns (rule, last_login) VALUES (?1, ?2) ON CONFLICT (rule) DO UPDATE SET last_login = ?2",
    )?
    .execute(params![rule, login])?;
    Ok(login.to_string())
}

fn snooze(conn: &Connection, ticket: &Ticket, until: i64, actor: &str, now: i64) -> Result<bool> {
    if !ticket.status.is_active() {
        return Ok(false);
    }
    let until_text = super::from_millis(until).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let before = super::undo::snooze_before(conn, ticket.id)?;
    conn.prepare_cached("UPDATE tickets SET snoozed_until = ?1 WHERE id = ?2")?.execute(params![until, ticket.id])?;
    log_event(conn, ticket.id, actor, "snoozed_until", before.text.as_deref(), Some(&until_text), now)?;
    before.record(conn)?;
    Ok(true)
}

/// The canned reply as a public reply with its mail in the outbox, in the caller's write.
fn queue_reply(conn: &Connection, ticket: i64, actor: &str, body: &str, mail: &OutgoingMail, now: i64) -> Result<i64> {
    let current = read_ticket(conn, ticket)?.ok_or(StoreError::TicketNotFound(ticket))?;
    let id = insert_rule_message(conn, &current, MessageKind::Reply, actor, body, now)?;
    // Due at once: no agent's process is there to deliver it, the service does.
    super::outbox::queue_mail(conn, ticket, id, mail, now, now)
}

/// A note or reply written by the rule `actor`, in the caller's write. A note does what any note
/// does; a canned reply is logged as `auto_reply`, not `reply`: an automatic answer is not the
/// desk's response, so it leaves the status, the first response and every SLA clock as they were.
fn insert_rule_message(
    conn: &Connection,
    ticket: &Ticket,
    kind: MessageKind,
    actor: &str,
    body: &str,
    now: i64,
) -> Result<i64> {
    conn.prepare_cached("INSERT INTO messages (ticket_id, kind, body, created_at) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![ticket.id, kind.as_str(), body, now])?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached("INSERT INTO message_rules (message_id, rule) VALUES (?1, ?2)")?.execute(params![id, actor])?;
    let field = match kind {
        MessageKind::Reply => AUTO_REPLY_FIELD,
        other => other.as_str(),
    };
    log_event(conn, ticket.id, actor, field, None, Some(&id.to_string()), now)?;
    if kind != MessageKind::Reply {
        apply_message_effect(conn, ticket, kind, actor, now, now)?;
    }
    super::tickets::bump_version(conn, ticket.id, now)?;
    Ok(id)
}

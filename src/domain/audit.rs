//! The desk's whole history as one list: a ticket's own events and the audit log of everything
//! else (customers, agents, deletions), each entry who, when, what, before → after.

use super::when::Zone;
use super::Timestamp;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// Who the audit log names when the config's tier rule raised a new ticket's priority.
pub const TIER_PRIORITY_ACTOR: &str = "rule:tier-priority";

/// What an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    Ticket,
    Customer,
    Agent,
    Organization,
    Config,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Ticket => "ticket",
            SubjectKind::Customer => "customer",
            SubjectKind::Agent => "agent",
            SubjectKind::Organization => "organization",
            SubjectKind::Config => "config",
        }
    }

    pub fn parse(text: &str) -> Option<SubjectKind> {
        [SubjectKind::Ticket, SubjectKind::Customer, SubjectKind::Agent, SubjectKind::Organization, SubjectKind::Config]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// Where an entry is kept: a ticket's event log, or the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Event,
    Audit,
}

/// One change: who made it, when, to what, and the value before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub source: Source,
    pub id: i64,
    pub at: Timestamp,
    pub actor: String,
    pub kind: SubjectKind,
    /// The ticket's or customer's number, the agent's login; empty for the config.
    pub subject: String,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Which entries to list; every part given must hold. Times are inclusive at `since`, exclusive at `until`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditQuery {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub who: Option<String>,
    /// The whole story of a ticket: its events, and its deletion.
    pub ticket: Option<i64>,
    /// The whole story of a customer: their own changes and merges, and their tickets' stories.
    pub customer: Option<i64>,
}

/// What is left of a deleted ticket: who deleted it, when, and what it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Tombstone {
    pub ticket: i64,
    pub by: String,
    pub at: Timestamp,
    /// The ticket as it was: subject, customer, status and how many messages.
    pub what: String,
}

impl AuditEntry {
    /// The change in words, `status open → solved`; values as stored (the caller makes them safe).
    pub fn change(&self) -> String {
        let value = |v: &Option<String>| match v.as_deref() {
            None => "-".to_string(),
            Some("") => "\"\"".to_string(),
            Some(text) => text.to_string(),
        };
        match (self.kind, self.field.as_str()) {
            (_, "created") => format!("created: {}", value(&self.new)),
            (SubjectKind::Ticket, "deleted") => format!("deleted: {}", value(&self.old)),
            (SubjectKind::Ticket, "reply" | "note" | "customer" | "system") => {
                format!("added {} message {}", self.field, value(&self.new))
            }
            (SubjectKind::Ticket, "auto_reply") => format!("added automatic reply message {}", value(&self.new)),
            (SubjectKind::Ticket, "tag") if self.old.is_none() => format!("tagged {}", value(&self.new)),
            (SubjectKind::Ticket, "tag") => format!("untagged {}", value(&self.old)),
            // The changes logged with it put back what that earlier write had changed.
            (SubjectKind::Ticket, "undo") => format!("undid an earlier change (event {})", value(&self.new)),
            (SubjectKind::Ticket, "merged") => format!("#{} merged into it", value(&self.new)),
            (SubjectKind::Ticket, "merged_into") => format!("merged into #{}", value(&self.new)),
            (SubjectKind::Customer, "merged_into") => {
                format!("merged into customer {}: was {}", value(&self.new), value(&self.old))
            }
            (SubjectKind::Customer, "merged") => format!("took in {}", value(&self.new)),
            (_, field) => format!("{field} {} → {}", value(&self.old), value(&self.new)),
        }
    }

    /// `#297`, `customer 12`, `agent bob`, `config`.
    pub fn subject_label(&self) -> String {
        match self.kind {
            SubjectKind::Ticket => format!("#{}", self.subject),
            SubjectKind::Config => "config".into(),
            kind => format!("{} {}", kind.as_str(), self.subject),
        }
    }
}

/// What `--since` and `--until` read, in the past: `2026-12-01` (its midnight), `2026-12-01 09:30`,
/// `today`, `yesterday`, `7d` / `12h` / `30m` / `2w` ago, or an RFC 3339 time; local times in `zone`.
pub fn parse_bound(text: &str, now: Timestamp, zone: Zone) -> Result<Timestamp, String> {
    let trimmed = text.trim();
    bound(trimmed, now, zone).ok_or_else(|| {
        format!("'{trimmed}' is not a time; try 2026-12-01, 2026-12-01 09:30, today, yesterday, 7d (7 days ago) or 12h")
    })
}

fn bound(text: &str, now: Timestamp, zone: Zone) -> Option<Timestamp> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    let lower = text.to_lowercase();
    let midnight = |date: NaiveDate| zone.instant(NaiveDateTime::new(date, NaiveTime::MIN));
    match lower.as_str() {
        "today" => return midnight(zone.date_of(now)),
        "yesterday" => return midnight(zone.date_of(now).pred_opt()?),
        _ => {}
    }
    if let Some(ago) = ago(&lower) {
        return now.checked_sub_signed(ago);
    }
    let (day, time) = lower.split_once([' ', 't']).map_or((lower.as_str(), None), |(d, t)| (d, Some(t.trim())));
    let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    let time = match time {
        None => NaiveTime::MIN,
        Some(t) => NaiveTime::parse_from_str(t, "%H:%M").or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S")).ok()?,
    };
    zone.instant(NaiveDateTime::new(date, time))
}

/// `7d`, `12h`, `30m`, `2w` (optionally followed by `ago`) as a length of time.
fn ago(text: &str) -> Option<Duration> {
    let text = text.strip_suffix("ago").unwrap_or(text).trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).filter(|at| *at > 0)?;
    let (number, unit) = text.split_at(split);
    let n: i64 = number.parse().ok()?;
    let minutes = match unit.trim() {
        "m" | "min" | "minutes" => 1,
        "h" | "hours" => 60,
        "d" | "days" => 24 * 60,
        "w" | "weeks" => 7 * 24 * 60,
        _ => return None,
    };
    n.checked_mul(minutes).and_then(Duration::try_minutes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn bounds_read_dates_times_and_lengths_ago() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap();
        let berlin = Zone::Named(chrono_tz::Europe::Berlin);
        let at = |y, m, d, h, min| Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap();
        assert_eq!(parse_bound("2026-11-30", now, berlin), Ok(at(2026, 11, 29, 23, 0)), "midnight in Berlin");
        assert_eq!(parse_bound("2026-11-30 09:30", now, berlin), Ok(at(2026, 11, 30, 8, 30)));
        assert_eq!(parse_bound("2026-07-01 09:30", now, berlin), Ok(at(2026, 7, 1, 7, 30)), "summer time");
        assert_eq!(parse_bound("today", now, berlin), Ok(at(2026, 11, 30, 23, 0)));
        assert_eq!(parse_bound("yesterday", now, berlin), Ok(at(2026, 11, 29, 23, 0)));
        assert_eq!(parse_bound("7d", now, berlin), Ok(at(2026, 11, 24, 15, 0)));
        assert_eq!(parse_bound("90m ago", now, berlin), Ok(at(2026, 12, 1, 13, 30)));
        assert_eq!(parse_bound("2026-12-01T10:00:00Z", now, berlin), Ok(at(2026, 12, 1, 10, 0)));
        assert_eq!(parse_bound("2026-03-29 02:30", now, berlin), Ok(at(2026, 3, 29, 1, 30)), "skipped: 03:30 CEST");
        for bad in ["soon", "2026-13-01", "99999999999999999d", "7 parsecs", ""] {
            let problem = parse_bound(bad, now, berlin).unwrap_err();
            assert!(problem.contains("is not a time; try"), "{bad}: {problem}");
        }
    }

    fn entry(kind: SubjectKind, field: &str, old: Option<&str>, new: Option<&str>) -> AuditEntry {
        AuditEntry {
            source: Source::Audit,
            id: 1,
            at: Timestamp::default(),
            actor: "ana".into(),
            kind,
            subject: "7".into(),
            field: field.into(),
            old: old.map(String::from),
            new: new.map(String::from),
        }
    }

    #[test]
    fn changes_read_as_before_and_after() {
        assert_eq!(
            entry(SubjectKind::Customer, "tier", Some("standard"), Some("gold")).change(),
            "tier standard → gold"
        );
        assert_eq!(entry(SubjectKind::Ticket, "tag", None, Some("vip")).change(), "tagged vip");
        assert_eq!(entry(SubjectKind::Customer, "notes", Some(""), Some("VIP")).change(), "notes \"\" → VIP");
        assert_eq!(entry(SubjectKind::Ticket, "deleted", Some("\"Refund\""), None).change(), "deleted: \"Refund\"");
        assert_eq!(
            entry(SubjectKind::Customer, "merged_into", Some("Carla"), Some("3")).change(),
            "merged into customer 3: was Carla"
        );
        let undo = entry(SubjectKind::Ticket, "undo", None, Some("5064")).change();
        assert_eq!(undo, "undid an earlier change (event 5064)");
        assert_eq!(entry(SubjectKind::Ticket, "x", None, None).subject_label(), "#7");
        assert_eq!(entry(SubjectKind::Agent, "role", None, None).subject_label(), "agent 7");
    }

    #[test]
    fn kinds_read_back_by_name() {
        for kind in [SubjectKind::Ticket, SubjectKind::Customer, SubjectKind::Agent, SubjectKind::Config] {
            assert_eq!(SubjectKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(SubjectKind::parse("planet"), None);
    }
}

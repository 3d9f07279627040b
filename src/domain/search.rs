//! The search query language: words, `"phrases"`, `prefix*`, `#N`, and filters
//! `from:`, `status:`, `priority:`, `tag:`, `assignee:`, `before:`, `after:`.

use super::when::Zone;
use super::{normalize_tag, Priority, Status, Ticket, Timestamp};
use chrono::NaiveDate;

/// One piece of text to find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Word(String),
    Phrase(String),
    Prefix(String),
}

/// Whose tickets: `assignee:me`, `assignee:none`, `assignee:LOGIN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignee {
    Me,
    Nobody,
    Login(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    pub terms: Vec<Term>,
    /// Ticket numbers asked for with `#N`.
    pub numbers: Vec<i64>,
    /// `from:` values: an address, `@domain`, or part of a name or address.
    pub from: Vec<String>,
    pub statuses: Vec<Status>,
    pub priorities: Vec<Priority>,
    pub tags: Vec<String>,
    pub assignee: Option<Assignee>,
    /// Tickets created before this moment.
    pub before: Option<Timestamp>,
    /// Tickets created at or after this moment.
    pub after: Option<Timestamp>,
}

pub const FILTERS: &[&str] = &["from", "status", "priority", "tag", "assignee", "before", "after"];

impl SearchQuery {
    /// Parse what the agent typed. Dates in `before:`/`after:` are days in the agent's time zone.
    pub fn parse(text: &str, zone: Zone) -> Result<SearchQuery, String> {
        let mut query = SearchQuery::default();
        for token in tokens(text) {
            match token {
                Token::Quoted(phrase) => {
                    if has_letters(&phrase) {
                        query.terms.push(Term::Phrase(phrase));
                    }
                }
                Token::Bare(word) => query.add_bare(&word, zone)?,
            }
        }
        Ok(query)
    }

    /// Nothing to look for: no words and no filters.
    pub fn is_empty(&self) -> bool {
        *self == SearchQuery::default()
    }

    fn add_bare(&mut self, word: &str, zone: Zone) -> Result<(), String> {
        if let Some((key, value)) = word.split_once(':') {
            if FILTERS.contains(&key.to_ascii_lowercase().as_str()) {
                return self.add_filter(&key.to_ascii_lowercase(), value, zone);
            }
            if key.chars().all(|c| c.is_ascii_alphabetic()) && !key.is_empty() && !value.is_empty() {
                return Err(format!(
                    "\"{key}:\" is not a search filter; the filters are {} (put a word with a colon in quotes)",
                    FILTERS.iter().map(|f| format!("{f}:")).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        if let Some(number) = word.strip_prefix('#').and_then(|n| n.parse::<i64>().ok()) {
            self.numbers.push(number);
            return Ok(());
        }
        if let Some(stem) = word.strip_suffix('*') {
            if has_letters(stem) {
                self.terms.push(Term::Prefix(stem.to_string()));
            }
            return Ok(());
        }
        if has_letters(word) {
            self.terms.push(Term::Word(word.to_string()));
        }
        Ok(())
    }

    fn add_filter(&mut self, key: &str, value: &str, zone: Zone) -> Result<(), String> {
        if value.is_empty() {
            return Err(format!("\"{key}:\" needs a value, as in {}", example(key)));
        }
        let values = value.split(',').map(str::trim).filter(|v| !v.is_empty());
        match key {
            "from" => self.from.push(value.to_string()),
            "status" => {
                for v in values {
                    if v.eq_ignore_ascii_case("active") {
                        self.statuses.extend(Status::ALL.iter().filter(|s| s.is_active()));
                        continue;
                    }
                    let status = v.to_ascii_lowercase().replace('-', "_").parse::<Status>().map_err(|_| {
                        format!(
                            "\"{v}\" is not a status; use {} or active",
                            names(Status::ALL.iter().map(|s| s.as_str()))
                        )
                    })?;
                    self.statuses.push(status);
                }
            }
            "priority" => {
                for v in values {
                    let priority = v.to_ascii_lowercase().parse::<Priority>().map_err(|_| {
                        format!("\"{v}\" is not a priority; use {}", names(Priority::ALL.iter().map(|p| p.as_str())))
                    })?;
                    self.priorities.push(priority);
                }
            }
            "tag" => {
                for v in values {
                    let tag = normalize_tag(v).ok_or_else(|| format!("\"{v}\" is not a tag"))?;
                    self.tags.push(tag);
                }
            }
            "assignee" => {
                self.assignee = Some(match value.to_ascii_lowercase().as_str() {
                    "me" => Assignee::Me,
                    "none" | "nobody" => Assignee::Nobody,
                    _ => Assignee::Login(value.to_string()),
                })
            }
            _ => {
                let day = NaiveDate::parse_from_str(value, "%Y-%m-%d")
                    .map_err(|_| format!("\"{value}\" is not a date; write {key}:YYYY-MM-DD"))?;
                let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
                let at =
                    zone.instant(midnight).ok_or_else(|| format!("\"{value}\" is not a date this desk can use"))?;
                if key == "before" {
                    self.before = Some(at);
                } else {
                    self.after = Some(at);
                }
            }
        }
        Ok(())
    }
}

fn example(key: &str) -> &'static str {
    match key {
        "from" => "from:carla@shop.example",
        "status" => "status:open,pending",
        "priority" => "priority:urgent",
        "tag" => "tag:refund",
        "assignee" => "assignee:me",
        "before" => "before:2026-11-01",
        _ => "after:2026-11-01",
    }
}

fn names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

fn has_letters(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

enum Token {
    Quoted(String),
    Bare(String),
}

/// Split on white space, keeping `"quoted phrases"` (an unclosed quote runs to the end) and
/// `key:"quoted value"` together.
fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '"' {
            chars.next();
            let phrase: String = chars.by_ref().take_while(|&c| c != '"').collect();
            out.push(Token::Quoted(phrase.trim().to_string()));
            continue;
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            if c == '"' && word.ends_with(':') {
                word.extend(chars.by_ref().take_while(|&c| c != '"'));
                continue;
            }
            word.push(c);
        }
        out.push(Token::Bare(word));
    }
    out
}

/// The FTS5 match expression for `terms`: every term must be found (quoted, so no word is an
/// operator).
pub fn fts_expression(terms: &[Term]) -> String {
    let quote = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    terms
        .iter()
        .map(|term| match term {
            Term::Word(w) => quote(w),
            Term::Phrase(p) => quote(p),
            Term::Prefix(p) => format!("{}*", quote(p)),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// Newest ticket first.
    pub tickets: Vec<Ticket>,
    /// More tickets match than were asked for.
    pub more: bool,
    /// The search stopped at its time budget: there may be older matches it did not reach.
    pub stopped_early: bool,
    /// Tickets not in the index yet (the index is still being built), so not searched by text.
    pub unindexed: u64,
}

/// How far the index build has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexProgress {
    pub pending: u64,
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn parse(text: &str) -> Result<SearchQuery, String> {
        SearchQuery::parse(text, Zone::Named(chrono_tz::Europe::Paris))
    }

    #[test]
    fn words_phrases_and_prefixes() {
        let q = parse(r#"refund "order 48213" parc* #1042"#).unwrap();
        assert_eq!(
            q.terms,
            vec![Term::Word("refund".into()), Term::Phrase("order 48213".into()), Term::Prefix("parc".into())]
        );
        assert_eq!(q.numbers, vec![1042]);
        assert_eq!(fts_expression(&q.terms), r#""refund" "order 48213" "parc"*"#);
    }

    #[test]
    fn operators_and_quotes_in_words_are_only_text() {
        let q = parse(r#"NOT OR x"y AND"#).unwrap();
        assert_eq!(fts_expression(&q.terms), r#""NOT" "OR" "x""y" "AND""#);
        assert!(parse("  -- * !! ").unwrap().is_empty(), "punctuation alone finds nothing");
        let q = parse(r#""unclosed phrase"#).unwrap();
        assert_eq!(q.terms, vec![Term::Phrase("unclosed phrase".into())]);
    }

    #[test]
    fn filters() {
        let q = parse("from:@shop.example status:open,pending priority:urgent tag:Refund assignee:me x").unwrap();
        assert_eq!(q.from, vec!["@shop.example".to_string()]);
        assert_eq!(q.statuses, vec![Status::Open, Status::Pending]);
        assert_eq!(q.priorities, vec![Priority::Urgent]);
        assert_eq!(q.tags, vec!["refund".to_string()]);
        assert_eq!(q.assignee, Some(Assignee::Me));
        assert_eq!(q.terms, vec![Term::Word("x".into())]);
        let q = parse("status:active assignee:none from:\"Carla Núñez\"").unwrap();
        assert_eq!(q.statuses.len(), 4);
        assert_eq!(q.assignee, Some(Assignee::Nobody));
        assert_eq!(q.from, vec!["Carla Núñez".to_string()]);
    }

    #[test]
    fn dates_are_days_in_the_agents_zone() {
        let q = parse("after:2026-11-01 before:2026-11-23").unwrap();
        assert_eq!(q.after.unwrap(), Utc.with_ymd_and_hms(2026, 10, 31, 23, 0, 0).unwrap());
        assert_eq!(q.before.unwrap(), Utc.with_ymd_and_hms(2026, 11, 22, 23, 0, 0).unwrap());
        // In summer Paris is two hours ahead: each day's own offset, not the one of today.
        let summer = parse("after:2026-07-01").unwrap();
        assert_eq!(summer.after.unwrap(), Utc.with_ymd_and_hms(2026, 6, 30, 22, 0, 0).unwrap());
    }

    #[test]
    fn mistakes_get_one_clear_sentence() {
        assert!(parse("status:opne").unwrap_err().contains("\"opne\" is not a status"));
        assert!(parse("priority:hot").unwrap_err().contains("not a priority"));
        assert!(parse("before:yesterday").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse("form:carla").unwrap_err().contains("\"form:\" is not a search filter"));
        assert!(parse("tag:").unwrap_err().contains("needs a value"));
        // A colon that is not a filter's is fine inside a word like a time or an address.
        assert_eq!(parse("10:30").unwrap().terms, vec![Term::Word("10:30".into())]);
        assert_eq!(parse("\"re: order\"").unwrap().terms, vec![Term::Phrase("re: order".into())]);
    }
}

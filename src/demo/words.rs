//! The demo's source words, embedded from `assets/demo/` and checked when loaded.

use crate::store::StoreError;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub(crate) struct Topic {
    pub tag: String,
    pub weight: u32,
    pub subjects: Vec<String>,
    pub openings: Vec<String>,
    pub replies: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Topics {
    topic: Vec<Topic>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Lines {
    pub customer_followups: Vec<String>,
    pub customer_nudges: Vec<String>,
    pub agent_replies: Vec<String>,
    pub agent_closings: Vec<String>,
    pub notes: Vec<String>,
    pub on_hold_notes: Vec<String>,
    pub customer_notes: Vec<String>,
    pub customer_tags: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Hostile {
    pub subjects: Vec<String>,
    pub bodies: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct TeamMember {
    pub login: String,
    pub name: String,
    pub signature: String,
}

#[derive(Debug, Deserialize)]
struct Team {
    agent: Vec<TeamMember>,
}

/// Everything the generator draws from.
pub(crate) struct Words {
    pub first_names: Vec<&'static str>,
    pub last_names: Vec<&'static str>,
    /// Names beyond ASCII, each with the ASCII form its email address uses.
    pub intl_given: Vec<(&'static str, &'static str)>,
    pub intl_family: Vec<(&'static str, &'static str)>,
    /// Whole names written family name first, with the local part of their address.
    pub cjk_names: Vec<(&'static str, &'static str)>,
    /// Organization name and its email domain.
    pub organizations: Vec<(&'static str, &'static str)>,
    pub org_kinds: Vec<&'static str>,
    pub products: Vec<&'static str>,
    pub topics: Vec<Topic>,
    pub lines: Lines,
    pub hostile: Hostile,
    pub team: Vec<TeamMember>,
}

impl Words {
    pub(crate) fn load() -> Result<Words, StoreError> {
        let words = Words {
            first_names: lines(include_str!("../../assets/demo/first_names.txt")),
            last_names: lines(include_str!("../../assets/demo/last_names.txt")),
            intl_given: pairs(include_str!("../../assets/demo/intl_given.txt")),
            intl_family: pairs(include_str!("../../assets/demo/intl_family.txt")),
            cjk_names: pairs(include_str!("../../assets/demo/cjk_names.txt")),
            organizations: pairs(include_str!("../../assets/demo/organizations.txt")),
            org_kinds: lines(include_str!("../../assets/demo/org_kinds.txt")),
            products: lines(include_str!("../../assets/demo/products.txt")),
            topics: parse::<Topics>("topics.toml", include_str!("../../assets/demo/topics.toml"))?.topic,
            lines: parse("conversation.toml", include_str!("../../assets/demo/conversation.toml"))?,
            hostile: parse("hostile.toml", include_str!("../../assets/demo/hostile.toml"))?,
            team: parse::<Team>("agents.toml", include_str!("../../assets/demo/agents.toml"))?.agent,
        };
        words.check()?;
        Ok(words)
    }

    /// Every list the generator picks from must have something in it.
    fn check(&self) -> Result<(), StoreError> {
        let l = &self.lines;
        let sizes = [
            ("first_names", self.first_names.len()),
            ("last_names", self.last_names.len()),
            ("intl_given", self.intl_given.len()),
            ("intl_family", self.intl_family.len()),
            ("cjk_names", self.cjk_names.len()),
            ("organizations", self.organizations.len()),
            ("org_kinds", self.org_kinds.len()),
            ("products", self.products.len()),
            ("topics", self.topics.len()),
            ("agents", self.team.len()),
            ("customer_followups", l.customer_followups.len()),
            ("customer_nudges", l.customer_nudges.len()),
            ("agent_replies", l.agent_replies.len()),
            ("agent_closings", l.agent_closings.len()),
            ("notes", l.notes.len()),
            ("on_hold_notes", l.on_hold_notes.len()),
            ("customer_notes", l.customer_notes.len()),
            ("customer_tags", l.customer_tags.len()),
            ("hostile subjects", self.hostile.subjects.len()),
            ("hostile bodies", self.hostile.bodies.len()),
        ];
        let topics_ok = self
            .topics
            .iter()
            .all(|t| t.weight > 0 && !t.subjects.is_empty() && !t.openings.is_empty() && !t.replies.is_empty());
        match sizes.iter().find(|(_, n)| *n == 0) {
            Some((name, _)) => Err(invalid(name, "is empty")),
            None if !topics_ok => {
                Err(invalid("topics.toml", "has a topic without weight, subjects, openings or replies"))
            }
            None => Ok(()),
        }
    }
}

fn invalid(what: &str, problem: &str) -> StoreError {
    StoreError::Invalid(format!("demo words: {what} {problem}"))
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<T, StoreError> {
    toml::from_str(text).map_err(|e| invalid(name, &format!("cannot be read: {e}")))
}

/// Non-empty lines that are not `#` comments.
fn lines(text: &'static str) -> Vec<&'static str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
}

/// Lines of the form `left | right`.
fn pairs(text: &'static str) -> Vec<(&'static str, &'static str)> {
    lines(text).into_iter().filter_map(|l| l.split_once('|')).map(|(a, b)| (a.trim(), b.trim())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_words_load() {
        let words = Words::load().unwrap();
        assert!(words.cjk_names.iter().any(|(name, _)| name.contains('田')));
        assert!(words.hostile.subjects.iter().any(|s| s.contains('\u{1b}')));
        assert_eq!(words.team[0].login, "ana");
    }
}

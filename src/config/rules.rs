//! Rules: `[[rules]]` in the config and in `rules/*.toml` beside it, read into the domain's
//! [`Rule`]s; every mistake is one sentence naming the file, the line, the rule and the key.

use super::macros::{find as find_macro, load_macros, CannedReply};
use crate::domain::rules::{Action, Assign, Conditions, Rule, Trigger};
use crate::domain::sla::{parse_duration, ClockKind};
use crate::domain::{normalize_tag, Channel, Priority, Status, Tier};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The rules the desk runs, and every mistake found reading them (the rules with a mistake are
/// left out).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub problems: Vec<String>,
    /// The files read, in order: the config file (when it has rules), then `rules/*.toml`.
    pub files: Vec<PathBuf>,
}

impl RuleSet {
    /// The rules, or the first mistake with a pointer to the command that lists them all.
    pub fn checked(&self) -> Result<&[Rule], String> {
        match self.problems.as_slice() {
            [] => Ok(&self.rules),
            [one] => Err(format!("{one}; `frontdesk rules check` checks the rules")),
            [first, rest @ ..] => {
                Err(format!("{first}, and {} more mistakes; `frontdesk rules check` lists them", rest.len()))
            }
        }
    }
}

#[derive(Deserialize)]
struct InConfig {
    #[serde(default)]
    rules: Vec<toml::Spanned<toml::Table>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InRulesFile {
    #[serde(default)]
    rules: Vec<toml::Spanned<toml::Table>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: String,
    when: String,
    at: Option<i64>,
    clock: Option<String>,
    days: Option<i64>,
    #[serde(rename = "if", default)]
    conditions: RawConditions,
    then: RawActions,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawConditions {
    mailbox: OneOrMany,
    from: OneOrMany,
    from_domain: OneOrMany,
    organization: OneOrMany,
    tier: OneOrMany,
    channel: OneOrMany,
    priority: OneOrMany,
    status: OneOrMany,
    tags: OneOrMany,
    subject_words: OneOrMany,
    body_words: OneOrMany,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawActions {
    priority: Option<String>,
    status: Option<String>,
    tags: OneOrMany,
    assign: Option<RawAssign>,
    snooze: Option<String>,
    note: Option<String>,
    reply: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawAssign {
    Login(String),
    Group(RoundRobin),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoundRobin {
    round_robin: Vec<String>,
}

/// A value given as one string or a list of them.
#[derive(Default)]
struct OneOrMany(Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            One(String),
            Many(Vec<String>),
        }
        Ok(OneOrMany(
            match Either::deserialize(d)
                .map_err(|_| serde::de::Error::custom("expected a string or a list of strings"))?
            {
                Either::One(s) => vec![s],
                Either::Many(v) => v,
            },
        ))
    }
}

/// The rules in the config at `config_path` (when its text is `config_text`) and in the
/// `rules/` folder beside it; canned replies come from `macros/` beside it and the built-in ones.
pub fn load(config_path: &Path, config_text: &str) -> RuleSet {
    let folder = config_path.parent().unwrap_or(Path::new(""));
    let (macros, _) = load_macros(&folder.join("macros"));
    let mut set = RuleSet::default();
    read_file(config_path, config_text, true, &macros, &mut set);
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder.join("rules"))
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    for path in files {
        match std::fs::read_to_string(&path) {
            Ok(text) => read_file(&path, &text, false, &macros, &mut set),
            Err(e) => set.problems.push(format!("rules file {}: cannot be read: {e}", path.display())),
        }
    }
    let mut seen: Vec<String> = Vec::new();
    for rule in &set.rules {
        if seen.contains(&rule.name.to_lowercase()) {
            set.problems.push(format!("two rules are called '{}'; give each rule its own name", rule.name));
        }
        seen.push(rule.name.to_lowercase());
    }
    set
}

fn read_file(path: &Path, text: &str, is_config: bool, macros: &[CannedReply], set: &mut RuleSet) {
    let shown = path.display();
    let tables = if is_config {
        toml::from_str::<InConfig>(text).map(|c| c.rules)
    } else {
        toml::from_str::<InRulesFile>(text).map(|c| c.rules)
    };
    let tables = match tables {
        Ok(tables) => tables,
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
            set.problems.push(format!("rules file {shown}, line {line}: {}", e.message().trim()));
            return;
        }
    };
    if is_config && tables.is_empty() {
        return;
    }
    set.files.push(path.to_path_buf());
    for (i, spanned) in tables.into_iter().enumerate() {
        let line = line_of(text, spanned.span().start);
        let table = spanned.into_inner();
        let name = table.get("name").and_then(|n| n.as_str()).map(str::to_string);
        let at = match &name {
            Some(name) => format!("rules file {shown}, line {line}, rule '{name}'"),
            None => format!("rules file {shown}, line {line}, rule {}", i + 1),
        };
        let raw = match RawRule::deserialize(toml::Value::Table(table)) {
            Ok(raw) => raw,
            Err(e) => {
                set.problems.push(format!("{at}: {}", e.message().trim()));
                continue;
            }
        };
        let mut problems = Vec::new();
        let rule = convert(raw, macros, &mut problems);
        if problems.is_empty() {
            set.rules.extend(rule);
        }
        set.problems.extend(problems.into_iter().map(|p| format!("{at}: {p}")));
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn convert(raw: RawRule, macros: &[CannedReply], problems: &mut Vec<String>) -> Option<Rule> {
    if raw.name.trim().is_empty() {
        problems.push("name is empty; give the rule a name".into());
    }
    let clock = raw.clock.as_deref().and_then(|c| match c.trim() {
        "first_response" => Some(ClockKind::FirstResponse),
        "next_response" => Some(ClockKind::NextResponse),
        "resolution" => Some(ClockKind::Resolution),
        other => {
            problems.push(format!("clock '{other}' is not one of first_response, next_response, resolution"));
            None
        }
    });
    let trigger = match raw.when.trim() {
        "new_ticket" => Some(Trigger::NewTicket),
        "customer_reply" => Some(Trigger::CustomerReply),
        "agent_reply" => Some(Trigger::AgentReply),
        "status_change" => Some(Trigger::StatusChange),
        "clock" => match raw.at {
            Some(at @ 1..=100) => Some(Trigger::Clock { at: at as u8, clock }),
            Some(at) => {
                problems.push(format!("at = {at} is not a percentage from 1 to 100"));
                None
            }
            None => {
                problems.push("when = \"clock\" needs at = N, the percentage of the target (as in at = 80)".into());
                None
            }
        },
        "breach" => Some(Trigger::Breach { clock }),
        "no_answer" => match raw.days {
            Some(days @ 1..=366) => Some(Trigger::NoAnswer { days: days as u32 }),
            Some(days) => {
                problems.push(format!("days = {days} is not from 1 to 366"));
                None
            }
            None => {
                problems
                    .push("when = \"no_answer\" needs days = D, the days without an answer (as in days = 3)".into());
                None
            }
        },
        other => {
            problems.push(format!("when = '{other}' is not one of {}", Trigger::NAMES.join(", ")));
            None
        }
    };
    let when = raw.when.trim();
    if raw.at.is_some() && when != "clock" {
        problems.push(format!("at is only for when = \"clock\", not \"{when}\""));
    }
    if raw.days.is_some() && when != "no_answer" {
        problems.push(format!("days is only for when = \"no_answer\", not \"{when}\""));
    }
    if raw.clock.is_some() && !matches!(when, "clock" | "breach") {
        problems.push(format!("clock is only for when = \"clock\" or \"breach\", not \"{when}\""));
    }
    let conditions = conditions(raw.conditions, problems);
    let before = problems.len();
    let actions = actions(raw.then, macros, problems);
    if actions.is_empty() && problems.len() == before {
        problems.push(format!("then has no action; give one of {}", Action::ORDER.join(", ")));
    }
    Some(Rule { name: raw.name.trim().to_string(), trigger: trigger?, conditions, actions })
}

fn parsed<T: std::str::FromStr>(key: &str, values: OneOrMany, problems: &mut Vec<String>) -> Vec<T>
where
    T::Err: std::fmt::Display,
{
    values.0.iter().filter_map(|v| v.parse::<T>().map_err(|e| problems.push(format!("if.{key}: {e}"))).ok()).collect()
}

/// `if.status`: statuses by name, `active` for every one but solved and closed (as views and
/// search read it).
fn statuses(values: OneOrMany, problems: &mut Vec<String>) -> Vec<Status> {
    let mut out: Vec<Status> = Vec::new();
    for value in &values.0 {
        let found: Vec<Status> = match value.trim() {
            "active" => Status::ALL.iter().copied().filter(|s| s.is_active()).collect(),
            name => match name.parse::<Status>() {
                Ok(status) => vec![status],
                Err(_) => {
                    let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
                    problems.push(format!(
                        "if.status: '{value}' is not a status; give one of {}, or active",
                        names.join(", ")
                    ));
                    continue;
                }
            },
        };
        for status in found {
            if !out.contains(&status) {
                out.push(status);
            }
        }
    }
    out
}

fn words(key: &str, values: OneOrMany, problems: &mut Vec<String>) -> Vec<String> {
    let out: Vec<String> = values.0.iter().map(|v| v.trim().to_lowercase()).collect();
    if out.iter().any(String::is_empty) {
        problems.push(format!("if.{key} has an empty value"));
    }
    out
}

fn conditions(raw: RawConditions, problems: &mut Vec<String>) -> Conditions {
    let from = words("from", raw.from, problems);
    if let Some(bad) = from.iter().find(|a| !a.contains('@')) {
        problems.push(format!("if.from: '{bad}' is not an address (for a whole domain, use from_domain)"));
    }
    let from_domain: Vec<String> = words("from_domain", raw.from_domain, problems)
        .into_iter()
        .map(|d| d.trim_start_matches('@').to_string())
        .collect();
    if let Some(bad) = from_domain.iter().find(|d| d.contains('@') || !d.contains('.')) {
        problems.push(format!("if.from_domain: '{bad}' is not a domain like shop.example"));
    }
    let mut tags = Vec::new();
    for tag in &raw.tags.0 {
        match normalize_tag(tag) {
            Some(t) => tags.push(t),
            None => problems.push(format!("if.tags: '{tag}' is not a tag")),
        }
    }
    Conditions {
        mailbox: words("mailbox", raw.mailbox, problems),
        from,
        from_domain,
        organization: words("organization", raw.organization, problems),
        tier: parsed::<Tier>("tier", raw.tier, problems),
        channel: parsed::<Channel>("channel", raw.channel, problems),
        priority: parsed::<Priority>("priority", raw.priority, problems),
        status: statuses(raw.status, problems),
        tags,
        subject_words: words("subject_words", raw.subject_words, problems),
        body_words: words("body_words", raw.body_words, problems),
    }
}

fn actions(raw: RawActions, macros: &[CannedReply], problems: &mut Vec<String>) -> Vec<Action> {
    let mut out = Vec::new();
    if let Some(p) = raw.priority {
        match p.parse::<Priority>() {
            Ok(p) => out.push(Action::Priority(p)),
            Err(e) => problems.push(format!("then.priority: {e}")),
        }
    }
    if let Some(s) = raw.status {
        match s.parse::<Status>() {
            Ok(s) => out.push(Action::Status(s)),
            Err(e) => problems.push(format!("then.status: {e}")),
        }
    }
    if !raw.tags.0.is_empty() {
        let mut tags = Vec::new();
        for tag in &raw.tags.0 {
            match normalize_tag(tag) {
                Some(t) => tags.push(t),
                None => problems.push(format!("then.tags: '{tag}' is not a tag")),
            }
        }
        out.push(Action::Tags(tags));
    }
    match raw.assign {
        Some(RawAssign::Login(login)) if login.trim().is_empty() => {
            problems.push("then.assign is empty; give a login or { round_robin = [\"ana\", \"ben\"] }".into())
        }
        Some(RawAssign::Login(login)) => out.push(Action::Assign(Assign::Agent(login.trim().to_string()))),
        Some(RawAssign::Group(group)) => {
            let logins: Vec<String> = group.round_robin.iter().map(|l| l.trim().to_string()).collect();
            if logins.is_empty() || logins.iter().any(String::is_empty) {
                problems.push("then.assign.round_robin needs logins, as in round_robin = [\"ana\", \"ben\"]".into());
            } else {
                out.push(Action::Assign(Assign::RoundRobin(logins)));
            }
        }
        None => {}
    }
    if let Some(s) = raw.snooze {
        match parse_duration(&s) {
            Ok(seconds) => out.push(Action::Snooze(seconds)),
            Err(e) => problems.push(format!("then.snooze '{s}' {e}")),
        }
    }
    if let Some(note) = raw.note {
        if note.trim().is_empty() {
            problems.push("then.note is empty".into());
        } else {
            out.push(Action::Note(note));
        }
    }
    if let Some(name) = raw.reply {
        match find_macro(macros, &name) {
            Some(reply) => out.push(Action::Reply { name: reply.name.clone(), body: reply.body.clone() }),
            None => {
                let names = macros.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ");
                problems.push(format!("then.reply: no canned reply is called '{name}'; there are: {names}"))
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> RuleSet {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        let mut set = load(&path, text);
        for p in &mut set.problems {
            *p = p.replace(&path.display().to_string(), "config.toml");
        }
        set
    }

    #[test]
    fn the_issue_example_reads() {
        let set = read(
            "[ui]\ntheme = \"default\"\n[[rules]]\nname = \"billing mail is tagged\"\nwhen = \"new_ticket\"\n\
             if = { subject_words = [\"invoice\"], from_domain = [\"shop.example\"] }\n\
             then = { tags = [\"billing\"], priority = \"high\" }\n",
        );
        assert!(set.problems.is_empty(), "{:?}", set.problems);
        let rule = &set.rules[0];
        assert_eq!(rule.trigger, Trigger::NewTicket);
        assert_eq!(rule.conditions.from_domain, vec!["shop.example".to_string()]);
        assert_eq!(rule.actions, vec![Action::Priority(Priority::High), Action::Tags(vec!["billing".into()])]);
    }

    #[test]
    fn each_mistake_is_one_sentence_naming_file_line_rule_and_key() {
        let set = read(
            "[[rules]]\nname = \"a\"\nwhen = \"new_tiket\"\nthen = { priority = \"hihg\" }\n\
             [[rules]]\nname = \"b\"\nwhen = \"clock\"\nthen = { snooze = \"3x\", reply = \"nope\" }\n\
             [[rules]]\nname = \"c\"\nwhen = \"breach\"\niff = { tier = \"gold\" }\nthen = { note = \"x\" }\n",
        );
        assert!(set.rules.is_empty());
        let p = &set.problems;
        assert!(
            p[0].starts_with("rules file config.toml, line 1, rule 'a': when = 'new_tiket' is not one of"),
            "{p:?}"
        );
        assert!(p[1].contains("rule 'a': then.priority: unknown priority 'hihg'"), "{p:?}");
        assert!(p[2].contains("line 5, rule 'b': when = \"clock\" needs at = N"), "{p:?}");
        assert!(p[3].contains("rule 'b': then.snooze '3x' is not a duration"), "{p:?}");
        assert!(p[4].contains("rule 'b': then.reply: no canned reply is called 'nope'"), "{p:?}");
        assert!(p[5].contains("line 9, rule 'c': unknown field `iff`"), "{p:?}");
        assert_eq!(p.len(), 6, "{p:?}");
    }
}

//! Canned replies: one TOML file each, shipped in `assets/macros/` and added in `macros/` beside the config.

use crate::domain::{Priority, Status, TicketChange};
use serde::Deserialize;
use std::path::Path;

const BUILT_IN: &[(&str, &str)] = &[
    ("thanks-solved.toml", include_str!("../../assets/macros/thanks-solved.toml")),
    ("need-more-info.toml", include_str!("../../assets/macros/need-more-info.toml")),
];

/// A canned reply: a name, a body with placeholders, and what it changes on the ticket.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CannedReply {
    pub name: String,
    pub body: String,
    #[serde(default)]
    pub actions: MacroActions,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MacroActions {
    pub status: Option<String>,
    pub priority: Option<String>,
    pub tags: Vec<String>,
    /// A login, `me` or `none`.
    pub assignee: Option<String>,
}

impl CannedReply {
    /// What sending it changes on the ticket, for the agent `me`.
    pub fn change(&self, me: &str) -> Result<TicketChange, String> {
        let a = &self.actions;
        let status = a.status.as_deref().map(str::parse::<Status>).transpose().map_err(|e| e.to_string())?;
        let priority = a.priority.as_deref().map(str::parse::<Priority>).transpose().map_err(|e| e.to_string())?;
        let assignee = a.assignee.as_deref().map(|who| match who {
            "none" => None,
            "me" => Some(me.to_string()),
            login => Some(login.to_string()),
        });
        Ok(TicketChange { status, priority, assignee, add_tags: a.tags.clone(), remove_tags: Vec::new() })
    }
}

/// The built-in canned replies, then those in `dir` (a file there replaces a built-in one of the
/// same name), sorted by name; plus one sentence per file that could not be read.
pub fn load_macros(dir: &Path) -> (Vec<CannedReply>, Vec<String>) {
    let mut problems = Vec::new();
    let mut macros: Vec<CannedReply> = BUILT_IN.iter().filter_map(|(name, text)| parse(name, text).ok()).collect();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    for path in files {
        let parsed = std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| parse(&path.display().to_string(), &text));
        match parsed {
            Ok(reply) => {
                macros.retain(|m| !m.name.eq_ignore_ascii_case(&reply.name));
                macros.push(reply);
            }
            Err(problem) => problems.push(problem),
        }
    }
    macros.sort_by_key(|m| m.name.to_lowercase());
    (macros, problems)
}

fn parse(file: &str, text: &str) -> Result<CannedReply, String> {
    let reply: CannedReply =
        toml::from_str(text).map_err(|e| format!("canned reply {file}: {}", e.message().trim()))?;
    if reply.name.trim().is_empty() || reply.body.trim().is_empty() {
        return Err(format!("canned reply {file} needs a name and a body"));
    }
    reply.change("me").map_err(|e| format!("canned reply {file}: {e}"))?;
    Ok(reply)
}

/// The canned reply called `name` (any case).
pub fn find<'a>(macros: &'a [CannedReply], name: &str) -> Option<&'a CannedReply> {
    macros.iter().find(|m| m.name.eq_ignore_ascii_case(name.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_replies_load_and_files_in_the_folder_add_or_replace_them() {
        let dir = tempfile::tempdir().unwrap();
        let (built_in, problems) = load_macros(&dir.path().join("missing"));
        assert!(problems.is_empty());
        assert_eq!(built_in.len(), BUILT_IN.len());
        std::fs::write(dir.path().join("a.toml"), "name = \"Thanks, solved\"\nbody = \"Bye\"\n").unwrap();
        std::fs::write(
            dir.path().join("b.toml"),
            "name = \"Escalate\"\nbody = \"Hi\"\n[actions]\npriority = \"urgent\"\nassignee = \"me\"\ntags = [\"vip\"]\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("c.toml"), "name = \"Bad\"\nbody = \"x\"\n[actions]\nstatus = \"done\"\n")
            .unwrap();
        let (macros, problems) = load_macros(dir.path());
        assert_eq!(macros.len(), BUILT_IN.len() + 1);
        assert_eq!(find(&macros, "thanks, SOLVED").unwrap().body, "Bye");
        let change = find(&macros, "escalate").unwrap().change("ana").unwrap();
        assert_eq!(change.priority, Some(Priority::Urgent));
        assert_eq!(change.assignee, Some(Some("ana".into())));
        assert_eq!(change.add_tags, vec!["vip".to_string()]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("c.toml") && problems[0].contains("unknown status 'done'"), "{problems:?}");
    }
}

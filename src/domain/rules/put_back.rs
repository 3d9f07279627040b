//! What an undo put back on a ticket, for the rules that run after it: an undo that changes the
//! status fires the `status_change` rules as any status change does, but no rule may make again
//! the change the agent just undid. A rule whose own change was undone does not fire on that undo,
//! and a rule that would set a field the undo put back (the status, the priority, the assignee,
//! the snooze, a tag it removed) is held back: otherwise undoing a rule's change would be redone
//! by the rule at once, and the agent could never undo it.

use super::{Action, Rule, RULE_ACTOR_PREFIX};
use crate::domain::Event;

/// The fields an undo put back, and the rules whose changes it undid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutBack {
    /// Names of the rules that made the undone change.
    pub rules: Vec<String>,
    /// Fields the undo set back: `status`, `priority`, `assignee`, `snoozed_until`.
    pub fields: Vec<&'static str>,
    /// Tags the undone change added, which the undo removed.
    pub tags_removed: Vec<String>,
}

impl PutBack {
    /// What undoing `write` (the events of the change that was undone) puts back. Undoing a merge
    /// gives the source ticket its status back.
    pub fn of(write: &[Event]) -> PutBack {
        let mut put_back = PutBack::default();
        for e in write {
            if let Some(rule) = e.actor.strip_prefix(RULE_ACTOR_PREFIX) {
                if !put_back.rules.iter().any(|r| r == rule) {
                    put_back.rules.push(rule.to_string());
                }
            }
            let field = match e.field.as_str() {
                "status" | "merged" | "merged_into" => "status",
                "priority" => "priority",
                "assignee" => "assignee",
                "snoozed_until" => "snoozed_until",
                "tag" => {
                    if let (None, Some(tag)) = (&e.old, &e.new) {
                        put_back.tags_removed.push(tag.clone());
                    }
                    continue;
                }
                _ => continue,
            };
            if !put_back.fields.contains(&field) {
                put_back.fields.push(field);
            }
        }
        put_back
    }

    /// Why `rule` does not fire after this undo, if it does not: the end of a sentence
    /// (`its own change was undone`, `the undo put the status back`).
    pub fn holds_back(&self, rule: &Rule) -> Option<String> {
        if self.rules.contains(&rule.name) {
            return Some("its own change was undone".into());
        }
        rule.actions.iter().find_map(|action| {
            let field = match action {
                Action::Priority(_) => "priority",
                Action::Status(_) => "status",
                Action::Assign(_) => "assignee",
                Action::Snooze(_) => "snoozed_until",
                Action::Tags(tags) => {
                    let tag = tags.iter().find(|t| self.tags_removed.contains(t))?;
                    return Some(format!("the undo removed the tag '{tag}'"));
                }
                Action::Note(_) | Action::Reply { .. } => return None,
            };
            let shown = if field == "snoozed_until" { "snooze" } else { field };
            self.fields.contains(&field).then(|| format!("the undo put the {shown} back"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::{Conditions, Trigger};
    use crate::domain::{Priority, Status};

    fn event(actor: &str, field: &str, old: Option<&str>, new: Option<&str>) -> Event {
        Event {
            id: 1,
            ticket_id: 1,
            actor: actor.into(),
            field: field.into(),
            old: old.map(Into::into),
            new: new.map(Into::into),
            created_at: chrono::Utc::now(),
        }
    }

    fn rule(name: &str, actions: Vec<Action>) -> Rule {
        Rule { name: name.into(), trigger: Trigger::StatusChange, conditions: Conditions::default(), actions }
    }

    #[test]
    fn the_rule_whose_change_was_undone_never_fires_on_the_undo() {
        let undone = [event("rule:hold it", "priority", Some("normal"), Some("high"))];
        let put_back = PutBack::of(&undone);
        let note = rule("hold it", vec![Action::Note("again".into())]);
        assert_eq!(put_back.holds_back(&note).as_deref(), Some("its own change was undone"));
        assert_eq!(put_back.holds_back(&rule("other", vec![Action::Note("x".into())])), None);
    }

    #[test]
    fn a_rule_setting_a_field_the_undo_put_back_is_held_back() {
        let undone = [
            event("ana", "status", Some("open"), Some("solved")),
            event("ana", "tag", None, Some("done")),
            event("ana", "tag", Some("urgent"), None),
        ];
        let put_back = PutBack::of(&undone);
        let solve = rule("solve", vec![Action::Status(Status::Solved)]);
        assert_eq!(put_back.holds_back(&solve).as_deref(), Some("the undo put the status back"));
        let tag_done = rule("tag", vec![Action::Tags(vec!["done".into()])]);
        assert_eq!(put_back.holds_back(&tag_done).as_deref(), Some("the undo removed the tag 'done'"));
        // The tag the undo added back, the priority it did not touch: free to change.
        let others = rule("others", vec![Action::Tags(vec!["urgent".into()]), Action::Priority(Priority::High)]);
        assert_eq!(put_back.holds_back(&others), None);
    }

    #[test]
    fn undoing_a_merge_puts_the_source_status_back() {
        let undone =
            [event("ana", "merged_into", None, Some("2")), event("ana", "status", Some("open"), Some("closed"))];
        assert_eq!(PutBack::of(&undone).fields, ["status"]);
        assert_eq!(PutBack::of(&[event("ana", "merged", None, Some("1"))]).fields, ["status"]);
    }
}

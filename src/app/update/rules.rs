//! The desk's rules ran after one of the agent's changes: the status line says which fired, on
//! which ticket and what they did (the conversation shows it too, as `rule:NAME`'s), or why they
//! could not run.

use crate::app::model::message::RuleFired;
use crate::app::model::state::{State, StatusMessage};
use crate::app::model::status_message::{RulesSaid, SEPARATOR};
use crate::domain::text::for_display_line;

/// Add to the status line what the rules did after the change it speaks of.
pub fn on_rules_ran(state: &mut State, fired: &[RuleFired], failed: Option<String>) {
    if fired.is_empty() && failed.is_none() {
        return;
    }
    let status = state.status.get_or_insert_with(StatusMessage::default);
    if !fired.is_empty() {
        status.add_rules(said(fired));
    }
    if let Some(why) = &failed {
        if !status.text.is_empty() {
            status.text.push_str(SEPARATOR);
        }
        status.text.push_str(&format!("the rules did not run: {}", for_display_line(why)));
        // Said whole: the failure, not a rule, is the news.
        status.rules = None;
        status.short = None;
    }
    status.is_error |= failed.is_some();
}

/// What the rules did, in a sentence and in few words.
fn said(fired: &[RuleFired]) -> RulesSaid {
    let mut tickets: Vec<i64> = Vec::new();
    for f in fired {
        if !tickets.contains(&f.ticket) {
            tickets.push(f.ticket);
        }
    }
    let long = fired_sentence(fired, &tickets);
    let ticket = (tickets.len() == 1).then(|| tickets[0]);
    let short = match ticket {
        Some(_) => {
            let each: Vec<String> =
                fired.iter().map(|f| format!("'{}': {}", for_display_line(&f.rule), did(f))).collect();
            format!("{} {}", if fired.len() == 1 { "rule" } else { "rules" }, each.join("; "))
        }
        None => long.clone(),
    };
    RulesSaid { ticket, long, short }
}

/// `priority high, tags +vip`, or `nothing`.
fn did(f: &RuleFired) -> String {
    match f.did.is_empty() {
        true => "nothing".into(),
        false => for_display_line(&f.did.join(", ")).into_owned(),
    }
}

/// `rule 'thank' fired on #12: tags +thanked`, `rules 'a', 'b' fired on #12: …`, `rule 'a' fired
/// on #12, #15` (several tickets: what each did is in their conversations).
fn fired_sentence(fired: &[RuleFired], tickets: &[i64]) -> String {
    let mut rules: Vec<&str> = Vec::new();
    for f in fired {
        if !rules.contains(&f.rule.as_str()) {
            rules.push(&f.rule);
        }
    }
    let names: Vec<String> = rules.iter().map(|r| format!("'{}'", for_display_line(r))).collect();
    let numbers: Vec<String> = tickets.iter().map(|t| format!("#{t}")).collect();
    let noun = if rules.len() == 1 { "rule" } else { "rules" };
    let sentence = format!("{noun} {} fired on {}", names.join(", "), numbers.join(", "));
    if tickets.len() != 1 {
        return sentence;
    }
    let what: Vec<String> = fired.iter().map(did).collect();
    format!("{sentence}: {}", what.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fired(rule: &str, ticket: i64, did: &[&str]) -> RuleFired {
        RuleFired { rule: rule.into(), ticket, did: did.iter().map(|d| d.to_string()).collect() }
    }

    #[test]
    fn the_sentence_names_each_rule_and_ticket_once_and_what_was_done_on_one() {
        let one = said(&[fired("thank", 12, &["tags +thanked"])]);
        assert_eq!(one.long, "rule 'thank' fired on #12: tags +thanked");
        assert_eq!(one.short, "rule 'thank': tags +thanked");
        assert_eq!(one.ticket, Some(12));
        let two = said(&[fired("a", 12, &["priority high"]), fired("b", 12, &["note"])]);
        assert_eq!(two.long, "rules 'a', 'b' fired on #12: priority high; note");
        assert_eq!(two.short, "rules 'a': priority high; 'b': note");
        let marked = said(&[fired("a", 12, &["note"]), fired("b", 12, &[]), fired("a", 15, &["note"])]);
        assert_eq!(marked.long, "rules 'a', 'b' fired on #12, #15");
        assert_eq!((marked.ticket, marked.short.as_str()), (None, "rules 'a', 'b' fired on #12, #15"));
        let hostile = said(&[fired("x\u{1b}[2J", 1, &["tags +\u{7}"])]);
        assert_eq!(hostile.long, "rule 'x^[[2J' fired on #1: tags +^G");
    }
}

//! The desk's rules ran after one of the agent's changes: the status line says which fired, on
//! which ticket (the conversation shows what they did, as `rule:NAME`'s), or why they could not run.

use crate::app::model::state::{State, StatusMessage};
use crate::domain::text::for_display_line;

/// Add to the status line what the rules did after the change it speaks of.
pub fn on_rules_ran(state: &mut State, fired: &[(String, i64)], failed: Option<String>) {
    let mut said = Vec::new();
    if !fired.is_empty() {
        said.push(fired_sentence(fired));
    }
    if let Some(why) = &failed {
        said.push(format!("the rules did not run: {}", for_display_line(why)));
    }
    if said.is_empty() {
        return;
    }
    let status =
        state.status.get_or_insert_with(|| StatusMessage { text: String::new(), is_error: false, named: None });
    if !status.text.is_empty() {
        status.text.push_str(" · ");
    }
    status.text.push_str(&said.join(" · "));
    status.is_error |= failed.is_some();
}

/// `rule 'thank' fired on #12`, `rules 'a', 'b' fired on #12`, `rule 'a' fired on #12, #15`.
fn fired_sentence(fired: &[(String, i64)]) -> String {
    let mut rules: Vec<&str> = Vec::new();
    let mut tickets: Vec<i64> = Vec::new();
    for (rule, ticket) in fired {
        if !rules.contains(&rule.as_str()) {
            rules.push(rule);
        }
        if !tickets.contains(ticket) {
            tickets.push(*ticket);
        }
    }
    let names: Vec<String> = rules.iter().map(|r| format!("'{}'", for_display_line(r))).collect();
    let numbers: Vec<String> = tickets.iter().map(|t| format!("#{t}")).collect();
    let noun = if rules.len() == 1 { "rule" } else { "rules" };
    format!("{noun} {} fired on {}", names.join(", "), numbers.join(", "))
}

#[cfg(test)]
mod tests {
    use super::fired_sentence;

    #[test]
    fn the_sentence_names_each_rule_and_ticket_once() {
        let one = [("thank".to_string(), 12)];
        assert_eq!(fired_sentence(&one), "rule 'thank' fired on #12");
        let two = [("a".to_string(), 12), ("b".to_string(), 12), ("a".to_string(), 15)];
        assert_eq!(fired_sentence(&two), "rules 'a', 'b' fired on #12, #15");
        let hostile = [("x\u{1b}[2J".to_string(), 1)];
        assert_eq!(fired_sentence(&hostile), "rule 'x^[[2J' fired on #1");
    }
}

//! The status line's message fitted to its room: whole when it fits; else in few words, keeping
//! what the rules did whole, so a narrow line still says that a rule acted and what it did.

use super::state::StatusMessage;
use super::text::{shorten, width};

/// What the rules did after a change, said at the end of the status message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RulesSaid {
    /// The ticket every rule fired on, when they fired on one.
    pub ticket: Option<i64>,
    /// `rule 'vip' fired on #12: priority high`
    pub long: String,
    /// `rule 'vip': priority high`
    pub short: String,
}

/// Between the parts of a status message.
pub const SEPARATOR: &str = " · ";

impl StatusMessage {
    /// The message as it fits in `room` columns.
    pub fn fitted(&self, room: usize) -> String {
        if width(&self.text) <= room {
            return self.text.clone();
        }
        let Some(rules) = &self.rules else {
            return shorten(self.short.as_deref().unwrap_or(&self.text), room);
        };
        let long_tail = format!("{SEPARATOR}{}", rules.long);
        let main = match &self.short {
            Some(short) => short.as_str(),
            None => self.text.strip_suffix(&long_tail).unwrap_or(&self.text),
        };
        let tail = format!("{SEPARATOR}{}", rules.short);
        let left = room.saturating_sub(width(&tail));
        if left < 8 {
            return shorten(&rules.short, room);
        }
        shorten(&format!("{}{tail}", shorten(main, left)), room)
    }

    /// Put `rules` at the end of the message.
    pub fn add_rules(&mut self, rules: RulesSaid) {
        if !self.text.is_empty() {
            self.text.push_str(SEPARATOR);
        }
        self.text.push_str(&rules.long);
        self.rules = Some(rules);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replied() -> StatusMessage {
        let mut message = StatusMessage {
            text: "reply on #12 mailed to the customer".into(),
            short: Some("replied · mailed".into()),
            ..StatusMessage::default()
        };
        let long = "rule 'vip' fired on #12: priority high".to_string();
        message.add_rules(RulesSaid { ticket: Some(12), long, short: "rule 'vip': priority high".into() });
        message
    }

    #[test]
    fn the_whole_message_when_it_fits() {
        assert_eq!(
            replied().fitted(100),
            "reply on #12 mailed to the customer · rule 'vip' fired on #12: priority high"
        );
    }

    #[test]
    fn a_narrow_line_keeps_what_the_rules_did_whole() {
        assert_eq!(replied().fitted(50), "replied · mailed · rule 'vip': priority high");
        assert_eq!(replied().fitted(38), "replied… · rule 'vip': priority high");
    }

    #[test]
    fn without_rules_the_short_form_is_cut_to_fit() {
        let message = StatusMessage { text: "x".repeat(40), short: Some("saved".into()), ..StatusMessage::default() };
        assert_eq!(message.fitted(20), "saved");
    }
}

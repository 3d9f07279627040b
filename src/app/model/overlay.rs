//! Overlays over the panes: help, the command palette and the fuzzy pickers.

use super::action::Action;
use crate::domain::{Priority, Status};
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use tui_input::Input;

/// What choosing an item does.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    Status(Status),
    Priority(Priority),
    Assignee(Option<String>),
    /// Add the tag, or remove it when the ticket has it.
    Tag(String),
    Run(Action),
    /// Snooze the open ticket for this many seconds.
    Snooze(i64),
    Rate(crate::domain::satisfaction::Csat),
    /// Record the customer's NPS answer (0–10).
    Nps(u8),
    /// Insert the canned reply at this index of `State::macros`.
    Macro(usize),
    /// Help lines choose nothing.
    Nothing,
    /// Open the form of the agent with this login (the agents' list).
    EditAgent(String),
    /// Snooze the open ticket until this time (typed into the snooze picker).
    SnoozeUntil(crate::domain::Timestamp),
    /// Choosing it tells the agent this and keeps the picker open (a hint, a typed time not read).
    Say(String),
    /// Save the attachment with this id to the download folder.
    SaveAttachment(i64),
    /// Open the attachment with this id with the system's opener.
    OpenAttachment(i64),
    /// Delete this ticket (admins, after a y).
    DeleteTicket(i64),
    /// Close this ticket as spam (admins, after a y).
    Spam(i64),
    /// Ask this y/N question before doing what it says (a merge).
    Ask(Box<Question>),
    /// An answer of a question: carry out these effects, saying `said` meanwhile.
    Do {
        effects: Vec<super::message::Effect>,
        said: String,
    },
}

/// A one-line question that says exactly what will happen, and its answers: each item's label
/// starts with the key that picks it (`y  merge them`), the last is "no".
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub title: String,
    pub answers: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub label: String,
    /// Right-hand text: a key, a description.
    pub detail: String,
    /// Marked as current (the ticket's status, a tag it has).
    pub current: bool,
    pub choice: Choice,
}

impl Item {
    pub fn new(label: String, detail: String, choice: Choice) -> Item {
        Item { label, detail, current: false, choice }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverlayKind {
    Help,
    Palette,
    Status,
    Priority,
    Assign,
    Tags,
    Snooze,
    Rate,
    Macro,
    Merge,
    MergeCustomer,
    SaveAttachment,
    OpenAttachment,
    /// A y/N question: `y` does it, any other key keeps things as they are.
    Confirm,
    /// The desk's agents (admins): Enter opens one's form.
    Agents,
}

impl OverlayKind {
    pub fn title(self) -> &'static str {
        match self {
            OverlayKind::Help => "Keys",
            OverlayKind::Palette => "Commands",
            OverlayKind::Status => "Status",
            OverlayKind::Priority => "Priority",
            OverlayKind::Assign => "Assign to",
            OverlayKind::Tags => "Tags",
            OverlayKind::Snooze => "Snooze until",
            OverlayKind::Rate => "Customer's rating",
            OverlayKind::Macro => "Canned replies",
            OverlayKind::Merge => "Merge into",
            OverlayKind::MergeCustomer => "Merge this customer into",
            OverlayKind::SaveAttachment => "Save attachment (type its number)",
            OverlayKind::OpenAttachment => "Open attachment (type its number)",
            OverlayKind::Confirm => "Are you sure? y/N",
            OverlayKind::Agents => "Agents · Enter edits one",
        }
    }
}

/// A filterable list: the agent types, the list narrows to fuzzy matches, best first.
#[derive(Debug, Clone)]
pub struct Overlay {
    pub kind: OverlayKind,
    pub input: Input,
    pub items: Vec<Item>,
    /// Indices into `items` that match the input, best first, with the matched char positions.
    pub matches: Vec<(usize, Vec<usize>)>,
    pub selected: usize,
    /// What each item would do, shown under the list for the selected one (a canned reply filled
    /// in for this customer); empty when the list has no previews.
    pub previews: Vec<String>,
    /// Opened for the tickets marked in the queue: its choice changes all of them.
    pub for_marked: bool,
    /// The first this many items are shown whatever is typed (a time read from what was typed).
    pub pinned: usize,
    /// A title naming what it is about, instead of the kind's.
    pub title: Option<String>,
    /// The version of the ticket it was opened for, as the agent saw it drawn: its choice is
    /// written against that version.
    pub seen_version: Option<i64>,
}

impl Overlay {
    pub fn new(kind: OverlayKind, items: Vec<Item>) -> Overlay {
        let selected = items.iter().position(|i| i.current && kind != OverlayKind::Tags).unwrap_or(0);
        let mut overlay = Overlay {
            kind,
            input: Input::default(),
            items,
            matches: Vec::new(),
            selected,
            previews: Vec::new(),
            for_marked: false,
            pinned: 0,
            title: None,
            seen_version: None,
        };
        overlay.refilter();
        overlay.selected = selected.min(overlay.matches.len().saturating_sub(1));
        overlay
    }

    /// The preview of the selected item, if the list has previews.
    pub fn selected_preview(&self) -> Option<&str> {
        let (index, _) = self.matches.get(self.selected)?;
        self.previews.get(*index).map(String::as_str)
    }

    pub fn query(&self) -> &str {
        self.input.value()
    }

    /// The title drawn at the top.
    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or(self.kind.title())
    }

    /// Recompute the matches for the current input; pinned items come first, always.
    pub fn refilter(&mut self) {
        let query = self.input.value().trim();
        let pinned = self.pinned.min(self.items.len());
        if query.is_empty() {
            self.matches = (0..self.items.len()).map(|i| (i, Vec::new())).collect();
        } else if self.kind == OverlayKind::Palette {
            // A command runs only when it was named: every word typed starts a word of its title
            // or its name. Fuzzy matching over titles and descriptions ran `suspend` for "undo".
            self.matches = self
                .items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    let name = match &item.choice {
                        Choice::Run(action) => action.name(),
                        _ => "",
                    };
                    named_by(query, &item.label, name).map(|hits| (i, hits))
                })
                .collect();
        } else {
            let matcher = SkimMatcherV2::default().ignore_case();
            let mut scored: Vec<(i64, usize, Vec<usize>)> = self
                .items
                .iter()
                .enumerate()
                .skip(pinned)
                .filter_map(|(i, item)| {
                    let haystack = format!("{} {}", item.label, item.detail);
                    matcher.fuzzy_indices(&haystack, query).map(|(score, idx)| (score, i, idx))
                })
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            self.matches = (0..pinned).map(|i| (i, Vec::new())).collect();
            self.matches.extend(scored.into_iter().map(|(_, i, idx)| (i, idx)));
        }
        self.selected = 0;
    }

    pub fn step(&mut self, delta: isize) {
        let len = self.matches.len();
        if len > 0 {
            self.selected = (self.selected as isize + delta).rem_euclid(len as isize) as usize;
        }
    }

    /// What Enter would do: the selected match, or for tags a new tag named by the input.
    pub fn chosen(&self) -> Option<Choice> {
        if let Some((i, _)) = self.matches.get(self.selected) {
            return Some(self.items[*i].choice.clone());
        }
        if self.kind == OverlayKind::Tags {
            return crate::domain::normalize_tag(self.input.value()).map(Choice::Tag);
        }
        None
    }
}

/// Whether `query` names the command titled `title` (config name `name`): each of its words starts
/// a word of the title, a part of the name between `_`, or the name itself. Returns the title's
/// characters that matched, for highlighting.
fn named_by(query: &str, title: &str, name: &str) -> Option<Vec<usize>> {
    let title_words: Vec<(usize, String)> = {
        let mut words = Vec::new();
        let mut start = None;
        for (i, c) in title.chars().chain(std::iter::once(' ')).enumerate() {
            match (c.is_alphanumeric() || c == '$', start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    words.push((s, title.chars().skip(s).take(i - s).collect::<String>().to_lowercase()));
                    start = None;
                }
                _ => {}
            }
        }
        words
    };
    let mut hits = Vec::new();
    for word in query.split_whitespace().map(str::to_lowercase) {
        if let Some((at, _)) = title_words.iter().find(|(_, w)| w.starts_with(&word)) {
            hits.extend(*at..*at + word.chars().count());
        } else if !(name.starts_with(&word) || name.split('_').any(|part| part.starts_with(&word))) {
            return None;
        }
    }
    Some(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_is_named_by_the_starts_of_its_words_or_its_config_name() {
        assert_eq!(named_by("sus", "Suspend to the shell", "suspend"), Some(vec![0, 1, 2]));
        assert_eq!(named_by("undo", "Suspend to the shell", "suspend"), None, "letters spread out name nothing");
        assert!(named_by("next pa", "Next pane", "focus_next").is_some());
        assert!(named_by("focus_n", "Next pane", "focus_next").is_some(), "the config name");
        assert!(named_by("edit", "Write in $EDITOR", "editor").is_some());
        assert_eq!(named_by("ane", "Next pane", "focus_next"), None, "the middle of a word is not a start");
    }

    fn item(label: &str) -> Item {
        Item { label: label.into(), detail: String::new(), current: false, choice: Choice::Tag(label.into()) }
    }

    #[test]
    fn typing_narrows_best_first() {
        let mut o = Overlay::new(OverlayKind::Tags, vec![item("billing"), item("refund"), item("bug")]);
        assert_eq!(o.matches.len(), 3);
        o.input = Input::new("bg".into());
        o.refilter();
        let labels: Vec<_> = o.matches.iter().map(|(i, _)| o.items[*i].label.as_str()).collect();
        assert_eq!(labels, vec!["bug", "billing"]);
        o.input = Input::new("new-tag".into());
        o.refilter();
        assert_eq!(o.chosen(), Some(Choice::Tag("new-tag".into())));
    }

    #[test]
    fn pinned_items_stay_first_whatever_is_typed() {
        let mut o =
            Overlay::new(OverlayKind::Snooze, vec![item("until Mon 7 Dec 09:00"), item("1 week"), item("1 day")]);
        o.pinned = 1;
        o.input = Input::new("week".into());
        o.refilter();
        let labels: Vec<_> = o.matches.iter().map(|(i, _)| o.items[*i].label.as_str()).collect();
        assert_eq!(labels, vec!["until Mon 7 Dec 09:00", "1 week"]);
        assert_eq!(o.chosen(), Some(Choice::Tag("until Mon 7 Dec 09:00".into())));
    }
}

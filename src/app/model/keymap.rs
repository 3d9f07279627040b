//! Key bindings: defaults per context, overridable by the config's `[keys.CONTEXT]` tables.

use super::key::{KeyCode, KeyEvent, KeyModifiers};
use super::state::{Pane, State};
use crate::app::model::action::Action;
use std::collections::BTreeMap;

/// Where a binding applies. `Global` bindings apply everywhere but the composer's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    Queue,
    Conversation,
    Profile,
    Composer,
    /// The queue while it shows a filter's or a search's results; falls back to the queue's keys.
    Filtered,
    /// The reports screen.
    Reports,
}

impl Context {
    pub const ALL: [Context; 7] = [
        Context::Global,
        Context::Queue,
        Context::Conversation,
        Context::Profile,
        Context::Composer,
        Context::Filtered,
        Context::Reports,
    ];

    /// The contexts whose bindings apply here, first match wins.
    pub fn chain(self) -> &'static [Context] {
        match self {
            Context::Global => &[Context::Global],
            Context::Queue => &[Context::Queue, Context::Global],
            Context::Conversation => &[Context::Conversation, Context::Global],
            Context::Profile => &[Context::Profile, Context::Global],
            Context::Composer => &[Context::Composer],
            Context::Filtered => &[Context::Filtered, Context::Queue, Context::Global],
            Context::Reports => &[Context::Reports, Context::Global],
        }
    }

    /// Where the keys the agent types now go.
    pub fn of(state: &State) -> Context {
        // The screen covers the panes, a composer's too (the palette can open it while writing).
        if state.reports.is_some() {
            return Context::Reports;
        }
        if state.composer.is_some() && state.focus == Pane::Conversation {
            return Context::Composer;
        }
        match state.focus {
            Pane::Queue if state.findings.is_some() => Context::Filtered,
            Pane::Queue => Context::Queue,
            Pane::Conversation => Context::Conversation,
            Pane::Profile => Context::Profile,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Queue => "queue",
            Context::Conversation => "conversation",
            Context::Profile => "profile",
            Context::Composer => "composer",
            Context::Filtered => "filtered",
            Context::Reports => "reports",
        }
    }
}

/// One key press, normalised so `G` and `shift-g` are the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

// Ordered so key sequences can key a BTreeMap and prefixes sort next to their extensions.
impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let rank = |k: &Key| (format!("{:?}", k.code), k.mods.bits());
        rank(self).cmp(&rank(other))
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Key {
    pub fn from_event(event: KeyEvent) -> Key {
        let mut mods = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match event.code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => KeyCode::Char(c.to_ascii_lowercase()),
            KeyCode::BackTab => {
                mods |= KeyModifiers::SHIFT;
                KeyCode::Tab
            }
            other => other,
        };
        if matches!(code, KeyCode::Char(_)) && !mods.contains(KeyModifiers::CONTROL) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Key { code, mods }
    }

    /// Parse one key as the config spells it: `j`, `G`, `?`, `ctrl-d`, `shift-tab`, `enter`, `esc`, `f1`.
    pub fn parse(text: &str) -> Option<Key> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (prefix, flag) = if lower.starts_with("ctrl-") || lower.starts_with("c-") {
                (if lower.starts_with("ctrl-") { 5 } else { 2 }, KeyModifiers::CONTROL)
            } else if lower.starts_with("alt-") || lower.starts_with("a-") || lower.starts_with("m-") {
                (if lower.starts_with("alt-") { 4 } else { 2 }, KeyModifiers::ALT)
            } else if lower.starts_with("shift-") || lower.starts_with("s-") {
                (if lower.starts_with("shift-") { 6 } else { 2 }, KeyModifiers::SHIFT)
            } else {
                break;
            };
            if rest.len() <= prefix {
                break;
            }
            mods |= flag;
            rest = &rest[prefix..];
        }
        let code = named_code(&rest.to_ascii_lowercase()).or_else(|| {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some(KeyCode::Char(c)),
                _ => None,
            }
        })?;
        let shifted = match code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::SHIFT) && !mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_uppercase())
            }
            other => other,
        };
        Some(Key::from_event(KeyEvent::new(shifted, mods)))
    }

    /// The key as the config spells it.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            out.push_str("shift-");
        }
        match self.code {
            KeyCode::Char(' ') => out.push_str("space"),
            KeyCode::Char(c) => out.push(c),
            KeyCode::F(n) => out.push_str(&format!("f{n}")),
            code => out.push_str(NAMED.iter().find(|(_, c)| *c == code).map(|(n, _)| *n).unwrap_or("?")),
        }
        out
    }

    /// The key as hints and prompts name it: `Ctrl-t`, `Esc`, `Enter`, `Shift-Tab`, `j`, `G`.
    pub fn hint(&self) -> String {
        let label = self.label();
        let mut parts: Vec<String> = label.split('-').map(String::from).collect();
        let last = parts.len() - 1;
        for (i, part) in parts.iter_mut().enumerate() {
            if i < last || part.chars().count() > 1 {
                let mut chars = part.chars();
                *part = chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default();
            }
        }
        // `ctrl--` (a minus) splits into an empty last part.
        if label.ends_with("--") {
            return format!("{}-", parts[..last].join("-"));
        }
        parts.join("-")
    }
}

const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pgup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("space", KeyCode::Char(' ')),
];

fn named_code(name: &str) -> Option<KeyCode> {
    let alias = match name {
        "return" => "enter",
        "escape" => "esc",
        "pageup" => "pgup",
        "pagedown" => "pgdn",
        other => other,
    };
    if let Some(n) = alias.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
        return (1..=12).contains(&n).then_some(KeyCode::F(n));
    }
    NAMED.iter().find(|(n, _)| *n == alias).map(|(_, c)| *c)
}

pub type Sequence = Vec<Key>;

pub fn parse_sequence(text: &str) -> Option<Sequence> {
    let keys: Option<Vec<Key>> = text.split_whitespace().map(Key::parse).collect();
    keys.filter(|k| !k.is_empty())
}

pub fn sequence_label(seq: &[Key]) -> String {
    seq.iter().map(Key::label).collect::<Vec<_>>().join(" ")
}

/// A key sequence as hints name it: `g g`, `Ctrl-s`.
pub fn sequence_hint(seq: &[Key]) -> String {
    seq.iter().map(Key::hint).collect::<Vec<_>>().join(" ")
}

/// A sentence for the status line that names keys. It remembers the keys it named, so the status
/// line shows it only where each of them still does what the sentence says.
pub struct Naming<'a> {
    keymap: &'a Keymap,
    context: Context,
    named: Vec<(Sequence, Action)>,
}

impl Naming<'_> {
    /// How to ask for `action` here: its key, or `:name` (the palette) when no key is bound to it.
    pub fn key(&mut self, action: Action) -> String {
        match self.keymap.sequence_for(self.context, action) {
            Some(seq) => {
                let hint = sequence_hint(&seq);
                self.named.push((seq, action));
                hint
            }
            None => format!(":{}", action.name()),
        }
    }

    pub fn named(self) -> Named {
        Named { context: self.context, keys: self.named }
    }
}

/// The keys a status message names, and the context whose keys they are: the message is shown only
/// there (in another, the same key may do another thing, or the same action mean another thing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub context: Context,
    pub keys: Vec<(Sequence, Action)>,
}

/// What a key sequence typed so far means.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    Action(Action),
    /// The start of a longer binding: wait for the next key.
    Pending,
    Unbound,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keymap {
    bindings: BTreeMap<Context, BTreeMap<Sequence, Action>>,
}

impl Keymap {
    /// The defaults with `overrides` (context → sequence → action name) applied, and the
    /// problems found in them, one sentence each.
    pub fn build(overrides: &BTreeMap<String, BTreeMap<String, String>>) -> (Keymap, Vec<String>) {
        let mut map = Keymap::defaults();
        let mut problems = Vec::new();
        for (context_name, table) in overrides {
            let Some(context) = Context::ALL.iter().copied().find(|c| c.name() == context_name) else {
                problems.push(format!(
                    "[keys.{context_name}]: unknown context (expected global, queue, conversation, profile, composer, filtered or reports)"
                ));
                continue;
            };
            for (keys, action_name) in table {
                let Some(seq) = parse_sequence(keys) else {
                    problems.push(format!("[keys.{context_name}] \"{keys}\": not a key this console knows"));
                    continue;
                };
                let Some(action) = Action::from_name(action_name) else {
                    problems.push(format!("[keys.{context_name}] \"{keys}\": unknown action '{action_name}'"));
                    continue;
                };
                map.bindings.entry(context).or_default().insert(seq, action);
            }
        }
        problems.extend(map.conflicts());
        (map, problems)
    }

    /// Bindings that can never fire: a key that is both a whole binding and the start of a longer
    /// one, in a context together with the global bindings it sees.
    fn conflicts(&self) -> Vec<String> {
        let empty = BTreeMap::new();
        let mut found = Vec::new();
        for context in Context::ALL {
            let mut merged: BTreeMap<&[Key], Action> = BTreeMap::new();
            // Later contexts in the chain are shadowed by earlier ones.
            for ctx in context.chain().iter().rev() {
                let table = self.bindings.get(ctx).unwrap_or(&empty);
                merged.extend(table.iter().map(|(s, a)| (s.as_slice(), *a)));
            }
            for (short, action) in &merged {
                for (long, other) in merged.range::<&[Key], _>(*short..).skip(1) {
                    if !long.starts_with(short) {
                        break;
                    }
                    let line = format!(
                        "[keys.{}]: \"{}\" ({}) hides \"{}\" ({})",
                        context.name(),
                        sequence_label(short),
                        action.name(),
                        sequence_label(long),
                        other.name()
                    );
                    if !found.contains(&line) {
                        found.push(line);
                    }
                }
            }
        }
        found
    }

    /// Keys that mean two things in one view: bound to one action in a context and to another in
    /// a context it falls back to (the queue's `x` over the global `x`), one sentence each.
    pub fn two_meanings(&self) -> Vec<String> {
        let mut found = Vec::new();
        for context in Context::ALL {
            let mut seen: BTreeMap<&[Key], (Context, Action)> = BTreeMap::new();
            for ctx in context.chain() {
                for (seq, action) in self.bindings.get(ctx).into_iter().flatten() {
                    match seen.get(seq.as_slice()) {
                        Some((near, first)) if first != action => found.push(format!(
                            "[keys.{}]: \"{}\" is {} ([keys.{}]) and {} ([keys.{}])",
                            context.name(),
                            sequence_label(seq),
                            first.name(),
                            near.name(),
                            action.name(),
                            ctx.name()
                        )),
                        Some(_) => {}
                        None => {
                            seen.insert(seq, (*ctx, *action));
                        }
                    }
                }
            }
        }
        found
    }

    pub fn resolve(&self, context: Context, typed: &[Key]) -> Resolution {
        let mut pending = false;
        for ctx in context.chain() {
            let Some(table) = self.bindings.get(ctx) else { continue };
            if let Some(action) = table.get(typed) {
                return Resolution::Action(*action);
            }
            pending |= table.range(typed.to_vec()..).next().is_some_and(|(seq, _)| seq.starts_with(typed));
        }
        if pending {
            Resolution::Pending
        } else {
            Resolution::Unbound
        }
    }

    /// Every binding, context by context.
    pub fn entries(&self) -> impl Iterator<Item = (Context, &Sequence, Action)> {
        self.bindings.iter().flat_map(|(c, t)| t.iter().map(move |(s, a)| (*c, s, *a)))
    }

    /// The bindings that start with `typed` in `context` (or globally): the keys still to press
    /// and their action, for the hint shown while a longer binding waits for its next key.
    pub fn continuations(&self, context: Context, typed: &[Key]) -> Vec<(String, Action)> {
        let mut found: Vec<(String, Action)> = Vec::new();
        for ctx in context.chain() {
            let Some(table) = self.bindings.get(ctx) else { continue };
            for (seq, action) in table.range(typed.to_vec()..).take_while(|(seq, _)| seq.starts_with(typed)) {
                let rest = sequence_label(&seq[typed.len()..]);
                if seq.len() > typed.len() && !found.iter().any(|(r, _)| *r == rest) {
                    found.push((rest, *action));
                }
            }
        }
        found
    }

    /// The keys bound to `action` in `context` (or globally), as the config spells them.
    pub fn keys_for(&self, context: Context, action: Action) -> Option<String> {
        self.sequence_for(context, action).map(|s| sequence_label(&s))
    }

    /// The keys bound to `action` in `context` (or globally), as hints name them (`Ctrl-t`).
    pub fn hint_for(&self, context: Context, action: Action) -> Option<String> {
        self.sequence_for(context, action).map(|s| sequence_hint(&s))
    }

    /// The first binding of `action` that fires in `context`: one hidden by a nearer context's
    /// binding of the same keys is passed over.
    fn sequence_for(&self, context: Context, action: Action) -> Option<Sequence> {
        context.chain().iter().find_map(|ctx| {
            let table = self.bindings.get(ctx)?;
            table
                .iter()
                .find(|(seq, a)| **a == action && self.resolve(context, seq) == Resolution::Action(action))
                .map(|(seq, _)| seq.clone())
        })
    }

    /// Start a sentence naming keys as they work in `context`.
    pub fn naming(&self, context: Context) -> Naming<'_> {
        Naming { keymap: self, context, named: Vec::new() }
    }

    fn defaults() -> Keymap {
        let mut map = Keymap::default();
        for (context, keys, action) in DEFAULTS {
            if let Some(seq) = parse_sequence(keys) {
                map.bindings.entry(*context).or_default().insert(seq, *action);
            }
        }
        map
    }
}

use Action as A;
use Context::{Composer as Cm, Conversation as Cv, Global as G, Profile as Pf, Queue as Q, Reports as Rp};

const DEFAULTS: &[(Context, &str, Action)] = &[
    (G, "q", A::Quit),
    (G, "ctrl-c", A::ForceQuit),
    (G, "esc", A::Back),
    (G, "?", A::Help),
    (G, ":", A::Palette),
    (G, "ctrl-l", A::Redraw),
    (G, "ctrl-z", A::Suspend),
    (G, "tab", A::FocusNext),
    (G, "shift-tab", A::FocusPrev),
    (G, "1", A::FocusQueue),
    (G, "2", A::FocusConversation),
    (G, "3", A::FocusProfile),
    (G, "P", A::ToggleProfile),
    (G, "]", A::ViewNext),
    (G, "[", A::ViewPrev),
    (G, "g n", A::ViewNeedsReply),
    (G, "g m", A::ViewMine),
    (G, "g u", A::ViewUnassigned),
    (G, "g o", A::ViewOpen),
    (G, "g a", A::ViewAll),
    (G, "r", A::Reply),
    (G, "n", A::Note),
    (G, "e", A::Editor),
    (G, "s", A::SetStatus),
    (G, "p", A::SetPriority),
    (G, "a", A::Assign),
    (G, "T", A::TakeTicket),
    (G, "t", A::Tags),
    (G, "/", A::Filter),
    (G, "S", A::Search),
    (G, "z", A::Snooze),
    (G, "R", A::Rate),
    (G, "y", A::Copy),
    // Not `n`/`N`: `n` writes a note everywhere, and the results stay steppable from the conversation.
    (G, "ctrl-n", A::NextMatch),
    (G, "ctrl-p", A::PrevMatch),
    (Q, "j", A::SelectNext),
    (Q, "down", A::SelectNext),
    (Q, "k", A::SelectPrev),
    (Q, "up", A::SelectPrev),
    (Q, "g g", A::SelectFirst),
    (Q, "home", A::SelectFirst),
    (Q, "G", A::SelectLast),
    (Q, "end", A::SelectLast),
    (Q, "ctrl-d", A::PageDown),
    (Q, "pgdn", A::PageDown),
    (Q, "ctrl-u", A::PageUp),
    (Q, "pgup", A::PageUp),
    (Q, "enter", A::Open),
    (Q, "space", A::Mark),
    (Q, "*", A::MarkAll),
    (Cv, "j", A::SelectNext),
    (Cv, "down", A::SelectNext),
    (Cv, "k", A::SelectPrev),
    (Cv, "up", A::SelectPrev),
    (Cv, "g g", A::SelectFirst),
    (Cv, "G", A::SelectLast),
    (Cv, "ctrl-d", A::PageDown),
    (Cv, "pgdn", A::PageDown),
    (Cv, "ctrl-u", A::PageUp),
    (Cv, "pgup", A::PageUp),
    (Pf, "j", A::SelectNext),
    (Pf, "down", A::SelectNext),
    (Pf, "k", A::SelectPrev),
    (Pf, "up", A::SelectPrev),
    (Pf, "enter", A::Open),
    (Pf, "E", A::EditNotes),
    (Pf, "M", A::MergeCustomer),
    (Cm, "ctrl-s", A::Send),
    (Cm, "alt-enter", A::Send),
    (Cm, "esc", A::Back),
    (Cm, "ctrl-e", A::Editor),
    (Cm, "ctrl-x", A::DiscardDraft),
    (Cm, "ctrl-t", A::InsertMacro),
    (Cm, "alt-s s", A::SendSolved),
    (Cm, "alt-s p", A::SendPending),
    (Cm, "alt-s h", A::SendOnHold),
    (Cm, "alt-s o", A::SendOpen),
    (Cm, "ctrl-c", A::ForceQuit),
    (Cm, "ctrl-z", A::Suspend),
    (Cm, "ctrl-l", A::Redraw),
    (Q, "c", A::NewTicket),
    (Cv, "d", A::SaveAttachment),
    (G, "u", A::Undo),
    (Cv, "o", A::OpenAttachment),
    (Cm, "alt-c", A::AddCc),
    (Cm, "alt-C", A::AddBcc),
    (Cm, "alt-a", A::AttachFile),
    (G, "g r", A::Reports),
    (Rp, "j", A::SelectNext),
    (Rp, "down", A::SelectNext),
    (Rp, "k", A::SelectPrev),
    (Rp, "up", A::SelectPrev),
    (Rp, "g g", A::SelectFirst),
    (Rp, "G", A::SelectLast),
    (Rp, "enter", A::Open),
    (Rp, "l", A::ReportLonger),
    (Rp, "right", A::ReportLonger),
    (Rp, "h", A::ReportShorter),
    (Rp, "left", A::ReportShorter),
    (Rp, "b", A::ReportGrouping),
    (Pf, "c", A::EditCustomer),
    (Pf, "o", A::EditOrganization),
    (G, "g A", A::Agents),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Key {
        Key::parse(s).unwrap()
    }

    #[test]
    fn keys_parse_and_print_back() {
        for s in ["j", "G", "?", "ctrl-d", "shift-tab", "enter", "esc", "f5", "alt-enter", "space"] {
            assert_eq!(key(s).label(), s, "{s}");
        }
        assert_eq!(key("shift-g"), key("G"));
        assert_eq!(key("C-d"), key("ctrl-d"));
        assert!(Key::parse("nope").is_none());
    }

    #[test]
    fn sequences_wait_for_their_second_key() {
        let (map, problems) = Keymap::build(&BTreeMap::new());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(map.resolve(Context::Queue, &[key("g")]), Resolution::Pending);
        assert_eq!(map.resolve(Context::Queue, &[key("g"), key("g")]), Resolution::Action(Action::SelectFirst));
        assert_eq!(map.resolve(Context::Queue, &[key("g"), key("m")]), Resolution::Action(Action::ViewMine));
        assert_eq!(map.resolve(Context::Queue, &[key("x")]), Resolution::Unbound);
    }

    #[test]
    fn the_composer_does_not_see_global_letters() {
        let (map, _) = Keymap::build(&BTreeMap::new());
        assert_eq!(map.resolve(Context::Composer, &[key("q")]), Resolution::Unbound);
        assert_eq!(map.resolve(Context::Composer, &[key("ctrl-s")]), Resolution::Action(Action::Send));
    }

    #[test]
    fn no_key_means_two_things_in_one_view() {
        let (map, problems) = Keymap::build(&BTreeMap::new());
        assert!(problems.is_empty(), "{problems:?}");
        let found = map.two_meanings();
        assert!(found.is_empty(), "{}", found.join("\n"));
        // The check sees a context's key over a global one, as `n` once was in the filtered queue.
        let mut queue = BTreeMap::new();
        queue.insert("r".to_string(), "select_last".to_string());
        let (map, _) = Keymap::build(&BTreeMap::from([("filtered".to_string(), queue)]));
        assert_eq!(
            map.two_meanings(),
            vec!["[keys.filtered]: \"r\" is select_last ([keys.filtered]) and reply ([keys.global])"]
        );
    }

    #[test]
    fn hints_name_keys_as_people_read_them() {
        for (config, hint) in [("ctrl-t", "Ctrl-t"), ("esc", "Esc"), ("shift-tab", "Shift-Tab"), ("G", "G"), ("-", "-")]
        {
            assert_eq!(key(config).hint(), hint);
        }
        let (map, _) = Keymap::build(&BTreeMap::new());
        assert_eq!(map.hint_for(Context::Composer, Action::InsertMacro).as_deref(), Some("Ctrl-t"));
        assert_eq!(map.hint_for(Context::Queue, Action::SelectFirst).as_deref(), Some("g g"));
        let mut naming = map.naming(Context::Composer);
        assert_eq!(naming.key(Action::Send), "Ctrl-s");
        assert_eq!(naming.key(Action::Reply), ":reply", "not bound in the composer: the palette's name");
        assert_eq!(naming.named().keys, vec![(parse_sequence("ctrl-s").unwrap(), Action::Send)]);
    }

    #[test]
    fn overrides_apply_and_problems_are_named() {
        let mut overrides = BTreeMap::new();
        let mut queue = BTreeMap::new();
        queue.insert("x".to_string(), "select_last".to_string());
        queue.insert("y".to_string(), "fly_away".to_string());
        queue.insert("ctrl-".to_string(), "quit".to_string());
        queue.insert("g".to_string(), "select_first".to_string());
        overrides.insert("queue".to_string(), queue);
        overrides.insert("nowhere".to_string(), BTreeMap::new());
        let (map, problems) = Keymap::build(&overrides);
        assert_eq!(map.resolve(Context::Queue, &[key("x")]), Resolution::Action(Action::SelectLast));
        let text = problems.join("\n");
        assert!(text.contains("unknown action 'fly_away'"), "{text}");
        assert!(text.contains("\"ctrl-\": not a key"), "{text}");
        assert!(text.contains("[keys.nowhere]: unknown context"), "{text}");
        assert!(text.contains("\"g\" (select_first) hides \"g g\" (select_first)"), "{text}");
    }
}

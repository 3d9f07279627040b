//! Everything the console shows, as plain data. `ui` draws it; `update` changes it.

use super::composer::Composer;
use super::conversation::{Clock, ConversationState};
use super::keymap::{Key, Keymap};
use super::overlay::Overlay;
use super::profile::ProfileFacts;
use super::views::{CustomView, View};
use crate::domain::{Agent, Ticket, TicketFilter, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Queue,
    Conversation,
    Profile,
}

/// The loaded part of the current queue tab; more pages load as the cursor nears the end.
#[derive(Debug, Clone, Default)]
pub struct QueueState {
    pub rows: Vec<Ticket>,
    pub selected: usize,
    /// First row drawn.
    pub offset: usize,
    pub has_more: bool,
    pub loading: bool,
    /// Each loaded row's next due SLA clock.
    pub sla: std::collections::HashMap<i64, crate::domain::sla::Clock>,
    /// Rows back from a snooze, marked due.
    pub woken: std::collections::HashSet<i64>,
    /// Tickets of the whole view whose running SLA clock is overdue (`None` without policies).
    pub overdue: Option<u64>,
    /// Where the next page starts, kept apart from the rows because due rows are moved up.
    pub cursor: Option<crate::domain::PageCursor>,
}

impl QueueState {
    pub fn selected_ticket(&self) -> Option<&Ticket> {
        self.rows.get(self.selected)
    }
}

#[derive(Debug, Clone, Default)]
pub struct ProfileState {
    /// The customer's tickets, newest first.
    pub tickets: Vec<Ticket>,
    pub selected: usize,
    /// Ratings and the at-risk mark.
    pub facts: ProfileFacts,
    /// The customer's notes in `$EDITOR` (the editor's text goes to them, not the composer), or
    /// an edit someone else's save stopped. Kept apart from `facts`, which every load replaces.
    pub notes: Option<super::profile::NotesEdit>,
}

/// What the line at the bottom is asking for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// `/`: narrows the queue as the agent types.
    Filter,
    /// Full-text search, run on Enter.
    Search,
    /// A group's tickets, opened from the reports screen (never typed).
    Report,
}

/// A one-line input at the bottom of the screen.
#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: tui_input::Input,
}

/// The queue shows a filter's or a search's results instead of its tab.
#[derive(Debug, Clone)]
pub struct Findings {
    pub kind: PromptKind,
    /// What was typed.
    pub text: String,
    /// The filter's words, for highlighting what matched.
    pub query: crate::domain::fuzzy::Query,
    /// Answers to older requests are dropped.
    pub generation: u64,
    /// The tickets found, best first; `None` until the first answer.
    pub ids: Option<std::sync::Arc<[i64]>>,
    /// Tickets the filter looked at (the tab's).
    pub total: Option<usize>,
    /// Every match is in `ids`; a large tab's filter may have found only some ("≥ N").
    pub complete: bool,
    /// A newer request is being worked on.
    pub working: bool,
    /// What the agent should know about these results ("stopped early: refine your search").
    pub note: Option<String>,
    /// New results are on their way: their rows start with the cursor at the top (a reload of
    /// the same results after a write keeps it where it was).
    pub fresh: bool,
}

impl Findings {
    pub fn new(kind: PromptKind, generation: u64) -> Findings {
        Findings {
            kind,
            text: String::new(),
            query: crate::domain::fuzzy::Query::new(""),
            generation,
            ids: None,
            total: None,
            complete: true,
            working: false,
            note: None,
            fresh: false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusMessage {
    /// The whole message, with what the rules did at its end when they did something.
    pub text: String,
    pub is_error: bool,
    /// The keys the text names: it is shown only in their context, where they do what it says.
    pub named: Option<super::keymap::Named>,
    /// The message in a few words (`replied · mailed`), for a line too narrow for `text`.
    pub short: Option<String>,
    /// What the rules did after the change the message speaks of (at the end of `text`).
    pub rules: Option<super::status_message::RulesSaid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileMode {
    /// Shown when the terminal is wide enough.
    Auto,
    Hidden,
    Shown,
}

pub struct State {
    pub agent: Agent,
    pub agents: Vec<Agent>,
    pub keymap: Keymap,
    pub focus: Pane,
    pub view: View,
    /// The config's views, after the built-in tabs.
    pub views: Vec<CustomView>,
    /// Tickets per tab, in the order of [`State::tabs`].
    pub counts: Vec<Option<u64>>,
    pub queue: QueueState,
    pub conversation: Option<ConversationState>,
    pub profile: ProfileState,
    pub composer: Option<Composer>,
    pub overlay: Option<Overlay>,
    pub status: Option<StatusMessage>,
    /// Keys typed so far of a multi-key binding such as `g g`.
    pub pending_keys: Vec<Key>,
    pub profile_mode: ProfileMode,
    /// Narrowest terminal that shows the profile in `Auto` mode.
    pub profile_min_width: u16,
    pub page_size: usize,
    pub size: (u16, u16),
    pub now: Timestamp,
    pub known_tags: Vec<String>,
    /// An action asked for in the queue on a ticket not yet open: it runs once that ticket loads.
    pub pending_action: Option<(i64, crate::app::model::action::Action)>,
    /// The queue row that action was asked on, as the agent saw it.
    pub seen_row: Option<Ticket>,
    pub prompt: Option<Prompt>,
    pub findings: Option<Findings>,
    /// Requests to background work are numbered so late answers can be recognised.
    pub generation: u64,
    /// How far the search index build has come, in percent, while it runs.
    pub index_build: Option<u8>,
    /// Tickets whose due times are still being worked out after a change of SLA policies.
    pub due_left: Option<u64>,
    pub should_quit: bool,
    /// Other consoles on this desk: who views or writes on which ticket.
    pub presence: Vec<crate::domain::Presence>,
    /// Canned replies for the composer's picker.
    pub macros: Vec<crate::config::CannedReply>,
    /// The agent's time zone, for the times they type and the times they are shown.
    pub zone: crate::domain::when::Zone,
    /// Ring the terminal's bell when a ticket arrives in the tab or in Mine (`ui.bell`).
    pub bell: bool,
    /// The newest event looked at for tickets arriving; `None` until the first look.
    pub arrivals_mark: Option<i64>,
    /// The new-ticket form, while it is open.
    pub ticket_form: Option<super::ticket_form::TicketForm>,
    /// The conversation following the queue's cursor.
    pub preview: Preview,
    /// Where a sent reply leaves the agent (`ui.after_send`).
    pub after_send: AfterSend,
    /// How many customers wait on us, desk-wide, and since when the longest has (with the counts).
    pub waiting: Option<(u64, Option<Timestamp>)>,
    /// The ticket last asked for to be shown (it may not have arrived yet).
    pub coming: Option<i64>,
    /// While a choice of a picker opened for the marked tickets is carried out.
    pub choosing_for_marked: bool,
    /// Tickets marked in the queue, with the version each had when marked.
    pub marked: std::collections::BTreeMap<i64, i64>,
    /// The agent's changes made in this console, newest last: what `u` can undo.
    pub undo: super::undo::UndoStack,
    /// Replies that have waited in the outbox while no desk service runs (0 while one does).
    pub unserved_outbox: u64,
    /// What keeps the desk service from reading a mailbox, one sentence (`None` when all are read).
    pub unread_mailbox: Option<String>,
    /// The reports screen, while it is shown.
    pub reports: Option<super::reports::ReportsScreen>,
    /// The reports screen a group's tickets were opened from, with the generation of those
    /// findings and the queue as it was: Esc from them comes back to it.
    pub reports_behind: Option<(u64, super::reports::ReportsScreen, QueueState)>,
    /// The customer form (`c` in the profile), while it is open.
    pub customer_form: Option<super::customer_form::CustomerForm>,
    /// The organization form (`o` in the profile), while it is open.
    pub organization_form: Option<super::organization_form::OrganizationForm>,
    /// The agent form (from the agents' list, admins), while it is open.
    pub agent_form: Option<super::agent_form::AgentForm>,
}

/// Where the console goes after a reply is sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AfterSend {
    /// The next ticket whose customer waits on us.
    #[default]
    Next,
    /// The ticket just answered.
    Stay,
}

/// What the preview has seen of the queue's cursor: the ticket under it last time, and a number
/// for the timer started when it moved there (an older timer's message is ignored).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Preview {
    pub under_cursor: Option<i64>,
    pub generation: u64,
}

impl State {
    pub fn new(agent: Agent, keymap: Keymap, view: View, size: (u16, u16), now: Timestamp) -> State {
        State {
            agent,
            agents: Vec::new(),
            keymap,
            focus: Pane::Queue,
            view,
            views: Vec::new(),
            counts: vec![None; View::BUILT_IN.len()],
            queue: QueueState::default(),
            conversation: None,
            profile: ProfileState::default(),
            composer: None,
            overlay: None,
            status: None,
            pending_keys: Vec::new(),
            profile_mode: ProfileMode::Auto,
            profile_min_width: 160,
            page_size: 200,
            size,
            now,
            known_tags: Vec::new(),
            pending_action: None,
            seen_row: None,
            prompt: None,
            macros: Vec::new(),
            findings: None,
            generation: 0,
            index_build: None,
            due_left: None,
            should_quit: false,
            presence: Vec::new(),
            preview: Preview::default(),
            after_send: AfterSend::default(),
            marked: Default::default(),
            choosing_for_marked: false,
            coming: None,
            waiting: None,
            zone: Default::default(),
            bell: false,
            undo: Default::default(),
            unserved_outbox: 0,
            unread_mailbox: None,
            arrivals_mark: None,
            ticket_form: None,
            reports: None,
            reports_behind: None,
            customer_form: None,
            organization_form: None,
            agent_form: None,
        }
    }

    /// Every tab, built-in ones first.
    pub fn tabs(&self) -> Vec<View> {
        View::BUILT_IN.into_iter().chain((0..self.views.len()).map(View::Custom)).collect()
    }

    pub fn tab_index(&self, view: View) -> usize {
        self.tabs().iter().position(|v| *v == view).unwrap_or(0)
    }

    pub fn view_title(&self, view: View) -> &str {
        match view {
            View::Custom(i) => self.views.get(i).map_or("?", |v| v.name.as_str()),
            built_in => built_in.built_in_title(),
        }
    }

    /// The tab named `name` (any case), built-in or from the config.
    pub fn view_named(&self, name: &str) -> Option<View> {
        self.tabs().into_iter().find(|v| self.view_title(*v).eq_ignore_ascii_case(name))
    }

    /// The tickets `view` shows for this agent.
    pub fn view_filter(&self, view: View) -> TicketFilter {
        match view {
            View::Custom(i) => self.views.get(i).map(|v| v.filter.clone()).unwrap_or_default(),
            built_in => built_in.built_in_filter(&self.agent.login),
        }
    }

    /// The ticket the conversation shows, if any.
    pub fn open_ticket(&self) -> Option<&Ticket> {
        self.conversation.as_ref().map(|c| &c.detail.ticket)
    }

    /// Wrap the open conversation for its pane's width; cheap when it already is. `update` calls
    /// it after every message, so drawing and scrolling find the lines ready.
    pub fn wrap_conversation(&mut self) {
        let Some(inner) = super::layout::conversation_inner(self) else { return };
        let clock = Clock { now: self.now, zone: self.zone };
        if let Some(conversation) = self.conversation.as_mut() {
            conversation.wrap_to(inner.width, clock);
        }
    }

    pub fn set_status(&mut self, text: impl Into<String>) {
        self.status = Some(StatusMessage { text: text.into(), ..StatusMessage::default() });
    }

    /// Give the status message its few words, for a narrow line.
    pub fn shorten_status(&mut self, short: impl Into<String>) {
        if let Some(status) = &mut self.status {
            status.short = Some(short.into());
        }
    }

    pub fn set_error(&mut self, text: impl Into<String>) {
        self.status = Some(StatusMessage { text: text.into(), is_error: true, ..StatusMessage::default() });
    }

    /// A message naming keys (from [`super::keymap::Keymap::naming`]).
    pub fn set_status_naming(&mut self, text: impl Into<String>, named: super::keymap::Named) {
        self.status = Some(StatusMessage { text: text.into(), named: Some(named), ..StatusMessage::default() });
    }

    pub fn set_error_naming(&mut self, text: impl Into<String>, named: super::keymap::Named) {
        self.status =
            Some(StatusMessage { text: text.into(), is_error: true, named: Some(named), ..StatusMessage::default() });
    }

    /// Whether the status message reads true here: one naming keys only in the context it names
    /// them for, with no overlay taking the keys.
    pub fn status_applies(&self) -> bool {
        let Some(status) = &self.status else { return false };
        let Some(named) = &status.named else { return true };
        let context = super::keymap::Context::of(self);
        let resolve = |(seq, action): &(super::keymap::Sequence, super::action::Action)| {
            self.keymap.resolve(context, seq) == super::keymap::Resolution::Action(*action)
        };
        self.overlay.is_none() && named.context == context && named.keys.iter().all(resolve)
    }
}

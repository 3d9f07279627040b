//! What flows into `update` (messages) and out of it (effects).

use super::key::KeyEvent;
use crate::app::model::action::Action;
use crate::app::model::views::View;
use crate::domain::{Agent, MessageKind, Ticket, TicketChange};
use crate::domain::{Draft, PageCursor, TicketDetail};

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Action(Action),
    QueueLoaded {
        view: View,
        rows: Vec<Ticket>,
        append: bool,
        has_more: bool,
        /// Each row's next due SLA clock, and the rows back from a snooze.
        facts: super::queue::PageFacts,
    },
    /// Tickets per tab, in the order of `State::tabs`, and how many customers wait on us, desk-wide,
    /// with since when the longest has.
    CountsLoaded {
        counts: Vec<u64>,
        waiting: (u64, Option<crate::domain::Timestamp>),
        /// Replies that have waited in the outbox while no desk service runs (0 while one does).
        unserved_outbox: u64,
        /// What keeps the service from reading a mailbox (a refused login), while one runs.
        unread_mailbox: Option<String>,
    },
    TicketLoaded {
        detail: Box<TicketDetail>,
        customer_tickets: Vec<Ticket>,
        draft: Option<Draft>,
        /// The customer's ratings and at-risk mark.
        facts: super::profile::ProfileFacts,
    },
    /// Agents and known tags, for the pickers.
    DirectoryLoaded {
        agents: Vec<Agent>,
        tags: Vec<String>,
    },
    TicketChanged(Ticket),
    MessageSent {
        ticket: i64,
        kind: MessageKind,
        /// A reply stored with its mail in the outbox, being delivered on the mail worker.
        mailing: bool,
    },
    /// The mail worker delivered a reply's mail (`Ok`), or could not: why (it waits in the outbox).
    Delivered {
        ticket: i64,
        result: Result<(), String>,
    },
    /// The mail worker mailed the satisfaction survey for a solved ticket, or could not: why.
    SurveySent {
        ticket: i64,
        result: Result<(), String>,
    },
    DraftSaved,
    /// The saved draft for a ticket whose composer was just opened.
    DraftLoaded {
        ticket: i64,
        draft: Option<Draft>,
    },
    /// The draft-save timer fired.
    DraftDue,
    /// The marked tickets were changed (or not).
    MarkedUpdated(BulkOutcome),
    /// The queue's cursor has rested on a ticket: show it, if the cursor is still where it was
    /// when this timer (numbered `generation`) started.
    PreviewDue {
        generation: u64,
    },
    /// Time for the queue's SLA countdowns to be worked out again.
    SlaTick,
    /// The due times the queue is sorted by were worked out on a thread: reload the queue.
    DueRefreshed,
    /// The queue has shown `view` a moment: time for the filter to read its tickets ahead.
    ReadAheadDue {
        view: super::views::View,
    },
    /// After a change of SLA policies, this many tickets' due times are still being worked out
    /// on a thread (the queue's order follows the old ones for those meanwhile).
    DueWorking {
        left: u64,
    },
    /// Customer `from` was merged into `into`.
    CustomersMerged {
        from: i64,
        into: crate::domain::Customer,
        ticket: i64,
    },
    /// Customers who may be the same person as `customer` (as lists show it: `this`), to merge
    /// into.
    SimilarCustomers {
        customer: i64,
        this: Box<crate::domain::CustomerSummary>,
        found: Vec<crate::domain::CustomerSummary>,
    },
    /// Pending tickets whose customer has not answered for `days`: offered for solving, or solved.
    Stale {
        count: usize,
        days: u32,
        solved: bool,
    },
    /// `$EDITOR` returned: the new text, or `None` when the agent left it unchanged.
    EditorDone(Option<String>),
    /// A send was stopped: newer messages came in on the ticket since the agent last looked.
    SendStopped {
        ticket: i64,
        /// The newest of them: sending again means the agent has seen up to it.
        newest: i64,
        message: String,
    },
    /// A ticket update lost a race: say so and show the ticket as it now is.
    Conflict {
        ticket: i64,
        message: String,
    },
    Failed(String),
    /// The filter worker's answer: the matching tickets best first, or `None` when a newer
    /// request overtook this one.
    FilterMatched {
        generation: u64,
        ids: Option<std::sync::Arc<[i64]>>,
        total: usize,
    },
    /// The filter worker's answer on a large tab, where more tickets may match than it found
    /// (the count reads "≥ N").
    FilterMatchedSome {
        generation: u64,
        ids: std::sync::Arc<[i64]>,
        total: usize,
    },
    /// Rows of the filter's or search's results, loaded from the store.
    FoundRowsLoaded {
        generation: u64,
        rows: Vec<Ticket>,
        append: bool,
    },
    SearchDone {
        generation: u64,
        result: Result<crate::domain::search::SearchResults, String>,
    },
    /// The watcher saw other processes change the desk (`desk_changed`) or who is where.
    StoreChanged {
        desk_changed: bool,
        presence: Vec<crate::domain::Presence>,
    },
    /// A worker's answer to an effect handed to it; the runtime counts it and handles `msg`.
    Answered {
        by: Worker,
        msg: Box<Msg>,
    },
    /// The search index build has come this far (percent), or finished (`None`).
    IndexBuild(Option<u8>),
    /// A ticket was snoozed until this time.
    Snoozed {
        ticket: Ticket,
        until: crate::domain::Timestamp,
    },
    /// Tickets other agents or the mail intake brought into the tab or into Mine since the last
    /// look, oldest first; `mark` is where the next look starts.
    Arrivals {
        mark: i64,
        tickets: Vec<Ticket>,
    },
    /// The ticket was deleted (as it was).
    TicketDeleted(Ticket),
    /// An attachment was saved at `path` (named as the mail named it, made safe).
    AttachmentSaved {
        path: std::path::PathBuf,
    },
    /// An attachment was handed to the opener command `with`.
    AttachmentOpened {
        name: String,
        with: String,
    },
    /// Customers matching what was typed into the new-ticket form.
    CustomersFound {
        generation: u64,
        found: Vec<crate::domain::CustomerSummary>,
    },
    /// The new-ticket form's ticket was created.
    TicketCreated(Ticket),
    /// A message could not be stored (nothing was written): the composer keeps its text.
    SendFailed {
        ticket: i64,
        message: String,
    },
    /// The new-ticket form's ticket could not be created: the form stays, to fix and send again.
    CreateFailed(String),
    /// The customer's notes were not saved: someone saved theirs since the agent opened them.
    NotesRefused {
        customer: i64,
        notes: String,
        message: String,
    },
    /// The new-ticket form's customer lookup failed.
    LookupFailed {
        generation: u64,
        message: String,
    },
    /// Pending tickets unanswered since `before` (`days`), per owner (`None`: nobody's), most
    /// first: to ask which to solve.
    StaleOffer {
        before: crate::domain::Timestamp,
        days: u32,
        owners: Vec<(Option<String>, u64)>,
    },
    /// The answer `then` to one of the agent's changes, after which the desk's rules ran: the
    /// rules that fired, each with its ticket, or why they could not run (the change is kept).
    RulesRan {
        fired: Vec<RuleFired>,
        failed: Option<String>,
        then: Box<Msg>,
    },
    /// The answer `then` to one of the agent's own changes, which left `ticket` at `version`:
    /// `u` can undo it.
    Undoable {
        ticket: i64,
        version: i64,
        then: Box<Msg>,
    },
    /// The reports screen's read `generation`: the report, or why it could not be read.
    ReportLoaded {
        generation: u64,
        result: Result<Box<crate::domain::report::Report>, String>,
    },
    /// An undo of the change that left `ticket` at `version` was done (the ticket's version after
    /// it, and what it changed back, in words) or refused (why, in one sentence).
    Undone {
        ticket: i64,
        version: i64,
        result: Result<(i64, String), String>,
    },
    /// The customer form was saved: the customer as they now are, and the open ticket.
    CustomerSaved {
        customer: Box<crate::domain::Customer>,
        ticket: i64,
    },
    /// The customer form was not saved: why, and the customer as they now are when someone
    /// changed them meanwhile (the form then shows their changes beside the agent's).
    CustomerRefused {
        message: String,
        now: Option<Box<crate::domain::Customer>>,
    },
    /// The customer's organization, read to open its form (`None`: they are in none).
    OrganizationOpened {
        organization: Option<Box<crate::domain::Organization>>,
        customer: i64,
        customer_name: String,
    },
    /// The organization form was saved; `ticket` is shown again.
    OrganizationSaved {
        organization: Box<crate::domain::Organization>,
        ticket: i64,
    },
    /// Not saved: why, and the organization as it now is when someone changed it meanwhile.
    OrganizationRefused {
        message: String,
        now: Option<Box<crate::domain::Organization>>,
    },
    /// The organization to delete as it now is, and how many customers it has: the question.
    OrganizationDeleteAsked {
        organization: Box<crate::domain::Organization>,
        customers: usize,
    },
    /// The organization was deleted; its customers (how many) are in none now; `ticket` is shown again.
    OrganizationDeleted {
        organization: Box<crate::domain::Organization>,
        customers: usize,
        ticket: i64,
    },
    /// The desk's agents, read for the agents' list.
    AgentsListed(Vec<crate::domain::Agent>),
    /// The agent form was saved: the agent as they now are, and when deactivated, their open tickets.
    AgentSaved {
        agent: Box<crate::domain::Agent>,
        open_tickets: Vec<i64>,
    },
    /// Not saved: why, and the agent as they now are when someone changed them meanwhile.
    AgentRefused {
        message: String,
        now: Option<Box<crate::domain::Agent>>,
    },
}

/// The workers that answer effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Worker {
    Store,
    Mail,
}

/// I/O that `update` asks for; the runtime does it and answers with a [`Msg`].
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadQueue {
        view: View,
        after: Option<PageCursor>,
    },
    /// Reload the first `rows` rows of the queue (at least a page) in place, keeping the selection.
    ReloadQueue {
        view: View,
        rows: usize,
    },
    LoadCounts,
    /// Snooze a ticket until a time, if it is still at the version the agent saw.
    Snooze {
        id: i64,
        version: i64,
        until: crate::domain::Timestamp,
    },
    /// Save a customer's notes, then show the open ticket again.
    SaveNotes {
        customer: i64,
        /// The notes the agent opened: someone else's save since stops this one.
        seen: String,
        notes: String,
        ticket: i64,
    },
    /// Record a customer's NPS answer, then show the ticket again.
    Nps {
        customer: i64,
        score: u8,
        ticket: i64,
    },
    /// Merge ticket `from` into ticket `into` (admins), if both are still at the versions the
    /// agent saw (`seen`: from's, into's).
    MergeTickets {
        from: i64,
        into: i64,
        seen: (i64, i64),
    },
    /// Customers who may be the same person as `customer`.
    FindSimilarCustomers {
        customer: i64,
    },
    /// Merge customer `from` into `into` if both are still as the agent saw them (`seen`: from,
    /// into); `ticket` is the open ticket, shown again after.
    MergeCustomers {
        from: i64,
        into: i64,
        ticket: i64,
        seen: Box<(crate::domain::CustomerSummary, crate::domain::CustomerSummary)>,
    },
    /// Record a CSAT rating for a solved ticket, if it is still at the version the agent saw.
    Rate {
        id: i64,
        version: i64,
        csat: crate::domain::satisfaction::Csat,
    },
    LoadTicket(i64),
    LoadDirectory,
    UpdateTicket {
        id: i64,
        version: i64,
        change: TicketChange,
    },
    /// Count the agent's pending tickets the customer has left unanswered for days, to offer
    /// solving them.
    FindStale,
    /// Solve the pending tickets unanswered since `before` (`owner`'s only, when given).
    SolveStale {
        before: crate::domain::Timestamp,
        owner: Option<String>,
    },
    /// Change every marked ticket (`tickets` with the version seen when marked), each in its own
    /// write; `what` says what, for the status line.
    UpdateMarked {
        tickets: Vec<(i64, i64)>,
        change: BulkChange,
        what: String,
    },
    Send {
        ticket: i64,
        kind: MessageKind,
        body: String,
        /// The newest message the agent had seen: newer ones stop the send.
        expect_last: Option<i64>,
        /// The ticket's version on screen: when the message also changes the ticket, a newer
        /// version stops it too.
        version: Option<i64>,
        /// What the message changes on the ticket (canned replies' actions, a chosen status), in
        /// the same write.
        change: TicketChange,
        /// A reply's Cc, Bcc and files, from the lines at the top of the composer.
        headers: crate::domain::recipients::ReplyHeaders,
    },
    /// Throw the agent's saved draft on this ticket away.
    DeleteDraft {
        ticket: i64,
    },
    /// Assign the ticket to me if its owner and its version are still the ones I saw.
    Claim {
        ticket: i64,
        seen_owner: Option<String>,
        version: i64,
    },
    SaveDraft {
        ticket: i64,
        kind: MessageKind,
        body: String,
    },
    /// Load the saved draft into a just-opened composer.
    ResumeDraft {
        ticket: i64,
        kind: MessageKind,
    },
    /// Send [`Msg::DraftDue`] in a moment.
    ScheduleDraftSave,
    /// Send [`Msg::PreviewDue`] once the cursor has rested ([`crate::app::update::PREVIEW_DELAY`]).
    SchedulePreview {
        generation: u64,
    },
    OpenEditor {
        body: String,
    },
    Suspend,
    ClearScreen,
    /// Put this text on the terminal's clipboard (OSC 52).
    Copy {
        text: String,
    },
    /// Match `query` against the tab's tickets off the input thread.
    Filter {
        generation: u64,
        view: View,
        query: String,
    },
    /// Load these tickets as rows of the narrowed queue.
    LoadFoundRows {
        generation: u64,
        ids: Vec<i64>,
        append: bool,
    },
    Search {
        generation: u64,
        text: String,
    },
    /// Build the search index in the background if it is not complete.
    BuildIndex,
    /// Look for tickets others brought into the tab or Mine since event `after` (`None`: just
    /// find where to start).
    FindArrivals {
        after: Option<i64>,
    },
    /// Ring the terminal's bell.
    Bell,
    /// Delete the ticket (admins), if it is still at the version the agent saw.
    DeleteTicket {
        id: i64,
        version: Option<i64>,
    },
    /// Save the attachment to the download folder.
    SaveAttachment {
        id: i64,
    },
    /// Write the attachment to a private temporary file and hand it to the system's opener.
    OpenAttachment {
        id: i64,
    },
    /// Customers whose name or address matches `text`, for the new-ticket form.
    FindCustomers {
        generation: u64,
        text: String,
    },
    CreateTicket(crate::domain::NewTicket),
    /// Count the pending tickets unanswered for days per owner, to ask before solving them.
    OfferStale,
    /// Undo the agent's change that left `ticket` at `version`, if nobody wrote since.
    Undo {
        ticket: i64,
        version: i64,
    },
    /// Read the report of the last `last`, grouped `by`, on a worker of its own.
    LoadReport {
        generation: u64,
        last: crate::domain::report::Last,
        by: crate::domain::report::Dimension,
    },
    /// Save the customer form's change, if the customer is still as `seen`; then show `ticket`.
    SaveCustomer {
        seen: Box<crate::domain::Customer>,
        change: crate::domain::CustomerChange,
        ticket: i64,
    },
    /// Read the customer's organization for its form.
    OpenOrganization {
        customer: i64,
    },
    /// Save the organization form: a change over the organization as `seen`, or a new one
    /// with customer `customer` put in it; then show `ticket`.
    SaveOrganization {
        seen: Option<Box<crate::domain::Organization>>,
        save: super::organization_form::OrganizationSave,
        customer: i64,
        ticket: i64,
    },
    /// Read the organization and count its customers, to ask before deleting it.
    AskDeleteOrganization {
        organization: i64,
    },
    /// Delete the organization (admins), its customers left in none, as `org delete` does; then
    /// show `ticket`.
    DeleteOrganization {
        organization: i64,
        ticket: i64,
    },
    /// Read the desk's agents for the agents' list (admins).
    ListAgents,
    /// Save the agent form over the agent as `seen` (admins): a change of their record and
    /// whether they are active.
    SaveAgent {
        seen: Box<crate::domain::Agent>,
        change: crate::domain::AgentChange,
        active: Option<bool>,
    },
}

/// What a change of the marked tickets does to each.
#[derive(Debug, Clone, PartialEq)]
pub enum BulkChange {
    Ticket(TicketChange),
    Snooze(crate::domain::Timestamp),
}

/// How a change of the marked tickets went.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkOutcome {
    pub what: String,
    pub changed: Vec<i64>,
    /// Tickets changed by someone since they were marked, left alone, with their version now.
    pub meanwhile: Vec<(i64, i64)>,
    /// Tickets that could not be changed, and why.
    pub failed: Vec<(i64, String)>,
}

/// One rule that fired after the agent's change: on which ticket, and what it did, in words
/// (`priority high`, `tags +vip`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFired {
    pub rule: String,
    pub ticket: i64,
    pub did: Vec<String>,
}

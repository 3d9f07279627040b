//! The one list of named actions behind the key map, the `:` palette and the `?` help.
//!
//! Each entry is `Variant => "config_name", "Human title", "what it does";`: the name is what the
//! config's key tables and scripts use, the title what the palette and help show first.

use serde::Serialize;

macro_rules! actions {
    ($($variant:ident => $name:literal, $title:literal, $desc:literal;)+) => {
        /// Something the agent can ask the console to do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum Action { $($variant),+ }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            /// The name used in the config's key tables and in the palette.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),+ }
            }

            /// What the palette and the help show first: "Next pane", not `focus_next`.
            pub fn title(self) -> &'static str {
                match self { $(Action::$variant => $title),+ }
            }

            pub fn description(self) -> &'static str {
                match self { $(Action::$variant => $desc),+ }
            }

            pub fn from_name(name: &str) -> Option<Action> {
                Action::ALL.iter().copied().find(|a| a.name() == name)
            }
        }
    };
}

actions! {
    Quit => "quit", "Quit", "close the top overlay, or quit";
    ForceQuit => "force_quit", "Quit now", "quit at once (drafts are kept)";
    Back => "back", "Back", "close or cancel; from the conversation, back to the queue";
    Help => "help", "Help: keys", "show the key map";
    Palette => "palette", "Commands", "run any action by name";
    Redraw => "redraw", "Redraw the screen", "repaint the whole screen";
    Suspend => "suspend", "Suspend to the shell", "suspend to the shell (fg to return)";
    FocusNext => "focus_next", "Next pane", "next pane";
    FocusPrev => "focus_prev", "Previous pane", "previous pane";
    FocusQueue => "focus_queue", "Go to the queue", "go to the queue";
    FocusConversation => "focus_conversation", "Go to the conversation", "go to the conversation";
    FocusProfile => "focus_profile", "Go to the profile", "go to the customer profile";
    ToggleProfile => "toggle_profile", "Show or hide profile", "show or hide the customer profile";
    SelectNext => "select_next", "Down", "next ticket / scroll down";
    SelectPrev => "select_prev", "Up", "previous ticket / scroll up";
    SelectFirst => "select_first", "First", "first ticket / top";
    SelectLast => "select_last", "Last", "last ticket / bottom";
    PageDown => "page_down", "Half a page down", "half a page down";
    PageUp => "page_up", "Half a page up", "half a page up";
    Open => "open", "Open", "open the selected ticket";
    ViewMine => "view_mine", "Tab: Mine", "queue: tickets assigned to me";
    ViewUnassigned => "view_unassigned", "Tab: Unassigned", "queue: tickets nobody has taken";
    ViewOpen => "view_open", "Tab: Open", "queue: every ticket not yet solved";
    ViewAll => "view_all", "Tab: All", "queue: every ticket";
    ViewNeedsReply => "view_needs_reply", "Tab: Needs reply", "queue: tickets whose customer waits on us, the longest wait first";
    ViewNext => "view_next", "Next tab", "next queue tab";
    Filter => "filter", "Filter the queue", "filter the queue as you type (fuzzy)";
    Search => "search", "Search", "search every ticket's text (words, \"phrases\", prefix*, from: status: tag: …)";
    NextMatch => "next_match", "Next match", "open the next ticket the filter or search found";
    PrevMatch => "prev_match", "Previous match", "open the previous ticket the filter or search found";
    ViewPrev => "view_prev", "Previous tab", "previous queue tab";
    Reply => "reply", "Reply", "write a reply to the customer";
    Note => "note", "Internal note", "write an internal note";
    Editor => "editor", "Write in $EDITOR", "write the reply in $EDITOR";
    Send => "send", "Send", "send the reply or note";
    DiscardDraft => "discard_draft", "Discard the draft", "throw away the reply or note being written";
    SetStatus => "set_status", "Set status", "change the ticket's status";
    SetPriority => "set_priority", "Set priority", "change the ticket's priority";
    Assign => "assign", "Assign", "assign the ticket";
    TakeTicket => "take", "Take the ticket", "assign the ticket to me";
    Tags => "tags", "Tags", "add or remove tags";
    Snooze => "snooze", "Snooze", "snooze the ticket: it leaves the queue and comes back marked due";
    Rate => "rate", "Record a rating", "record the customer's CSAT (solved tickets) or NPS answer";
    InsertMacro => "insert_macro", "Insert a canned reply", "insert a canned reply into the composer";
    EditNotes => "edit_notes", "Edit customer notes", "edit the customer's notes in $EDITOR";
    MergeTicket => "merge_ticket", "Merge ticket", "merge this ticket into another of the customer's (admins)";
    MergeCustomer => "merge_customer", "Merge customer", "merge the open ticket's customer into another of the same name or address (admins)";
    SolveStale => "solve_stale", "Solve stale pending tickets", "solve your pending tickets whose customer has not answered for days, or everyone's (asks first)";
    Copy => "copy", "Copy the conversation", "copy the ticket's conversation to the clipboard (OSC 52, works over SSH)";
    SendSolved => "send_solved", "Send and solve", "send the reply and solve the ticket, in one write";
    SendPending => "send_pending", "Send and set pending", "send the reply and set the ticket pending (waiting on the customer)";
    SendOnHold => "send_on_hold", "Send and put on hold", "send the reply and put the ticket on hold";
    SendOpen => "send_open", "Send and keep open", "send the reply and keep the ticket open, whatever a canned reply sets";
    Mark => "mark", "Mark or unmark", "mark or unmark the ticket (s, p, a, t, z then change every marked one)";
    MarkAll => "mark_all", "Mark all listed", "mark every ticket listed (a filter's results), or unmark all";
    NewTicket => "new_ticket", "New ticket", "open a new ticket: a customer (picked, or a new address), a subject and a first message";
    SaveAttachment => "save_attachment", "Save an attachment", "save an attachment of the conversation (by its number) to the download folder";
    OpenAttachment => "open_attachment", "Open an attachment", "open an attachment of the conversation (by its number) with the system's opener";
    DeleteTicket => "delete_ticket", "Delete the ticket", "delete the ticket with its conversation and history, after a y (admins)";
    MarkSpam => "spam", "Close as spam", "close the ticket as spam, tagged spam, after a y (admins)";
    Undo => "undo", "Undo my last change", "undo your last change made in this console (status, priority, owner, tags, snooze, rating, a ticket merge); again for the one before";
    AddCc => "add_cc", "Add a Cc", "add a Cc: line at the top of the reply, for addresses that get a copy";
    AddBcc => "add_bcc", "Add a Bcc", "add a Bcc: line at the top of the reply (a blind copy: not shown to the customer)";
    AttachFile => "attach_file", "Attach a file", "add an Attach: line at the top of the reply, for a file's path";
    Reports => "reports", "Reports", "how the desk is doing: volume, response times, SLA, CSAT, when customers write, per agent or group";
    ReportLonger => "report_longer", "Report: longer period", "reports screen: the next longer period (7 days, 30 days, 90 days, 12 months)";
    ReportShorter => "report_shorter", "Report: shorter period", "reports screen: the next shorter period";
    ReportGrouping => "report_grouping", "Report: next grouping", "reports screen: group the table by agent, tier, organization, tag, channel or priority, in turn";
    EditCustomer => "edit_customer", "Edit the customer", "edit the open ticket's customer: name, addresses, phone, organization, tier, tags, notes";
    EditOrganization => "edit_organization", "Edit the organization", "edit the open ticket's customer's organization: name, domains, tier, notes; for a customer in none, create one and put them in it";
    Agents => "agents", "Agents", "the desk's agents: set one's name, email, role and signature, deactivate or activate them (admins)";
}

//! The one list of named actions behind the key map, the `:` palette and the `?` help.

use serde::Serialize;

macro_rules! actions {
    ($($variant:ident => $name:literal, $desc:literal;)+) => {
        /// Something the agent can ask the console to do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum Action { $($variant),+ }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            /// The name used in the config's key tables and in the palette.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),+ }
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
    Quit => "quit", "close the top overlay, or quit";
    ForceQuit => "force_quit", "quit at once (drafts are kept)";
    Back => "back", "close or cancel; from the conversation, back to the queue";
    Help => "help", "show the key map";
    Palette => "palette", "run any action by name";
    Redraw => "redraw", "repaint the whole screen";
    Suspend => "suspend", "suspend to the shell (fg to return)";
    FocusNext => "focus_next", "next pane";
    FocusPrev => "focus_prev", "previous pane";
    FocusQueue => "focus_queue", "go to the queue";
    FocusConversation => "focus_conversation", "go to the conversation";
    FocusProfile => "focus_profile", "go to the customer profile";
    ToggleProfile => "toggle_profile", "show or hide the customer profile";
    SelectNext => "select_next", "next ticket / scroll down";
    SelectPrev => "select_prev", "previous ticket / scroll up";
    SelectFirst => "select_first", "first ticket / top";
    SelectLast => "select_last", "last ticket / bottom";
    PageDown => "page_down", "half a page down";
    PageUp => "page_up", "half a page up";
    Open => "open", "open the selected ticket";
    ViewMine => "view_mine", "queue: tickets assigned to me";
    ViewUnassigned => "view_unassigned", "queue: tickets nobody has taken";
    ViewOpen => "view_open", "queue: every ticket not yet solved";
    ViewAll => "view_all", "queue: every ticket";
    ViewNext => "view_next", "next queue tab";
    Filter => "filter", "filter the queue as you type (fuzzy)";
    Search => "search", "search every ticket's text (words, \"phrases\", prefix*, from: status: tag: …)";
    NextMatch => "next_match", "open the next ticket the filter or search found";
    PrevMatch => "prev_match", "open the previous ticket the filter or search found";
    ViewPrev => "view_prev", "previous queue tab";
    Reply => "reply", "write a reply to the customer";
    Note => "note", "write an internal note";
    Editor => "editor", "write the reply in $EDITOR";
    Send => "send", "send the reply or note";
    DiscardDraft => "discard_draft", "throw away the reply or note being written";
    SetStatus => "set_status", "change the ticket's status";
    SetPriority => "set_priority", "change the ticket's priority";
    Assign => "assign", "assign the ticket";
    TakeTicket => "take", "assign the ticket to me";
    Tags => "tags", "add or remove tags";
    Snooze => "snooze", "snooze the ticket: it leaves the queue and comes back marked due";
    Rate => "rate", "record the customer's CSAT (solved tickets) or NPS answer";
    InsertMacro => "insert_macro", "insert a canned reply into the composer";
    EditNotes => "edit_notes", "edit the customer's notes in $EDITOR";
    MergeTicket => "merge_ticket", "merge this ticket into another of the customer's (admins)";
    MergeCustomer => "merge_customer", "merge the open ticket's customer into another of the same name or address (admins)";
    SolveStale => "solve_stale", "solve the pending tickets whose customer has not answered for days";
    Copy => "copy", "copy the ticket's conversation to the clipboard (OSC 52, works over SSH)";
    SendSolved => "send_solved", "send the reply and solve the ticket, in one write";
    SendPending => "send_pending", "send the reply and set the ticket pending (waiting on the customer)";
    SendOnHold => "send_on_hold", "send the reply and put the ticket on hold";
    SendOpen => "send_open", "send the reply and keep the ticket open, whatever a canned reply sets";
    Mark => "mark", "mark or unmark the ticket (s, p, a, t, z then change every marked one)";
    MarkAll => "mark_all", "mark every ticket listed (a filter's results), or unmark all";
    // Daily work without leaving the console, and new mail noticed.
    NewTicket => "new_ticket", "open a new ticket: a customer (picked, or a new address), a subject and a first message";
    SaveAttachment => "save_attachment", "save an attachment of the conversation (by its number) to the download folder";
    OpenAttachment => "open_attachment", "open an attachment of the conversation (by its number) with the system's opener";
    DeleteTicket => "delete_ticket", "delete the ticket with its conversation and history, after a y (admins)";
    MarkSpam => "spam", "close the ticket as spam, tagged spam, after a y (admins)";
}

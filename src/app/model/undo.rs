//! What `u` can undo: the agent's own changes made in this console, each as the ticket and the
//! version its write left, newest last. An undo is checked against that version, so a change
//! someone made since is never undone by `u`.

/// Changes kept; older ones drop off.
const KEPT: usize = 50;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UndoStack {
    changes: Vec<Change>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Change {
    ticket: i64,
    /// The version its undo is checked against: the one the write left, or the one an undo of
    /// the agent's next change left.
    check: i64,
    /// The version the write left.
    left: i64,
}

impl UndoStack {
    /// The agent's write left `ticket` at `version`.
    pub fn push(&mut self, ticket: i64, version: i64) {
        if self.changes.last().is_some_and(|c| c.ticket == ticket && c.left == version) {
            return; // the same write answered twice
        }
        self.changes.push(Change { ticket, check: version, left: version });
        if self.changes.len() > KEPT {
            self.changes.remove(0);
        }
    }

    /// The change `u` undoes next: its ticket and the version to check against.
    pub fn last(&self) -> Option<(i64, i64)> {
        self.changes.last().map(|c| (c.ticket, c.check))
    }

    /// The change checked against `version` on `ticket` was undone, which left it at `now`. The
    /// agent's change before it on that ticket, if nobody wrote between the two, is what the
    /// ticket is back to: it is undone next, checked against `now`.
    pub fn undone(&mut self, ticket: i64, version: i64, now: i64) {
        let Some(done) = self.take(ticket, version) else { return };
        if let Some(earlier) = self.changes.iter_mut().rev().find(|c| c.ticket == ticket) {
            if earlier.left == done.left - 1 {
                earlier.check = now;
            }
        }
    }

    /// The change checked against `version` on `ticket` can no longer be undone.
    pub fn forget(&mut self, ticket: i64, version: i64) {
        self.take(ticket, version);
    }

    fn take(&mut self, ticket: i64, version: i64) -> Option<Change> {
        let i = self.changes.iter().rposition(|c| c.ticket == ticket && c.check == version)?;
        Some(self.changes.remove(i))
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undoing_walks_back_through_one_tickets_changes_in_turn() {
        let mut stack = UndoStack::default();
        stack.push(12, 2);
        stack.push(7, 5);
        stack.push(12, 3);
        assert_eq!(stack.last(), Some((12, 3)));
        stack.undone(12, 3, 4);
        assert_eq!(stack.last(), Some((7, 5)));
        stack.forget(7, 5);
        assert_eq!(stack.last(), Some((12, 4)), "the change before, checked against the undo's version");
    }

    #[test]
    fn three_changes_in_a_row_are_undone_in_turn() {
        let mut stack = UndoStack::default();
        for v in 2..=4 {
            stack.push(12, v);
        }
        stack.undone(12, 4, 5);
        assert_eq!(stack.last(), Some((12, 5)));
        stack.undone(12, 5, 6);
        assert_eq!(stack.last(), Some((12, 6)));
        stack.undone(12, 6, 7);
        assert!(stack.is_empty());
    }

    #[test]
    fn a_write_by_someone_else_between_keeps_the_older_change_checked_against_its_own_version() {
        let mut stack = UndoStack::default();
        stack.push(12, 2);
        stack.push(12, 4); // someone wrote version 3
        stack.undone(12, 4, 5);
        assert_eq!(stack.last(), Some((12, 2)), "so its undo is a conflict, not a silent overwrite");
    }

    #[test]
    fn only_the_last_fifty_changes_are_kept() {
        let mut stack = UndoStack::default();
        for v in 0..60 {
            stack.push(1, v);
        }
        stack.push(1, 59);
        assert_eq!(stack.changes.len(), KEPT);
        assert_eq!(stack.changes[0].left, 10);
    }
}

//! The `/` filter on a tab too large to hold in memory (All, Closed on a big desk): its newest
//! tickets are matched in memory as a small tab's are, and the rest through the trigram index,
//! whose hits are scored by the same matcher. Memory stays bounded at any desk size.
//!
//! What the agent sees: among the tab's newest tickets ([`WINDOW`] of them) a word matches scattered
//! (`rfnd` finds "Refund"), as on a small tab; beyond them a word of three letters or more is
//! found as written, anywhere in the number, subject, customer name or address. A query of one
//! or two letters looks at the newest tickets only. The count reads "≥ N" when there may be more.

use super::filter::{Candidates, Matcher};
use crate::domain::fuzzy::{fold, Query};
use crate::domain::TicketFilter;
use crate::store::Store;
use std::collections::HashSet;

/// The newest tickets of a large tab kept in memory (about 0.4 MB).
pub const WINDOW: usize = 5_000;
/// Index hits read per keystroke: past the window, the newest of them are scored.
pub const INDEX_HITS: usize = 500;

/// A large tab's filter state, kept between keystrokes.
pub struct LargeTab {
    pub filter: TicketFilter,
    window: Candidates,
    seen: HashSet<i64>,
    matcher: Matcher,
}

/// What one keystroke found, best first.
pub struct Found {
    pub ids: Vec<i64>,
    /// The index gave every ticket of the tab holding each word as written, and they are all
    /// among `ids` (else the count reads "≥").
    pub complete: bool,
}

impl LargeTab {
    /// The tab's newest `window` tickets, for matching in memory.
    pub fn load(store: &Store, filter: &TicketFilter, window: usize) -> crate::store::Result<LargeTab> {
        let window = {
            let mut newest = Candidates::default();
            store.filter_window(filter, window, &mut |id, text| newest.push(id, text))?;
            newest
        };
        let seen = window.ids.iter().copied().collect();
        Ok(LargeTab { filter: filter.clone(), window, seen, matcher: Matcher::default() })
    }

    /// The tickets `text` matches, or `None` when `cancelled` became true on the way.
    pub fn run(
        &mut self,
        store: &Store,
        text: &str,
        cancelled: &dyn Fn() -> bool,
    ) -> crate::store::Result<Option<Found>> {
        let query = Query::new(text);
        let Some(in_window) = self.matcher.run(&self.window, text, cancelled) else { return Ok(None) };
        let needles = query.index_needles();
        if query.is_empty() || needles.is_empty() {
            let ids = in_window.iter().map(|&i| self.window.ids[i as usize]).collect();
            return Ok(Some(Found { ids, complete: false }));
        }
        if cancelled() {
            return Ok(None);
        }
        let mut hits = Vec::new();
        let more = store.filter_index_hits(&self.filter, &needles, INDEX_HITS, &mut |hit| {
            if self.seen.contains(&hit.id) {
                return;
            }
            if let Some(score) = query.score(fold(&hit.text).as_bytes()) {
                hits.push((score, hit.updated_at, hit.id));
            }
        })?;
        // Equal scores keep the tab's order: the window's tickets are newer than any hit.
        hits.sort_unstable_by_key(|h| std::cmp::Reverse((h.1, h.2)));
        let mut ranked: Vec<(u32, usize, i64)> = in_window
            .iter()
            .filter_map(|&i| {
                let score = query.score(self.window.text(i as usize))?;
                Some((score, i as usize, self.window.ids[i as usize]))
            })
            .collect();
        let after = self.window.len();
        ranked.extend(hits.iter().enumerate().map(|(n, &(score, _, id))| (score, after + n, id)));
        ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let as_written = needles.len() == query.word_count() && !more;
        let complete = as_written && store.filter_index_complete()?;
        Ok(Some(Found { ids: ranked.into_iter().map(|(_, _, id)| id).collect(), complete }))
    }
}

//! Narrowing the queue: the `/` filter (as the agent types, matched off the input thread) and
//! full-text search (on Enter). Both show their results in the queue pane until Esc.

use crate::app::model::action::Action;
use crate::app::model::key::{KeyCode, KeyEvent};
use crate::app::model::keymap::Context;
use crate::app::model::message::Effect;
use crate::app::model::state::{Findings, Pane, Prompt, PromptKind, State};
use crate::domain::fuzzy::Query;
use crate::domain::search::SearchQuery;
use crate::domain::Ticket;
use std::sync::Arc;

/// Rows of results loaded at a time.
pub const PAGE: usize = 200;

pub fn start(state: &mut State, kind: PromptKind) -> Vec<Effect> {
    let text = state.findings.as_ref().filter(|n| n.kind == kind).map(|n| n.text.clone()).unwrap_or_default();
    state.prompt = Some(Prompt { kind, input: tui_input::Input::new(text) });
    state.focus = Pane::Queue;
    match kind {
        // Start loading the tab's tickets for matching while the agent types the first letter.
        PromptKind::Filter if !matches!(&state.findings, Some(n) if n.kind == PromptKind::Filter) => {
            refilter(state, "")
        }
        _ => vec![],
    }
}

pub fn on_key(state: &mut State, event: KeyEvent) -> Vec<Effect> {
    let Some(prompt) = state.prompt.as_mut() else { return vec![] };
    let kind = prompt.kind;
    match event.code {
        KeyCode::Esc => {
            state.prompt = None;
            clear(state)
        }
        KeyCode::Enter => match kind {
            PromptKind::Filter => {
                state.prompt = None;
                if state.findings.as_ref().is_some_and(|n| n.text.trim().is_empty()) {
                    return clear(state);
                }
                let mut keys = state.keymap.naming(Context::Filtered);
                let text = format!(
                    "filter kept: {}/{} open the next/previous match, {} shows the whole tab",
                    keys.key(Action::NextMatch),
                    keys.key(Action::PrevMatch),
                    keys.key(Action::Back)
                );
                let named = keys.named();
                state.set_status_naming(text, named);
                vec![]
            }
            PromptKind::Search => search(state),
            PromptKind::Report => vec![],
        },
        KeyCode::Down => crate::app::update::navigation::move_by(state, 1),
        KeyCode::Up => crate::app::update::navigation::move_by(state, -1),
        _ => {
            let before = prompt.input.value().to_string();
            if let Some(edit) = event.line_edit() {
                prompt.input.handle(edit);
            }
            let text = prompt.input.value().to_string();
            if kind == PromptKind::Filter && text != before {
                return refilter(state, &text);
            }
            vec![]
        }
    }
}

pub fn on_paste(state: &mut State, pasted: &str) -> Vec<Effect> {
    let Some(prompt) = state.prompt.as_mut() else { return vec![] };
    let line = crate::app::model::text::pasted_line(pasted);
    let text = format!("{}{line}", prompt.input.value());
    prompt.input = tui_input::Input::new(text.clone());
    match prompt.kind {
        PromptKind::Filter => refilter(state, &text),
        PromptKind::Search | PromptKind::Report => vec![],
    }
}

/// Ask the worker to match `text`; the queue keeps its rows until the answer comes.
fn refilter(state: &mut State, text: &str) -> Vec<Effect> {
    state.generation += 1;
    let generation = state.generation;
    let findings = match state.findings.as_mut() {
        Some(n) if n.kind == PromptKind::Filter => n,
        _ => state.findings.insert(Findings::new(PromptKind::Filter, generation)),
    };
    findings.generation = generation;
    findings.text = text.to_string();
    findings.query = Query::new(text);
    findings.working = true;
    vec![Effect::Filter { generation, view: state.view, query: text.to_string() }]
}

fn search(state: &mut State) -> Vec<Effect> {
    let Some(prompt) = state.prompt.as_ref() else { return vec![] };
    let text = prompt.input.value().trim().to_string();
    if text.is_empty() {
        state.prompt = None;
        return clear(state);
    }
    match SearchQuery::parse(&text, state.zone) {
        Err(problem) => {
            // The prompt stays open so the mistake can be fixed.
            state.set_error(problem);
            vec![]
        }
        Ok(_) => {
            state.prompt = None;
            state.generation += 1;
            let generation = state.generation;
            let mut findings = Findings::new(PromptKind::Search, generation);
            findings.text = text.clone();
            findings.working = true;
            state.findings = Some(findings);
            state.status = None;
            vec![Effect::Search { generation, text }]
        }
    }
}

/// Back to the whole tab.
pub fn clear(state: &mut State) -> Vec<Effect> {
    if state.findings.take().is_none() {
        return vec![];
    }
    // What the status line said about the results is over with them.
    state.status = None;
    state.generation += 1;
    state.queue.loading = true;
    state.queue.has_more = false;
    vec![Effect::LoadQueue { view: state.view, after: None }]
}

/// The filter's answer; `looked_at` is how many tickets the tab has and whether every match is in `ids`.
pub fn on_matched(
    state: &mut State,
    generation: u64,
    ids: Option<Arc<[i64]>>,
    looked_at: (usize, bool),
) -> Vec<Effect> {
    let (total, complete) = looked_at;
    let (Some(findings), Some(ids)) = (state.findings.as_mut(), ids) else { return vec![] };
    if findings.generation != generation {
        return vec![];
    }
    findings.working = false;
    findings.total = Some(total);
    findings.complete = complete;
    let first: Vec<i64> = ids.iter().take(PAGE).copied().collect();
    findings.ids = Some(ids);
    findings.fresh = true;
    vec![Effect::LoadFoundRows { generation, ids: first, append: false }]
}

pub fn on_rows(state: &mut State, generation: u64, rows: Vec<Ticket>, append: bool) -> Vec<Effect> {
    let Some(findings) = state.findings.as_ref() else { return vec![] };
    if findings.generation != generation {
        return vec![];
    }
    let found = findings.ids.as_ref().map_or(0, |ids| ids.len());
    let fresh = findings.fresh && !append;
    let queue = &mut state.queue;
    queue.loading = false;
    if append {
        queue.rows.extend(rows);
    } else {
        // A reload after a write keeps the cursor on its ticket; new results start at the top.
        let still_selected = queue.selected_ticket().map(|t| t.id).filter(|_| !findings.working && !fresh);
        queue.rows = rows;
        queue.selected = still_selected.and_then(|id| queue.rows.iter().position(|t| t.id == id)).unwrap_or(0);
        if still_selected.is_none() {
            queue.offset = 0;
        }
    }
    queue.has_more = queue.rows.len() < found;
    if let Some(findings) = state.findings.as_mut().filter(|_| fresh) {
        findings.fresh = false;
    }
    crate::app::update::navigation::scroll_to_selection(state);
    vec![]
}

pub fn on_search_done(
    state: &mut State,
    generation: u64,
    result: Result<crate::domain::search::SearchResults, String>,
) -> Vec<Effect> {
    let Some(findings) = state.findings.as_mut().filter(|n| n.generation == generation) else { return vec![] };
    findings.working = false;
    match result {
        Err(problem) => {
            let effects = clear(state);
            state.set_error(problem);
            effects
        }
        Ok(results) => {
            findings.note = if results.stopped_early {
                Some("the search stopped early: older tickets may match too; refine your search".into())
            } else if results.unindexed > 0 {
                Some(format!("{} tickets are not indexed yet and were not searched", results.unindexed))
            } else if results.more {
                Some(format!("the newest {} matches: refine your search for older ones", results.tickets.len()))
            } else {
                None
            };
            let ids: Arc<[i64]> = results.tickets.iter().map(|t| t.id).collect();
            findings.total = None;
            findings.ids = Some(ids);
            if let Some(note) = findings.note.clone() {
                state.set_status(note);
            } else {
                let n = results.tickets.len();
                let found = if n == 1 { "1 ticket found".to_string() } else { format!("{n} tickets found") };
                let mut keys = state.keymap.naming(Context::Filtered);
                let text = format!(
                    "{found} · {} opens · {}/{} step through · {} ends the search",
                    keys.key(Action::Open),
                    keys.key(Action::NextMatch),
                    keys.key(Action::PrevMatch),
                    keys.key(Action::Back)
                );
                let named = keys.named();
                state.set_status_naming(text, named);
            }
            let queue = &mut state.queue;
            queue.rows = results.tickets;
            queue.selected = 0;
            queue.offset = 0;
            queue.has_more = false;
            queue.loading = false;
            vec![]
        }
    }
}

/// The next page of results, when the cursor nears the end of what is loaded.
pub fn next_page(state: &mut State) -> Option<Effect> {
    let findings = state.findings.as_ref()?;
    let ids = findings.ids.as_ref()?;
    let loaded = state.queue.rows.len();
    let page: Vec<i64> = ids.iter().skip(loaded).take(PAGE).copied().collect();
    if page.is_empty() {
        return None;
    }
    state.queue.loading = true;
    Some(Effect::LoadFoundRows { generation: findings.generation, ids: page, append: true })
}

/// Next or previous match (`Ctrl-n`/`Ctrl-p`): move to that result and open it.
pub fn step(state: &mut State, delta: isize) -> Vec<Effect> {
    if state.findings.is_none() {
        state.set_status("no filter or search results to step through");
        return vec![];
    }
    // From the conversation too: the cursor moves in the queue, the pane that has focus keeps it.
    let focus = std::mem::replace(&mut state.focus, Pane::Queue);
    let mut effects = crate::app::update::navigation::move_by(state, delta);
    state.focus = focus;
    if let Some(ticket) = state.queue.selected_ticket() {
        effects.push(Effect::LoadTicket(ticket.id));
    }
    effects
}

/// After a write, reload the result rows shown (their status or owner may have changed).
pub fn refresh(state: &State) -> Option<Effect> {
    let findings = state.findings.as_ref()?;
    let ids = state.queue.rows.iter().map(|t| t.id).collect();
    Some(Effect::LoadFoundRows { generation: findings.generation, ids, append: false })
}

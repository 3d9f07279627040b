//! The reports screen: opened over the queue (which stays as it was), a period and a grouping to
//! step through, each change read again on the report worker; Enter opens a group's tickets in
//! the queue, and Esc from them comes back here.

use crate::app::model::action::Action;
use crate::app::model::message::Effect;
use crate::app::model::reports::{group_tickets, period_label, ReportsScreen, GROUPINGS, PERIODS};
use crate::app::model::state::{Findings, Pane, PromptKind, QueueState, State};
use crate::domain::report::Report;
use std::sync::Arc;

/// `g r`: show the screen (as it was left when coming back from a group's tickets) and read it.
pub fn open(state: &mut State) -> Vec<Effect> {
    let screen = state.reports.take().unwrap_or_default();
    state.reports = Some(screen);
    state.prompt = None;
    state.status = None;
    read(state)
}

/// Ask the worker for the report the screen names now; what is shown stays until it comes.
fn read(state: &mut State) -> Vec<Effect> {
    state.generation += 1;
    let generation = state.generation;
    let Some(screen) = state.reports.as_mut() else { return vec![] };
    screen.generation = generation;
    screen.loading = true;
    screen.error = None;
    vec![Effect::LoadReport { generation, last: screen.last(), by: screen.by() }]
}

/// What an action does while the screen is shown; `None`: what it does anywhere (quit, help…).
pub fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let screen = state.reports.as_mut()?;
    let rows = screen.rows().len();
    let effects = match action {
        Action::Back | Action::Quit => close(state),
        Action::Reports => read(state),
        Action::SelectNext => step(screen, 1, rows),
        Action::SelectPrev => step(screen, -1, rows),
        Action::SelectFirst => step(screen, isize::MIN / 2, rows),
        Action::SelectLast => step(screen, isize::MAX / 2, rows),
        Action::ReportLonger | Action::ReportShorter => {
            let longer = action == Action::ReportLonger;
            let next = if longer { screen.period + 1 } else { screen.period.wrapping_sub(1) };
            if next >= PERIODS.len() {
                let (end, label) = (if longer { "longest" } else { "shortest" }, period_label(screen.last()));
                state.set_status(format!("{label} is the {end} period"));
                return Some(vec![]);
            }
            screen.period = next;
            read(state)
        }
        Action::ReportGrouping => {
            screen.grouping = (screen.grouping + 1) % GROUPINGS.len();
            screen.selected = 0;
            read(state)
        }
        Action::Open => open_group(state),
        Action::ForceQuit | Action::Help | Action::Palette | Action::Redraw | Action::Suspend => return None,
        _ => {
            let back = state.keymap.hint_for(crate::app::model::keymap::Context::Reports, Action::Back);
            let back = back.unwrap_or_else(|| ":back".into());
            state.set_status(format!("{} is not on the reports screen: {back} goes back to the queue", action.title()));
            vec![]
        }
    };
    Some(effects)
}

fn step(screen: &mut ReportsScreen, delta: isize, rows: usize) -> Vec<Effect> {
    let last = rows.saturating_sub(1) as isize;
    screen.selected = (screen.selected as isize).saturating_add(delta).clamp(0, last.max(0)) as usize;
    vec![]
}

/// Back to the queue, exactly where it was (the screen never touched it).
fn close(state: &mut State) -> Vec<Effect> {
    state.reports = None;
    state.status = None;
    vec![]
}

/// Enter on a row: the group's tickets of the period as the queue's results.
fn open_group(state: &mut State) -> Vec<Effect> {
    let Some(screen) = state.reports.as_ref() else { return vec![] };
    let Some(section) = screen.selected_row() else {
        state.set_status("no group to open: the report has no rows");
        return vec![];
    };
    let ids: Arc<[i64]> = group_tickets(section).into();
    if ids.is_empty() {
        state.set_status("no tickets behind this row in the period");
        return vec![];
    }
    let text = format!("{} {} · {}", screen.by().as_str(), section.key, period_label(screen.last()));
    let Some(screen) = state.reports.take() else { return vec![] };
    state.generation += 1;
    let generation = state.generation;
    let mut findings = Findings::new(PromptKind::Report, generation);
    findings.text = text;
    findings.total = Some(ids.len());
    findings.fresh = true;
    let first: Vec<i64> = ids.iter().take(crate::app::update::find::PAGE).copied().collect();
    findings.ids = Some(ids);
    state.findings = Some(findings);
    state.reports_behind = Some((generation, screen, state.queue.clone()));
    state.focus = Pane::Queue;
    state.queue.loading = true;
    let mut keys = state.keymap.naming(crate::app::model::keymap::Context::Filtered);
    let said = format!("{} opens a ticket · {} back to the report", keys.key(Action::Open), keys.key(Action::Back));
    let named = keys.named();
    state.set_status_naming(said, named);
    vec![Effect::LoadFoundRows { generation, ids: first, append: false }]
}

/// Esc on a group's tickets opened from the screen: back to the screen as it was, read again.
pub fn back_to_screen(state: &mut State) -> Option<Vec<Effect>> {
    let generation = state.findings.as_ref().map(|f| f.generation)?;
    if state.focus != Pane::Queue || !state.marked.is_empty() || state.composer.is_some() {
        return None;
    }
    state.reports_behind.as_ref().filter(|(g, _, _)| *g == generation)?;
    let (_, screen, queue) = state.reports_behind.take()?;
    let mut effects = crate::app::update::find::clear(state);
    // The tab's rows as they were, so its reload keeps the cursor on the ticket it was on.
    state.queue = QueueState { loading: true, ..queue };
    state.reports = Some(screen);
    effects.extend(read(state));
    Some(effects)
}

pub fn on_loaded(state: &mut State, generation: u64, result: Result<Box<Report>, String>) -> Vec<Effect> {
    let Some(screen) = state.reports.as_mut().filter(|s| s.generation == generation) else { return vec![] };
    screen.loading = false;
    match result {
        Ok(report) => {
            screen.report = Some(report);
            let rows = screen.rows().len();
            screen.selected = screen.selected.min(rows.saturating_sub(1));
        }
        Err(problem) => {
            screen.error = Some(problem.clone());
            state.set_error(format!("the report could not be read: {problem}"));
        }
    }
    vec![]
}

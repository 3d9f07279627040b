//! Pending tickets the customer left unanswered for days: the agent's own are offered for solving
//! when the console opens; `solve_stale` asks first, showing how many and whose, the agent's own
//! by default and everyone's as a second answer.

use crate::app::model::message::Effect;
use crate::app::model::overlay::{Choice, Item, Question};
use crate::app::model::state::State;
use crate::domain::text::for_display_line;
use crate::domain::Timestamp;

/// The agent's pending tickets whose customer has not answered for `days`: offer to solve them
/// (once the console opens), or say how many were solved.
pub fn on_stale(state: &mut State, count: usize, days: u32, solved: bool) -> Vec<Effect> {
    let tickets = if count == 1 { "ticket" } else { "tickets" };
    if solved {
        state.set_status(format!("solved {count} pending {tickets} the customer left unanswered for {days} days"));
        return vec![Effect::LoadCounts, Effect::ReloadQueue { view: state.view, rows: state.queue.rows.len() }];
    }
    if count > 0 && state.status.is_none() {
        // Short enough for an 80-column status line, with the command to run.
        state.set_status(format!("{count} pending {tickets} of yours unanswered {days}+ days (:solve_stale)"));
    }
    vec![]
}

/// `:solve_stale`: the question, `solve 12 pending tickets unanswered 7+ days (yours: 12)? y/N`,
/// with everyone's as a second answer (`a  all 928: bob 400, ana 300, nobody 228`).
pub fn ask(state: &mut State, before: Timestamp, days: u32, owners: &[(Option<String>, u64)]) -> Vec<Effect> {
    let me = state.agent.login.clone();
    let mine = owners.iter().find(|(o, _)| o.as_deref() == Some(me.as_str())).map_or(0, |(_, n)| *n);
    let all: u64 = owners.iter().map(|(_, n)| n).sum();
    if all == 0 {
        state.set_status(format!("no pending ticket has waited {days} days for the customer; nothing to solve"));
        return vec![];
    }
    let solve = |owner: Option<String>| vec![Effect::SolveStale { before, owner }];
    let said = |n: u64| format!("solving {n} pending {}…", plural(n));
    let whose: Vec<String> = owners
        .iter()
        .map(|(o, n)| format!("{} {n}", o.as_deref().map_or("nobody".into(), |o| for_display_line(o).into_owned())))
        .collect();
    let everyone = Item::new(
        format!("a  all {all}: {}", whose.join(", ")),
        String::new(),
        Choice::Do { effects: solve(None), said: said(all) },
    );
    let (title, mut answers) = if mine > 0 {
        let title = format!("solve {mine} pending {} unanswered {days}+ days (yours: {mine})? y/N", plural(mine));
        (title, vec![super::confirm::yes(format!("solve your {mine}"), solve(Some(me)), said(mine))])
    } else {
        (format!("none of yours is pending unanswered {days}+ days; solve all agents' {all}? a/N"), vec![])
    };
    answers.extend([everyone, super::confirm::no()]);
    super::confirm::ask_question(state, Question { title, answers });
    vec![]
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        "ticket"
    } else {
        "tickets"
    }
}

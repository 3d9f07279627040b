//! The ticket commands' customer care: SLA policies, canned replies, surveys, stale pending tickets,
//! and the settings they take from the config and its folder.

use super::CliError;
use crate::config::{find_macro, load_macros, CannedReply, Config, Paths};
use crate::domain::sla::Policies;
use crate::domain::template::{render, Context};
use crate::domain::text::for_display_line;
use crate::domain::{Agent, Status, TicketChange};
use crate::mail::outbound::Outbound;
use crate::store::Store;
use std::path::PathBuf;

/// Settings the ticket commands take from the config and its folder.
pub struct CareSettings {
    pub policies: Policies,
    /// Where the agents' own canned replies are: `macros/` beside the config file.
    pub macros_dir: PathBuf,
    pub sla: Option<crate::config::SlaConfig>,
    /// Days a pending ticket waits for the customer before it is offered for solving.
    pub stale_days: u32,
    /// The config's `[[views]]`, for `ticket list --view`.
    pub views: Vec<crate::config::ViewConfig>,
    /// The rules an agent's reply or a status change fires.
    pub rules: Vec<crate::domain::rules::Rule>,
}

impl CareSettings {
    pub fn new(config: &Config, paths: &Paths) -> CareSettings {
        let folder = paths.config.parent().map(|p| p.to_path_buf()).unwrap_or_default();
        CareSettings {
            policies: config.sla_policies(),
            macros_dir: folder.join("macros"),
            sla: config.sla.clone(),
            stale_days: config.stale_days(),
            views: config.views.clone(),
            rules: config.rule_set.rules.clone(),
        }
    }

    /// Steps a customer's tier raises their new tickets' priority (`[sla.raise_priority]`).
    pub fn priority_raise(&self, tier: crate::domain::Tier) -> u8 {
        self.sla.as_ref().map(|s| s.priority_raise(tier)).unwrap_or(0)
    }

    pub fn macros(&self) -> Vec<CannedReply> {
        let (macros, problems) = load_macros(&self.macros_dir);
        for problem in problems {
            tracing::warn!(%problem, "canned replies");
        }
        macros
    }
}

/// `ticket stale [--solve]`: pending tickets the customer left unanswered, offered for solving.
pub fn stale(
    store: &Store,
    agent: &Agent,
    settings: &CareSettings,
    outbound: Option<&Outbound>,
    (solve, json): (bool, bool),
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let days = settings.stale_days;
    let before = chrono::Utc::now() - chrono::Duration::days(i64::from(days));
    if json {
        let mut tickets = match solve {
            true => store.solve_stale_pending(before, None, &agent.login)?,
            false => store.stale_pending(before)?,
        };
        if solve {
            // What the rules did goes to stderr; the tickets are shown as they left them.
            for t in &mut tickets {
                run_rules(store, settings, outbound, (t.id, false, Status::Pending), &mut std::io::stderr())?;
                *t = store.ticket(t.id)?;
            }
        }
        let shown: Result<Vec<_>, CliError> =
            tickets.iter().map(|t| super::ticket_json::ticket(store, &settings.policies, t)).collect();
        super::output::write_json(out, &shown?)?;
        for t in tickets.iter().filter(|_| solve) {
            survey_if_solved(store, settings, outbound, t.id, Status::Pending, &mut std::io::stderr())?;
        }
        return Ok(());
    }
    if solve {
        let solved = store.solve_stale_pending(before, None, &agent.login)?;
        if solved.is_empty() {
            writeln!(out, "no pending ticket has waited {days} days for the customer")?;
        }
        for t in &solved {
            writeln!(out, "solved #{} {}", t.id, crate::domain::text::for_display_line(&t.subject))?;
            run_rules(store, settings, outbound, (t.id, false, Status::Pending), out)?;
            survey_if_solved(store, settings, outbound, t.id, Status::Pending, out)?;
        }
        return Ok(());
    }
    let tickets = store.stale_pending(before)?;
    if tickets.is_empty() {
        writeln!(out, "no pending ticket has waited {days} days for the customer")?;
        return Ok(());
    }
    for t in &tickets {
        let subject = crate::domain::text::for_display_line(&t.subject);
        writeln!(
            out,
            "#{} {subject} (pending since {})",
            t.id,
            crate::domain::when::agent_zone().format(t.updated_at, "%Y-%m-%d")
        )?;
    }
    writeln!(
        out,
        "{} pending for {days} days or more; solve them with: frontdesk ticket stale --solve",
        tickets.len()
    )?;
    Ok(())
}

/// When `[sla] csat_survey` is on and the ticket just became solved, mail the customer the survey.
/// A failed delivery is reported, not an error: the ticket is solved either way.
pub fn survey_if_solved(
    store: &Store,
    settings: &CareSettings,
    outbound: Option<&Outbound>,
    id: i64,
    before: crate::domain::Status,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let wanted = settings.sla.as_ref().is_some_and(|s| s.csat_survey);
    let (Some(outbound), true) = (outbound, wanted) else { return Ok(()) };
    if before == Status::Solved || store.ticket(id)?.status != Status::Solved {
        return Ok(());
    }
    match crate::mail::survey::send_survey(outbound, store, id) {
        Ok(()) => writeln!(out, "mailed the customer a satisfaction survey for #{id}")?,
        Err(e) => writeln!(out, "the satisfaction survey for #{id} was not mailed: {}", for_display_line(&e))?,
    }
    Ok(())
}

/// The canned reply `name` rendered for ticket `id`, with what it changes; refused before anything is sent.
pub fn macro_reply(
    store: &Store,
    agent: &Agent,
    settings: &CareSettings,
    id: i64,
    name: &str,
) -> Result<(String, TicketChange), CliError> {
    let macros = settings.macros();
    let reply = find_macro(&macros, name).ok_or_else(|| {
        let names = macros.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ");
        CliError::Refused(format!("no canned reply is called '{name}'; there are: {names}"))
    })?;
    let detail = store.ticket_detail(id)?;
    let context = Context::new(&detail.customer, &detail.ticket, agent);
    let body = render(&reply.body, &context)
        .map_err(|e| CliError::Refused(format!("canned reply '{}' was not sent: {e}", reply.name)))?;
    let change = reply.change(&agent.login).map_err(CliError::Refused)?;
    Ok((body, change))
}

/// The rules an agent's public reply (`replied`) and a status change since `before` fire on
/// ticket `id`, after the change was stored; one line each on `out` says what they did (it is in
/// the ticket's history too).
pub fn run_rules(
    store: &Store,
    settings: &CareSettings,
    outbound: Option<&Outbound>,
    (id, replied, before): (i64, bool, crate::domain::Status),
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let fired = rules_of(settings, outbound).after_agent(store, id, replied, before)?;
    say_fired(&fired, out)
}

/// The rules of the settings, their canned replies mailed by `outbound`.
pub fn rules_of<'a>(settings: &'a CareSettings, outbound: Option<&Outbound<'a>>) -> crate::mail::rules::Rules<'a> {
    let outbound = outbound.map(|o| Outbound { mail: o.mail, outbound: o.outbound, data_dir: o.data_dir.clone() });
    crate::mail::rules::Rules { rules: &settings.rules, outbound }
}

/// One line for each rule that fired.
pub fn say_fired(fired: &[crate::mail::rules::Fired], out: &mut dyn std::io::Write) -> Result<(), CliError> {
    for f in fired {
        writeln!(out, "{}", for_display_line(&f.sentence()))?;
    }
    Ok(())
}

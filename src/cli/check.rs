//! `frontdesk check` and `frontdesk backup PATH`.

use super::CliError;
use crate::config::Config;
use crate::domain::report::Rules;
use crate::store::Store;
use std::io::Write;
use std::path::Path;

/// SQLite's integrity check and our invariants, and the kept report figures checked against the
/// tickets' events under the config's SLA rules: one sentence a problem.
fn problems(store: &Store, config: &Config) -> Result<Vec<String>, CliError> {
    let mut problems = store.check()?;
    let (policies, hours) = (config.sla_policies(), config.sla_hours());
    let rules = Rules { policies: &policies, default_hours: &hours, now: chrono::Utc::now() };
    let drift = store.report_facts_drift(&rules)?;
    if drift.wrong > 0 {
        problems.push(format!(
            "{} tickets' kept report figures differ from their events (frontdesk check --repair works them out again)",
            drift.wrong
        ));
    }
    if drift.missing > 0 {
        problems.push(format!(
            "{} tickets have no kept report figures (frontdesk check --repair works them out)",
            drift.missing
        ));
    }
    Ok(problems)
}

/// Run the checks of [`problems`]; any problem makes the command fail.
pub fn check(store: &Store, config: &Config, out: &mut dyn Write) -> Result<(), CliError> {
    let problems = problems(store, config)?;
    if problems.is_empty() {
        writeln!(
            out,
            "{}: ok (integrity, messages, search index, versions and events, audit log, kept counts, filter index, \
             organizations' domains, report figures)",
            store.path().display()
        )?;
        return Ok(());
    }
    for problem in &problems {
        writeln!(out, "problem: {problem}")?;
    }
    Err(CliError::Refused(format!("{} has {} problem(s); see above", store.path().display(), problems.len())))
}

/// What `check --repair` rebuilt, and how much of it was wrong.
#[derive(serde::Serialize)]
struct Repaired {
    counts_differed: usize,
    filter_entries_out_of_step: i64,
    organization_domains_differed: usize,
    search_words_missing: i64,
    report_figures_worked_out: usize,
    report_figures_wrong: usize,
    report_figures_missing: usize,
}

/// Rebuild the kept counts from the tickets and their tags, the filter index from the tickets, the
/// domains' index from the organizations, the search index's list of words from the index, and
/// the kept report figures from the tickets' events under the config's SLA rules.
fn rebuild(store: &Store, config: &Config) -> Result<Repaired, CliError> {
    let counts_differed = store.count_drift()?.len();
    store.rebuild_counts()?;
    let (wrong, orphans) = store.filter_index_drift()?;
    store.rebuild_filter_index()?;
    let organization_domains_differed = store.organization_domain_drift()?.len();
    store.rebuild_organization_domains()?;
    let search_words_missing = store.search_terms_missing()?;
    store.rebuild_search_terms()?;
    let (policies, hours) = (config.sla_policies(), config.sla_hours());
    let rules = Rules { policies: &policies, default_hours: &hours, now: chrono::Utc::now() };
    let drift = store.report_facts_drift(&rules)?;
    let report_figures_worked_out = store.rebuild_report_facts(&rules)?;
    Ok(Repaired {
        counts_differed,
        filter_entries_out_of_step: wrong + orphans,
        organization_domains_differed,
        search_words_missing,
        report_figures_worked_out,
        report_figures_wrong: drift.wrong,
        report_figures_missing: drift.missing,
    })
}

/// `check --repair`: [`rebuild`], one line each.
pub fn repair(store: &Store, config: &Config, out: &mut dyn Write) -> Result<(), CliError> {
    let done = rebuild(store, config)?;
    writeln!(out, "rebuilt the kept counts ({} cell(s) differed)", done.counts_differed)?;
    writeln!(out, "rebuilt the filter index ({} entry(ies) were out of step)", done.filter_entries_out_of_step)?;
    writeln!(
        out,
        "rebuilt the organizations' domain index ({} domain(s) differed)",
        done.organization_domains_differed
    )?;
    writeln!(out, "read the search index's words again ({} were missing from its list)", done.search_words_missing)?;
    writeln!(
        out,
        "worked out the report figures of {} ticket(s) again ({} were wrong, {} missing)",
        done.report_figures_worked_out, done.report_figures_wrong, done.report_figures_missing
    )?;
    Ok(())
}

/// `check --json`: the problems found (after the repair, with `--repair`); exit 1 when any.
pub fn check_json(store: &Store, config: &Config, repair: bool, out: &mut dyn Write) -> Result<(), CliError> {
    #[derive(serde::Serialize)]
    struct CheckJson {
        database: String,
        ok: bool,
        problems: Vec<String>,
        repaired: Option<Repaired>,
    }
    let repaired = if repair { Some(rebuild(store, config)?) } else { None };
    let problems = problems(store, config)?;
    let database = store.path().display().to_string();
    let n = problems.len();
    super::output::write_json(out, &CheckJson { database: database.clone(), ok: n == 0, problems, repaired })?;
    match n {
        0 => Ok(()),
        n => Err(CliError::Refused(format!("{database} has {n} problem(s)"))),
    }
}

/// `init --json`: the database, the first admin this run registered (else null), the group.
pub fn init_json(
    store: &Store,
    admin: Option<&crate::domain::Agent>,
    group: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    #[derive(serde::Serialize)]
    struct InitJson<'a> {
        database: String,
        first_admin: Option<super::output::AgentJson>,
        group: Option<&'a str>,
    }
    let first_admin = admin.map(super::output::AgentJson::from);
    super::output::write_json(out, &InitJson { database: store.path().display().to_string(), first_admin, group })
}

/// Copy the database to `to`, consistently, while other agents keep working.
/// `backup --json`: the copy made and what it holds.
#[derive(serde::Serialize)]
struct BackupJson {
    path: String,
    bytes: u64,
    tickets: i64,
    schema: i64,
}

pub fn backup(store: &Store, to: &Path, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let folder = to.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !folder.is_dir() {
        return Err(CliError::Refused(format!(
            "cannot back up to {}: the folder {} does not exist",
            to.display(),
            folder.display()
        )));
    }
    let made = store.backup_to(to)?;
    if json {
        let path = std::path::absolute(to).unwrap_or_else(|_| to.to_path_buf()).display().to_string();
        return super::output::write_json(
            out,
            &BackupJson { path, bytes: made.bytes, tickets: made.tickets, schema: made.schema },
        );
    }
    writeln!(out, "backed up {} to {}", store.path().display(), to.display())?;
    Ok(())
}

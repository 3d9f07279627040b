//! `frontdesk check` and `frontdesk backup PATH`.

use super::CliError;
use crate::store::Store;
use std::io::Write;
use std::path::Path;

/// Run SQLite's integrity check and our invariants; any problem makes the command fail.
pub fn check(store: &Store, out: &mut dyn Write) -> Result<(), CliError> {
    let problems = store.check()?;
    if problems.is_empty() {
        writeln!(
            out,
            "{}: ok (integrity, messages, search index, versions and events, audit log, kept counts, filter index)",
            store.path().display()
        )?;
        return Ok(());
    }
    for problem in &problems {
        writeln!(out, "problem: {problem}")?;
    }
    Err(CliError::Refused(format!("{} has {} problem(s); see above", store.path().display(), problems.len())))
}

/// Rebuild the kept counts from the tickets and their tags, and the filter index from the tickets.
pub fn repair(store: &Store, out: &mut dyn Write) -> Result<(), CliError> {
    let drift = store.count_drift()?.len();
    store.rebuild_counts()?;
    writeln!(out, "rebuilt the kept counts ({drift} cell(s) differed)")?;
    let (wrong, orphans) = store.filter_index_drift()?;
    store.rebuild_filter_index()?;
    writeln!(out, "rebuilt the filter index ({} entry(ies) were out of step)", wrong + orphans)?;
    Ok(())
}

/// Copy the database to `to`, consistently, while other agents keep working.
pub fn backup(store: &Store, to: &Path, out: &mut dyn Write) -> Result<(), CliError> {
    store.backup_to(to)?;
    writeln!(out, "backed up {} to {}", store.path().display(), to.display())?;
    Ok(())
}

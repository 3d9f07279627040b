//! `frontdesk customer import FILE.csv [--dry-run] [--json]`: customers from a spreadsheet, one a
//! line; every bad line is named with its reason and then nothing is written.

use super::output::write_json;
use super::CliError;
use crate::domain::text::for_display_line;
use crate::domain::{is_mail_address, tag_or_why, Agent, Tier};
use crate::store::{CustomerLine, LinePlan, Store};
use std::io::Write;
use std::path::Path;

/// The columns a header may name (any case; `emails` and `org` too).
const COLUMNS: &[&str] = &["name", "email", "phone", "organization", "tier", "tags", "notes"];

#[derive(Debug, serde::Serialize)]
struct ImportJson<'a> {
    dry_run: bool,
    lines: &'a [LinePlan],
    created: usize,
    changed: usize,
    unchanged: usize,
}

pub fn run(
    store: &Store,
    agent: &Agent,
    file: &Path,
    dry_run: bool,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let lines = read(file).map_err(|problems| refuse(file, problems))?;
    let planned = match dry_run {
        true => store.plan_customer_import(&lines)?,
        false => store.import_customers(&lines, &agent.login)?,
    };
    let plans = planned.map_err(|problems| refuse(file, problems))?;
    let count = |action: &str| plans.iter().filter(|p| p.action == action).count();
    let (created, changed, unchanged) = (count("created"), count("changed"), count("unchanged"));
    if json {
        return write_json(out, &ImportJson { dry_run, lines: &plans, created, changed, unchanged });
    }
    let (made, changes) = if dry_run { ("would make", "would change") } else { ("made", "changed") };
    for p in &plans {
        let name = for_display_line(&p.name);
        let org = p.new_organization.as_deref().map(|o| format!(" (and the organization {})", for_display_line(o)));
        match p.action {
            "created" => {
                writeln!(out, "line {}: {made} customer {} {name}{}", p.line, p.customer, org.unwrap_or_default())?
            }
            "changed" => writeln!(
                out,
                "line {}: {changes} customer {} {name}: {}{}",
                p.line,
                p.customer,
                for_display_line(&p.changes.join(", ")),
                org.unwrap_or_default()
            )?,
            _ => writeln!(out, "line {}: customer {} {name} unchanged", p.line, p.customer)?,
        }
    }
    let tail = if dry_run { "; a dry run: nothing was written" } else { "" };
    writeln!(out, "{} lines: {created} new, {changed} changed, {unchanged} unchanged{tail}", plans.len())?;
    Ok(())
}

/// Every problem on stderr, one a line, and one sentence for the command.
fn refuse(file: &Path, problems: Vec<String>) -> CliError {
    let mut err = std::io::stderr().lock();
    for p in &problems {
        let _ = writeln!(err, "{}: {}", file.display(), for_display_line(p));
    }
    let n = problems.len();
    CliError::Refused(format!(
        "nothing was imported: {n} {} to fix in {}",
        if n == 1 { "line" } else { "lines" },
        file.display()
    ))
}

/// The file's lines, checked, or one sentence per bad line.
pub fn read(file: &Path) -> Result<Vec<CustomerLine>, Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_path(file)
        .map_err(|e| vec![format!("cannot be read: {e}")])?;
    let headers = reader.headers().map_err(|e| vec![format!("line 1: {e}")])?.clone();
    let mut columns: Vec<&'static str> = Vec::new();
    let mut problems = Vec::new();
    for header in headers.iter() {
        let name = match header.to_lowercase().as_str() {
            "emails" | "email" => "email",
            "org" | "organization" => "organization",
            other => match COLUMNS.iter().find(|c| **c == other) {
                Some(c) => c,
                None => {
                    problems
                        .push(format!("line 1: '{header}' is not a column; the columns are {}", COLUMNS.join(", ")));
                    continue;
                }
            },
        };
        if columns.contains(&name) {
            problems.push(format!("line 1: the column {name} is named twice"));
        }
        columns.push(name);
    }
    if !columns.contains(&"email") {
        problems
            .push("line 1: there is no email column; the first line names the columns, as in name,email,tier".into());
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut lines = Vec::new();
    let mut seen: Vec<(String, usize)> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let at = e.position().map_or(0, |p| p.line() as usize);
                problems.push(format!("line {at}: {e}"));
                continue;
            }
        };
        let number = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() > columns.len() {
            problems.push(format!("line {number}: {} values for {} columns", record.len(), columns.len()));
            continue;
        }
        match line(number, &columns, &record) {
            Ok(line) => {
                let mut dup = None;
                for email in &line.emails {
                    if let Some((_, first)) = seen.iter().find(|(e, _)| e == email) {
                        dup = Some(format!("line {number}: {email} is on line {first} too"));
                    }
                    seen.push((email.clone(), number));
                }
                match dup {
                    Some(d) => problems.push(d),
                    None => lines.push(line),
                }
            }
            Err(why) => problems.push(format!("line {number}: {why}")),
        }
    }
    if problems.is_empty() {
        Ok(lines)
    } else {
        Err(problems)
    }
}

/// Several values in one cell: separated by `;` or spaces.
fn several(cell: &str) -> Vec<String> {
    cell.split(|c: char| c == ';' || c.is_whitespace()).filter(|v| !v.is_empty()).map(str::to_string).collect()
}

fn line(number: usize, columns: &[&str], record: &csv::StringRecord) -> Result<CustomerLine, String> {
    let mut out = CustomerLine { line: number, ..CustomerLine::default() };
    let given = |v: &str| (!v.is_empty()).then(|| v.to_string());
    for (column, value) in columns.iter().zip(record.iter()) {
        if value.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(format!("the {column} has control characters"));
        }
        match *column {
            "name" => out.name = given(value),
            "email" => {
                for email in several(value) {
                    if !is_mail_address(&email) {
                        return Err(format!("'{}' is not an email address", for_display_line(&email)));
                    }
                    let email = email.to_lowercase();
                    if !out.emails.contains(&email) {
                        out.emails.push(email);
                    }
                }
            }
            "phone" => out.phone = given(value),
            "organization" => out.organization = given(value),
            "tier" if value.is_empty() => {}
            "tier" => out.tier = Some(value.parse::<Tier>().map_err(|e| e.to_string())?),
            "tags" => {
                for tag in value.split(';').flat_map(|t| t.split(',')).filter(|t| !t.trim().is_empty()) {
                    out.tags.push(tag_or_why(tag)?);
                }
            }
            "notes" => out.notes = given(value),
            _ => {}
        }
    }
    if out.emails.is_empty() {
        return Err("it has no email address; every customer needs one".into());
    }
    Ok(out)
}

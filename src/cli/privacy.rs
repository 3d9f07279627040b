//! `frontdesk customer export | erase`: hand a customer everything the desk holds about them
//! (GDPR article 15), or remove their personal data from it (article 17).

use super::customer::shown;
use super::output::{rfc3339, write_json, TicketDetailJson};
use super::satisfaction_view::CustomerShowJson;
use super::CliError;
use crate::domain::audit::AuditQuery;
use crate::domain::text::for_display_line;
use crate::domain::Agent;
use crate::store::Store;
use serde::Serialize;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    id: i64,
    /// The JSON file to write (default `customer-N.json`); the attachments go in a folder beside
    /// it, `FILE.attachments/`. An existing file is never replaced.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Print what was written, as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct EraseArgs {
    id: i64,
    /// Say you mean it, without being asked (needed when stdin is not a terminal).
    #[arg(long)]
    yes: bool,
    /// Rewrite the whole database file afterwards (VACUUM), for a desk used with a frontdesk older
    /// than this one: it may keep old copies of rows in the file's free space. As slow as a backup.
    #[arg(long)]
    vacuum: bool,
    /// Print the customer as erased and what was removed, as JSON.
    #[arg(long)]
    json: bool,
}

/// The export file: the customer as `customer show --json` shows them, each ticket as `ticket
/// show --json` does, their attachments' files, surveys, and the history about them.
#[derive(Serialize)]
struct ExportJson<'a> {
    exported_at: String,
    exported_by: &'a str,
    customer: CustomerShowJson,
    tickets: Vec<TicketDetailJson>,
    attachments: Vec<AttachmentFileJson>,
    surveys: Vec<SurveyJson>,
    history: Vec<super::audit::EntryJson<'a>>,
}

#[derive(Serialize)]
struct AttachmentFileJson {
    id: i64,
    ticket: i64,
    message: i64,
    name: String,
    content_type: String,
    size: u64,
    /// The file's path, relative to the export file's folder.
    file: String,
}

#[derive(Serialize)]
struct SurveyJson {
    ticket: i64,
    message_id: String,
    sent_at: String,
}

/// What `export --json` says it wrote.
#[derive(Serialize)]
struct WrittenJson {
    file: String,
    attachments_folder: Option<String>,
    tickets: usize,
    attachments: usize,
}

pub fn export(store: &Store, agent: &Agent, args: ExportArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let customer = shown(store, args.id)?;
    let path = args.output.unwrap_or_else(|| PathBuf::from(format!("customer-{}.json", args.id)));
    let mut file = create_new(&path)?;
    let mut tickets = Vec::new();
    let mut files = Vec::new();
    for summary in &customer.customer.tickets {
        let detail = store.ticket_detail(summary.id)?;
        for m in &detail.messages {
            for a in detail.mail.of(m.id).map(|x| x.attachments.as_slice()).unwrap_or_default() {
                files.push((detail.ticket.id, a.clone()));
            }
        }
        tickets.push(TicketDetailJson::from(&detail));
    }
    let folder = folder_beside(&path);
    let attachments = write_attachments(store, &folder, &files)?;
    let surveys = store.customer_surveys(args.id)?;
    let mut entries = Vec::new();
    let query = AuditQuery { customer: Some(args.id), ..AuditQuery::default() };
    store.audit_trail(&query, &mut |e| {
        entries.push(e);
        Ok(())
    })?;
    let export = ExportJson {
        exported_at: rfc3339(chrono::Utc::now()),
        exported_by: &agent.login,
        customer,
        tickets,
        attachments,
        surveys: surveys
            .into_iter()
            .map(|s| SurveyJson { ticket: s.ticket_id, message_id: s.message_id, sent_at: rfc3339(s.sent_at) })
            .collect(),
        history: entries.iter().map(super::audit::entry_json).collect(),
    };
    serde_json::to_writer_pretty(&mut file, &export)?;
    writeln!(file)?;
    file.sync_all()?;
    let (n_tickets, n_files) = (export.tickets.len(), export.attachments.len());
    let folder = (n_files > 0).then(|| folder.display().to_string());
    if args.json {
        let written = WrittenJson {
            file: path.display().to_string(),
            attachments_folder: folder,
            tickets: n_tickets,
            attachments: n_files,
        };
        return write_json(out, &written);
    }
    writeln!(out, "wrote {} ({n_tickets} tickets, {n_files} attachments)", path.display())?;
    if let Some(folder) = folder {
        writeln!(out, "attachments in {folder}")?;
    }
    Ok(())
}

/// `FILE.attachments` beside `FILE`.
fn folder_beside(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".attachments");
    path.with_file_name(name)
}

/// A new file only the owner can read: an existing one is refused, never replaced.
fn create_new(path: &Path) -> Result<std::fs::File, CliError> {
    use std::os::unix::fs::OpenOptionsExt;
    let opened = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path);
    opened.map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            CliError::Refused(format!("{} already exists; nothing was written (give another --output)", path.display()))
        }
        _ => CliError::Refused(format!("cannot write {}: {e}", path.display())),
    })
}

/// Each attachment as `ID-NAME` in `folder` (made when there is one), named in the export.
fn write_attachments(
    store: &Store,
    folder: &Path,
    files: &[(i64, crate::domain::AttachmentInfo)],
) -> Result<Vec<AttachmentFileJson>, CliError> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().mode(0o700).create(folder).map_err(|e| {
        CliError::Refused(format!("cannot make the folder {} for the attachments: {e}", folder.display()))
    })?;
    let folder_name = folder.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let mut written = Vec::new();
    for (ticket, a) in files {
        let (_, data) = store.attachment(a.id)?;
        let name = format!("{}-{}", a.id, safe_file_name(&a.name));
        let mut file = create_new(&folder.join(&name))?;
        file.write_all(&data)?;
        written.push(AttachmentFileJson {
            id: a.id,
            ticket: *ticket,
            message: a.message_id,
            name: a.name.clone(),
            content_type: a.content_type.clone(),
            size: a.size,
            file: format!("{folder_name}/{name}"),
        });
    }
    Ok(written)
}

/// A sender's file name made safe as one name in a folder: no separators, controls or leading dots.
fn safe_file_name(name: &str) -> String {
    let kept: String = name.chars().map(|c| if c == '/' || c == '\\' || c.is_control() { '_' } else { c }).collect();
    let kept = kept.trim_start_matches('.').trim();
    if kept.is_empty() {
        "attachment".into()
    } else {
        kept.chars().take(120).collect()
    }
}

pub fn erase(store: &Store, agent: &Agent, args: EraseArgs, out: &mut dyn Write) -> Result<(), CliError> {
    super::identity::require_admin(agent, "erase customers")?;
    let customer = store.customer(args.id)?;
    if !args.yes {
        confirm(args.id, &customer.name)?;
    }
    let erased = store.erase_customer(args.id, &agent.login)?;
    if args.vacuum {
        store.rewrite_file()?;
    }
    if !erased.log_emptied && !args.vacuum {
        eprintln!(
            "frontdesk: another program reads the desk, so the write-ahead log still holds the old pages; \
             they leave it at its next checkpoint"
        );
    }
    if args.json {
        #[derive(Serialize)]
        struct ErasedJson {
            customer: CustomerShowJson,
            tickets: usize,
            messages: usize,
            attachments: usize,
            quarantined: usize,
        }
        let (tickets, messages, attachments, quarantined) =
            (erased.tickets, erased.messages, erased.attachments, erased.quarantined);
        let customer = shown(store, args.id)?;
        return write_json(out, &ErasedJson { customer, tickets, messages, attachments, quarantined });
    }
    writeln!(
        out,
        "erased customer #{}: {} tickets, {} messages, {} attachments, {} quarantined mails; \
         their tickets' statuses, times and scores stay for reports",
        erased.customer, erased.tickets, erased.messages, erased.attachments, erased.quarantined
    )?;
    Ok(())
}

/// Ask on the terminal; without one, refuse (a script says `--yes`).
fn confirm(id: i64, name: &str) -> Result<(), CliError> {
    let refused = || CliError::Refused(format!("customer #{id} was not erased"));
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Refused(format!(
            "erasing customer #{id} cannot be undone: run it again with --yes (stdin is not a terminal to ask on)"
        )));
    }
    eprint!(
        "Erase customer #{id} ({}): their name, addresses, messages and attachments? It cannot be undone. \
         Type 'erase' to go on: ",
        for_display_line(name)
    );
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).map_err(CliError::Stdin)?;
    match answer.trim() {
        "erase" => Ok(()),
        _ => Err(refused()),
    }
}

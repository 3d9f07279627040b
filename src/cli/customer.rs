//! `frontdesk customer …`: list and show customers; their records are changed in `customer_records`.

use super::output::{or_dash, write_json, CustomerJson, CustomerSummaryJson, Table};
use super::satisfaction_view::{CustomerShowJson, SatisfactionJson};
use super::CliError;
use crate::domain::text::for_display_line;
use crate::domain::CustomerSummary;
use crate::store::Store;
use clap::Subcommand;
use std::io::Write;

/// Customers read per query while listing them all.
const PAGE: usize = 500;
/// The most tickets `customer show` lists.
const HISTORY: usize = 10_000;

#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// List every customer.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show a customer with their tickets.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Create a customer; an address in an organization's domain makes them join it.
    New(super::customer_records::NewArgs),
    /// Change a customer's name, phone, organization, tier, tags or notes.
    Set(super::customer_records::SetArgs),
    /// Add, remove or make primary one of a customer's addresses.
    #[command(subcommand)]
    Email(super::customer_records::EmailCommand),
    /// Merge a customer into another (the same person with two addresses; admins only).
    Merge {
        id: i64,
        #[arg(long, value_name = "ID")]
        into: i64,
        /// Print the customer merged into, as `customer show --json` does.
        #[arg(long)]
        json: bool,
    },
    /// Record a customer's NPS answer (0 to 10; at most one in 30 days).
    Rate {
        id: i64,
        #[arg(long, value_name = "0-10", value_parser = crate::domain::satisfaction::parse_nps)]
        nps: u8,
        #[arg(long)]
        comment: Option<String>,
        /// Print the customer with their ratings, as `customer show --json` does.
        #[arg(long)]
        json: bool,
    },
    /// Write everything the desk holds about a customer to one JSON file, their attachments in a
    /// folder beside it (what GDPR article 15 asks for).
    Export(super::privacy::ExportArgs),
    /// Remove a customer's personal data; their tickets' statuses, times and scores stay for
    /// reports (what GDPR article 17 asks for; admins only).
    Erase(super::privacy::EraseArgs),
    /// Import customers from a CSV file whose first line names the columns (name, email, phone,
    /// organization, tier, tags, notes): all lines or, when one is bad, none.
    Import {
        #[arg(value_name = "FILE.csv")]
        file: std::path::PathBuf,
        /// Say what would be made and changed; write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(
    store: &Store,
    agent: &crate::domain::Agent,
    cmd: CustomerCommand,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match cmd {
        CustomerCommand::Import { file, dry_run, json } => {
            super::customer_import::run(store, agent, &file, dry_run, json, out)
        }
        CustomerCommand::Merge { id, into, json } => {
            super::identity::require_admin(agent, "merge customers")?;
            let c = store.merge_customers(id, into, &agent.login)?;
            if json {
                return write_json(out, &shown(store, c.id)?);
            }
            writeln!(out, "merged customer {id} into {} ({})", c.id, for_display_line(&c.name))?;
            Ok(())
        }
        CustomerCommand::New(args) => super::customer_records::new(store, agent, args, out),
        CustomerCommand::Set(args) => super::customer_records::set(store, agent, args, out),
        CustomerCommand::Email(cmd) => super::customer_records::email(store, agent, cmd, out),
        CustomerCommand::Rate { id, nps, comment, json } => {
            store.rate_nps(id, nps, comment.as_deref().unwrap_or(""), &agent.login)?;
            if json {
                return write_json(out, &shown(store, id)?);
            }
            writeln!(out, "customer {id}: NPS {nps} recorded")?;
            Ok(())
        }
        CustomerCommand::List { json } => list(store, json, out),
        CustomerCommand::Export(args) => super::privacy::export(store, agent, args, out),
        CustomerCommand::Erase(args) => super::privacy::erase(store, agent, args, out),
        CustomerCommand::Show { id, json } => show(store, id, json, out),
    }
}

fn all_customers(store: &Store) -> Result<Vec<CustomerSummary>, CliError> {
    let mut all = Vec::new();
    loop {
        let after = all.last().map(|c: &CustomerSummary| c.id).unwrap_or(0);
        let page = store.list_customers(after, PAGE)?;
        let last_page = page.len() < PAGE;
        all.extend(page);
        if last_page {
            return Ok(all);
        }
    }
}

fn list(store: &Store, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let customers = all_customers(store)?;
    if json {
        return write_json(out, &customers.iter().map(CustomerSummaryJson::from).collect::<Vec<_>>());
    }
    let mut table = Table::new(&["ID", "NAME", "EMAIL", "ORGANIZATION", "TIER", "TICKETS", "OPEN"]);
    for c in &customers {
        table.row(vec![
            c.id.to_string(),
            c.name.clone(),
            c.email.clone(),
            or_dash(c.organization.as_deref()),
            c.tier.to_string(),
            c.tickets.to_string(),
            c.open_tickets.to_string(),
        ]);
    }
    Ok(table.write(out)?)
}

/// The customer as `customer show --json` prints them.
pub fn shown(store: &Store, id: i64) -> Result<CustomerShowJson, CliError> {
    let customer = store.customer(id)?;
    let tickets = store.customer_tickets(id, HISTORY)?;
    let ratings = store.customer_ratings(id)?;
    let satisfaction = SatisfactionJson::from(ratings.as_slice());
    Ok(CustomerShowJson { customer: CustomerJson::new(&customer, &tickets), satisfaction })
}

pub(super) fn show(store: &Store, id: i64, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    if json {
        return write_json(out, &shown(store, id)?);
    }
    let customer = store.customer(id)?;
    let tickets = store.customer_tickets(id, HISTORY)?;
    let ratings = store.customer_ratings(id)?;
    writeln!(out, "{} (customer {}, {})", for_display_line(&customer.name), customer.id, customer.tier)?;
    for email in &customer.emails {
        writeln!(out, "email: {}", for_display_line(email))?;
    }
    let optional = [("phone", &customer.phone), ("organization", &customer.organization)];
    for (label, value) in optional {
        if let Some(value) = value {
            writeln!(out, "{label}: {}", for_display_line(value))?;
        }
    }
    if !customer.tags.is_empty() {
        writeln!(out, "tags: {}", for_display_line(&customer.tags.join(" ")))?;
    }
    if !customer.notes.is_empty() {
        writeln!(out, "notes: {}", for_display_line(&customer.notes))?;
    }
    writeln!(out, "since {}", crate::domain::when::agent_zone().format(customer.created_at, "%Y-%m-%d"))?;
    super::satisfaction_view::write(&ratings, out)?;
    writeln!(out)?;
    let mut table = Table::new(&["ID", "STATUS", "PRIORITY", "CREATED", "SUBJECT"]);
    for t in &tickets {
        table.row(vec![
            t.id.to_string(),
            t.status.to_string(),
            t.priority.to_string(),
            crate::domain::when::agent_zone().format(t.created_at, "%Y-%m-%d"),
            t.subject.clone(),
        ]);
    }
    Ok(table.write(out)?)
}

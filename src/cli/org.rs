//! `frontdesk org …`: organizations, their email domains, tier and notes, and who belongs to them.
//! `new` and `set` print with `--json` what `org show --json` prints.

use super::output::{write_json, CustomerSummaryJson, Table, TicketSummaryJson};
use super::CliError;
use crate::domain::text::for_display_line;
use crate::domain::{Agent, NewOrganization, Organization, OrganizationChange, Tier};
use crate::store::{OrganizationSummary, Store};
use clap::Subcommand;
use serde::Serialize;
use std::io::Write;

/// The most open tickets `org show` lists.
const OPEN_SHOWN: usize = 1_000;

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Create an organization; new customers with an address in one of its domains join it.
    New {
        name: String,
        /// An email domain of theirs (`shop.example`, matched exactly); give it again for more.
        #[arg(long)]
        domain: Vec<String>,
        /// The tier its new customers get: standard, silver, gold or vip.
        #[arg(long)]
        tier: Option<Tier>,
        #[arg(long)]
        notes: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List the organizations with their customers and open tickets counted.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show an organization (its number or name), its customers and their open tickets.
    Show {
        org: String,
        #[arg(long)]
        json: bool,
    },
    /// Change an organization's name, domains, tier or notes.
    Set {
        org: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        domain: Vec<String>,
        #[arg(long)]
        undomain: Vec<String>,
        #[arg(long)]
        tier: Option<Tier>,
        #[arg(long)]
        notes: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete an organization (admins): its customers stay, in no organization.
    Delete {
        org: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
struct OrganizationJson<'a> {
    id: i64,
    name: &'a str,
    domains: &'a [String],
    tier: &'static str,
    notes: &'a str,
}

impl<'a> From<&'a Organization> for OrganizationJson<'a> {
    fn from(o: &'a Organization) -> Self {
        OrganizationJson { id: o.id, name: &o.name, domains: &o.domains, tier: o.tier.as_str(), notes: &o.notes }
    }
}

pub fn run(store: &Store, agent: &Agent, cmd: OrgCommand, out: &mut dyn Write) -> Result<(), CliError> {
    match cmd {
        OrgCommand::New { name, domain, tier, notes, json } => {
            let new = NewOrganization { name, domains: domain, tier, notes: notes.unwrap_or_default() };
            let org = store.create_organization(&new, &agent.login)?;
            if json {
                return show(store, &org.id.to_string(), true, out);
            }
            let domains = for_display_line(&org.domains.join(" ")).into_owned();
            writeln!(out, "added organization {} {} ({domains})", org.id, for_display_line(&org.name))?;
            Ok(())
        }
        OrgCommand::List { json } => list(store, json, out),
        OrgCommand::Delete { org, json } => delete(store, agent, &org, json, out),
        OrgCommand::Show { org, json } => show(store, &org, json, out),
        OrgCommand::Set { org, name, domain, undomain, tier, notes, json } => {
            let change = OrganizationChange { name, domain, undomain, tier, notes };
            if change.is_empty() {
                return Err(CliError::Refused("org set: give --name, --domain, --undomain, --tier or --notes".into()));
            }
            let before = store.organization(&org)?;
            let after = store.set_organization(&before.id.to_string(), &change, &agent.login)?;
            if json {
                return show(store, &after.id.to_string(), true, out);
            }
            let fields = [
                ("name", before.name != after.name),
                ("domains", before.domains != after.domains),
                ("tier", before.tier != after.tier),
                ("notes", before.notes != after.notes),
            ];
            let changed: Vec<&str> = fields.into_iter().filter(|(_, c)| *c).map(|(f, _)| f).collect();
            let who = format!("organization {} ({})", after.id, for_display_line(&after.name));
            match changed.is_empty() {
                true => writeln!(out, "{who} is as asked already")?,
                false => writeln!(out, "changed {who}: {}", changed.join(", "))?,
            }
            Ok(())
        }
    }
}

/// `org delete`: with `--json`, the organization as it was and the customers who left it.
fn delete(store: &Store, agent: &Agent, org: &str, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    super::identity::require_admin(agent, "delete organizations")?;
    let (org, customers) = store.delete_organization(org, &agent.login)?;
    if json {
        #[derive(Serialize)]
        struct Deleted<'a> {
            deleted: OrganizationJson<'a>,
            customers: &'a [i64],
        }
        return write_json(out, &Deleted { deleted: OrganizationJson::from(&org), customers: &customers });
    }
    let plural = if customers.len() == 1 { "" } else { "s" };
    let name = for_display_line(&org.name);
    writeln!(
        out,
        "deleted organization {} {name}; its {} customer{plural} stay, in no organization",
        org.id,
        customers.len()
    )?;
    Ok(())
}

fn list(store: &Store, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let all = store.organizations()?;
    if json {
        #[derive(Serialize)]
        struct Row<'a> {
            #[serde(flatten)]
            organization: OrganizationJson<'a>,
            customers: u64,
            open_tickets: u64,
        }
        let rows: Vec<Row> = all
            .iter()
            .map(|s: &OrganizationSummary| Row {
                organization: OrganizationJson::from(&s.organization),
                customers: s.customers,
                open_tickets: s.open_tickets,
            })
            .collect();
        return write_json(out, &rows);
    }
    let mut table = Table::new(&["ID", "NAME", "DOMAINS", "TIER", "CUSTOMERS", "OPEN"]);
    for s in &all {
        let o = &s.organization;
        table.row(vec![
            o.id.to_string(),
            o.name.clone(),
            o.domains.join(" "),
            o.tier.to_string(),
            s.customers.to_string(),
            s.open_tickets.to_string(),
        ]);
    }
    Ok(table.write(out)?)
}

fn show(store: &Store, org: &str, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let org = store.organization(org)?;
    let customers = store.organization_customers(org.id)?;
    let (open, open_count) = store.organization_open_tickets(org.id, OPEN_SHOWN)?;
    if json {
        #[derive(Serialize)]
        struct Shown<'a> {
            #[serde(flatten)]
            organization: OrganizationJson<'a>,
            customers: Vec<CustomerSummaryJson>,
            open_tickets: Vec<TicketSummaryJson>,
        }
        let shown = Shown {
            organization: OrganizationJson::from(&org),
            customers: customers.iter().map(CustomerSummaryJson::from).collect(),
            open_tickets: open.iter().map(TicketSummaryJson::from).collect(),
        };
        return write_json(out, &shown);
    }
    writeln!(out, "{} (organization {}, {})", for_display_line(&org.name), org.id, org.tier)?;
    writeln!(out, "domains: {}", for_display_line(&org.domains.join(" ")))?;
    if !org.notes.is_empty() {
        writeln!(out, "notes: {}", for_display_line(&org.notes))?;
    }
    writeln!(out, "\n{} customer{}", customers.len(), if customers.len() == 1 { "" } else { "s" })?;
    let mut table = Table::new(&["ID", "NAME", "EMAIL", "TIER", "TICKETS", "OPEN"]);
    for c in &customers {
        let row = [c.id.to_string(), c.name.clone(), c.email.clone(), c.tier.to_string()];
        table.row(row.into_iter().chain([c.tickets.to_string(), c.open_tickets.to_string()]).collect());
    }
    table.write(out)?;
    writeln!(out, "\n{open_count} open ticket{}", if open_count == 1 { "" } else { "s" })?;
    let mut table = Table::new(&["ID", "STATUS", "PRIORITY", "CUSTOMER", "SUBJECT"]);
    for t in &open {
        let row = [t.id.to_string(), t.status.to_string(), t.priority.to_string()];
        table.row(row.into_iter().chain([t.customer_name.clone(), t.subject.clone()]).collect());
    }
    Ok(table.write(out)?)
}

//! `frontdesk customer new | set | email …`: keep a customer's record right, every change audited.
//! With `--json`, each prints the customer as `customer show --json` does.

use super::CliError;
use crate::domain::text::for_display_line;
use crate::domain::{Agent, Customer, CustomerChange, NewCustomer, Tier};
use crate::store::Store;
use clap::{Args, Subcommand};
use std::io::Write;

#[derive(Debug, Args)]
pub struct NewArgs {
    #[arg(long)]
    name: String,
    /// Their address; give it again for more (the first is primary).
    #[arg(long, required = true)]
    email: Vec<String>,
    #[arg(long)]
    phone: Option<String>,
    /// An organization's name or number (else the address's domain decides).
    #[arg(long, value_name = "ORG")]
    organization: Option<String>,
    /// standard, silver, gold or vip (else their organization's, else standard).
    #[arg(long)]
    tier: Option<Tier>,
    #[arg(long, value_name = "T")]
    tag: Vec<String>,
    #[arg(long)]
    notes: Option<String>,
    /// Print the customer created, as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    id: i64,
    #[arg(long)]
    name: Option<String>,
    /// Their phone number; an empty one removes it.
    #[arg(long)]
    phone: Option<String>,
    /// An organization's name or number; an empty one takes them out of theirs.
    #[arg(long, value_name = "ORG")]
    organization: Option<String>,
    #[arg(long)]
    tier: Option<Tier>,
    #[arg(long, value_name = "T")]
    tag: Vec<String>,
    #[arg(long, value_name = "T")]
    untag: Vec<String>,
    #[arg(long)]
    notes: Option<String>,
    /// Print the customer as changed, as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
pub enum EmailCommand {
    /// Give a customer one more address (one another customer has is refused: merge them instead).
    Add(EmailArgs),
    /// Take an address from a customer (their last one stays).
    Remove(EmailArgs),
    /// Make one of a customer's addresses the primary one, where replies go.
    Primary(EmailArgs),
}

#[derive(Debug, Args)]
pub struct EmailArgs {
    id: i64,
    address: String,
    /// Print the customer as changed, as JSON.
    #[arg(long)]
    json: bool,
}

pub fn new(store: &Store, agent: &Agent, args: NewArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let new = NewCustomer {
        name: args.name,
        emails: args.email,
        phone: args.phone,
        organization: args.organization,
        tier: args.tier,
        tags: args.tag,
        notes: args.notes.unwrap_or_default(),
    };
    let c = store.create_customer(&new, &agent.login)?;
    if args.json {
        return super::customer::show(store, c.id, true, out);
    }
    let org = c.organization.as_deref().map(|o| format!(" of {}", for_display_line(o))).unwrap_or_default();
    let (name, email) = (for_display_line(&c.name), for_display_line(c.primary_email()));
    writeln!(out, "added customer {} {name} <{email}>{org} · {}", c.id, c.tier)?;
    Ok(())
}

pub fn set(store: &Store, agent: &Agent, args: SetArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let empty_is_none = |v: String| Some(v).filter(|v| !v.trim().is_empty());
    let change = CustomerChange {
        name: args.name,
        phone: args.phone.map(empty_is_none),
        organization: args.organization.map(empty_is_none),
        tier: args.tier,
        tag: args.tag,
        untag: args.untag,
        notes: args.notes,
        emails: None,
    };
    if change.is_empty() {
        return Err(CliError::Refused(
            "customer set: give --name, --phone, --organization, --tier, --tag, --untag or --notes".into(),
        ));
    }
    let before = store.customer(args.id)?;
    let after = store.edit_customer(args.id, &change, &agent.login)?;
    said(store, &before, &after, args.json, out)
}

/// One of the store's address changes: customer, address, who.
type AddressChange = fn(&Store, i64, &str, &str) -> Result<Customer, crate::store::StoreError>;

pub fn email(store: &Store, agent: &Agent, cmd: EmailCommand, out: &mut dyn Write) -> Result<(), CliError> {
    let (args, change): (EmailArgs, AddressChange) = match cmd {
        EmailCommand::Add(args) => (args, Store::add_customer_email),
        EmailCommand::Remove(args) => (args, Store::remove_customer_email),
        EmailCommand::Primary(args) => (args, Store::make_primary_email),
    };
    let before = store.customer(args.id)?;
    let after = change(store, args.id, &args.address, &agent.login)?;
    said(store, &before, &after, args.json, out)
}

/// The customer as JSON, or which of their fields changed.
fn said(store: &Store, before: &Customer, after: &Customer, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    if json {
        return super::customer::show(store, after.id, true, out);
    }
    let fields = [
        ("name", before.name != after.name),
        ("addresses", before.emails != after.emails),
        ("phone", before.phone != after.phone),
        ("organization", before.organization != after.organization),
        ("tier", before.tier != after.tier),
        ("tags", before.tags != after.tags),
        ("notes", before.notes != after.notes),
    ];
    let changed: Vec<&str> = fields.into_iter().filter(|(_, c)| *c).map(|(f, _)| f).collect();
    let who = format!("customer {} ({})", after.id, for_display_line(&after.name));
    match changed.is_empty() {
        true => writeln!(out, "{who} is as asked already")?,
        false => writeln!(out, "changed {who}: {}", changed.join(", "))?,
    }
    Ok(())
}

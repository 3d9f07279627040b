//! The people of the demo: the support team, business customers' organizations, and customers.

use super::rng::Rng;
use super::words::Words;
use crate::domain::{Agent, Customer, Organization, Role, Tier};
use crate::store::bulk::BulkWriter;
use crate::store::StoreError;
use chrono::{Duration, Utc};
use std::collections::HashSet;

const SHOP_DOMAIN: &str = "larkspur.example";
const FREEMAIL: &[&str] = &["mail.example", "post.example", "inbox.example", "webmail.example"];
const PHONE_PREFIXES: &[&str] = &["+44 7700 900", "+1 202 555 0", "+49 30 9018", "+34 600 00", "+81 3 5550 "];
/// Share of customers whose names are written beyond ASCII.
const INTL_SHARE: f64 = 0.2;

/// An agent tickets can be assigned to.
pub(crate) struct DemoAgent {
    pub login: String,
    pub first: String,
    pub signature: String,
}

/// What the conversations need to know about a customer.
pub(crate) struct DemoCustomer {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub tier: Tier,
}

/// An organization and the domain its people write from.
pub(crate) struct DemoOrganization {
    pub id: i64,
    pub domain: String,
}

/// Insert the demo team and `extra` logins (skipping existing ones); returns everyone tickets may go to.
pub(crate) fn insert_team(
    bulk: &mut BulkWriter<'_>,
    words: &Words,
    extra: &[String],
    since: chrono::DateTime<Utc>,
) -> Result<Vec<DemoAgent>, StoreError> {
    let mut team = Vec::new();
    let members = words.team.iter().map(|m| (m.login.as_str(), m.name.as_str(), m.signature.as_str(), false));
    // The people who asked for the demo run it: they are its admins.
    let extras = extra.iter().map(|login| (login.as_str(), login.as_str(), login.as_str(), true));
    for (i, (login, name, signature, is_extra)) in members.chain(extras).enumerate() {
        if login.trim().is_empty() || team.iter().any(|a: &DemoAgent| a.login == login) {
            continue;
        }
        let agent = Agent {
            login: login.to_string(),
            name: name.to_string(),
            email: Some(format!("{login}@{SHOP_DOMAIN}")),
            role: if i == 0 || is_extra { Role::Admin } else { Role::Agent },
            signature: signature.to_string(),
            active: true,
        };
        bulk.insert_agent(&agent, since)?;
        let first = name.split_whitespace().next().unwrap_or(login).to_string();
        team.push(DemoAgent { login: agent.login, first, signature: agent.signature });
    }
    Ok(team)
}

/// Insert `count` organizations: the named ones first, then "<family name> <kind>" ones.
pub(crate) fn insert_organizations(
    bulk: &mut BulkWriter<'_>,
    rng: &mut Rng,
    words: &Words,
    count: usize,
) -> Result<Vec<DemoOrganization>, StoreError> {
    let mut names = HashSet::new();
    let mut orgs = Vec::with_capacity(count);
    while orgs.len() < count {
        let (name, domain) = match words.organizations.get(orgs.len()) {
            Some((name, domain)) => (name.to_string(), domain.to_string()),
            None => invented_organization(rng, words, orgs.len()),
        };
        if !names.insert(name.clone()) {
            continue;
        }
        let id = bulk.insert_organization(&Organization {
            id: 0,
            name,
            domains: vec![domain.clone()],
            tier: Tier::Standard,
            notes: String::new(),
        })?;
        orgs.push(DemoOrganization { id, domain });
    }
    Ok(orgs)
}

fn invented_organization(rng: &mut Rng, words: &Words, n: usize) -> (String, String) {
    let family = rng.pick(&words.last_names);
    let kind = rng.pick(&words.org_kinds);
    // Past every combination, a branch number keeps names unique.
    let branch = if n > words.last_names.len() * words.org_kinds.len() / 2 { format!(" {}", n) } else { String::new() };
    let name = format!("{family} {kind}{branch}");
    let domain = format!("{}.example", name.to_lowercase().replace(' ', "-"));
    (name, domain)
}

/// Insert `count` customers; about half belong to an organization and write from its domain.
pub(crate) fn insert_customers(
    bulk: &mut BulkWriter<'_>,
    rng: &mut Rng,
    words: &Words,
    orgs: &[DemoOrganization],
    count: usize,
    joined_before: chrono::DateTime<Utc>,
) -> Result<Vec<DemoCustomer>, StoreError> {
    let mut taken = HashSet::with_capacity(count * 2);
    let mut customers = Vec::with_capacity(count);
    for _ in 0..count {
        let (name, local) = person_name(rng, words);
        let org = (!orgs.is_empty() && rng.chance(0.45)).then(|| rng.pick(orgs));
        let domain = org.map_or_else(|| rng.pick(FREEMAIL).to_string(), |o| o.domain.clone());
        let mut emails = vec![unique_address(&mut taken, &local, &domain)];
        if rng.chance(0.15) {
            let others: Vec<&str> = FREEMAIL.iter().copied().filter(|d| *d != domain).collect();
            emails.push(unique_address(&mut taken, &local, rng.pick::<&str>(&others)));
        }
        let customer = Customer {
            id: 0,
            name,
            emails,
            phone: rng.chance(0.6).then(|| format!("{}{:03}", rng.pick(PHONE_PREFIXES), rng.below(1000))),
            organization: None,
            tier: customer_tier(rng, count - customers.len()),
            notes: if rng.chance(0.15) { rng.pick(&words.lines.customer_notes).clone() } else { String::new() },
            tags: customer_tags(rng, words),
            created_at: joined_before - Duration::minutes(rng.between(0, 2 * 365 * 24 * 60)),
        };
        let id = bulk.insert_customer(&customer, org.map(|o| o.id))?;
        let Customer { name, emails, tier, .. } = customer;
        let email = emails.into_iter().next().unwrap_or_default();
        customers.push(DemoCustomer { id, name, email, tier });
    }
    Ok(customers)
}

/// A display name and the ASCII local part of its address; about a fifth beyond ASCII.
fn person_name(rng: &mut Rng, words: &Words) -> (String, String) {
    if !rng.chance(INTL_SHARE) {
        let (first, last) = (rng.pick(&words.first_names), rng.pick(&words.last_names));
        return (format!("{first} {last}"), format!("{first}.{last}").to_lowercase());
    }
    if rng.chance(0.3) {
        let (name, local) = rng.pick(&words.cjk_names);
        return (name.to_string(), local.to_string());
    }
    let ascii = |name: &'static str| (name, name);
    // At least one half of the name is beyond ASCII.
    let ((given, given_ascii), (family, family_ascii)) = match rng.below(3) {
        0 => (*rng.pick(&words.intl_given), *rng.pick(&words.intl_family)),
        1 => (*rng.pick(&words.intl_given), ascii(rng.pick::<&str>(&words.last_names))),
        _ => (ascii(rng.pick::<&str>(&words.first_names)), *rng.pick(&words.intl_family)),
    };
    (format!("{given} {family}"), format!("{given_ascii}.{family_ascii}").to_lowercase())
}

/// The last two customers are VIPs, for the demo's late tickets (see `demo::lateness`); the
/// others are drawn. `left` counts the customers still to insert, this one included.
fn customer_tier(rng: &mut Rng, left: usize) -> Tier {
    match left {
        1 | 2 => Tier::Vip,
        _ => [Tier::Standard, Tier::Silver, Tier::Gold, Tier::Vip][rng.weighted(&[75, 13, 8, 4])],
    }
}

fn unique_address(taken: &mut HashSet<String>, local: &str, domain: &str) -> String {
    let mut address = format!("{local}@{domain}");
    let mut n = 2;
    while !taken.insert(address.clone()) {
        address = format!("{local}{n}@{domain}");
        n += 1;
    }
    address
}

fn customer_tags(rng: &mut Rng, words: &Words) -> Vec<String> {
    let count = [0, 1, 2][rng.weighted(&[75, 20, 5])];
    let mut tags: Vec<String> = (0..count).map(|_| rng.pick(&words.lines.customer_tags).clone()).collect();
    tags.dedup();
    tags
}

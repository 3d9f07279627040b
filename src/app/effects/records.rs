//! The store worker's part for the record forms: an organization read for its form, saved and
//! deleted (admins, as `org delete`), the agents listed and one saved (admins only, checked here too: a key map can reach anything).

use crate::app::model::message::{Effect, Msg};
use crate::app::model::organization_form::OrganizationSave;
use crate::domain::text::for_display_line;
use crate::store::{Store, StoreError};

pub(super) fn perform(store: &Store, me: &str, effect: Effect) -> Result<Msg, StoreError> {
    match effect {
        Effect::OpenOrganization { customer } => {
            let name = store.customer(customer)?.name;
            let organization = store.customer_organization(customer)?.map(Box::new);
            Ok(Msg::OrganizationOpened { organization, customer, customer_name: name })
        }
        Effect::SaveOrganization { seen, save, customer, ticket } => {
            let saved = match (&seen, &save) {
                (Some(seen), OrganizationSave::Change(change)) => store.set_organization_seen(seen, change, me),
                (_, OrganizationSave::Create(new)) => store.create_organization_for(new, customer, me),
                (None, OrganizationSave::Change(_)) => Err(StoreError::Invalid("no organization to change".into())),
            };
            match saved {
                Ok(org) => Ok(Msg::OrganizationSaved { organization: Box::new(org), ticket }),
                Err(e @ StoreError::RecordEdited { .. }) => {
                    let now = seen.map(|s| store.organization(&s.id.to_string())).transpose()?.map(Box::new);
                    Ok(Msg::OrganizationRefused { message: e.to_string(), now })
                }
                Err(e) => Ok(Msg::OrganizationRefused { message: e.to_string(), now: None }),
            }
        }
        Effect::AskDeleteOrganization { organization } => {
            let found = store.organization(&organization.to_string())?;
            let customers = store.organization_customers(organization)?.len();
            Ok(Msg::OrganizationDeleteAsked { organization: Box::new(found), customers })
        }
        Effect::DeleteOrganization { organization, ticket } => {
            if let Some(message) = refuse_unless_admin(store, me, "deletes organizations")? {
                return Ok(Msg::OrganizationRefused { message, now: None });
            }
            match store.delete_organization(&organization.to_string(), me) {
                Ok((org, members)) => {
                    Ok(Msg::OrganizationDeleted { organization: Box::new(org), customers: members.len(), ticket })
                }
                Err(e) => Ok(Msg::OrganizationRefused { message: e.to_string(), now: None }),
            }
        }
        Effect::ListAgents => match refuse_unless_admin(store, me, "keeps the agents right")? {
            Some(message) => Ok(Msg::AgentRefused { message, now: None }),
            None => Ok(Msg::AgentsListed(store.agents()?)),
        },
        Effect::SaveAgent { seen, change, active } => {
            if let Some(message) = refuse_unless_admin(store, me, "keeps the agents right")? {
                return Ok(Msg::AgentRefused { message, now: None });
            }
            match store.edit_agent_seen(&seen, &change, active, me) {
                Ok((agent, open_tickets)) => Ok(Msg::AgentSaved { agent: Box::new(agent), open_tickets }),
                Err(e @ StoreError::RecordEdited { .. }) => {
                    let now = store.agent(&seen.login)?.map(Box::new);
                    Ok(Msg::AgentRefused { message: e.to_string(), now })
                }
                Err(e) => Ok(Msg::AgentRefused { message: e.to_string(), now: None }),
            }
        }
        other => Err(StoreError::Invalid(format!("not a record form's effect: {other:?}"))),
    }
}

/// The sentence refusing `me` when they are not an admin (now: an admin may have changed them);
/// `does` is what only an admin does.
fn refuse_unless_admin(store: &Store, me: &str, does: &str) -> Result<Option<String>, StoreError> {
    let admin = store.agent(me)?.is_some_and(|a| a.is_admin() && a.active);
    Ok((!admin).then(|| format!("{} is not an admin: only an admin {does}", for_display_line(me))))
}

//! The agent form (admins, from the agents' list): an agent's name, address, role, whether they
//! may work on the desk, and signature, saved only over the agent as the form opened them.

use super::record_form::{RecordField, RecordForm};
use crate::domain::text::for_display_line;
use crate::domain::{Agent, AgentChange, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentField {
    Name,
    Email,
    Role,
    Active,
    Signature,
}

impl RecordField for AgentField {
    const ORDER: &'static [AgentField] =
        &[AgentField::Name, AgentField::Email, AgentField::Role, AgentField::Active, AgentField::Signature];

    fn label(self) -> &'static str {
        match self {
            AgentField::Name => "Name",
            AgentField::Email => "Email",
            AgentField::Role => "Role",
            AgentField::Active => "Active",
            AgentField::Signature => "Signature",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            AgentField::Email => "where mail to them goes; empty for none",
            AgentField::Role => "agent or admin",
            AgentField::Active => "yes, or no to stop them working here (their open tickets are listed)",
            AgentField::Signature => "put under each reply they write, and in {{agent.signature}}",
            _ => "",
        }
    }

    fn multiline(self) -> bool {
        self == AgentField::Signature
    }
}

#[derive(Debug)]
pub struct AgentForm {
    /// The agent as the form opened them (or as the last refused save found them).
    pub seen: Agent,
    pub form: RecordForm<AgentField>,
}

fn text(a: &Agent, field: AgentField) -> String {
    match field {
        AgentField::Name => a.name.clone(),
        AgentField::Email => a.email.clone().unwrap_or_default(),
        AgentField::Role => a.role.to_string(),
        AgentField::Active => if a.active { "yes" } else { "no" }.to_string(),
        AgentField::Signature => a.signature.clone(),
    }
}

impl AgentForm {
    pub fn new(agent: &Agent) -> AgentForm {
        AgentForm { seen: agent.clone(), form: RecordForm::new(|f| text(agent, f)) }
    }

    /// The change of the agent's record the form asks, and whether they are to be active (only
    /// what the agent changed); a field that cannot be read is named in one sentence.
    pub fn save(&self) -> Result<(AgentChange, Option<bool>), (AgentField, String)> {
        let mut change = AgentChange::default();
        let mut active = None;
        for field in self.form.changed_fields() {
            let value = self.form.value(field).trim().to_string();
            let shown = for_display_line(&value).into_owned();
            match field {
                AgentField::Name => change.name = Some(value),
                AgentField::Email => change.email = Some(Some(value).filter(|v| !v.is_empty())),
                AgentField::Role => {
                    let role = value.to_lowercase().parse::<Role>();
                    change.role = Some(role.map_err(|_| (field, format!("role: '{shown}' is not agent or admin")))?);
                }
                AgentField::Active => {
                    active = Some(match value.to_lowercase().as_str() {
                        "yes" | "y" => true,
                        "no" | "n" => false,
                        _ => return Err((field, format!("active: '{shown}' is not yes or no"))),
                    });
                }
                AgentField::Signature => change.signature = Some(value),
            }
        }
        Ok((change, active))
    }

    /// Someone changed the agent meanwhile: the admin's changes stay over theirs.
    pub fn rebase(&mut self, now: &Agent) {
        self.form.rebase(|f| text(now, f));
        self.seen = now.clone();
    }

    pub fn title(&self) -> String {
        format!(" Agent {} · {} ", for_display_line(&self.seen.login), for_display_line(&self.seen.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bob() -> Agent {
        Agent {
            login: "bob".into(),
            name: "Bob".into(),
            email: None,
            role: Role::Agent,
            signature: String::new(),
            active: true,
        }
    }

    #[test]
    fn the_form_asks_only_what_changed_and_names_a_field_it_cannot_read() {
        let mut form = AgentForm::new(&bob());
        assert_eq!(form.save(), Ok((AgentChange::default(), None)));
        form.form.set(AgentField::Active, "No");
        form.form.set(AgentField::Signature, "Bob\nSupport");
        let (change, active) = form.save().unwrap();
        assert_eq!((change.signature.as_deref(), change.role, active), (Some("Bob\nSupport"), None, Some(false)));
        form.form.set(AgentField::Role, "boss");
        assert_eq!(form.save().unwrap_err(), (AgentField::Role, "role: 'boss' is not agent or admin".into()));
    }
}

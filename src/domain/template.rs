//! Canned replies: a body with `{{placeholders}}`, rendered for one ticket or refused before sending.

use std::collections::BTreeMap;

/// The placeholders a canned reply may use.
pub const PLACEHOLDERS: &[&str] = &[
    "customer.first_name",
    "customer.name",
    "customer.email",
    "ticket.number",
    "ticket.subject",
    "agent.name",
    "agent.signature",
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("the placeholder {{{{{0}}}}} is unknown; use one of: {list}", list = PLACEHOLDERS.join(", "))]
    Unknown(String),
    #[error("the placeholder {{{{{0}}}}} is empty for this ticket; fill it in or write the reply by hand")]
    Empty(String),
    #[error("a placeholder is opened with {{{{ but never closed with }}}}")]
    Unclosed,
}

/// The values of the placeholders for one ticket.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    values: BTreeMap<&'static str, String>,
}

impl Context {
    pub fn new(customer: &super::Customer, ticket: &super::Ticket, agent: &super::Agent) -> Context {
        let mut values = BTreeMap::new();
        values.insert("customer.first_name", first_name(&customer.name));
        values.insert("customer.name", customer.name.trim().to_string());
        values.insert("customer.email", customer.primary_email().to_string());
        values.insert("ticket.number", ticket.id.to_string());
        values.insert("ticket.subject", ticket.subject.trim().to_string());
        values.insert("agent.name", agent.name.trim().to_string());
        values.insert("agent.signature", agent.signature.trim_end().to_string());
        Context { values }
    }
}

/// The first word of a name, unless the "name" is really an address or a login.
pub fn first_name(name: &str) -> String {
    let first = name.split_whitespace().next().unwrap_or("");
    if first.contains('@') {
        return String::new();
    }
    first.trim_matches(|c: char| c == ',' || c == '"').to_string()
}

/// The body with every placeholder filled in, or the first one that cannot be.
pub fn render(body: &str, context: &Context) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(TemplateError::Unclosed)?;
        let name = after[..end].trim();
        let value = PLACEHOLDERS
            .iter()
            .find(|p| **p == name)
            .map(|p| context.values.get(p).cloned().unwrap_or_default())
            .ok_or_else(|| TemplateError::Unknown(name.to_string()))?;
        if value.trim().is_empty() {
            return Err(TemplateError::Empty(name.to_string()));
        }
        out.push_str(&value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Context {
        let mut c = Context::default();
        c.values.insert("customer.first_name", "Carla".into());
        c.values.insert("customer.name", "Carla Núñez".into());
        c.values.insert("ticket.number", "1042".into());
        c.values.insert("agent.signature", String::new());
        c
    }

    #[test]
    fn placeholders_are_filled_in() {
        let text = render("Hi {{customer.first_name}}, about #{{ ticket.number }}: done.", &context());
        assert_eq!(text.unwrap(), "Hi Carla, about #1042: done.");
        assert_eq!(render("no placeholders", &context()).unwrap(), "no placeholders");
    }

    #[test]
    fn unknown_empty_and_unclosed_placeholders_are_refused() {
        let err = render("Hi {{customer.nickname}}", &context()).unwrap_err();
        assert_eq!(err, TemplateError::Unknown("customer.nickname".into()));
        assert!(err.to_string().starts_with("the placeholder {{customer.nickname}} is unknown; use one of:"));
        let err = render("Bye\n{{agent.signature}}", &context()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the placeholder {{agent.signature}} is empty for this ticket; fill it in or write the reply by hand"
        );
        assert_eq!(render("Hi {{customer.name", &context()), Err(TemplateError::Unclosed));
    }

    #[test]
    fn first_names_come_from_names_not_addresses() {
        assert_eq!(first_name("Carla Núñez"), "Carla");
        assert_eq!(first_name("  王伟 "), "王伟");
        assert_eq!(first_name("carla@shop.example"), "");
        assert_eq!(first_name(""), "");
    }
}

//! `[mail]`: the support address, import limits, and how replies leave.

use super::inbound::Auth;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Mail larger than this is quarantined unless `[mail] max_message_size` says otherwise.
pub const DEFAULT_MAX_MESSAGE_SIZE: u64 = 25 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// The support address replies come from, e.g. `support@example.com`.
    pub address: String,
    /// The name shown with it; replies say "Agent Name (name)".
    pub name: String,
    /// Bytes; a larger mail is quarantined whole.
    pub max_message_size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbound: Option<OutboundConfig>,
    /// `[[mail.inbound]]`: IMAP mailboxes the desk reads.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inbound: Vec<super::inbound::InboundConfig>,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            address: String::new(),
            name: String::new(),
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            outbound: None,
            inbound: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    #[default]
    Maildir,
    Sendmail,
    Smtp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutboundConfig {
    pub via: Via,
    /// A Maildir folder, relative to the data folder unless absolute.
    pub maildir: String,
    /// A sendmail-compatible command that reads the mail on stdin; the envelope's recipients
    /// (To, Cc and Bcc) are added as its arguments after `--`.
    pub sendmail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smtp: Option<SmtpConfig>,
}

impl Default for OutboundConfig {
    fn default() -> Self {
        OutboundConfig {
            via: Via::Maildir,
            maildir: "outbox".into(),
            sendmail: "/usr/sbin/sendmail -i".into(),
            smtp: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    #[default]
    Starttls,
    Tls,
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// A command whose first output line is the password: never a password in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_command: Option<String>,
    /// How to log in: the password, or an OAuth 2 access token (XOAUTH2: Google, Microsoft 365).
    pub auth: Auth,
    /// A command whose first output line is a fresh access token (for `auth = "xoauth2"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_command: Option<String>,
    /// A PEM file of CA certificates trusted beside the system's and the built-in ones (a
    /// company CA); an absolute path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        SmtpConfig {
            host: String::new(),
            port: 587,
            security: Security::Starttls,
            username: None,
            password_command: None,
            auth: Auth::Password,
            token_command: None,
            ca_file: None,
        }
    }
}

impl MailConfig {
    /// What is wrong with it, as one sentence.
    pub fn problem(&self) -> Option<String> {
        if self.max_message_size == 0 {
            return Some("mail.max_message_size must be more than 0".into());
        }
        if let Some(problem) = super::inbound::problem(&self.inbound) {
            return Some(problem);
        }
        let outbound = self.outbound.as_ref()?;
        if !crate::domain::is_plausible_email(&self.address) {
            return Some(format!("mail.address is '{}'; sending replies needs the support address", self.address));
        }
        match outbound.via {
            Via::Smtp => match &outbound.smtp {
                None => Some("mail.outbound.via is \"smtp\" but there is no [mail.outbound.smtp] table".into()),
                Some(smtp) if smtp.host.trim().is_empty() => Some("mail.outbound.smtp.host is empty".into()),
                Some(smtp) => smtp.auth_problem(),
            },
            Via::Sendmail if outbound.sendmail.trim().is_empty() => Some("mail.outbound.sendmail is empty".into()),
            Via::Maildir if outbound.maildir.trim().is_empty() => Some("mail.outbound.maildir is empty".into()),
            _ => None,
        }
    }
}

impl SmtpConfig {
    /// XOAUTH2 needs the account's name and a command that prints its token.
    fn auth_problem(&self) -> Option<String> {
        let empty = |v: &Option<String>| v.as_deref().is_none_or(|v| v.trim().is_empty());
        match self.auth {
            Auth::Xoauth2 if empty(&self.token_command) => Some(
                "mail.outbound.smtp has auth = \"xoauth2\" but no token_command (a command that prints an access token)"
                    .into(),
            ),
            Auth::Xoauth2 if empty(&self.username) => {
                Some("mail.outbound.smtp has auth = \"xoauth2\" but no username (the account the token is for)".into())
            }
            _ => None,
        }
    }
}

impl OutboundConfig {
    /// The Maildir folder, relative to `data_dir` unless absolute.
    pub fn maildir_path(&self, data_dir: &Path) -> PathBuf {
        let path = Path::new(&self.maildir);
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            data_dir.join(path)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{parse, Auth};
    use std::path::Path;

    #[test]
    fn the_issue_example_parses() {
        let text = r#"
[mail]
address = "support@example.com"
name = "Example Support"

[mail.outbound]
via = "maildir"
maildir = "outbox"
sendmail = "/usr/sbin/sendmail -t -i"

[mail.outbound.smtp]
host = "smtp.example.com"
port = 587
security = "starttls"
username = "support@example.com"
password_command = "pass show support-smtp"
"#;
        let config = parse(text, Path::new("c.toml")).unwrap();
        let mail = config.mail.unwrap();
        assert_eq!(mail.problem(), None);
        assert_eq!(mail.outbound.unwrap().smtp.unwrap().password_command.as_deref(), Some("pass show support-smtp"));
    }

    #[test]
    fn a_password_in_the_file_is_refused() {
        let err = parse("[mail.outbound.smtp]\npassword = 'x'\n", Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("password"), "{err}");
    }

    #[test]
    fn xoauth2_needs_a_token_command_and_a_username() {
        let smtp = |extra: &str| {
            let text = format!(
                "[mail]\naddress = 'a@b.example'\n[mail.outbound]\nvia = 'smtp'\n\
                 [mail.outbound.smtp]\nhost = 'smtp.example.com'\n{extra}\n"
            );
            parse(&text, Path::new("c")).unwrap().mail.unwrap().problem()
        };
        let without = smtp("auth = 'xoauth2'\nusername = 'support@b.example'").unwrap();
        assert!(without.contains("auth = \"xoauth2\" but no token_command"), "{without}");
        let nobody = smtp("auth = 'xoauth2'\ntoken_command = 'oauth2-token support'").unwrap();
        assert!(nobody.contains("no username"), "{nobody}");
        let good = "auth = 'xoauth2'\nusername = 'support@b.example'\ntoken_command = 'oauth2-token support'";
        assert_eq!(smtp(good), None);
        let config = parse(&format!("[mail.outbound.smtp]\n{good}\n"), Path::new("c")).unwrap();
        let parsed = config.mail.unwrap().outbound.unwrap().smtp.unwrap();
        assert_eq!((parsed.auth, parsed.token_command.as_deref()), (Auth::Xoauth2, Some("oauth2-token support")));
        assert_eq!(smtp("username = 'support@b.example'"), None, "a password login is still the default");
        let err = parse("[mail.outbound.smtp]\nauth = 'oauth'\n", Path::new("c")).unwrap_err().to_string();
        assert!(err.contains("oauth"), "{err}");
    }

    #[test]
    fn smtp_without_its_table_is_named() {
        let c = parse("[mail]\naddress = 'a@b.example'\n[mail.outbound]\nvia = 'smtp'\n", Path::new("c")).unwrap();
        assert!(c.mail.unwrap().problem().unwrap().contains("[mail.outbound.smtp]"));
    }
}

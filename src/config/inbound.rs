//! `[[mail.inbound]]`: IMAP mailboxes the desk reads, and what a mail from each means.

use super::mail::Security;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// LOGIN with the first line `password_command` prints.
    #[default]
    Password,
    /// AUTHENTICATE XOAUTH2 with the access token `token_command` prints (Google, Microsoft 365).
    Xoauth2,
}

/// What is done with a mail on the server once it is on the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterImport {
    Seen,
    Move(String),
    Delete,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InboundConfig {
    /// Names the mailbox in the log, in `frontdesk mailbox check NAME`, and in the store.
    pub name: String,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    pub auth: Auth,
    /// A command whose first output line is the password: never a password in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_command: Option<String>,
    /// A command that prints a fresh OAuth 2 access token (for `auth = "xoauth2"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_command: Option<String>,
    pub folder: String,
    /// `seen`, `move:FOLDER` or `delete`.
    pub after: String,
    /// Tagged on every new ticket from this mailbox.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The least priority of a new ticket from it (a customer's tier may raise it further).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// The agent (login) new tickets from it are assigned to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// Seconds between polls when the server has no IDLE.
    pub poll_seconds: u64,
    /// A PEM file of CA certificates trusted beside the system's and the built-in ones (a company
    /// CA), for `security = "tls"` and `"starttls"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
}

impl Default for InboundConfig {
    fn default() -> Self {
        InboundConfig {
            name: String::new(),
            host: String::new(),
            port: 993,
            security: Security::Tls,
            username: String::new(),
            auth: Auth::Password,
            password_command: None,
            token_command: None,
            folder: "INBOX".into(),
            after: "seen".into(),
            tag: None,
            priority: None,
            assignee: None,
            poll_seconds: 60,
            ca_file: None,
        }
    }
}

impl InboundConfig {
    /// What is done after import; `None` when `after` is none of the three.
    pub fn after_import(&self) -> Option<AfterImport> {
        match self.after.trim() {
            "seen" => Some(AfterImport::Seen),
            "delete" => Some(AfterImport::Delete),
            other => match other.strip_prefix("move:").map(str::trim) {
                Some(folder) if !folder.is_empty() => Some(AfterImport::Move(folder.to_string())),
                _ => None,
            },
        }
    }

    pub fn priority(&self) -> Option<crate::domain::Priority> {
        self.priority.as_deref().and_then(|p| p.parse().ok())
    }

    /// What is wrong with this entry (`i` is its place among the entries), as one sentence.
    pub fn problem(&self, i: usize) -> Option<String> {
        let at = if self.name.trim().is_empty() {
            return Some(format!("mail.inbound entry {} has no name", i + 1));
        } else {
            format!("mail.inbound \"{}\"", self.name)
        };
        let need = |field: &str, value: &str| value.trim().is_empty().then(|| format!("{at} has no {field}"));
        need("host", &self.host)
            .or_else(|| need("username", &self.username))
            .or_else(|| need("folder", &self.folder))
            .or_else(|| (self.port == 0).then(|| format!("{at}: port 0 is not a port")))
            .or_else(|| self.security_problem(&at))
            .or_else(|| self.ca_file_problem(&at))
            .or_else(|| self.auth_problem(&at))
            .or_else(|| self.meaning_problem(&at))
    }

    fn security_problem(&self, at: &str) -> Option<String> {
        let loopback = matches!(self.host.trim(), "localhost" | "127.0.0.1" | "::1" | "[::1]");
        (self.security == Security::None && !loopback).then(|| {
            format!(
                "{at}: security = \"none\" sends the password in clear text and is allowed only to a \
                 loopback host (localhost, 127.0.0.1, ::1), not {}",
                self.host
            )
        })
    }

    /// A `ca_file` that cannot be read or holds no certificate is named now, not at each connection.
    fn ca_file_problem(&self, at: &str) -> Option<String> {
        let path = self.ca_file.as_deref()?;
        if !std::path::Path::new(path).is_absolute() {
            return Some(format!("{at}: ca_file is '{path}'; it must be an absolute path"));
        }
        let text = match std::fs::read(path) {
            Ok(text) => text,
            Err(e) => return Some(format!("{at}: cannot read its ca_file {path}: {e}")),
        };
        let pem = text.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----");
        (!pem).then(|| format!("{at}: its ca_file {path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"))
    }

    fn auth_problem(&self, at: &str) -> Option<String> {
        let empty = |c: &Option<String>| c.as_deref().is_none_or(|c| c.trim().is_empty());
        match self.auth {
            Auth::Password if empty(&self.password_command) => {
                Some(format!("{at} has no password_command (a command that prints the password)"))
            }
            Auth::Xoauth2 if empty(&self.token_command) => Some(format!(
                "{at} has auth = \"xoauth2\" but no token_command (a command that prints an access token)"
            )),
            _ => None,
        }
    }

    fn meaning_problem(&self, at: &str) -> Option<String> {
        if self.after_import().is_none() {
            return Some(format!("{at}: after is '{}'; expected \"seen\", \"move:FOLDER\" or \"delete\"", self.after));
        }
        if let Some(e) = self.priority.as_deref().and_then(|p| p.parse::<crate::domain::Priority>().err()) {
            return Some(format!("{at}: {e}"));
        }
        if self.poll_seconds == 0 {
            return Some(format!("{at}: poll_seconds must be more than 0"));
        }
        let blank = |v: &Option<String>| v.as_deref().is_some_and(|v| v.trim().is_empty());
        if blank(&self.tag) || blank(&self.assignee) {
            return Some(format!("{at}: tag and assignee, when given, must not be empty"));
        }
        None
    }
}

/// The first problem among all entries: one entry's, or two entries with one name.
pub fn problem(entries: &[InboundConfig]) -> Option<String> {
    for (i, entry) in entries.iter().enumerate() {
        if let Some(problem) = entry.problem(i) {
            return Some(problem);
        }
        if entries[..i].iter().any(|e| e.name.trim() == entry.name.trim()) {
            return Some(format!("two mail.inbound entries are named \"{}\"; each needs its own name", entry.name));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::config::parse;
    use std::path::Path;

    fn problem_of(entry: &str) -> Option<String> {
        let text = format!("[mail]\naddress = 'support@example.com'\n[[mail.inbound]]\n{entry}\n");
        let config = parse(&text, Path::new("c.toml")).unwrap();
        config.mail.unwrap().problem()
    }

    const GOOD: &str = "name = 'support'\nhost = 'imap.example.com'\nusername = 'support@example.com'\n\
                        password_command = 'pass show imap'";

    #[test]
    fn a_full_entry_parses_with_defaults() {
        let text = format!("[[mail.inbound]]\n{GOOD}\ntag = 'billing'\npriority = 'high'\nassignee = 'ana'\n");
        let config = parse(&text, Path::new("c.toml")).unwrap();
        let mail = config.mail.unwrap();
        assert_eq!(mail.problem(), None);
        let inbound = &mail.inbound[0];
        assert_eq!((inbound.port, inbound.folder.as_str(), inbound.after.as_str()), (993, "INBOX", "seen"));
        assert_eq!(inbound.priority(), Some(crate::domain::Priority::High));
        assert_eq!(inbound.after_import(), Some(super::AfterImport::Seen));
    }

    #[test]
    fn each_mistake_is_one_sentence_naming_the_mailbox() {
        let cases = [
            ("host = ''", "\"support\" has no host"),
            ("security = 'none'", "loopback"),
            ("after = 'archive'", "after is 'archive'"),
            ("after = 'move:'", "after is 'move:'"),
            ("priority = 'soon'", "unknown priority 'soon'"),
            ("auth = 'xoauth2'", "no token_command"),
            ("tag = ' '", "must not be empty"),
            ("poll_seconds = 0", "poll_seconds"),
        ];
        for (line, expected) in cases {
            // A key given twice is a TOML error: the host case replaces the good host.
            let entry = format!("{}\n{line}", GOOD.replace("host = 'imap.example.com'\n", ""));
            let entry = if line.starts_with("host") { entry } else { format!("host = 'imap.example.com'\n{entry}") };
            let problem = problem_of(&entry).unwrap_or_default();
            assert!(problem.contains(expected), "{line}: {problem}");
            assert!(!problem.contains('\n'), "{problem}");
        }
    }

    #[test]
    fn clear_text_is_allowed_to_loopback_and_move_names_its_folder() {
        let entry = GOOD.replace("imap.example.com", "127.0.0.1") + "\nsecurity = 'none'\nafter = 'move:Done'";
        assert_eq!(problem_of(&entry), None);
    }

    #[test]
    fn a_ca_file_is_read_when_the_config_is_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let with = |path: &std::path::Path| problem_of(&format!("{GOOD}\nca_file = {:?}", path.display().to_string()));
        let missing = with(&dir.path().join("missing.pem")).unwrap();
        assert!(missing.contains("mail.inbound \"support\": cannot read its ca_file ") && !missing.contains('\n'));
        let not_pem = dir.path().join("ca.der");
        std::fs::write(&not_pem, [0x30, 0x82, 0x01]).unwrap();
        assert!(with(&not_pem).unwrap().contains("holds no PEM certificate"));
        let pem = dir.path().join("ca.pem");
        std::fs::write(&pem, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").unwrap();
        assert_eq!(with(&pem), None);
        let relative = problem_of(&format!("{GOOD}\nca_file = 'ca.pem'")).unwrap();
        assert!(relative.contains("must be an absolute path"), "{relative}");
    }

    #[test]
    fn a_password_in_the_file_or_a_second_name_is_refused() {
        let err = parse(&format!("[[mail.inbound]]\n{GOOD}\npassword = 'x'\n"), Path::new("c.toml")).unwrap_err();
        assert!(err.to_string().contains("password"), "{err}");
        let twice = format!("{GOOD}\n[[mail.inbound]]\n{GOOD}");
        assert!(problem_of(&twice).unwrap().contains("two mail.inbound entries are named \"support\""));
        let without = GOOD.replace("password_command = 'pass show imap'", "");
        assert!(problem_of(&without).unwrap().contains("no password_command"));
    }
}

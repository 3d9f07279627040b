//! Configuration: the TOML file, where files live, and how it is reported when wrong.

pub mod inbound;
mod macros;
mod mail;
mod paths;
pub mod rules;
mod sla;
mod zone;

pub use inbound::{AfterImport, Auth, InboundConfig};
pub use mail::{MailConfig, OutboundConfig, Security, SmtpConfig, Via, DEFAULT_MAX_MESSAGE_SIZE};

pub use macros::{find as find_macro, load_macros, CannedReply, MacroActions};
pub use paths::{resolve_paths, Paths, PathsError};
pub use sla::{BusinessHoursConfig, PolicyConfig, SlaConfig, DEFAULT_STALE_DAYS};
pub use zone::local_zone;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Everything `config.toml` can say. Every field has a default, so an empty file is a valid config.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub ui: UiConfig,
    /// Where the desk's database is, when not named by `--db` or `FRONTDESK_DB`.
    #[serde(skip_serializing_if = "StoreConfig::is_empty")]
    pub store: StoreConfig,
    pub queue: QueueConfig,
    /// Key bindings per context (`global`, `queue`, `conversation`, `profile`, `composer`,
    /// `filtered`): key sequence → action name.
    pub keys: BTreeMap<String, BTreeMap<String, String>>,
    /// Email: the support address, import limits and outbound delivery (none: replies are not mailed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail: Option<MailConfig>,
    /// Saved filters, shown as queue tabs after the built-in ones (`[[views]]` tables).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<ViewConfig>,
    /// SLA targets, business hours and tier priority raises (none: no clocks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sla: Option<SlaConfig>,
    /// Rules (`[[rules]]` tables), read by [`rules::load`] into `rule_set` with those in `rules/*.toml`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<toml::Table>,
    /// The rules read when the config was loaded, and their mistakes.
    #[serde(skip)]
    pub rule_set: rules::RuleSet,
}

/// `[store]`: the desk's database by URL (a file path or a PostgreSQL URL) and how to get the
/// PostgreSQL password. The password itself never goes in the config.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreConfig {
    /// `postgres://user@host/desk`, `host=… dbname=…`, or a file path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A command that prints the PostgreSQL password on its first line (`pass show desk`);
    /// without one, `~/.pgpass` (or `PGPASSFILE`) is read as libpq reads it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_command: Option<String>,
}

impl StoreConfig {
    fn is_empty(&self) -> bool {
        self.url.is_none() && self.password_command.is_none()
    }
}

/// One saved filter: which tickets a tab shows and in what order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ViewConfig {
    /// The tab's title.
    pub name: String,
    /// Statuses shown (`new`, `open`, `pending`, `on_hold`, `solved`, `closed`, or `active` for the
    /// first four); empty shows every status.
    pub status: Vec<String>,
    /// `me`, `none`, a login, or empty for anyone.
    pub assignee: String,
    /// Tickets carrying every one of these tags.
    pub tags: Vec<String>,
    /// Priorities shown; empty shows every priority.
    pub priority: Vec<String>,
    /// `updated` (the default), `created` or `priority`.
    pub sort: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UiConfig {
    /// `default` (16 ANSI colours) or `monochrome`. `NO_COLOR` forces monochrome.
    pub theme: String,
    /// Show the customer profile pane when the terminal is at least this wide.
    pub profile_min_width: u16,
    /// Mouse capture (off by default so the terminal's own selection works).
    pub mouse: bool,
    /// After a reply is sent: `next` (the next ticket whose customer waits on us) or `stay`.
    pub after_send: String,
    /// Ring the terminal's bell when a ticket arrives in the tab shown or in Mine.
    pub bell: bool,
    /// The command that opens an attachment, given the file (empty: `xdg-open`, `open` on macOS).
    pub opener: String,
    /// Where attachments are saved (empty: the download folder, else the home folder).
    pub download_dir: String,
    /// The zone human times are shown and read in, an IANA name (`Europe/Paris`); empty: the
    /// machine's (`TZ`, else `/etc/localtime`).
    pub time_zone: String,
}

impl UiConfig {
    /// The agent's time zone: the configured one, else the machine's.
    pub fn zone(&self) -> crate::domain::when::Zone {
        match self.time_zone.trim() {
            "" => local_zone(),
            name => crate::domain::when::Zone::named(name).unwrap_or_else(|_| local_zone()),
        }
    }
}

impl Default for UiConfig {
    fn default() -> Self {
        UiConfig {
            theme: "default".into(),
            profile_min_width: 160,
            mouse: false,
            after_send: "next".into(),
            bell: false,
            opener: String::new(),
            download_dir: String::new(),
            time_zone: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueueConfig {
    /// Tickets fetched per page as the queue scrolls.
    pub page_size: usize,
    /// The tab the console opens on: `mine`, `unassigned`, `open` or `all`.
    pub default_view: String,
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig { page_size: 200, default_view: "open".into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("config file {path}, line {line}, column {column}: {message}")]
    Parse { path: PathBuf, line: usize, column: usize, message: String },
    #[error("config file {path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// Read the config at `path`. A missing file is the default config unless `required` (given by
/// `--config` or `FRONTDESK_CONFIG`).
pub fn load(path: &Path, required: bool) -> Result<Config, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            // `rules/*.toml` beside a config file not written yet still count.
            return Ok(Config { rule_set: rules::load(path, ""), ..Config::default() });
        }
        Err(source) => return Err(ConfigError::Read { path: path.to_path_buf(), source }),
    };
    let mut config = parse(&text, path)?;
    config.validate(path)?;
    config.rule_set = rules::load(path, &text);
    Ok(config)
}

pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    toml::from_str::<Config>(text).map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0).min(text.len());
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
        ConfigError::Parse { path: path.to_path_buf(), line, column, message: e.message().trim().to_string() }
    })
}

impl ViewConfig {
    /// The statuses this view shows, with `active` spelled out.
    pub fn statuses(&self) -> Result<Vec<crate::domain::Status>, String> {
        use crate::domain::Status;
        let mut out = Vec::new();
        for name in &self.status {
            if name == "active" {
                out.extend(Status::ALL.iter().filter(|s| s.is_active()));
                continue;
            }
            out.push(name.parse::<Status>().map_err(|_| {
                format!("status '{name}' is not one of new, open, pending, on_hold, solved, closed, active")
            })?);
        }
        Ok(out)
    }

    pub fn priorities(&self) -> Result<Vec<crate::domain::Priority>, String> {
        self.priority
            .iter()
            .map(|p| p.parse().map_err(|_| format!("priority '{p}' is not one of low, normal, high, urgent")))
            .collect()
    }

    fn check(&self) -> Result<(), String> {
        self.statuses()?;
        self.priorities()?;
        if !matches!(self.sort.as_str(), "" | "due" | "updated" | "created" | "priority") {
            return Err(format!("sort '{}' is not one of due, updated, created, priority", self.sort));
        }
        if let Some(tag) = self.tags.iter().find(|t| crate::domain::normalize_tag(t).is_none()) {
            return Err(format!("tag '{tag}' is empty"));
        }
        Ok(())
    }
}

impl Config {
    fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let invalid = |message: String| Err(ConfigError::Invalid { path: path.to_path_buf(), message });
        if !matches!(self.ui.theme.as_str(), "default" | "monochrome") {
            return invalid(format!("ui.theme is '{}'; expected 'default' or 'monochrome'", self.ui.theme));
        }
        if !matches!(self.ui.after_send.as_str(), "next" | "stay") {
            return invalid(format!("ui.after_send is '{}'; expected 'next' or 'stay'", self.ui.after_send));
        }
        if let Err(problem) = Some(self.ui.time_zone.trim())
            .filter(|name| !name.is_empty())
            .map_or(Ok(()), |name| crate::domain::when::Zone::named(name).map(drop))
        {
            return invalid(format!("ui.time_zone: {problem}"));
        }
        let mut names: Vec<String> = ["needs reply", "mine", "unassigned", "open", "all"].map(String::from).to_vec();
        for (i, view) in self.views.iter().enumerate() {
            let at = format!("views[{i}]");
            if view.name.trim().is_empty() {
                return invalid(format!("{at} has no name; give it one, as in name = \"Urgent\""));
            }
            if names.contains(&view.name.to_lowercase()) {
                return invalid(format!("{at}: a tab is already called '{}'", view.name));
            }
            names.push(view.name.to_lowercase());
            if let Err(problem) = view.check() {
                return invalid(format!("{at} ({}): {problem}", view.name));
            }
        }
        if !names.contains(&self.queue.default_view.to_lowercase()) {
            return invalid(format!(
                "queue.default_view is '{}'; expected needs reply, mine, unassigned, open, all or the name of a view",
                self.queue.default_view
            ));
        }
        if !(10..=5000).contains(&self.queue.page_size) {
            return invalid(format!("queue.page_size is {}; expected 10 to 5000", self.queue.page_size));
        }
        if let Some(problem) = self.mail.as_ref().and_then(MailConfig::problem) {
            return invalid(problem);
        }
        if let Some(problem) = self.sla.as_ref().and_then(SlaConfig::problem) {
            return invalid(problem);
        }
        Ok(())
    }

    /// The config as TOML, for `frontdesk config dump`.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_is_the_default() {
        assert_eq!(parse("", Path::new("c.toml")).unwrap(), Config::default());
    }

    #[test]
    fn a_bad_value_names_file_line_and_problem() {
        let err = parse("[ui]\ntheme = 3\n", Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.starts_with("config file c.toml, line 2, column 9:"), "{err}");
        assert!(err.contains("expected a string"), "{err}");
    }

    #[test]
    fn an_unknown_key_is_named() {
        let err = parse("[ui]\nthem = 'x'\n", Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("them"), "{err}");
    }

    #[test]
    fn key_tables_parse() {
        let c = parse("[keys.queue]\n\"g g\" = \"select_first\"\n", Path::new("c.toml")).unwrap();
        assert_eq!(c.keys["queue"]["g g"], "select_first");
    }

    #[test]
    fn views_parse_and_bad_ones_are_named() {
        let text = "[queue]\ndefault_view = \"urgent\"\n[[views]]\nname = \"Urgent\"\nstatus = [\"active\"]\n\
                    priority = [\"urgent\", \"high\"]\nsort = \"priority\"\n";
        let c = parse(text, Path::new("c.toml")).unwrap();
        c.validate(Path::new("c.toml")).unwrap();
        assert_eq!(c.views[0].statuses().unwrap().len(), 4);
        let bad = "[[views]]\nname = \"Mine\"\n";
        let err = parse(bad, Path::new("c.toml")).unwrap().validate(Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.contains("a tab is already called 'Mine'"), "{err}");
        let bad = "[[views]]\nname = \"X\"\nstatus = [\"opne\"]\n";
        let err = parse(bad, Path::new("c.toml")).unwrap().validate(Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.contains("views[0] (X): status 'opne'"), "{err}");
        let bad = "[[views]]\nname = \"X\"\nsort = \"age\"\n";
        let err = parse(bad, Path::new("c.toml")).unwrap().validate(Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.contains("sort 'age'"), "{err}");
    }

    #[test]
    fn dump_round_trips() {
        let c = Config::default();
        assert_eq!(parse(&c.to_toml(), Path::new("x")).unwrap(), c);
    }
}

//! Configuration: the TOML file, where files live, and how it is reported when wrong.

mod mail;
mod paths;

pub use mail::{MailConfig, OutboundConfig, Security, SmtpConfig, Via, DEFAULT_MAX_MESSAGE_SIZE};

pub use paths::{resolve_paths, Paths, PathsError};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Everything `config.toml` can say. Every field has a default, so an empty file is a valid config.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub ui: UiConfig,
    pub queue: QueueConfig,
    /// Key bindings per context (`global`, `queue`, `conversation`, `profile`, `composer`):
    /// key sequence → action name.
    pub keys: BTreeMap<String, BTreeMap<String, String>>,
    /// Email: the support address, import limits and outbound delivery (none: replies are not mailed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail: Option<MailConfig>,
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
}

impl Default for UiConfig {
    fn default() -> Self {
        UiConfig { theme: "default".into(), profile_min_width: 100, mouse: false }
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
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(Config::default()),
        Err(source) => return Err(ConfigError::Read { path: path.to_path_buf(), source }),
    };
    let config = parse(&text, path)?;
    config.validate(path)?;
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

impl Config {
    fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let invalid = |message: String| Err(ConfigError::Invalid { path: path.to_path_buf(), message });
        if !matches!(self.ui.theme.as_str(), "default" | "monochrome") {
            return invalid(format!("ui.theme is '{}'; expected 'default' or 'monochrome'", self.ui.theme));
        }
        if !matches!(self.queue.default_view.as_str(), "mine" | "unassigned" | "open" | "all") {
            return invalid(format!(
                "queue.default_view is '{}'; expected mine, unassigned, open or all",
                self.queue.default_view
            ));
        }
        if !(10..=5000).contains(&self.queue.page_size) {
            return invalid(format!("queue.page_size is {}; expected 10 to 5000", self.queue.page_size));
        }
        if let Some(problem) = self.mail.as_ref().and_then(MailConfig::problem) {
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
    fn dump_round_trips() {
        let c = Config::default();
        assert_eq!(parse(&c.to_toml(), Path::new("x")).unwrap(), c);
    }
}

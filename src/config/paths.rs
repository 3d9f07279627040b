//! Where the database, the config and the logs live.

use directories::ProjectDirs;
use std::path::PathBuf;

/// The demo's own config folder, beside `demo.db` in the data folder: `config.toml` and `macros/`.
const DEMO_CONFIG_DIR: &str = "demo";

#[derive(Debug, Clone, PartialEq)]
pub struct Paths {
    pub db: PathBuf,
    pub config: PathBuf,
    /// Whether the config was named explicitly (then it must exist).
    pub config_required: bool,
    /// Whether the config is the demo's own (`--demo` without `--config`): written on first use.
    pub demo_config: bool,
    pub data_dir: PathBuf,
    pub state_dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
#[error(
    "cannot find a home folder for frontdesk's files; set --db and --config (or FRONTDESK_DB and FRONTDESK_CONFIG)"
)]
pub struct PathsError;

/// Resolve paths from explicit choices (flags or environment, already merged by clap) and the
/// platform folders (`directories`, which honours `XDG_*`). `demo` picks the demo database and,
/// unless a config is named, the demo's own config beside it.
pub fn resolve_paths(db: Option<PathBuf>, config: Option<PathBuf>, demo: bool) -> Result<Paths, PathsError> {
    let dirs = ProjectDirs::from("", "", "frontdesk");
    let data_dir = match (&dirs, &db) {
        (Some(d), _) => d.data_dir().to_path_buf(),
        (None, Some(db)) => db.parent().map(PathBuf::from).unwrap_or_default(),
        (None, None) => return Err(PathsError),
    };
    let state_dir =
        dirs.as_ref().and_then(|d| d.state_dir().map(PathBuf::from)).unwrap_or_else(|| data_dir.join("state"));
    let db = match (db, demo) {
        (_, true) => data_dir.join("demo.db"),
        (Some(db), false) => db,
        (None, false) => data_dir.join("frontdesk.db"),
    };
    let config_required = config.is_some();
    let demo_config = demo && !config_required;
    let config = match (config, &dirs) {
        (Some(c), _) => c,
        (None, _) if demo => data_dir.join(DEMO_CONFIG_DIR).join("config.toml"),
        (None, Some(d)) => d.config_dir().join("config.toml"),
        (None, None) => return Err(PathsError),
    };
    Ok(Paths { db, config, config_required, demo_config, data_dir, state_dir })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_paths_win_and_demo_uses_its_own_file() {
        let p = resolve_paths(Some("x.db".into()), Some("c.toml".into()), false).unwrap();
        assert_eq!(p.db, PathBuf::from("x.db"));
        assert!(p.config_required && !p.demo_config);
        let d = resolve_paths(None, None, true).unwrap();
        assert!(d.db.ends_with("demo.db"));
        assert!(!d.config_required);
    }

    #[test]
    fn demo_brings_its_config_beside_its_database_unless_one_is_named() {
        let d = resolve_paths(None, None, true).unwrap();
        assert!(d.demo_config);
        assert_eq!(d.config, d.data_dir.join("demo").join("config.toml"));
        assert_eq!(d.config.parent().and_then(|p| p.parent()), d.db.parent());
        let named = resolve_paths(None, Some("mine.toml".into()), true).unwrap();
        assert!(!named.demo_config && named.config_required);
        assert_eq!(named.config, PathBuf::from("mine.toml"));
        assert!(named.db.ends_with("demo.db"));
    }
}

//! The demo desk's own config, embedded from `assets/demo-config/`: what `--demo` writes beside
//! its database.

/// The demo's `config.toml`.
pub const CONFIG: &str = include_str!("../../assets/demo-config/config.toml");

/// The demo's canned replies, one file each, written to `macros/` beside its config.
pub const MACROS: &[(&str, &str)] = &[
    ("greeting.toml", include_str!("../../assets/demo-config/macros/greeting.toml")),
    ("order-number.toml", include_str!("../../assets/demo-config/macros/order-number.toml")),
    ("thanks-solved.toml", include_str!("../../assets/demo-config/macros/thanks-solved.toml")),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;

    #[test]
    fn the_demo_config_and_its_canned_replies_are_valid() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, CONFIG).unwrap();
        let config = config::load(&path, true).unwrap();
        assert_eq!(config.views.len(), 2);
        assert_eq!(config.sla.as_ref().map(|s| s.hours.as_str()), Some("business"));
        let macros = dir.path().join("macros");
        std::fs::create_dir(&macros).unwrap();
        for (name, text) in MACROS {
            std::fs::write(macros.join(name), text).unwrap();
        }
        let (replies, problems) = config::load_macros(&macros);
        assert!(problems.is_empty(), "{problems:?}");
        let status = |name: &str| config::find_macro(&replies, name).map(|m| m.actions.status.clone());
        assert_eq!(status("Greeting"), Some(None));
        assert_eq!(status("Ask for the order number"), Some(Some("pending".into())));
        assert_eq!(status("Thanks, solved"), Some(Some("solved".into())));
    }
}

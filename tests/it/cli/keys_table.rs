//! The README's keys table and the console's key map (`frontdesk keys`, `?`) say the same.

use frontdesk::config::Config;

/// The keys the README's keys table names, as the config spells them, lower case.
fn readme_keys() -> Vec<String> {
    let readme = include_str!("../../../README.md");
    let table = readme.split("### Keys").nth(1).expect("a Keys section").split("\n\n").nth(1).expect("its table");
    let mut keys = Vec::new();
    for row in table.lines().filter(|l| l.starts_with("| `")) {
        let cell = row.split(" | ").next().unwrap_or("");
        for (i, piece) in cell.split('`').enumerate() {
            if i % 2 == 1 {
                keys.push(piece.to_lowercase().replace('↓', "down").replace('↑', "up"));
            }
        }
    }
    keys
}

#[test]
fn every_default_binding_is_in_the_readmes_keys_table() {
    let named = readme_keys();
    let (listing, problems) = frontdesk::app::key_listing(&Config::default());
    assert!(problems.is_empty(), "{problems:?}");
    let missing: Vec<String> = listing
        .iter()
        .filter(|k| !named.contains(&k.keys.to_lowercase()))
        // The palette runs these by name: `:merge_ticket` is how the table names them.
        .filter(|k| !named.contains(&format!(":{}", k.action)))
        .map(|k| format!("{} {} ({})", k.context, k.keys, k.action))
        .collect();
    assert!(missing.is_empty(), "bound but not in the README's keys table: {missing:#?}");
}

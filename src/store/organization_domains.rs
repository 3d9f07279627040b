//! The index of organizations' domains (`organization_domains`, which places new customers), as
//! `frontdesk check` compares it with the organizations' own lists and `--repair` rebuilds it.

use super::{Result, Store};
use crate::domain::text::for_display_line;

impl Store {
    /// The domains where `organization_domains` (what new customers are placed by) differs from
    /// the organizations' own `domains`: each a sentence naming the domain and both sides.
    pub fn organization_domain_drift(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(DOMAIN_DRIFT)?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?, r.get::<_, Option<i64>>(2)?))
        })?;
        let side = |id: Option<i64>| id.map_or("no organization".to_string(), |id| format!("organization {id}"));
        let mut drift = Vec::new();
        for row in rows {
            let (domain, listed, placed) = row?;
            let domain = for_display_line(&domain);
            drift.push(format!(
                "the domain {domain} is listed by {} but places new customers in {}",
                side(listed),
                side(placed)
            ));
        }
        Ok(drift)
    }

    /// Make `organization_domains` again from the organizations' `domains` (the first
    /// organization keeps a domain listed twice, as the migration does).
    pub fn rebuild_organization_domains(&self) -> Result<()> {
        self.write(|conn| {
            conn.execute_batch(
                "DELETE FROM organization_domains;
                 INSERT OR IGNORE INTO organization_domains (domain, organization_id)
                 SELECT lower(j.value), o.id FROM organizations o,
                        json_each('[\"' || replace(trim(o.domains), ' ', '\",\"') || '\"]') j
                 WHERE j.value <> '' ORDER BY o.id;",
            )?;
            Ok(())
        })
    }
}

/// Each domain with the organization listing it first (as `organization_domains` is built) and
/// the one `organization_domains` places it in, where the two differ.
const DOMAIN_DRIFT: &str = "WITH listed AS (
    SELECT lower(j.value) AS domain, min(o.id) AS organization_id
    FROM organizations o, json_each('[\"' || replace(trim(o.domains), ' ', '\",\"') || '\"]') j
    WHERE j.value <> '' GROUP BY lower(j.value)
)
SELECT l.domain, l.organization_id, d.organization_id FROM listed l
    LEFT JOIN organization_domains d ON d.domain = l.domain
    WHERE d.organization_id IS NOT l.organization_id
UNION ALL
SELECT d.domain, NULL, d.organization_id FROM organization_domains d
    WHERE lower(d.domain) NOT IN (SELECT domain FROM listed)
ORDER BY 1";

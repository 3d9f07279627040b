//! Every customer's tier, read in one pass for a report: a report of many tickets then looks
//! each ticket's tier up in memory rather than in the customers' table (at a million tickets,
//! a million random reads of its pages, most of the SQL's time).

use super::{Result, Store};
use crate::domain::Tier;

/// Customers' tiers by id, from `first` on; `None` for an id with no customer.
pub(crate) struct CustomerTiers {
    first: i64,
    tiers: Vec<Option<Tier>>,
}

/// Ids spread wider than this many per customer are looked up by SQL instead (a table of them
/// would be mostly holes).
const SPREAD: i64 = 8;

impl CustomerTiers {
    /// The tier of customer `id`, if there is such a customer.
    pub(crate) fn get(&self, id: i64) -> Option<Tier> {
        let at = usize::try_from(id.checked_sub(self.first)?).ok()?;
        self.tiers.get(at).copied().flatten()
    }
}

/// A tier as stored (lowercase), found without the allocations of `str::parse`.
pub(crate) fn stored_tier(text: &str) -> Option<Tier> {
    Tier::ALL.iter().copied().find(|t| t.as_str() == text).or_else(|| text.parse().ok())
}

impl Store {
    /// Every customer's tier, in the caller's read transaction; `None` when the customers' ids
    /// are too sparse for a table of them.
    pub(crate) fn customer_tiers(&self) -> Result<Option<CustomerTiers>> {
        let (first, last, count): (Option<i64>, Option<i64>, i64) =
            self.conn.query_row("SELECT min(id), max(id), count(*) FROM customers", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(Some(CustomerTiers { first: 0, tiers: Vec::new() }));
        };
        if last - first >= SPREAD * count.max(1024) {
            return Ok(None);
        }
        let mut tiers = vec![None; usize::try_from(last - first + 1).unwrap_or(0)];
        let mut stmt = self.conn.prepare("SELECT id, tier FROM customers")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let tier = row.get_ref(1)?.as_str().ok().and_then(stored_tier);
            match (tier, usize::try_from(id - first).ok().and_then(|at| tiers.get_mut(at))) {
                (Some(tier), Some(slot)) => *slot = Some(tier),
                // A tier this binary cannot read: the per-ticket join reports it as it always did.
                _ => return Ok(None),
            }
        }
        Ok(Some(CustomerTiers { first, tiers }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tier_is_found_by_its_stored_name_and_ids_outside_are_none() {
        assert_eq!(stored_tier("gold"), Some(Tier::Gold));
        assert_eq!(stored_tier("VIP"), Some(Tier::Vip));
        assert_eq!(stored_tier("platinum"), None);
        let tiers = CustomerTiers { first: 5, tiers: vec![Some(Tier::Silver), None, Some(Tier::Vip)] };
        assert_eq!(tiers.get(5), Some(Tier::Silver));
        assert_eq!(tiers.get(6), None);
        assert_eq!(tiers.get(7), Some(Tier::Vip));
        assert_eq!(tiers.get(4), None);
        assert_eq!(tiers.get(8), None);
        assert_eq!(tiers.get(i64::MIN), None);
    }
}

//! Opening a desk by where it is: a SQLite file today; a PostgreSQL URL is understood, and its
//! backend can receive and give back a desk (`frontdesk migrate`), but `Store` cannot work on it yet.

use super::url::DatabaseLocation;
use super::{Result, Store, StoreError};

impl Store {
    /// Open the desk at `location`.
    pub fn open_location(location: &DatabaseLocation) -> Result<Store> {
        match location {
            DatabaseLocation::File(path) => Store::open(path),
            DatabaseLocation::Postgres(target) => Err(StoreError::Invalid(format!(
                "the PostgreSQL backend can take a desk in and give it back (frontdesk migrate) but cannot open one yet; keep working on the SQLite file and copy it to {target} with: frontdesk migrate --to URL"
            ))),
        }
    }
}

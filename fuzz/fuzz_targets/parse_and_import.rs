//! Any bytes given to import end in an outcome (imported, duplicate, quarantined), never a panic.
#![no_main]

use frontdesk::store::Store;
use libfuzzer_sys::fuzz_target;
use std::cell::RefCell;

thread_local! {
    // One database for many inputs (as a long import would be), started afresh now and then.
    static DESK: RefCell<(Store, u32)> = RefCell::new((Store::open_in_memory().unwrap(), 0));
}

fuzz_target!(|data: &[u8]| {
    DESK.with(|desk| {
        let mut desk = desk.borrow_mut();
        if desk.1 >= 10_000 {
            *desk = (Store::open_in_memory().unwrap(), 0);
        }
        desk.1 += 1;
        frontdesk::mail::parse_and_import(&desk.0, data).expect("only a broken database is an error");
    });
});

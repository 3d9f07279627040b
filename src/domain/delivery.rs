//! Retrying mail that did not leave: how long to wait after each failed attempt, and what a
//! waiting reply shows of its attempts.

use super::Timestamp;
use std::time::Duration;

/// The wait after the first failed attempt; each further failure doubles it.
pub const FIRST_RETRY: Duration = Duration::from_secs(60);
/// The longest wait between two attempts: a relay down for a day is still tried every few hours.
pub const LONGEST_RETRY: Duration = Duration::from_secs(6 * 3600);

/// How long to wait before the next attempt after `attempts` failed ones (1 → 1 min, 2 → 2 min,
/// 3 → 4 min, … at most 6 hours).
pub fn retry_delay(attempts: i64) -> Duration {
    let doublings = attempts.clamp(1, 32) as u32 - 1;
    FIRST_RETRY.saturating_mul(2u32.saturating_pow(doublings)).min(LONGEST_RETRY)
}

/// A reply's mail that failed and waits for another attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRetry {
    pub attempts: i64,
    pub next_try: Option<Timestamp>,
    pub last_error: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_doubles_the_wait_up_to_six_hours() {
        let minutes = |n| retry_delay(n).as_secs() / 60;
        assert_eq!([minutes(0), minutes(1), minutes(2), minutes(3), minutes(4)], [1, 1, 2, 4, 8]);
        assert_eq!(minutes(9), 256);
        assert_eq!(minutes(10), 360);
        assert_eq!(minutes(1000), 360);
    }
}

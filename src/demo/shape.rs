//! The shape of a realistic desk: how statuses, priorities, channels, lengths and delays are spread.

use super::rng::Rng;
use crate::domain::{Channel, Priority, Status};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;

/// How a ticket of this age has most likely ended up: recent ones still in the queue, old ones done.
pub(crate) fn final_status(rng: &mut Rng, age_ms: i64) -> Status {
    use Status::*;
    let (statuses, weights): (&[Status], &[u32]) = match age_ms / HOUR {
        h if h < 3 => (&[New, Open, Pending], &[60, 30, 10]),
        h if h < 48 => (&[New, Open, Pending, OnHold, Solved], &[15, 35, 25, 5, 20]),
        h if h < 240 => (&[Open, Pending, OnHold, Solved, Closed], &[12, 15, 6, 62, 5]),
        _ => (&[Open, Pending, OnHold, Solved, Closed], &[1, 1, 1, 17, 80]),
    };
    statuses[rng.weighted(weights)]
}

/// The priority a ticket comes in with, before the customer's tier raises it.
pub(crate) fn initial_priority(rng: &mut Rng) -> Priority {
    Priority::ALL[rng.weighted(&[15, 62, 19, 4])]
}

/// How much of the next-response target an open ticket's customer has waited by `now`: mostly a
/// little, now and then most of it (the clock's warning quarter), never all of it.
pub(crate) fn share_of_promise(rng: &mut Rng) -> f64 {
    0.03 + 0.87 * rng.unit().powi(2)
}

/// A different priority, as an agent's triage would set it.
pub(crate) fn triaged_priority(rng: &mut Rng, current: Priority) -> Priority {
    let others: Vec<Priority> =
        Priority::ALL.iter().copied().filter(|p| *p != current && *p != Priority::Urgent).collect();
    *rng.pick(&others)
}

pub(crate) fn channel(rng: &mut Rng) -> Channel {
    use Channel::*;
    [Email, Web, Chat, Phone, Social][rng.weighted(&[50, 20, 15, 10, 5])]
}

/// Customer messages and public replies in a conversation: 2 to 25, about 10 on average,
/// fewer on young tickets. Odd when it must end with the customer, even when with a reply.
pub(crate) fn conversation_length(rng: &mut Rng, age_ms: i64, ends_with_customer: bool) -> usize {
    let mut n = 1 + rng.below(10) + rng.below(10);
    if rng.chance(0.05) {
        n += rng.below(7);
    }
    let n = n.clamp(2, 25).min(2 + (age_ms / (2 * HOUR)) as usize);
    match (n % 2 == 1, ends_with_customer) {
        (true, true) | (false, false) => n,
        _ if n > 3 => n - 1,
        _ => n + 1,
    }
}

/// How long the desk takes to answer: minutes when urgent, up to a day when low.
pub(crate) fn reply_delay(rng: &mut Rng, priority: Priority) -> i64 {
    let (lo, hi) = match priority {
        Priority::Urgent => (5, 45),
        Priority::High => (15, 240),
        Priority::Normal => (30, 720),
        Priority::Low => (60, 1_440),
    };
    rng.between(lo, hi) * MINUTE
}

/// How long the customer takes to write back.
pub(crate) fn customer_delay(rng: &mut Rng) -> i64 {
    rng.between(30, 40 * 60) * MINUTE
}

/// A short pause between two things one person does.
pub(crate) fn short_delay(rng: &mut Rng) -> i64 {
    rng.between(1, 20) * MINUTE
}

/// How long after solving a customer answers the satisfaction question.
pub(crate) fn rating_delay(rng: &mut Rng) -> i64 {
    rng.between(10, 20 * 60) * MINUTE
}

/// A CSAT score, 1 to 5: mostly happy, now and then not at all.
pub(crate) fn csat_score(rng: &mut Rng) -> u8 {
    [1, 2, 3, 4, 5][rng.weighted(&[4, 3, 6, 27, 60])]
}

/// Solved tickets close by themselves a few days later.
pub(crate) fn close_delay(rng: &mut Rng) -> i64 {
    rng.between(72, 120) * HOUR
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversation_lengths_have_the_right_parity_and_range() {
        let mut rng = Rng::new(3);
        let day = 24 * HOUR;
        for _ in 0..1000 {
            let open = conversation_length(&mut rng, 30 * day, true);
            let done = conversation_length(&mut rng, 30 * day, false);
            assert!(open % 2 == 1 && (3..=25).contains(&open), "{open}");
            assert!(done.is_multiple_of(2) && (2..=24).contains(&done), "{done}");
        }
    }
}

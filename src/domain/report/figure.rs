//! Every figure of a report: its name (for `--tickets` and `--json`), its label, its unit and
//! what it counts (for `--explain`).

use serde::{Serialize, Serializer};

/// What a figure's number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Count,
    /// Working seconds (business hours where the ticket's SLA policy counts them).
    Seconds,
    Percent,
    /// NPS: % promoters − % detractors, −100 to 100.
    Score,
}

/// What the ticket numbers behind a figure are numbers of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behind {
    Tickets,
    /// NPS is given by customers, not on tickets.
    Customers,
}

macro_rules! figures {
    ($($variant:ident => $name:literal, $label:literal, $unit:ident, $explain:literal;)+) => {
        /// One figure of a report.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Figure { $($variant),+ }

        impl Figure {
            pub const ALL: &'static [Figure] = &[$(Figure::$variant),+];

            /// The figure's name in `--json`, `--csv` and `--tickets`.
            pub fn name(self) -> &'static str {
                match self { $(Figure::$variant => $name),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $(Figure::$variant => $label),+ }
            }

            pub fn unit(self) -> Unit {
                match self { $(Figure::$variant => Unit::$unit),+ }
            }

            /// What the figure counts, from which events; times are in the hours the report names.
            pub fn explain(self) -> &'static str {
                match self { $(Figure::$variant => $explain),+ }
            }
        }
    };
}

figures! {
    New => "new", "new tickets", Count,
        "tickets created in the period (their `created` event).";
    Solved => "solved", "solved", Count,
        "tickets solved (or closed) now whose last change to solved or closed fell in the period: the moment their resolution clock stopped.";
    Reopened => "reopened", "reopened", Count,
        "tickets moved from solved or closed back to new, open, pending or on hold in the period (a `status` event), each counted once.";
    FollowUps => "follow_ups", "follow-ups of closed tickets", Count,
        "tickets created in the period because a customer wrote to a closed ticket (their `follows` event).";
    Backlog => "backlog", "backlog at the end", Count,
        "tickets not solved or closed (new, open, pending, on hold) at the end of the period, from their `status` events.";
    BacklogUnderDay => "backlog_0_1d", "  0-1 day old", Count,
        "backlog tickets created less than 1 day before the end of the period.";
    BacklogDays => "backlog_1_3d", "  1-3 days old", Count,
        "backlog tickets created 1 to 3 days before the end of the period.";
    BacklogWeek => "backlog_3_7d", "  3-7 days old", Count,
        "backlog tickets created 3 to 7 days before the end of the period.";
    BacklogOld => "backlog_over_7d", "  over 7 days old", Count,
        "backlog tickets created more than 7 days before the end of the period.";
    FirstResponseMedian => "first_response_median", "first response, median", Seconds,
        "for each ticket whose first public reply was in the period: the time from its creation to that reply, on its first-response clock (pending, on hold and solved time not counted); the middle value.";
    FirstResponseP90 => "first_response_p90", "first response, p90", Seconds,
        "as first_response_median, the 90th percentile (nearest rank): 9 in 10 first replies took at most this; --tickets lists the tail at or over it.";
    FirstResponseMean => "first_response_mean", "first response, mean", Seconds,
        "as first_response_median, the mean.";
    NextResponseMedian => "next_response_median", "next response, median", Seconds,
        "for each wait answered in the period (from the oldest customer message after one of our replies to our next reply): its time on the next-response clock; the middle value.";
    NextResponseP90 => "next_response_p90", "next response, p90", Seconds,
        "as next_response_median, the 90th percentile (nearest rank).";
    NextResponseMean => "next_response_mean", "next response, mean", Seconds,
        "as next_response_median, the mean.";
    ResolutionMedian => "resolution_median", "resolution, median", Seconds,
        "for each ticket solved in the period: the time from its creation to that solve on its resolution clock (pending and on hold time not counted); the middle value.";
    ResolutionP90 => "resolution_p90", "resolution, p90", Seconds,
        "as resolution_median, the 90th percentile (nearest rank).";
    ResolutionMean => "resolution_mean", "resolution, mean", Seconds,
        "as resolution_median, the mean.";
    CustomerWaitMedian => "customer_wait_median", "customers' wait per ticket, median", Seconds,
        "for each ticket solved in the period: every hour of the clock (not business hours) its customer waited on us, from the ticket's creation or their message to our reply, not counting pending, on hold or solved time; the middle value.";
    CustomerWaitP90 => "customer_wait_p90", "customers' wait per ticket, p90", Seconds,
        "as customer_wait_median, the 90th percentile (nearest rank).";
    CustomerWaitMean => "customer_wait_mean", "customers' wait per ticket, mean", Seconds,
        "as customer_wait_median, the mean.";
    FirstResponseMet => "sla_first_response_met", "SLA first response met", Percent,
        "first-response clocks (of tickets whose SLA policy has one) that stopped in the period, by a reply or a solve: the share that stopped in time; --tickets lists every clock counted.";
    FirstResponseBreached => "sla_first_response_breached", "  breached", Count,
        "first-response clocks that stopped in the period after they were due.";
    FirstResponseBreaching => "sla_first_response_breaching_now", "  open and breaching now", Count,
        "tickets not solved or closed whose first-response clock is past due now, unanswered.";
    NextResponseMet => "sla_next_response_met", "SLA next response met", Percent,
        "next-response clocks (one per wait, as next_response_median) that stopped in the period: the share that stopped in time.";
    NextResponseBreached => "sla_next_response_breached", "  breached", Count,
        "next-response clocks that stopped in the period after they were due.";
    NextResponseBreaching => "sla_next_response_breaching_now", "  open and breaching now", Count,
        "tickets not solved or closed whose customer has waited for a next reply past its due time, now.";
    ResolutionMet => "sla_resolution_met", "SLA resolution met", Percent,
        "resolution clocks that stopped in the period (the ticket solved): the share that stopped in time.";
    ResolutionBreached => "sla_resolution_breached", "  breached", Count,
        "resolution clocks that stopped in the period after they were due.";
    ResolutionBreaching => "sla_resolution_breaching_now", "  open and breaching now", Count,
        "tickets not solved or closed whose resolution clock is past due now.";
    Csat => "csat", "CSAT (good of rated)", Percent,
        "CSAT ratings given in the period (a ticket's latest): good (good, 4/5 or 5/5) ÷ rated.";
    Rated => "rated", "  tickets rated", Count,
        "tickets given a CSAT rating in the period.";
    ResponseRate => "survey_response_rate", "  survey response rate", Percent,
        "CSAT surveys mailed in the period: the share of their tickets that have a CSAT rating now.";
    BadRatings => "bad_ratings", "  bad ratings", Count,
        "CSAT ratings in the period that are not good (bad, 1/5 to 3/5); their comments are listed.";
    Nps => "nps", "NPS", Score,
        "NPS answers given in the period (customers, 0-10): % promoters (9-10) − % detractors (0-6).";
    Promoters => "nps_promoters", "  promoters", Count,
        "NPS answers of 9 or 10 in the period; --tickets lists the customers.";
    Passives => "nps_passives", "  passives", Count,
        "NPS answers of 7 or 8 in the period; --tickets lists the customers.";
    Detractors => "nps_detractors", "  detractors", Count,
        "NPS answers of 0 to 6 in the period; --tickets lists the customers.";
    OneTouch => "one_touch", "one-touch resolution", Percent,
        "of the tickets solved in the period, the share solved with exactly one public reply from us.";
    Reopen => "reopen_rate", "reopened before solved", Percent,
        "of the tickets solved in the period, the share that had been reopened at least once before that solve.";
}

impl Figure {
    pub fn behind(self) -> Behind {
        match self {
            Figure::Nps | Figure::Promoters | Figure::Passives | Figure::Detractors => Behind::Customers,
            _ => Behind::Tickets,
        }
    }

    /// The figure named `name`, or a sentence listing the names.
    pub fn named(name: &str) -> Result<Figure, String> {
        let wanted = name.trim().to_ascii_lowercase().replace('-', "_");
        Figure::ALL.iter().copied().find(|f| f.name() == wanted).ok_or_else(|| {
            let names: Vec<&str> = Figure::ALL.iter().map(|f| f.name()).collect();
            format!("'{name}' is not a figure of the report; the figures are {}", names.join(", "))
        })
    }

    /// The heading a figure sits under in the text table, when it starts a block.
    pub fn heading(self) -> Option<&'static str> {
        Some(match self {
            Figure::New => "Volume",
            Figure::FirstResponseMedian => "Response times",
            Figure::CustomerWaitMedian => "Customers' wait",
            Figure::FirstResponseMet => "SLA",
            Figure::Csat => "Satisfaction",
            Figure::OneTouch => "Resolution",
            _ => return None,
        })
    }
}

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_figure_has_a_distinct_name_and_an_explanation() {
        let mut names: Vec<&str> = Figure::ALL.iter().map(|f| f.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Figure::ALL.len());
        assert!(Figure::ALL.iter().all(|f| f.explain().len() > 20 && !f.label().is_empty()));
        assert_eq!(Figure::named("first-response-p90"), Ok(Figure::FirstResponseP90));
        assert!(Figure::named("speed").unwrap_err().contains("first_response_median"));
    }
}

//! `R`: record the customer's CSAT for a solved ticket, or their NPS answer.

use crate::app::model::message::Effect;
use crate::app::model::overlay::{Choice, Item, Overlay, OverlayKind};
use crate::app::model::state::State;
use crate::domain::satisfaction::Csat;
use crate::domain::Status;

/// The rating picker: CSAT answers when the open ticket is solved, NPS answers always.
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(ticket) = super::open_ticket_or_say(state) else { return vec![] };
    let solved = matches!(ticket.status, Status::Solved | Status::Closed);
    let mut overlay = Overlay::new(OverlayKind::Rate, rate_items(solved));
    overlay.seen_version = super::seen_version(state);
    state.overlay = Some(overlay);
    vec![]
}

/// CSAT answers for a solved ticket, then NPS answers (0–10) for the customer.
fn rate_items(solved: bool) -> Vec<Item> {
    let mut items = Vec::new();
    if solved {
        items.push(Item::new("good".into(), "CSAT: satisfied".into(), Choice::Rate(Csat::Good)));
        items.push(Item::new("bad".into(), "CSAT: not satisfied".into(), Choice::Rate(Csat::Bad)));
        items.extend((1..=5).rev().map(|s| {
            let detail = if s >= 4 { "CSAT: counts as good" } else { "CSAT: counts as bad" };
            Item::new(format!("{s}/5"), detail.into(), Choice::Rate(Csat::Score(s)))
        }));
    }
    items.extend((0..=10).rev().map(|s| {
        let kind = match s {
            9..=10 => "promoter",
            7..=8 => "passive",
            _ => "detractor",
        };
        Item::new(format!("NPS {s}"), format!("would recommend us: {kind}"), Choice::Nps(s))
    }));
    items
}

/// Rate the open ticket, if it is still at `seen`, the version the picker was opened on.
pub fn apply_csat(state: &State, csat: Csat, seen: Option<i64>) -> Vec<Effect> {
    let Some(t) = state.open_ticket() else { return vec![] };
    vec![Effect::Rate { id: t.id, version: seen.unwrap_or(t.version), csat }]
}

/// NPS is the customer's, not the ticket's: no version to check (at most one in 30 days).
pub fn apply_nps(state: &State, score: u8) -> Vec<Effect> {
    let Some(t) = state.open_ticket() else { return vec![] };
    vec![Effect::Nps { customer: t.customer_id, score, ticket: t.id }]
}

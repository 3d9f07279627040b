//! The one-question CSAT survey mailed when a ticket is solved, and the answers to it.

use super::outbound::Outbound;
use crate::domain::mail::{ImportOutcome, IncomingMail};
use crate::domain::satisfaction::Csat;
use crate::domain::template::first_name;
use crate::domain::Status;
use crate::store::{Store, StoreError, MAIL_ACTOR};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::Address;

/// Mail the customer of a solved ticket the survey; the error is one sentence.
pub fn send_survey(outbound: &Outbound, store: &Store, ticket: i64) -> Result<(), String> {
    let t = store.ticket(ticket).map_err(|e| e.to_string())?;
    let ours: Address = outbound.mail.address.parse().map_err(|e| format!("the support address is not valid: {e}"))?;
    let theirs: Address = t.customer_email.parse().map_err(|e| format!("the customer's address is not valid: {e}"))?;
    let message_id = format!(
        "frontdesk.survey.{ticket}.{}@{}",
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos(),
        ours.domain()
    );
    let greeting = match first_name(&t.customer_name) {
        name if name.is_empty() => "Hello".to_string(),
        name => format!("Hi {name}"),
    };
    let body = format!(
        "{greeting},\n\nyour request \"{}\" [#{ticket}] is solved. How did we do?\n\n\
         Reply to this mail with a number from 1 (bad) to 5 (great); anything you write after it reaches us too.\n",
        t.subject.trim()
    );
    let desk = match outbound.mail.name.trim() {
        "" => None,
        name => Some(name.to_string()),
    };
    let email = lettre::Message::builder()
        .from(Mailbox::new(desk, ours))
        .to(Mailbox::new(Some(t.customer_name.clone()), theirs))
        .subject(format!("How did we do? [#{ticket}]"))
        .message_id(Some(format!("<{message_id}>")))
        // Made by the desk, not written by a person: the customer's autoresponder stays quiet (RFC 3834).
        .raw_header(super::outbound::auto_submitted("auto-generated"))
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| format!("cannot build the survey: {e}"))?;
    store.record_survey(ticket, &message_id).map_err(|e| e.to_string())?;
    outbound.deliver(&email.formatted(), &t.customer_email)
}

/// A reply to a survey that starts with a number from 1 to 5: that number and the rest as comment.
pub fn parse_answer(body: &str) -> Option<(u8, String)> {
    let text = body.trim_start();
    let digit = text.chars().next()?.to_digit(10)?;
    let rest = &text[1..];
    if !(1..=5).contains(&digit) || rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let rest = rest.strip_prefix("/5").unwrap_or(rest);
    let comment = rest.trim_start_matches(['.', ')', ':', '-', ' ']).trim();
    // Quoted text of the survey itself is not part of the comment.
    let comment: Vec<&str> = comment.lines().take_while(|l| !l.starts_with('>') && !l.starts_with("On ")).collect();
    Some((digit as u8, comment.join("\n").trim().to_string()))
}

/// Record `mail` as a survey answer when it replies to one (by Message-ID) and starts with a
/// rating; otherwise `None`, and it is imported as usual.
pub fn take_answer(store: &Store, mail: &IncomingMail) -> Result<Option<ImportOutcome>, StoreError> {
    let ids: Vec<String> = mail.in_reply_to.iter().chain(&mail.references).cloned().collect();
    let Some(ticket) = store.survey_ticket(&ids)? else { return Ok(None) };
    let Some((score, comment)) = parse_answer(&mail.body) else { return Ok(None) };
    if !matches!(store.ticket(ticket)?.status, Status::Solved | Status::Closed) {
        return Ok(None);
    }
    store.rate_ticket(ticket, Csat::Score(score), &comment, MAIL_ACTOR)?;
    Ok(Some(ImportOutcome::Rated { ticket, score }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_start_with_a_rating() {
        assert_eq!(parse_answer("5"), Some((5, String::new())));
        assert_eq!(parse_answer("  4 - quick and kind\n\n> How did we do?"), Some((4, "quick and kind".into())));
        assert_eq!(parse_answer("2/5 too slow"), Some((2, "too slow".into())));
        assert_eq!(parse_answer("10 out of 10"), None);
        assert_eq!(parse_answer("0"), None);
        assert_eq!(parse_answer("Thanks, but it broke again"), None);
    }
}

//! The mail side of a message for `ticket show`: how it was threaded, its attachments, its delivery.

use crate::domain::mail::ThreadRule;
use crate::domain::text::for_display_line;
use crate::domain::{AttachmentInfo, Delivery, MessageMail};
use serde::Serialize;
use std::io::{self, Write};

pub fn write_message_mail(mail: &MessageMail, out: &mut dyn Write) -> io::Result<()> {
    if let Some(rule) = mail.thread_rule.as_deref().and_then(ThreadRule::from_name) {
        writeln!(out, "  ({rule})")?;
    }
    if !mail.cc.is_empty() {
        writeln!(out, "  Cc: {}", for_display_line(&mail.cc.join(", ")))?;
    }
    if !mail.bcc.is_empty() {
        writeln!(out, "  Bcc (not shown to the customer): {}", for_display_line(&mail.bcc.join(", ")))?;
    }
    for a in &mail.attachments {
        writeln!(out, "  📎 attachment {}: {}", a.id, describe_attachment(a))?;
    }
    if let Some(retry) = mail.retry.as_ref().filter(|_| !matches!(mail.delivery, Some(Delivery::Sent))) {
        return writeln!(out, "  ✉ {}", retry_text(retry));
    }
    match &mail.delivery {
        Some(Delivery::Sent) => writeln!(out, "  ✉ mailed")?,
        Some(Delivery::Waiting) => writeln!(out, "  ✉ waiting in the outbox")?,
        Some(Delivery::Failed(e)) => writeln!(out, "  ✉ not sent, waiting in the outbox: {}", for_display_line(e))?,
        None => {}
    }
    Ok(())
}

/// `not mailed yet: 3 attempts, next try 2026-12-01 14:05, last error: …`, in the agent's zone.
fn retry_text(retry: &crate::domain::DeliveryRetry) -> String {
    let next = match retry.next_try {
        Some(at) if at > chrono::Utc::now() => crate::domain::when::agent_zone().format(at, "%Y-%m-%d %H:%M"),
        _ => "due now".to_string(),
    };
    let attempts = match retry.attempts {
        1 => "1 attempt".to_string(),
        n => format!("{n} attempts"),
    };
    format!("not mailed yet: {attempts}, next try {next}, last error: {}", for_display_line(&retry.last_error))
}

/// `name (type, N bytes)`, made safe to print.
pub fn describe_attachment(a: &AttachmentInfo) -> String {
    let inline = if a.inline { ", inline" } else { "" };
    format!("{} ({}, {} bytes{inline})", for_display_line(&a.name), for_display_line(&a.content_type), a.size)
}

#[derive(Debug, Serialize)]
pub struct AttachmentJson {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    pub inline: bool,
}

#[derive(Debug, Serialize)]
pub struct DeliveryJson {
    /// `sent`, `waiting` or `failed`.
    pub state: &'static str,
    pub error: Option<String>,
}

pub fn attachments_json(mail: Option<&MessageMail>) -> Vec<AttachmentJson> {
    mail.map(|m| {
        m.attachments
            .iter()
            .map(|a| AttachmentJson {
                id: a.id,
                name: a.name.clone(),
                content_type: a.content_type.clone(),
                size: a.size,
                inline: a.inline,
            })
            .collect()
    })
    .unwrap_or_default()
}

pub fn delivery_json(mail: Option<&MessageMail>) -> Option<DeliveryJson> {
    mail.and_then(|m| m.delivery.as_ref()).map(|d| match d {
        Delivery::Sent => DeliveryJson { state: "sent", error: None },
        Delivery::Waiting => DeliveryJson { state: "waiting", error: None },
        Delivery::Failed(e) => DeliveryJson { state: "failed", error: Some(e.clone()) },
    })
}

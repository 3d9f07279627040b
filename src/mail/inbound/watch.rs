//! A mailbox watched until stopped: IDLE where the server has it, else a poll every
//! `poll_seconds`; a dropped connection is retried with exponential backoff, a refused login
//! ends the watch with one error.

use super::reader::{PollOutcome, Reader};
use super::InboundError;
use crate::config::{Config, InboundConfig};
use crate::mail::imap::{ImapError, Wakeup};
use crate::store::Store;
use std::path::Path;
use std::time::Duration;

/// RFC 2177: IDLE is left and entered again before servers' 30-minute timeout.
const IDLE_LIMIT: Duration = Duration::from_secs(25 * 60);
const FIRST_RETRY: Duration = Duration::from_secs(1);
const LAST_RETRY: Duration = Duration::from_secs(5 * 60);

#[derive(Debug)]
pub enum InboundEvent {
    /// Logged in and watching the folder.
    Connected { mailbox: String },
    /// New mail was imported.
    Imported(PollOutcome),
    /// The watch failed; it tries again after `retry_in`, or (`None`) has stopped for good.
    Failed { error: InboundError, retry_in: Option<Duration> },
}

/// Watch `mailbox` until `stop` is woken, reporting what happens to `on_event`.
pub fn watch(
    store_path: &Path,
    config: &Config,
    mailbox: &InboundConfig,
    stop: &Wakeup,
    mut on_event: impl FnMut(InboundEvent),
) {
    let mut retry = FIRST_RETRY;
    while !stop.woken() {
        let mut connected = false;
        let result = watch_session(store_path, config, mailbox, stop, &mut |event| {
            connected |= matches!(event, InboundEvent::Imported(_) | InboundEvent::Connected { .. });
            on_event(event)
        });
        let Err(error) = result else { return };
        // Stopping closes the connection under a wait in IDLE: that is no failure.
        if stop.woken() {
            return;
        }
        if error.is_permanent() {
            tracing::error!("{error}; this mailbox is not read until the config or the account is fixed");
            on_event(InboundEvent::Failed { error, retry_in: None });
            return;
        }
        if connected {
            retry = FIRST_RETRY;
        }
        tracing::warn!("{error}; trying again in {}s", retry.as_secs());
        on_event(InboundEvent::Failed { error, retry_in: Some(retry) });
        stop.sleep(retry);
        retry = (retry * 2).min(LAST_RETRY);
    }
}

fn watch_session(
    store_path: &Path,
    config: &Config,
    mailbox: &InboundConfig,
    stop: &Wakeup,
    on_event: &mut dyn FnMut(InboundEvent),
) -> Result<(), InboundError> {
    let store =
        Store::open(store_path).map_err(|source| InboundError::Store { mailbox: mailbox.name.clone(), source })?;
    let mut reader = Reader::open(&store, config, mailbox)?;
    on_event(InboundEvent::Connected { mailbox: mailbox.name.clone() });
    let idle = reader.session.has("IDLE");
    while !stop.woken() {
        reader.session.take_news();
        let outcome = reader.take_new()?;
        if !outcome.imported.is_empty() || outcome.started_over {
            on_event(InboundEvent::Imported(outcome));
        }
        // Mail that came while the folder was read was told then; IDLE would not tell it again.
        if reader.session.take_news() {
            continue;
        }
        if idle {
            match reader.session.idle(IDLE_LIMIT, stop) {
                // The connection was closed under the wait: no LOGOUT to send.
                Err(ImapError::Stopped) => return Ok(()),
                other => other.map_err(|e| reader.connection_error(e))?,
            };
        } else {
            stop.sleep(Duration::from_secs(mailbox.poll_seconds));
        }
    }
    reader.session.logout();
    Ok(())
}

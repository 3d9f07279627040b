//! The service's IMAP mailboxes, each watched on a thread of its own (`mail::inbound::watch`): in
//! IDLE where the server has it, so new mail is imported the moment it arrives, else polled every
//! `poll_seconds`. What keeps a mailbox from being read goes into the store for the consoles'
//! status line, and is cleared when the mailbox logs in again.

use crate::config::{Config, InboundConfig};
use crate::domain::text::for_display_line;
use crate::mail::inbound::{watch, InboundEvent, Wakeup};
use crate::store::Store;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

/// The watching threads; [`Watchers::stop`] ends them (each after the mail at hand).
pub struct Watchers {
    threads: Vec<JoinHandle<()>>,
    stop: Wakeup,
}

impl Watchers {
    /// One thread per `[[mail.inbound]]` entry of `config`.
    pub fn start(store_path: &Path, config: &Config) -> Watchers {
        let stop = Wakeup::new();
        let mailboxes = config.mail.iter().flat_map(|m| m.inbound.iter());
        let threads = mailboxes
            .map(|mailbox| {
                let (path, config, mailbox) = (store_path.to_path_buf(), config.clone(), mailbox.clone());
                let stop = stop.clone();
                std::thread::Builder::new()
                    .name(format!("mailbox {}", mailbox.name))
                    .spawn(move || watch_one(path, config, mailbox, stop))
                    .expect("a thread for a mailbox")
            })
            .collect();
        Watchers { threads, stop }
    }

    /// End every watcher (one in IDLE at once, one reading after the mail at hand) and wait.
    pub fn stop(self) {
        self.stop.wake();
        for thread in self.threads {
            let _ = thread.join();
        }
    }
}

fn watch_one(store_path: PathBuf, config: Config, mailbox: InboundConfig, stop: Wakeup) {
    let store = match Store::open(&store_path) {
        Ok(store) => store,
        Err(error) => {
            tracing::error!(mailbox = mailbox.name, %error, "the mailbox is not watched: the desk cannot be opened");
            return;
        }
    };
    let name = mailbox.name.clone();
    watch(&store_path, &config, &mailbox, &stop, |event| {
        let recorded = match event {
            InboundEvent::Connected { .. } => {
                tracing::info!(mailbox = name, "watching the mailbox");
                store.mailbox_read(&name)
            }
            InboundEvent::Imported(outcome) => {
                tracing::info!(mailbox = name, mails = outcome.imported.len(), "new mail imported");
                Ok(())
            }
            InboundEvent::Failed { error, retry_in } => {
                let problem = match retry_in {
                    None => format!("{error}; not read again until the service restarts"),
                    Some(wait) => format!("{error}; trying again in {}s", wait.as_secs()),
                };
                store.mailbox_failed(&name, &for_display_line(&problem), retry_in.is_none())
            }
        };
        if let Err(error) = recorded {
            tracing::warn!(mailbox = name, %error, "the mailbox's state was not recorded for the consoles");
        }
    });
}

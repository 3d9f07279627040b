//! The one error type at the top: what stopped a run, with the causes that led to it.

use std::error::Error as StdError;
use std::fmt;

/// Any failure that ends a run. It is deliberately not a `std::error::Error` itself, so `?`
/// turns every error into it.
pub struct Error(Box<dyn StdError + Send + Sync + 'static>);

impl Error {
    /// An error that is only a sentence.
    pub fn msg(sentence: impl Into<String>) -> Error {
        Error(sentence.into().into())
    }

    /// The top error as its own type, for callers that act on its kind (the exit code).
    pub fn downcast_ref<E: StdError + 'static>(&self) -> Option<&E> {
        self.0.downcast_ref()
    }

    /// The whole chain as one line of plain text, each cause after a colon. A cause whose text
    /// the message already carries (`"cannot open …: {source}"`) is not repeated.
    pub fn chain(&self) -> String {
        let mut text = self.0.to_string();
        let mut cause = self.0.source();
        while let Some(e) = cause {
            let part = e.to_string();
            if !text.contains(&part) {
                text.push_str(": ");
                text.push_str(&part);
            }
            cause = e.source();
        }
        text
    }
}

impl<E: StdError + Send + Sync + 'static> From<E> for Error {
    fn from(e: E) -> Self {
        Error(Box::new(e))
    }
}

/// The top sentence only: what a user reads.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The whole chain, so `{:?}` in a log or a test failure says everything.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.chain())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    enum Outer {
        #[error("cannot open the database x.db")]
        Open(#[source] std::io::Error),
        #[error("cannot read y: {0}")]
        Read(#[source] std::io::Error),
    }

    #[test]
    fn chain_joins_each_cause_once() {
        let io = || std::io::Error::other("disk full");
        assert_eq!(Error::from(Outer::Open(io())).chain(), "cannot open the database x.db: disk full");
        assert_eq!(Error::from(Outer::Read(io())).chain(), "cannot read y: disk full");
        assert_eq!(Error::from(Outer::Open(io())).to_string(), "cannot open the database x.db");
    }

    #[test]
    fn a_sentence_is_an_error_and_kinds_can_be_asked_for() {
        let e = Error::msg("this console needs a terminal");
        assert_eq!(format!("{e:?}"), "this console needs a terminal");
        assert!(Error::from(Outer::Open(std::io::Error::other("x"))).downcast_ref::<Outer>().is_some());
    }
}

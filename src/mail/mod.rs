//! Email intake (parse, thread, import, quarantine) and outbound replies (Maildir, sendmail, SMTP).

pub mod auto;
pub mod boundaries;
pub mod charset;
pub mod files;
pub mod html;
pub mod imap;
pub mod import;
pub mod inbound;
pub mod outbound;
pub mod parse;
pub mod rfc2231;
pub mod rules;
pub mod sender;
pub mod source;
pub mod survey;
pub mod tls;
pub mod undeclared;
pub mod uuencode;

pub use import::{parse_and_import, Importer};
pub use parse::{parse_mail, Limits, Refusal};

//! The console's model: everything it shows and knows, as plain data. It imports neither the
//! terminal nor the store; `update` changes it, `ui` draws it.

pub mod action;
pub mod agent_form;
pub mod composer;
pub mod conversation;
pub mod customer_form;
pub mod key;
pub mod keymap;
pub mod layout;
pub mod message;
pub mod organization_form;
pub mod overlay;
pub mod presence;
pub mod profile;
pub mod queue;
pub mod record_form;
pub mod reports;
pub mod state;
pub mod status_message;
pub mod text;
pub mod ticket_form;
pub mod undo;
pub mod views;

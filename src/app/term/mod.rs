//! The terminal: the guard that sets and always undoes its modes, the frame writer, the input
//! thread, the byte-saving backend, the window title and clipboard (OSC), the `$EDITOR` hand-over.

pub mod backend;
pub mod editor;
pub mod guard;
pub mod input;
pub mod osc;
pub mod output;

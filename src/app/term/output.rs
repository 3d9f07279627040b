//! Where frames go: collected whole and written to the terminal in one write, or kept in memory
//! (tests and benchmarks count what a frame would have sent).

use super::backend::ByteSavingBackend;
use ratatui::Terminal;
use std::cell::RefCell;
use std::io::{self, Stdout, Write};
use std::rc::Rc;

/// Collects a whole frame so it reaches the terminal in one write, on [`FrameOutput::commit`].
/// ratatui's own flush after each draw is deliberately a no-op here.
pub struct FrameWriter {
    buffer: Rc<RefCell<Vec<u8>>>,
}

/// The other end of a [`FrameWriter`]: writes the collected frame to standard output.
pub struct FrameOutput {
    buffer: Rc<RefCell<Vec<u8>>>,
    out: Stdout,
}

pub fn frame_pipe() -> (FrameWriter, FrameOutput) {
    let buffer = Rc::new(RefCell::new(Vec::with_capacity(64 * 1024)));
    (FrameWriter { buffer: buffer.clone() }, FrameOutput { buffer, out: io::stdout() })
}

impl FrameOutput {
    pub fn commit(&mut self) -> io::Result<()> {
        let mut buffer = self.buffer.borrow_mut();
        if !buffer.is_empty() {
            self.out.write_all(&buffer)?;
            buffer.clear();
        }
        self.out.flush()
    }
}

impl Write for FrameWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buffer.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Bytes a frame would have sent to the terminal; the harness holds the other end.
#[derive(Default, Clone)]
pub struct ByteSink {
    pub(crate) bytes: Rc<RefCell<Vec<u8>>>,
}

impl ByteSink {
    /// The bytes written since the last call.
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.bytes.borrow_mut())
    }
}

impl Write for ByteSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

pub type Term = Terminal<ByteSavingBackend<FrameWriter>>;

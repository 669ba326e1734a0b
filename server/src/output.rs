//! The only module that writes to stdout and stderr. stdout carries results (and, once the
//! language server exists, the protocol); messages for the user go to stderr.

use std::io::{self, BufWriter, StdoutLock, Write};

/// Buffered results on stdout. When the reader goes away (`borrowlens check . | head`), writing
/// stops quietly instead of failing.
pub struct Results {
    out: BufWriter<StdoutLock<'static>>,
    closed: bool,
}

impl Results {
    pub fn new() -> Results {
        Results {
            out: BufWriter::new(io::stdout().lock()),
            closed: false,
        }
    }

    pub fn write(&mut self, text: &str) {
        if !self.closed && self.out.write_all(text.as_bytes()).is_err() {
            self.closed = true;
        }
    }

    pub fn finish(mut self) {
        if !self.closed {
            let _ = self.out.flush();
        }
    }
}

impl Default for Results {
    fn default() -> Results {
        Results::new()
    }
}

/// Text for the user that is not a result: help, version, usage errors.
pub fn info(text: &str) {
    let _ = io::stdout().lock().write_all(text.as_bytes());
}

/// `error: MESSAGE` on stderr.
pub fn error(message: &str) {
    let _ = writeln!(io::stderr().lock(), "error: {message}");
}

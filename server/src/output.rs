//! The only module that writes to stdout and stderr. stdout carries results, or the protocol when
//! the language server runs; messages for the user and logs go to stderr.

use std::io::{self, BufWriter, StdoutLock, Write};

use crate::to_human::Colour;

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

/// When `--color` asks for colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Auto,
    Always,
    Never,
}

/// Whether results on stdout are coloured: `--color always` or `never` as said; `auto` (the
/// default) colours only a terminal, as cargo and rustc do, unless `NO_COLOR` is set (to anything
/// but the empty string; it wins over everything but the flag, <https://no-color.org>),
/// `CLICOLOR_FORCE` is set (not `0`: colour even into a pipe) or `CLICOLOR=0`, or `TERM=dumb`.
/// The same order as `anstream`'s, which cargo uses.
pub fn colour(when: When) -> Colour {
    colour_with(
        when,
        |name| std::env::var_os(name).map(|it| it.to_string_lossy().into_owned()),
        io::IsTerminal::is_terminal(&io::stdout()),
    )
}

/// `colour`, with the environment and the terminal test handed in.
pub fn colour_with(when: When, env: impl Fn(&str) -> Option<String>, terminal: bool) -> Colour {
    let set = |name: &str| env(name).is_some_and(|it| !it.is_empty());
    let on = match when {
        When::Always => true,
        When::Never => false,
        When::Auto if set("NO_COLOR") => false,
        When::Auto if set("CLICOLOR_FORCE") && env("CLICOLOR_FORCE").as_deref() != Some("0") => {
            true
        }
        When::Auto if env("CLICOLOR").as_deref() == Some("0") => false,
        When::Auto => terminal && env("TERM").as_deref() != Some("dumb"),
    };
    if on {
        Colour::Ansi
    } else {
        Colour::Plain
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

/// `warning: MESSAGE` on stderr.
pub fn warning(message: &str) {
    let _ = writeln!(io::stderr().lock(), "warning: {message}");
}

/// The language server's stdout: the protocol's channel. tower-lsp-server writes its messages
/// through it, and the writer thread writes the diagnostics it publishes with `protocol_frame`.
pub fn protocol() -> Protocol {
    Protocol
}

/// Stdout for the protocol: unbuffered (one `write` per message, where the standard library's
/// line-buffered stdout takes two, the header's line and then the body) and locked per message,
/// so the messages of the two writers never interleave. Written directly by the task or thread
/// that has a message to send: tokio's own stdout hands every write to its blocking pool, and
/// tower-lsp-server's client hands every notification to its output task, each costing a message
/// (every keystroke's diagnostics) one more wake-up of another thread. A write to the client's
/// pipe returns at once unless the client stops reading, and then there is nothing else to send
/// anyway.
pub struct Protocol;

fn protocol_out() -> io::Result<std::sync::MutexGuard<'static, std::fs::File>> {
    use std::os::fd::AsFd;
    use std::sync::{Mutex, OnceLock};
    static OUT: OnceLock<Option<Mutex<std::fs::File>>> = OnceLock::new();
    let out = OUT.get_or_init(|| {
        let fd = io::stdout().as_fd().try_clone_to_owned().ok()?;
        Some(Mutex::new(std::fs::File::from(fd)))
    });
    match out {
        // A poisoned lock only means a writer panicked between two messages.
        Some(out) => Ok(out.lock().unwrap_or_else(|e| e.into_inner())),
        None => Err(io::Error::other("stdout cannot be written")),
    }
}

/// Writes whole messages (tower-lsp-server's buffer holds only whole ones): all of `buf`, at
/// once, under the lock.
fn write_frames(buf: &[u8]) -> io::Result<usize> {
    protocol_out()?.write_all(buf)?;
    Ok(buf.len())
}

/// Sends one JSON-RPC message (its body) on the protocol's stdout, framed.
pub fn protocol_frame(body: &[u8]) -> io::Result<()> {
    let mut frame = Vec::with_capacity(body.len() + 32);
    frame.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    frame.extend_from_slice(body);
    write_frames(&frame).map(|_| ())
}

impl tokio::io::AsyncWrite for Protocol {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<io::Result<usize>> {
        std::task::Poll::Ready(write_frames(buf))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        // Nothing is buffered.
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        self.poll_flush(cx)
    }
}

/// Logs (`tracing`) go to stderr, since stdout is the protocol. `BORROWLENS_LOG` sets the level
/// of borrowlens's own logs and the protocol library's (`error`, `warn`, `info`, `debug`,
/// `trace`; `info` by default); other crates (salsa logs every query it runs at `info`) only say
/// warnings and errors.
pub fn init_logging() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;

    let level = std::env::var("BORROWLENS_LOG")
        .ok()
        .and_then(|it| it.parse::<LevelFilter>().ok())
        .unwrap_or(LevelFilter::INFO);
    let filter = Targets::new()
        .with_default(LevelFilter::WARN)
        .with_target("borrowlens", level)
        .with_target("tower_lsp_server", level);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(io::stderr)
        .with_ansi(false);
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(filter)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colour_in(when: When, vars: &[(&str, &str)], terminal: bool) -> Colour {
        let env = |name: &str| {
            vars.iter()
                .find(|it| it.0 == name)
                .map(|it| it.1.to_string())
        };
        colour_with(when, env, terminal)
    }

    #[test]
    fn colour_on_a_terminal_only_unless_the_environment_or_the_flag_says_otherwise() {
        use Colour::{Ansi, Plain};
        assert_eq!(colour_in(When::Auto, &[], true), Ansi);
        assert_eq!(colour_in(When::Auto, &[], false), Plain);
        // NO_COLOR wins over a terminal and over CLICOLOR_FORCE; empty, it says nothing.
        assert_eq!(colour_in(When::Auto, &[("NO_COLOR", "1")], true), Plain);
        assert_eq!(
            colour_in(
                When::Auto,
                &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")],
                true
            ),
            Plain
        );
        assert_eq!(colour_in(When::Auto, &[("NO_COLOR", "")], true), Ansi);
        assert_eq!(
            colour_in(When::Auto, &[("CLICOLOR_FORCE", "1")], false),
            Ansi
        );
        assert_eq!(
            colour_in(When::Auto, &[("CLICOLOR_FORCE", "0")], false),
            Plain
        );
        assert_eq!(colour_in(When::Auto, &[("CLICOLOR", "0")], true), Plain);
        assert_eq!(colour_in(When::Auto, &[("TERM", "dumb")], true), Plain);
        // The flag is the user's last word.
        assert_eq!(colour_in(When::Always, &[("NO_COLOR", "1")], false), Ansi);
        assert_eq!(
            colour_in(When::Never, &[("CLICOLOR_FORCE", "1")], true),
            Plain
        );
    }
}

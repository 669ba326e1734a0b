//! A minimal JSON-RPC client for the real `borrowlens` server on stdio, adapted from
//! `server/tests/support/mod.rs`: messages are stamped with the instant they were read, so a
//! round trip ends when the server's answer arrived, not when the benchmark looked at it.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<(Instant, Value)>,
    next_id: i64,
    backlog: VecDeque<(Instant, Value)>,
}

impl Client {
    /// Starts `BIN lsp` with piped stdin/stdout; the server's log is discarded.
    pub fn spawn(bin: &Path) -> Client {
        let mut child = Command::new(bin)
            .arg("lsp")
            .env("BORROWLENS_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|err| panic!("start {}: {err}", bin.display()));
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send((Instant::now(), message)).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take().unwrap();
        Client {
            child,
            stdin,
            incoming,
            next_id: 0,
            backlog: VecDeque::new(),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend(body);
        self.stdin
            .write_all(&frame)
            .and_then(|()| self.stdin.flush())
            .expect("write to the server");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its result (an error answer panics).
    pub fn request(&mut self, method: &str, params: Value, timeout: Duration) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let (_, message) = self.wait_for(&format!("the response to {method}"), timeout, |it| {
            it.get("id") == Some(&json!(id)) && it.get("method").is_none()
        });
        if let Some(error) = message.get("error") {
            panic!("{method} failed: {error}");
        }
        message.get("result").cloned().unwrap_or(Value::Null)
    }

    /// The first message that `pred` accepts, with the instant it was read; messages passed over
    /// are kept, and the server's own requests are answered `null` at once.
    pub fn wait_for(
        &mut self,
        what: &str,
        timeout: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> (Instant, Value) {
        if let Some(at) = self.backlog.iter().position(|(_, it)| pred(it)) {
            return self.backlog.remove(at).unwrap();
        }
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok((at, message)) => {
                    if let (Some(id), Some(_)) = (message.get("id"), message.get("method")) {
                        let id = id.clone();
                        self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
                    }
                    if pred(&message) {
                        return (at, message);
                    }
                    // Diagnostics of superseded versions and log messages are not needed later.
                    if self.backlog.len() > 1000 {
                        self.backlog.pop_front();
                    }
                    self.backlog.push_back((at, message));
                }
                Err(RecvTimeoutError::Timeout) => panic!("timed out waiting for {what}"),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server closed stdout while waiting for {what}")
                }
            }
        }
    }

    /// The instant the `publishDiagnostics` of `uri` at `version` arrived, and how many
    /// diagnostics it carried.
    pub fn diagnostics(&mut self, uri: &str, version: i64, timeout: Duration) -> (Instant, usize) {
        let (at, message) = self.wait_for(
            &format!("diagnostics of version {version}"),
            timeout,
            |it| {
                it["method"] == "textDocument/publishDiagnostics"
                    && it["params"]["uri"] == uri
                    && it["params"]["version"].as_i64() == Some(version)
            },
        );
        (
            at,
            message["params"]["diagnostics"]
                .as_array()
                .map_or(0, Vec::len),
        )
    }

    /// `shutdown` and `exit`, then waits for the process (killing it after 5 s).
    pub fn stop(mut self) {
        let _ = self.request("shutdown", Value::Null, Duration::from_secs(30));
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The `file:` URI of an absolute path.
pub fn file_uri(path: &Path) -> String {
    let mut acc = String::from("file://");
    for byte in path.to_str().expect("a UTF-8 path").bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                acc.push(byte as char)
            }
            _ => acc.push_str(&format!("%{byte:02X}")),
        }
    }
    acc
}

/// The LSP position (UTF-16 code units, the protocol's default) of a byte offset; lines end at
/// `\n`.
pub fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_text = &before[before.rfind('\n').map_or(0, |it| it + 1)..];
    json!({"line": line, "character": line_text.encode_utf16().count()})
}

//! A small JSON-RPC client that drives the real `borrowlens` binary over stdio, for the LSP tests.
//!
//! Every wait is bounded by `TIMEOUT`, so a server that hangs fails the test instead of blocking
//! it. Messages that arrive while the test waits for something else (notifications, the
//! server's own requests) are kept in `backlog`, in order. The server's requests are answered at
//! once: with the result registered in `answers` for that method, else `null`.

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long any one wait may take. Generous: debug builds on two busy cores.
pub const TIMEOUT: Duration = Duration::from_secs(30);

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    next_id: i64,
    pub backlog: VecDeque<Value>,
    /// Results for the server's requests, by method.
    pub answers: HashMap<String, Value>,
    stderr: Arc<Mutex<String>>,
}

impl Client {
    /// Starts `borrowlens ARGS` with piped stdio.
    pub fn spawn(args: &[&str]) -> Client {
        Client::spawn_with(Command::new(env!("CARGO_BIN_EXE_borrowlens")).args(args))
    }

    /// Starts `command` (the binary, set up with arguments, environment or working directory)
    /// with piped stdio.
    pub fn spawn_with(command: &mut Command) -> Client {
        let mut child = command
            .env(
                "BORROWLENS_LOG",
                std::env::var("BORROWLENS_TEST_LOG").unwrap_or_else(|_| "info".to_string()),
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start borrowlens");
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut buf) {
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            incoming,
            next_id: 0,
            backlog: VecDeque::new(),
            answers: HashMap::new(),
            stderr,
        }
    }

    /// `borrowlens lsp`, initialized with these capabilities and options: the handshake done,
    /// `initialized` sent.
    pub fn start(capabilities: Value, initialization_options: Value) -> Client {
        let mut client = Client::spawn(&["lsp"]);
        client.initialize(json!({
            "processId": null,
            "rootUri": null,
            "capabilities": capabilities,
            "initializationOptions": initialization_options,
        }));
        client.notify("initialized", json!({}));
        client
    }

    /// Sends `initialize` and waits for its answer before anything else, as the protocol asks.
    pub fn initialize(&mut self, params: Value) -> Value {
        self.request("initialize", params)
            .unwrap_or_else(|err| panic!("initialize failed: {err}"))
    }

    pub fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        let stdin = self.stdin.as_mut().expect("stdin is open");
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend(body);
        stdin
            .write_all(&frame)
            .and_then(|()| stdin.flush())
            .expect("write to the server");
    }

    /// Writes bytes as they are, for tests of malformed input.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin
            .write_all(bytes)
            .and_then(|()| stdin.flush())
            .expect("write to the server");
    }

    /// Closes the server's stdin: the end of its input.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// The peak resident memory of the server process in bytes (Linux's `VmHWM`); `None`
    /// elsewhere.
    pub fn peak_memory(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb << 10)
    }

    /// Whether the process is still running.
    pub fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The exit status, waiting at most `within` for it.
    pub fn wait_exit(&mut self, within: Duration) -> ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the server") {
                return status;
            }
            if Instant::now() > deadline {
                self.fail(&format!("the server did not exit within {within:?}"));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The answer to request `id`: its result, or its error object.
    pub fn response(&mut self, id: i64) -> Result<Value, Value> {
        let message = self.wait_for(&format!("the response to request {id}"), |it| {
            it.get("id") == Some(&json!(id)) && it.get("method").is_none()
        });
        match message.get("error") {
            Some(error) => Err(error.clone()),
            None => Ok(message.get("result").cloned().unwrap_or(Value::Null)),
        }
    }

    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// The first message (from the backlog, then from the server) that `pred` accepts; it is
    /// removed from the backlog. Panics after `TIMEOUT`, showing what came and the server's
    /// stderr.
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(at).unwrap();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) => {
                    self.answer_server_request(&message);
                    if pred(&message) {
                        return message;
                    }
                    self.backlog.push_back(message);
                }
                Err(RecvTimeoutError::Timeout) => {
                    self.fail(&format!("timed out waiting for {what}"))
                }
                Err(RecvTimeoutError::Disconnected) => self.fail(&format!(
                    "the server closed stdout while waiting for {what}"
                )),
            }
        }
    }

    /// Everything the server sent until now (waiting `quiet` for more), into the backlog.
    pub fn drain(&mut self, quiet: Duration) {
        while let Ok(message) = self.incoming.recv_timeout(quiet) {
            self.answer_server_request(&message);
            self.backlog.push_back(message);
        }
    }

    fn answer_server_request(&mut self, message: &Value) {
        if let (Some(id), Some(method)) = (
            message.get("id"),
            message.get("method").and_then(Value::as_str),
        ) {
            let result = self.answers.get(method).cloned().unwrap_or(Value::Null);
            let id = id.clone();
            self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}));
        }
    }

    /// The next `publishDiagnostics` for `uri` with this version (earlier ones are dropped).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let message = self.wait_for(&format!("diagnostics of {uri} version {version:?}"), |it| {
            it["method"] == "textDocument/publishDiagnostics"
                && it["params"]["uri"] == uri
                && it["params"].get("version").and_then(Value::as_i64) == version
        });
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "rust", "version": 1, "text": text}}),
        );
    }

    /// `shutdown`, then `exit` with stdin left open: the process must end by itself, promptly.
    pub fn shutdown_and_exit(mut self) -> ExitStatus {
        assert_eq!(self.request("shutdown", Value::Null), Ok(Value::Null));
        self.exit()
    }

    pub fn exit(&mut self) -> ExitStatus {
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the server") {
                return status;
            }
            if Instant::now() > deadline {
                self.fail("the server did not exit within 5 s of `exit` (stdin still open)");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn fail(&self, message: &str) -> ! {
        let backlog: Vec<String> = self.backlog.iter().map(|it| it.to_string()).collect();
        panic!(
            "{message}\n-- received meanwhile:\n{}\n-- server stderr:\n{}",
            backlog.join("\n"),
            self.stderr()
        );
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
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

/// A text and the encoding positions in it are counted in, as a test's model of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
        }
    }
}

/// The LSP position of a byte offset (lines end at `\n`; the tests' texts hold no `\r`).
pub fn position(text: &str, offset: usize, encoding: Encoding) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_text = &before[before.rfind('\n').map_or(0, |it| it + 1)..];
    let character = match encoding {
        Encoding::Utf8 => line_text.len(),
        Encoding::Utf16 => line_text.encode_utf16().count(),
    };
    json!({"line": line, "character": character})
}

/// The byte offset of an LSP position in a text without `\r`.
pub fn offset(text: &str, position: &Value, encoding: Encoding) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let start: usize = text.split('\n').take(line).map(|it| it.len() + 1).sum();
    let line_text = text[start.min(text.len())..]
        .split('\n')
        .next()
        .unwrap_or("");
    let mut units = 0;
    for (at, c) in line_text.char_indices() {
        if units >= character {
            return start + at;
        }
        units += match encoding {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        };
    }
    start + line_text.len()
}

//! The gate between stdin and the protocol library: messages are framed here, and only
//! well-formed JSON-RPC messages are passed on.
//!
//! Why: tower-lsp-server stops reading its input at the first message it cannot decode (a body
//! that is not JSON or not JSON-RPC, invalid UTF-8, a header it does not know how to read), and
//! the server then quits. Here every frame is checked first. A malformed one is logged on stderr
//! and dropped: nothing is answered (its id, if any, cannot be trusted), and reading goes on at the
//! next `Content-Length` header. A wrong `Content-Length` costs no message when the body is a
//! JSON object on its own: one longer than its header says is read to its end, and one shorter is
//! not waited for when the next header follows it.
//!
//! Frames passed on are written again in the canonical form (`Content-Length: N\r\n\r\n`): header
//! names are read in any case, lines may end in `\n` alone, and other headers are ignored.

use std::sync::Arc;
use std::time::Instant;

use serde::de::IgnoredAny;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, DuplexStream};
use tower_lsp_server::jsonrpc::{Request, Response};

use crate::lsp::timing::Arrivals;

/// The largest message accepted; a header announcing more is dropped.
pub const MAX_MESSAGE: usize = 256 << 20;

/// A header section that has not ended after this many bytes is not one.
const MAX_HEADERS: usize = 8 << 10;

const CONTENT_LENGTH: &[u8] = b"content-length";

/// What `Framer::next` found.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A JSON-RPC message the protocol library can decode: its body.
    Message(Vec<u8>),
    /// Bytes that were dropped, and why.
    Dropped(String),
}

/// Splits a byte stream into frames.
#[derive(Default)]
pub struct Framer {
    buf: Vec<u8>,
    /// How much of `buf` was searched for a header after an unfinished body: each byte of a long
    /// body arriving in pieces is searched once.
    checked: usize,
}

impl Framer {
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next frame, or `None` when more input is needed (`eof`: none will come).
    pub fn next(&mut self, eof: bool) -> Option<Frame> {
        let lead = self
            .buf
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        if !starts_with_ignore_case(&self.buf[lead..], CONTENT_LENGTH) {
            return self.skip_garbage(eof);
        }
        let Some((header_len, body_start)) = header_end(&self.buf[lead..]) else {
            if eof || self.buf.len() - lead > MAX_HEADERS {
                return Some(self.resync_after(lead, "a header section that does not end"));
            }
            return None;
        };
        let length = match content_length(&self.buf[lead..lead + header_len]) {
            Ok(length) => length,
            Err(reason) => return Some(self.resync_after(lead, &reason)),
        };
        let body_start = lead + body_start;
        let available = self.buf.len() - body_start;
        if available >= length {
            let body = &self.buf[body_start..body_start + length];
            if is_message(body) {
                return Some(self.take(body_start, length));
            }
            // A `Content-Length` too short: the object goes on past it.
            match json_object_end(&self.buf[body_start..]) {
                ObjectEnd::At(end) if is_message(&self.buf[body_start..body_start + end]) => {
                    tracing::warn!("a message of {end} bytes said `Content-Length: {length}`");
                    return Some(self.take(body_start, end));
                }
                ObjectEnd::Incomplete if !eof && available < MAX_MESSAGE => return None,
                _ => {}
            }
            self.consume(body_start + length);
            return Some(Frame::Dropped(format!(
                "a body of {length} bytes that is not a JSON-RPC message"
            )));
        }
        // A `Content-Length` too long: a whole object ends right before the next header.
        let mut from = self.checked.max(body_start);
        while let Some(at) = find_ignore_case(&self.buf[from..], CONTENT_LENGTH).map(|it| from + it)
        {
            let body = &self.buf[body_start..at];
            if let ObjectEnd::At(end) = json_object_end(body) {
                if body[end..].iter().all(u8::is_ascii_whitespace) && is_message(&body[..end]) {
                    tracing::warn!("a message of {end} bytes said `Content-Length: {length}`");
                    return Some(self.take(body_start, end));
                }
            }
            from = at + 1;
        }
        self.checked = self.buf.len().saturating_sub(CONTENT_LENGTH.len() - 1);
        if eof {
            let n = self.buf.len();
            self.consume(n);
            return Some(Frame::Dropped(format!(
                "a message cut short by the end of input ({} of {length} bytes)",
                n - body_start
            )));
        }
        None
    }

    /// The message of `len` bytes at `start`, taken out with what precedes it.
    fn take(&mut self, start: usize, len: usize) -> Frame {
        let body = self.buf[start..start + len].to_vec();
        self.consume(start + len);
        Frame::Message(body)
    }

    fn consume(&mut self, n: usize) {
        self.buf.drain(..n);
        self.checked = 0;
    }

    /// Drops what comes before the next `Content-Length` header (keeping a tail that may be the
    /// start of one).
    fn skip_garbage(&mut self, eof: bool) -> Option<Frame> {
        let at = find_ignore_case(&self.buf, CONTENT_LENGTH);
        let cut = match at {
            Some(at) => at,
            None if eof => self.buf.len(),
            None => self.buf.len().saturating_sub(CONTENT_LENGTH.len() - 1),
        };
        let garbage: Vec<u8> = self.buf[..cut].to_vec();
        self.consume(cut);
        if garbage.iter().all(u8::is_ascii_whitespace) {
            return if at.is_some() { self.next(eof) } else { None };
        }
        Some(Frame::Dropped(format!(
            "{} bytes that are not a message header",
            garbage.len()
        )))
    }

    /// Drops the header that starts at `at` and everything up to the next one.
    fn resync_after(&mut self, at: usize, reason: &str) -> Frame {
        let from = at + CONTENT_LENGTH.len();
        let next = find_ignore_case(&self.buf[from..], CONTENT_LENGTH)
            .map_or(self.buf.len(), |it| from + it);
        self.consume(next);
        Frame::Dropped(reason.to_string())
    }
}

/// The length of the header lines and where the body starts, once the empty line is there.
fn header_end(buf: &[u8]) -> Option<(usize, usize)> {
    let mut line_start = 0;
    while let Some(nl) = buf[line_start..].iter().position(|&b| b == b'\n') {
        let line = &buf[line_start..line_start + nl];
        if line.is_empty() || line == b"\r" {
            return Some((line_start, line_start + nl + 1));
        }
        line_start += nl + 1;
    }
    None
}

/// The `Content-Length` of header lines (`Name: value`, any case, `\r\n` or `\n`).
fn content_length(headers: &[u8]) -> Result<usize, String> {
    let mut length = None;
    for line in headers.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Err("a header line without `:`".to_string());
        };
        if line[..colon]
            .trim_ascii()
            .eq_ignore_ascii_case(CONTENT_LENGTH)
        {
            let value = std::str::from_utf8(&line[colon + 1..]).unwrap_or("").trim();
            match value.parse::<usize>() {
                Ok(n) if n <= MAX_MESSAGE => length = Some(n),
                Ok(n) => return Err(format!("a message of {n} bytes, more than {MAX_MESSAGE}")),
                Err(_) => return Err(format!("`Content-Length: {value}`")),
            }
        }
    }
    length.ok_or_else(|| "a header without `Content-Length`".to_string())
}

/// A body the protocol library decodes: UTF-8, one JSON-RPC request, notification or response.
fn is_message(body: &[u8]) -> bool {
    std::str::from_utf8(body).is_ok()
        && (serde_json::from_slice::<Request>(body).is_ok()
            || serde_json::from_slice::<Response>(body).is_ok())
}

enum ObjectEnd {
    /// A JSON object ends at this offset.
    At(usize),
    /// The bytes so far start an object that has not ended.
    Incomplete,
    Invalid,
}

/// Where the JSON object at the start of `buf` ends.
fn json_object_end(buf: &[u8]) -> ObjectEnd {
    let lead = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
    if buf.get(lead) != Some(&b'{') {
        return ObjectEnd::Invalid;
    }
    let mut values = serde_json::Deserializer::from_slice(buf).into_iter::<IgnoredAny>();
    match values.next() {
        Some(Ok(_)) => ObjectEnd::At(values.byte_offset()),
        Some(Err(err)) if err.is_eof() => ObjectEnd::Incomplete,
        _ => ObjectEnd::Invalid,
    }
}

fn starts_with_ignore_case(buf: &[u8], word: &[u8]) -> bool {
    buf.len() >= word.len() && buf[..word.len()].eq_ignore_ascii_case(word)
}

fn find_ignore_case(buf: &[u8], word: &[u8]) -> Option<usize> {
    buf.windows(word.len())
        .position(|it| it.eq_ignore_ascii_case(word))
}

/// Reads `input`, and returns the stream of its well-formed messages for the protocol library.
/// The stream ends when `input` does.
pub fn gate(
    mut input: impl AsyncRead + Unpin + Send + 'static,
    arrivals: Arc<Arrivals>,
) -> DuplexStream {
    let (mut tx, rx) = tokio::io::duplex(64 << 10);
    tokio::spawn(async move {
        let mut framer = Framer::default();
        let mut chunk = vec![0u8; 64 << 10];
        loop {
            let n = match input.read(&mut chunk).await {
                Ok(n) => n,
                Err(err) => {
                    tracing::error!("cannot read stdin: {err}");
                    0
                }
            };
            let read_at = Instant::now();
            framer.push(&chunk[..n]);
            while let Some(frame) = framer.next(n == 0) {
                match frame {
                    Frame::Message(body) => {
                        arrivals.record(&body, read_at);
                        let header = format!("Content-Length: {}\r\n\r\n", body.len());
                        let sent = async {
                            tx.write_all(header.as_bytes()).await?;
                            tx.write_all(&body).await
                        };
                        if sent.await.is_err() {
                            // The protocol library stopped reading (after `exit`).
                            return;
                        }
                    }
                    Frame::Dropped(reason) => tracing::warn!("dropped malformed input: {reason}"),
                }
            }
            if n == 0 {
                return;
            }
        }
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let mut framer = Framer::default();
        framer.push(input);
        std::iter::from_fn(|| framer.next(true)).collect()
    }

    fn framed(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    const STATUS: &str = r#"{"jsonrpc":"2.0","id":1,"method":"borrowlens/status"}"#;

    fn message(body: &str) -> Frame {
        Frame::Message(body.as_bytes().to_vec())
    }

    fn is_dropped(frame: &Frame) -> bool {
        matches!(frame, Frame::Dropped(_))
    }

    #[test]
    fn well_formed_frames_pass_in_order_and_in_pieces() {
        let input = [
            framed(STATUS),
            framed(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
        ]
        .concat();
        let mut framer = Framer::default();
        let mut out = Vec::new();
        for byte in &input {
            framer.push(std::slice::from_ref(byte));
            while let Some(frame) = framer.next(false) {
                out.push(frame);
            }
        }
        assert_eq!(out.len(), 2);
        assert_eq!(out[0], message(STATUS));
        assert!(framer.next(true).is_none());
    }

    #[test]
    fn header_case_line_ends_and_other_headers() {
        let input = format!(
            "content-length: {}\nContent-Type: application/vscode-jsonrpc; charset=latin1\nX-Other: y\n\n{STATUS}",
            STATUS.len()
        );
        assert_eq!(frames(input.as_bytes()), [message(STATUS)]);
    }

    #[test]
    fn malformed_bodies_are_dropped_and_the_next_message_passes() {
        for bad in [
            "{not json",
            "[1,2,3]",
            "{\"id\":1.5,\"method\":\"x\"}",
            "{\"jsonrpc\":\"2.0\",\"method\":7}",
            "42",
            "",
        ] {
            let input = [framed(bad), framed(STATUS)].concat();
            let out = frames(&input);
            assert_eq!(out.last(), Some(&message(STATUS)), "after {bad:?}: {out:?}");
            assert!(
                out[..out.len() - 1].iter().all(is_dropped),
                "{bad:?}: {out:?}"
            );
        }
        let body = b"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"\xff\xfe\"}";
        let mut invalid_utf8 = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        invalid_utf8.extend(body);
        invalid_utf8.extend(framed(STATUS));
        assert_eq!(frames(&invalid_utf8).last(), Some(&message(STATUS)));
    }

    #[test]
    fn bad_headers_are_skipped_to_the_next_one() {
        for bad in [
            "Content-Length: -5\r\n\r\n{}".to_string(),
            "Content-Length: many\r\n\r\n{}".to_string(),
            format!("Content-Length: {}\r\n\r\n{{}}", u64::MAX),
            "Content-Type: text\r\n\r\n{}".to_string(),
            "\u{0}\u{ff} garbage\r\n\r\n".to_string(),
            "Content-Length 12\r\n\r\n{}".to_string(),
            "Content-Length: 2\r\nno colon here\r\n\r\n{}".to_string(),
        ] {
            let input = [bad.as_bytes().to_vec(), framed(STATUS)].concat();
            let out = frames(&input);
            assert_eq!(out.last(), Some(&message(STATUS)), "after {bad:?}: {out:?}");
        }
    }

    #[test]
    fn a_wrong_content_length_loses_no_message() {
        let short = format!("Content-Length: 5\r\n\r\n{STATUS}");
        assert_eq!(
            frames(&[short.as_bytes(), &framed(STATUS)].concat()),
            [message(STATUS), message(STATUS)]
        );
        let long = format!("Content-Length: 500\r\n\r\n{STATUS}");
        assert_eq!(
            frames(&[long.as_bytes(), &framed(STATUS)].concat()),
            [message(STATUS), message(STATUS)]
        );
        // A body too short that is not an object stays dropped.
        let out = frames(&[b"Content-Length: 3\r\n\r\nnul".as_slice(), &framed(STATUS)].concat());
        assert_eq!(out.last(), Some(&message(STATUS)));
    }

    #[test]
    fn input_that_ends_midway_is_dropped() {
        let out = frames(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"");
        assert!(out.len() == 1 && is_dropped(&out[0]), "{out:?}");
        let out = frames(b"Content-Len");
        assert!(out.len() == 1 && is_dropped(&out[0]), "{out:?}");
        assert!(frames(b"  \r\n ").is_empty());
    }

    #[test]
    fn a_header_that_never_ends_is_dropped() {
        let mut input = b"Content-Length: 2\r\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_HEADERS + 10));
        let mut framer = Framer::default();
        framer.push(&input);
        assert!(matches!(framer.next(false), Some(Frame::Dropped(_))));
        framer.push(&framed(STATUS));
        let mut out = Vec::new();
        while let Some(frame) = framer.next(false) {
            out.push(frame);
        }
        assert_eq!(out.last(), Some(&message(STATUS)));
    }
}

//! How long an edit waits for its diagnostics, measured by the server itself: from the moment
//! its `didChange` was read from stdin to the moment the `publishDiagnostics` that includes it
//! was written to stdout. This is the keystroke latency the performance budget is about (the
//! client's own reading and writing left out), and `borrowlens/status` reports the latest
//! ones (`keystrokeMicros`) for the benchmark and for users who wonder.
//!
//! The gate on stdin (`framing.rs`) stamps every `didChange` with the instant its bytes were
//! read (`Arrivals::record`); the `didChange` handler takes the stamp of its own message
//! (`Arrivals::take`, by URI and version) and hands it to the writer with the edit; the writer
//! keeps, per document, the stamp of the oldest edit not yet published, and records its wait
//! when the diagnostics are written (`Latencies`).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Deserialize;

/// The most stamps kept waiting for their handler: the protocol library drops a message it
/// cannot decode, whose stamp is then never taken.
const MAX_WAITING: usize = 256;

/// The most waits kept for `borrowlens/status`.
pub const MAX_KEPT: usize = 1000;

/// The `didChange` messages read from stdin and not yet handled, with the instant each was read.
#[derive(Default)]
pub struct Arrivals(Mutex<VecDeque<(String, i32, Instant)>>);

impl Arrivals {
    /// Stamps `body` with `read_at` when it is a `didChange`.
    pub fn record(&self, body: &[u8], read_at: Instant) {
        #[derive(Deserialize)]
        struct Change {
            method: String,
            params: Params,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Params {
            text_document: Doc,
        }
        #[derive(Deserialize)]
        struct Doc {
            uri: String,
            version: i32,
        }
        // Most messages are not edits: a search of the text costs less than reading it.
        if !std::str::from_utf8(body).is_ok_and(|it| it.contains("textDocument/didChange")) {
            return;
        }
        let Ok(change) = serde_json::from_slice::<Change>(body) else {
            return;
        };
        if change.method != "textDocument/didChange" {
            return;
        }
        let doc = change.params.text_document;
        let mut waiting = self.lock();
        if waiting.len() == MAX_WAITING {
            waiting.pop_front();
        }
        waiting.push_back((doc.uri, doc.version, read_at));
    }

    /// The instant the `didChange` of `uri` at `version` was read. Stamps older than it belong
    /// to messages that never reached their handler, and go.
    pub fn take(&self, uri: &str, version: i32) -> Option<Instant> {
        let mut waiting = self.lock();
        let at = waiting
            .iter()
            .position(|(u, v, _)| u == uri && *v == version)?;
        let (_, _, read_at) = waiting.drain(..=at).next_back()?;
        Some(read_at)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<(String, i32, Instant)>> {
        // A poisoned lock only means a thread panicked between two operations on the queue.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The latest waits from an edit to its diagnostics, oldest first.
#[derive(Default)]
pub struct Latencies(VecDeque<Duration>);

impl Latencies {
    pub fn push(&mut self, wait: Duration) {
        if self.0.len() == MAX_KEPT {
            self.0.pop_front();
        }
        self.0.push_back(wait);
    }

    /// In microseconds.
    pub fn micros(&self) -> Vec<u64> {
        self.0
            .iter()
            .map(|it| u64::try_from(it.as_micros()).unwrap_or(u64::MAX))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(uri: &str, version: i32) -> Vec<u8> {
        format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"{uri}","version":{version}}},"contentChanges":[{{"text":"fn main() {{}}"}}]}}}}"#
        )
        .into_bytes()
    }

    #[test]
    fn an_edit_gets_the_instant_its_own_message_was_read() {
        let arrivals = Arrivals::default();
        let t0 = Instant::now();
        let t1 = t0 + Duration::from_millis(1);
        let t2 = t0 + Duration::from_millis(2);
        arrivals.record(&change("file:///a.rs", 2), t0);
        // Not an edit: no stamp.
        arrivals.record(
            br#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover"}"#,
            t1,
        );
        arrivals.record(&change("file:///b.rs", 7), t1);
        arrivals.record(&change("file:///a.rs", 3), t2);
        assert_eq!(arrivals.take("file:///b.rs", 7), Some(t1));
        // The stamp of a.rs version 2 was older than b.rs's: its message never reached its
        // handler, so it went with it.
        assert_eq!(arrivals.take("file:///a.rs", 2), None);
        assert_eq!(arrivals.take("file:///a.rs", 3), Some(t2));
        assert_eq!(arrivals.take("file:///a.rs", 3), None);
    }

    #[test]
    fn only_the_latest_waits_are_kept() {
        let mut latencies = Latencies::default();
        for i in 0..MAX_KEPT as u64 + 5 {
            latencies.push(Duration::from_micros(i));
        }
        let kept = latencies.micros();
        assert_eq!(kept.len(), MAX_KEPT);
        assert_eq!(kept[0], 5);
        assert_eq!(*kept.last().unwrap(), MAX_KEPT as u64 + 4);
    }
}

//! Publishing diagnostics: what was last published for each document, and the notifications.
//!
//! The writer computes a document's diagnostics itself, on its own thread, as soon as every
//! message already queued for it has been applied (`writer.rs`): a burst of edits that arrived
//! together costs one computation, there is no timer (a timer costs every keystroke its length,
//! and the computation of one edited function takes a millisecond or two), and the analysis's
//! data is still in the caches of the core that just applied the edit. Handing the computation
//! to another thread cost a keystroke about a fifth of its time on the benchmark's 2-core
//! machine (the same computation, measured on one thread and across two), and one more
//! wake-up. A message that arrives meanwhile interrupts the computation between two functions
//! (what was computed stays memoized) and is applied first.
//!
//! One thread publishes everything, so the notifications for one document go out in the order
//! they were computed, and a stale list can never overtake a newer one. A list equal to the one
//! last published for the same version is not sent again. The writer writes the notification to
//! stdout itself (`output::protocol_frame`), rather than through tower-lsp-server's client and
//! its output task: one wake-up of another thread less per keystroke. Documents are opened only
//! after `initialized`, so nothing is published before the protocol allows it.

use std::collections::HashMap;

use serde::Serialize;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::output;

type Published = (Option<i32>, Vec<lsp::Diagnostic>);

/// The writer's side of `textDocument/publishDiagnostics`.
#[derive(Default)]
pub struct Publisher {
    published: HashMap<Uri, Published>,
}

/// The notification as it goes on the wire.
#[derive(Serialize)]
struct Notification {
    jsonrpc: &'static str,
    method: &'static str,
    params: lsp::PublishDiagnosticsParams,
}

impl Publisher {
    /// Writes the notification to the protocol's output at once, from this thread (see
    /// `output::protocol_frame`); the instant it was handed to the write, once serialized. Taken
    /// before the write, not after: a thread preempted after its write returned would otherwise
    /// count the time the client already had the message (the client's round trip could then be
    /// shorter than the server's time).
    fn send(
        &self,
        uri: Uri,
        diagnostics: Vec<lsp::Diagnostic>,
        version: Option<i32>,
    ) -> std::time::Instant {
        let message = Notification {
            jsonrpc: "2.0",
            method: "textDocument/publishDiagnostics",
            params: lsp::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        };
        let mut at = std::time::Instant::now();
        let sent = serde_json::to_vec(&message)
            .map_err(std::io::Error::other)
            .and_then(|body| {
                at = std::time::Instant::now();
                output::protocol_frame(&body)
            });
        if let Err(err) = sent {
            tracing::error!("cannot publish diagnostics: {err}");
        }
        at
    }

    /// The diagnostics of `uri` at `version`, unless they were just published; when they were
    /// sent (handed to the write).
    pub fn publish(
        &mut self,
        uri: Uri,
        version: i32,
        diags: Vec<lsp::Diagnostic>,
    ) -> Option<std::time::Instant> {
        let it = (Some(version), diags);
        if self.published.get(&uri) == Some(&it) {
            return None;
        }
        let at = self.send(uri.clone(), it.1.clone(), it.0);
        self.published.insert(uri, it);
        Some(at)
    }

    /// The document was closed: clear what was published for it.
    pub fn closed(&mut self, uri: Uri) {
        if self.published.remove(&uri).is_some() {
            self.send(uri, Vec::new(), None);
        }
    }

    /// `window/showMessage`: a warning for the user (dependencies not on disk, say).
    pub fn show_warning(&self, message: String) {
        #[derive(Serialize)]
        struct ShowMessage {
            jsonrpc: &'static str,
            method: &'static str,
            params: lsp::ShowMessageParams,
        }
        let note = ShowMessage {
            jsonrpc: "2.0",
            method: "window/showMessage",
            params: lsp::ShowMessageParams {
                typ: lsp::MessageType::WARNING,
                message,
            },
        };
        let sent = serde_json::to_vec(&note)
            .map_err(std::io::Error::other)
            .and_then(|body| output::protocol_frame(&body));
        if let Err(err) = sent {
            tracing::error!("cannot show a message: {err}");
        }
    }

    /// Diagnostics were turned off: clear everything published.
    pub fn clear_all(&mut self) {
        for (uri, (version, diags)) in std::mem::take(&mut self.published) {
            if !diags.is_empty() {
                self.send(uri, Vec::new(), version);
            }
        }
    }
}

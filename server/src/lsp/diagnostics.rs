//! Publishing diagnostics: one thread computes and publishes them, in the order the writer asks.
//!
//! The writer hands this thread its work through a `Queue`: compute a document's diagnostics with
//! a snapshot it took (`Notice::Compute`), a document was closed (`Closed`), the user turned
//! diagnostics off (`ClearAll`). The writer queues a computation as soon as every message already
//! queued for it has been applied (a burst of edits that arrived together costs one
//! computation), with the snapshot of that very moment: no timer (a timer costs every keystroke
//! its length, and the computation of one edited function takes a millisecond or two), and no
//! round trip to ask for the snapshot. A keystroke goes from the writer to this thread and from
//! here to the protocol's output, two hand-overs between threads, each costing a wake-up.
//!
//! A snapshot must not wait in the queue while the writer changes the analysis (`set_file`
//! waits until every snapshot is dropped), so the writer takes back the computations not started
//! yet before any change (`Queue::retract`), and the document of the computation running then
//! (which the change cancels, through salsa) is computed again with the newer analysis.
//!
//! One thread does it all, so the notifications for one document go out in the order they were
//! computed, and a stale list can never overtake a newer one. A list equal to the one last
//! published for the same version is not sent again.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use borrowlens_analysis::{Analysis, FileId};
use tower_lsp_server::jsonrpc::ErrorCode;
use tower_lsp_server::ls_types::{self as lsp, Uri};
use tower_lsp_server::Client;

use crate::lsp::text::Text;
use crate::lsp::{job, to_lsp};

/// What the writer asks of the diagnostics thread.
pub enum Notice {
    /// Compute an open document's diagnostics on this snapshot and publish them.
    Compute {
        analysis: Analysis,
        uri: Uri,
        file: FileId,
        version: i32,
        /// The document's text of the snapshot's version, for converting positions.
        text: Text,
    },
    /// The document was closed: clear what was published for it.
    Closed(Uri),
    /// Diagnostics were turned off: clear everything published.
    ClearAll,
}

#[derive(Default)]
struct State {
    notices: VecDeque<Notice>,
    /// The document whose computation the thread has taken and not finished.
    running: Option<Uri>,
}

/// The writer's queue of notices to the diagnostics thread.
#[derive(Clone, Default)]
pub struct Queue(Arc<(Mutex<State>, Condvar)>);

impl Queue {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means a thread panicked while holding it; the state is a queue
        // that stays consistent between operations.
        self.0 .0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn push(&self, notice: Notice) {
        self.lock().notices.push_back(notice);
        self.0 .1.notify_one();
    }

    /// Takes back the computations not started yet, dropping their snapshots, before the
    /// analysis changes. Returns the documents to compute again: theirs, and the one being
    /// computed now (the change cancels it, or it finishes first and computing it again
    /// publishes nothing new).
    pub fn retract(&self) -> Vec<Uri> {
        let mut state = self.lock();
        let mut uris: Vec<Uri> = state.running.iter().cloned().collect();
        state.notices.retain(|it| match it {
            Notice::Compute { uri, .. } => {
                if !uris.contains(uri) {
                    uris.push(uri.clone());
                }
                false
            }
            Notice::Closed(_) | Notice::ClearAll => true,
        });
        uris
    }

    fn pop(&self) -> Notice {
        let mut state = self.lock();
        loop {
            if let Some(notice) = state.notices.pop_front() {
                if let Notice::Compute { uri, .. } = &notice {
                    state.running = Some(uri.clone());
                }
                return notice;
            }
            state = self.0 .1.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn done(&self) {
        self.lock().running = None;
    }
}

/// Starts the diagnostics thread. It publishes through `client` on `runtime`.
pub fn spawn(client: Client, queue: Queue, runtime: tokio::runtime::Handle) {
    std::thread::Builder::new()
        .name("borrowlens-diagnostics".to_string())
        .stack_size(borrowlens_analysis::ANALYSIS_STACK_SIZE)
        .spawn(move || run(client, queue, runtime))
        .expect("start the diagnostics thread");
}

type Published = (Option<i32>, Vec<lsp::Diagnostic>);

fn run(client: Client, queue: Queue, runtime: tokio::runtime::Handle) {
    let mut published: HashMap<Uri, Published> = HashMap::new();
    let publish = |uri: Uri, diags: Vec<lsp::Diagnostic>, version: Option<i32>| {
        runtime.block_on(client.publish_diagnostics(uri, diags, version));
    };
    loop {
        match queue.pop() {
            Notice::Compute {
                analysis,
                uri,
                file,
                version,
                text,
            } => {
                let result = job::catch("textDocument/publishDiagnostics", || {
                    let start = std::time::Instant::now();
                    let diags = analysis.diagnostics(file)?;
                    tracing::debug!("diagnostics of {} in {:?}", uri.as_str(), start.elapsed());
                    Ok(diags
                        .iter()
                        .map(|it| to_lsp::diagnostic(&text, &uri, it))
                        .collect::<Vec<_>>())
                });
                // The snapshot goes before anything waits on the client.
                drop(analysis);
                queue.done();
                let diags = match result {
                    Ok(diags) => diags,
                    // A change cancelled it; the writer computes the document again.
                    Err(err) if err.code == ErrorCode::ContentModified => continue,
                    // Logged by the job boundary.
                    Err(_) => continue,
                };
                let it = (Some(version), diags);
                if published.get(&uri) != Some(&it) {
                    publish(uri.clone(), it.1.clone(), it.0);
                    published.insert(uri, it);
                }
            }
            Notice::Closed(uri) => {
                if published.remove(&uri).is_some() {
                    publish(uri, Vec::new(), None);
                }
            }
            Notice::ClearAll => {
                for (uri, (version, diags)) in published.drain() {
                    if !diags.is_empty() {
                        publish(uri, Vec::new(), version);
                    }
                }
            }
        }
    }
}

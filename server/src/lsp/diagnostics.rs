//! Publishing diagnostics: one task that coalesces bursts of edits and publishes in order.
//!
//! The writer tells this task when an open document changed (`Dirty`), was closed (`Closed`), or
//! when the user turned diagnostics off (`ClearAll`). A dirty document waits `DEBOUNCE` after its
//! last edit, then the task takes a snapshot through the writer's queue (so it holds every edit
//! made until then), computes the diagnostics on the blocking pool and publishes them with the
//! document's version of that snapshot. A computation that a newer edit cancels is tried again.
//!
//! One task does it all, so the notifications for one document go out in the order they were
//! computed, and a stale list can never overtake a newer one. A list equal to the one last
//! published for the same version is not sent again.

use std::collections::HashMap;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;
use tower_lsp_server::jsonrpc::ErrorCode;
use tower_lsp_server::ls_types::{self as lsp, Uri};
use tower_lsp_server::Client;

use crate::lsp::writer::Writer;
use crate::lsp::{job, to_lsp};

/// How long a document must go without edits before its diagnostics are computed.
pub const DEBOUNCE: Duration = Duration::from_millis(30);

pub enum Event {
    Dirty(Uri),
    Closed(Uri),
    ClearAll,
}

type Published = (Option<i32>, Vec<lsp::Diagnostic>);

enum Outcome {
    Publish(Published),
    /// A newer edit interrupted the computation.
    Cancelled,
    /// Nothing to publish: the document was closed, diagnostics are off, or the analysis failed
    /// (logged by the job boundary).
    Nothing,
}

pub async fn run(client: Client, writer: Writer, mut events: UnboundedReceiver<Event>) {
    let mut due: HashMap<Uri, Instant> = HashMap::new();
    let mut published: HashMap<Uri, Published> = HashMap::new();
    loop {
        // First what is due, so a stream of events about other documents cannot hold it back.
        let now = Instant::now();
        let ready: Vec<Uri> = due
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in ready {
            due.remove(&uri);
            match compute(&writer, &uri).await {
                Outcome::Publish(it) => {
                    if published.get(&uri) != Some(&it) {
                        let (version, diags) = it.clone();
                        client
                            .publish_diagnostics(uri.clone(), diags, version)
                            .await;
                        published.insert(uri, it);
                    }
                }
                Outcome::Cancelled => {
                    due.entry(uri).or_insert(now);
                }
                Outcome::Nothing => {}
            }
        }
        // Then the next event, or the next deadline.
        let event = match due.values().min().copied() {
            None => events.recv().await,
            Some(deadline) => match tokio::time::timeout_at(deadline, events.recv()).await {
                Ok(event) => event,
                Err(_elapsed) => continue,
            },
        };
        match event {
            None => return,
            Some(Event::Dirty(uri)) => {
                due.insert(uri, Instant::now() + DEBOUNCE);
            }
            Some(Event::Closed(uri)) => {
                due.remove(&uri);
                if published.remove(&uri).is_some() {
                    client.publish_diagnostics(uri, Vec::new(), None).await;
                }
            }
            Some(Event::ClearAll) => {
                due.clear();
                for (uri, (version, diags)) in published.drain() {
                    if !diags.is_empty() {
                        client.publish_diagnostics(uri, Vec::new(), version).await;
                    }
                }
            }
        }
    }
}

async fn compute(writer: &Writer, uri: &Uri) -> Outcome {
    let Some(snapshot) = writer.snapshot(Some(uri.clone())).await else {
        return Outcome::Nothing;
    };
    let Some(doc) = snapshot.doc else {
        return Outcome::Nothing;
    };
    let (Some(text), true) = (doc.text, snapshot.settings.diagnostics) else {
        return Outcome::Nothing;
    };
    let (analysis, file, version, uri) = (snapshot.analysis, doc.file, doc.version, uri.clone());
    let result = job::spawn("textDocument/publishDiagnostics", move || {
        let start = std::time::Instant::now();
        let diags = analysis.diagnostics(file)?;
        tracing::debug!("diagnostics of {} in {:?}", uri.as_str(), start.elapsed());
        Ok(diags
            .iter()
            .map(|it| to_lsp::diagnostic(&text, &uri, it))
            .collect())
    })
    .await;
    match result {
        Ok(diags) => Outcome::Publish((version, diags)),
        Err(err) if err.code == ErrorCode::ContentModified => Outcome::Cancelled,
        Err(_) => Outcome::Nothing,
    }
}

//! Publishing diagnostics: one task that coalesces bursts of edits and publishes in order.
//!
//! The writer tells this task when an open document changed (`Dirty`), was closed (`Closed`), or
//! when the user turned diagnostics off (`ClearAll`). A dirty document is computed at once, after
//! every event already queued has been taken in (a burst of edits that arrived together costs one
//! computation): the task takes a snapshot through the writer's queue (so it holds every edit
//! made until then), computes the diagnostics on the blocking pool and publishes them with the
//! document's version of that snapshot. An edit that arrives during the computation cancels it
//! (salsa), and the document is computed again with the newer text. There is no timer: a timer
//! costs every keystroke its length, and the computation of one edited function takes
//! milliseconds, so typing at any human speed is answered edit by edit.
//!
//! One task does it all, so the notifications for one document go out in the order they were
//! computed, and a stale list can never overtake a newer one. A list equal to the one last
//! published for the same version is not sent again.

use std::collections::HashMap;

use tokio::sync::mpsc::UnboundedReceiver;
use tower_lsp_server::jsonrpc::ErrorCode;
use tower_lsp_server::ls_types::{self as lsp, Uri};
use tower_lsp_server::Client;

use crate::lsp::writer::Writer;
use crate::lsp::{job, to_lsp};

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
    // Documents to compute, in the order they became dirty.
    let mut dirty: Vec<Uri> = Vec::new();
    let mut published: HashMap<Uri, Published> = HashMap::new();
    loop {
        // Wait for an event when there is nothing to do, then take in every queued one.
        if dirty.is_empty() {
            match events.recv().await {
                None => return,
                Some(event) => take(event, &mut dirty, &mut published, &client).await,
            }
        }
        while let Ok(event) = events.try_recv() {
            take(event, &mut dirty, &mut published, &client).await;
        }
        let Some(uri) = (!dirty.is_empty()).then(|| dirty.remove(0)) else {
            continue;
        };
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
                if !dirty.contains(&uri) {
                    dirty.push(uri);
                }
            }
            Outcome::Nothing => {}
        }
    }
}

async fn take(
    event: Event,
    dirty: &mut Vec<Uri>,
    published: &mut HashMap<Uri, Published>,
    client: &Client,
) {
    match event {
        Event::Dirty(uri) => {
            if !dirty.contains(&uri) {
                dirty.push(uri);
            }
        }
        Event::Closed(uri) => {
            dirty.retain(|it| *it != uri);
            if published.remove(&uri).is_some() {
                client.publish_diagnostics(uri, Vec::new(), None).await;
            }
        }
        Event::ClearAll => {
            dirty.clear();
            for (uri, (version, diags)) in published.drain() {
                if !diags.is_empty() {
                    client.publish_diagnostics(uri, Vec::new(), version).await;
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

//! The single writer: one thread owns the `AnalysisHost` and every open document, and applies
//! what the handlers send it, one message at a time, in the order they were sent.
//!
//! Why: tower-lsp-server runs up to four handlers at once (`buffer_unordered(4)`), so two edits
//! handled concurrently could reach the analysis out of order, and a request could be answered
//! from text older than an edit the client sent before it. Instead, every handler sends its
//! message on this thread's channel *before its first `.await`*. A handler's first poll happens in
//! the order messages arrive (the server creates each handler future in arrival order and
//! `FuturesUnordered` first polls them in that order), so the channel holds edits and requests in
//! arrival order, and the writer applies them in that order:
//!
//! - `didOpen`/`didChange`/`didClose`: the document's rope is edited here (changes in order, each
//!   range in the negotiated encoding), its full text is handed to `AnalysisHost::set_file`, and
//!   the document is dirty: once every queued message is applied, the writer computes its
//!   diagnostics and publishes them (`diagnostics.rs`); a message arriving meanwhile interrupts
//!   the computation between two functions and is applied first.
//! - A request sends `Snapshot` with a oneshot reply: it gets an `Analysis` snapshot that holds
//!   every earlier edit, with the document's rope of that very version for converting positions,
//!   and runs its query on the blocking pool (`job::spawn`).
//!
//! `set_file` cancels the queries running on snapshots and waits until every snapshot is
//! dropped, so this thread never keeps one: each snapshot is handed out as it is made (when the
//! asker is gone, it is dropped right here). A panic while applying a message or computing a
//! document's diagnostics is logged and the thread goes on with the next one.
//!
//! Edits reparse incrementally, and tree-sitter's result depends on the subtrees it reuses (its
//! recovery from syntax errors, and how a reused expression binds). So when the queue has been
//! empty for `SETTLE_AFTER`, each edited document is parsed afresh and, where the parses differ,
//! computed again (`AnalysisHost::settle`): once typing pauses, the analysis is that of a fresh
//! open.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::mpsc::{self, TryRecvError};
use std::time::Instant;

use borrowlens_analysis::{Analysis, AnalysisHost, Edition, FileId};
use tokio::sync::oneshot;
use tower_lsp_server::ls_types::{FileChangeType, TextDocumentContentChangeEvent, Uri};

use crate::edition::{self, CargoEditions};
use crate::lsp::diagnostics::Publisher;
use crate::lsp::settings::Settings;
use crate::lsp::text::{Encoding, Text};
use crate::lsp::timing::Latencies;
use crate::lsp::workspace::{self, DiskFile, Root};
use crate::lsp::{ext, from_lsp, job, to_lsp};

/// How long the queue stays empty before edited documents are settled.
const SETTLE_AFTER: std::time::Duration = std::time::Duration::from_millis(10);

/// What the handlers ask of the writer.
pub enum Op {
    /// From `initialize`, before any other message.
    Init {
        encoding: Encoding,
        settings: Settings,
        roots: Vec<Root>,
    },
    Open {
        uri: Uri,
        text: String,
        version: i32,
    },
    Change {
        uri: Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        /// When the `didChange` was read from stdin (see `timing.rs`).
        received: Option<Instant>,
    },
    Close {
        uri: Uri,
    },
    Configure(Settings),
    Roots {
        added: Vec<Root>,
        removed: Vec<PathBuf>,
    },
    /// Files read by the indexer: taken only when nothing newer is known about them.
    Index(Vec<DiskFile>),
    /// Files that changed on disk (`workspace/didChangeWatchedFiles`): read here, so the latest
    /// event wins.
    Watched(Vec<(PathBuf, FileChangeType)>),
    Snapshot {
        uri: Option<Uri>,
        reply: oneshot::Sender<Snapshot>,
    },
    Status {
        reply: oneshot::Sender<ext::Status>,
    },
}

/// The analysis as of one point in the message order, for one document.
pub struct Snapshot {
    pub analysis: Analysis,
    pub doc: Option<DocSnapshot>,
    pub settings: Settings,
    pub encoding: Encoding,
}

pub struct DocSnapshot {
    pub file: FileId,
    /// The version of an open document; `None` for a file known from disk only.
    pub version: Option<i32>,
    /// The text of an open document; a file known from disk only is read from the analysis
    /// (off this thread) when needed.
    pub text: Option<Text>,
}

/// The sending end of the writer's queue.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Op>,
}

impl Writer {
    /// Starts the writer thread; it publishes diagnostics through `publisher`.
    pub fn spawn(publisher: Publisher) -> Writer {
        let (tx, rx) = mpsc::channel();
        let state = State::new(publisher);
        std::thread::Builder::new()
            .name("borrowlens-writer".to_string())
            .stack_size(borrowlens_analysis::ANALYSIS_STACK_SIZE)
            .spawn(move || run(rx, state))
            .expect("start the writer thread");
        Writer { tx }
    }

    /// Queues a message. Never blocks, so handlers call it before their first `.await`.
    pub fn send(&self, op: Op) {
        if self.tx.send(op).is_err() {
            tracing::error!("the writer thread is gone");
        }
    }

    /// Queues a snapshot request now (in message order) and returns the future of its answer;
    /// `None` only when the writer is gone.
    pub fn snapshot(
        &self,
        uri: Option<Uri>,
    ) -> impl std::future::Future<Output = Option<Snapshot>> {
        let (reply, answer) = oneshot::channel();
        self.send(Op::Snapshot { uri, reply });
        async move { answer.await.ok() }
    }

    pub fn status(&self) -> impl std::future::Future<Output = Option<ext::Status>> {
        let (reply, answer) = oneshot::channel();
        self.send(Op::Status { reply });
        async move { answer.await.ok() }
    }
}

struct Doc {
    text: Text,
    version: i32,
    file: FileId,
    path: String,
    /// The edition of the package the file is in, if any; a `//@ edition:` line wins over it.
    cargo_edition: Option<Edition>,
    /// When the oldest edit whose diagnostics are not published yet was read from stdin.
    waiting_since: Option<Instant>,
}

struct State {
    host: AnalysisHost,
    encoding: Encoding,
    settings: Settings,
    roots: Vec<Root>,
    docs: HashMap<Uri, Doc>,
    /// The path of every open document, to the URI it was opened with.
    open_paths: HashMap<String, Uri>,
    /// The files known from disk (indexed or reported by the watcher), by path.
    disk: HashSet<String>,
    cargo: CargoEditions,
    /// The root files of the workspace's crates (cargo's targets), as host paths, and the crate
    /// graph with their dependencies.
    crate_roots: Vec<String>,
    crate_graph: borrowlens_analysis::CrateGraph,
    /// The dependencies already said to be missing, to say each once.
    said_missing: BTreeSet<String>,
    publisher: Publisher,
    /// Open documents whose diagnostics are to be computed, in the order they became dirty.
    dirty: Vec<Uri>,
    /// Open documents edited since they were last settled.
    unsettled: HashSet<Uri>,
    /// The latest waits from an edit to its diagnostics.
    latencies: Latencies,
}

/// Whether a message arrived that a long computation (diagnostics, a settle) should stop for; it
/// is kept in `next`, to be applied first.
fn message_arrived(rx: &mpsc::Receiver<Op>, next: &mut Option<Op>) -> bool {
    match rx.try_recv() {
        Ok(op) => {
            *next = Some(op);
            true
        }
        Err(TryRecvError::Empty) => false,
        // Nothing more will come: the loop ends at its next `recv`.
        Err(TryRecvError::Disconnected) => true,
    }
}

fn run(rx: mpsc::Receiver<Op>, mut state: State) {
    let mut next = None;
    loop {
        let op = match next.take() {
            Some(op) => op,
            None if state.unsettled.is_empty() => match rx.recv() {
                Ok(op) => op,
                Err(_) => return,
            },
            None => match rx.recv_timeout(SETTLE_AFTER) {
                Ok(op) => op,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let _ = job::catch("settle", || {
                        state.settle(&rx, &mut next);
                        Ok(())
                    });
                    state.publish_dirty(&rx, &mut next);
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            },
        };
        let op = coalesce(op, &rx, &mut next);
        let (name, start) = (op.name(), std::time::Instant::now());
        // The job boundary logs a panic once; the thread goes on with the next message.
        let _ = job::catch(name, || {
            state.apply(op);
            Ok(())
        });
        tracing::debug!("writer: {name} in {:?}", start.elapsed());
        // Once every queued message is applied, the dirty documents are computed, at once.
        if next.is_none() {
            match rx.try_recv() {
                Ok(op) => next = Some(op),
                Err(TryRecvError::Empty) => state.publish_dirty(&rx, &mut next),
                Err(TryRecvError::Disconnected) => return,
            }
        }
    }
}

/// A burst of edits to one document that is already queued becomes one edit: its changes apply
/// in the same order, and the analysis gets the text once. The first other message is kept in
/// `next`, so the order of messages is unchanged.
fn coalesce(op: Op, rx: &mpsc::Receiver<Op>, next: &mut Option<Op>) -> Op {
    let Op::Change {
        uri,
        mut version,
        mut changes,
        received,
    } = op
    else {
        return op;
    };
    while let Ok(more) = rx.try_recv() {
        match more {
            Op::Change {
                uri: same,
                version: later,
                changes: more,
                ..
            } if same == uri => {
                version = later;
                changes.extend(more);
            }
            other => {
                *next = Some(other);
                break;
            }
        }
    }
    // The first edit waits the longest: its wait is the burst's.
    Op::Change {
        uri,
        version,
        changes,
        received,
    }
}

impl Op {
    fn name(&self) -> &'static str {
        match self {
            Op::Init { .. } => "initialize",
            Op::Open { .. } => "textDocument/didOpen",
            Op::Change { .. } => "textDocument/didChange",
            Op::Close { .. } => "textDocument/didClose",
            Op::Configure(_) => "workspace/didChangeConfiguration",
            Op::Roots { .. } => "workspace/didChangeWorkspaceFolders",
            Op::Index(_) => "indexing",
            Op::Watched(_) => "workspace/didChangeWatchedFiles",
            Op::Snapshot { .. } => "snapshot",
            Op::Status { .. } => "borrowlens/status",
        }
    }
}

impl State {
    fn new(publisher: Publisher) -> State {
        State {
            host: AnalysisHost::new(),
            encoding: Encoding::default(),
            settings: Settings::default(),
            roots: Vec::new(),
            docs: HashMap::new(),
            open_paths: HashMap::new(),
            disk: HashSet::new(),
            cargo: CargoEditions::default(),
            crate_roots: Vec::new(),
            crate_graph: Default::default(),
            said_missing: BTreeSet::new(),
            publisher,
            dirty: Vec::new(),
            unsettled: HashSet::new(),
            latencies: Latencies::default(),
        }
    }

    fn apply(&mut self, op: Op) {
        match op {
            Op::Init {
                encoding,
                settings,
                roots,
            } => {
                self.encoding = encoding;
                self.settings = settings;
                self.roots = roots;
                self.find_crates();
            }
            Op::Open { uri, text, version } => self.open(uri, text, version),
            Op::Change {
                uri,
                version,
                changes,
                received,
            } => self.change(&uri, version, &changes, received),
            Op::Close { uri } => self.close(uri),
            Op::Configure(settings) => self.configure(settings),
            Op::Roots { added, removed } => self.change_roots(added, removed),
            Op::Index(files) => {
                for file in files {
                    let path = file.path.display().to_string();
                    if !self.open_paths.contains_key(&path) && self.disk.insert(path.clone()) {
                        self.host.set_file_from_disk(&path, file.text, file.edition);
                    }
                }
                self.apply_crate_roots();
            }
            Op::Watched(changes) => {
                for (path, kind) in changes {
                    self.disk_changed(path, kind);
                }
            }
            Op::Snapshot { uri, reply } => {
                let doc = uri.and_then(|it| self.doc_snapshot(&it));
                let snapshot = Snapshot {
                    analysis: self.host.snapshot(),
                    doc,
                    settings: self.settings,
                    encoding: self.encoding,
                };
                // When the asker is gone, the snapshot comes back and is dropped here, at once.
                let _ = reply.send(snapshot);
            }
            Op::Status { reply } => {
                let files: BTreeSet<String> = self
                    .disk
                    .iter()
                    .chain(self.open_paths.keys())
                    .cloned()
                    .collect();
                let mut open: Vec<String> =
                    self.docs.keys().map(|it| it.as_str().to_string()).collect();
                open.sort();
                let roots = self
                    .roots
                    .iter()
                    .map(|it| it.path.display().to_string())
                    .collect();
                let _ = reply.send(ext::Status {
                    files: files.into_iter().collect(),
                    open,
                    roots,
                    keystroke_micros: self.latencies.micros(),
                });
            }
        }
    }

    fn open(&mut self, uri: Uri, text: String, version: i32) {
        let path = from_lsp::path(&uri);
        if let Some(old) = self.open_paths.get(&path).filter(|it| **it != uri).cloned() {
            // The same file under another spelling of its URI: the newer one is the document.
            self.docs.remove(&old);
            self.dirty.retain(|it| *it != old);
            self.publisher.closed(old);
        }
        let cargo_edition = from_lsp::file_path(&uri).and_then(|it| self.cargo.for_file(&it));
        let edition = edition::from_directive(&text)
            .or(cargo_edition)
            .unwrap_or(edition::DEFAULT);
        let doc_text = Text::new(&text, self.encoding);
        let file = self.host.set_file(&path, text, edition);
        self.apply_crate_roots();
        self.open_paths.insert(path.clone(), uri.clone());
        self.docs.insert(
            uri.clone(),
            Doc {
                text: doc_text,
                version,
                file,
                path,
                cargo_edition,
                waiting_since: None,
            },
        );
        self.dirty(uri);
    }

    fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        received: Option<Instant>,
    ) {
        let Some(doc) = self.docs.get_mut(uri) else {
            tracing::warn!(
                "didChange for a document that is not open: {}",
                uri.as_str()
            );
            return;
        };
        for change in changes {
            doc.text.apply(change);
        }
        doc.version = version;
        doc.waiting_since = doc.waiting_since.or(received);
        let text = String::from(&doc.text.rope);
        let edition = edition::from_directive(&text)
            .or(doc.cargo_edition)
            .unwrap_or(edition::DEFAULT);
        self.host.set_file(&doc.path, text, edition);
        self.unsettled.insert(uri.clone());
        self.dirty(uri.clone());
        // A fact of this file may change what the other files of its crate report: they are
        // checked again after it (memoized, and interruptible by the next keystroke).
        self.dirty_all();
    }

    /// Every open document is to be published again (a published list that did not change is
    /// not sent again).
    fn dirty_all(&mut self) {
        let uris: Vec<Uri> = self.docs.keys().cloned().collect();
        for uri in uris {
            self.dirty(uri);
        }
    }

    /// Parses afresh the edited documents whose incremental parse may differ from a fresh one.
    /// A message that arrives meanwhile interrupts the parse (it is kept in `next`, applied
    /// first), and the documents not settled yet wait for the next pause.
    fn settle(&mut self, rx: &mpsc::Receiver<Op>, next: &mut Option<Op>) {
        let mut pending: Vec<Uri> = std::mem::take(&mut self.unsettled).into_iter().collect();
        while let Some(uri) = pending.pop() {
            let Some(doc) = self.docs.get(&uri) else {
                continue;
            };
            let mut interrupted = || message_arrived(rx, next);
            match self.host.settle_until(doc.file, &mut interrupted) {
                Some(true) => {
                    tracing::debug!("settled {}", uri.as_str());
                    self.dirty(uri);
                }
                Some(false) => {}
                None => {
                    self.unsettled.insert(uri);
                    self.unsettled.extend(pending);
                    return;
                }
            }
        }
    }

    /// The document is gone from the editor: its file goes back to what is on disk when the
    /// workspace has it, else out of the analysis.
    fn close(&mut self, uri: Uri) {
        let Some(doc) = self.docs.remove(&uri) else {
            return;
        };
        self.open_paths.remove(&doc.path);
        let path = PathBuf::from(&doc.path);
        let on_disk = self
            .in_workspace(&path)
            .then(|| workspace::read(&path, &mut self.cargo))
            .flatten();
        match on_disk {
            Some(file) => {
                self.disk.insert(doc.path.clone());
                self.host
                    .set_file_from_disk(&doc.path, file.text, file.edition);
            }
            None => {
                self.disk.remove(&doc.path);
                self.host.remove_file(&doc.path);
            }
        }
        self.dirty.retain(|it| *it != uri);
        self.publisher.closed(uri);
    }

    fn configure(&mut self, settings: Settings) {
        let before = std::mem::replace(&mut self.settings, settings);
        if before.diagnostics && !settings.diagnostics {
            self.dirty.clear();
            self.publisher.clear_all();
        } else if !before.diagnostics && settings.diagnostics {
            let uris: Vec<Uri> = self.docs.keys().cloned().collect();
            for uri in uris {
                self.dirty(uri);
            }
        }
    }

    fn change_roots(&mut self, added: Vec<Root>, removed: Vec<PathBuf>) {
        self.roots.retain(|it| !removed.contains(&it.path));
        self.roots.extend(added);
        self.find_crates();
        let gone: Vec<String> = self
            .disk
            .iter()
            .filter(|it| {
                !self.open_paths.contains_key(*it) && !self.in_workspace(&PathBuf::from(it))
            })
            .cloned()
            .collect();
        for path in gone {
            self.disk.remove(&path);
            self.host.remove_file(&path);
        }
    }

    /// Reads the workspace folders' manifests and lock files: which files are crate roots, and
    /// what their crates depend on. The dependencies' files are read here (they change only
    /// with the lock file); what is not on disk is said once, in a log message.
    fn find_crates(&mut self) {
        let mut packages = Vec::new();
        for root in &self.roots {
            let (found, errors) = crate::project::packages_under(&root.path);
            for e in errors {
                tracing::warn!("{e}; the files of its package are analysed one by one");
            }
            packages.extend(found);
        }
        let home = crate::deps::cargo_home();
        let with_deps: Vec<_> =
            packages
                .into_iter()
                .map(|p| {
                    // Without the dev-dependencies: memory grows with what the library and binaries
                    // use; tests and examples see those (and lose the facts of their own).
                    let deps = crate::deps::resolve(&p, home.as_deref()).without_dev();
                    for problem in &deps.problems {
                        tracing::warn!("{problem}");
                    }
                    let new: Vec<&String> = deps
                        .missing
                        .iter()
                        .filter(|m| !self.said_missing.contains(*m))
                        .collect();
                    if !new.is_empty() {
                        let message =
                            format!(
                        "borrowlens: {}'s dependencies not on disk: {}. `cargo fetch` would \
                         bring them; until then what they define is unknown.",
                        p.name,
                        new.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")
                    );
                        tracing::warn!("{message}");
                        self.publisher.show_warning(message);
                        self.said_missing.extend(deps.missing.iter().cloned());
                    }
                    (p, deps)
                })
                .collect();
        for (_, deps) in &with_deps {
            for path in crate::check::dependency_paths(deps) {
                let key = path.display().to_string();
                if self.disk.contains(&key) || self.open_paths.contains_key(&key) {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let edition = deps
                    .crates
                    .iter()
                    .find(|c| c.root.parent().is_some_and(|d| path.starts_with(d)))
                    .map_or(Edition::E2021, |c| c.edition);
                self.host.set_dependency_file(&key, text, edition);
            }
        }
        let (graph, roots) = crate::check::workspace_graph(&with_deps);
        self.crate_roots = roots;
        self.crate_graph = graph;
        self.apply_crate_roots();
    }

    /// Hands the host the crate roots it has files for (a root's file may arrive later), with the
    /// crate graph; when they change, every open document is checked again.
    fn apply_crate_roots(&mut self) {
        let roots: Vec<&str> = self.crate_roots.iter().map(|r| r.as_str()).collect();
        if self.host.set_crate_graph(self.crate_graph.clone(), &roots) {
            self.dirty_all();
        }
    }

    fn disk_changed(&mut self, path: PathBuf, kind: FileChangeType) {
        if path
            .file_name()
            .is_some_and(|n| n == "Cargo.toml" || n == "Cargo.lock")
        {
            self.find_crates();
            return;
        }
        let key = path.display().to_string();
        if self.open_paths.contains_key(&key) || !self.in_workspace(&path) {
            // An open document's text wins over the disk; it is read again when closed.
            return;
        }
        let file = (kind != FileChangeType::DELETED)
            .then(|| workspace::read(&path, &mut self.cargo))
            .flatten();
        match file {
            Some(file) => {
                self.disk.insert(key.clone());
                self.host.set_file_from_disk(&key, file.text, file.edition);
                self.apply_crate_roots();
                self.dirty_all();
            }
            None => {
                if self.disk.remove(&key) {
                    self.host.remove_file(&key);
                }
            }
        }
    }

    fn in_workspace(&self, path: &std::path::Path) -> bool {
        self.roots.iter().any(|it| it.includes(path))
    }

    fn doc_snapshot(&self, uri: &Uri) -> Option<DocSnapshot> {
        if let Some(doc) = self.docs.get(uri) {
            return Some(DocSnapshot {
                file: doc.file,
                version: Some(doc.version),
                text: Some(doc.text.clone()),
            });
        }
        let path = from_lsp::path(uri);
        let file = self
            .disk
            .contains(&path)
            .then(|| self.host.file_id(&path))
            .flatten()?;
        Some(DocSnapshot {
            file,
            version: None,
            text: None,
        })
    }

    fn dirty(&mut self, uri: Uri) {
        if self.settings.diagnostics && !self.dirty.contains(&uri) {
            self.dirty.push(uri);
        }
    }

    /// Computes and publishes the dirty documents' diagnostics, in the order they became
    /// dirty. A message that arrives meanwhile stops the computation between two functions: it
    /// is kept in `next` to be applied first, and the documents not published stay dirty (the
    /// functions already computed are memoized, so the next computation goes on from there).
    fn publish_dirty(&mut self, rx: &mpsc::Receiver<Op>, next: &mut Option<Op>) {
        while next.is_none() && !self.dirty.is_empty() {
            let uri = self.dirty.remove(0);
            let Some(doc) = self.docs.get(&uri).filter(|_| self.settings.diagnostics) else {
                continue;
            };
            let mut interrupted = || message_arrived(rx, next);
            let start = std::time::Instant::now();
            let host = &self.host;
            let computed = job::catch("textDocument/publishDiagnostics", || {
                Ok(host
                    .diagnostics_until(doc.file, &mut interrupted)
                    .map(|diags| {
                        diags
                            .iter()
                            .map(|it| to_lsp::diagnostic(&doc.text, &uri, it))
                            .collect::<Vec<_>>()
                    }))
            });
            match computed {
                Ok(Some(diags)) => {
                    tracing::debug!("diagnostics of {} in {:?}", uri.as_str(), start.elapsed());
                    let version = doc.version;
                    let sent = self.publisher.publish(uri.clone(), version, diags);
                    let waited = self
                        .docs
                        .get_mut(&uri)
                        .and_then(|doc| doc.waiting_since.take());
                    if let (Some(sent), Some(since)) = (sent, waited) {
                        self.latencies.push(sent.saturating_duration_since(since));
                    }
                }
                // Interrupted: computed again once the message is applied.
                Ok(None) => {
                    self.dirty.insert(0, uri);
                    return;
                }
                // Logged by the job boundary; computed again after the next edit.
                Err(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn change(uri: &str, version: i32, text: &str) -> Op {
        let changes = vec![TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: text.to_string(),
        }];
        Op::Change {
            uri: Uri::from_str(uri).unwrap(),
            version,
            changes,
            received: None,
        }
    }

    fn texts(op: &Op) -> (i32, Vec<&str>) {
        let Op::Change {
            version, changes, ..
        } = op
        else {
            panic!("not a change")
        };
        (
            *version,
            changes.iter().map(|it| it.text.as_str()).collect(),
        )
    }

    #[test]
    fn a_burst_of_edits_to_one_document_becomes_one_in_order() {
        let (tx, rx) = mpsc::channel();
        for op in [
            change("untitled:a", 3, "b"),
            change("untitled:a", 4, "c"),
            change("untitled:b", 9, "x"),
            change("untitled:a", 5, "d"),
        ] {
            tx.send(op).unwrap();
        }
        let mut next = None;
        let first = coalesce(change("untitled:a", 2, "a"), &rx, &mut next);
        assert_eq!(texts(&first), (4, vec!["a", "b", "c"]));
        let other = next.take().expect("the first other message is kept");
        assert_eq!(texts(&other), (9, vec!["x"]));
        let last = coalesce(rx.recv().unwrap(), &rx, &mut next);
        assert_eq!(texts(&last), (5, vec!["d"]));
        assert!(next.is_none());
    }
}

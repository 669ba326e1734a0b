//! The server's state and its routing table: which handler answers which method.
//!
//! Each handler lives in `handlers/`, one file per method. Notifications that change what the
//! analysis sees only queue a message for the writer (see `writer.rs`); requests take a snapshot
//! through the same queue and run their query inside the job boundary (see `job.rs`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use borrowlens_analysis::{Analysis, Cancellable, FileId};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService};

use crate::lsp::handlers;
use crate::lsp::settings::Settings;
use crate::lsp::text::Text;
use crate::lsp::timing::Arrivals;
use crate::lsp::workspace::Root;
use crate::lsp::writer::Writer;
use crate::lsp::{diagnostics, ext, job};

pub struct Server {
    pub client: Client,
    pub writer: Writer,
    /// What `initialize` learnt, for the handlers that come after it.
    pub session: OnceLock<Session>,
    /// `shutdown` was asked for; `exit` then ends the process with status 0 instead of 1.
    pub shutdown: Arc<AtomicBool>,
    /// When each `didChange` was read from stdin.
    pub arrivals: Arc<Arrivals>,
}

pub struct Session {
    pub capabilities: ClientCapabilities,
    pub roots: Vec<Root>,
}

/// The service with every method routed, ready to serve.
pub fn service(
    shutdown: Arc<AtomicBool>,
    arrivals: Arc<Arrivals>,
) -> (LspService<Server>, tower_lsp_server::ClientSocket) {
    LspService::build(|client| Server::new(client, shutdown, arrivals))
        .custom_method(ext::REGIONS, Server::regions)
        .custom_method(ext::STATUS, Server::status)
        .finish()
}

/// The routing table. Every method is one line: the handler of the same name.
impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        handlers::initialize::handle(self, params).await
    }
    async fn initialized(&self, params: InitializedParams) {
        handlers::initialized::handle(self, params)
    }
    async fn shutdown(&self) -> Result<()> {
        handlers::shutdown::handle(self)
    }
    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        handlers::did_open::handle(self, params)
    }
    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        handlers::did_change::handle(self, params)
    }
    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        handlers::did_close::handle(self, params)
    }
    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        handlers::did_change_configuration::handle(self, params)
    }
    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        handlers::did_change_watched_files::handle(self, params)
    }
    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        handlers::did_change_workspace_folders::handle(self, params)
    }
    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        handlers::hover::handle(self, params).await
    }
    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        handlers::inlay_hint::handle(self, params).await
    }
    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        handlers::code_action::handle(self, params).await
    }
}

/// borrowlens's own methods (`ext.rs`), routed in `service`.
impl Server {
    async fn regions(&self, params: ext::RegionsParams) -> Result<Vec<ext::Region>> {
        handlers::regions::handle(self, params).await
    }
    async fn status(&self) -> Result<ext::Status> {
        handlers::status::handle(self).await
    }
}

/// What a query runs with: a snapshot of the analysis, the document's file and text (of the very
/// version the snapshot holds), and the settings as of the request.
pub struct Query {
    pub analysis: Analysis,
    pub file: FileId,
    pub text: Text,
    pub settings: Settings,
}

impl Server {
    fn new(client: Client, shutdown: Arc<AtomicBool>, arrivals: Arc<Arrivals>) -> Server {
        let writer = Writer::spawn(diagnostics::Publisher::default());
        Server {
            client,
            writer,
            session: OnceLock::new(),
            shutdown,
            arrivals,
        }
    }

    /// Runs `f` on a snapshot holding every edit received before this request, inside the job
    /// boundary; `None` when the server does not know the document (neither open nor indexed).
    ///
    /// The snapshot is asked for in this future's first poll, which is the handler's first poll
    /// when the handler awaits nothing before it: that is what keeps requests in message order.
    pub async fn query<T: Send + 'static>(
        &self,
        method: &'static str,
        uri: &Uri,
        f: impl FnOnce(Query) -> Cancellable<T> + Send + 'static,
    ) -> Result<Option<T>> {
        let snapshot = self.writer.snapshot(Some(uri.clone()));
        let Some(snapshot) = snapshot.await else {
            return Err(tower_lsp_server::jsonrpc::Error::internal_error());
        };
        let Some(doc) = snapshot.doc else {
            return Ok(None);
        };
        let (analysis, settings, encoding) =
            (snapshot.analysis, snapshot.settings, snapshot.encoding);
        job::spawn(method, move || {
            let text = match doc.text {
                Some(text) => text,
                None => Text::new(&analysis.file_text(doc.file)?.unwrap_or_default(), encoding),
            };
            f(Query {
                analysis,
                file: doc.file,
                text,
                settings,
            })
            .map(Some)
        })
        .await
    }

    pub fn capabilities(&self) -> Option<&ClientCapabilities> {
        self.session.get().map(|it| &it.capabilities)
    }

    pub fn set_shutdown(&self) {
        self.shutdown.store(true, Ordering::SeqCst);
    }
}

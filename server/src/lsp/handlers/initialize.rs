//! `initialize`: negotiate the position encoding, read the settings and workspace folders, and
//! say what the server can do.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::cli::VERSION;
use crate::lsp::from_lsp;
use crate::lsp::server::{Server, Session};
use crate::lsp::settings::Settings;
use crate::lsp::text::Encoding;
use crate::lsp::workspace::Root;
use crate::lsp::writer::Op;

pub async fn handle(server: &Server, params: InitializeParams) -> Result<InitializeResult> {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|it| it.position_encodings.as_deref());
    let encoding = Encoding::negotiate(offered);
    let settings = params
        .initialization_options
        .as_ref()
        .and_then(Settings::from_json)
        .unwrap_or_default();
    let roots: Vec<Root> = workspace_folders(&params)
        .into_iter()
        .map(Root::new)
        .collect();
    server.writer.send(Op::Init {
        encoding,
        settings,
        roots: roots.clone(),
    });
    let _ = server.session.set(Session {
        capabilities: params.capabilities,
        roots,
    });
    Ok(InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(ServerInfo {
            name: "borrowlens".to_string(),
            version: Some(VERSION.to_string()),
        }),
        offset_encoding: None,
    })
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

/// The workspace folders' paths: `workspaceFolders`, else the older `rootUri` and `rootPath`.
#[allow(deprecated)]
fn workspace_folders(params: &InitializeParams) -> Vec<std::path::PathBuf> {
    if let Some(folders) = &params.workspace_folders {
        return folders
            .iter()
            .filter_map(|it| from_lsp::file_path(&it.uri))
            .collect();
    }
    let root = params.root_uri.as_ref().and_then(from_lsp::file_path);
    root.or_else(|| params.root_path.as_ref().map(std::path::PathBuf::from))
        .into_iter()
        .collect()
}

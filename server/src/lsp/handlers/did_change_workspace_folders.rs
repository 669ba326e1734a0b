//! `workspace/didChangeWorkspaceFolders`: forget the removed folders' files, index the added ones.

use std::path::PathBuf;

use tower_lsp_server::ls_types::{DidChangeWorkspaceFoldersParams, WorkspaceFolder};

use crate::lsp::from_lsp;
use crate::lsp::server::Server;
use crate::lsp::workspace::{self, Root};
use crate::lsp::writer::Op;

pub fn handle(server: &Server, params: DidChangeWorkspaceFoldersParams) {
    let added: Vec<Root> = paths(&params.event.added)
        .into_iter()
        .map(Root::new)
        .collect();
    let removed = paths(&params.event.removed);
    server.writer.send(Op::Roots {
        added: added.clone(),
        removed,
    });
    if !added.is_empty() {
        let progress = server
            .capabilities()
            .and_then(|it| it.window.as_ref()?.work_done_progress);
        let (client, writer) = (server.client.clone(), server.writer.clone());
        tokio::spawn(workspace::index(
            client,
            writer,
            added,
            progress.unwrap_or(false),
        ));
    }
}

fn paths(folders: &[WorkspaceFolder]) -> Vec<PathBuf> {
    folders
        .iter()
        .filter_map(|it| from_lsp::file_path(&it.uri))
        .collect()
}

//! `workspace/didChangeWatchedFiles`: the writer reads the files again (or forgets them), except
//! open documents, whose text in the editor wins.

use tower_lsp_server::ls_types::DidChangeWatchedFilesParams;

use crate::lsp::from_lsp;
use crate::lsp::server::Server;
use crate::lsp::writer::Op;

pub fn handle(server: &Server, params: DidChangeWatchedFilesParams) {
    let changes = params
        .changes
        .into_iter()
        .filter_map(|it| Some((from_lsp::file_path(&it.uri)?, it.typ)));
    server.writer.send(Op::Watched(changes.collect()));
}

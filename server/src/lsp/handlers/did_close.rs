//! `textDocument/didClose`: the file goes back to its text on disk, and its diagnostics are
//! cleared.

use tower_lsp_server::ls_types::DidCloseTextDocumentParams;

use crate::lsp::server::Server;
use crate::lsp::writer::Op;

pub fn handle(server: &Server, params: DidCloseTextDocumentParams) {
    server.writer.send(Op::Close {
        uri: params.text_document.uri,
    });
}

//! `textDocument/didOpen`: the document's text goes to the writer.

use tower_lsp_server::ls_types::DidOpenTextDocumentParams;

use crate::lsp::server::Server;
use crate::lsp::writer::Op;

pub fn handle(server: &Server, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    server.writer.send(Op::Open {
        uri: doc.uri,
        text: doc.text,
        version: doc.version,
    });
}

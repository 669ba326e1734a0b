//! `textDocument/didChange`: the changes go to the writer, which applies them in order to the
//! document's rope. Sent before any `.await`, so edits stay in the order they arrived.

use tower_lsp_server::ls_types::DidChangeTextDocumentParams;

use crate::lsp::server::Server;
use crate::lsp::writer::Op;

pub fn handle(server: &Server, params: DidChangeTextDocumentParams) {
    let doc = params.text_document;
    let received = server.arrivals.take(doc.uri.as_str(), doc.version);
    server.writer.send(Op::Change {
        uri: doc.uri,
        version: doc.version,
        changes: params.content_changes,
        received,
    });
}

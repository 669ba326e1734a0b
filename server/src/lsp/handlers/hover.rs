//! `textDocument/hover`: the analysis's hover text at the position, as markdown.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Hover, HoverParams};

use crate::lsp::server::Server;
use crate::lsp::{from_lsp, to_lsp};

pub async fn handle(server: &Server, params: HoverParams) -> Result<Option<Hover>> {
    let at = params.text_document_position_params;
    let hover = server.query("textDocument/hover", &at.text_document.uri, move |it| {
        if !it.settings.hover {
            return Ok(None);
        }
        let offset = from_lsp::offset(&it.text, at.position) as u32;
        Ok(it
            .analysis
            .hover(it.file, offset)?
            .map(|hover| to_lsp::hover(&it.text, &hover)))
    });
    Ok(hover.await?.flatten())
}

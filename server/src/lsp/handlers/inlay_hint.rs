//! `textDocument/inlayHint`: where each borrow's region ends and what it borrows, in the range.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{InlayHint, InlayHintParams};

use crate::lsp::server::Server;
use crate::lsp::{from_lsp, to_lsp};

pub async fn handle(server: &Server, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
    let (uri, range) = (params.text_document.uri, params.range);
    let hints = server.query("textDocument/inlayHint", &uri, move |it| {
        let Some(config) = it.settings.inlay_config() else {
            return Ok(Vec::new());
        };
        let range = from_lsp::range(&it.text, range);
        let hints = it.analysis.inlay_hints(it.file, range, config)?;
        Ok(hints
            .iter()
            .map(|hint| to_lsp::inlay_hint(&it.text, hint))
            .collect())
    });
    Ok(Some(hints.await?.unwrap_or_default()))
}

//! `textDocument/inlayHint`: where each borrow's region ends and what it borrows, in the range.

use borrowlens_analysis::ide::InlayConfig;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{InlayHint, InlayHintParams};

use crate::lsp::server::Server;
use crate::lsp::settings::InlayHintsMode;
use crate::lsp::{from_lsp, to_lsp};

pub async fn handle(server: &Server, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
    let range = params.range;
    let hints = server.query(
        "textDocument/inlayHint",
        &params.text_document.uri,
        move |it| {
            if !it.settings.inlay_hints {
                return Ok(Vec::new());
            }
            let config = InlayConfig {
                only_conflicting: it.settings.inlay_hints_mode == InlayHintsMode::Conflicting,
            };
            let hints =
                it.analysis
                    .inlay_hints(it.file, from_lsp::range(&it.text, range), config)?;
            Ok(hints
                .iter()
                .map(|hint| to_lsp::inlay_hint(&it.text, hint))
                .collect())
        },
    );
    Ok(Some(hints.await?.unwrap_or_default()))
}

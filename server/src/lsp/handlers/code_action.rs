//! `textDocument/codeAction`: the quick fixes of the diagnostics at the range, best first, each
//! linked to its diagnostic; the first fix of each diagnostic is the preferred one.

use std::collections::HashMap;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    TextEdit, WorkspaceEdit,
};

use crate::lsp::server::Server;
use crate::lsp::{from_lsp, to_lsp};

pub async fn handle(
    server: &Server,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    // A client that asks only for other kinds (`source.organizeImports`) gets nothing.
    if let Some(only) = &params.context.only {
        if !only
            .iter()
            .any(|k| CodeActionKind::QUICKFIX.as_str().starts_with(k.as_str()))
        {
            return Ok(None);
        }
    }
    let uri = params.text_document.uri;
    let doc = uri.clone();
    let at = params.range;
    let actions = server.query("textDocument/codeAction", &doc, move |it| {
        if !it.settings.diagnostics {
            return Ok(Vec::new());
        }
        let range = from_lsp::range(&it.text, at);
        let diags = it.analysis.diagnostics(it.file)?;
        let mut actions = Vec::new();
        // Diagnostics touching the range (an empty range is the cursor).
        for diag in diags
            .iter()
            .filter(|d| d.range.start <= range.end && range.start <= d.range.end)
        {
            let linked = to_lsp::diagnostic(&it.text, &uri, diag);
            for (i, fix) in diag.fixes.iter().enumerate() {
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| TextEdit::new(to_lsp::range(&it.text, e.range), e.new_text.clone()))
                    .collect();
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![linked.clone()]),
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(uri.clone(), edits)])),
                        ..WorkspaceEdit::default()
                    }),
                    is_preferred: Some(i == 0),
                    ..CodeAction::default()
                }));
            }
        }
        Ok(actions)
    });
    Ok(actions.await?.filter(|it| !it.is_empty()))
}

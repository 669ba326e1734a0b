//! `workspace/didChangeConfiguration`: new settings. A client that sends none (`null`) is asked
//! for the `borrowlens` section with `workspace/configuration`, when it supports that.

use tower_lsp_server::ls_types::{ConfigurationItem, DidChangeConfigurationParams};

use crate::lsp::server::Server;
use crate::lsp::settings::Settings;
use crate::lsp::writer::Op;

pub fn handle(server: &Server, params: DidChangeConfigurationParams) {
    if let Some(settings) = Settings::from_json(&params.settings) {
        return apply(server, settings);
    }
    let caps = server.capabilities();
    let can_pull = caps
        .and_then(|it| it.workspace.as_ref()?.configuration)
        .unwrap_or(false);
    if !can_pull {
        return;
    }
    let (client, writer) = (server.client.clone(), server.writer.clone());
    let refresh = refresh_hints(server);
    tokio::spawn(async move {
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some("borrowlens".to_string()),
        };
        let Ok(values) = client.configuration(vec![item]).await else {
            return;
        };
        if let Some(settings) = values.first().and_then(Settings::from_json) {
            writer.send(Op::Configure(settings));
            if refresh {
                let _ = client.inlay_hint_refresh().await;
            }
        }
    });
}

fn apply(server: &Server, settings: Settings) {
    server.writer.send(Op::Configure(settings));
    if refresh_hints(server) {
        // The hints shown may be for the old settings: ask the client to ask again, in a task
        // of its own, since the answer is awaited.
        let client = server.client.clone();
        tokio::spawn(async move {
            let _ = client.inlay_hint_refresh().await;
        });
    }
}

fn refresh_hints(server: &Server) -> bool {
    let caps = server.capabilities();
    caps.and_then(|it| it.workspace.as_ref()?.inlay_hint.as_ref()?.refresh_support)
        .unwrap_or(false)
}

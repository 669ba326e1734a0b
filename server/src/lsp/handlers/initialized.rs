//! `initialized`: watch the workspace's Rust files and index them in the background.
//!
//! Both ask the client something and wait for its answer, so they run in tasks of their own: a
//! handler that waited would hold one of the server's four handler slots.

use tower_lsp_server::ls_types::*;

use crate::lsp::server::Server;
use crate::lsp::workspace;

pub fn handle(server: &Server, _: InitializedParams) {
    let Some(session) = server.session.get() else {
        return;
    };
    let capabilities = &session.capabilities;
    let workspace_caps = capabilities.workspace.as_ref();
    let watch = workspace_caps
        .and_then(|it| it.did_change_watched_files.as_ref())
        .and_then(|it| it.dynamic_registration)
        .unwrap_or(false);
    if watch {
        let client = server.client.clone();
        tokio::spawn(async move {
            if let Err(err) = client.register_capability(vec![watcher()]).await {
                tracing::warn!("the client refused to watch files: {err}");
            }
        });
    }
    if !session.roots.is_empty() {
        let progress = capabilities
            .window
            .as_ref()
            .and_then(|it| it.work_done_progress)
            .unwrap_or(false);
        let roots = session.roots.clone();
        tokio::spawn(workspace::index(
            server.client.clone(),
            server.writer.clone(),
            roots,
            progress,
        ));
    }
}

fn watcher() -> Registration {
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: vec![
            FileSystemWatcher {
                glob_pattern: GlobPattern::String("**/*.rs".to_string()),
                kind: None,
            },
            // A manifest changes which files are crate roots, a lock file what they depend on.
            FileSystemWatcher {
                glob_pattern: GlobPattern::String("**/Cargo.toml".to_string()),
                kind: None,
            },
            FileSystemWatcher {
                glob_pattern: GlobPattern::String("**/Cargo.lock".to_string()),
                kind: None,
            },
        ],
    };
    Registration {
        id: "borrowlens/watch".to_string(),
        method: "workspace/didChangeWatchedFiles".to_string(),
        register_options: serde_json::to_value(options).ok(),
    }
}

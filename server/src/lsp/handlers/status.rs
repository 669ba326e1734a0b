//! `borrowlens/status`: the files the server knows, the open documents and the workspace folders.

use tower_lsp_server::jsonrpc::{Error, Result};

use crate::lsp::ext::Status;
use crate::lsp::server::Server;

pub async fn handle(server: &Server) -> Result<Status> {
    server
        .writer
        .status()
        .await
        .ok_or_else(Error::internal_error)
}

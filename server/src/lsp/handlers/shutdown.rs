//! `shutdown`: nothing to save; remember it, so that `exit` ends the process with status 0.

use tower_lsp_server::jsonrpc::Result;

use crate::lsp::server::Server;

pub fn handle(server: &Server) -> Result<()> {
    server.set_shutdown();
    Ok(())
}

//! The language server on stdio (`borrowlens`, `borrowlens lsp`).
//!
//! Code map:
//! - `server.rs`: the state shared by handlers and the routing table (method -> handler);
//! - `handlers/`: one file per method;
//! - `writer.rs`: the single writer thread that owns the analysis and the documents, and the
//!   queue that keeps edits and requests in arrival order;
//! - `diagnostics.rs`: publishing the diagnostics the writer computes;
//! - `job.rs`: the panic and cancellation boundary around every query;
//! - `framing.rs`: the gate that passes only well-formed messages from stdin to the protocol
//!   library, which would stop reading at a malformed one;
//! - `workspace.rs`: workspace folders, `.gitignore`, background indexing;
//! - `from_lsp.rs`, `to_lsp.rs`, `text.rs`: positions, encodings and the protocol's types;
//! - `settings.rs`, `ext.rs`: the user's settings and borrowlens's own requests;
//! - `timing.rs`: how long each edit waits for its diagnostics, measured by the server.

pub mod diagnostics;
pub mod ext;
pub mod framing;
pub mod from_lsp;
pub mod handlers;
pub mod job;
pub mod server;
pub mod settings;
pub mod text;
pub mod timing;
pub mod to_lsp;
pub mod workspace;
pub mod writer;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::output;

/// Serves the protocol on stdin and stdout until `exit` (or until stdin closes). The exit status
/// is 0 when `shutdown` came before, 1 otherwise, as the protocol asks.
pub fn run() -> ExitCode {
    output::init_logging();
    job::install_panic_hook();
    // Queries run on the blocking pool, whose threads take this stack size too: the analysis
    // recurses as deep as the code nests.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(borrowlens_analysis::ANALYSIS_STACK_SIZE)
        .thread_name("borrowlens-async")
        .enable_time()
        .build();
    let runtime = match runtime {
        Ok(it) => it,
        Err(err) => {
            output::error(&format!("cannot start the async runtime: {err}"));
            return ExitCode::FAILURE;
        }
    };
    let shutdown = Arc::new(AtomicBool::new(false));
    let arrivals = Arc::new(timing::Arrivals::default());
    let (service, socket) = {
        let _guard = runtime.enter();
        server::service(shutdown.clone(), arrivals.clone())
    };
    runtime.block_on(async move {
        let input = framing::gate(tokio::io::stdin(), arrivals);
        tower_lsp_server::Server::new(input, output::protocol(), socket)
            .serve(service)
            .await;
    });
    // After `exit` the client may keep stdin open, so the thread reading it may never return:
    // do not wait for it (nor for queries still running; their answers have nowhere to go).
    runtime.shutdown_background();
    tracing::info!("exit");
    if shutdown.load(Ordering::SeqCst) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

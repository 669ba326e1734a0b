//! One file per LSP method, each a few lines: convert the request, call the analysis once (or
//! queue a message for the writer), convert the answer.

pub mod code_action;
pub mod did_change;
pub mod did_change_configuration;
pub mod did_change_watched_files;
pub mod did_change_workspace_folders;
pub mod did_close;
pub mod did_open;
pub mod hover;
pub mod initialize;
pub mod initialized;
pub mod inlay_hint;
pub mod regions;
pub mod shutdown;
pub mod status;

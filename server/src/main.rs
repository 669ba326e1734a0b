//! The `borrowlens` binary: everything happens in `borrowlens::cli`.

/// mimalloc: a keystroke makes and drops thousands of small values (syntax, types, bit sets),
/// and the system allocator's bookkeeping was a fifth of its instructions. With mimalloc the
/// least of 600 keystrokes in `dense.rs` (crate indexed) takes 1.67 ms instead of 1.96. Built
/// without transparent huge pages (`no_thp`): with them the server held 303 MB after indexing
/// the bench's workspace, against 236 MB with the system allocator; without, 238 MB.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    borrowlens::cli::main(std::env::args_os().skip(1))
}

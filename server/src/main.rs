//! The `borrowlens` binary: everything happens in `borrowlens::cli`.

fn main() -> std::process::ExitCode {
    borrowlens::cli::main(std::env::args_os().skip(1))
}

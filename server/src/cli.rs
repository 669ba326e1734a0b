//! The command line: parse the arguments, run the command, choose the exit status.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use borrowlens_analysis::Edition;

use crate::check::{self, Format, Options};
use crate::output::{self, When};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

const HELP: &str = "\
borrowlens: rustc's borrow-check errors, from Rust source text alone

Usage:
  borrowlens check [OPTIONS] [PATH...]
                                      Check files and directories, or the cargo package or
                                      workspace around the current directory
                                      (`borrowlens check --help`)
  borrowlens [lsp [--stdio]]          The language server on stdio

Options:
  -h, --help     Print this help
  -V, --version  Print the version
";

const CHECK_HELP: &str = "\
Report rustc's borrow-check errors for Rust files, from their source text alone.

Usage: borrowlens check [OPTIONS] [PATH...]

A PATH is a `.rs` file or a directory, searched for `*.rs` files in sorted order, skipping as
ripgrep does what `.gitignore` files (in a git repository), `.ignore` files and git's global
excludes ignore, hidden entries and directories named `target`. Without a PATH, what
`cargo check` would check: the package of the nearest `Cargo.toml` above the current
directory, or at a virtual workspace manifest its `default-members` (else `members`); every
target of each package is read (as with `--all-targets`).

Options:
      --format <FORMAT>    `human` (the default): like rustc, ending each file with
                           `error: aborting due to N previous errors`;
                           `json`: one object per diagnostic per line, with the keys
                           file, code, severity, line, col, end_line, end_col, message and
                           labels (line, col, end_line, end_col, message); lines and columns
                           are 1-based, columns count characters, ends are exclusive
      --message-format <FMT>
                           `json`: cargo's `compiler-message` lines, as
                           `cargo check --message-format json` prints them, each with
                           rustc's diagnostic JSON (spans with byte offsets, lines and
                           columns, labels, `rendered`), ending with cargo's
                           `build-finished` line; for tools that read cargo's output.
                           `human`: as `--format human`
      --color <WHEN>       `auto` (the default): colour on a terminal only, unless NO_COLOR
                           is set (no colour) or CLICOLOR_FORCE (colour);
                           `always`; `never`
      --manifest-path <PATH>
                           Without PATH: start from this `Cargo.toml` instead of the
                           current directory
  -p, --package <NAME>     Without PATH: check this package of the workspace
      --edition <EDITION>  2015, 2018, 2021 or 2024, for every file. Without it, a file's
                           edition is its `//@ edition:YYYY` line (in its first 30 lines),
                           else the `edition` of the nearest Cargo.toml with a [package],
                           else 2015, as rustc for a lone file
  -h, --help               Print this help

Exit status:
  0  no borrow-check error was reported (warnings alone give 0)
  1  at least one borrow-check error was reported
  2  bad usage: an unknown flag, a bad value, no PATH and no `Cargo.toml` above the current
     directory (or a `-p` that names no member)
A PATH that cannot be checked (missing, unreadable, not valid UTF-8, not a `.rs` file, or one
the analysis fails on with an internal error) is reported on stderr and skipped; the others are
still checked. It does not change the exit status by itself: the status says what the checked
files hold.
";

/// Runs the command line `args` (without the program name) and returns the exit status.
pub fn main(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let mut args = args.into_iter();
    let Some(command) = args.next() else {
        return crate::lsp::run();
    };
    match command.to_str() {
        Some("check") => match parse_check(args).and_then(|c| c.map(select).transpose()) {
            Ok(Some(options)) => ExitCode::from(u8::from(check::run(&options))),
            Ok(None) => {
                output::info(CHECK_HELP);
                ExitCode::SUCCESS
            }
            Err(message) => usage_error(
                &message,
                "borrowlens check [OPTIONS] [PATH...]",
                "borrowlens check --help",
            ),
        },
        // Clients that start servers "over stdio" often add `--stdio` (vscode-languageclient).
        Some("--stdio") => crate::lsp::run(),
        Some("lsp") => match args.next() {
            None => crate::lsp::run(),
            Some(arg) if arg == "--stdio" && args.next().is_none() => crate::lsp::run(),
            Some(arg) => usage_error(
                &format!("unexpected argument `{}`", arg.to_string_lossy()),
                "borrowlens [lsp [--stdio]]",
                "borrowlens --help",
            ),
        },
        Some("-h" | "--help" | "help") => {
            output::info(HELP);
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            output::info(&format!("borrowlens {VERSION}\n"));
            ExitCode::SUCCESS
        }
        _ => usage_error(
            &format!("unknown command `{}`", command.to_string_lossy()),
            "borrowlens check [OPTIONS] PATH...",
            "borrowlens --help",
        ),
    }
}

fn usage_error(message: &str, usage: &str, help: &str) -> ExitCode {
    output::error(&format!(
        "{message}\n\nUsage: {usage}\n\nFor more information, try `{help}`."
    ));
    ExitCode::from(2)
}

/// `check`'s command line: its options, and without PATH what chooses the packages.
#[derive(Debug)]
struct CheckArgs {
    options: Options,
    manifest_path: Option<PathBuf>,
    package: Option<String>,
}

/// The options, with the packages cargo would check as PATHs when none was given.
fn select(args: CheckArgs) -> Result<Options, String> {
    let CheckArgs {
        mut options,
        manifest_path,
        package,
    } = args;
    if !options.paths.is_empty() {
        if manifest_path.is_some() || package.is_some() {
            return Err(
                "`--manifest-path` and `--package` choose what to check: give no PATH with them"
                    .into(),
            );
        }
        return Ok(options);
    }
    let from = match manifest_path {
        Some(m) => m,
        None => std::env::current_dir().map_err(|e| format!("the current directory: {e}"))?,
    };
    options.paths = crate::project::cargo_selection(&from, package.as_deref())?;
    Ok(options)
}

/// The arguments of `check`, or `None` when help was asked for, or a usage error.
fn parse_check(args: impl Iterator<Item = OsString>) -> Result<Option<CheckArgs>, String> {
    let mut manifest_path = None;
    let mut package = None;
    let mut options = Options {
        format: Format::Human,
        color: When::Auto,
        edition: None,
        paths: Vec::new(),
    };
    let mut args = args.peekable();
    let mut only_paths = false;
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if only_paths || !text.starts_with('-') || text == "-" {
            options.paths.push(PathBuf::from(arg));
            continue;
        }
        let (flag, inline_value) = match text.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_string(), Some(value.to_string()))
            }
            _ => (text.to_string(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            if let Some(value) = inline_value.clone() {
                return Ok(value);
            }
            match args.next() {
                Some(value) => value
                    .into_string()
                    .map_err(|_| format!("the value of `{name}` is not valid UTF-8")),
                None => Err(format!("`{name}` needs a value")),
            }
        };
        match flag.as_str() {
            "--" => only_paths = true,
            "-h" | "--help" => return Ok(None),
            "--format" => {
                options.format = match value("--format")?.as_str() {
                    "human" => Format::Human,
                    "json" => Format::Json,
                    other => {
                        return Err(format!(
                            "unknown format `{other}` (expected `human` or `json`)"
                        ))
                    }
                }
            }
            "--message-format" => {
                options.format = match value("--message-format")?.as_str() {
                    "human" => Format::Human,
                    "json" => Format::CargoJson,
                    other => {
                        return Err(format!(
                            "unknown message format `{other}` (expected `human` or `json`)"
                        ))
                    }
                }
            }
            "--color" => {
                options.color = match value("--color")?.as_str() {
                    "auto" => When::Auto,
                    "always" => When::Always,
                    "never" => When::Never,
                    other => {
                        return Err(format!(
                            "unknown color choice `{other}` (expected `auto`, `always` or `never`)"
                        ))
                    }
                }
            }
            "--edition" => {
                let value = value("--edition")?;
                options.edition = Some(Edition::from_str(&value).ok_or_else(|| {
                    format!("unknown edition `{value}` (expected 2015, 2018, 2021 or 2024)")
                })?);
            }
            "--manifest-path" => manifest_path = Some(PathBuf::from(value("--manifest-path")?)),
            "-p" | "--package" => package = Some(value("--package")?),
            _ => return Err(format!("unknown flag `{text}`")),
        }
    }
    Ok(Some(CheckArgs {
        options,
        manifest_path,
        package,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Options>, String> {
        parse_check(args.iter().map(OsString::from)).map(|c| c.map(|c| c.options))
    }

    #[test]
    fn flags_and_paths() {
        let options = parse(&["--format", "json", "a.rs", "--edition=2018", "dir"])
            .unwrap()
            .unwrap();
        assert_eq!(options.format, Format::Json);
        assert_eq!(options.edition, Some(Edition::E2018));
        assert_eq!(options.paths, [PathBuf::from("a.rs"), PathBuf::from("dir")]);

        let options = parse(&["--format=human", "--", "--edition"])
            .unwrap()
            .unwrap();
        assert_eq!(options.format, Format::Human);
        assert_eq!(options.paths, [PathBuf::from("--edition")]);

        assert!(parse(&["x.rs", "--help"]).unwrap().is_none());
    }

    #[test]
    fn usage_errors() {
        let c = parse_check(
            ["-p", "app", "--manifest-path=w/Cargo.toml"]
                .map(OsString::from)
                .into_iter(),
        )
        .unwrap()
        .unwrap();
        assert!(c.options.paths.is_empty());
        assert_eq!(
            (c.package.as_deref(), c.manifest_path),
            (Some("app"), Some("w/Cargo.toml".into()))
        );
        assert!(select(
            parse_check(["-p", "app", "a.rs"].map(OsString::from).into_iter())
                .unwrap()
                .unwrap()
        )
        .unwrap_err()
        .contains("give no PATH"));
        assert_eq!(
            parse(&["--frmat", "json", "a.rs"]).unwrap_err(),
            "unknown flag `--frmat`"
        );
        assert_eq!(
            parse(&["a.rs", "--format"]).unwrap_err(),
            "`--format` needs a value"
        );
        assert!(parse(&["--format", "xml", "a.rs"])
            .unwrap_err()
            .starts_with("unknown format `xml`"));
        assert!(parse(&["--edition", "2020", "a.rs"])
            .unwrap_err()
            .starts_with("unknown edition `2020`"));
        assert!(parse(&["--edition=", "a.rs"])
            .unwrap_err()
            .starts_with("unknown edition ``"));
    }
}

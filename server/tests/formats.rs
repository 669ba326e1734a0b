//! What `borrowlens check` prints, through the real binary: colour only where asked for or on a
//! terminal (`--color`, `NO_COLOR`, `CLICOLOR_FORCE`).

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

/// One E0502 at 3:17-3:26 (`v.push(2)`), its borrow at 3:13 and its use at 4:10.
const CONFLICT: &str = "\
fn main() {
    let mut v = vec![1];
    let r = &v; v.push(2);
    drop(r);
}
";

/// A fresh directory with the conflict in `conflict.rs` and a clean `ok.rs`, removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let path =
            std::env::temp_dir().join(format!("borrowlens-formats-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        fs::write(path.join("conflict.rs"), CONFLICT).unwrap();
        fs::write(path.join("ok.rs"), "fn f() {}\n").unwrap();
        Dir(path)
    }

    fn file(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs borrowlens with `args` and only the colour variables of `env` set.
fn borrowlens(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_borrowlens"));
    command.args(args);
    for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied()).output().expect("run borrowlens")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn has_escapes(output: &Output) -> bool {
    let text = stdout(output);
    assert!(text.contains("error[E0502]"), "{text}");
    text.contains('\u{1b}')
}

#[test]
fn colour_only_on_a_terminal_or_when_asked_for() {
    let dir = Dir::new("colour");
    let file = dir.file("conflict.rs");
    let check = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        all.push(&file);
        has_escapes(&borrowlens(&all, env))
    };
    // Piped, as here: plain.
    assert!(!check(&[], &[]));
    assert!(!check(&["--color", "auto"], &[]));
    assert!(check(&["--color", "always"], &[]));
    assert!(check(&["--color=always"], &[("NO_COLOR", "1")]), "the flag is the last word");
    assert!(!check(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(check(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!check(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]), "NO_COLOR wins");
    let output = borrowlens(&["check", "--color", "sometimes", &file], &[]);
    assert_eq!(output.status.code(), Some(2));

    // On a terminal: util-linux's `script` gives the binary one.
    let Some(script) = on_path("script") else {
        println!("note: no `script` (util-linux) on PATH: the terminal half of this test is skipped");
        return;
    };
    let on_terminal = |env: &[(&str, &str)]| {
        let command = format!("{} check {file}", env!("CARGO_BIN_EXE_borrowlens"));
        let mut it = Command::new(&script);
        it.args(["-qec", &command, "/dev/null"]).env("TERM", "xterm");
        for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
            it.env_remove(name);
        }
        has_escapes(&it.envs(env.iter().copied()).output().expect("run script"))
    };
    assert!(on_terminal(&[]));
    assert!(!on_terminal(&[("NO_COLOR", "1")]), "NO_COLOR wins over a terminal");
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|it| it.is_file())
}

//! The language server end to end: the real binary over stdio, driven by `support::Client`.
//!
//! Covered: the handshake and exit, diagnostics equal to `borrowlens check` on every seed,
//! incremental edits in UTF-16 and UTF-8 sessions, snapshots of inlay hints and hover, answers to
//! odd requests, settings, and the workspace (indexing, `.gitignore`, watched files).

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use expect_test::expect_file;
use serde_json::{json, Value};
use support::{file_uri, offset, position, Client, Encoding};

fn seeds_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/seeds/files/seeds");
    dir.canonicalize().unwrap_or_else(|err| {
        panic!(
            "{}: {err} (the shared corpora must be beside the repository)",
            dir.display()
        )
    })
}

fn capabilities(encoding: Encoding) -> Value {
    match encoding {
        Encoding::Utf8 => json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
        Encoding::Utf16 => json!({}),
    }
}

/// A fresh directory for one test, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path =
            std::env::temp_dir().join(format!("borrowlens-lsp-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        TempDir(path.canonicalize().unwrap())
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

// ---- the handshake -------------------------------------------------------------------------

#[test]
fn the_handshake_negotiates_the_position_encoding() {
    let cases = [
        (
            json!({"general": {"positionEncodings": ["utf-16", "utf-8"]}}),
            "utf-8",
        ),
        (
            json!({"general": {"positionEncodings": ["utf-32", "utf-16"]}}),
            "utf-16",
        ),
        (json!({}), "utf-16"),
    ];
    for (capabilities, expected) in cases {
        let mut client = Client::spawn(&["lsp"]);
        let result = client
            .initialize(json!({"processId": null, "rootUri": null, "capabilities": capabilities}));
        let caps = &result["capabilities"];
        assert_eq!(caps["positionEncoding"], expected, "{result}");
        assert_eq!(
            caps["textDocumentSync"]["change"], 2,
            "incremental sync: {result}"
        );
        assert_eq!(caps["textDocumentSync"]["openClose"], true);
        assert_eq!(caps["hoverProvider"], true);
        assert_eq!(caps["inlayHintProvider"], true);
        assert_eq!(
            caps["codeActionProvider"]["codeActionKinds"],
            json!(["quickfix"])
        );
        assert_eq!(result["serverInfo"]["name"], "borrowlens");
        client.notify("initialized", json!({}));
        let status = client.shutdown_and_exit();
        assert_eq!(status.code(), Some(0), "exit after shutdown");
    }
}

#[test]
fn no_arguments_and_stdio_flags_also_start_the_server() {
    for args in [&[][..], &["--stdio"], &["lsp", "--stdio"]] {
        let mut client = Client::spawn(args);
        let result = client.initialize(json!({"capabilities": {}}));
        assert_eq!(
            result["capabilities"]["positionEncoding"], "utf-16",
            "{args:?}"
        );
        client.notify("initialized", json!({}));
        assert_eq!(client.shutdown_and_exit().code(), Some(0));
    }
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let mut client = Client::start(json!({}), Value::Null);
    assert_eq!(client.exit().code(), Some(1));
}

#[test]
fn requests_before_initialize_are_refused() {
    let mut client = Client::spawn(&["lsp"]);
    let err = client
        .request("textDocument/hover", hover_params("untitled:x", 0, 0))
        .unwrap_err();
    assert_eq!(err["code"], -32002, "ServerNotInitialized: {err}");
    client.initialize(json!({"capabilities": {}}));
    client.notify("initialized", json!({}));
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

// ---- diagnostics ---------------------------------------------------------------------------

/// `(code, line, character, message)` with 0-based lines and UTF-16 characters, sorted.
type Diag = (String, u64, u64, String);

fn lsp_diags(published: &[Value]) -> Vec<Diag> {
    let mut acc: Vec<Diag> = published
        .iter()
        .map(|it| {
            let start = &it["range"]["start"];
            (
                it["code"].as_str().unwrap().to_string(),
                start["line"].as_u64().unwrap(),
                start["character"].as_u64().unwrap(),
                it["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    acc.sort();
    acc
}

#[test]
fn seeds_get_the_diagnostics_of_borrowlens_check() {
    let dir = seeds_dir();
    let output = Command::new(env!("CARGO_BIN_EXE_borrowlens"))
        .args(["check", "--format", "json"])
        .arg(&dir)
        .output()
        .expect("run borrowlens check");
    assert!(output.status.code().is_some_and(|it| it <= 1), "{output:?}");
    // `check` counts columns in characters from 1; LSP (UTF-16 here) from 0.
    let mut expected: BTreeMap<PathBuf, Vec<Diag>> = BTreeMap::new();
    let mut n_labels: BTreeMap<(PathBuf, u64, u64), usize> = BTreeMap::new();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let it: Value = serde_json::from_str(line).unwrap();
        let path = PathBuf::from(it["file"].as_str().unwrap());
        let text = fs::read_to_string(&path).unwrap();
        let line_no = it["line"].as_u64().unwrap() - 1;
        let line_text = text.split('\n').nth(line_no as usize).unwrap();
        let col = it["col"].as_u64().unwrap() as usize - 1;
        let character = line_text
            .chars()
            .take(col)
            .map(char::len_utf16)
            .sum::<usize>() as u64;
        let code = it["code"].as_str().unwrap().to_string();
        n_labels.insert(
            (path.clone(), line_no, character),
            it["labels"].as_array().unwrap().len(),
        );
        let message = it["message"].as_str().unwrap().to_string();
        expected
            .entry(path)
            .or_default()
            .push((code, line_no, character, message));
    }
    assert!(
        expected.values().map(Vec::len).sum::<usize>() >= 10,
        "the seeds hold a dozen errors"
    );

    let files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|it| it.unwrap().path())
        .filter(|it| it.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    assert!(files.len() >= 20, "{} seed files", files.len());
    let mut client = Client::start(json!({}), Value::Null);
    for file in &files {
        client.open(&file_uri(file), &fs::read_to_string(file).unwrap());
    }
    for file in &files {
        let published = client.diagnostics(&file_uri(file), Some(1));
        let mut want = expected.remove(file).unwrap_or_default();
        want.sort();
        assert_eq!(lsp_diags(&published), want, "{}", file.display());
        for diag in &published {
            assert_eq!(diag["source"], "borrowlens");
            assert_eq!(diag["severity"], 1);
            let code = diag["code"].as_str().unwrap();
            if code == "lifetime" {
                assert!(diag.get("codeDescription").is_none());
            } else {
                let href = format!("https://doc.rust-lang.org/error_codes/{code}.html");
                assert_eq!(diag["codeDescription"]["href"], href);
            }
            let start = &diag["range"]["start"];
            let key = (
                file.clone(),
                start["line"].as_u64().unwrap(),
                start["character"].as_u64().unwrap(),
            );
            let related = diag["relatedInformation"].as_array().map_or(0, Vec::len);
            assert_eq!(
                Some(&related),
                n_labels.get(&key),
                "one related information per label: {diag}"
            );
        }
    }
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

/// Applies a `WorkspaceEdit`'s edits for `uri` (positions in the text before any edit).
fn apply_workspace_edit(text: &str, edit: &Value, uri: &str, encoding: Encoding) -> String {
    let mut edits: Vec<(usize, usize, String)> = edit["changes"][uri]
        .as_array()
        .unwrap_or_else(|| panic!("edits for {uri}: {edit}"))
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"], encoding),
                offset(text, &e["range"]["end"], encoding),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse((e.0, e.1)));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

#[test]
fn quick_fixes_remove_the_seeds_errors() {
    let mut client = Client::start(json!({}), Value::Null);
    let mut fixed = 0;
    let files = fs::read_dir(seeds_dir())
        .unwrap()
        .map(|it| it.unwrap().path())
        .collect::<Vec<_>>();
    for file in files
        .iter()
        .filter(|it| it.extension().is_some_and(|ext| ext == "rs"))
    {
        let uri = file_uri(file);
        let text = fs::read_to_string(file).unwrap();
        client.open(&uri, &text);
        let published = client.diagnostics(&uri, Some(1));
        for (n, diag) in published.iter().enumerate() {
            let params = json!({
                "textDocument": {"uri": uri},
                "range": diag["range"],
                "context": {"diagnostics": [diag], "triggerKind": 1},
            });
            let actions = client.request("textDocument/codeAction", params).unwrap();
            let actions = actions
                .as_array()
                .unwrap_or_else(|| panic!("no quick fix for {diag}"));
            let best = &actions[0];
            assert_eq!(best["kind"], "quickfix", "{best}");
            assert_eq!(best["isPreferred"], true, "{best}");
            assert_eq!(best["diagnostics"][0]["code"], diag["code"], "{best}");
            assert!(
                actions[1..].iter().all(|it| it["isPreferred"] != true),
                "one preferred fix per diagnostic"
            );
            // Applying it removes the error.
            let new_text = apply_workspace_edit(&text, &best["edit"], &uri, Encoding::Utf16);
            let version = 2 + n as i64;
            client.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": new_text}]}),
            );
            let after = client.diagnostics(&uri, Some(version));
            let count = |ds: &[Value]| ds.iter().filter(|d| d["code"] == diag["code"]).count();
            assert!(
                count(&after) < count(&published),
                "{} after `{}`:\n{new_text}",
                file.display(),
                best["title"]
            );
            fixed += 1;
        }
        // Only quick fixes are offered: a client asking for other kinds gets none.
        if let Some(diag) = published.first() {
            let params = json!({
                "textDocument": {"uri": uri},
                "range": diag["range"],
                "context": {"diagnostics": [], "only": ["source.organizeImports"]},
            });
            assert_eq!(
                client.request("textDocument/codeAction", params).unwrap(),
                Value::Null
            );
        }
    }
    assert!(fixed >= 10, "{fixed} seed errors fixed");
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

/// A test's copy of a document, edited in step with the server's.
struct Model {
    text: String,
    encoding: Encoding,
}

impl Model {
    /// Replaces the byte range with `new`, here and as an LSP change event computed on the text
    /// before the change.
    fn change(&mut self, start: usize, end: usize, new: &str) -> Value {
        let range = json!({
            "start": position(&self.text, start, self.encoding),
            "end": position(&self.text, end, self.encoding),
        });
        self.text.replace_range(start..end, new);
        json!({"range": range, "text": new})
    }

    fn find(&self, needle: &str) -> usize {
        self.text
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not in:\n{}", self.text))
    }
}

/// The diagnostics with the URI taken out of their related information, to compare documents.
fn without_uris(mut diags: Vec<Value>) -> Vec<Value> {
    for diag in &mut diags {
        for info in diag["relatedInformation"]
            .as_array_mut()
            .into_iter()
            .flatten()
        {
            info["location"]["uri"] = Value::Null;
        }
    }
    diags
}

fn incremental_edits(encoding: Encoding) {
    let mut client = Client::start(capabilities(encoding), Value::Null);
    let uri = "untitled:edited";
    let mut doc = Model {
        text: "//@ edition:2021\nfn main() {\n    let mut v = vec![1];\n    let _a = \"𝄞\";\n    let _b = \"é\";\n    println!(\"{}\", v.len());\n}\n".to_string(),
        encoding,
    };
    client.open(uri, &doc.text);
    let mut version = 1;
    let mut send = |client: &mut Client, changes: Vec<Value>| {
        version += 1;
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
        version
    };
    // A line of multi-byte characters above everything.
    let at = doc.find("fn main");
    let change = doc.change(at, at, "// é𝄞 café 𝄞\n");
    send(&mut client, vec![change]);
    // A replacement inside a line, after multi-byte characters of other lines.
    let at = doc.find("vec![1]");
    let change = doc.change(at, at + "vec![1]".len(), "vec![\"é𝄞\"]");
    send(&mut client, vec![change]);
    // A deletion across lines, from just after an astral character to just after `é`.
    let start = doc.find("\"𝄞") + "\"𝄞".len();
    let end = doc.find("\"é\"") + "\"é".len();
    let change = doc.change(start, end, "");
    send(&mut client, vec![change]);
    // Typing a line one character at a time, astral ones included: a burst of edits.
    let line = "    let first = &v; /* 𝄞é */ v.push(\"ü\");\n";
    let mut at = doc.find("    println!");
    for c in line.chars() {
        let change = doc.change(at, at, &c.to_string());
        send(&mut client, vec![change]);
        at += c.len_utf8();
    }
    // Two changes in one notification: the second's range is in the text after the first.
    let at = doc.find("}\n");
    let first = doc.change(at, at, "    println!(\"{}\", first.len());\n");
    let at = doc.find("/* 𝄞é */") + "/* ".len();
    let second = doc.change(at, at, "é");
    send(&mut client, vec![first, second]);
    // A replacement across lines that removes multi-byte characters and adds a line.
    let start = doc.find("// é𝄞");
    let end = doc.find("fn main");
    let change = doc.change(start, end, "// ok\n\n");
    let last = send(&mut client, vec![change]);

    let edited = client.diagnostics(uri, Some(last));
    client.open("untitled:fresh", &doc.text);
    let fresh = client.diagnostics("untitled:fresh", Some(1));
    assert_eq!(
        without_uris(edited.clone()),
        without_uris(fresh),
        "edited vs fresh, final text:\n{}",
        doc.text
    );
    // The error sits where the model says: the server's text is the model's.
    assert_eq!(edited.len(), 1, "{edited:?}");
    assert_eq!(edited[0]["code"], "E0502");
    assert_eq!(
        edited[0]["range"]["start"],
        position(&doc.text, doc.find("v.push"), encoding),
        "{}",
        doc.text
    );
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn incremental_edits_in_utf16() {
    incremental_edits(Encoding::Utf16);
}

#[test]
fn incremental_edits_in_utf8() {
    incremental_edits(Encoding::Utf8);
}

// ---- inlay hints and hover -----------------------------------------------------------------

fn hover_params(uri: &str, line: u64, character: u64) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

/// The file with every inlay hint spliced in (`‹label›`), the hints' tooltips, and the hover
/// text at every identifier and `&` that has one.
fn hints_and_hovers(name: &str) -> String {
    let path = seeds_dir().join(name);
    let text = fs::read_to_string(&path).unwrap();
    let uri = file_uri(&path);
    let encoding = Encoding::Utf8;
    let mut client = Client::start(capabilities(encoding), Value::Null);
    client.open(&uri, &text);

    let end = position(&text, text.len(), encoding);
    let params = json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": end}});
    let hints = client.request("textDocument/inlayHint", params).unwrap();
    let hints = hints.as_array().cloned().unwrap_or_default();
    let mut spliced = text.clone();
    let mut tooltips = String::new();
    let mut at_offsets: Vec<(usize, String)> = hints
        .iter()
        .map(|hint| {
            let label = match &hint["label"] {
                Value::String(s) => s.clone(),
                parts => parts
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|it| it["value"].as_str().unwrap())
                    .collect(),
            };
            let at = offset(&text, &hint["position"], encoding);
            if let Some(tooltip) = hint.get("tooltip") {
                let tooltip = tooltip
                    .get("value")
                    .unwrap_or(tooltip)
                    .as_str()
                    .unwrap_or_default();
                let p = &hint["position"];
                tooltips.push_str(&format!(
                    "{}:{} ‹{label}›: {}\n",
                    p["line"],
                    p["character"],
                    tooltip.replace('\n', "\n    ")
                ));
            }
            (at, format!("‹{label}›"))
        })
        .collect();
    at_offsets.sort_by_key(|it| std::cmp::Reverse(it.0));
    for (at, label) in at_offsets {
        spliced.insert_str(at, &label);
    }

    let mut hovers = String::new();
    let mut n_asked = 0;
    let body_start = text.find("fn ").unwrap_or(0);
    let mut prev = ' ';
    for (at, c) in text.char_indices().filter(|(at, _)| *at >= body_start) {
        let starts_word =
            (c.is_alphabetic() || c == '_') && !(prev.is_alphanumeric() || prev == '_');
        prev = c;
        if !(starts_word || c == '&') {
            continue;
        }
        let token: String = if c == '&' {
            "&".to_string()
        } else {
            text[at..]
                .chars()
                .take_while(|it| it.is_alphanumeric() || *it == '_')
                .collect()
        };
        let p = position(&text, at, encoding);
        n_asked += 1;
        let hover = client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": p}),
            )
            .unwrap();
        if let Some(markdown) = hover.get("contents").and_then(|it| it["value"].as_str()) {
            hovers.push_str(&format!(
                "{}:{} `{token}`: {}\n",
                p["line"],
                p["character"],
                markdown.replace('\n', "\n    ")
            ));
        }
    }
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
    format!(
        "-- {} inlay hints\n{spliced}-- tooltips\n{tooltips}-- hover: {} of {n_asked} positions answered\n{hovers}",
        hints.len(),
        hovers.lines().filter(|it| !it.starts_with("    ")).count(),
    )
}

#[test]
fn inlay_hints_and_hover_on_a_reborrow_tree() {
    expect_file!["snapshots/s003_reborrow_tree.txt"]
        .assert_eq(&hints_and_hovers("s003_reborrow_tree.rs"));
}

#[test]
fn inlay_hints_and_hover_on_shared_then_exclusive() {
    expect_file!["snapshots/s002_shared_then_exclusive.txt"]
        .assert_eq(&hints_and_hovers("s002_shared_then_exclusive.rs"));
}

// ---- odd requests ----------------------------------------------------------------------------

#[test]
fn odd_requests_get_proper_answers_and_the_server_stays_up() {
    let mut client = Client::start(capabilities(Encoding::Utf16), Value::Null);
    let unopened = "file:///nowhere/unopened.rs";
    assert_eq!(
        client.request("textDocument/hover", hover_params(unopened, 0, 0)),
        Ok(Value::Null)
    );
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 5, "character": 0}});
    let hints = client.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": unopened}, "range": range}),
    );
    assert_eq!(hints, Ok(json!([])));
    assert_eq!(
        client.request(
            "borrowlens/regions",
            json!({"textDocument": {"uri": unopened}})
        ),
        Ok(json!([]))
    );

    let uri = "untitled:odd";
    client.open(uri, "fn main() {\n    let x = 1;\n}\n");
    for (line, character) in [(0, 999), (99, 0), (u32::MAX as u64, u32::MAX as u64)] {
        let answer = client.request("textDocument/hover", hover_params(uri, line, character));
        assert!(answer.is_ok(), "hover at {line}:{character}: {answer:?}");
    }
    let far = json!({"start": {"line": 1000, "character": 3}, "end": {"line": 2, "character": 99}});
    assert_eq!(
        client.request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": far})
        ),
        Ok(json!([]))
    );
    let regions = client.request(
        "borrowlens/regions",
        json!({"textDocument": {"uri": uri}, "position": {"line": 7, "character": 7}, "range": far}),
    );
    assert_eq!(regions, Ok(json!([])));

    let err = client
        .request("borrowlens/noSuchMethod", json!({}))
        .unwrap_err();
    assert_eq!(err["code"], -32601, "MethodNotFound: {err}");
    let err = client
        .request("textDocument/hover", json!({"nonsense": true}))
        .unwrap_err();
    assert_eq!(err["code"], -32602, "InvalidParams: {err}");
    client.notify("borrowlens/noSuchNotification", json!({}));
    client.notify("$/cancelRequest", json!({"id": 12345}));
    let id = client.send_request("textDocument/hover", hover_params(uri, 1, 8));
    client.notify("$/cancelRequest", json!({"id": id}));
    // Cancelled or answered, but answered once.
    let answer = client.response(id);
    assert!(
        answer.is_ok() || answer.as_ref().unwrap_err()["code"] == -32800,
        "{answer:?}"
    );

    let status = client.request("borrowlens/status", Value::Null).unwrap();
    assert_eq!(status["open"], json!([uri]));
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

/// Notifications and requests are handled concurrently by the protocol library; the writer's
/// queue makes every request see every message sent before it.
#[test]
fn requests_see_every_earlier_message() {
    let mut client = Client::start(json!({}), Value::Null);
    for round in 0..20 {
        let uris: Vec<String> = (0..5).map(|it| format!("untitled:r{round}-{it}")).collect();
        for uri in &uris {
            client.open(uri, "fn main() {}\n");
        }
        client.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uris[2]}}),
        );
        let status = client.request("borrowlens/status", Value::Null).unwrap();
        let open: Vec<&str> = status["open"]
            .as_array()
            .unwrap()
            .iter()
            .map(|it| it.as_str().unwrap())
            .collect();
        for (i, uri) in uris.iter().enumerate() {
            assert_eq!(
                open.contains(&uri.as_str()),
                i != 2,
                "round {round}: {uri} in {open:?}"
            );
        }
    }
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

// ---- settings --------------------------------------------------------------------------------

const CONFLICT: &str = "fn main() {\n    let mut v = vec![1];\n    let first = &v[0];\n    v.push(2);\n    println!(\"{first}\");\n}\n";

#[test]
fn turning_diagnostics_off_clears_them_and_on_brings_them_back() {
    let mut client = Client::start(
        json!({}),
        json!({"borrowlens": {"inlayHintsMode": "conflicting"}}),
    );
    let uri = "untitled:settings";
    client.open(uri, CONFLICT);
    assert_eq!(client.diagnostics(uri, Some(1)).len(), 1);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"borrowlens": {"diagnostics": false}}}),
    );
    assert_eq!(
        client.diagnostics(uri, Some(1)),
        Vec::<Value>::new(),
        "cleared"
    );
    // The top-level form of the settings works too.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"diagnostics": true, "hover": false}}),
    );
    assert_eq!(client.diagnostics(uri, Some(1)).len(), 1, "published again");
    assert_eq!(
        client.request("textDocument/hover", hover_params(uri, 2, 17)),
        Ok(Value::Null)
    );
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

/// A client that sends `null` settings is asked for them; one that can refresh inlay hints is
/// asked to after a change.
#[test]
fn settings_are_pulled_when_the_client_sends_none() {
    let capabilities =
        json!({"workspace": {"configuration": true, "inlayHint": {"refreshSupport": true}}});
    let mut client = Client::start(capabilities, Value::Null);
    client.answers.insert(
        "workspace/configuration".to_string(),
        json!([{"diagnostics": false}]),
    );
    let uri = "untitled:pulled";
    client.open(uri, CONFLICT);
    assert_eq!(client.diagnostics(uri, Some(1)).len(), 1);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let asked = client.wait_for("workspace/configuration", |it| {
        it["method"] == "workspace/configuration"
    });
    assert_eq!(asked["params"]["items"][0]["section"], "borrowlens");
    assert_eq!(
        client.diagnostics(uri, Some(1)),
        Vec::<Value>::new(),
        "the pulled settings apply"
    );
    client.wait_for("workspace/inlayHint/refresh", |it| {
        it["method"] == "workspace/inlayHint/refresh"
    });
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn diagnostics_off_from_the_start() {
    let mut client = Client::start(
        json!({}),
        json!({"diagnostics": false, "inlayHints": false}),
    );
    let uri = "untitled:quiet";
    client.open(uri, CONFLICT);
    let change = json!({"range": {"start": {"line": 5, "character": 1}, "end": {"line": 5, "character": 1}}, "text": "\n"});
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [change]}),
    );
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}});
    let hints = client.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": range}),
    );
    assert_eq!(hints, Ok(json!([])));
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"borrowlens": {}}}),
    );
    assert_eq!(
        client.diagnostics(uri, Some(2)).len(),
        1,
        "the defaults turn them on"
    );
    let early = client
        .backlog
        .iter()
        .find(|it| it["method"] == "textDocument/publishDiagnostics");
    assert!(
        early.is_none(),
        "nothing was published while off: {early:?}"
    );
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

// ---- the workspace ---------------------------------------------------------------------------

#[test]
fn the_workspace_is_indexed_and_watched() {
    let dir = TempDir::new("workspace");
    dir.write(
        "Cargo.toml",
        "[package]\nname = \"w\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    // A git repository: there `.gitignore` counts, as for git, ripgrep and `borrowlens check`.
    dir.write(".git/HEAD", "ref: refs/heads/main\n");
    dir.write(".gitignore", "generated/\n*.bak.rs\n");
    let main = dir.write("src/main.rs", "fn main() {}\n");
    let lib = dir.write("src/lib.rs", CONFLICT);
    for ignored in [
        "target/debug/t.rs",
        ".hidden/h.rs",
        "generated/g.rs",
        "src/old.bak.rs",
    ] {
        dir.write(ignored, "fn f() {}\n");
    }
    let root = file_uri(&dir.0);
    let mut client = Client::spawn(&["lsp"]);
    client.initialize(json!({
        "capabilities": {
            "window": {"workDoneProgress": true},
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}, "workspaceFolders": true},
        },
        "workspaceFolders": [{"uri": root, "name": "w"}],
    }));
    client.notify("initialized", json!({}));

    let register = client.wait_for("client/registerCapability", |it| {
        it["method"] == "client/registerCapability"
    });
    let registration = &register["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(
        registration["registerOptions"]["watchers"][0]["globPattern"],
        "**/*.rs"
    );
    let create = client.wait_for("workDoneProgress/create", |it| {
        it["method"] == "window/workDoneProgress/create"
    });
    let token = create["params"]["token"].clone();
    let progress = |kind: &'static str| {
        move |it: &Value| it["method"] == "$/progress" && it["params"]["value"]["kind"] == kind
    };
    let begin = client.wait_for("progress begin", progress("begin"));
    assert_eq!(begin["params"]["token"], token);
    client.wait_for("progress report", progress("report"));
    let end = client.wait_for("progress end", progress("end"));
    assert_eq!(end["params"]["value"]["message"], "2 Rust files indexed");

    let status = client.request("borrowlens/status", Value::Null).unwrap();
    let path = |it: &Path| it.display().to_string();
    assert_eq!(status["files"], json!([path(&lib), path(&main)]));
    assert_eq!(status["roots"], json!([path(&dir.0)]));
    // An indexed file that is not open answers requests from its text on disk: `CONFLICT`'s
    // borrows of `v` (the conflicting autoref of `v[0]` on line 3, and `v[0]` held by `first`).
    let regions = client.request(
        "borrowlens/regions",
        json!({"textDocument": {"uri": file_uri(&lib)}}),
    );
    let regions = regions.unwrap();
    let places: Vec<(&str, bool, u64)> = regions
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["place"].as_str().unwrap(),
                r["conflicting"].as_bool().unwrap(),
                r["borrow"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(places, [("v", true, 2), ("v[0]", false, 2)]);

    // Watched files: created, deleted, and one that `.gitignore` excludes.
    let new = dir.write("src/new.rs", "fn g() {}\n");
    let ignored = dir.write("generated/more.rs", "fn h() {}\n");
    fs::remove_file(&lib).unwrap();
    let changes = json!([
        {"uri": file_uri(&new), "type": 1},
        {"uri": file_uri(&ignored), "type": 1},
        {"uri": file_uri(&lib), "type": 3},
    ]);
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": changes}),
    );
    let status = client.request("borrowlens/status", Value::Null).unwrap();
    assert_eq!(status["files"], json!([path(&main), path(&new)]));

    // An open document's text wins over the disk: a watcher event does not replace it.
    let main_uri = file_uri(&main);
    client.open(&main_uri, CONFLICT);
    assert_eq!(client.diagnostics(&main_uri, Some(1)).len(), 1);
    fs::write(&main, "fn main() {}\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": main_uri, "type": 2}]}),
    );
    let change = json!({"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "// still open\n"});
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main_uri, "version": 2}, "contentChanges": [change]}),
    );
    let published = client.diagnostics(&main_uri, Some(2));
    assert_eq!(published.len(), 1, "the open text, not the disk's");
    assert_eq!(published[0]["range"]["start"]["line"], 4);
    // Only open documents get diagnostics: the indexed lib.rs (an error in it) never did.
    let about_lib = client
        .backlog
        .iter()
        .find(|it| it["params"]["uri"] == file_uri(&lib));
    assert!(about_lib.is_none(), "{about_lib:?}");

    // Closing clears the diagnostics; the file goes back to its text on disk.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": main_uri}}),
    );
    assert_eq!(client.diagnostics(&main_uri, None), Vec::<Value>::new());
    let status = client.request("borrowlens/status", Value::Null).unwrap();
    assert_eq!(status["open"], json!([]));
    assert_eq!(status["files"], json!([path(&main), path(&new)]));

    // Removing the folder forgets its files.
    let event = json!({"event": {"added": [], "removed": [{"uri": root, "name": "w"}]}});
    client.notify("workspace/didChangeWorkspaceFolders", event);
    let status = client.request("borrowlens/status", Value::Null).unwrap();
    assert_eq!(status["files"], json!([]));
    client.drain(Duration::from_millis(50));
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

/// The server measures how long each edit waits for its diagnostics, from its `didChange` read
/// to its `publishDiagnostics` written: a part of what the client waits, one figure per edit.
#[test]
fn status_reports_each_edits_wait_for_its_diagnostics() {
    let mut client = Client::start(json!({}), Value::Null);
    let uri = "untitled:timed.rs";
    client.open(uri, "fn main() {\n    let x = 1;\n}\n");
    client.diagnostics(uri, Some(1));
    let mut round_trips = Vec::new();
    for version in 2..5i64 {
        let text = format!("fn main() {{\n    let x = {version};\n}}\n");
        let sent = std::time::Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
        client.diagnostics(uri, Some(version));
        round_trips.push(sent.elapsed().as_micros() as u64);
    }
    let status = client.request("borrowlens/status", Value::Null).unwrap();
    let waits: Vec<u64> = status["keystrokeMicros"]
        .as_array()
        .unwrap_or_else(|| panic!("no keystrokeMicros in {status}"))
        .iter()
        .map(|it| it.as_u64().unwrap())
        .collect();
    // The open is not an edit.
    assert_eq!(waits.len(), 3, "{waits:?}");
    for (wait, round_trip) in waits.iter().zip(&round_trips) {
        assert!(
            *wait > 0 && wait <= round_trip,
            "server time {wait} us, round trip {round_trip} us"
        );
    }
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

/// The language server finds the crates of its workspace folders: an open file's diagnostics
/// use the facts of the other files of its crate, read from disk, and follow edits to them.
#[test]
fn an_open_file_sees_the_other_files_of_its_crate() {
    let dir = TempDir::new("crate");
    dir.write(
        "Cargo.toml",
        "[package]\nname = \"pkg\"\nedition = \"2021\"\n",
    );
    let main = "mod model;\nuse model::Counter;\n\nfn main() {\n    let mut c = Counter { items: vec![1] };\n    let first = c.first();\n    c.add(2);\n    println!(\"{first}\");\n}\n";
    let model = "pub struct Counter {\n    pub items: Vec<u32>,\n}\n\nimpl Counter {\n    pub fn first(&self) -> &u32 {\n        &self.items[0]\n    }\n    pub fn add(&mut self, x: u32) {\n        self.items.push(x);\n    }\n}\n";
    let main_path = dir.write("src/main.rs", main);
    let model_path = dir.write("src/model.rs", model);
    let mut client = Client::spawn(&["lsp"]);
    client.initialize(json!({
        "capabilities": {"window": {"workDoneProgress": true}},
        "workspaceFolders": [{"uri": file_uri(&dir.0), "name": "crate"}],
    }));
    client.notify("initialized", json!({}));
    client.wait_for("the end of indexing", |it| {
        it["method"] == "$/progress" && it["params"]["value"]["kind"] == "end"
    });
    let uri = file_uri(&main_path);
    client.open(&uri, main);
    let diags = client.diagnostics(&uri, Some(1));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "E0502");
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 6, "character": 4})
    );
    // `first` no longer borrows: the error goes once the other file says so.
    let model_uri = file_uri(&model_path);
    client.open(&model_uri, model);
    client.send(json!({
        "jsonrpc": "2.0",
        "method": "textDocument/didChange",
        "params": {
            "textDocument": {"uri": model_uri, "version": 2},
            "contentChanges": [{"text": model.replace("-> &u32 {\n        &self.items[0]", "-> u32 {\n        self.items[0]")}],
        },
    }));
    let diags = client.wait_for("main.rs's diagnostics again", |it| {
        it["method"] == "textDocument/publishDiagnostics" && it["params"]["uri"] == uri
    });
    assert_eq!(diags["params"]["diagnostics"], json!([]), "{diags}");
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

/// The language server reads the crate's dependencies as the lock file says: a registry's
/// (from `CARGO_HOME`) and a path dependency's signatures decide an open file's verdicts; a
/// dependency not on disk is said once, in a window message. The same package as the CLI's
/// test (`cli.rs`), confirmed by cargo there.
#[test]
fn an_open_file_sees_its_dependencies_signatures() {
    let dir = TempDir::new("deps");
    dir.write(
        "app/Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [dependencies]\nitoa2 = \"1\"\nhelper = { path = \"../helper\" }\ngone = \"1\"\n",
    );
    dir.write(
        "app/Cargo.lock",
        "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n\
         dependencies = [\"gone\", \"helper\", \"itoa2\"]\n\n\
         [[package]]\nname = \"gone\"\nversion = \"1.0.0\"\n\
         source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n\
         [[package]]\nname = \"helper\"\nversion = \"0.1.0\"\n\n\
         [[package]]\nname = \"itoa2\"\nversion = \"1.0.3\"\n\
         source = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    );
    let main = "fn main() {\n    let mut buffer = itoa2::Buffer::new();\n    let m = &mut buffer;\n    let s = buffer.format(1);\n    let _ = &m;\n    println!(\"{s}\");\n    let t = helper::Token::new();\n    helper::consume(t);\n    helper::consume(t);\n}\n";
    let main_path = dir.write("app/src/main.rs", main);
    dir.write(
        "helper/Cargo.toml",
        "[package]\nname = \"helper\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    dir.write(
        "helper/src/lib.rs",
        "pub struct Token(String);\n\nimpl Token {\n    pub fn new() -> Token {\n        Token(String::new())\n    }\n}\n\npub fn consume(_: Token) {}\n",
    );
    let registry = "home/registry/src/index.crates.io-0000000000000000/itoa2-1.0.3";
    dir.write(
        &format!("{registry}/Cargo.toml"),
        "[package]\nname = \"itoa2\"\nversion = \"1.0.3\"\nedition = \"2018\"\n",
    );
    dir.write(
        &format!("{registry}/src/lib.rs"),
        "pub struct Buffer {\n    bytes: [u8; 20],\n}\n\nimpl Buffer {\n    pub fn new() -> Buffer {\n        Buffer { bytes: [0; 20] }\n    }\n\n    pub fn format(&mut self, n: u32) -> &str {\n        let _ = n;\n        std::str::from_utf8(&self.bytes[..0]).unwrap()\n    }\n}\n",
    );
    let mut client = Client::spawn_with(
        Command::new(env!("CARGO_BIN_EXE_borrowlens"))
            .arg("lsp")
            .env("CARGO_HOME", dir.0.join("home")),
    );
    client.initialize(json!({
        "capabilities": {"window": {"workDoneProgress": true}},
        "workspaceFolders": [{"uri": file_uri(&dir.0.join("app")), "name": "app"}],
    }));
    client.notify("initialized", json!({}));
    let said = client.wait_for("the missing dependency", |it| {
        it["method"] == "window/showMessage"
    });
    let message = said["params"]["message"].as_str().unwrap();
    assert!(
        message.contains("gone 1.0.0") && message.contains("cargo fetch"),
        "{message}"
    );
    client.wait_for("the end of indexing", |it| {
        it["method"] == "$/progress" && it["params"]["value"]["kind"] == "end"
    });
    let uri = file_uri(&main_path);
    client.open(&uri, main);
    let diags = client.diagnostics(&uri, Some(1));
    let found: Vec<(&str, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(found, [("E0499", 3), ("E0382", 8)], "{diags:?}");
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

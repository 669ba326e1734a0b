//! Malformed protocol input against the real binary, as raw bytes on stdin: bad JSON, invalid
//! UTF-8, JSON that is not JSON-RPC, wrong and absurd `Content-Length`s, garbage between
//! messages, unknown methods, requests before `initialize` and after `shutdown`, notifications
//! for documents never opened, parameters of the wrong shape. Each gets a proper error or
//! nothing; after each, the server still answers, and at the end it exits cleanly.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::Client;

fn framed(body: &[u8]) -> Vec<u8> {
    let mut acc = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    acc.extend_from_slice(body);
    acc
}

/// The server answers a request: it is up and reading.
#[track_caller]
fn assert_serving(client: &mut Client, after: &str) {
    let status = client.request("borrowlens/status", Value::Null);
    assert!(
        status.as_ref().is_ok_and(|it| it["open"].is_array()),
        "after {after}: {status:?}"
    );
    assert!(client.is_alive(), "after {after}");
}

#[test]
fn malformed_messages_are_dropped_and_the_server_goes_on() {
    let mut client = Client::start(json!({}), Value::Null);
    let status = br#"{"jsonrpc":"2.0","id":5000,"method":"borrowlens/status"}"#;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("bad JSON", framed(b"{not json")),
        (
            "invalid UTF-8",
            framed(b"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"\xff\xfe\"}"),
        ),
        ("a JSON array", framed(b"[1, 2, 3]")),
        ("a JSON number", framed(b"42")),
        ("an empty body", framed(b"")),
        (
            "a float id",
            framed(br#"{"jsonrpc":"2.0","id":1.5,"method":"borrowlens/status"}"#),
        ),
        (
            "a method that is a number",
            framed(br#"{"jsonrpc":"2.0","id":8,"method":7}"#),
        ),
        ("NUL bytes", b"\0\0\0\0".to_vec()),
        ("garbage bytes", b"\xff\xfe garbage \r\n\r\n".to_vec()),
        (
            "a header without Content-Length",
            b"Content-Type: text\r\n\r\n{}".to_vec(),
        ),
        (
            "a negative Content-Length",
            b"Content-Length: -5\r\n\r\n{}".to_vec(),
        ),
        (
            "a Content-Length that is no number",
            b"Content-Length: many\r\n\r\n{}".to_vec(),
        ),
        (
            "an absurd Content-Length",
            b"Content-Length: 99999999999999999\r\n\r\n{}".to_vec(),
        ),
        (
            "a header line without a colon",
            b"Content-Length: 2\r\nnonsense\r\n\r\n{}".to_vec(),
        ),
        (
            "an unsupported charset",
            b"Content-Length: 2\r\nContent-Type: x; charset=latin1\r\n\r\n{}".to_vec(),
        ),
        (
            "a Content-Length too short",
            [b"Content-Length: 9\r\n\r\n".as_slice(), status].concat(),
        ),
        (
            "a Content-Length too long",
            [b"Content-Length: 900\r\n\r\n".as_slice(), status].concat(),
        ),
    ];
    for (what, bytes) in &cases {
        client.send_raw(bytes);
        assert_serving(&mut client, what);
    }
    // The messages whose only fault was their `Content-Length` were answered, once each.
    for _ in 0..2 {
        let answer = client.wait_for("the status request sent with a wrong length", |it| {
            it["id"] == 5000
        });
        assert!(answer["result"]["open"].is_array(), "{answer}");
    }
    // Header names in any case, lines ending in `\n` alone: read as they are meant.
    let odd = format!("content-length: {}\n\n", status.len());
    client.send_raw(&[odd.as_bytes(), status].concat());
    let answer = client.wait_for("the status request with odd headers", |it| it["id"] == 5000);
    assert!(answer["result"]["open"].is_array(), "{answer}");

    client.drain(Duration::from_millis(200));
    let unexpected: Vec<&Value> = client
        .backlog
        .iter()
        .filter(|it| it.get("id").is_some() && it.get("method").is_none())
        .collect();
    assert!(
        unexpected.is_empty(),
        "no answers to dropped messages: {unexpected:?}"
    );
    let stderr = client.stderr();
    assert!(stderr.contains("dropped malformed input"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn unknown_methods_and_documents_and_wrong_params() {
    let mut client = Client::start(json!({}), Value::Null);
    let err = client.request("no/such/method", json!({})).unwrap_err();
    assert_eq!(err["code"], -32601, "MethodNotFound: {err}");
    client.notify("no/such/notification", json!({"x": 1}));
    client.notify("$/no/such/notification", json!(null));
    // Notifications and requests for a document that was never opened.
    let uri = "file:///never/opened.rs";
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "fn f() {}"}]}),
    );
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let at = json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}});
    assert_eq!(
        client.request("textDocument/hover", at.clone()),
        Ok(Value::Null)
    );
    assert_eq!(client.request("borrowlens/regions", at), Ok(json!([])));
    // Parameters of the wrong shape.
    let err = client.request("textDocument/hover", json!(5)).unwrap_err();
    assert_eq!(err["code"], -32602, "InvalidParams: {err}");
    let err = client
        .request("textDocument/inlayHint", json!({"textDocument": 3}))
        .unwrap_err();
    assert_eq!(err["code"], -32602, "InvalidParams: {err}");
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": 1}}));
    client.notify("textDocument/didChange", json!([1, 2]));
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"borrowlens": 7}}),
    );
    // Answers to requests the server never made.
    client.send(json!({"jsonrpc": "2.0", "id": 424242, "result": null}));
    client.send(json!({"jsonrpc": "2.0", "id": "x", "error": {"code": 1, "message": "no"}}));
    // A second `initialize`.
    let err = client
        .request("initialize", json!({"capabilities": {}}))
        .unwrap_err();
    assert_eq!(err["code"], -32600, "InvalidRequest: {err}");
    assert_serving(&mut client, "unknown methods and documents");
    let stderr = client.stderr();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn before_initialize_and_after_shutdown() {
    let mut client = Client::spawn(&["lsp"]);
    // Notifications before `initialize` are dropped, requests refused.
    client.open("untitled:early", "fn main() {}\n");
    client.notify("initialized", json!({}));
    let err = client
        .request("borrowlens/status", Value::Null)
        .unwrap_err();
    assert_eq!(err["code"], -32002, "ServerNotInitialized: {err}");
    client.send_raw(&framed(b"{not json"));
    client.initialize(json!({"capabilities": {}}));
    client.notify("initialized", json!({}));
    assert_serving(&mut client, "initialize");
    assert_eq!(client.request("shutdown", Value::Null), Ok(Value::Null));
    let err = client
        .request("borrowlens/status", Value::Null)
        .unwrap_err();
    assert_eq!(err["code"], -32600, "InvalidRequest after shutdown: {err}");
    assert_eq!(client.exit().code(), Some(0));
}

#[test]
fn input_that_ends_midway_ends_the_server() {
    for tail in [
        b"Content-Length: 100\r\n\r\n{\"jsonrpc\"".as_slice(),
        b"Content-Len",
        b"\xff\xfe",
        b"",
    ] {
        let mut client = Client::start(json!({}), Value::Null);
        client.send_raw(tail);
        client.close_stdin();
        // No `shutdown` came: status 1, promptly.
        assert_eq!(
            client.wait_exit(Duration::from_secs(10)).code(),
            Some(1),
            "{tail:?}"
        );
        assert!(!client.stderr().contains("panicked"));
    }
}

#[test]
fn a_large_message_in_small_pieces() {
    let mut client = Client::start(json!({}), Value::Null);
    let mut text = String::new();
    while text.len() < 4 << 20 {
        text.push_str("fn f() { let mut v = vec![\"é𝄞\"]; let r = &v; v.push(\"x\"); r.len(); }\n");
    }
    let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": {"textDocument": {"uri": "untitled:big", "languageId": "rust", "version": 1, "text": text}}});
    let bytes = framed(&serde_json::to_vec(&open).unwrap());
    for piece in bytes.chunks(1000) {
        client.send_raw(piece);
    }
    let status = client.request("borrowlens/status", Value::Null).unwrap();
    assert_eq!(status["open"], json!(["untitled:big"]));
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

// Test-only extension: answers the end-to-end test's questions about the editor over HTTP on
// loopback, through VS Code's own API (the providers as the editor calls them) and the borrowlens
// extension's exports.

const fs = require('fs');
const http = require('http');
const path = require('path');
const vscode = require('vscode');

function pos(q) {
  return new vscode.Position(Number(q.line), Number(q.character));
}

function doc(q) {
  const uri = vscode.Uri.parse(q.uri);
  return vscode.workspace.textDocuments.find((it) => it.uri.toString() === uri.toString());
}

function markdown(content) {
  return typeof content === 'string' ? content : content.value;
}

function range(r) {
  return [r.start.line, r.start.character, r.end.line, r.end.character];
}

const ops = {
  async state() {
    const ext = vscode.extensions.getExtension('borrowlens.borrowlens');
    const api = ext && ext.isActive ? ext.exports : undefined;
    const client = api && api.client;
    return {
      installed: !!ext,
      active: !!(ext && ext.isActive),
      running: !!(client && client.isRunning()),
      capabilities: client && client.initializeResult ? client.initializeResult.capabilities : null,
      serverInfo: client && client.initializeResult ? client.initializeResult.serverInfo : null,
      // The extension's last lookup of the server: path, source (setting, bundled, PATH), error.
      server: api ? api.server || null : null,
      // Every `borrowlens` on the extension host's PATH (the test wants none).
      onPath: (process.env.PATH || '').split(path.delimiter).filter(Boolean)
        .map((dir) => path.join(dir, 'borrowlens')).filter((file) => fs.existsSync(file)),
    };
  },
  async setSetting(q) {
    // `value` absent: remove the user setting.
    await vscode.workspace.getConfiguration('borrowlens')
      .update(q.key, q.value === undefined ? undefined : q.value, vscode.ConfigurationTarget.Global);
    return true;
  },
  async command(q) {
    await vscode.commands.executeCommand(q.id);
    return true;
  },
  async open(q) {
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(q.uri), { preview: false });
    return editor.document.uri.toString();
  },
  async diagnostics(q) {
    return vscode.languages.getDiagnostics(vscode.Uri.parse(q.uri)).map((d) => ({
      source: d.source,
      code: typeof d.code === 'object' ? String(d.code.value) : String(d.code),
      message: d.message,
      range: range(d.range),
    }));
  },
  async hover(q) {
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', vscode.Uri.parse(q.uri), pos(q));
    return hovers.flatMap((h) => h.contents.map(markdown));
  },
  async inlayHints(q) {
    const d = doc(q);
    const all = new vscode.Range(0, 0, d.lineCount, 0);
    const hints = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', d.uri, all);
    return hints.map((h) => ({
      label: typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''),
      position: [h.position.line, h.position.character],
    }));
  },
  async codeActions(q) {
    const at = new vscode.Range(pos(q), pos(q));
    const actions = await vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider', vscode.Uri.parse(q.uri), at, vscode.CodeActionKind.QuickFix.value);
    return actions.map((a) => ({
      title: a.title,
      kind: a.kind ? a.kind.value : null,
      isPreferred: !!a.isPreferred,
      diagnostics: (a.diagnostics || []).map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code))),
    }));
  },
  async serverCodeActions(q) {
    // What the server answers, with the diagnostics each action is linked to (VS Code's own
    // command drops those links).
    const client = vscode.extensions.getExtension('borrowlens.borrowlens').exports.client;
    const uri = vscode.Uri.parse(q.uri);
    const at = new vscode.Range(pos(q), pos(q));
    const diagnostics = vscode.languages.getDiagnostics(uri).filter((d) => d.range.contains(at));
    const params = {
      textDocument: { uri: client.code2ProtocolConverter.asUri(uri) },
      range: client.code2ProtocolConverter.asRange(at),
      context: { diagnostics: await client.code2ProtocolConverter.asDiagnostics(diagnostics), only: ['quickfix'] },
    };
    return (await client.sendRequest('textDocument/codeAction', params)) || [];
  },
  async highlight() {
    const api = vscode.extensions.getExtension('borrowlens.borrowlens').exports;
    const h = api.highlight;
    if (!h) {
      return null;
    }
    return {
      uri: h.uri,
      position: [h.position.line, h.position.character],
      regions: h.regions.map((r) => ({
        kind: r.kind, place: r.place, conflicting: r.conflicting, borrow: range(r.borrow), live: r.live.map(range),
      })),
    };
  },
  async text(q) {
    const d = doc(q);
    return d ? { text: d.getText(), dirty: d.isDirty, version: d.version } : null;
  },
  async cursor() {
    const e = vscode.window.activeTextEditor;
    return e ? { uri: e.document.uri.toString(), position: [e.selection.active.line, e.selection.active.character] } : null;
  },
};

function activate(context) {
  const port = Number(process.env.BORROWLENS_PROBE_PORT || 0);
  if (!port) {
    return;
  }
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const op = ops[url.pathname.slice(1)];
    const q = Object.fromEntries(url.searchParams);
    try {
      if (!op) {
        throw new Error(`unknown op ${url.pathname}`);
      }
      const result = await op(q);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result === undefined ? null : result));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err && err.stack ? err.stack : err));
    }
  });
  server.listen(port, '127.0.0.1');
  context.subscriptions.push({ dispose: () => server.close() });
}

module.exports = { activate, deactivate() {} };

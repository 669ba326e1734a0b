// Highlights of the borrows live at the cursor, from the server's `borrowlens/regions` request:
// the borrow expression and the code where it is live, shared and mutable borrows in their own
// (themable) colours, and a border around the borrows that take part in an error.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as lsp from 'vscode-languageclient/node';

/** One region on the wire (`server/src/lsp/ext.rs`). */
export interface WireRegion {
  kind: 'shared' | 'mutable';
  place: string;
  borrow: lsp.Range;
  live: lsp.Range[];
  conflicting: boolean;
}

export interface Region {
  kind: 'shared' | 'mutable';
  place: string;
  borrow: vscode.Range;
  live: vscode.Range[];
  conflicting: boolean;
}

export const regionsRequest = new lsp.RequestType<
  { textDocument: lsp.TextDocumentIdentifier; position?: lsp.Position; range?: lsp.Range },
  WireRegion[],
  void
>('borrowlens/regions');

/** The borrows live at `position`, converted to VS Code's types. */
export async function regionsAt(
  client: LanguageClient,
  document: vscode.TextDocument,
  position: vscode.Position,
  token?: vscode.CancellationToken,
): Promise<Region[]> {
  const params = {
    textDocument: client.code2ProtocolConverter.asTextDocumentIdentifier(document),
    position: client.code2ProtocolConverter.asPosition(position),
  };
  const answer = await client.sendRequest(regionsRequest, params, token);
  const p2c = client.protocol2CodeConverter;
  return (answer ?? []).map((it) => ({
    kind: it.kind,
    place: it.place,
    borrow: p2c.asRange(it.borrow),
    live: it.live.map((range) => p2c.asRange(range)),
    conflicting: it.conflicting,
  }));
}

/** What is highlighted now, for `borrowlens.showRegions` and for tests. */
export interface Highlight {
  uri: string;
  version: number;
  position: vscode.Position;
  regions: Region[];
}

export class RegionHighlighter implements vscode.Disposable {
  private readonly sharedBorrow = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('borrowlens.sharedBorrowBackground'),
    borderRadius: '2px',
  });
  private readonly sharedRegion = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('borrowlens.sharedRegionBackground'),
  });
  private readonly mutableBorrow = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('borrowlens.mutableBorrowBackground'),
    borderRadius: '2px',
  });
  private readonly mutableRegion = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('borrowlens.mutableRegionBackground'),
  });
  private readonly conflict = vscode.window.createTextEditorDecorationType({
    border: '1px solid',
    borderColor: new vscode.ThemeColor('borrowlens.conflictBorder'),
    borderRadius: '2px',
    overviewRulerColor: new vscode.ThemeColor('borrowlens.conflictBorder'),
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  });
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pending: vscode.CancellationTokenSource | undefined;
  private current: Highlight | undefined;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly enabled: () => boolean,
    private readonly delay: () => number,
  ) {
    this.subscriptions.push(
      vscode.window.onDidChangeTextEditorSelection((event) => this.schedule(event.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.schedule(editor)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        const editor = vscode.window.activeTextEditor;
        if (editor && event.document === editor.document && event.contentChanges.length > 0) {
          this.schedule(editor);
        }
      }),
    );
  }

  /** What is highlighted now. */
  get highlight(): Highlight | undefined {
    return this.current;
  }

  /** Highlights again after the delay: the cursor moved, the text changed or a setting did. */
  schedule(editor: vscode.TextEditor | undefined = vscode.window.activeTextEditor): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!editor || editor.document.languageId !== 'rust') {
      return;
    }
    if (!this.enabled()) {
      this.clear();
      return;
    }
    this.timer = setTimeout(() => void this.update(editor), this.delay());
  }

  /** Highlights the borrows live at the editor's cursor now, whatever the settings say. */
  async update(editor: vscode.TextEditor): Promise<Highlight | undefined> {
    const client = this.client();
    if (!client || !client.isRunning()) {
      this.clear();
      return undefined;
    }
    this.pending?.cancel();
    const pending = (this.pending = new vscode.CancellationTokenSource());
    const { document } = editor;
    const version = document.version;
    const position = editor.selection.active;
    let regions: Region[];
    try {
      regions = await regionsAt(client, document, position, pending.token);
    } catch {
      // Cancelled, or a newer edit made the answer stale (ContentModified): a newer request
      // follows, and old highlights stay until it answers.
      return undefined;
    }
    if (pending.token.isCancellationRequested || document.version !== version) {
      return undefined;
    }
    this.draw(editor, regions);
    this.current = { uri: document.uri.toString(), version, position, regions };
    return this.current;
  }

  clear(): void {
    this.pending?.cancel();
    for (const editor of vscode.window.visibleTextEditors) {
      this.draw(editor, []);
    }
    this.current = undefined;
  }

  private draw(editor: vscode.TextEditor, regions: Region[]): void {
    const of = (kind: Region['kind']) => regions.filter((it) => it.kind === kind);
    editor.setDecorations(this.sharedBorrow, of('shared').map((it) => it.borrow));
    editor.setDecorations(this.sharedRegion, of('shared').flatMap((it) => it.live));
    editor.setDecorations(this.mutableBorrow, of('mutable').map((it) => it.borrow));
    editor.setDecorations(this.mutableRegion, of('mutable').flatMap((it) => it.live));
    editor.setDecorations(
      this.conflict,
      regions.filter((it) => it.conflicting).map((it) => it.borrow),
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.pending?.cancel();
    for (const it of [this.sharedBorrow, this.sharedRegion, this.mutableBorrow, this.mutableRegion, this.conflict]) {
      it.dispose();
    }
    for (const it of this.subscriptions) {
      it.dispose();
    }
  }
}

/** `2:13` for a position, as people count lines and columns. */
export function describe(position: vscode.Position): string {
  return `${position.line + 1}:${position.character + 1}`;
}

// The borrowlens extension: starts the language server over stdio for Rust files, keeps its
// settings in sync, draws borrow regions at the cursor and shows the server's state.

import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State as ClientState,
} from 'vscode-languageclient/node';

import { describe, Highlight, Region, RegionHighlighter, regionsAt } from './regions';
import { findServer, Lookup, Source } from './server';
import { regionsDelay, regionsEnabled, serverSettings } from './settings';
import { StatusItem } from './status';

/** What the extension exports: for other extensions and for the end-to-end test. */
export interface Api {
  readonly client: LanguageClient | undefined;
  readonly highlight: Highlight | undefined;
  readonly insights: boolean;
  /** The last lookup of the server: its path and where it came from, or what was tried. */
  readonly server: Lookup | undefined;
  regionsAt(document: vscode.TextDocument, position: vscode.Position): Promise<Region[]>;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<Api> {
  let insights = true;
  const output = vscode.window.createOutputChannel('borrowlens', { log: true });
  const status = new StatusItem(() => insights);
  const regions = new RegionHighlighter(
    () => client,
    () => regionsEnabled(insights),
    regionsDelay,
  );
  context.subscriptions.push(output, status, regions);

  const sendSettings = () => {
    if (client?.isRunning()) {
      void client.sendNotification(DidChangeConfigurationNotification.type, {
        settings: { borrowlens: serverSettings(insights) },
      });
    }
  };

  let server: Lookup | undefined;

  const start = async () => {
    const lookup = findServer(context.extensionPath);
    server = lookup;
    if (!lookup.path) {
      output.error(`${lookup.error ?? 'no server found'} Looked at: ${lookup.tried.join(', ')}`);
      status.set('missing', `Looked at: ${lookup.tried.slice(0, 3).join(', ')}${lookup.tried.length > 3 ? ', ...' : ''}`);
      // Not awaited: the message stays until dismissed, and activation must not wait for that.
      const open = 'Open Settings';
      void vscode.window.showErrorMessage(lookup.error ?? 'borrowlens: no server found.', open).then(async (choice) => {
        if (choice === open) {
          await vscode.commands.executeCommand('workbench.action.openSettings', 'borrowlens.server.path');
        }
      });
      return;
    }
    output.info(`server: ${lookup.path} (${describeSource(lookup.source)})`);
    const executable = { command: lookup.path, args: ['lsp'] };
    const serverOptions: ServerOptions = { run: executable, debug: executable };
    const clientOptions: LanguageClientOptions = {
      // Files only: the server finds a file's edition and workspace from its path.
      documentSelector: [{ scheme: 'file', language: 'rust' }],
      initializationOptions: () => serverSettings(insights),
      outputChannel: output,
      middleware: {
        workspace: {
          // The server asks for the `borrowlens` section when a client sends no settings; answer
          // with what it would have been sent, insights toggle included.
          configuration: (params, token, next) => {
            if (params.items.every((it) => it.section === 'borrowlens')) {
              return params.items.map(() => serverSettings(insights));
            }
            return next(params, token);
          },
        },
      },
    };
    const next = new LanguageClient('borrowlens', 'borrowlens', serverOptions, clientOptions);
    client = next;
    next.onDidChangeState((event) => {
      if (next !== client) {
        return;
      }
      if (event.newState === ClientState.Running) {
        status.set('running', `\`${lookup.path}\` (${describeSource(lookup.source)})`);
        void status.refresh(next);
        regions.schedule();
      } else if (event.newState === ClientState.Starting) {
        status.set('starting', `\`${lookup.path}\``);
      } else {
        status.set('stopped', `\`${lookup.path}\` stopped: see the borrowlens output.`);
        regions.clear();
      }
    });
    status.set('starting', `\`${lookup.path}\``);
    try {
      await next.start();
    } catch (err) {
      status.set('stopped', `\`${lookup.path}\` failed to start: ${String(err)}`);
      output.appendLine(`borrowlens failed to start: ${String(err)}`);
    }
  };

  const stop = async () => {
    const old = client;
    client = undefined;
    regions.clear();
    if (old) {
      try {
        await old.stop(2000);
      } catch {
        // Already stopped, or it would not stop in time: the process goes with the client.
      }
      await old.dispose();
    }
    status.set('stopped');
  };

  const restart = async () => {
    await stop();
    await start();
  };

  const showRegions = async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'rust') {
      void vscode.window.showInformationMessage('borrowlens: open a Rust file to see its borrow regions.');
      return;
    }
    const shown = await regions.update(editor);
    const at = describe(editor.selection.active);
    if (!shown || shown.regions.length === 0) {
      void vscode.window.showInformationMessage(`borrowlens: no borrow is live at ${at}.`);
      return;
    }
    const items = shown.regions.map((it) => ({
      label: `${it.conflicting ? '$(warning) ' : ''}${it.kind} borrow of \`${it.place}\``,
      description: `at ${describe(it.borrow.start)}`,
      detail: `live on ${lines(it.live)}${it.conflicting ? ' — takes part in a borrow-check error' : ''}`,
      region: it,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: `Borrows live at ${at}`,
      placeHolder: 'Go to a borrow',
    });
    if (picked) {
      editor.selection = new vscode.Selection(picked.region.borrow.start, picked.region.borrow.end);
      editor.revealRange(picked.region.borrow, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  };

  const menu = async () => {
    const items = [
      { label: '$(debug-restart) Restart Server', command: 'borrowlens.restartServer' },
      {
        label: insights ? '$(eye-closed) Turn Insights Off' : '$(eye) Turn Insights On',
        command: 'borrowlens.toggleInsights',
      },
      { label: '$(symbol-reference) Show Borrow Regions at Cursor', command: 'borrowlens.showRegions' },
      { label: '$(output) Show Output', command: 'borrowlens.showOutput' },
      { label: '$(settings-gear) Open Settings', command: 'workbench.action.openSettings', args: ['borrowlens'] },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'borrowlens' });
    if (picked) {
      await vscode.commands.executeCommand(picked.command, ...(picked.args ?? []));
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('borrowlens.restartServer', restart),
    vscode.commands.registerCommand('borrowlens.toggleInsights', () => {
      insights = !insights;
      sendSettings();
      regions.schedule();
      status.render();
      void status.refresh(client);
      vscode.window.setStatusBarMessage(`borrowlens: insights ${insights ? 'on' : 'off'}`, 3000);
    }),
    vscode.commands.registerCommand('borrowlens.showRegions', showRegions),
    vscode.commands.registerCommand('borrowlens.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('borrowlens.menu', menu),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('borrowlens.server')) {
        void restart();
      } else if (event.affectsConfiguration('borrowlens')) {
        sendSettings();
        regions.schedule();
      }
    }),
    vscode.window.onDidChangeActiveTextEditor(() => void status.refresh(client)),
  );

  await start();

  return {
    get client() {
      return client;
    },
    get highlight() {
      return regions.highlight;
    },
    get insights() {
      return insights;
    },
    get server() {
      return server;
    },
    regionsAt: (document, position) =>
      client ? regionsAt(client, document, position) : Promise.resolve([]),
  };
}

export async function deactivate(): Promise<void> {
  const old = client;
  client = undefined;
  await old?.stop(2000);
}

function describeSource(source: Source | undefined): string {
  switch (source) {
    case 'setting':
      return 'from borrowlens.server.path';
    case 'bundled':
      return 'bundled with the extension';
    case 'PATH':
      return 'found on PATH';
    default:
      return 'unknown';
  }
}

/** `lines 5–8` or `line 7` for a list of live ranges. */
function lines(ranges: vscode.Range[]): string {
  if (ranges.length === 0) {
    return 'no line';
  }
  const first = Math.min(...ranges.map((it) => it.start.line)) + 1;
  const last = Math.max(...ranges.map((it) => it.end.line)) + 1;
  return first === last ? `line ${first}` : `lines ${first}–${last}`;
}

// The status bar item: whether the server is starting, running or stopped, whether insights are
// on, and in its tooltip what the server holds (`borrowlens/status`).

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as lsp from 'vscode-languageclient/node';

interface ServerStatus {
  files: string[];
  open: string[];
  roots: string[];
}

const statusRequest = new lsp.RequestType0<ServerStatus, void>('borrowlens/status');

export type State = 'starting' | 'running' | 'stopped' | 'missing';

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('borrowlens.status', vscode.StatusBarAlignment.Right, 100);
  private state: State = 'stopped';
  private detail = '';

  constructor(private readonly insights: () => boolean) {
    this.item.name = 'borrowlens';
    this.item.command = 'borrowlens.menu';
    this.render();
    this.item.show();
  }

  /** The state to show, with a line of detail (the binary's path, or why it stopped). */
  set(state: State, detail = ''): void {
    this.state = state;
    this.detail = detail;
    this.render();
  }

  get current(): State {
    return this.state;
  }

  /** Asks the running server what it holds, for the tooltip. */
  async refresh(client: LanguageClient | undefined): Promise<void> {
    if (!client || !client.isRunning()) {
      return this.render();
    }
    try {
      const status = await client.sendRequest(statusRequest);
      this.render(status, client.initializeResult?.serverInfo?.version);
    } catch {
      this.render();
    }
  }

  render(status?: ServerStatus, version?: string): void {
    const insights = this.insights();
    const icon = {
      starting: '$(sync~spin)',
      running: insights ? '$(eye)' : '$(eye-closed)',
      stopped: '$(debug-stop)',
      missing: '$(error)',
    }[this.state];
    this.item.text = `${icon} borrowlens`;
    this.item.backgroundColor =
      this.state === 'missing' || this.state === 'stopped'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : undefined;
    const words = {
      starting: 'starting',
      running: insights ? 'running' : 'running, insights off',
      stopped: 'stopped',
      missing: 'server not found',
    }[this.state];
    const tooltip = new vscode.MarkdownString(`**borrowlens** ${version ? `${version} ` : ''}— ${words}`);
    if (this.detail) {
      tooltip.appendMarkdown(`\n\n${this.detail}`);
    }
    if (status) {
      tooltip.appendMarkdown(
        `\n\n${status.files.length} Rust files known, ${status.open.length} open, ` +
          `${status.roots.length} workspace folder${status.roots.length === 1 ? '' : 's'}`,
      );
    }
    tooltip.appendMarkdown('\n\nClick for borrowlens commands.');
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `borrowlens ${words}` };
  }

  dispose(): void {
    this.item.dispose();
  }
}

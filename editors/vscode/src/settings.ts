// The server's settings as the extension sends them: VS Code's `borrowlens.*` settings, with
// inlay hints and hover off while the user has toggled insights off.

import * as vscode from 'vscode';

/** The keys the server reads (see the root README's settings table). */
export interface ServerSettings {
  diagnostics: boolean;
  inlayHints: boolean;
  hover: boolean;
  inlayHintsMode: 'all' | 'conflicting';
}

export function serverSettings(insights: boolean): ServerSettings {
  const config = vscode.workspace.getConfiguration('borrowlens');
  const mode = config.get<string>('inlayHintsMode', 'all');
  return {
    diagnostics: config.get<boolean>('diagnostics', true),
    inlayHints: insights && config.get<boolean>('inlayHints', true),
    hover: insights && config.get<boolean>('hover', true),
    inlayHintsMode: mode === 'conflicting' ? 'conflicting' : 'all',
  };
}

export function regionsEnabled(insights: boolean): boolean {
  return insights && vscode.workspace.getConfiguration('borrowlens').get<boolean>('regions.enable', true);
}

export function regionsDelay(): number {
  const delay = vscode.workspace.getConfiguration('borrowlens').get<number>('regions.delay', 150);
  return Math.max(0, Number.isFinite(delay) ? delay : 150);
}

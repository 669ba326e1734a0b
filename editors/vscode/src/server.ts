// Finding the `borrowlens` binary: the `borrowlens.server.path` setting, else `PATH`.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

/** Where the server was looked for, for the error message when it was not found. */
export interface Lookup {
  path?: string;
  tried: string[];
}

export function findServer(): Lookup {
  const configured = vscode.workspace.getConfiguration('borrowlens').get<string>('server.path', '').trim();
  if (configured) {
    // A relative setting is read from the first workspace folder, as a workspace setting would mean it.
    const expanded = configured.replace(/^~(?=$|[\\/])/, os.homedir());
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const candidate = path.isAbsolute(expanded) || !folder ? expanded : path.join(folder, expanded);
    return isExecutable(candidate) ? { path: candidate, tried: [candidate] } : { tried: [candidate] };
  }
  const names = process.platform === 'win32' ? ['borrowlens.exe', 'borrowlens'] : ['borrowlens'];
  const tried: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      tried.push(candidate);
      if (isExecutable(candidate)) {
        return { path: candidate, tried };
      }
    }
  }
  return { tried: ['borrowlens on PATH'] };
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

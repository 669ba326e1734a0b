// Finding the `borrowlens` binary: the `borrowlens.server.path` setting when it is set, else the
// server bundled with a platform-specific .vsix (server/borrowlens), else `borrowlens` on `PATH`.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

/** Where the server was found, and how. */
export type Source = 'setting' | 'bundled' | 'PATH';

/** The outcome of a lookup: the server, or an error message that says what was tried. */
export interface Lookup {
  path?: string;
  source?: Source;
  /** Every place looked at, in order, for the status bar's tooltip and the log. */
  tried: string[];
  /** Set when nothing was found: the message to show. */
  error?: string;
}

const exe = process.platform === 'win32' ? '.exe' : '';

/** Where a platform-specific .vsix carries the server (scripts/package.sh puts it there). */
export function bundledPath(extensionPath: string): string {
  return path.join(extensionPath, 'server', `borrowlens${exe}`);
}

export function findServer(extensionPath: string): Lookup {
  const configured = vscode.workspace.getConfiguration('borrowlens').get<string>('server.path', '').trim();
  if (configured) {
    // A relative setting is read from the first workspace folder, as a workspace setting would mean it.
    const expanded = configured.replace(/^~(?=$|[\\/])/, os.homedir());
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const candidate = path.isAbsolute(expanded) || !folder ? expanded : path.join(folder, expanded);
    if (isExecutable(candidate)) {
      return { path: candidate, source: 'setting', tried: [candidate] };
    }
    // A path set on purpose is not replaced by another server behind the user's back.
    return {
      tried: [candidate],
      error:
        `borrowlens: \`borrowlens.server.path\` is \`${configured}\`, but no executable is at \`${candidate}\`. ` +
        'Point it at the `borrowlens` binary, or clear it to use the server bundled with the extension ' +
        '(or `borrowlens` on PATH).',
    };
  }

  const tried: string[] = [];
  const bundled = bundledPath(extensionPath);
  tried.push(bundled);
  if (fs.existsSync(bundled)) {
    // An unzip that lost the mode (as rust-analyzer also guards against): make it executable.
    if (!isExecutable(bundled) && process.platform !== 'win32') {
      try {
        fs.chmodSync(bundled, 0o755);
      } catch {
        // Read-only: reported below if nothing else is found.
      }
    }
    if (isExecutable(bundled)) {
      return { path: bundled, source: 'bundled', tried };
    }
  }

  const names = process.platform === 'win32' ? ['borrowlens.exe', 'borrowlens'] : ['borrowlens'];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      tried.push(candidate);
      if (isExecutable(candidate)) {
        return { path: candidate, source: 'PATH', tried };
      }
    }
  }
  const why = fs.existsSync(bundled)
    ? `the bundled server \`${bundled}\` cannot be made executable`
    : 'this build of the extension bundles no server (a platform-specific .vsix does)';
  return {
    tried,
    error:
      `borrowlens: no server found: ${why}, \`borrowlens.server.path\` is not set, and \`borrowlens\` is not on PATH. ` +
      'Set `borrowlens.server.path` to the `borrowlens` binary, or install it with ' +
      '`cargo install --path server` from the borrowlens repository.',
  };
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

// Finding the keepalived-ls binary: the keepalived.server.path setting, else
// the binary bundled in the extension's server/ directory, else keepalived-ls
// on PATH.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const SERVER_NAME = 'keepalived-ls';

export interface ServerLocation {
  /** Absolute path of the binary. */
  command: string;
  /** Where it came from, for the status bar and error messages. */
  source: 'setting' | 'bundled' | 'PATH';
}

export class ServerNotFoundError extends Error {}

const exe = (name: string): string => (process.platform === 'win32' && !/\.exe$/i.test(name) ? `${name}.exe` : name);

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks a bare command name up on PATH (with PATHEXT on Windows). */
export function which(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  const exts = process.platform === 'win32'
    ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean)]
    : [''];
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Expands ~, ${userHome}, ${workspaceFolder} and ${env:NAME} in a configured path. */
export function expandPath(value: string, workspaceFolder: string | undefined): string {
  let p = value.trim();
  p = p.replace(/\$\{userHome\}/g, os.homedir());
  p = p.replace(/\$\{env:([^}]+)\}/g, (_, name: string) => process.env[name] ?? '');
  if (workspaceFolder) p = p.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  if (p === '~') p = os.homedir();
  else if (p.startsWith('~/') || p.startsWith('~\\')) p = path.join(os.homedir(), p.slice(2));
  return p;
}

/**
 * Resolves the server binary.
 * @param configured the keepalived.server.path setting ('' when unset)
 * @param extensionPath the extension's install directory
 * @param workspaceFolder the first workspace folder, for relative paths
 */
export function resolveServer(configured: string, extensionPath: string, workspaceFolder: string | undefined): ServerLocation {
  if (configured.trim()) {
    const p = expandPath(configured, workspaceFolder);
    const hasDir = p.includes('/') || (process.platform === 'win32' && p.includes('\\'));
    if (!hasDir) {
      const found = which(p);
      if (found) return { command: found, source: 'setting' };
      throw new ServerNotFoundError(`keepalived.server.path is "${configured}", but no such program is on PATH.`);
    }
    const abs = path.resolve(workspaceFolder ?? process.cwd(), p);
    if (isExecutableFile(abs)) return { command: abs, source: 'setting' };
    if (!fs.existsSync(abs)) throw new ServerNotFoundError(`keepalived.server.path is "${configured}", but ${abs} does not exist.`);
    throw new ServerNotFoundError(`keepalived.server.path is "${configured}", but ${abs} is not an executable file.`);
  }
  const bundled = path.join(extensionPath, 'server', exe(SERVER_NAME));
  if (fs.existsSync(bundled)) {
    if (process.platform !== 'win32' && !isExecutableFile(bundled)) {
      // Some unpackers drop the executable bit: restore it.
      try { fs.chmodSync(bundled, 0o755); } catch { /* reported below */ }
    }
    if (isExecutableFile(bundled)) return { command: bundled, source: 'bundled' };
  }
  const onPath = which(SERVER_NAME);
  if (onPath) return { command: onPath, source: 'PATH' };
  throw new ServerNotFoundError(
    `${SERVER_NAME} was not found: this extension has no bundled server for ${process.platform}-${process.arch}, and ${SERVER_NAME} is not on PATH. ` +
    `Install it (go install github.com/keepalived-ls/keepalived-ls/cmd/keepalived-ls@latest) or set keepalived.server.path.`);
}

// VS Code client for keepalived-ls, the keepalived configuration language
// server. Starts the server over stdio once a keepalived document is open,
// passes the "keepalived" settings to it, shows its state in the status bar
// and restarts it on request.
import * as path from 'path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { EXPANDED_SCHEME, ExpandedProvider, showExpanded } from './expanded';
import { braceFolds } from './folding';
import { resolveServer, ServerLocation, ServerNotFoundError } from './serverPath';

const LANGUAGE_ID = 'keepalived';
const SECTION = 'keepalived';

/** The settings the server reads (docs/settings.md). */
export interface ServerSettings {
  targetVersion: string;
  configId: string;
  rules: Record<string, string>;
  debounce: number;
  runKeepalived: boolean;
  cluster: { peers: string[] };
}

export function serverSettings(cfg: vscode.WorkspaceConfiguration = vscode.workspace.getConfiguration(SECTION)): ServerSettings {
  return {
    targetVersion: cfg.get<string>('targetVersion', ''),
    configId: cfg.get<string>('configId', ''),
    rules: { ...cfg.get<Record<string, string>>('rules', {}) },
    debounce: cfg.get<number>('debounce', 30),
    runKeepalived: cfg.get<boolean>('runKeepalived', false),
    cluster: { peers: [...cfg.get<string[]>('cluster.peers', [])] },
  };
}

/** What activate() returns: used by tests and by other extensions. */
export interface KeepalivedApi {
  readonly client: LanguageClient | undefined;
  readonly server: ServerLocation | undefined;
  /** Resolves once the server runs (or has failed to start). */
  ready(): Promise<void>;
  restart(): Promise<void>;
}

class Status implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('keepalived.status', vscode.StatusBarAlignment.Right, 100);
  private visible = false;

  constructor() {
    this.item.name = 'keepalived-ls';
    this.item.command = 'keepalived.showMenu';
  }

  update(state: 'starting' | 'running' | 'stopped' | 'failed', detail: { version?: string; server?: ServerLocation; error?: string }) {
    const icon = { starting: '$(loading~spin)', running: '$(check)', stopped: '$(circle-slash)', failed: '$(error)' }[state];
    this.item.text = `${icon} keepalived`;
    this.item.backgroundColor = state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['keepalived.restartServer', 'keepalived.showOutput', 'workbench.action.openSettings'] };
    md.appendMarkdown(`**keepalived-ls**: ${state}\n\n`);
    if (detail.version) md.appendMarkdown(`Version: ${escapeMd(detail.version)}\n\n`);
    if (detail.server) md.appendMarkdown(`Server: \`${displayPath(detail.server)}\` (${detail.server.source})\n\n`);
    if (detail.error) md.appendMarkdown(`${escapeMd(detail.error)}\n\n`);
    md.appendMarkdown('[$(debug-restart) Restart](command:keepalived.restartServer) · [$(output) Output](command:keepalived.showOutput) · ' +
      `[$(gear) Settings](command:workbench.action.openSettings?${encodeURIComponent(JSON.stringify(['@ext:keepalived-ls.keepalived-ls']))})`);
    this.item.tooltip = md;
    this.item.accessibilityInformation = {
      label: `keepalived-ls ${state}${detail.version ? `, version ${detail.version}` : ''}`,
    };
    if (this.visible) this.item.show();
  }

  setVisible(visible: boolean) {
    this.visible = visible;
    if (visible) this.item.show();
    else this.item.hide();
  }

  dispose() { this.item.dispose(); }
}

let extensionPath = '';

/** The server path, relative to the extension for the bundled binary. */
function displayPath(server: ServerLocation): string {
  const rel = path.relative(extensionPath, server.command);
  return server.source === 'bundled' && !rel.startsWith('..') ? rel.split(path.sep).join('/') : server.command;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}

class Controller implements vscode.Disposable, KeepalivedApi {
  client: LanguageClient | undefined;
  server: ServerLocation | undefined;
  private readonly status = new Status();
  private readonly output = vscode.window.createOutputChannel('Keepalived Language Server', { log: true });
  private readonly traceOutput = vscode.window.createOutputChannel('Keepalived Language Server Trace', { log: true });
  private starting: Promise<void> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private wanted = false; // a keepalived document has been opened

  constructor(private readonly context: vscode.ExtensionContext) {}

  /** Starts the server unless it runs or is starting already. */
  ensureStarted(): Promise<void> {
    this.wanted = true;
    this.updateStatusVisibility(vscode.window.activeTextEditor);
    if (!this.starting) this.starting = this.start();
    return this.starting;
  }

  ready(): Promise<void> {
    return this.starting ?? this.ensureStarted();
  }

  async restart(): Promise<void> {
    const previous = this.starting;
    this.starting = (async () => {
      await previous?.catch(() => undefined);
      await this.stop();
      await this.start();
    })();
    return this.starting;
  }

  private async start(): Promise<void> {
    const cfg = vscode.workspace.getConfiguration(SECTION);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    this.status.update('starting', {});
    let server: ServerLocation;
    try {
      // In an untrusted workspace, VS Code already hides workspace values of
      // the restricted settings server.path and server.args.
      server = resolveServer(cfg.get<string>('server.path', ''), this.context.extensionPath, folder);
    } catch (e) {
      const msg = e instanceof ServerNotFoundError ? e.message : String(e);
      this.server = undefined;
      this.output.error(msg);
      this.status.update('failed', { error: msg });
      void vscode.window.showErrorMessage(msg, 'Open Settings').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'keepalived.server.path');
      });
      return;
    }
    this.server = server;
    const args = cfg.get<string[]>('server.args', []);
    this.output.info(`starting ${server.command} ${args.join(' ')} (${server.source})`);
    const serverOptions: ServerOptions = {
      run: { command: server.command, args },
      debug: { command: server.command, args },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: LANGUAGE_ID },
        { scheme: 'untitled', language: LANGUAGE_ID },
      ],
      // Read at every (re)start, so a restart uses the current settings.
      initializationOptions: () => ({ [SECTION]: serverSettings() }),
      // Sends workspace/didChangeConfiguration with the "keepalived" section
      // when it changes; workspace/configuration requests are answered by
      // the client's configuration feature (filtered by the middleware).
      synchronize: { configurationSection: SECTION },
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            if (!Array.isArray(result)) return result;
            // Answer with the server's settings only (not server.path, trace, ...).
            return params.items.map((item, i) =>
              item.section === SECTION
                ? serverSettings(vscode.workspace.getConfiguration(SECTION, item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined))
                : result[i]);
          },
        },
      },
      outputChannel: this.output,
      traceOutputChannel: this.traceOutput,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
    };
    const client = new LanguageClient(SECTION, 'Keepalived Language Server', serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((e) => {
      if (this.client !== client) return;
      if (e.newState === State.Running) {
        const info = client.initializeResult?.serverInfo;
        this.status.update('running', { version: info?.version ?? info?.name, server });
      } else if (e.newState === State.Starting) {
        this.status.update('starting', { server });
      } else {
        this.status.update('stopped', { server });
      }
    });
    try {
      await client.start();
    } catch (e) {
      const msg = `keepalived-ls failed to start: ${e instanceof Error ? e.message : String(e)}`;
      this.output.error(msg);
      this.status.update('failed', { server, error: msg });
      void vscode.window.showErrorMessage(msg, 'Show Output').then((pick) => {
        if (pick) this.output.show();
      });
    }
  }

  private async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    try {
      await client.dispose(2000);
    } catch (e) {
      this.output.warn(`stopping the server: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  showOutput() { this.output.show(true); }

  async showMenu() {
    const items: (vscode.QuickPickItem & { run: () => unknown })[] = [
      { label: '$(debug-restart) Restart Server', run: () => this.restart() },
      { label: '$(output) Show Output', run: () => this.showOutput() },
      { label: '$(gear) Open Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:keepalived-ls.keepalived-ls') },
    ];
    const info = this.client?.initializeResult?.serverInfo;
    const pick = await vscode.window.showQuickPick(items, { placeHolder: info?.version ?? 'keepalived-ls' });
    await pick?.run();
  }

  onConfigurationChanged(e: vscode.ConfigurationChangeEvent) {
    if (!this.wanted) return;
    if (e.affectsConfiguration('keepalived.server.path') || e.affectsConfiguration('keepalived.server.args')) {
      this.output.info('server.path or server.args changed: restarting');
      void this.restart();
    }
  }

  /** Shows the status item while a keepalived editor is active. */
  updateStatusVisibility(editor: vscode.TextEditor | undefined) {
    // No editor (settings, welcome page) or an output channel: keep as is.
    if (!editor || editor.document.uri.scheme === 'output') return;
    this.status.setVisible(this.wanted && editor.document.languageId === LANGUAGE_ID);
  }

  dispose() {
    void this.stop();
    this.status.dispose();
    this.output.dispose();
    this.traceOutput.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Switches documents matching keepalived.files.associations to keepalived. */
function applyAssociations(doc: vscode.TextDocument) {
  if (doc.languageId === LANGUAGE_ID || (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'vscode-remote')) return;
  const patterns = vscode.workspace.getConfiguration(SECTION, doc.uri).get<string[]>('files.associations', []);
  for (const raw of patterns) {
    const pattern = raw.trim();
    if (!pattern) continue;
    // A pattern without a slash matches the file name anywhere.
    const glob = pattern.includes('/') ? pattern : `**/${pattern}`;
    if (vscode.languages.match({ pattern: glob }, doc) > 0) {
      void vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
      return;
    }
  }
}

let controller: Controller | undefined;

export function activate(context: vscode.ExtensionContext): KeepalivedApi {
  extensionPath = context.extensionPath;
  const ctl = new Controller(context);
  controller = ctl;
  const expanded = new ExpandedProvider(() => ctl.client);
  context.subscriptions.push(
    ctl,
    expanded,
    vscode.workspace.registerTextDocumentContentProvider(EXPANDED_SCHEME, expanded),
    vscode.commands.registerCommand('keepalived.restartServer', () => ctl.restart()),
    vscode.commands.registerCommand('keepalived.showOutput', () => ctl.showOutput()),
    vscode.commands.registerCommand('keepalived.showMenu', () => ctl.showMenu()),
    vscode.commands.registerCommand('keepalived.showEffectiveConfig', async () => {
      await ctl.ensureStarted();
      await showExpanded(vscode.window.activeTextEditor);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      ctl.onConfigurationChanged(e);
      if (e.affectsConfiguration('keepalived.files.associations')) vscode.workspace.textDocuments.forEach(applyAssociations);
    }),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (doc.languageId === LANGUAGE_ID) void ctl.ensureStarted();
      else applyAssociations(doc);
    }),
    vscode.window.onDidChangeActiveTextEditor((e) => ctl.updateStatusVisibility(e)),
    vscode.languages.registerFoldingRangeProvider({ language: LANGUAGE_ID }, {
      provideFoldingRanges: (doc) => braceFolds(doc.getText()).map((f) => new vscode.FoldingRange(f.start, f.end)),
    }),
  );
  for (const doc of vscode.workspace.textDocuments) applyAssociations(doc);
  // Activated on startup or by a keepalived document: start the server only
  // when there is a keepalived document to check.
  if (vscode.workspace.textDocuments.some((d) => d.languageId === LANGUAGE_ID)) {
    void ctl.ensureStarted();
  }
  return ctl;
}

export async function deactivate(): Promise<void> {
  const ctl = controller;
  controller = undefined;
  if (ctl?.client) await ctl.client.dispose(2000).catch(() => undefined);
}

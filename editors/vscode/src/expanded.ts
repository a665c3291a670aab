// The "effective configuration" view: a read-only virtual document with
// what keepalived reads from a file (includes inlined, $NAME and ~SEQ/~LST
// expanded, @ID lines resolved), produced by the server's
// keepalived.showExpanded command and refreshed while the file is edited.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export const EXPANDED_SCHEME = 'keepalived-expanded';
/** The server command (workspace/executeCommand). */
export const SERVER_COMMAND = 'keepalived.showExpanded';

/** The virtual document's URI for a source document: the source URI travels in the query. */
export function expandedUri(source: vscode.Uri): vscode.Uri {
  const name = source.path.split('/').pop() || 'keepalived.conf';
  return vscode.Uri.from({ scheme: EXPANDED_SCHEME, path: `/${name} (expanded)`, query: source.toString() });
}

/** The source URI of a virtual document. */
export function sourceUri(expanded: vscode.Uri): vscode.Uri {
  return vscode.Uri.parse(expanded.query, true);
}

export class ExpandedProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly open = new Map<string, vscode.Uri>(); // source URI -> virtual URI
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.sourceChanged(e.document.uri)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === EXPANDED_SCHEME) this.open.delete(sourceUri(d.uri).toString());
      }),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = sourceUri(uri);
    this.open.set(source.toString(), uri);
    const client = this.client();
    if (!client) return '# keepalived-ls is not running: start it to see the effective configuration\n';
    try {
      const text = await client.sendRequest<string>('workspace/executeCommand', {
        command: SERVER_COMMAND,
        arguments: [source.toString()],
      });
      return text ?? '';
    } catch (e) {
      return `# keepalived-ls could not expand ${source.fsPath || source.toString()}: ${e instanceof Error ? e.message : String(e)}\n`;
    }
  }

  /** Refreshes an open view shortly after its source (or any file it may include) changes. */
  private sourceChanged(uri: vscode.Uri) {
    if (uri.scheme === EXPANDED_SCHEME || this.open.size === 0) return;
    for (const [key, virtual] of this.open) {
      clearTimeout(this.timers.get(key));
      this.timers.set(key, setTimeout(() => this.changed.fire(virtual), 300));
    }
  }

  dispose() {
    for (const t of this.timers.values()) clearTimeout(t);
    this.changed.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Opens the effective configuration of the active keepalived editor beside it. */
export async function showExpanded(editor: vscode.TextEditor | undefined) {
  if (!editor || editor.document.languageId !== 'keepalived') {
    void vscode.window.showInformationMessage('Open a keepalived configuration file first.');
    return;
  }
  const doc = await vscode.workspace.openTextDocument(expandedUri(editor.document.uri));
  await vscode.languages.setTextDocumentLanguage(doc, 'keepalived');
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: false });
}

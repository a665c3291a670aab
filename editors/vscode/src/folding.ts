// Folding by braces. VS Code only folds by indentation unless a provider
// says otherwise, and keepalived files are often indented loosely; the
// language server has no folding ranges yet.

export interface Fold {
  start: number;
  end: number;
}

/**
 * Returns the line ranges of blocks, { to }, in keepalived text: braces in
 * comments (# or ! outside double quotes, not after a backslash), in double
 * quotes and in ${NAME} references do not count.
 */
export function braceFolds(text: string): Fold[] {
  const folds: Fold[] = [];
  const open: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln];
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (c === '"') { quoted = !quoted; continue; }
      if (quoted) continue;
      if (c === '\\') { i++; continue; }
      if (c === '#' || c === '!') break;
      if (c === '$' && line[i + 1] === '{') {
        const close = line.indexOf('}', i + 2);
        if (close >= 0) { i = close; continue; }
      }
      if (c === '{') open.push(ln);
      else if (c === '}' && open.length) {
        const start = open.pop()!;
        // Fold up to the line before the closing brace, so "}" stays visible.
        if (ln - 1 > start) folds.push({ start, end: ln - 1 });
      }
    }
  }
  return folds;
}

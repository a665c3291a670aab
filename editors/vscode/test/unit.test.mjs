// Unit tests without VS Code: the TextMate grammar (tokenized with the same
// vscode-textmate + oniguruma engine VS Code uses), brace folding, server
// path resolution and the manifest. Run: node --test test/unit.test.mjs
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test, after } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'keepalived-vscode-unit-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// Compile the vscode-free modules of the extension for the tests.
const esbuild = require('esbuild');
esbuild.buildSync({
  entryPoints: [join(root, 'src/folding.ts'), join(root, 'src/serverPath.ts')],
  outdir: tmp, format: 'cjs', platform: 'node', target: 'node18', logLevel: 'error',
});
const { braceFolds } = require(join(tmp, 'folding.js'));
const { resolveServer, expandPath, ServerNotFoundError } = require(join(tmp, 'serverPath.js'));

// --- grammar -------------------------------------------------------------
const oniguruma = require('vscode-oniguruma');
const vsctm = require('vscode-textmate');
await oniguruma.loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer);
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }),
  loadGrammar: async (scope) => scope === 'source.keepalived'
    ? vsctm.parseRawGrammar(readFileSync(join(root, 'syntaxes/keepalived.tmLanguage.json'), 'utf8'), 'keepalived.tmLanguage.json')
    : null,
});
const grammar = await registry.loadGrammar('source.keepalived');

/** Tokenizes lines; returns [text, innermost scope] pairs without whitespace-only tokens. */
function tokenize(text) {
  let state = vsctm.INITIAL;
  const out = [];
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      const s = line.slice(t.startIndex, t.endIndex);
      if (s.trim()) out.push([s.trim(), t.scopes[t.scopes.length - 1], t.scopes]);
    }
    state = r.ruleStack;
  }
  return out;
}
/** The innermost scope of the first token whose text is `text` (after `skip` earlier matches). */
function scopeOf(tokens, text, skip = 0) {
  const hits = tokens.filter(([s]) => s === text);
  assert.ok(hits.length > skip, `no token ${JSON.stringify(text)} in ${JSON.stringify(tokens.map(([s, sc]) => `${s}:${sc}`))}`);
  return hits[skip][1];
}

test('grammar: keywords, blocks, names, values', () => {
  const t = tokenize([
    'vrrp_instance VI_1 {',
    '    state MASTER',
    '    priority 150',
    '    virtual_ipaddress {',
    '        192.0.2.100/24 dev eth0 label eth0:vip',
    '        2001:db8::1/64',
    '    }',
    '    notify_master "/usr/local/bin/notify.sh master"',
    '}',
    'virtual_server 192.0.2.100 80 {',
    '    real_server 10.0.0.11 80 {',
    '        TCP_CHECK { connect_timeout 3 }',
    '    }',
    '}',
  ].join('\n'));
  assert.equal(scopeOf(t, 'vrrp_instance'), 'storage.type.block.keepalived');
  assert.equal(scopeOf(t, 'VI_1'), 'entity.name.type.keepalived');
  assert.equal(scopeOf(t, 'state'), 'keyword.other.keepalived');
  assert.equal(scopeOf(t, 'MASTER'), 'constant.language.keepalived');
  assert.equal(scopeOf(t, '150'), 'constant.numeric.decimal.keepalived');
  assert.equal(scopeOf(t, 'virtual_ipaddress'), 'storage.type.block.keepalived');
  assert.equal(scopeOf(t, '192.0.2.100/24'), 'constant.numeric.ip-address.v4.keepalived');
  assert.equal(scopeOf(t, 'dev'), 'keyword.other.option.keepalived');
  assert.equal(scopeOf(t, '2001:db8::1/64'), 'constant.numeric.ip-address.v6.keepalived');
  assert.equal(scopeOf(t, '/usr/local/bin/notify.sh master'), 'string.quoted.double.keepalived');
  assert.equal(scopeOf(t, 'eth0:vip'), 'source.keepalived', 'plain word');
  assert.equal(scopeOf(t, '10.0.0.11'), 'constant.numeric.ip-address.v4.keepalived');
  assert.equal(scopeOf(t, 'real_server'), 'storage.type.block.keepalived');
  assert.equal(scopeOf(t, 'TCP_CHECK'), 'storage.type.block.keepalived');
  assert.equal(scopeOf(t, 'connect_timeout'), 'keyword.other.keepalived', 'keyword after { on the same line');
  assert.equal(scopeOf(t, '{'), 'punctuation.section.block.begin.keepalived');
});

test('grammar: comments with # and ! anywhere outside double quotes', () => {
  const t = tokenize([
    '! a comment',
    '# another',
    'router_id lb1 # trailing',
    'router_id lb1! bang',
    'smtp_server "a#b!c"   ! after string',
    'router_id a\\#b',
  ].join('\n'));
  assert.equal(scopeOf(t, 'a comment'), 'comment.line.exclamation.keepalived');
  assert.equal(scopeOf(t, 'another'), 'comment.line.number-sign.keepalived');
  assert.equal(scopeOf(t, 'trailing'), 'comment.line.number-sign.keepalived');
  assert.equal(scopeOf(t, 'lb1', 1), 'source.keepalived', 'the word before ! is not a comment');
  assert.equal(scopeOf(t, 'bang'), 'comment.line.exclamation.keepalived');
  assert.equal(scopeOf(t, 'a#b!c'), 'string.quoted.double.keepalived');
  assert.equal(scopeOf(t, 'after string'), 'comment.line.exclamation.keepalived');
  assert.equal(scopeOf(t, '\\#'), 'constant.character.escape.keepalived');
});

test('grammar: definitions, references, conditionals, generators, includes', () => {
  const t = tokenize([
    '$PRIO=150',
    '@lb1 priority $PRIO',
    '@^lb1 priority ${PRIO}',
    'router_id ${_INSTANCE}',
    '~SEQ(i, 1, 1, 3) real_server 10.0.0.$i 80',
    'include /etc/keepalived/conf.d/*.conf  # all of them',
    'includer "other dir/x.conf"',
  ].join('\n'));
  assert.equal(scopeOf(t, 'PRIO'), 'variable.other.definition.keepalived');
  assert.equal(scopeOf(t, '='), 'keyword.operator.assignment.keepalived');
  assert.equal(scopeOf(t, '@'), 'keyword.control.conditional.keepalived');
  assert.equal(scopeOf(t, 'lb1'), 'entity.name.label.config-id.keepalived');
  assert.equal(scopeOf(t, '@^'), 'keyword.control.conditional.keepalived');
  assert.equal(scopeOf(t, 'priority'), 'keyword.other.keepalived', 'keyword after @ID');
  assert.equal(scopeOf(t, 'priority', 1), 'keyword.other.keepalived', 'keyword after @^ID');
  assert.equal(scopeOf(t, 'PRIO', 1), 'variable.other.keepalived');
  assert.equal(scopeOf(t, '_INSTANCE'), 'variable.language.keepalived');
  assert.equal(scopeOf(t, 'SEQ'), 'support.function.generator.keepalived');
  assert.equal(scopeOf(t, 'i'), 'variable.parameter.generator.keepalived');
  assert.equal(scopeOf(t, 'real_server'), 'storage.type.block.keepalived', 'keyword after a generator');
  assert.equal(scopeOf(t, 'include'), 'keyword.control.import.keepalived');
  assert.equal(scopeOf(t, '/etc/keepalived/conf.d/*.conf'), 'string.unquoted.path.keepalived');
  assert.equal(scopeOf(t, 'all of them'), 'comment.line.number-sign.keepalived');
  assert.equal(scopeOf(t, 'includer'), 'keyword.control.import.keepalived');
  assert.equal(scopeOf(t, 'other dir/x.conf'), 'string.quoted.double.keepalived');
});

test('grammar: an unterminated quote ends at the end of the line', () => {
  const t = tokenize('notify "/bin/x\nrouter_id lb1');
  assert.equal(scopeOf(t, 'router_id'), 'keyword.other.keepalived');
});

// --- folding -------------------------------------------------------------
test('brace folding skips comments, quotes and ${NAME}', () => {
  const text = [
    'global_defs {',          // 0
    '  router_id ${ID}',      // 1
    '  # {',                  // 2
    '  x "}"',                // 3
    '}',                      // 4
    'vrrp_instance A {',      // 5
    '  virtual_ipaddress {',  // 6
    '    192.0.2.1',          // 7
    '  }',                    // 8
    '}',                      // 9
    'a { }',                  // 10
  ].join('\n');
  assert.deepEqual(braceFolds(text), [{ start: 0, end: 3 }, { start: 6, end: 7 }, { start: 5, end: 8 }]);
});

// --- server path -----------------------------------------------------------
test('server path: setting, bundled, PATH, not found', () => {
  const ext = join(tmp, 'ext');
  const bin = join(tmp, 'bin');
  mkdirSync(join(ext, 'server'), { recursive: true });
  mkdirSync(bin, { recursive: true });
  const exe = process.platform === 'win32' ? '.exe' : '';
  const oldPath = process.env.PATH;
  try {
    process.env.PATH = '';
    assert.throws(() => resolveServer('', ext, undefined), ServerNotFoundError);
    writeFileSync(join(bin, 'keepalived-ls' + exe), '#!/bin/sh\n');
    chmodSync(join(bin, 'keepalived-ls' + exe), 0o755);
    process.env.PATH = bin;
    assert.deepEqual(resolveServer('', ext, undefined), { command: join(bin, 'keepalived-ls' + exe), source: 'PATH' });
    const bundled = join(ext, 'server', 'keepalived-ls' + exe);
    writeFileSync(bundled, '#!/bin/sh\n');
    chmodSync(bundled, 0o644); // lost executable bit is restored
    assert.deepEqual(resolveServer('', ext, undefined), { command: bundled, source: 'bundled' });
    assert.deepEqual(resolveServer('keepalived-ls', ext, undefined), { command: join(bin, 'keepalived-ls' + exe), source: 'setting' });
    assert.deepEqual(resolveServer('${workspaceFolder}/../bin/keepalived-ls' + exe, ext, ext), { command: join(bin, 'keepalived-ls' + exe), source: 'setting' });
    assert.deepEqual(resolveServer('bin/keepalived-ls' + exe, ext, tmp), { command: join(bin, 'keepalived-ls' + exe), source: 'setting' });
    assert.throws(() => resolveServer('/nonexistent/keepalived-ls', ext, undefined), /does not exist/);
    assert.throws(() => resolveServer('no-such-program-xyz', ext, undefined), /not on PATH|no such program/);
    assert.match(expandPath('~/x', undefined), /x$/);
  } finally {
    process.env.PATH = oldPath;
  }
});

// --- manifest --------------------------------------------------------------
test('manifest: languages, grammar, settings, commands', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const lang = pkg.contributes.languages[0];
  assert.equal(lang.id, 'keepalived');
  assert.deepEqual(lang.filenames, ['keepalived.conf']);
  for (const p of ['keepalived*.conf', '**/keepalived/**/*.conf', '/etc/keepalived/**/*.conf']) assert.ok(lang.filenamePatterns.includes(p), p);
  assert.ok(pkg.activationEvents.includes('onLanguage:keepalived'));
  const props = pkg.contributes.configuration.properties;
  for (const k of ['server.path', 'server.args', 'targetVersion', 'configId', 'rules', 'debounce', 'runKeepalived', 'cluster.peers', 'trace.server', 'files.associations']) {
    assert.ok(props[`keepalived.${k}`], `setting keepalived.${k}`);
  }
  assert.ok(pkg.contributes.commands.some((c) => c.command === 'keepalived.restartServer'));
  assert.ok(pkg.contributes.commands.some((c) => c.command === 'keepalived.showEffectiveConfig'));
  JSON.parse(readFileSync(join(root, lang.configuration), 'utf8'));
});

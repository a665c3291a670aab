// End-to-end test of the packaged extension in the real VS Code workbench:
// code-server (VS Code 1.100 server + web workbench) with the .vsix installed
// into a private extensions directory, driven by headless Chromium through
// playwright-core, exactly as a user would: status bar, Problems panel,
// hover, quick fix (Ctrl+.) and the restart command.
//
//   node test/e2e.mjs [--vsix dist/keepalived-ls-linux-x64-0.1.0.vsix] [--code-server .../bin/code-server]
//
// (the defaults are what test.sh builds and installs: run test.sh once first).
// Options (or environment): --screenshots DIR (E2E_SCREENSHOTS, default
// screenshots/), --chromium PATH (CHROMIUM, default /usr/bin/chromium),
// --keep (E2E_KEEP=1: keep the temporary directory), E2E_STEP_TIMEOUT_MS.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
function defaultVsix() {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  return join(root, 'dist', `keepalived-ls-linux-${arch}-${version}.vsix`);
}
const { values: opt } = parseArgs({
  options: {
    vsix: { type: 'string', default: defaultVsix() },
    'code-server': {
      type: 'string',
      default: join(process.env.KEEPALIVED_VSCODE_CACHE || join(homedir(), '.cache/keepalived-ls-vscode'), 'code-server-4.100.3/node_modules/.bin/code-server'),
    },
    screenshots: { type: 'string', default: process.env.E2E_SCREENSHOTS || join(root, 'screenshots') },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
    keep: { type: 'boolean', default: process.env.E2E_KEEP === '1' },
  },
});
const STEP_TIMEOUT = Number(process.env.E2E_STEP_TIMEOUT_MS || 30000);
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const log = (msg) => console.error(`[${elapsed()}] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (const [name, p] of [['--vsix', opt.vsix], ['--code-server', opt['code-server']], ['--chromium', opt.chromium]]) {
  if (!p || !existsSync(p)) {
    console.error(`e2e: ${name} ${p ?? '(missing)'} does not exist`);
    process.exit(2);
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'keepalived-vscode-e2e-'));
const ws = join(tmp, 'workspace');
const userData = join(tmp, 'user-data');
const extDir = join(tmp, 'extensions');
const serverLog = join(tmp, 'keepalived-ls.log');
const csLog = join(tmp, 'code-server.log');
cpSync(join(root, 'test/fixtures/workspace'), ws, { recursive: true });
mkdirSync(join(userData, 'User'), { recursive: true });
writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'window.commandCenter': false,
  'editor.minimap.enabled': false,
  'editor.stickyScroll.enabled': false,
  'editor.hover.delay': 100,
  'editor.lightbulb.enabled': 'off',
  'keepalived.server.args': ['--log-level', 'debug', '--log-file', serverLog],
  'keepalived.files.associations': ['*.vrrp'],
}, null, 2));
// Isolated HOME and XDG directories: nothing from the user's own VS Code or code-server.
const env = {
  ...process.env,
  HOME: join(tmp, 'home'),
  XDG_CONFIG_HOME: join(tmp, 'home/.config'),
  XDG_DATA_HOME: join(tmp, 'home/.local/share'),
  XDG_CACHE_HOME: join(tmp, 'home/.cache'),
  // Only the bundled server may be found: no keepalived-ls from PATH.
  PATH: (process.env.PATH || '').split(':').filter((d) => d && !existsSync(join(d, 'keepalived-ls'))).join(':'),
};
delete env.VSCODE_IPC_HOOK_CLI;
mkdirSync(env.XDG_CONFIG_HOME, { recursive: true });

const checks = [];
let browser;
let codeServer;
let page;
let failed = false;

function pass(name, detail = '') {
  checks.push({ ok: true, name });
  log(`ok   ${name}${detail ? ` (${detail})` : ''}`);
}

class StepError extends Error {}

/**
 * Runs one check. A failed check stops the run, unless it is `soft` (later
 * checks do not depend on it): then it is reported and the run goes on.
 */
async function step(name, fn, { soft = false } = {}) {
  try {
    const detail = await fn();
    pass(name, typeof detail === 'string' ? detail : '');
  } catch (e) {
    checks.push({ ok: false, name });
    const msg = `FAIL ${name}: ${e && e.message ? e.message.split('\n').slice(0, 6).join('\n     ') : e}`;
    if (!soft) throw new StepError(msg);
    failed = true;
    console.error(`[${elapsed()}] ${msg}`);
    if (page) await page.screenshot({ path: join(tmp, `failure-${checks.length}.png`) }).catch(() => {});
  }
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

async function shot(name, clip) {
  mkdirSync(opt.screenshots, { recursive: true });
  const path = join(opt.screenshots, `${name}.png`);
  await page.screenshot({ path, clip });
  return path;
}

/** Text of the Problems panel rows (one string per row). */
async function problemRows() {
  return page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) => rows.map((r) => r.textContent.replace(/\s+/g, ' ').trim()));
}

/** Bounding box of the first occurrence of `text` in line `lineText` of the editor. */
async function wordBox(lineText, text) {
  const line = page.locator('.monaco-editor .view-lines .view-line', { hasText: lineText }).first();
  await line.waitFor({ timeout: STEP_TIMEOUT });
  return line.evaluate((el, word) => {
    // Monaco renders spaces as U+00A0: search the text nodes for the word.
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent.replace(/\u00a0/g, ' ').indexOf(word);
      if (i < 0) continue;
      const range = document.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + word.length);
      const r = range.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }
    return null;
  }, text);
}

/** Moves the cursor with Go to Line (Ctrl+G), which also scrolls the line into view. */
async function gotoLine(pos) {
  await page.keyboard.press('Control+1'); // focus the editor
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${pos}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

function sectionClip(selector) {
  return page.locator(selector).first().boundingBox();
}

async function main() {
  // 1. install the .vsix into a private extensions directory
  await step('extension installs from the .vsix', async () => {
    const r = spawnSync(opt['code-server'], ['--user-data-dir', userData, '--extensions-dir', extDir,
      '--install-extension', resolve(opt.vsix), '--force'], { env, encoding: 'utf8', timeout: 60000 });
    const out = `${r.stdout}${r.stderr}`;
    if (r.status !== 0 || !/successfully installed/i.test(out)) throw new Error(`code-server --install-extension exited ${r.status}: ${out.trim()}`);
    return out.match(/Extension '[^']+'/)?.[0] ?? '';
  });

  // 2. code-server, then Chromium on the workbench
  const port = await freePort();
  const logFd = openSync(csLog, 'w');
  codeServer = spawn(opt['code-server'], ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', userData, '--extensions-dir', extDir, ws], { env, detached: true, stdio: ['ignore', logFd, logFd] });
  await step('code-server serves the workbench', async () => {
    const deadline = Date.now() + STEP_TIMEOUT;
    for (;;) {
      if (codeServer.exitCode !== null) throw new Error(`code-server exited with ${codeServer.exitCode}`);
      try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return `port ${port}`; } catch { /* not yet */ }
      if (Date.now() > deadline) throw new Error('no answer on /healthz');
      await sleep(100);
    }
  });

  browser = await chromium.launch({
    executablePath: opt.chromium,
    headless: true,
    env, // its HOME too: Chromium writes crash reports below ~/.config
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic', '--disable-default-apps'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
  await step('workbench loads', async () => {
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'keepalived.conf' }).waitFor();
  });

  // 3. open keepalived.conf from the Explorer
  await step('keepalived.conf opens as language keepalived', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'keepalived.conf' }).dblclick();
    await page.locator('.monaco-editor .view-lines .view-line', { hasText: 'virtual_server' }).first().waitFor();
    // the language indicator in the status bar
    const mode = page.locator('#status\\.editor\\.mode');
    await mode.filter({ hasText: 'Keepalived' }).waitFor();
    return (await mode.textContent()).trim();
  });

  // 4. the server starts: status bar item
  const status = page.locator('.statusbar-item[id$="keepalived.status"]');
  await step('status bar shows the server running (bundled binary)', async () => {
    await page.locator('.statusbar-item[aria-label^="keepalived-ls running"]').waitFor();
    await status.hover();
    const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Version' }).first();
    await hover.waitFor();
    const text = (await hover.textContent()).replace(/\s+/g, ' ');
    if (!/keepalived-ls: running/.test(text)) throw new Error(`tooltip: ${text}`);
    if (!/keepalived-ls .*keyword schema/.test(text)) throw new Error(`tooltip has no server version: ${text}`);
    if (!/\(bundled\)/.test(text)) throw new Error(`tooltip does not name the bundled server: ${text}`);
    const box = await hover.boundingBox();
    const vp = page.viewportSize();
    const x = Math.max(0, Math.min(box.x, vp.width - 560));
    await shot('status-bar', { x, y: box.y - 10, width: vp.width - x, height: vp.height - box.y + 10 });
    await page.mouse.move(640, 12); // the title bar: no tooltip there
    return text.match(/Version: ([^S]*?)(?= Server|$)/)?.[1]?.trim() ?? '';
  });

  // 5. diagnostics in the Problems panel
  await page.keyboard.press('Control+Shift+M');
  const duplicateMsg = 'real_server 10.0.0.11 is already declared in this virtual_server';
  const typoMsg = "unknown keyword 'priorty' in 'vrrp_instance'; did you mean 'priority'?";
  const authMsg = 'auth_pass is 14 characters long';
  await step('Problems panel lists the expected diagnostics', async () => {
    await page.locator('.markers-panel').waitFor();
    const deadline = Date.now() + STEP_TIMEOUT;
    let rows = [];
    for (;;) {
      rows = await problemRows();
      if ([duplicateMsg, typoMsg, authMsg].every((m) => rows.some((r) => r.includes(m)))) break;
      if (Date.now() > deadline) throw new Error(`rows: ${JSON.stringify(rows)}`);
      await sleep(200);
    }
    const dup = rows.find((r) => r.includes(duplicateMsg));
    if (!/duplicate-real-server/.test(dup)) throw new Error(`no rule id in: ${dup}`);
    if (!/\[Ln 33, Col 5\]/.test(dup)) throw new Error(`wrong position in: ${dup}`);
    await shot('problems');
    return `${rows.filter((r) => /^\S.*\[Ln /.test(r) && !/^keepalived\.conf\[Ln/.test(r)).length} problems`;
  });

  // 6. hover on a keyword shows its documentation
  await step('hover on lb_kind shows keyword documentation', async () => {
    await page.keyboard.press('Control+J'); // close the panel: more room for the hover
    await page.locator('.markers-panel').waitFor({ state: 'hidden' });
    await gotoLine('24');
    const box = await wordBox('lb_kind NAT', 'lb_kind');
    if (!box) throw new Error('lb_kind not found in the editor');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = page.locator('.monaco-editor .monaco-hover').filter({ hasText: 'keyword in' }).first();
    await hover.waitFor();
    const text = (await hover.textContent()).replace(/\s+/g, ' ');
    if (!/lb_kind — keyword in virtual_server/.test(text)) throw new Error(`hover: ${text}`);
    if (!/lb_kind <method>/.test(text)) throw new Error(`hover without usage: ${text}`);
    const hb = await hover.boundingBox();
    const eb = await sectionClip('.part.editor');
    const y = Math.max(eb.y, Math.min(hb.y, box.y) - 40);
    await shot('hover', { x: eb.x, y, width: eb.width, height: Math.min(eb.y + eb.height, Math.max(hb.y + hb.height, box.y + box.height) + 40) - y });
    await page.mouse.move(640, 12); // the title bar: no tooltip there
    await hover.waitFor({ state: 'hidden' }).catch(() => {});
    return text.slice(0, 60) + '…';
  });

  // 7. the quick fix for the duplicate real_server
  await step('quick fix "Delete this duplicate real_server" is offered on Ctrl+.', async () => {
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').waitFor();
    // the second "real_server 10.0.0.11" (the one without a port), where the diagnostic is
    await gotoLine('33:5');
    const box = await wordBox('real_server 10.0.0.11 {', 'real_server');
    if (!box) throw new Error('duplicate real_server line not found');
    await page.keyboard.press('Control+.');
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Delete this duplicate real_server' });
    await item.waitFor();
    const titles = await page.locator('.action-widget .monaco-list-row').allTextContents();
    const wb = await page.locator('.action-widget').boundingBox();
    const eb = await sectionClip('.part.editor');
    const y = Math.max(eb.y, Math.min(wb.y, box.y) - 60);
    await shot('quick-fix', { x: eb.x, y, width: eb.width, height: Math.min(eb.y + eb.height, Math.max(wb.y + wb.height, box.y + box.height) + 40) - y });
    // choose it with the keyboard (the widget animates in, which makes clicks flaky)
    for (let i = 0; i < 6 && !(await item.evaluate((el) => el.classList.contains('focused'))); i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    return titles.map((t) => t.trim()).filter(Boolean).join(' | ');
  });

  await step('applying the quick fix removes the block and its diagnostic', async () => {
    const deadline = Date.now() + STEP_TIMEOUT;
    let rows = [];
    for (;;) {
      rows = await problemRows();
      if (!rows.some((r) => r.includes(duplicateMsg)) && rows.some((r) => r.includes(typoMsg))) break;
      if (Date.now() > deadline) throw new Error(`rows still: ${JSON.stringify(rows)}`);
      await sleep(200);
    }
    const lines = await page.locator('.monaco-editor .view-lines .view-line').allTextContents();
    const rs = lines.map((l) => l.replace(/\u00a0/g, ' ')).filter((l) => l.includes('real_server 10.0.0.11'));
    if (rs.length !== 1) throw new Error(`real_server lines in the editor: ${JSON.stringify(rs)}`);
    await gotoLine('24');
    await shot('after-fix');
    return `${rows.filter((r) => /\[Ln /.test(r) && !/^keepalived\.conf\[Ln/.test(r)).length} problems left`;
  });

  // 8. settings changes reach the server (workspace/didChangeConfiguration)
  await step('keepalived.rules from workspace settings apply', async () => {
    mkdirSync(join(ws, '.vscode'), { recursive: true });
    writeFileSync(join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'keepalived.rules': { 'auth-pass-truncated': 'off' } }, null, 2));
    // VS Code notices the file within a few seconds; the server applies it at once
    const deadline = Date.now() + Math.min(STEP_TIMEOUT, 15000);
    let rows = [];
    for (;;) {
      rows = await problemRows();
      if (!rows.some((r) => r.includes(authMsg)) && rows.some((r) => r.includes(typoMsg))) break;
      if (Date.now() > deadline) {
        const log = existsSync(serverLog) ? readFileSync(serverLog, 'utf8') : '';
        const applied = log.includes('"rules":{"auth-pass-truncated":"off"}');
        throw new Error(applied
          ? 'the server applied the new settings (see its log) but VS Code never pulled the new diagnostics: a pull-diagnostics server must send workspace/diagnostic/refresh when settings change'
          : `the server did not receive the new settings; Problems: ${JSON.stringify(rows)}`);
      }
      await sleep(200);
    }
  }, { soft: true });

  // 9. the restart command
  await step('Keepalived: Restart Language Server restarts it with the settings', async () => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('>Keepalived: Restart Language Server');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Restart Language Server' }).first().waitFor();
    await page.keyboard.press('Enter');
    // the server log shows a second start
    const deadline = Date.now() + STEP_TIMEOUT;
    for (;;) {
      const starts = existsSync(serverLog) ? (readFileSync(serverLog, 'utf8').match(/"msg":"starting"/g) || []).length : 0;
      if (starts >= 2 && await page.locator('.statusbar-item[aria-label^="keepalived-ls running"]').count()) break;
      if (Date.now() > deadline) throw new Error(`server starts in the log: ${starts}`);
      await sleep(200);
    }
    // the new server got the settings in initializationOptions
    const inits = readFileSync(serverLog, 'utf8').split('\n').filter((l) => l.includes('"msg":"initialize"'));
    if (!inits.at(-1)?.includes('"auth-pass-truncated":"off"')) throw new Error(`initialize after restart: ${inits.at(-1)}`);
    const deadline2 = Date.now() + STEP_TIMEOUT;
    let rows = [];
    for (;;) {
      rows = await problemRows();
      if (rows.some((r) => r.includes(typoMsg)) && !rows.some((r) => r.includes(authMsg))) break;
      if (Date.now() > deadline2) throw new Error(`diagnostics after restart: ${JSON.stringify(rows)}`);
      await sleep(200);
    }
  });

  // 10. keepalived.files.associations
  await step('keepalived.files.associations makes lb.vrrp a keepalived file', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'lb.vrrp' }).dblclick();
    await page.locator('.monaco-editor .view-lines .view-line', { hasText: 'chk_haproxy' }).first().waitFor();
    await page.locator('#status\\.editor\\.mode').filter({ hasText: 'Keepalived' }).waitFor();
    await page.locator('.statusbar-item[aria-label^="keepalived-ls running"]').waitFor();
  }, { soft: true });

  // 11. the effective configuration view (server command keepalived.showExpanded)
  await step('Keepalived: Show Effective Configuration opens the expanded file beside it', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'keepalived-expand.conf' }).dblclick();
    await page.locator('.monaco-editor .view-lines .view-line', { hasText: '${VIP}/24' }).first().waitFor();
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('>Keepalived: Show Effective Configuration');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Show Effective Configuration' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'keepalived-expand.conf (expanded)' }).first().waitFor();
    // the reference and the include are expanded in the new editor
    const line = (text) => page.locator('.monaco-editor .view-lines .view-line', { hasText: text }).first().waitFor();
    await line('10.20.30.40/24');
    await line('# from vips.inc:1');
    await line('10.20.30.41/24');
    await shot('effective-config');
  }, { soft: true });

  if (pageErrors.length) log(`page errors (not failures): ${pageErrors.slice(0, 3).join(' | ')}`);
}

async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  if (codeServer && codeServer.exitCode === null) {
    // code-server, its extension host and keepalived-ls share one process group
    try { process.kill(-codeServer.pid, 'SIGTERM'); } catch { /* gone */ }
    for (let i = 0; i < 30 && codeServer.exitCode === null; i++) await sleep(100);
    try { process.kill(-codeServer.pid, 'SIGKILL'); } catch { /* gone */ }
  }
}

function tail(file, n) {
  if (!existsSync(file)) return `(no ${file})`;
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
}

const hardTimeout = setTimeout(() => {
  console.error(`e2e: FAIL overall timeout after ${elapsed()}`);
  cleanup().finally(() => process.exit(1));
}, Number(process.env.E2E_TOTAL_TIMEOUT_MS || 240000));

try {
  await main();
} catch (e) {
  failed = true;
  console.error(e instanceof StepError ? e.message : `FAIL ${e && e.stack || e}`);
  if (page) {
    const p = join(tmp, 'failure.png');
    await page.screenshot({ path: p }).then(() => console.error(`     screenshot of the failure: ${p}`), () => {});
  }
  console.error(`--- code-server log (${csLog}) ---\n${tail(csLog, 25)}`);
  console.error(`--- keepalived-ls log (${serverLog}) ---\n${tail(serverLog, 15)}`);
} finally {
  clearTimeout(hardTimeout);
  await cleanup();
}
const passed = checks.filter((c) => c.ok).length;
console.error(`e2e: ${passed} passed, ${checks.length - passed} failed, ${elapsed()}${failed || opt.keep ? ` (files kept in ${tmp})` : ''}`);
if (!failed && !opt.keep) rmSync(tmp, { recursive: true, force: true });
process.exit(failed ? 1 : 0);

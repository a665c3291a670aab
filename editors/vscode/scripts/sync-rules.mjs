// Keeps the per-rule entries of the `keepalived.rules` setting in package.json
// in step with the rule index, docs/rules/README.md (rule id, default
// severity, summary), so that settings.json offers completion for rule ids.
//
//   node scripts/sync-rules.mjs           rewrite package.json
//   node scripts/sync-rules.mjs --check   exit 1 if package.json is out of date
//   node scripts/sync-rules.mjs --out F   write the updated package.json to F (package.sh)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const index = readFileSync(join(here, '..', '..', 'docs', 'rules', 'README.md'), 'utf8');
const pkgPath = join(here, 'package.json');
const pkgText = readFileSync(pkgPath, 'utf8');
const pkg = JSON.parse(pkgText);

const base = 'https://github.com/keepalived-ls/keepalived-ls/blob/HEAD/docs/rules/';
const severities = ['error', 'warning', 'information', 'hint', 'off'];
const rules = {};
// | [unknown-keyword](unknown-keyword.md) | error | the keyword is not valid in this block |
const row = /^\| \[([a-z0-9-]+)\]\(\1\.md\) \| ([a-z]+)( ¹)? \| (.+) \|$/;
for (const line of index.split('\n')) {
  const m = row.exec(line.trim());
  if (!m) continue;
  const [, id, severity, depends, summary] = m;
  const def = depends ? `${severity} (depends on the case)` : severity;
  rules[id] = {
    type: 'string',
    enum: severities,
    markdownDescription: `[${id}](${base}${id}.md): ${summary.replace(/\.$/, '')}. Default: ${def}.`,
  };
}
if (Object.keys(rules).length < 10) {
  console.error(`sync-rules: found only ${Object.keys(rules).length} rules in docs/rules/README.md; has its table changed?`);
  process.exit(1);
}
pkg.contributes.configuration.properties['keepalived.rules'].properties = rules;
const out = JSON.stringify(pkg, null, 2) + '\n';
if (process.argv.includes('--check')) {
  if (out !== pkgText) {
    console.error('sync-rules: package.json is out of date with docs/rules/README.md; run `npm run rules:sync` in editors/vscode');
    process.exit(1);
  }
  console.log(`sync-rules: ${Object.keys(rules).length} rules up to date`);
} else if (process.argv.includes('--out')) {
  writeFileSync(process.argv[process.argv.indexOf('--out') + 1], out);
} else {
  writeFileSync(pkgPath, out);
  console.log(`sync-rules: wrote ${Object.keys(rules).length} rules to package.json`);
}

#!/usr/bin/env python3
"""Record, for every keyword path, the first keepalived release that accepts it.

Runs ../shared/reference/extract_keywords.py on every v2.x tag of a keepalived
git clone and writes parser/schema/data/history.json:

    {"tags": [...], "paths": {"vrrp_instance > auth_hmac": {"added": "2.4.0",
                                                            "quoted_since": null}, ...}}

Usage: tools/keyword-history.py KEEPALIVED_GIT_DIR [EXTRACTOR] > parser/schema/data/history.json
Only keyword names and versions are recorded (facts), no keepalived text.
"""
import json, os, re, subprocess, sys, tempfile

git_dir = sys.argv[1]
extractor = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(__file__), '..', '..', 'shared', 'reference', 'extract_keywords.py')

def vkey(t):
    return tuple(int(x) for x in re.findall(r'\d+', t))

tags = subprocess.run(['git', '--git-dir', git_dir, 'tag'], capture_output=True, text=True,
                      check=True).stdout.split()
tags = sorted([t for t in tags if re.fullmatch(r'v2\.\d+\.\d+', t)], key=vkey)

first, quoted = {}, {}
with tempfile.TemporaryDirectory() as tmp:
    for t in tags:
        out = os.path.join(tmp, t + '.json')
        subprocess.run([sys.executable, extractor, '--git-dir', git_dir, '--rev', t, '-o', out],
                       check=True, capture_output=True)
        for n in json.load(open(out)):
            p = ' > '.join(n['path'])
            first.setdefault(p, t[1:])
            if n.get('quoted'):
                quoted.setdefault(p, t[1:])

json.dump({'tags': [t[1:] for t in tags],
           'paths': {p: {'added': first[p], 'quoted_since': quoted.get(p)} for p in sorted(first)}},
          sys.stdout, indent=1, sort_keys=True)
print()

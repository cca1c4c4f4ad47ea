#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every help page the app opens (F1, the menu) exists in English and Dutch.

Collects the page ids the sources of src/app name: literals "help:meldwijzer/<id>" and the
`return "<id>";` statements of functions whose name contains "help_page"."""
import pathlib
import re
import sys

root, nl_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
c_dir = root / 'help' / 'C'
ids = {}
for path in sorted((root / 'src' / 'app').rglob('*.c')):
    text = path.read_text(encoding='utf-8', errors='replace')
    for m in re.finditer(r'"help:meldwijzer/([A-Za-z0-9_-]+)', text):
        ids.setdefault(m.group(1), f'{path.relative_to(root)}:{text.count(chr(10), 0, m.start()) + 1}')
    for fn in re.finditer(r'\n\w[^\n;]*help_page\w*\s*\([^)]*\)\s*\{', text):
        depth, i = 1, fn.end()
        while depth and i < len(text):
            depth += {'{': 1, '}': -1}.get(text[i], 0)
            i += 1
        body = text[fn.end():i]
        for m in re.finditer(r'return\s+"([A-Za-z0-9_-]+)"\s*;', body):
            ids.setdefault(m.group(1), f'{path.relative_to(root)}:{text.count(chr(10), 0, fn.end() + m.start()) + 1}')
if not ids:
    print('SKIP: the app names no help page yet')
    sys.exit(77)
failed = 0
for page_id, where in sorted(ids.items()):
    for d in (c_dir, nl_dir):
        if not (d / f'{page_id}.page').is_file():
            print(f'FAIL: {where} opens help:meldwijzer/{page_id}, but {d}/{page_id}.page does not exist')
            failed += 1
    if not failed:
        print(f'ok: {page_id} ({where})')
sys.exit(1 if failed else 0)

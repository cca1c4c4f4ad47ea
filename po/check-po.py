#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""For every language in po/LINGUAS: `msgfmt --check --statistics` must succeed
and report only translated messages (no fuzzy, no untranslated)."""
import os
import pathlib
import re
import subprocess
import sys
import tempfile

msgfmt, podir = sys.argv[1], pathlib.Path(sys.argv[2])
langs = [l.strip() for l in (podir / 'LINGUAS').read_text().splitlines()
         if l.strip() and not l.startswith('#')]
if not langs:
    print('FAIL: po/LINGUAS lists no language')
    sys.exit(1)

failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for lang in langs:
        po = podir / f'{lang}.po'
        proc = subprocess.run(
            [msgfmt, '--check', '--statistics', '-o', os.path.join(tmp, f'{lang}.mo'), str(po)],
            capture_output=True, text=True, env=dict(os.environ, LC_ALL='C'))
        out = (proc.stdout + proc.stderr).strip()
        print(f'{lang}: {out}')
        if proc.returncode != 0:
            print(f'FAIL: {po}: msgfmt --check failed')
            failed += 1
            continue
        m = re.search(r'(\d+) translated message', out)
        if not m or int(m.group(1)) == 0:
            print(f'FAIL: {po}: no translated messages')
            failed += 1
        if re.search(r'fuzzy translation', out) or re.search(r'untranslated message', out):
            print(f'FAIL: {po}: every message must be translated and none may be fuzzy; '
                  f'run `meson compile meldwijzer-update-po` and translate the rest')
            failed += 1
        # Every message in the sources must be in the catalogue: build a fresh
        # template from POTFILES.in (as meldwijzer-pot does) and compare.
        pot = os.path.join(tmp, 'meldwijzer.pot')
        root = podir.parent
        xgettext = subprocess.run(
            ['xgettext', '--from-code=UTF-8', '--add-comments=Translators',
             '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
             '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3',
             '--keyword=g_dpgettext2:2c,3',
             '-D', str(root), '--files-from', str(podir / 'POTFILES.in'), '-o', pot],
            capture_output=True, text=True, env=dict(os.environ, LC_ALL='C'))
        if xgettext.returncode != 0:
            print(xgettext.stderr.strip())
            print('FAIL: xgettext could not extract the template from po/POTFILES.in')
            failed += 1
            continue
        cmp = subprocess.run(['msgcmp', str(po), pot],
                             capture_output=True, text=True, env=dict(os.environ, LC_ALL='C'))
        if cmp.returncode != 0:
            missing = [l for l in cmp.stderr.splitlines() if 'this message' in l]
            print(cmp.stderr.strip()[:4000])
            print(f'FAIL: {po} lacks {len(missing) or "some"} message(s) of the sources; run '
                  f'`meson compile meldwijzer-pot meldwijzer-update-po` and translate them')
            failed += 1

sys.exit(1 if failed else 0)

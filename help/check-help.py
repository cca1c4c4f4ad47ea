#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every xref in the help resolves (`yelp-check links`), no page is an orphan
(`yelp-check orphans`), in English and in the built Dutch pages; the Dutch
pages are really translated (their titles differ from the English ones); and
help/nl/nl.po is complete: every message of a fresh itstool template is in it,
translated and not fuzzy."""
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

yelp_check, c_dir, nl_dir = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
NS = {'m': 'http://projectmallard.org/1.0/'}
failed = 0
for d in (c_dir, nl_dir):
    for check in ('links', 'orphans'):
        proc = subprocess.run([yelp_check, check, str(d)], capture_output=True, text=True)
        out = (proc.stdout + proc.stderr).strip()
        if proc.returncode != 0 or out:
            print(f'FAIL: yelp-check {check} {d}:\n{out}')
            failed += 1
        else:
            print(f'ok: yelp-check {check} {d}')

untranslated = []
for page in sorted(c_dir.glob('*.page')):
    nl_page = nl_dir / page.name
    if not nl_page.exists():
        print(f'FAIL: {nl_page} was not built')
        failed += 1
        continue
    c_title = ET.parse(page).getroot().find('m:title', NS)
    nl_title = ET.parse(nl_page).getroot().find('m:title', NS)
    if nl_title is None or c_title is None:
        print(f'FAIL: {page.name}: no <title>')
        failed += 1
    elif ''.join(c_title.itertext()) == ''.join(nl_title.itertext()) and page.stem != 'index':
        untranslated.append(page.name)
# nl.po against a template extracted now from the English pages.
env = dict(os.environ, LC_ALL='C')
po = c_dir.parent / 'nl' / 'nl.po'
with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, 'help.pot')
    pages = sorted(str(p) for p in c_dir.glob('*.page'))
    proc = subprocess.run(['itstool', '-o', pot] + pages, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        print(f'FAIL: itstool could not extract the help template:\n{proc.stderr}')
        failed += 1
    else:
        cmp = subprocess.run(['msgcmp', str(po), pot], capture_output=True, text=True, env=env)
        if cmp.returncode != 0:
            print(cmp.stderr.strip()[:4000])
            print(f'FAIL: {po} lacks messages of the English pages; run '
                  f'`meson compile help-meldwijzer-update-po` and translate them')
            failed += 1
    stats = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.devnull, str(po)],
                           capture_output=True, text=True, env=env)
    out = (stats.stdout + stats.stderr).strip()
    print(f'help nl: {out}')
    if stats.returncode != 0 or re.search(r'fuzzy|untranslated', out):
        print(f'FAIL: {po} must have every message translated and none fuzzy')
        failed += 1

if untranslated:
    print(f'FAIL: Dutch pages with an English title: {", ".join(untranslated)}')
    failed += 1
sys.exit(1 if failed else 0)

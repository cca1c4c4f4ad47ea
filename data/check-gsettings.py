#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The schema compiled into the build directory (what `meson devenv` and the tests
use through GSETTINGS_SCHEMA_DIR) is loadable, has the documented defaults and no key the
app does not read."""
import os
import subprocess
import sys

gsettings, schemadir = sys.argv[1], sys.argv[2]
SCHEMA = 'io.github.meldwijzer.Meldwijzer'
EXPECTED = {
    'window-width': '900',
    'window-height': '760',
    'window-maximized': 'false',
    'last-draft-id': "''",
    'last-draft-page': "''",
}
env = dict(os.environ, GSETTINGS_SCHEMA_DIR=schemadir, GSETTINGS_BACKEND='memory', LC_ALL='C')
failed = 0
keys = subprocess.run([gsettings, 'list-keys', SCHEMA], capture_output=True, text=True, env=env)
if keys.returncode != 0:
    print(f'FAIL: schema {SCHEMA} is not in {schemadir}: {keys.stderr.strip()}')
    sys.exit(1)
have = set(keys.stdout.split())
for key in EXPECTED:
    if key not in have:
        print(f'FAIL: key {key} is missing from {SCHEMA}')
        failed += 1
# Every key has a reader in the app (src/app/mw-window.c): no settings that do nothing.
for key in sorted(have - set(EXPECTED)):
    print(f'FAIL: key {key} is not read by the app; remove it or list it here with its reader')
    failed += 1
for key, want in EXPECTED.items():
    if key not in have:
        continue
    got = subprocess.run([gsettings, 'get', SCHEMA, key], capture_output=True, text=True,
                         env=env).stdout.strip()
    if got != want:
        print(f'FAIL: {key} defaults to {got}, expected {want}')
        failed += 1
    else:
        print(f'ok: {key} = {got}')
sys.exit(1 if failed else 0)

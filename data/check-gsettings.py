#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The schema compiled into the build directory (what `meson devenv` and the tests
use through GSETTINGS_SCHEMA_DIR) is loadable and has the documented defaults."""
import os
import subprocess
import sys

gsettings, schemadir = sys.argv[1], sys.argv[2]
SCHEMA = 'io.github.meldwijzer.Meldwijzer'
EXPECTED = {
    'training-mode': 'true',
    'regime': "'nl-cbw'",
    'language': "''",
    'last-draft-id': "''",
    'window-maximized': 'false',
}
env = dict(os.environ, GSETTINGS_SCHEMA_DIR=schemadir, GSETTINGS_BACKEND='memory', LC_ALL='C')
failed = 0
keys = subprocess.run([gsettings, 'list-keys', SCHEMA], capture_output=True, text=True, env=env)
if keys.returncode != 0:
    print(f'FAIL: schema {SCHEMA} is not in {schemadir}: {keys.stderr.strip()}')
    sys.exit(1)
have = set(keys.stdout.split())
for key in ('window-width', 'window-height', *EXPECTED):
    if key not in have:
        print(f'FAIL: key {key} is missing from {SCHEMA}')
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

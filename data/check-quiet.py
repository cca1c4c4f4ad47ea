#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs a validator and fails when it exits non-zero OR prints anything at all.

desktop-file-validate, glib-compile-schemas --dry-run and xmllint --noout print
nothing for a clean file, but several of them exit 0 on warnings and hints.
"""
import subprocess
import sys

if len(sys.argv) < 2:
    print('usage: check-quiet.py PROGRAM [ARGS...]', file=sys.stderr)
    sys.exit(2)

proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
output = (proc.stdout + proc.stderr).strip()
if output:
    print(output)
if proc.returncode != 0:
    print(f'FAIL: {sys.argv[1]} exited with status {proc.returncode}')
    sys.exit(1)
if output:
    print(f'FAIL: {sys.argv[1]} reported the issues above (warnings and hints count)')
    sys.exit(1)
print(f'ok: {" ".join(sys.argv[1:])}')

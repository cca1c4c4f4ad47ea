#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every *.json file in the given directory parses as JSON (strictly: no NaN, no
duplicate keys) and is a JSON object. The directory must hold at least one."""
import json
import pathlib
import sys


def no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f'duplicate key "{key}"')
        seen[key] = value
    return seen


def no_constant(name):
    raise ValueError(f'{name} is not JSON')


directory = pathlib.Path(sys.argv[1])
files = sorted(directory.glob('*.json'))
if not files:
    print(f'FAIL: {directory}: no *.json files')
    sys.exit(1)

failed = 0
for path in files:
    try:
        with path.open(encoding='utf-8') as f:
            doc = json.load(f, object_pairs_hook=no_duplicates, parse_constant=no_constant)
        if not isinstance(doc, dict):
            raise ValueError('the top level is not an object')
        print(f'ok: {path.name}')
    except (ValueError, UnicodeDecodeError) as e:
        print(f'FAIL: {path}: {e}')
        failed += 1

sys.exit(1 if failed else 0)

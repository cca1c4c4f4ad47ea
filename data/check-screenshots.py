#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every screenshot the metainfo names must exist as a PNG in data/screenshots/.

The UI test writes them there. Until that directory exists at all, the test is
skipped (exit 77); once it exists, a missing or broken file fails."""
import pathlib
import sys
import xml.etree.ElementTree as ET

PREFIX = 'https://raw.githubusercontent.com/meldwijzer/meldwijzer/main/data/screenshots/'

metainfo, shots = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
images = [e.text.strip() for e in ET.parse(metainfo).getroot().iter('image')]
if not images:
    print(f'FAIL: {metainfo}: no <image> in <screenshots>')
    sys.exit(1)

failed = 0
for url in images:
    if not url.startswith(PREFIX):
        print(f'FAIL: {url}: screenshots must point at {PREFIX}')
        failed += 1
if failed:
    sys.exit(1)

if not shots.is_dir():
    print(f'SKIP: {shots} does not exist yet (the UI test creates it)')
    sys.exit(77)

for url in images:
    path = shots / url[len(PREFIX):]
    try:
        with path.open('rb') as f:
            head = f.read(24)
    except OSError as e:
        print(f'FAIL: {path}: {e.strerror}; the metainfo names it')
        failed += 1
        continue
    if head[:8] != b'\x89PNG\r\n\x1a\n':
        print(f'FAIL: {path}: not a PNG file')
        failed += 1
        continue
    width = int.from_bytes(head[16:20], 'big')
    height = int.from_bytes(head[20:24], 'big')
    if width < 620 or height < 350:
        print(f'FAIL: {path}: {width}x{height} is smaller than 620x350')
        failed += 1
        continue
    print(f'ok: {path.name} {width}x{height}')

sys.exit(1 if failed else 0)

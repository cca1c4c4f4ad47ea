#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The help names controls and steps as the app shows them: every <gui> text in the English
pages (help/C) is a text of the interface in English, every <gui> text of the Dutch help
(help/nl/nl.po) one in Dutch, from po/nl.po or the regime files, mnemonics left out. When a
label in the app changes, this fails until the help says the same.

usage: check-help-gui.py SOURCE_ROOT
"""

import glob
import os
import re
import sys

sys.path.insert(0, os.path.join(sys.argv[1], "tests"))
from ui_texts import no_mnemonic, parse_po, regime_labels  # noqa: E402

root = sys.argv[1]
app = parse_po(os.path.join(root, "po", "nl.po"))
regimes = regime_labels(root)
english = {no_mnemonic(t) for t in list(app) + list(regimes)}
dutch = {no_mnemonic(t) for t in list(app.values()) + list(regimes.values())}
GUI = re.compile(r"<gui>(.*?)</gui>", re.S)

failures, checked = [], 0
for page in sorted(glob.glob(os.path.join(root, "help", "C", "*.page"))):
    with open(page, encoding="utf-8") as f:
        for text in GUI.findall(f.read()):
            checked += 1
            if " ".join(text.split()) not in english:
                failures.append(f"{os.path.relpath(page, root)}: <gui>{text}</gui> is not a text of the app")
for msgid, msgstr in parse_po(os.path.join(root, "help", "nl", "nl.po")).items():
    for text in GUI.findall(msgstr):
        checked += 1
        if " ".join(text.split()) not in dutch:
            failures.append(f"help/nl/nl.po: <gui>{text}</gui> is not a Dutch text of the app")

print("1..1")
for failure in failures:
    print("#", failure)
if checked == 0:
    failures.append("no <gui> texts found")
print(("not ok" if failures else "ok") + f" 1 - {checked} <gui> texts name what the app shows")
sys.exit(1 if failures else 0)

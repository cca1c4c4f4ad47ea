# SPDX-License-Identifier: GPL-3.0-or-later
"""The interface's texts in English and Dutch, read from po/nl.po and the regime files, for the
tests that look for them (the end-to-end wizard test, the help's <gui> check)."""

import glob
import json
import os

SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_po(path):
    """msgid -> msgstr of the translated, non-fuzzy singular messages of a .po file."""
    messages = {}
    with open(path, encoding="utf-8") as f:
        blocks = f.read().split("\n\n")
    for block in blocks:
        entry, field, fuzzy = {}, None, False
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"'):
                if field:
                    entry[field] += json.loads(line)
            else:
                field, _, rest = line.partition(" ")
                entry[field] = json.loads(rest)
        msgid, msgstr = entry.get("msgid"), entry.get("msgstr")
        if msgid and msgstr and not fuzzy and "msgid_plural" not in entry and "msgctxt" not in entry:
            messages[msgid] = msgstr
    return messages


def regime_labels(source_root=SOURCE_ROOT):
    """English -> Dutch of every {"en": ..., "nl": ...} text in the regime files."""
    labels = {}

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("en"), str) and isinstance(node.get("nl"), str):
                labels.setdefault(node["en"], node["nl"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    for path in sorted(glob.glob(os.path.join(source_root, "data", "regimes", "*.json"))):
        with open(path, encoding="utf-8") as f:
            walk(json.load(f))
    return labels


def no_mnemonic(text):
    return text.replace("_", "")

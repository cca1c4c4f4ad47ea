#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keeps po/POTFILES.in equal to the set of files that hold translatable strings.

  update-potfiles.py SRCROOT          rewrite po/POTFILES.in
  update-potfiles.py --check SRCROOT  fail if a file with strings is missing from
                                      it, or if it lists a file that does not exist
  update-potfiles.py --check-macros SRCROOT
                                      fail if a translatable literal contains a GLib
                                      format macro (G_GSIZE_FORMAT …), which truncates
                                      the msgid so that it can never be translated

C sources count when they call _(), N_(), C_(), NC_() or g_dngettext() with a
literal; GtkBuilder .ui files when a property is translatable="yes". The desktop
file, the metainfo and the GSettings schema are always listed. Regime labels are
bilingual in the regime files themselves and are not in gettext."""
import pathlib
import re
import sys

ALWAYS = [
    'data/io.github.meldwijzer.Meldwijzer.desktop.in.in',
    'data/io.github.meldwijzer.Meldwijzer.gschema.xml',
    'data/io.github.meldwijzer.Meldwijzer.metainfo.xml.in.in',
]
C_STRINGS = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|g_dngettext|ngettext)\s*\(')
# A GLib format macro inside a translatable literal cuts the msgid short ("… %"), so the
# string can never be translated: use %zu, %u with a cast, or "%" PRId64 (xgettext knows
# the <inttypes.h> macros) instead.
GLIB_FORMAT_IN_MSGID = re.compile(
    r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_)\s*\(\s*(?:"(?:[^"\\\n]|\\.)*"\s*)+G_G[A-Z0-9]*_FORMAT')
UI_STRINGS = re.compile(r'translatable\s*=\s*"(?:yes|true)"')


def wanted(root):
    found = set(ALWAYS)
    for path in sorted((root / 'src').rglob('*')):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        if path.suffix == '.c':
            text = path.read_text(encoding='utf-8', errors='replace')
            if C_STRINGS.search(text):
                found.add(rel)
        elif path.suffix == '.ui' or rel.endswith('.ui.in'):
            text = path.read_text(encoding='utf-8', errors='replace')
            if UI_STRINGS.search(text):
                found.add(rel)
    return sorted(found)


def listed(potfiles):
    return [l.strip() for l in potfiles.read_text(encoding='utf-8').splitlines()
            if l.strip() and not l.lstrip().startswith('#')]


def check_macros(root):
    failed = 0
    for path in sorted((root / 'src').rglob('*.c')):
        text = path.read_text(encoding='utf-8', errors='replace')
        for m in GLIB_FORMAT_IN_MSGID.finditer(text):
            line = text.count('\n', 0, m.start()) + 1
            print(f'FAIL: {path.relative_to(root)}:{line}: a G_G…_FORMAT macro in a translatable '
                  f'string makes it untranslatable; use %zu / %u with a cast or "%" PRId64')
            failed += 1
    if not failed:
        print('ok: no GLib format macro inside a translatable string')
    return 1 if failed else 0


def main(argv):
    check = '--check' in argv
    macros = '--check-macros' in argv
    args = [a for a in argv if not a.startswith('--check')]
    root = pathlib.Path(args[0] if args else '.').resolve()
    if macros:
        return check_macros(root)
    potfiles = root / 'po' / 'POTFILES.in'
    want = wanted(root)
    if not check:
        potfiles.write_text('# List of source files containing translatable strings.\n'
                            '# Regenerate with: po/update-potfiles.py .\n' +
                            ''.join(f + '\n' for f in want), encoding='utf-8')
        print(f'{potfiles}: {len(want)} files')
        return 0
    have = listed(potfiles)
    failed = 0
    for f in want:
        if f not in have:
            print(f'FAIL: {f} has translatable strings but is not in po/POTFILES.in '
                  f'(run po/update-potfiles.py .)')
            failed += 1
    for f in have:
        if not (root / f).is_file():
            print(f'FAIL: po/POTFILES.in lists {f}, which does not exist')
            failed += 1
    if have != sorted(have):
        print('FAIL: po/POTFILES.in is not sorted')
        failed += 1
    if not failed:
        print(f'ok: po/POTFILES.in lists all {len(want)} files with translatable strings')
    return 1 if failed else 0


sys.exit(main(sys.argv[1:]))

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The library's layers (HACKING.md) hold, in the source and in what is linked.

  check-layers.py SRCROOT MELDWIJZER_BINARY

- a file in src/lib/<layer> includes headers of its own layer and the layers before it only
  (base, model, crypto, store, protocol, services, export);
- nothing under src/app includes a store, protocol, SQLite, libsoup or GnuTLS header, nor
  anything from src/intake;
- the meldwijzer binary contains no SoupServer (the intake server is not linked into it), and
  does not load libsoup, GnuTLS or libsecret when it starts (they are opened when first
  needed, so that their twenty-one libraries do not slow the start; README, "Start-up").
Prints TAP."""
import pathlib
import re
import subprocess
import sys

LAYERS = ["base", "model", "crypto", "store", "protocol", "services", "export"]
root = pathlib.Path(sys.argv[1])
binary = sys.argv[2]
results = []


def check(name, ok, detail=""):
    results.append((name, ok, detail))


header_layer = {}
for layer in LAYERS:
    for h in (root / "src/lib" / layer).glob("*.h"):
        header_layer[h.name] = layer
intake_headers = {h.name for h in (root / "src/intake").glob("*.h")}

include = re.compile(r'^\s*#\s*include\s+["<]([^">]+)[">]', re.M)
problems = []
for layer in LAYERS:
    allowed = set(LAYERS[: LAYERS.index(layer) + 1])
    for f in sorted((root / "src/lib" / layer).glob("*.[ch]")):
        for name in include.findall(f.read_text()):
            other = header_layer.get(pathlib.Path(name).name)
            if other is not None and other not in allowed:
                problems.append(f"{f.relative_to(root)} includes {name} ({other})")
            if name in intake_headers:
                problems.append(f"{f.relative_to(root)} includes the intake server's {name}")
check("every library layer includes only its own and lower layers", not problems, "\n".join(problems))

forbidden_layers = {"store", "protocol"}
forbidden_system = ("sqlite3.h", "libsoup/", "gnutls/")
problems = []
for f in sorted((root / "src/app").rglob("*.[ch]")):
    for name in include.findall(f.read_text()):
        base = pathlib.Path(name).name
        if header_layer.get(base) in forbidden_layers or name.startswith(forbidden_system) \
                or base in intake_headers:
            problems.append(f"{f.relative_to(root)} includes {name}")
check("nothing under src/app includes a store, protocol, SQLite, libsoup or GnuTLS header",
      not problems, "\n".join(problems))

symbols = subprocess.run(["nm", "-C", binary], capture_output=True, text=True)
check("nm can read the meldwijzer binary", symbols.returncode == 0 and symbols.stdout, symbols.stderr)
server = [line for line in symbols.stdout.splitlines()
          if "soup_server" in line or "mw_intake_new" in line or "mw_intake_listen" in line]
check("the meldwijzer binary contains no SoupServer and no intake server", not server, "\n".join(server[:5]))

dynamic = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True)
needed = [line.split("[", 1)[1].rstrip("]") for line in dynamic.stdout.splitlines() if "(NEEDED)" in line]
check("readelf can read what the meldwijzer binary needs", dynamic.returncode == 0 and needed, dynamic.stderr)
eager = [name for name in needed if name.startswith(("libsoup", "libgnutls", "libsecret"))]
check("the meldwijzer binary does not load libsoup, GnuTLS or libsecret at start", not eager, " ".join(eager))

print(f"1..{len(results)}")
for i, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok and detail:
        for line in detail.splitlines():
            print(f"# {line}")
sys.exit(0 if all(ok for _, ok, _ in results) else 1)

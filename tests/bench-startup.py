#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start-up, side by side under Xvfb: a minimal libadwaita window built in this tree
(bench-minimal-window) and meldwijzer on first run and for a returning user (a stored
profile). Time to the first frame, from exec to the window's first after-paint on the
monotonic clock, median of N runs each; resident memory 1.5 s after the first frame (what
loads after the first frame included). A benchmark, never a test: it asserts nothing.

usage: bench-startup.py MINIMAL MELDWIJZER [RUNS]
Runs itself under xvfb-run and a private session bus when there is no display."""
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

PROFILE = {
    "contact": {"email": "soc@example.nl", "name": "A. de Vries", "phone": "+31 70 000 0000", "role": "CISO"},
    "entity_type": "cloud", "name": "Wolkendienst B.V.", "regime": "nl-cbw", "registration": "12345678",
    "sector": "digital-infrastructure",
    "services": [{"id": "0f8fad5b-d9cb-469f-a165-70867728950e", "name": "Object storage", "network": "EU-West"}],
    "training": True,
}


def environment(home):
    env = dict(os.environ)
    env.update({
        "HOME": home,
        "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "XDG_CACHE_HOME": os.path.join(home, ".cache"),
        "GSETTINGS_BACKEND": "memory",
        "GSK_RENDERER": "cairo",
        "NO_AT_BRIDGE": "1",
        "MELDWIJZER_BENCH_FIRST_FRAME": "1",
        "LANGUAGE": "en",
    })
    env.pop("MELDWIJZER_DB", None)
    return env


def run_once(program, env):
    """(milliseconds to the first frame, resident kB)"""
    start = time.monotonic()
    proc = subprocess.run([program], env=env, capture_output=True, text=True, timeout=60)
    first = rss = None
    for line in proc.stdout.splitlines():
        if line.startswith("first-frame "):
            first = int(line.split()[1]) / 1e6
        elif line.startswith("rss "):
            rss = int(line.split()[1])
    if first is None:
        sys.exit(f"{program} reported no first frame (exit {proc.returncode}): {proc.stderr[-2000:]}")
    return (first - start) * 1000, rss


def store_profile(home):
    """A returning user: the profile as the wizard stores it, in the app's own database."""
    path = os.path.join(home, ".local", "share", "meldwijzer", "meldwijzer.db")
    if not os.path.exists(path):
        sys.exit(f"the first run left no database at {path}")
    with sqlite3.connect(path) as db:
        db.execute("INSERT OR REPLACE INTO profile (id, json, name, registration, sector, entity_type, regime,"
                   " updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                   (json.dumps(PROFILE, sort_keys=True, separators=(",", ":")), PROFILE["name"],
                    PROFILE["registration"], PROFILE["sector"], PROFILE["entity_type"], PROFILE["regime"],
                    int(time.time())))


def measure(name, program, runs, prepare=None):
    times, rss = [], []
    for _ in range(runs):
        home = tempfile.mkdtemp(prefix="mw-bench-startup-")
        try:
            env = environment(home)
            if prepare:
                prepare(program, env, home)
            ms, kb = run_once(program, env)
            times.append(ms)
            if kb:
                rss.append(kb)
        finally:
            shutil.rmtree(home, ignore_errors=True)
    result = {"name": name, "median_ms": statistics.median(times), "runs_ms": [round(t) for t in times],
              "rss_mb": statistics.median(rss) / 1024 if rss else None}
    print(f"{name:28s} first frame {result['median_ms']:6.0f} ms (median of {runs}: "
          f"{', '.join(str(t) for t in result['runs_ms'])}), RSS {result['rss_mb']:.0f} MB", flush=True)
    return result


def returning(program, env, home):
    run_once(program, env)  # the first run creates the database
    store_profile(home)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    if not os.environ.get("DISPLAY") and not os.environ.get("MW_BENCH_UNDER_XVFB"):
        os.environ["MW_BENCH_UNDER_XVFB"] = "1"
        os.execvp("xvfb-run", ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "dbus-run-session", "--",
                               sys.executable] + sys.argv)
    minimal, app = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    base = measure("minimal libadwaita window", minimal, runs)
    first = measure("meldwijzer, first run", app, runs)
    back = measure("meldwijzer, returning user", app, runs, prepare=returning)
    for result in (first, back):
        print(f"{result['name']}: {result['median_ms'] / base['median_ms']:.2f}x the minimal window, "
              f"{result['rss_mb'] - base['rss_mb']:+.0f} MB", flush=True)


if __name__ == "__main__":
    main()

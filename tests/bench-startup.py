#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Start-up, side by side under Xvfb: a minimal libadwaita window built in this tree
(bench-minimal-window), meldwijzer on first run and for a returning user (a stored profile),
and gnome-text-editor when it is installed. A benchmark, never a test: it asserts nothing.

How it measures, the same way for every program, from outside it (no program is changed
or told that it is measured):
- the time from just before exec to the program's first frame: the script watches the X
  server (python3-xlib) for top-level windows, has the DAMAGE extension report every
  drawing into each from the moment it is created, and takes the second drawing after the
  window is mapped (the first is the server filling the background as it maps the window;
  GTK then draws each frame whole, once laid out). Checked against GTK's own "after-paint"
  of the first frame inside the app: within 1 ms;
- the resident memory (VmRSS) 1.5 s after that frame, with what loads after the first
  frame included; then the program is stopped with SIGTERM;
- the median of RUNS runs each, every run with a new, empty home folder (a first start for
  each program), the programs taking turns (each once per round) so that a machine whose
  speed drifts during the benchmark drifts for all of them; the renderer is cairo
  (GSK_RENDERER=cairo), the language English.

gnome-text-editor is optional (Debian: apt-get install gnome-text-editor): when it is on
PATH it is measured the same way, started as a user would (an empty document); without it
the table has three rows.

usage: bench-startup.py MINIMAL MELDWIJZER [RUNS]
$MELDWIJZER_CLI (else meldwijzer-cli next to MELDWIJZER's build folder) creates the store
for the returning user. Runs itself under xvfb-run and a private session bus when there
is no display."""
import json
import os
import select
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

try:
    from Xlib import X, display
    from Xlib.ext import damage
except ImportError:
    sys.exit("bench-startup.py watches the X server through python3-xlib: apt-get install python3-xlib")

PROFILE = {
    "contact": {"email": "soc@example.nl", "name": "A. de Vries", "phone": "+31 70 000 0000", "role": "CISO"},
    "entity_type": "cloud", "name": "Wolkendienst B.V.", "regime": "nl-cbw", "registration": "12345678",
    "sector": "digital-infrastructure",
    "services": [{"id": "0f8fad5b-d9cb-469f-a165-70867728950e", "name": "Object storage", "network": "EU-West"}],
    "training": True,
}
TIMEOUT = 60
SETTLE = 1.5


def environment(home, app):
    env = dict(os.environ)
    # An uninstalled build: the regimes, data and settings schema of this tree, as meson's
    # test environment gives them.
    source = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env.setdefault("MELDWIJZER_REGIMES_DIR", os.path.join(source, "data", "regimes"))
    env.setdefault("MELDWIJZER_DATA_DIR", os.path.join(source, "data"))
    env.setdefault("GSETTINGS_SCHEMA_DIR", os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(app))), "data"))
    env.update({
        "HOME": home,
        "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "XDG_CACHE_HOME": os.path.join(home, ".cache"),
        "XDG_STATE_HOME": os.path.join(home, ".local", "state"),
        "GSETTINGS_BACKEND": "memory",
        "GSK_RENDERER": "cairo",
        "NO_AT_BRIDGE": "1",
        "LANGUAGE": "en",
    })
    env.pop("MELDWIJZER_DB", None)
    return env


class Watch:
    """The X server's view: top-level windows created, mapped and drawn into."""

    def __init__(self):
        self.display = display.Display()
        if not self.display.has_extension("DAMAGE"):
            sys.exit("the X server has no DAMAGE extension")
        self.display.damage_query_version()
        self.root = self.display.screen().root
        # A window can be gone before its damage object is made: not an error here.
        self.display.set_error_handler(lambda *args: None)
        self.root.change_attributes(event_mask=X.SubstructureNotifyMask)
        self.display.sync()
        self.drain()

    def drain(self):
        while self.display.pending_events():
            self.display.next_event()

    def first_frame(self, proc):
        """monotonic time of the first frame drawn into a mapped top-level window, or None"""
        damaged = {}  # window id -> drawings seen since it was mapped, None while unmapped
        deadline = time.monotonic() + TIMEOUT
        # A damage object goes with its window: none is left once the program has quit.
        while time.monotonic() < deadline and proc.poll() is None:
            while self.display.pending_events():
                event = self.display.next_event()
                if event.type == X.CreateNotify and event.parent == self.root:
                    event.window.damage_create(damage.DamageReportRawRectangles)
                    damaged[event.window.id] = None
                    self.display.flush()
                elif event.type == X.MapNotify and event.window.id in damaged:
                    damaged[event.window.id] = 0
                elif (event.type == self.display.extension_event.DamageNotify and
                      damaged.get(event.drawable.id) is not None):
                    # The first drawing is the server's, filling the background as it maps
                    # the window; the next is the program's first frame.
                    damaged[event.drawable.id] += 1
                    if damaged[event.drawable.id] == 2:
                        return time.monotonic()
            select.select([self.display], [], [], 0.05)
        return None


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def run_once(watch, command, env):
    """(milliseconds to the first frame, resident kB 1.5 s later)"""
    watch.drain()
    with tempfile.TemporaryFile() as log:
        start = time.monotonic()
        proc = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        try:
            first = watch.first_frame(proc)
            if first is None:
                log.seek(0)
                sys.exit(f"{command[0]} drew no window (exit {proc.poll()}): {log.read()[-2000:].decode(errors='replace')}")
            time.sleep(SETTLE)
            kb = rss_kb(proc.pid) if proc.poll() is None else None
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return (first - start) * 1000, kb


def store_profile(app, env, home):
    """A returning user: the profile as the wizard stores it, in the app's own database (made
    by meldwijzer-cli when the first run kept nothing yet)."""
    path = os.path.join(home, ".local", "share", "meldwijzer", "meldwijzer.db")
    if not os.path.exists(path):
        cli = os.environ.get("MELDWIJZER_CLI") or os.path.join(os.path.dirname(os.path.dirname(app)), "cli",
                                                               "meldwijzer-cli")
        subprocess.run([cli, "incident", "list"], env=env, check=True, capture_output=True, timeout=60)
    with sqlite3.connect(path) as db:
        db.execute("INSERT OR REPLACE INTO profile (id, json, name, registration, sector, entity_type, regime,"
                   " updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                   (json.dumps(PROFILE, sort_keys=True, separators=(",", ":")), PROFILE["name"],
                    PROFILE["registration"], PROFILE["sector"], PROFILE["entity_type"], PROFILE["regime"],
                    int(time.time())))


def run_in_new_home(watch, command, app, prepare=None):
    """(milliseconds to the first frame, resident kB) of one start on a new, empty home"""
    home = tempfile.mkdtemp(prefix="mw-bench-startup-")
    try:
        env = environment(home, app)
        if prepare:
            prepare(watch, command, env, home)
        return run_once(watch, command, env)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def measure(watch, programs, runs, app):
    """Every program once per round, round after round: a machine that slows down or speeds
    up during the benchmark does so for all of them alike."""
    samples = {name: ([], []) for name, _, _ in programs}
    for _ in range(runs):
        for name, command, prepare in programs:
            ms, kb = run_in_new_home(watch, command, app, prepare)
            samples[name][0].append(ms)
            if kb:
                samples[name][1].append(kb)
    results = []
    for name, _, _ in programs:
        times, rss = samples[name]
        result = {"name": name, "median_ms": statistics.median(times), "runs_ms": [round(t) for t in times],
                  "times": times,
                  "rss_mb": statistics.median(rss) / 1024 if rss else float("nan")}
        print(f"{name:28s} first frame {result['median_ms']:6.0f} ms (median of {runs}: "
              f"{', '.join(str(t) for t in result['runs_ms'])}), RSS {result['rss_mb']:.0f} MB", flush=True)
        results.append(result)
    return results


def returning(watch, command, env, home):
    run_once(watch, command, env)  # the first run, as the user saw it
    store_profile(command[0], env, home)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    if not os.environ.get("DISPLAY") and not os.environ.get("MW_BENCH_UNDER_XVFB"):
        os.environ["MW_BENCH_UNDER_XVFB"] = "1"
        os.execvp("xvfb-run", ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "dbus-run-session", "--",
                               sys.executable] + sys.argv)
    minimal, app = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    watch = Watch()
    programs = [("minimal libadwaita window", [minimal], None),
                ("meldwijzer, first run", [app], None),
                ("meldwijzer, returning user", [app], returning)]
    editor = shutil.which("gnome-text-editor")
    if editor:
        programs.append(("gnome-text-editor", [editor], None))
    else:
        print("gnome-text-editor is not installed: left out", flush=True)
    base, *results = measure(watch, programs, runs, app)
    for result in results:
        # Also the median of each round's own ratio: two starts a second apart see the same
        # machine.
        paired = statistics.median(t / b for t, b in zip(result["times"], base["times"]))
        print(f"{result['name']}: {result['median_ms'] / base['median_ms']:.2f}x the minimal window "
              f"(round by round {paired:.2f}x), {result['rss_mb'] - base['rss_mb']:+.0f} MB", flush=True)


if __name__ == "__main__":
    main()

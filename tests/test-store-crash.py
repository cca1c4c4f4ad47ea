#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Kill a process with SIGKILL while it submits reports, many times, and check after every
kill that the database holds either nothing or the complete signed report with all its
deliveries, never half.

Usage: test-store-crash.py HELPER [RUNS] [SECONDS]

HELPER is mw-store-crash-helper (tests/mw-store-crash-helper.c). Each run starts it on a
database, kills it after a random delay, then (1) reopens the database with MwStore through
`HELPER check` and (2) inspects it independently with Python's sqlite3 module.
"""

import base64
import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

N_RECIPIENTS = 30
PAYLOAD_BYTES = 6000
RUNS_PER_DATABASE = 10
# Every migration runs in one transaction: a database has all of them or none.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "lib", "store", "mw-store.h")) as _h:
    SCHEMA_VERSION = int(next(l.split()[2] for l in _h if l.startswith("#define MW_STORE_SCHEMA_VERSION ")))


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def fail(message):
    print(f"Bail out! {message}", flush=True)
    sys.exit(1)


def check_database(path, done_ids, begun_ids):
    """Independent check with Python's sqlite3; returns the set of signed report ids."""
    db = sqlite3.connect(path)
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            fail(f"integrity_check: {integrity}")
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
        if not tables:
            # Killed before the first migration committed: then nothing may have been begun.
            if begun_ids:
                fail("schema missing although reports were submitted")
            return set()
        version = db.execute("PRAGMA user_version").fetchone()[0]
        # The tables each schema version has: anything else is half a migration.
        base = {"profile", "endpoints", "incidents", "reports", "deliveries", "receipts"}
        expected = {1: base, 2: base, 3: base | {"decisions"}}
        if expected.get(version) != tables:
            fail(f"user_version {version} with tables {sorted(tables)}: half a migration")

        deliveries = {}
        for report_id, recipient, state in db.execute(
                "SELECT report_id, recipient, state FROM deliveries"):
            deliveries.setdefault(report_id, {})[recipient] = state
        receipts = {(r, c) for r, c in db.execute("SELECT report_id, recipient FROM receipts")}

        signed = set()
        for report_id, state, js, jws, sha in db.execute(
                "SELECT report_id, state, json, jws, sha256 FROM reports"):
            if state == "draft":
                if jws is not None or report_id in deliveries:
                    fail(f"draft {report_id} with a JWS or deliveries")
                continue
            if state != "signed":
                fail(f"report {report_id} in state {state!r}")
            signed.add(report_id)
            if jws is None or sha is None:
                fail(f"signed report {report_id} without JWS or hash")
            if hashlib.sha256(jws.encode()).hexdigest() != sha:
                fail(f"report {report_id}: stored hash does not match the stored JWS")
            head, payload, signature = jws.split(".")
            if b64url_decode(payload).decode() != js:
                fail(f"report {report_id}: JWS payload differs from the stored report")
            expected = b64url(hashlib.sha256(f"{head}.{payload}".encode()).hexdigest().encode())
            if signature != expected:
                fail(f"report {report_id}: JWS is cut off or altered")
            wanted = set(json.loads(js)["test_recipients"])
            if len(wanted) != N_RECIPIENTS or set(deliveries.get(report_id, {})) != wanted:
                fail(f"report {report_id}: {len(deliveries.get(report_id, {}))} of "
                     f"{len(wanted)} deliveries")
            for recipient, dstate in deliveries[report_id].items():
                if (dstate == "delivered") != ((report_id, recipient) in receipts):
                    fail(f"report {report_id} → {recipient}: {dstate} and receipt mismatch")

        orphans = set(deliveries) - signed
        if orphans:
            fail(f"deliveries without a signed report: {sorted(orphans)[:5]}")
        lost = set(done_ids) - signed
        if lost:
            fail(f"submissions reported done but missing after the kill: {sorted(lost)[:5]}")
        return signed
    finally:
        db.close()


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    helper = sys.argv[1]
    max_runs = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    budget = float(sys.argv[3]) if len(sys.argv) > 3 else 20.0
    seed = int(os.environ.get("MW_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    print(f"# seed {seed} (set MW_CRASH_SEED to repeat)", flush=True)

    start = time.monotonic()
    runs = 0
    in_submit = 0
    in_submit_committed = 0
    other_kills = 0
    total_signed = 0
    total_done = 0

    with tempfile.TemporaryDirectory(prefix="mw-store-crash-") as tmp:
        path = None
        all_done = []
        while runs < max_runs and time.monotonic() - start < budget:
            if runs % RUNS_PER_DATABASE == 0:
                path = os.path.join(tmp, f"store-{runs // RUNS_PER_DATABASE}.db")
                all_done = []
            prefix = f"run{runs}"
            proc = subprocess.Popen(
                [helper, "submit", path, prefix, str(N_RECIPIENTS), str(PAYLOAD_BYTES)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            # Mostly mid-stream kills, sometimes right at start-up (open and migration).
            time.sleep(rng.uniform(0.0, 0.002) if rng.random() < 0.15 else rng.uniform(0.005, 0.06))
            proc.send_signal(signal.SIGKILL)
            out, err = proc.communicate()
            if proc.returncode != -signal.SIGKILL:
                fail(f"helper exited with {proc.returncode} before the kill: {err.decode()[-500:]}")

            lines = out.decode().splitlines()
            begun = [line.split()[1] for line in lines if line.startswith("begin ")]
            done = [line.split()[1] for line in lines if line.startswith("done ")]
            all_done.extend(done)

            check = subprocess.run([helper, "check", path], capture_output=True, text=True,
                                   timeout=60)
            if check.returncode != 0:
                fail(f"run {runs}: MwStore check after the kill: {check.stderr.strip()}")
            signed = check_database(path, all_done, begun)

            last = lines[-1] if lines else ""
            if last.startswith("begin "):
                in_submit += 1
                if last.split()[1] in signed:
                    in_submit_committed += 1
            else:
                other_kills += 1
            total_done += len(done)
            total_signed = len(signed)
            runs += 1

    elapsed = time.monotonic() - start
    print(f"# {runs} runs in {elapsed:.1f} s; {total_done} submissions completed in total")
    print(f"# kills inside mw_store_submit: {in_submit} (committed before the kill: "
          f"{in_submit_committed}, rolled back: {in_submit - in_submit_committed}); "
          f"kills elsewhere (drafts, receipts, start-up): {other_kills}")
    if runs < 20:
        fail(f"only {runs} runs fitted in the time budget")
    if in_submit == 0:
        fail("no kill landed inside a submission: the test proved nothing")
    print("1..1")
    print(f"ok 1 /store/crash ({runs} SIGKILLs, never half a submission)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

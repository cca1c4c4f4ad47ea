#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: wall-clock time of one `meldwijzer-cli submit` (load, validate, assess, key
from the keyring, sign, store, deliver to two meldwijzer-intake processes on loopback in
parallel, verify and store both receipts, exit), and the same with the practice intake
started by submit itself. Prints the numbers; fails only when a submit fails.

  bench-delivery.py [N]     N submits per case (default 20)"""

import importlib.util
import os
import statistics
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("test_delivery", os.path.join(HERE, "test-delivery.py"))
td = importlib.util.module_from_spec(spec)
spec.loader.exec_module(td)


def timed_submits(client, n, training=True):
    times = []
    for _ in range(n):
        path, _ = client.report(training=training)
        t0 = time.perf_counter()
        result = client.run("submit", path)
        times.append((time.perf_counter() - t0) * 1000)
        if result.returncode != 0:
            raise RuntimeError(result.stdout + result.stderr)
    return times


def summary(name, times):
    times = sorted(times)
    p90 = times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))]
    print(f"{name}: n={len(times)} median {statistics.median(times):.1f} ms, "
          f"min {times[0]:.1f} ms, p90 {p90:.1f} ms, max {times[-1]:.1f} ms", flush=True)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory(prefix="mw-bench-delivery-") as tmp:
        td.setup_keyring(tmp)
        try:
            client = td.Client(tmp, "bench")
            ncsc = td.Intake(os.path.join(client.dir, "ncsc.db"), ["ncsc"], training=True)
            rdi = td.Intake(os.path.join(client.dir, "rdi.db"), ["rdi"], training=True)
            client.endpoint("ncsc", ncsc.mailbox_url("ncsc"), "--training")
            client.endpoint("rdi", rdi.mailbox_url("rdi"), "--training")
            first = timed_submits(client, 1)
            summary("first submit (enrols the key and pins both mailbox keys)", first)
            summary("submit to two running intakes", timed_submits(client, n))
            ncsc.stop()
            rdi.stop()
            if len(ncsc.rows()) != n + 1 or len(rdi.rows()) != n + 1:
                raise RuntimeError(f"expected {n + 1} records per intake, got {len(ncsc.rows())}/{len(rdi.rows())}")

            practice = td.Client(tmp, "practice")
            summary("submit with the practice intake started by submit",
                    timed_submits(practice, max(3, n // 4)))
        finally:
            td.cleanup_keyring()
            for proc in td.processes:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())

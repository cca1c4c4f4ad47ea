#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The client against hostile recipients: the real meldwijzer-cli (submit, outbox retry,
outbox list --json) delivering a live report to a recipient written here, on 127.0.0.1 only,
that answers the report with something it must not accept: deep nesting behind a comment as
the error body or as the receipt, a receipt that is not a JWS or is signed by another key or
signs deep nesting, 10 MB, a byte a second, a redirect, an empty 200, invalid UTF-8 and control
characters in the error message.

For each: the client is never killed by a signal (exit 0 or 1), the delivery is failed (or
pending for a transient problem) with a short printable message naming the recipient, and
`outbox retry --include-failed` and `outbox list --json` afterwards do not crash either (the
wizard resumes stored deliveries at start, so a stored hostile delivery must never
crash-loop; tests/test-outbox-hostile.c does that through MwOutbox).

The trickle uses MELDWIJZER_INTAKE_DEADLINE=3 (the client's whole-exchange deadline in
seconds, which the variable can only shorten) to keep the test's wall time bounded.
"""

import json
import os
import shutil
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid

from jwcrypto import jwk, jws
from jwcrypto.common import json_encode

CLI = os.environ.get("MELDWIJZER_CLI")
SRCDIR = os.environ.get("G_TEST_SRCDIR", os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(SRCDIR, "reports", "cbw-dns-outage.json")
PROFILE = "test-hostile-%d" % os.getpid()
DEEP = b'/* " */' + b"[" * (133 * 1024)
DEADLINE = 3            # MELDWIJZER_INTAKE_DEADLINE for the whole run
MAX_MESSAGE_CHARS = 700  # "recipient: sending the report: 4xx code: " + 512 characters + "…"

results = []


def check(name, condition, detail=""):
    results.append((bool(condition), name, detail))
    print(f"{'ok' if condition else 'not ok'} {len(results)} - {name}")
    if not condition and detail:
        for line in str(detail)[:3000].splitlines():
            print(f"#   {line}")


def note(text):
    print(f"# {text}")


# ---------------------------------------------------------------------------------------
# The hostile recipient


RECEIPT_KEY = jwk.JWK.generate(kty="OKP", crv="Ed25519")
OTHER_KEY = jwk.JWK.generate(kty="OKP", crv="Ed25519")


def sign(payload, key=RECEIPT_KEY):
    token = jws.JWS(payload)
    token.add_signature(key, None, json_encode({"alg": "EdDSA"}))
    return token.serialize(compact=True).encode()


def answer(status, body=b"", headers=()):
    phrase = {200: "OK", 201: "Created", 307: "Temporary Redirect", 400: "Bad Request",
              403: "Forbidden", 422: "Unprocessable Entity", 500: "Internal Server Error"}[status]
    head = f"HTTP/1.1 {status} {phrase}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
    for name, value in headers:
        head += f"{name}: {value}\r\n"
    return head.encode() + b"\r\n" + body


class Recipient(socketserver.ThreadingTCPServer):
    """A mailbox "ncsc" on 127.0.0.1: a live mailbox for the mode probe and /v1/keys; the
    report is answered by self.behaviour (a name from BEHAVIOURS)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.behaviour = None
        self.reports = 0
        self.trickled = 0
        self.sent_big = []
        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/ncsc"
        threading.Thread(target=self.serve_forever, daemon=True).start()


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        sock = self.request
        sock.settimeout(20)
        data = b""
        try:
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path = lines[0].split(" ")[:2]
            length = 0
            for line in lines[1:]:
                if line.lower().startswith("content-length:"):
                    length = int(line.split(":", 1)[1])
            while len(body) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                body += chunk
            server = self.server
            if method == "POST" and path.endswith("/v1/enrol"):
                sock.sendall(answer(403, b'{"error":"forbidden","message":"live mailbox"}'))
            elif method == "GET" and path.endswith("/v1/keys"):
                keys = json.dumps({"keys": [json.loads(RECEIPT_KEY.export_public())]}).encode()
                sock.sendall(answer(200, keys))
            elif method == "POST" and path.endswith("/v1/reports"):
                server.reports += 1
                report = json.loads(jws_payload(body.decode()))
                BEHAVIOURS[server.behaviour](sock, server, report)
            else:
                sock.sendall(answer(400))
        except (OSError, ValueError):
            pass  # the client hung up, as it should on a hostile answer


def jws_payload(token):
    import base64
    part = token.strip().split(".")[1]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def receipt_for(report, **changes):
    return dict({"receipt_id": str(uuid.uuid4()), "report_id": report["report_id"],
                 "report_sha256": report.get("_sha256", ""), "recipient": "ncsc",
                 "received_at": "2026-12-06T06:30:00Z"}, **changes)


def send_big(sock, server, report):
    size = 10 * 1024 * 1024
    sock.sendall(f"HTTP/1.1 201 Created\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n".encode())
    block = b"A" * 65536
    server.sent_big.append(0)
    for _ in range(size // len(block)):   # bounded: 160 blocks at most
        sock.sendall(block)
        server.sent_big[-1] += len(block)


def send_trickle(sock, server, report):
    sock.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 120\r\nConnection: close\r\n\r\n")
    for _ in range(120):                  # bounded: two minutes at most, ends when the client hangs up
        sock.sendall(b"e")
        server.trickled += 1
        time.sleep(1)


BEHAVIOURS = {
    "deep error body": lambda s, srv, r: s.sendall(answer(400, DEEP, [("Content-Type", "application/json")])),
    "deep error body, 500": lambda s, srv, r: s.sendall(answer(500, DEEP, [("Content-Type", "application/json")])),
    "deep receipt": lambda s, srv, r: s.sendall(answer(201, DEEP, [("Content-Type", "application/jose")])),
    "receipt signing deep nesting": lambda s, srv, r: s.sendall(answer(201, sign(DEEP))),
    "receipt not a JWS": lambda s, srv, r: s.sendall(answer(201, b"thank you, we got it")),
    "receipt by another key": lambda s, srv, r: s.sendall(
        answer(201, sign(json.dumps(receipt_for(r)).encode(), OTHER_KEY))),
    "10 MB answer": send_big,
    "a byte a second": send_trickle,
    "redirect": lambda s, srv, r: s.sendall(
        answer(307, b"", [("Location", "http://127.0.0.1:9/elsewhere/v1/reports\x1b[31m")])),
    "empty 200": lambda s, srv, r: s.sendall(answer(200, b"")),
    "invalid UTF-8 in the error": lambda s, srv, r: s.sendall(answer(
        422, b'{"error":"bad\xff\xfe","message":"no \xc3\x28 way \x1b[31m red"}', [("Content-Type", "application/json")])),
    "control characters in the error": lambda s, srv, r: s.sendall(answer(
        422, json.dumps({"error": "x\u0007\u001b[2J", "message": "line\r\nbreak\u001b[31mred\u0085" + "é" * 5000}).encode(),
        [("Content-Type", "application/json")])),
}

# What each answer must lead to, and a piece of the message that says why.
EXPECTED = {
    "deep error body": ("failed", "400"),
    "deep error body, 500": ("pending", "500"),
    "deep receipt": ("failed", "pinned key"),
    "receipt signing deep nesting": ("failed", "not a JSON object"),
    "receipt not a JWS": ("failed", "pinned key"),
    "receipt by another key": ("failed", "pinned key"),
    "10 MB answer": ("failed", "larger than 1024 KiB"),
    "a byte a second": ("pending", f"within {DEADLINE} seconds"),
    "redirect": ("failed", "redirects to"),
    "empty 200": ("failed", "without a receipt"),
    "invalid UTF-8 in the error": ("failed", "422"),
    "control characters in the error": ("failed", "422 x  [2J: line  break [31mred "),
}


# ---------------------------------------------------------------------------------------
# The client


def run(env, *args, timeout=120):
    return subprocess.run([CLI] + list(args), capture_output=True, timeout=timeout, env=env)


def printable(text):
    return all(c.isprintable() for c in text)


def not_signalled(name, result):
    check(f"{name}: not killed by a signal (exit {result.returncode})", result.returncode in (0, 1),
          result.stdout.decode(errors="replace")[-1500:] + result.stderr.decode(errors="replace")[-1500:])


def scenario(tmp, env, recipient, behaviour, key_file):
    recipient.behaviour = behaviour
    with open(EXAMPLE) as f:
        data = json.load(f)
    data.update(report_id=str(uuid.uuid4()), incident_id=str(uuid.uuid4()), supersedes=None, training=False)
    path = os.path.join(tmp, f"{data['report_id']}.json")
    with open(path, "w") as f:
        json.dump(data, f, indent=2)

    before = recipient.reports
    started = time.monotonic()
    r = run(env, "submit", path)
    took = time.monotonic() - started
    not_signalled(f"{behaviour}: submit", r)
    listing = run(env, "outbox", "list", "--json")
    not_signalled(f"{behaviour}: outbox list --json", listing)
    rows = [d for d in json.loads(listing.stdout.decode("utf-8"))
            if d["report_id"] == data["report_id"] and d["recipient"] == "ncsc"]
    state, why = EXPECTED[behaviour]
    row = rows[0] if rows else {}
    error = row.get("error") or ""
    check(f"{behaviour}: the report reached the recipient and the delivery is {state}",
          recipient.reports > before and row.get("state") == state, row)
    check(f"{behaviour}: the message names the recipient and says why (“{why}”)",
          error.startswith("ncsc: ") and why in error, error)
    check(f"{behaviour}: the message is printable and short ({len(error)} characters)",
          printable(error) and len(error) <= MAX_MESSAGE_CHARS, repr(error[:300]))
    out = r.stdout.decode("utf-8", errors="strict") + r.stderr.decode("utf-8", errors="strict")
    check(f"{behaviour}: submit prints no control character from the recipient",
          "\x1b" not in out and "\x07" not in out and "\x00" not in out, repr(out[-500:]))
    note(f"{behaviour}: submit took {took:.1f} s, exit {r.returncode}, stored: {error[:160]!r}")

    # Stored: retrying it (as the wizard does at every start) must not crash either.
    retry = run(env, "outbox", "retry", "--include-failed")
    not_signalled(f"{behaviour}: outbox retry --include-failed", retry)
    listing = run(env, "outbox", "list", "--json")
    not_signalled(f"{behaviour}: outbox list --json after the retry", listing)
    rows = [d for d in json.loads(listing.stdout.decode("utf-8"))
            if d["report_id"] == data["report_id"] and d["recipient"] == "ncsc"]
    check(f"{behaviour}: after the retry still {state}, not delivered",
          rows and rows[0]["state"] == state, rows)
    return took


def setup_keyring(tmp, env):
    """libsecret's file backend in the test's folder: the session's keyring is never touched."""
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    env.update({"SECRET_BACKEND": "file",
                "SECRET_FILE_TEST_PATH": os.path.join(tmp, "keyring"),
                "SECRET_FILE_TEST_PASSWORD": "test",
                "MELDWIJZER_KEYRING_PROFILE": PROFILE})
    result = run(env, "key", "generate", "--force", timeout=30)
    if result.returncode != 0:
        raise RuntimeError("key generate failed: " + result.stderr.decode(errors="replace"))


def main():
    if not CLI or not os.path.exists(CLI):
        print("1..0 # SKIP MELDWIJZER_CLI is not set")
        return 0

    started = time.monotonic()
    recipient = Recipient()
    with tempfile.TemporaryDirectory(prefix="mw-hostile-") as tmp:
        env = dict(os.environ)
        env.update(HOME=tmp, XDG_DATA_HOME=os.path.join(tmp, "data"), XDG_CONFIG_HOME=os.path.join(tmp, "config"),
                   MELDWIJZER_DB=os.path.join(tmp, "store.db"), MELDWIJZER_INTAKE_DEADLINE=str(DEADLINE),
                   G_DEBUG="fatal-criticals")
        try:
            setup_keyring(tmp, env)
            key_file = os.path.join(tmp, "receipt.jwk")
            with open(key_file, "w") as f:
                f.write(RECEIPT_KEY.export_public())
            r = run(env, "endpoint", "set", "ncsc", recipient.url, "--receipt-key", key_file)
            check("endpoint set to the hostile recipient as a live mailbox", r.returncode == 0,
                  r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace"))
            for behaviour in BEHAVIOURS:
                try:
                    scenario(tmp, env, recipient, behaviour, key_file)
                except Exception:  # noqa: BLE001
                    check(f"{behaviour}: ran to the end", False, traceback.format_exc())
            note(f"10 MB answer: the recipient could write {[n // 1024 for n in recipient.sent_big]} KiB "
                 "(each attempt) before the client hung up")
            note(f"a byte a second: {recipient.trickled} bytes trickled over all attempts")
        finally:
            recipient.shutdown()
            recipient.server_close()

    print(f"1..{len(results)}")
    failed = sum(1 for ok, _, _ in results if not ok)
    print(f"# {len(results) - failed} passed, {failed} failed in {time.monotonic() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

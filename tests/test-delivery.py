#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""One-action delivery end to end: the real meldwijzer-cli (endpoint, submit, outbox) against
real meldwijzer-intake processes on loopback. Receipts and signatures are checked
independently with jwcrypto against each mailbox's /v1/keys, and both the client's store
and the intakes' databases are read with Python's own sqlite3. Covers: identical bytes in
both mailboxes, idempotent re-delivery, a recipient down and back, the intake killed while
a request is in flight, the client killed during delivery, parallel delivery past a slow
recipient, redirects, a receipt signed by the wrong key, 4xx refusals (training/live never
cross), endpoint set asking the mailbox (training or live, receipt key), the practice
intake, command-line errors, and HTTPS with a pinned certificate. Prints TAP.

Uses the session's Secret Service when there is one (.ci/run, TESTING.md's wrapper), and
otherwise libsecret's file backend in a temporary directory."""

import base64
import hashlib
import http.client
import http.server
import json
import os
import re
import select
import signal
import socket
import socketserver
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from datetime import datetime

from jwcrypto import jwk, jws

INTAKE = os.environ.get("MELDWIJZER_INTAKE")
CLI = os.environ.get("MELDWIJZER_CLI")
SRCDIR = os.environ.get("G_TEST_SRCDIR", os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(SRCDIR, "reports", "cbw-dns-outage.json")
PROFILE = "test-delivery-%d" % os.getpid()

results = []
processes = []
BASE_ENV = dict(os.environ)


def check(name, condition, detail=""):
    results.append((bool(condition), name, detail))
    status = "ok" if condition else "not ok"
    print(f"{status} {len(results)} - {name}", flush=True)
    if not condition and detail:
        for line in str(detail).splitlines():
            print(f"# {line}", flush=True)
    return bool(condition)


def note(text):
    print(f"# {text}", flush=True)


# ---------------------------------------------------------------------------------------
# Processes


def read_line(proc, timeout):
    deadline = time.monotonic() + timeout
    data = b""
    fd = proc.stdout.fileno()
    while not data.endswith(b"\n") and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0, deadline - time.monotonic()))
        if not ready:
            break
        chunk = os.read(fd, 1)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace")


class Intake:
    """A meldwijzer-intake process; the database survives restarts."""

    def __init__(self, db, mailboxes, training=False, tls=None, port=0):
        self.db, self.mailboxes, self.training, self.tls = db, list(mailboxes), training, tls
        self.proc = None
        self.start(port)

    def start(self, port=0):
        args = [INTAKE, "--db", self.db, "--listen", f"127.0.0.1:{port}"]
        if self.training:
            args.append("--training")
        if self.tls:
            args += ["--tls-cert", self.tls[0], "--tls-key", self.tls[1]]
        for mailbox in self.mailboxes:
            args += ["--mailbox", mailbox]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        processes.append(self.proc)
        line = read_line(self.proc, 15)
        m = re.fullmatch(r"listening on (https?)://127\.0\.0\.1:(\d+)/\n", line)
        if not m:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError(f"intake did not start on port {port}: {line!r}")
        self.scheme, self.port = m.group(1), int(m.group(2))
        self.url = f"{self.scheme}://127.0.0.1:{self.port}/"

    def mailbox_url(self, mailbox):
        return self.url + mailbox

    def kill(self):
        self.proc.kill()
        self.proc.wait()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def request(self, method, path, body=None, headers=None):
        if self.scheme == "https":
            import ssl
            context = ssl.create_default_context(cafile=self.tls[0])
            context.check_hostname = False
            conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=10, context=context)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def keys(self, mailbox):
        status, body = self.request("GET", f"/{mailbox}/v1/keys")
        assert status == 200, (status, body)
        return body.decode()

    def key_file(self, mailbox, path):
        key = json.loads(self.keys(mailbox))["keys"][0]
        with open(path, "w") as f:
            json.dump({"crv": key["crv"], "kty": key["kty"], "x": key["x"]}, f)
        return path

    def enrol(self, mailbox, public_jwk_path):
        """Network enrolment (training mailboxes only)."""
        with open(public_jwk_path, "rb") as f:
            status, body = self.request("POST", f"/{mailbox}/v1/enrol", f.read(),
                                        {"Content-Type": "application/jwk+json"})
        assert status in (200, 201), (status, body)

    def rows(self, mailbox=None):
        return intake_rows(self.db, mailbox)


def intake_rows(path, mailbox=None):
    """(mailbox, report_id, jws bytes, receipt, received_at) stored in an intake database."""
    if not os.path.exists(path):
        return []
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10) as db:
        rows = db.execute("SELECT mailbox, report_id, jws, receipt, received_at FROM reports"
                          " ORDER BY id").fetchall()
    rows = [(m, r, bytes(j) if not isinstance(j, str) else j.encode(), rc, ra)
            for m, r, j, rc, ra in rows]
    return [row for row in rows if mailbox is None or row[0] == mailbox]


def operator_enrol(db, mailbox, public_jwk_path, training=False):
    args = [INTAKE, "enrol", "--db", db, "--mailbox", mailbox, public_jwk_path]
    if training:
        args.insert(2, "--training")
    result = subprocess.run(args, capture_output=True, text=True, timeout=20)
    assert result.returncode == 0, result.stderr


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Proxy:
    """A tiny HTTP proxy in front of an intake, to make it slow or lose answers.
    delay: seconds to sleep before forwarding a report; hold: answers to reports wait for
    release(); drop: how many report answers to swallow (the connection closes without an
    answer, after the intake has stored the report); redirect: answer everything but
    enrolment with a 307 to this base URL; blind: 404 for everything but reports."""

    def __init__(self, target_port, delay=0.0, hold=False, drop=0, redirect=None, blind=False):
        self.target_port, self.delay, self.drop, self.redirect = target_port, delay, drop, redirect
        self.blind = blind
        self.hold = hold
        self.released = threading.Event()
        self.report_seen = threading.Event()
        self.reports_forwarded = 0
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                is_report = self.path.endswith("/v1/reports")
                if proxy.blind and not is_report:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if proxy.redirect and not self.path.endswith("/v1/enrol"):
                    self.send_response(307)
                    self.send_header("Location", proxy.redirect + self.path.lstrip("/"))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if is_report and proxy.delay:
                    time.sleep(proxy.delay)
                conn = http.client.HTTPConnection("127.0.0.1", proxy.target_port, timeout=30)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() in ("content-type", "accept")}
                conn.request(self.command, self.path, body=body, headers=headers)
                response = conn.getresponse()
                answer = response.read()
                conn.close()
                if is_report:
                    proxy.reports_forwarded += 1
                    proxy.report_seen.set()
                    if proxy.hold:
                        proxy.released.wait(30)
                    if proxy.drop > 0:
                        proxy.drop -= 1
                        self.close_connection = True
                        return
                try:
                    self.send_response(response.status)
                    self.send_header("Content-Type", response.getheader("Content-Type") or "text/plain")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass

            do_GET = forward
            do_POST = forward

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def release(self):
        self.released.set()

    def close(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


# ---------------------------------------------------------------------------------------
# The client


class Client:
    """meldwijzer-cli with its own store (one per scenario) and the test's signing key."""

    def __init__(self, tmp, name):
        self.dir = os.path.join(tmp, name)
        os.makedirs(self.dir, exist_ok=True)
        self.db = os.path.join(self.dir, "store.db")
        self.env = dict(BASE_ENV)
        self.env["MELDWIJZER_DB"] = self.db
        self.env["MELDWIJZER_KEYRING_PROFILE"] = PROFILE

    def run(self, *args, timeout=60, env=None):
        return subprocess.run([CLI] + list(args), capture_output=True, text=True, timeout=timeout,
                              env=env or self.env)

    def spawn(self, *args):
        proc = subprocess.Popen([CLI] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=self.env)
        processes.append(proc)
        return proc

    def endpoint(self, recipient, url, *options):
        result = self.run("endpoint", "set", recipient, url, *options)
        assert result.returncode == 0, result.stderr
        return result

    def report(self, training=True, name=None):
        with open(EXAMPLE) as f:
            data = json.load(f)
        data["report_id"] = str(uuid.uuid4())
        data["incident_id"] = str(uuid.uuid4())
        data["supersedes"] = None
        data["training"] = training
        path = os.path.join(self.dir, name or f"{data['report_id']}.json")
        with open(path, "w") as f:
            json.dump(data, f, indent=2)
        return path, data["report_id"]

    def deliveries(self, report_id=None):
        """recipient → dict of the delivery row (+ receipt) in the client's store."""
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10) as db:
            rows = db.execute(
                "SELECT d.report_id, d.recipient, d.state, d.attempts, d.last_error,"
                "       r.receipt_id, r.jws, r.received_at"
                " FROM deliveries d LEFT JOIN receipts r USING (report_id, recipient)"
                " ORDER BY d.report_id, d.recipient").fetchall()
        out = {}
        for rid, recipient, state, attempts, error, receipt_id, receipt, received_at in rows:
            if report_id is None or rid == report_id:
                out[recipient] = {"state": state, "attempts": attempts, "error": error or "",
                                  "receipt_id": receipt_id, "receipt": receipt,
                                  "received_at": received_at}
        return out

    def stored_jws(self, report_id):
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10) as db:
            return db.execute("SELECT jws, sha256 FROM reports WHERE report_id = ?",
                              (report_id,)).fetchone()


# ---------------------------------------------------------------------------------------
# JOSE, independent of the C code


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_with_keyset(keyset_json, token_text):
    keyset = jwk.JWKSet.from_json(keyset_json)
    header = json.loads(b64url_decode(token_text.split(".")[0]))
    key = keyset.get_key(header["kid"])
    if key is None:
        raise ValueError(f"kid {header['kid']} is not in /v1/keys")
    token = jws.JWS()
    token.deserialize(token_text)
    token.verify(key)
    return json.loads(token.payload)


def verify_report(public_jwk_path, token_text):
    with open(public_jwk_path) as f:
        key = jwk.JWK(**json.load(f))
    token = jws.JWS()
    token.deserialize(token_text)
    token.verify(key)
    return json.loads(token.payload)


def rfc3339(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# ---------------------------------------------------------------------------------------
# Scenarios


def test_both_mailboxes(tmp, ctx):
    """One submit puts the identical bytes in both mailboxes; both receipts verify;
    re-delivery never creates a second record."""
    client = Client(tmp, "both")
    ncsc = Intake(os.path.join(client.dir, "ncsc.db"), ["ncsc"], training=True)
    rdi = Intake(os.path.join(client.dir, "rdi.db"), ["rdi"], training=True)
    client.endpoint("ncsc", ncsc.mailbox_url("ncsc"), "--training")
    client.endpoint("rdi", rdi.mailbox_url("rdi"), "--training")
    path, report_id = client.report()

    result = client.run("submit", path)
    check("submit to two training mailboxes → exit 0", result.returncode == 0, result.stdout + result.stderr)
    lines = [l for l in result.stdout.splitlines() if ": delivered" in l]
    check("submit prints one delivered line per recipient with the receipt",
          len(lines) == 2 and any(l.startswith("ncsc: delivered") for l in lines)
          and any(l.startswith("rdi: delivered") for l in lines), result.stdout)

    jws_text, sha256 = client.stored_jws(report_id)
    rows_n, rows_r = ncsc.rows(), rdi.rows()
    check("exactly one record in each intake", len(rows_n) == 1 and len(rows_r) == 1, (rows_n, rows_r))
    if not (rows_n and rows_r):
        return
    check("both intakes hold byte-identical JWS, equal to the signed report in the store",
          rows_n[0][2] == rows_r[0][2] == jws_text.encode(), "")
    check("the store's sha256 is the SHA-256 of those bytes",
          hashlib.sha256(rows_n[0][2]).hexdigest() == sha256)
    payload = verify_report(ctx["public_jwk"], jws_text)
    check("the report verifies with our exported public key (jwcrypto) and is the submitted report",
          payload["report_id"] == report_id and payload["training"] is True)

    deliveries = client.deliveries(report_id)
    for name, intake, rows in (("ncsc", ncsc, rows_n), ("rdi", rdi, rows_r)):
        d = deliveries.get(name, {})
        try:
            receipt = verify_with_keyset(intake.keys(name), d.get("receipt") or "")
            ok = (receipt["report_id"] == report_id and receipt["report_sha256"] == sha256
                  and receipt["recipient"] == name and receipt["receipt_id"] == d["receipt_id"]
                  and receipt["received_at"] == d["received_at"])
            detail = receipt
        except Exception as e:  # noqa: BLE001
            ok, detail = False, repr(e)
        check(f"{name}: the stored receipt verifies against /v1/keys and names this report", ok, detail)
        check(f"{name}: the client keeps exactly the receipt the intake stored",
              d.get("receipt") == rows[0][3] and d.get("state") == "delivered")
        check(f"{name}: the printed line names the receipt id",
              f"{name}: delivered (training), receipt {d.get('receipt_id')}," in result.stdout, result.stdout)

    listing = client.run("endpoint", "list")
    thumbs = [jwk.JWK(**json.loads(i.keys(n))["keys"][0]).thumbprint() for n, i in (("ncsc", ncsc), ("rdi", rdi))]
    check("endpoint list shows both training mailboxes with the pinned mailbox keys",
          listing.returncode == 0 and all(t in listing.stdout for t in thumbs)
          and listing.stdout.count("training") == 2, listing.stdout)

    # Re-delivery: the same submit again, then a forced re-send of delivered deliveries.
    again = client.run("submit", path)
    check("a second submit of the same report → exit 0, same receipts",
          again.returncode == 0 and all(d["receipt_id"] in again.stdout for d in deliveries.values()),
          again.stdout + again.stderr)
    with sqlite3.connect(client.db, timeout=10) as db:
        db.execute("DELETE FROM receipts WHERE report_id = ?", (report_id,))
        db.execute("UPDATE deliveries SET state = 'pending', attempts = 0 WHERE report_id = ?", (report_id,))
    retry = client.run("outbox", "retry", "--include-failed")
    after = client.deliveries(report_id)
    check("outbox retry after resetting both deliveries → exit 0, delivered again",
          retry.returncode == 0 and all(d["state"] == "delivered" for d in after.values()),
          retry.stdout + retry.stderr)
    check("the re-sent report got the same receipts back (idempotent intake)",
          all(after[n]["receipt_id"] == deliveries[n]["receipt_id"] for n in ("ncsc", "rdi")))
    check("still exactly one record in each intake after two re-deliveries",
          len(ncsc.rows()) == 1 and len(rdi.rows()) == 1)
    outbox = client.run("outbox", "list")
    check("outbox list → exit 0 with both deliveries delivered",
          outbox.returncode == 0 and outbox.stdout.count("delivered") == 2, outbox.stdout)
    ncsc.stop()
    rdi.stop()


def test_recipient_down(tmp, ctx):
    client = Client(tmp, "down")
    ncsc = Intake(os.path.join(client.dir, "ncsc.db"), ["ncsc"], training=True)
    port = closed_port()
    client.endpoint("ncsc", ncsc.mailbox_url("ncsc"), "--training")
    client.endpoint("rdi", f"http://127.0.0.1:{port}/rdi", "--training")
    path, report_id = client.report()

    result = client.run("submit", path)
    d = client.deliveries(report_id)
    check("rdi down: submit → exit 1", result.returncode == 1, result.stdout + result.stderr)
    check("rdi down: ncsc delivered all the same", d["ncsc"]["state"] == "delivered" and len(ncsc.rows()) == 1)
    check("rdi down: rdi pending with the network error, one attempt",
          d["rdi"]["state"] == "pending" and d["rdi"]["attempts"] == 1 and d["rdi"]["error"], d["rdi"])
    check("rdi down: the pending line says so", "rdi: pending" in result.stdout, result.stdout)
    listed = client.run("outbox")
    check("outbox list while rdi is pending → exit 1", listed.returncode == 1, listed.stdout)

    try:
        rdi = Intake(os.path.join(client.dir, "rdi.db"), ["rdi"], training=True, port=port)
    except RuntimeError:
        note(f"port {port} was taken meanwhile: the recipient returns on another port")
        rdi = Intake(os.path.join(client.dir, "rdi.db"), ["rdi"], training=True)
        client.endpoint("rdi", rdi.mailbox_url("rdi"), "--training")
    retry = client.run("outbox", "retry")
    d = client.deliveries(report_id)
    check("rdi back: outbox retry → exit 0, both delivered",
          retry.returncode == 0 and d["rdi"]["state"] == "delivered" and d["ncsc"]["state"] == "delivered",
          retry.stdout + retry.stderr)
    check("rdi back: one record per intake, identical bytes",
          len(ncsc.rows()) == 1 and len(rdi.rows()) == 1 and ncsc.rows()[0][2] == rdi.rows()[0][2])
    ncsc.stop()
    rdi.stop()


def test_intake_killed(tmp, ctx):
    """SIGKILL of the intake while our report request is in flight (the intake is stopped
    with SIGSTOP so the request waits in it), then a restart on the same port."""
    client = Client(tmp, "intake-killed")
    ncsc = Intake(os.path.join(client.dir, "ncsc.db"), ["ncsc"], training=True)
    rdi = Intake(os.path.join(client.dir, "rdi.db"), ["rdi"], training=True)
    # Enrolled and pinned beforehand, so that the first request is the report itself.
    ncsc.enrol("ncsc", ctx["public_jwk"])
    client.endpoint("ncsc", ncsc.mailbox_url("ncsc"), "--training",
                    "--receipt-key", ncsc.key_file("ncsc", os.path.join(client.dir, "ncsc.jwk")))
    client.endpoint("rdi", rdi.mailbox_url("rdi"), "--training")
    path, report_id = client.report()

    ncsc.proc.send_signal(signal.SIGSTOP)
    proc = client.spawn("submit", path)
    # Wait until rdi is done (delivery is parallel), so the ncsc request is surely out.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not rdi.rows():
        time.sleep(0.05)
    time.sleep(0.3)
    check("client still waiting on the stopped intake", proc.poll() is None)
    ncsc.kill()
    out, err = proc.communicate(timeout=30)
    d = client.deliveries(report_id)
    check("intake killed mid-request: submit → exit 1, ncsc pending, rdi delivered",
          proc.returncode == 1 and d["ncsc"]["state"] == "pending" and d["rdi"]["state"] == "delivered",
          out.decode() + err.decode())

    try:
        ncsc.start(ncsc.port)
    except RuntimeError:
        note(f"port {ncsc.port} was taken meanwhile: the intake returns on another port")
        ncsc.start(0)
        client.endpoint("ncsc", ncsc.mailbox_url("ncsc"), "--training",
                        "--receipt-key", os.path.join(client.dir, "ncsc.jwk"))
    retry = client.run("outbox", "retry")
    d = client.deliveries(report_id)
    rows = ncsc.rows("ncsc")
    check("intake restarted: outbox retry → exit 0, ncsc delivered",
          retry.returncode == 0 and d["ncsc"]["state"] == "delivered", retry.stdout + retry.stderr)
    check("intake restarted: exactly one record of the report at ncsc, and its receipt is ours",
          len(rows) == 1 and rows[0][1] == report_id and rows[0][3] == d["ncsc"]["receipt"], rows)
    ncsc.stop()
    rdi.stop()


def test_answer_lost(tmp, ctx):
    """The intake stores the report but the answer never arrives (the connection dies after
    the intake committed): the retry gets the same receipt, no second record."""
    client = Client(tmp, "answer-lost")
    ncsc = Intake(os.path.join(client.dir, "ncsc.db"), ["ncsc"], training=True)
    rdi = Intake(os.path.join(client.dir, "rdi.db"), ["rdi"], training=True)
    proxy = Proxy(ncsc.port, drop=1)
    client.endpoint("ncsc", proxy.url + "ncsc", "--training")
    client.endpoint("rdi", rdi.mailbox_url("rdi"), "--training")
    path, report_id = client.report()

    result = client.run("submit", path)
    d = client.deliveries(report_id)
    check("answer lost: submit → exit 1, ncsc pending although the intake stored it",
          result.returncode == 1 and d["ncsc"]["state"] == "pending" and len(ncsc.rows()) == 1,
          result.stdout + result.stderr)
    retry = client.run("outbox", "retry")
    d = client.deliveries(report_id)
    rows = ncsc.rows()
    check("answer lost: outbox retry → exit 0, delivered with the intake's original receipt",
          retry.returncode == 0 and d["ncsc"]["state"] == "delivered" and len(rows) == 1
          and rows[0][3] == d["ncsc"]["receipt"], retry.stdout + retry.stderr)
    check("answer lost: the report was sent twice, stored once", proxy.reports_forwarded == 2,
          proxy.reports_forwarded)
    proxy.close()
    ncsc.stop()
    rdi.stop()


def test_redirect(tmp, ctx):
    """A redirect is never followed, not even to the real mailbox (libsoup would follow
    one for GET /v1/keys, and a key fetched elsewhere would be pinned)."""
    client = Client(tmp, "redirect")
    ncsc = Intake(os.path.join(client.dir, "ncsc.db"), ["ncsc"], training=True)
    rdi = Intake(os.path.join(client.dir, "rdi.db"), ["rdi"], training=True)
    proxy = Proxy(ncsc.port, redirect=ncsc.url)
    client.endpoint("ncsc", proxy.url + "ncsc", "--training")
    client.endpoint("rdi", rdi.mailbox_url("rdi"), "--training")
    path, report_id = client.report()
    r = client.run("submit", path)
    d = client.deliveries(report_id)
    check("a 307 redirect → exit 1, ncsc failed naming the redirect, nothing stored at ncsc",
          r.returncode == 1 and d["ncsc"]["state"] == "failed"
          and f"redirects to “{ncsc.url}ncsc/v1/keys”" in d["ncsc"]["error"]
          and len(ncsc.rows()) == 0 and d["rdi"]["state"] == "delivered", r.stdout + r.stderr)
    listing = client.run("endpoint", "list")
    check("... and no mailbox key was pinned from the redirect target",
          re.search(r"^ncsc\s+training\s+no\s+-\s", listing.stdout, re.M) is not None, listing.stdout)
    proxy.close()
    ncsc.stop()
    rdi.stop()


def test_client_killed(tmp, ctx):
    """SIGKILL of meldwijzer-cli while the rdi intake has stored the report but its answer
    is held back; after restart, outbox retry completes every delivery exactly once."""
    client = Client(tmp, "client-killed")
    ncsc = Intake(os.path.join(client.dir, "ncsc.db"), ["ncsc"], training=True)
    rdi = Intake(os.path.join(client.dir, "rdi.db"), ["rdi"], training=True)
    proxy = Proxy(rdi.port, hold=True)
    client.endpoint("ncsc", ncsc.mailbox_url("ncsc"), "--training")
    client.endpoint("rdi", proxy.url + "rdi", "--training")
    path, report_id = client.report()

    proc = client.spawn("submit", path)
    seen = proxy.report_seen.wait(20)
    check("client killed: the report reached rdi while the client waits", seen and proc.poll() is None)
    proc.kill()
    proc.wait()
    proxy.release()
    d = client.deliveries(report_id)
    check("client killed: rdi is still pending in the store (no receipt yet), rdi holds the report",
          d["rdi"]["state"] == "pending" and len(rdi.rows()) == 1, d)
    proxy.hold = False

    retry = client.run("outbox", "retry")
    d = client.deliveries(report_id)
    check("after restart: outbox retry → exit 0, every delivery delivered",
          retry.returncode == 0 and all(x["state"] == "delivered" for x in d.values()) and len(d) == 2,
          retry.stdout + retry.stderr)
    check("after restart: exactly one record per intake, receipts equal the intakes' own",
          len(ncsc.rows()) == 1 and len(rdi.rows()) == 1
          and ncsc.rows()[0][3] == d["ncsc"]["receipt"] and rdi.rows()[0][3] == d["rdi"]["receipt"])
    again = client.run("outbox", "retry")
    check("a further outbox retry sends nothing and exits 0",
          again.returncode == 0 and len(rdi.rows()) == 1 and proxy.reports_forwarded == 2,
          (again.returncode, proxy.reports_forwarded))
    proxy.close()
    ncsc.stop()
    rdi.stop()


def test_parallel(tmp, ctx):
    """ncsc (delivered first in order) is made 4 s slow; rdi must not wait for it."""
    delay = 4.0
    client = Client(tmp, "parallel")
    ncsc = Intake(os.path.join(client.dir, "ncsc.db"), ["ncsc"], training=True)
    rdi = Intake(os.path.join(client.dir, "rdi.db"), ["rdi"], training=True)
    proxy = Proxy(ncsc.port, delay=delay)
    client.endpoint("ncsc", proxy.url + "ncsc", "--training")
    client.endpoint("rdi", rdi.mailbox_url("rdi"), "--training")
    path, report_id = client.report()

    result = client.run("submit", path)
    d = client.deliveries(report_id)
    check("slow ncsc: submit → exit 0, both delivered",
          result.returncode == 0 and all(x["state"] == "delivered" for x in d.values()),
          result.stdout + result.stderr)
    try:
        slow, fast = rfc3339(d["ncsc"]["received_at"]), rfc3339(d["rdi"]["received_at"])
        gap = (slow - fast).total_seconds()
    except Exception:  # noqa: BLE001
        gap = None
    note(f"received_at gap slow − fast = {gap} s (slow recipient delayed {delay} s)")
    check("rdi's receipt is at least 2 s earlier than the slow ncsc's (parallel delivery)",
          gap is not None and gap >= 2, gap)
    proxy.close()
    ncsc.stop()
    rdi.stop()


def test_live_and_refusals(tmp, ctx):
    """Live and training never cross; a wrong receipt key and 422 answers end as failed."""
    client = Client(tmp, "live")
    live_db = os.path.join(client.dir, "live.db")
    for mailbox in ("ncsc", "rdi"):
        operator_enrol(live_db, mailbox, ctx["public_jwk"])
    live = Intake(live_db, ["ncsc", "rdi"])
    train = Intake(os.path.join(client.dir, "train.db"), ["ncsc", "rdi"], training=True)
    keys = {m: live.key_file(m, os.path.join(client.dir, f"live-{m}.jwk")) for m in ("ncsc", "rdi")}
    # ncsc as the contract's plain "endpoint set RECIPIENT URL": the mailbox is asked whether
    # it is a training mailbox, and a live one's receipt key is fetched and shown; rdi with
    # everything given explicitly.
    r = client.endpoint("ncsc", live.mailbox_url("ncsc"))
    grouped = " ".join(re.findall(".{4}", base64.urlsafe_b64decode(jwk.JWK(**json.loads(live.keys("ncsc"))["keys"][0]).thumbprint() + "=").hex().upper()))
    check("endpoint set to a live mailbox fetches its receipt key and shows the thumbprint in groups",
          f"receipts with key {grouped}" in r.stdout and "live endpoint set" in r.stdout, r.stdout + r.stderr)
    r = client.endpoint("ncsc", train.mailbox_url("ncsc"))
    check("endpoint set to a training mailbox stores it as the training mailbox",
          "is a training mailbox" in r.stdout and "training mailbox set" in r.stdout, r.stdout + r.stderr)
    client.endpoint("rdi", live.mailbox_url("rdi"), "--receipt-key", keys["rdi"])
    client.endpoint("rdi", train.mailbox_url("rdi"), "--training")
    listing = client.run("endpoint", "list").stdout
    check("endpoint list: a live and a training endpoint for each recipient",
          all(re.search(rf"^{m}\s+{mode}\s", listing, re.M) for m in ("ncsc", "rdi") for mode in ("live", "training")),
          listing)

    tpath, treport = client.report(training=True)
    lpath, lreport = client.report(training=False)
    t = client.run("submit", tpath)
    check("training report → exit 0, only in the training intake",
          t.returncode == 0 and len(train.rows()) == 2 and len(live.rows()) == 0, t.stdout + t.stderr)
    lv = client.run("submit", lpath)
    d = client.deliveries(lreport)
    check("live report → exit 0, only in the live intake, with receipts verified against the configured keys",
          lv.returncode == 0 and len(live.rows()) == 2 and len(train.rows()) == 2
          and all(x["state"] == "delivered" for x in d.values()), lv.stdout + lv.stderr)
    check("the live receipts verify with jwcrypto against /v1/keys",
          all(verify_with_keyset(live.keys(m), d[m]["receipt"])["recipient"] == m for m in ("ncsc", "rdi")))

    # A receipt signed by another key than the configured one.
    wrong = os.path.join(client.dir, "wrong.jwk")
    with open(wrong, "w") as f:
        f.write(jwk.JWK.generate(kty="OKP", crv="Ed25519").export_public())
    client.endpoint("ncsc", live.mailbox_url("ncsc"), "--receipt-key", wrong)
    path, report_id = client.report(training=False)
    r = client.run("submit", path)
    d = client.deliveries(report_id)
    check("wrong receipt key: submit → exit 1, ncsc failed, rdi delivered",
          r.returncode == 1 and d["ncsc"]["state"] == "failed" and d["rdi"]["state"] == "delivered",
          r.stdout + r.stderr)
    check("wrong receipt key: the message names the recipient and the key problem",
          "ncsc" in d["ncsc"]["error"] and "pinned key" in d["ncsc"]["error"]
          and "ncsc: failed" in r.stdout, d["ncsc"]["error"])
    retry = client.run("outbox", "retry")
    check("a failed delivery is not retried without --include-failed (still exit 1)",
          retry.returncode == 1 and client.deliveries(report_id)["ncsc"]["state"] == "failed", retry.stdout)

    # A live report to a training mailbox: 422 from the intake, failed with its message.
    # (endpoint set would see that it is a training mailbox: a proxy that does not let it ask
    # makes it a live endpoint.)
    train.enrol("ncsc", ctx["public_jwk"])
    blind = Proxy(train.port, blind=True)
    client.endpoint("ncsc", blind.url + "ncsc",
                    "--receipt-key", train.key_file("ncsc", os.path.join(client.dir, "train-ncsc.jwk")))
    path, report_id = client.report(training=False)
    before = len(train.rows())
    r = client.run("submit", path)
    d = client.deliveries(report_id)
    check("live report at a training mailbox → 422, failed with the server's message, nothing stored",
          r.returncode == 1 and d["ncsc"]["state"] == "failed" and "422" in d["ncsc"]["error"]
          and "live_report" in d["ncsc"]["error"] and len(train.rows()) == before, d["ncsc"])
    check("... with one attempt only (4xx is not retried)", d["ncsc"]["attempts"] <= 1, d["ncsc"])

    # A training report to a live mailbox (our key is enrolled there): 422 as well.
    client.endpoint("ncsc", live.mailbox_url("ncsc"), "--training", "--receipt-key", keys["ncsc"])
    path, report_id = client.report(training=True)
    before = len(live.rows())
    r = client.run("submit", path)
    d = client.deliveries(report_id)
    check("training report at a live mailbox → 422, failed with the server's message, nothing stored",
          r.returncode == 1 and d["ncsc"]["state"] == "failed" and "422" in d["ncsc"]["error"]
          and "training_report" in d["ncsc"]["error"] and len(live.rows()) == before, d["ncsc"])

    # A live endpoint without a receipt key (its mailbox could not be asked for one): the
    # report is not sent at all.
    blind_live = Proxy(live.port, blind=True)
    r = client.run("endpoint", "set", "rdi", blind_live.url + "rdi")
    check("endpoint set warns when the mailbox cannot be asked and no receipt key is given",
          r.returncode == 0 and "could not ask the mailbox" in r.stderr and "no receipt key" in r.stderr, r.stderr)
    path, report_id = client.report(training=False)
    before = len(live.rows("rdi"))
    r = client.run("submit", path)
    d = client.deliveries(report_id)
    check("live endpoint without receipt key → failed with advice, not sent",
          r.returncode == 1 and d["rdi"]["state"] == "failed" and "no receipt key" in d["rdi"]["error"]
          and "--receipt-key" in r.stdout
          and len(live.rows("rdi")) == before and blind_live.reports_forwarded == 0, d["rdi"])
    blind.close()
    blind_live.close()
    live.stop()
    train.stop()


def test_practice_and_errors(tmp, ctx):
    client = Client(tmp, "practice")
    path, report_id = client.report(training=True)
    r = client.run("submit", path)
    practice_db = os.path.join(client.dir, "training-intake.db")
    d = client.deliveries(report_id)
    rows = intake_rows(practice_db)
    check("training without endpoints: submit starts the practice intake and delivers to both → exit 0",
          r.returncode == 0 and all(x["state"] == "delivered" for x in d.values()) and len(d) == 2
          and len(rows) == 2 and {m for m, *_ in rows} == {"ncsc", "rdi"}, r.stdout + r.stderr)
    listing = client.run("endpoint", "list")
    check("the practice intake's temporary mailboxes are not left configured",
          "127.0.0.1" not in listing.stdout, listing.stdout)

    # The practice intake cannot start: the deliveries wait, with the store's message.
    other = Client(tmp, "practice-broken")
    other.env["MELDWIJZER_INTAKE"] = os.path.join(other.dir, "no-such-intake")
    other.env["PATH"] = "/usr/bin:/bin"
    bpath, breport = other.report(training=True)
    r = other.run("submit", bpath)
    d = other.deliveries(breport)
    check("practice intake unavailable: exit 1, says why, deliveries pending with the store's message",
          r.returncode == 1 and "practice intake could not start" in r.stdout + r.stderr
          and all(x["state"] == "pending" and "no training mailbox" in x["error"]
                  and "never filed with the real recipient" in x["error"] for x in d.values()) and len(d) == 2,
          r.stdout + r.stderr)

    # Practice endpoints left behind (as the wizard does) to a port where nobody listens:
    # submit starts its own practice intake for the run.
    with open(practice_db + ".key") as f:
        private = json.load(f)
    practice_key = os.path.join(client.dir, "practice.jwk")
    with open(practice_key, "w") as f:
        json.dump({"crv": private["crv"], "kty": private["kty"], "x": private["x"]}, f)
    port = closed_port()
    for mailbox in ("ncsc", "rdi"):
        client.endpoint(mailbox, f"http://127.0.0.1:{port}/{mailbox}", "--training", "--receipt-key", practice_key)
    path2, report2 = client.report(training=True)
    r = client.run("submit", path2)
    d = client.deliveries(report2)
    rows = intake_rows(practice_db)
    listing = client.run("endpoint", "list")
    check("stale practice endpoints: submit starts the practice intake again and delivers → exit 0",
          r.returncode == 0 and all(x["state"] == "delivered" for x in d.values()) and len(rows) == 4
          and str(port) not in listing.stdout, r.stdout + r.stderr + listing.stdout)

    # The wizard's practice intake running: its endpoints are used as they are, and kept.
    running = Intake(practice_db, ["ncsc", "rdi"], training=True)
    for mailbox in ("ncsc", "rdi"):
        client.endpoint(mailbox, running.mailbox_url(mailbox), "--training", "--receipt-key", practice_key)
    path3, report3 = client.report(training=True)
    r = client.run("submit", path3)
    d = client.deliveries(report3)
    listing = client.run("endpoint", "list")
    check("running practice intake: used as configured, its endpoints kept → exit 0",
          r.returncode == 0 and all(x["state"] == "delivered" for x in d.values())
          and len(running.rows()) == 6 and listing.stdout.count(str(running.port)) == 2,
          r.stdout + r.stderr + listing.stdout)
    running.stop()

    lpath, lreport = client.report(training=False)
    r = client.run("submit", lpath)
    d = client.deliveries(lreport)
    rows_after = intake_rows(practice_db)
    check("live without endpoints: awaiting filing at the desk (not pending), exit 1, never the practice intake",
          r.returncode == 1 and all(x["state"] == "awaiting-filing" and x["attempts"] == 0 for x in d.values())
          and len(d) == 2 and len(rows_after) == 6, r.stdout + r.stderr)
    check("submit says what to do next: the NCSC's form from the regime and the outbox manual command",
          "https://www.ncsc.nl/en/report-an-incident-to-ncsc-nl" in r.stdout
          and f"outbox manual {lreport} ncsc --reference REF" in r.stdout and "--channel ncsc-form" in r.stdout
          and "outbox manual" in r.stderr, r.stdout + r.stderr)
    check("the RDI, which the NCSC's desk passes reports on to, needs no filing of its own",
          "passes the report on to this recipient" in r.stdout and f"outbox manual {lreport} rdi" not in r.stdout,
          r.stdout)
    listed = json.loads(client.run("outbox", "list", "--json").stdout)
    fields = {"report_id", "incident_id", "recipient", "state", "receipt_id", "received_at", "reference",
              "filed_at", "forwarded_by", "error"}
    check("outbox list --json prints exactly the contract's fields",
          listed and all(set(x) == fields for x in listed), json.dumps(listed[:1]))

    def snapshot():
        with sqlite3.connect(f"file:{client.db}?mode=ro", uri=True, timeout=10) as db:
            return db.execute("SELECT * FROM deliveries ORDER BY report_id, recipient").fetchall()

    before = snapshot()
    refusals = (
        (("outbox", "manual", str(uuid.uuid4()), "ncsc", "--reference", "X-1"), 1, "There is no report"),
        (("outbox", "manual", lreport, "nobody", "--reference", "X-1"), 1, "its recipients are: "),
        (("outbox", "manual", lreport, "ncsc", "--reference", "  "), 1, "reference: "),
        (("outbox", "manual", lreport, "ncsc", "--reference", "X-1", "--at", "yesterday"), 1, "--at: “yesterday” is not a time"),
        (("outbox", "manual", lreport, "ncsc", "--reference", "X-1", "--at", "2026-02-30T10:00"), 1, "is not a time"),
        (("outbox", "manual", lreport, "ncsc", "--reference", "X-1", "--at", "2999-01-01T10:00"), 1, "lies in the future"),
        (("outbox", "manual", lreport, "ncsc", "--reference", "X-1", "--channel", "carrier-pigeon"), 1, "channel: "),
        (("outbox", "manual", report_id, "ncsc", "--reference", "X-1"), 1, "training report"),
        (("outbox", "manual", lreport, "ncsc"), 2, "--reference"),
        (("outbox", "manual", lreport), 2, "--reference"),
    )
    for args, code, text in refusals:
        r = client.run(*args)
        check(f"{' '.join(args[2:])[:60]} → exit {code}, a clear message, nothing changed",
              r.returncode == code and text in r.stderr and snapshot() == before, r.stdout + r.stderr)

    r = client.run("outbox", "manual", lreport, "ncsc", "--reference", "NCSC-2026-1234", "--at", "2026-12-06T03:10",
                   "--channel", "ncsc-form")
    d = client.deliveries(lreport)
    listed = {x["recipient"]: x for x in json.loads(client.run("outbox", "list", "--json").stdout)
              if x["report_id"] == lreport}
    check("outbox manual records the filing: reference, --at without offset in Dutch time (CET in December)",
          r.returncode == 0 and listed["ncsc"]["state"] == "filed-by-hand"
          and listed["ncsc"]["reference"] == "NCSC-2026-1234"
          and listed["ncsc"]["filed_at"] == "2026-12-06T03:10:00+01:00", r.stdout + r.stderr + json.dumps(listed))
    check("the NCSC's desk passes it on: rdi is forwarded by ncsc (the regime's forwarded_by)",
          listed["rdi"]["state"] == "forwarded" and listed["rdi"]["forwarded_by"] == "ncsc"
          and "forwarded by ncsc" in r.stdout, r.stdout + json.dumps(listed))
    r2 = client.run("outbox", "manual", report_id, "ncsc", "--reference", "X")
    r3 = client.run("outbox", "manual", lreport, "ncsc", "--reference", "other")
    check("a delivered one or one already filed is refused (exit 1)",
          r2.returncode == 1 and r3.returncode == 1 and "already recorded" in r3.stderr
          and client.deliveries(lreport)["ncsc"]["state"] == "filed-by-hand", r2.stderr + r3.stderr)
    listed = client.run("outbox", "list")
    check("outbox list → exit 0 once every delivery is delivered, filed or forwarded",
          listed.returncode == 0 and f"{lreport} ncsc: filed by hand at 2026-12-06T03:10:00+01:00, reference NCSC-2026-1234"
          in listed.stdout and f"{lreport} rdi: forwarded by ncsc" in listed.stdout, listed.stdout)

    # Errors of the command line.
    bad = json.load(open(path))
    del bad["provider"]["name"]
    bad["report_id"] = str(uuid.uuid4())
    bad_path = os.path.join(client.dir, "incomplete.json")
    with open(bad_path, "w") as f:
        json.dump(bad, f)
    r = client.run("submit", bad_path)
    check("an incomplete report → exit 1, each problem as FILE: path: message, nothing stored",
          r.returncode == 1 and re.search(re.escape(bad_path) + r": provider[./]name: ", r.stderr)
          and bad["report_id"] not in json.dumps(client.deliveries()), r.stderr)
    env = dict(client.env, MELDWIJZER_KEYRING_PROFILE=PROFILE + "-nokey")
    r = client.run("submit", path, env=env)
    check("no signing key → exit 1 telling to run key generate",
          r.returncode == 1 and "meldwijzer-cli key generate" in r.stderr, r.stderr)
    r = client.run("endpoint", "set", "ncsc", "http://192.0.2.10/ncsc")
    check("endpoint set refuses http:// to a non-loopback host", r.returncode == 1 and "HTTPS" in r.stderr, r.stderr)
    for url in ("https://intake.example.nl/", "https://intake.example.nl/ncsc?x=1", "https://u:p@intake.example.nl/ncsc",
                "ftp://intake.example.nl/ncsc", "not a url"):
        r = client.run("endpoint", "set", "ncsc", url)
        check(f"endpoint set refuses “{url}” with a message naming the URL",
              r.returncode == 1 and "URL: " in r.stderr, r.stderr)
    for url in ("http://localhost:9/ncsc", "http://[::1]:9/ncsc", "http://127.0.0.1:9/ncsc"):
        r = client.run("endpoint", "set", "ncsc", url, "--training")
        check(f"endpoint set accepts plain http to this computer: {url}", r.returncode == 0, r.stderr)
    client.run("endpoint", "set", "ncsc", "http://127.0.0.1:9/ncsc", "--training")
    r = client.run("endpoint", "set", "nobody", "https://intake.example.nl/x")
    check("endpoint set refuses an unknown recipient, listing the known ones",
          r.returncode == 1 and "nobody" in r.stderr and "ncsc" in r.stderr, r.stderr)
    junk = os.path.join(client.dir, "junk.pem")
    with open(junk, "w") as f:
        f.write("not a certificate\n")
    r = client.run("endpoint", "set", "ncsc", "https://intake.example.nl/ncsc", "--pin", junk)
    check("endpoint set refuses a --pin that is not a PEM certificate", r.returncode == 1 and junk in r.stderr, r.stderr)
    r = client.run("endpoint", "set", "ncsc", "https://intake.example.nl/ncsc", "--receipt-key", junk)
    check("endpoint set refuses a --receipt-key that is not a JWK", r.returncode == 1 and junk in r.stderr, r.stderr)
    # The same report_id with other content: a signed report cannot change.
    changed = json.load(open(path))
    changed["nature"]["summary"] = "Something else entirely"
    changed_path = os.path.join(client.dir, "changed.json")
    with open(changed_path, "w") as f:
        json.dump(changed, f)
    r = client.run("submit", changed_path)
    check("the same report_id with other content → exit 1, pointing to a follow-up report",
          r.returncode == 1 and "report_id" in r.stderr and "follow-up" in r.stderr, r.stderr)
    listing = client.run("endpoint", "list")
    check("none of the refused endpoints was stored", "example.nl" not in listing.stdout and "192.0.2" not in listing.stdout,
          listing.stdout)
    r = client.run("outbox", "sideways")
    check("outbox with an unknown action → exit 2", r.returncode == 2, r.stderr)


def make_cert(directory, name):
    key = os.path.join(directory, f"{name}-key.pem")
    cert = os.path.join(directory, f"{name}-cert.pem")
    template = os.path.join(directory, f"{name}.cfg")
    with open(template, "w") as f:
        f.write('cn = "127.0.0.1"\nip_address = "127.0.0.1"\nexpiration_days = 2\n'
                'tls_www_server\nsigning_key\nencryption_key\n')
    subprocess.run(["certtool", "--generate-privkey", "--key-type=ecdsa", "--outfile", key],
                   check=True, capture_output=True, timeout=20)
    subprocess.run(["certtool", "--generate-self-signed", "--load-privkey", key, "--template", template,
                    "--outfile", cert], check=True, capture_output=True, timeout=20)
    return cert, key


def test_tls(tmp, ctx):
    client = Client(tmp, "tls")
    cert, key = make_cert(client.dir, "server")
    other, _ = make_cert(client.dir, "other")
    ncsc = Intake(os.path.join(client.dir, "ncsc.db"), ["ncsc"], training=True, tls=(cert, key))
    rdi = Intake(os.path.join(client.dir, "rdi.db"), ["rdi"], training=True)
    url = f"https://127.0.0.1:{ncsc.port}/ncsc"
    client.endpoint("rdi", rdi.mailbox_url("rdi"), "--training")

    r = client.run("endpoint", "set", "ncsc", ncsc.mailbox_url("ncsc").replace("https:", "http:"),
                   "--training", "--pin", cert)
    check("endpoint set refuses --pin on a plain http:// URL", r.returncode == 1 and "--pin" in r.stderr, r.stderr)

    # A pin of another certificate: the TLS handshake is refused, nothing is delivered.
    client.endpoint("ncsc", url, "--training", "--pin", other)
    path, report_id = client.report()
    r = client.run("submit", path)
    d = client.deliveries(report_id)
    check("HTTPS with the wrong pinned certificate → exit 1, ncsc not delivered, rdi delivered",
          r.returncode == 1 and d["ncsc"]["state"] in ("pending", "failed") and d["rdi"]["state"] == "delivered",
          r.stdout + r.stderr)
    check("... and the intake never received it (nor was our key enrolled there)",
          len(ncsc.rows()) == 0, ncsc.rows())
    check("... with a message naming the recipient and the pinned certificate",
          "ncsc" in d["ncsc"]["error"] and "pinned certificate" in d["ncsc"]["error"], d["ncsc"]["error"])

    # No pin: the self-signed certificate is not trusted by the system store either.
    client.endpoint("ncsc", url, "--training")
    r = client.run("outbox", "retry")
    d = client.deliveries(report_id)
    check("HTTPS with an untrusted certificate and no pin → still not delivered, told to pin it",
          r.returncode == 1 and d["ncsc"]["state"] == "pending" and len(ncsc.rows()) == 0
          and "not trusted" in d["ncsc"]["error"], r.stdout + r.stderr)

    # The right pin: delivered, the receipt verifies.
    r = client.run("endpoint", "set", "ncsc", url, "--pin", other)
    check("endpoint set with a wrong pin cannot ask the mailbox and says so",
          r.returncode == 0 and "could not ask the mailbox" in r.stderr and "pinned certificate" in r.stderr, r.stderr)
    r = client.endpoint("ncsc", url, "--pin", cert)
    check("endpoint set with the right pin asks the mailbox over HTTPS: a training mailbox",
          "is a training mailbox" in r.stdout, r.stdout + r.stderr)
    listing = client.run("endpoint", "list")
    check("endpoint list shows the pinned certificate",
          re.search(r"^ncsc\s+training\s+yes\s", listing.stdout, re.M) is not None, listing.stdout)
    r = client.run("outbox", "retry")
    d = client.deliveries(report_id)
    rows = ncsc.rows()
    check("HTTPS with the pinned certificate → outbox retry exit 0, delivered once",
          r.returncode == 0 and d["ncsc"]["state"] == "delivered" and len(rows) == 1 and rows[0][1] == report_id,
          r.stdout + r.stderr)
    try:
        ok = verify_with_keyset(ncsc.keys("ncsc"), d["ncsc"]["receipt"])["report_id"] == report_id
    except Exception as e:  # noqa: BLE001
        ok = False
        note(repr(e))
    check("the receipt over HTTPS verifies with jwcrypto", ok)
    ncsc.stop()
    rdi.stop()


# ---------------------------------------------------------------------------------------


def setup_keyring(tmp):
    """The Secret Service of the session when there is one, else libsecret's file backend."""
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        note("keyring: the session's Secret Service")
    else:
        BASE_ENV.update({"SECRET_BACKEND": "file",
                         "SECRET_FILE_TEST_PATH": os.path.join(tmp, "keyring"),
                         "SECRET_FILE_TEST_PASSWORD": "test"})
        note("keyring: libsecret file backend (no session bus)")
    BASE_ENV["MELDWIJZER_KEYRING_PROFILE"] = PROFILE
    BASE_ENV.pop("MELDWIJZER_DB", None)
    result = subprocess.run([CLI, "key", "generate", "--force"], capture_output=True, text=True,
                            env=BASE_ENV, timeout=30)
    if result.returncode != 0:
        raise RuntimeError("key generate failed: " + result.stderr)
    public = os.path.join(tmp, "ours.jwk")
    result = subprocess.run([CLI, "key", "export-public", public], capture_output=True, text=True,
                            env=BASE_ENV, timeout=30)
    if result.returncode != 0:
        raise RuntimeError("key export-public failed: " + result.stderr)
    return {"public_jwk": public}


def cleanup_keyring():
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return
    try:
        import gi
        gi.require_version("Secret", "1")
        from gi.repository import Secret
        schema = Secret.Schema.new("io.github.meldwijzer.Meldwijzer.SigningKey", Secret.SchemaFlags.NONE,
                                   {"purpose": Secret.SchemaAttributeType.STRING,
                                    "profile": Secret.SchemaAttributeType.STRING})
        Secret.password_clear_sync(schema, {"purpose": "signing", "profile": PROFILE}, None)
    except Exception as e:  # noqa: BLE001
        note(f"could not remove the test key from the keyring: {e!r}")


def main():
    for name, value in (("MELDWIJZER_INTAKE", INTAKE), ("MELDWIJZER_CLI", CLI)):
        if not value or not os.path.exists(value):
            print(f"1..0 # SKIP {name} is not set")
            return 0

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mw-delivery-") as tmp:
        try:
            ctx = setup_keyring(tmp)
        except Exception:  # noqa: BLE001
            check("a signing key for the test", False, traceback.format_exc())
            ctx = None
        tests = (test_both_mailboxes, test_recipient_down, test_intake_killed, test_answer_lost,
                 test_redirect, test_client_killed, test_parallel, test_live_and_refusals, test_practice_and_errors,
                 test_tls)
        for test in tests if ctx else ():
            t0 = time.monotonic()
            try:
                test(tmp, ctx)
            except Exception:  # noqa: BLE001
                check(f"{test.__name__} ran to the end", False, traceback.format_exc())
            note(f"{test.__name__}: {time.monotonic() - t0:.1f} s")
        for proc in processes:
            if proc.poll() is None:
                try:
                    os.kill(proc.pid, signal.SIGCONT)
                except OSError:
                    pass
                proc.kill()
                proc.wait()
        cleanup_keyring()

    print(f"1..{len(results)}")
    failed = sum(1 for ok, _, _ in results if not ok)
    print(f"# {len(results) - failed} passed, {failed} failed in {time.monotonic() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

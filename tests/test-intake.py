#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests meldwijzer-intake as a real process on loopback: every status code of the intake
protocol (DESIGN.md), receipts checked independently with jwcrypto, persistence across a
restart, the key file's mode, the enrol subcommand, and HTTPS with a certtool certificate.
Prints TAP."""

import base64
import hashlib
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import sqlite3
import ssl
import stat
import subprocess
import sys
import tempfile
import time
import traceback
import uuid

from jwcrypto import jwk, jws

INTAKE = os.environ.get("MELDWIJZER_INTAKE")
CLI = os.environ.get("MELDWIJZER_CLI")
MIB = 1024 * 1024

results = []
processes = []


def check(name, condition, detail=""):
    results.append((bool(condition), name, detail))
    status = "ok" if condition else "not ok"
    print(f"{status} {len(results)} - {name}", flush=True)
    if not condition and detail:
        for line in str(detail).splitlines():
            print(f"# {line}", flush=True)
    return bool(condition)


def skip(name, reason):
    results.append((True, name, reason))
    print(f"ok {len(results)} - {name} # SKIP {reason}", flush=True)


# ---------------------------------------------------------------------------------------
# Processes


class Intake:
    def __init__(self, db, mailboxes, training=False, tls=None, extra=()):
        args = [INTAKE, "--db", db]
        if training:
            args.append("--training")
        if tls:
            args += ["--tls-cert", tls[0], "--tls-key", tls[1]]
        args += ["--mailbox"] + list(mailboxes)
        args += list(extra)
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        processes.append(self.proc)
        line = self._read_line(10)
        m = re.fullmatch(r"listening on (https?)://([0-9.]+):(\d+)/\n", line or "")
        if not m:
            self.proc.kill()
            err = self.proc.stderr.read().decode(errors="replace")
            raise RuntimeError(f"intake did not start: stdout {line!r} stderr {err!r}")
        self.url = line.split(" ", 2)[2].strip()
        self.scheme, self.host, self.port = m.group(1), m.group(2), int(m.group(3))

    def _read_line(self, timeout):
        deadline = time.monotonic() + timeout
        data = b""
        fd = self.proc.stdout.fileno()
        while not data.endswith(b"\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], deadline - time.monotonic())
            if not ready:
                break
            chunk = os.read(fd, 1)
            if not chunk:
                break
            data += chunk
        return data.decode()

    def connection(self, context=None):
        if self.scheme == "https":
            return http.client.HTTPSConnection(self.host, self.port, timeout=10, context=context)
        return http.client.HTTPConnection(self.host, self.port, timeout=10)

    def request(self, method, path, body=None, headers=None, context=None):
        conn = self.connection(context)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheader("Content-Type") or "", response.read()
        finally:
            conn.close()

    def post_report(self, mailbox, token, content_type="application/jose"):
        body = token.encode() if isinstance(token, str) else token
        headers = {"Content-Type": content_type} if content_type else {}
        return self.request("POST", f"/{mailbox}/v1/reports", body, headers)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None


def raw_post(intake, path, body, content_type="application/jose"):
    """Sends a POST over a plain socket and returns the raw answer; tolerates a server that
    answers and closes before the whole body is sent (as it should for 413)."""
    answer = b""
    with socket.create_connection((intake.host, intake.port), timeout=10) as s:
        s.sendall((f"POST {path} HTTP/1.1\r\nHost: {intake.host}\r\n"
                   f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n").encode())
        try:
            for i in range(0, len(body), 65536):
                s.sendall(body[i:i + 65536])
                ready, _, _ = select.select([s], [], [], 0)
                if ready:
                    break
        except OSError:
            pass
        try:
            while b"\r\n\r\n" not in answer:
                chunk = s.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            pass
    return answer


def run(args, timeout=20):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout)


# ---------------------------------------------------------------------------------------
# JOSE helpers (independent of the C implementation)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_key():
    return jwk.JWK.generate(kty="OKP", crv="Ed25519")


def public_jwk_text(key):
    public = json.loads(key.export_public())
    return json.dumps({"crv": public["crv"], "kty": public["kty"], "x": public["x"]})


def sign(key, payload, cty="meldwijzer.report/1", kid=None):
    if isinstance(payload, (dict, list)):
        payload = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    header = {"alg": "EdDSA", "kid": kid or key.thumbprint()}
    if cty is not None:
        header["cty"] = cty
    token = jws.JWS(payload)
    token.add_signature(key, None, json.dumps(header, sort_keys=True, separators=(",", ":")))
    return token.serialize(compact=True)


EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reports", "cbw-dns-outage.json")


def report(training=False, summary="Storing DNS-resolvers", **extra):
    """A complete meldwijzer.report/1 (the intake validates what it receives) with new ids;
    provider and nature given in extra are merged into the example's."""
    with open(EXAMPLE) as f:
        data = json.load(f)
    data.update({
        "report_id": str(uuid.uuid4()),
        "incident_id": str(uuid.uuid4()),
        "stage": "early-warning",
        "training": training,
        "created_at": "2026-11-22T03:10:00+01:00",
    })
    data.pop("supersedes", None)
    data["provider"]["name"] = "Waterbedrijf Test & Zonen"
    data["nature"]["summary"] = summary
    # An early warning answers what Cbw art. 26 asks; "not known yet" (null) is an answer.
    data["nature"].setdefault("suspected_unlawful", None)
    data.setdefault("facts", {}).setdefault("cross_border", None)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key].update(value)
        else:
            data[key] = value
    return data


def error_code(status_body):
    try:
        return json.loads(status_body).get("error")
    except ValueError:
        return None


def verify_receipt(intake_url_keys, receipt, context=None):
    """Returns (header, payload) after verifying with the JWK Set from /v1/keys."""
    keyset = jwk.JWKSet.from_json(intake_url_keys)
    header = json.loads(b64url_decode(receipt.split(".")[0]))
    key = keyset.get_key(header["kid"])
    if key is None:
        raise ValueError(f"receipt kid {header['kid']} not in /v1/keys")
    token = jws.JWS()
    token.deserialize(receipt)
    token.verify(key)
    return header, json.loads(token.payload)


# ---------------------------------------------------------------------------------------
# The tests


def test_live(tmp):
    db = os.path.join(tmp, "live.db")
    alice = new_key()
    alice_file = os.path.join(tmp, "alice.jwk")
    with open(alice_file, "w") as f:
        f.write(public_jwk_text(alice))

    # Two mailboxes in the "--mailbox a b" form.
    intake = Intake(db, ["csirt", "regulator"])
    check("live intake prints 'listening on http://127.0.0.1:PORT/'",
          intake.url == f"http://127.0.0.1:{intake.port}/" and intake.port > 0, intake.url)

    key_path = db + ".key"
    mode = stat.S_IMODE(os.stat(key_path).st_mode)
    check("key file <db>.key exists with mode 0600", mode == 0o600, oct(mode))
    check("key file holds a private JWK",
          "d" in json.load(open(key_path)) and json.load(open(key_path)).get("crv") == "Ed25519")

    status, ctype, body = intake.request("GET", "/csirt/v1/keys")
    keys = json.loads(body)
    check("GET /csirt/v1/keys → 200 application/json JWK Set with one key",
          status == 200 and ctype.startswith("application/json") and len(keys.get("keys", [])) == 1,
          f"{status} {ctype} {body[:200]!r}")
    intake_key = jwk.JWK(**{k: keys["keys"][0][k] for k in ("kty", "crv", "x")})
    check("keys: kid is the RFC 7638 thumbprint and no private part is served",
          keys["keys"][0].get("kid") == intake_key.thumbprint() and "d" not in keys["keys"][0],
          keys)
    keys_json = body.decode()

    first = report()
    token = sign(alice, first)

    status, ctype, body = intake.post_report("csirt", token)
    check("POST with a key not enrolled → 401 unknown_kid (JSON error)",
          status == 401 and error_code(body) == "unknown_kid" and ctype.startswith("application/json")
          and json.loads(body).get("message"),
          f"{status} {ctype} {body!r}")

    status, ctype, body = intake.request("POST", "/csirt/v1/enrol", public_jwk_text(alice).encode(),
                                         {"Content-Type": "application/jwk+json"})
    message = json.loads(body).get("message", "") if status == 403 else ""
    check("POST /v1/enrol at a live mailbox → 403 naming 'meldwijzer-intake enrol'",
          status == 403 and error_code(body) and "meldwijzer-intake enrol" in message,
          f"{status} {body!r}")

    result = run([INTAKE, "enrol", "--db", db, "--mailbox", "csirt", alice_file])
    check("enrol subcommand enrols a key at a live mailbox (exit 0, prints the kid)",
          result.returncode == 0 and alice.thumbprint() in result.stdout,
          result.stdout + result.stderr)
    result = run([INTAKE, "enrol", "--db", db, "--mailbox", "csirt", alice_file])
    check("enrol subcommand again says 'already enrolled' (exit 0)",
          result.returncode == 0 and "already" in result.stdout, result.stdout + result.stderr)

    status, ctype, body = intake.post_report("csirt", token)
    check("POST a new report → 201 application/jose",
          status == 201 and ctype.startswith("application/jose"), f"{status} {ctype} {body[:300]!r}")
    receipt = body.decode()

    try:
        header, claims = verify_receipt(keys_json, receipt)
        verified = True
    except Exception as e:  # noqa: BLE001
        header, claims, verified = {}, {}, False
        print(f"# {e!r}")
    check("receipt verifies with jwcrypto against /v1/keys", verified)
    check("receipt header: alg EdDSA, cty meldwijzer.receipt/1, kid = intake key",
          header.get("alg") == "EdDSA" and header.get("cty") == "meldwijzer.receipt/1"
          and header.get("kid") == intake_key.thumbprint(), header)
    check("receipt has exactly receipt_id, report_id, report_sha256, recipient, received_at",
          set(claims) == {"receipt_id", "report_id", "report_sha256", "recipient", "received_at"},
          claims)
    check("receipt report_sha256 = SHA-256 of the exact JWS bytes",
          claims.get("report_sha256") == hashlib.sha256(token.encode()).hexdigest(), claims)
    check("receipt report_id and recipient (= mailbox name) are right",
          claims.get("report_id") == first["report_id"] and claims.get("recipient") == "csirt", claims)
    check("receipt_id is a UUID and received_at is RFC 3339",
          re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                       claims.get("receipt_id", "")) is not None
          and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)",
                           claims.get("received_at", "")) is not None,
          claims)
    canonical = json.dumps(claims, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    check("receipt payload is canonical JSON",
          b64url_decode(receipt.split(".")[1]).decode() == canonical, receipt)

    status, ctype, body = intake.post_report("csirt", token)
    check("POST the identical bytes again → 200 with the SAME receipt",
          status == 200 and body.decode() == receipt, f"{status} {body[:200]!r}")

    # The line end "sign > FILE" writes is not part of the JWS (DESIGN.md); nothing else is trimmed.
    for ending in ("\n", "\r\n"):
        status, ctype, body = intake.post_report("csirt", token + ending)
        check(f"POST the same JWS followed by {ending!r} → 200 with the SAME receipt",
              status == 200 and body.decode() == receipt, f"{status} {body[:200]!r}")
    for ending in ("\n\n", " "):
        status, ctype, body = intake.post_report("csirt", token + ending)
        check(f"POST the same JWS followed by {ending!r} → 400 malformed",
              status == 400 and error_code(body) == "malformed", f"{status} {body[:200]!r}")
    mode = stat.S_IMODE(os.stat(db).st_mode)
    check("the intake database is 0600", mode == 0o600, oct(mode))

    changed = dict(first, nature=dict(first["nature"], summary="Something else"))
    status, ctype, body = intake.post_report("csirt", sign(alice, changed))
    check("POST the same report_id with other bytes → 409 conflict",
          status == 409 and error_code(body) == "conflict", f"{status} {body!r}")

    # Mailboxes are separate: the key is enrolled at csirt only.
    status, ctype, body = intake.post_report("regulator", token)
    check("other mailbox without the key → 401 unknown_kid",
          status == 401 and error_code(body) == "unknown_kid", f"{status} {body!r}")
    run([INTAKE, "enrol", "--db", db, "--mailbox", "regulator", alice_file])
    status, ctype, body = intake.post_report("regulator", token)
    regulator_receipt = body.decode()
    try:
        _, regulator_claims = verify_receipt(keys_json, regulator_receipt)
    except Exception:  # noqa: BLE001
        regulator_claims = {}
    check("after enrol (while running) the same report at the other mailbox → 201, recipient regulator",
          status == 201 and regulator_claims.get("recipient") == "regulator"
          and regulator_claims.get("report_sha256") == claims.get("report_sha256"),
          f"{status} {regulator_claims}")

    # 401 bad signature: the payload altered under the original signature.
    parts = token.split(".")
    tampered_payload = json.loads(b64url_decode(parts[1]))
    tampered_payload["report_id"] = str(uuid.uuid4())
    tampered = ".".join([parts[0], b64url(json.dumps(tampered_payload).encode()), parts[2]])
    status, ctype, body = intake.post_report("csirt", tampered)
    check("POST an altered payload → 401 bad_signature",
          status == 401 and error_code(body) == "bad_signature", f"{status} {body!r}")
    mallory = new_key()
    status, ctype, body = intake.post_report("csirt", sign(mallory, report(), kid=alice.thumbprint()))
    check("POST signed by another key under an enrolled kid → 401 bad_signature",
          status == 401 and error_code(body) == "bad_signature", f"{status} {body!r}")

    # 400 malformed.
    malformed = {
        "not a JWS": "hello world",
        "two parts": "abc.def",
        "payload not JSON": sign(alice, b"not json"),
        "payload a JSON array": sign(alice, [1, 2, 3]),
        "payload without format": sign(alice, {k: v for k, v in report().items() if k != "format"}),
        "payload with another format": sign(alice, dict(report(), format="meldwijzer.report/2")),
        "payload without report_id": sign(alice, {k: v for k, v in report().items() if k != "report_id"}),
        "report_id not a UUID": sign(alice, dict(report(), report_id="12")),
        "cty of a receipt": sign(alice, report(), cty="meldwijzer.receipt/1"),
        # Issue 12: what json-glib accepts and JSON is not, from an enrolled key.
        "payload with deep nesting behind a comment":
            sign(alice, b'{"format": "meldwijzer.report/1", /* " */ "x": ' + b"[" * (133 * 1024)),
        "payload with a single-quoted string": sign(alice, b"{'format': 'meldwijzer.report/1'}"),
        "payload with a lone surrogate":
            sign(alice, json.dumps(dict(report(), nature={"summary": "a"})).replace('"a"', '"\\ud800"').encode()),
        "payload with report_id twice":
            sign(alice, json.dumps(report())[:-1].encode() + b', "report_id": "' + str(uuid.uuid4()).encode() + b'"}'),
    }
    for name, bad in malformed.items():
        status, ctype, body = intake.post_report("csirt", bad)
        check(f"POST {name} → 400 malformed (JSON error)",
              status == 400 and error_code(body) == "malformed" and ctype.startswith("application/json"),
              f"{status} {ctype} {body!r}")

    # Signed by an enrolled key but not a report: 400 naming the field, never a receipt.
    not_reports = {
        "only format and report_id": ({"format": "meldwijzer.report/1", "report_id": str(uuid.uuid4())},
                                      "incident_id"),
        "training as a string": (dict(report(), training="yes"), "training"),
        "facts as a string": (dict(report(), facts="many users"), "facts"),
        "stage as a number": (dict(report(), stage=5), "stage"),
        "provider without contact": (dict(report(), provider={"name": "X", "entity_type": "dns"}),
                                     "provider.contact"),
        "an unknown member": (dict(report(), extra_field=1), "extra_field"),
    }
    for name, (payload, field) in not_reports.items():
        status, ctype, body = intake.post_report("csirt", sign(alice, payload))
        message = json.loads(body).get("message", "") if ctype.startswith("application/json") else ""
        check(f"POST a signed payload that is not a report ({name}) → 400 naming “{field}”",
              status == 400 and error_code(body) == "malformed" and f"“{field}”" in message,
              f"{status} {body!r}")

    # JSON that json-glib accepts but JSON does not allow: the one strict JSON reader refuses it.
    duplicated = json.dumps(report()).replace('"report_id": ', f'"report_id": "{uuid.uuid4()}", "report_id": ', 1)
    commented = "/* a comment */ " + json.dumps(report())
    for name, payload in (("a duplicated report_id", duplicated), ("JSON with a comment", commented)):
        status, ctype, body = intake.post_report("csirt", sign(alice, payload.encode()))
        check(f"POST a signed payload with {name} → 400",
              status == 400 and error_code(body) == "malformed", f"{status} {body!r}")

    # 415.
    status, ctype, body = intake.post_report("csirt", sign(alice, report()), content_type="application/json")
    check("POST with Content-Type application/json → 415",
          status == 415 and error_code(body) == "unsupported_media_type", f"{status} {body!r}")
    status, ctype, body = intake.post_report("csirt", sign(alice, report()), content_type=None)
    check("POST without Content-Type → 415", status == 415, f"{status} {body!r}")
    status, ctype, body = intake.post_report("csirt", sign(alice, report()),
                                             content_type="Application/JOSE; charset=us-ascii")
    check("Content-Type matching is case-insensitive with parameters → 201", status == 201, f"{status} {body!r}")

    # 413: announced by Content-Length with "Expect: 100-continue": refused before the body is sent ...
    with socket.create_connection((intake.host, intake.port), timeout=10) as s:
        s.sendall((f"POST /csirt/v1/reports HTTP/1.1\r\nHost: {intake.host}\r\n"
                   f"Content-Type: application/jose\r\nContent-Length: {MIB + 1}\r\n"
                   "Expect: 100-continue\r\n\r\n").encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    check("POST announcing Content-Length 1 MiB + 1 (Expect: 100-continue) → 413 before the body",
          answer.startswith(b"HTTP/1.1 413"), answer[:200])
    # ... and by the body itself (chunked, no Content-Length).
    conn = intake.connection()
    conn.putrequest("POST", "/csirt/v1/reports")
    conn.putheader("Content-Type", "application/jose")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    piece = b"a" * 65536
    for _ in range(17):  # 17 × 64 KiB = 1 MiB + 64 KiB
        conn.send(b"%x\r\n%s\r\n" % (len(piece), piece))
    conn.send(b"0\r\n\r\n")
    response = conn.getresponse()
    body = response.read()
    conn.close()
    check("POST a chunked body over 1 MiB → 413 too_large",
          response.status == 413 and error_code(body) == "too_large", f"{response.status} {body!r}")
    big = report(description="x" * (MIB - 2000))
    big_token = sign(alice, big)
    answer = raw_post(intake, "/csirt/v1/reports", big_token.encode())
    check(f"POST a signed report of {len(big_token)} bytes (over 1 MiB) → 413",
          len(big_token) > MIB and answer.startswith(b"HTTP/1.1 413"), answer[:200])

    # 422: a training report at a live mailbox.
    status, ctype, body = intake.post_report("csirt", sign(alice, report(training=True)))
    check("POST a training report at a live mailbox → 422",
          status == 422 and error_code(body) and ctype.startswith("application/json"), f"{status} {body!r}")

    # 404 and 405.
    status, ctype, body = intake.post_report("nobody", token)
    check("POST to a mailbox that is not served → 404 JSON", status == 404 and error_code(body), f"{status} {body!r}")
    status, ctype, body = intake.request("GET", "/csirt/v1/reports")
    check("GET /csirt/v1/reports → 405", status == 405, f"{status} {body!r}")

    # The overview escapes what reports say.
    evil = report(summary='<script>alert("x")</script>', provider={"name": "Evil & <b>Co</b>",
                                                                    "entity_type": "cloud"})
    status, _, body = intake.post_report("csirt", sign(alice, evil))
    check("POST a report whose summary is <script>… → 201", status == 201, f"{status} {body!r}")
    status, ctype, body = intake.request("GET", "/")
    html = body.decode()
    check("GET / → 200 text/html", status == 200 and ctype.startswith("text/html"), f"{status} {ctype}")
    check("GET / escapes the summary (&lt;script&gt;, no raw <script>)",
          "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html and "<script" not in html.lower(),
          html[:2000])
    check("GET / escapes the provider name", "Evil &amp; &lt;b&gt;Co&lt;/b&gt;" in html and "<b>Co" not in html)
    check("GET / lists both mailboxes, the report_id, the stage and the provider",
          ">csirt<" in html and ">regulator<" in html and first["report_id"] in html
          and "Early warning (art. 26 Cbw)" in html and "Waterbedrijf Test &amp; Zonen" in html)
    kid = intake_key.thumbprint()
    digest = base64.urlsafe_b64decode(kid + "=").hex().upper()
    grouped = " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))
    check("GET / shows the receipt key's thumbprint in groups of 4", grouped in html, grouped)
    verdict_cli = None
    if CLI and os.path.exists(CLI):
        report_file = os.path.join(tmp, "first.json")
        with open(report_file, "w") as f:
            json.dump(first, f)
        result = run([CLI, "assess", "--json", report_file])
        try:
            verdict_cli = json.loads(result.stdout)["verdict"]
        except (ValueError, KeyError, TypeError):
            verdict_cli = None
    row = re.search(r"<tr>(?:(?!</tr>).)*" + re.escape(first["report_id"]), html, re.S)
    if verdict_cli:
        check(f"GET / shows the assessor's verdict ({verdict_cli}) for a report with regime + entity_type",
              row is not None and f"<td>{verdict_cli}</td>" in row.group(0), row.group(0) if row else html[:1500])
    else:
        skip("GET / shows the assessor's verdict", "meldwijzer-cli assess --json gave no verdict")

    # A client that hangs up right after sending: the report is stored anyway, the retry gets 200.
    hung = report()
    hung_token = sign(alice, hung)
    with socket.create_connection((intake.host, intake.port), timeout=10) as s:
        s.sendall((f"POST /csirt/v1/reports HTTP/1.1\r\nHost: {intake.host}\r\n"
                   f"Content-Type: application/jose\r\nContent-Length: {len(hung_token)}\r\n\r\n"
                   ).encode() + hung_token.encode())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if hung["report_id"] in intake.request("GET", "/csirt/")[2].decode():
            break
        time.sleep(0.05)
    status, _, body = intake.post_report("csirt", hung_token)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT COUNT(*) FROM reports WHERE report_id = ?", (hung["report_id"],)).fetchone()[0]
    check("client hung up after sending → stored; the retry gets 200 and one row exists",
          status == 200 and rows == 1, f"{status} rows={rows}")

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        stored = conn.execute("SELECT jws, sha256, receipt FROM reports WHERE mailbox='csirt' AND report_id=?",
                              (first["report_id"],)).fetchone()
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    check("SQLite holds the exact JWS bytes, their SHA-256 and the receipt (WAL)",
          stored is not None and bytes(stored[0]) == token.encode()
          and stored[1] == claims.get("report_sha256") and stored[2] == receipt and journal == "wal",
          f"{stored and stored[1]} {journal}")

    code = intake.stop()
    check("SIGTERM stops the intake cleanly (exit 0)", code == 0, code)

    # Restart with the same database: same key, same records, same receipt.
    intake = Intake(db, ["csirt", "regulator"])
    status, _, body = intake.request("GET", "/csirt/v1/keys")
    check("after a restart /v1/keys serves the same key", status == 200 and json.loads(body) == keys, body)
    status, _, body = intake.post_report("csirt", token)
    check("after a restart the identical report → 200 with the same receipt",
          status == 200 and body.decode() == receipt, f"{status} {body[:200]!r}")
    status, _, body = intake.post_report("csirt", sign(alice, report()))
    check("after a restart the enrolled key still works → 201", status == 201, f"{status} {body!r}")
    html = intake.request("GET", "/")[2].decode()
    check("after a restart the overview still lists the first report", first["report_id"] in html)
    intake.proc.send_signal(signal.SIGINT)
    check("SIGINT stops the intake cleanly (exit 0)", intake.proc.wait(10) == 0)

    # Training mode refused on a database whose mailboxes are live.
    result = run([INTAKE, "--training", "--db", db, "--mailbox", "csirt"])
    check("--training on a database with live mailbox csirt → exit 1 with a clear error",
          result.returncode == 1 and "csirt" in result.stderr and "live" in result.stderr, result.stderr)

    # A key file readable by others is refused.
    os.chmod(key_path, 0o644)
    result = run([INTAKE, "--db", db, "--mailbox", "csirt"])
    check("key file with mode 0644 → refuses to start (exit 1, names the file and chmod)",
          result.returncode == 1 and key_path in result.stderr and "chmod" in result.stderr, result.stderr)
    os.chmod(key_path, 0o600)


def test_training(tmp):
    db = os.path.join(tmp, "training.db")
    bob = new_key()
    intake = Intake(db, ["csirt", "regulator"], training=True)

    status, ctype, body = intake.request("POST", "/csirt/v1/enrol", public_jwk_text(bob).encode(),
                                         {"Content-Type": "application/jwk+json"})
    check("training: POST /v1/enrol → 201 with the kid",
          status == 201 and json.loads(body).get("kid") == bob.thumbprint(), f"{status} {body!r}")
    status, ctype, body = intake.request("POST", "/csirt/v1/enrol", public_jwk_text(bob).encode(),
                                         {"Content-Type": "application/json"})
    check("training: enrol the same key again (application/json) → 200", status == 200, f"{status} {body!r}")
    status, ctype, body = intake.request("POST", "/csirt/v1/enrol", bob.export_private().encode(),
                                         {"Content-Type": "application/jwk+json"})
    check("training: enrol a private JWK → 400 (only public keys)", status == 400, f"{status} {body!r}")
    status, ctype, body = intake.request("POST", "/csirt/v1/enrol", b"{}", {"Content-Type": "application/jwk+json"})
    check("training: enrol garbage → 400", status == 400 and error_code(body) == "malformed", f"{status} {body!r}")
    status, ctype, body = intake.request("POST", "/csirt/v1/enrol", public_jwk_text(bob).encode(),
                                         {"Content-Type": "text/plain"})
    check("training: enrol with Content-Type text/plain → 415", status == 415, f"{status} {body!r}")

    status, _, body = intake.post_report("csirt", sign(bob, report(training=False)))
    check("training: a live report at a training mailbox → 422",
          status == 422 and error_code(body), f"{status} {body!r}")
    status, _, body = intake.post_report("csirt", sign(bob, {k: v for k, v in report().items() if k != "training"}))
    check("training: a report without 'training' → 400 naming the field",
          status == 400 and "training" in json.loads(body).get("message", ""), f"{status} {body!r}")
    status, ctype, body = intake.post_report("csirt", sign(bob, report(training=True)))
    check("training: a training report → 201 application/jose",
          status == 201 and ctype.startswith("application/jose"), f"{status} {body!r}")
    status, _, body = intake.post_report("regulator", sign(bob, report(training=True)))
    check("training: enrolment is per mailbox (regulator → 401)", status == 401, f"{status} {body!r}")
    html = intake.request("GET", "/")[2].decode()
    check("training: the overview says training mode", "Training" in html)
    check("training: SIGTERM → exit 0", intake.stop() == 0)


def test_usage(tmp):
    result = run([INTAKE, "--mailbox", "csirt"])
    check("no --db → exit 2 with usage", result.returncode == 2 and "--db" in result.stderr, result.stderr)
    result = run([INTAKE, "--db", os.path.join(tmp, "u.db")])
    check("no --mailbox → exit 2", result.returncode == 2 and "--mailbox" in result.stderr, result.stderr)
    result = run([INTAKE, "--db", os.path.join(tmp, "u.db"), "--mailbox", "../etc"])
    check("a mailbox name with '/' → exit 2", result.returncode == 2, result.stderr)
    result = run([INTAKE, "--db", os.path.join(tmp, "u.db"), "--mailbox", "a", "--listen", "nonsense"])
    check("--listen without a port → exit 2 naming the address",
          result.returncode == 2 and "nonsense" in result.stderr, result.stderr)
    result = run([INTAKE, "--db", os.path.join(tmp, "u.db"), "--mailbox", "a", "--tls-cert", "x.pem"])
    check("--tls-cert without --tls-key → exit 2", result.returncode == 2, result.stderr)
    result = run([INTAKE, "--bogus"])
    check("an unknown option → exit 2", result.returncode == 2, result.stderr)
    result = run([INTAKE, "enrol", "--db", os.path.join(tmp, "u.db"), "--mailbox", "a"])
    check("enrol without PUBLIC.jwk → exit 2", result.returncode == 2, result.stderr)
    missing = os.path.join(tmp, "missing.jwk")
    result = run([INTAKE, "enrol", "--db", os.path.join(tmp, "u.db"), "--mailbox", "a", missing])
    check("enrol with a missing file → exit 1 naming it", result.returncode == 1 and missing in result.stderr,
          result.stderr)
    bad = os.path.join(tmp, "bad.jwk")
    with open(bad, "w") as f:
        f.write('{"kty": "RSA"}')
    result = run([INTAKE, "enrol", "--db", os.path.join(tmp, "u.db"), "--mailbox", "a", bad])
    check("enrol with a non-Ed25519 JWK → exit 1 naming the file", result.returncode == 1 and bad in result.stderr,
          result.stderr)
    # Repeatable --mailbox, and a listen address given explicitly.
    intake = Intake(os.path.join(tmp, "r.db"), ["one"], extra=["--mailbox", "two", "--listen", "127.0.0.1:0"])
    ok = all(intake.request("GET", f"/{m}/v1/keys")[0] == 200 for m in ("one", "two"))
    check("repeated --mailbox serves both mailboxes", ok)
    intake.stop()


def test_https(tmp):
    key = os.path.join(tmp, "tls-key.pem")
    cert = os.path.join(tmp, "tls-cert.pem")
    template = os.path.join(tmp, "cert.cfg")
    with open(template, "w") as f:
        f.write('cn = "127.0.0.1"\nip_address = "127.0.0.1"\nexpiration_days = 2\nca\n'
                'tls_www_server\nsigning_key\nencryption_key\n')
    a = run(["certtool", "--generate-privkey", "--key-type=ecdsa", "--outfile", key])
    b = run(["certtool", "--generate-self-signed", "--load-privkey", key, "--template", template,
             "--outfile", cert])
    if a.returncode != 0 or b.returncode != 0:
        check("certtool makes a self-signed certificate", False, a.stderr + b.stderr)
        return

    db = os.path.join(tmp, "tls.db")
    carol = new_key()
    carol_file = os.path.join(tmp, "carol.jwk")
    with open(carol_file, "w") as f:
        f.write(public_jwk_text(carol))
    run([INTAKE, "enrol", "--db", db, "--mailbox", "csirt", carol_file])
    intake = Intake(db, ["csirt"], tls=(cert, key))
    check("HTTPS intake prints 'listening on https://127.0.0.1:PORT/'",
          intake.url == f"https://127.0.0.1:{intake.port}/", intake.url)

    trusting = ssl.create_default_context(cafile=cert)
    conn = http.client.HTTPSConnection(intake.host, intake.port, timeout=10, context=trusting)
    try:
        conn.request("GET", "/csirt/v1/keys")
        response = conn.getresponse()
        keys_json = response.read().decode()
        keys_status = response.status
        token = sign(carol, report())
        conn.request("POST", "/csirt/v1/reports", body=token.encode(),
                     headers={"Content-Type": "application/jose"})
        response = conn.getresponse()
        receipt = response.read().decode()
        post_status = response.status
    finally:
        conn.close()
    check("HTTPS with the CA: GET /v1/keys → 200", keys_status == 200, keys_json)
    try:
        _, claims = verify_receipt(keys_json, receipt)
    except Exception:  # noqa: BLE001
        claims = {}
    check("HTTPS with the CA: POST a report → 201 and the receipt verifies",
          post_status == 201 and claims.get("report_sha256") == hashlib.sha256(token.encode()).hexdigest(),
          f"{post_status} {receipt[:200]}")

    refused = False
    detail = ""
    try:
        conn = http.client.HTTPSConnection(intake.host, intake.port, timeout=10,
                                           context=ssl.create_default_context())
        conn.request("GET", "/csirt/v1/keys")
        conn.getresponse().read()
    except ssl.SSLCertVerificationError as e:
        refused = True
        detail = str(e)
    check("HTTPS: a client that does not trust the certificate is refused (verification error)", refused, detail)

    if shutil.which("curl"):
        result = run(["curl", "-sS", "--cacert", cert, f"{intake.url}csirt/v1/keys"])
        check("curl --cacert: GET /v1/keys over HTTPS works",
              result.returncode == 0 and '"keys"' in result.stdout, result.stderr)
        result = run(["curl", "-sS", f"{intake.url}csirt/v1/keys"])
        check("curl without the CA is refused (exit 60)", result.returncode == 60,
              f"{result.returncode} {result.stderr}")
    else:
        skip("curl --cacert over HTTPS", "curl is not installed")
        skip("curl without the CA is refused", "curl is not installed")
    status = None
    try:
        plain = http.client.HTTPConnection(intake.host, intake.port, timeout=5)
        plain.request("GET", "/csirt/v1/keys")
        status = plain.getresponse().status
    except (OSError, http.client.HTTPException):
        status = None
    check("plain HTTP to the HTTPS listener gets no answer", status is None, status)
    check("HTTPS intake: SIGTERM → exit 0", intake.stop() == 0)


def run_suite(tests, prefix, timed=False):
    """Runs each test(tmp) in one temporary folder, kills what they left running, prints the
    TAP plan and the closing line; returns the exit code."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        for test in tests:
            test_started = time.monotonic()
            try:
                test(tmp)
            except Exception:  # noqa: BLE001
                check(f"{test.__name__} ran to the end", False, traceback.format_exc())
            if timed:
                print(f"# {test.__name__}: {time.monotonic() - test_started:.1f} s", flush=True)
        for proc in processes:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    print(f"1..{len(results)}")
    failed = sum(1 for ok, _, _ in results if not ok)
    print(f"# {len(results) - failed} passed, {failed} failed in {time.monotonic() - started:.1f} s")
    return 1 if failed else 0


def main():
    if not INTAKE or not os.path.exists(INTAKE):
        print("1..0 # SKIP MELDWIJZER_INTAKE is not set")
        return 0

    return run_suite((test_live, test_training, test_usage, test_https), "mw-intake-")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The signed report is the same bytes on every run and every machine.

A report is serialised once and signed once (DESIGN.md): canonical JSON, a fixed protected
header, no time, and Ed25519 is deterministic. So the JWS that `meldwijzer-cli sign` prints
is a function of the report and the key alone, and the PDF that `export --jws` writes records
exactly that JWS (its SHA-256 and kid). Checked with the RFC 8037 test key in a keyring of
libsecret's file backend (no session bus needed):

- `sign` in separate processes, with other time zones, locales and home directories, prints
  the same bytes;
- python3-jwcrypto, an independent implementation, makes the same bytes from the same key and
  the canonical report, and their SHA-256 is the known answer pinned below;
- `export --format pdf --jws` writes the same PDF bytes in every run, and the PDF names the
  SHA-256 of exactly the bytes `sign` printed and the key's RFC 7638 thumbprint.

Prints TAP."""

import hashlib
import json
import os
import subprocess
import sys
import tempfile

CLI = os.environ.get("MELDWIJZER_CLI")
SRCDIR = os.environ.get("G_TEST_SRCDIR", os.path.dirname(os.path.abspath(__file__)))
REPORT = os.path.join(SRCDIR, "reports", "telecom-outage.json")
SCHEMA_NAME = "io.github.meldwijzer.Meldwijzer.SigningKey"
PROFILE = "test-jws-stable"

# RFC 8037 Appendix A.1 (the Ed25519 key) and A.3 (its RFC 7638 thumbprint).
RFC_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
RFC_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
RFC_KID = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"

# SHA-256 of the JWS of tests/reports/telecom-outage.json under the RFC 8037 key. It changes
# only when that report, the canonical form or the protected header changes; any of those
# changes every signature already made, so it must be a deliberate change of the format.
KNOWN_SHA256 = "949010da319c862a8f31975d9192f0e3b915bb5bd791d1e5fb19b771d5384251"

results = []


def ok(passed, name, detail=""):
    results.append((bool(passed), name, detail))
    return passed


def main():
    if not CLI or not os.access(CLI, os.X_OK):
        print("1..0 # SKIP MELDWIJZER_CLI not set")
        return 0
    work = tempfile.mkdtemp(prefix="mw-jws-stable-")
    keyring = os.path.join(work, "keyring")
    base = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    base.update({"SECRET_BACKEND": "file", "SECRET_FILE_TEST_PATH": keyring, "SECRET_FILE_TEST_PASSWORD": "test",
                 "MELDWIJZER_KEYRING_PROFILE": PROFILE})

    # The RFC 8037 key, stored where and as the app stores its signing key.
    os.environ.update({k: base[k] for k in ("SECRET_BACKEND", "SECRET_FILE_TEST_PATH", "SECRET_FILE_TEST_PASSWORD")})
    os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
    import gi
    gi.require_version("Secret", "1")
    from gi.repository import Secret
    from jwcrypto import jwk, jws
    schema = Secret.Schema.new(SCHEMA_NAME, Secret.SchemaFlags.NONE, {
        "purpose": Secret.SchemaAttributeType.STRING,
        "profile": Secret.SchemaAttributeType.STRING,
        "kid": Secret.SchemaAttributeType.STRING,
    })
    private = json.dumps({"crv": "Ed25519", "d": RFC_D, "kty": "OKP", "x": RFC_X}, separators=(",", ":"))
    ok(Secret.password_store_sync(schema, {"purpose": "signing", "profile": PROFILE, "kid": RFC_KID},
                                  Secret.COLLECTION_DEFAULT, "Meldwijzer signing key (%s)" % PROFILE, private, None),
       "the RFC 8037 key is in the file keyring")

    def env_for(n):
        """Another machine, as far as one process can tell: zone, locale, home, data dirs."""
        env = dict(base)
        home = os.path.join(work, "home%d" % n)
        os.makedirs(home, exist_ok=True)
        env.update({"HOME": home, "XDG_DATA_HOME": os.path.join(home, "data"),
                    "XDG_CONFIG_HOME": os.path.join(home, "config"), "XDG_CACHE_HOME": os.path.join(home, "cache"),
                    "TZ": ("UTC", "Pacific/Auckland", "America/St_Johns")[n % 3],
                    "LC_ALL": ("C.UTF-8", "nl_NL.UTF-8", "en_US.UTF-8")[n % 3]})
        return env

    def cli(n, *args):
        return subprocess.run([CLI, *args], env=env_for(n), capture_output=True, timeout=60)

    r = cli(0, "key", "show")
    ok(r.returncode == 0 and RFC_KID in r.stdout.decode(), "key show: the kid is RFC 8037's thumbprint",
       r.stdout.decode() + r.stderr.decode())

    runs = [cli(n, "sign", REPORT) for n in range(3)]
    for n, r in enumerate(runs):
        ok(r.returncode == 0, "sign, run %d (TZ=%s): exit 0" % (n, env_for(n)["TZ"]), r.stderr.decode())
    printed = [r.stdout for r in runs]
    ok(len(set(printed)) == 1, "sign prints the same bytes in 3 runs with other zones, locales and homes",
       [hashlib.sha256(p).hexdigest() for p in printed])
    token = printed[0].decode().strip()

    # An independent implementation, from the key and the report alone.
    with open(REPORT, encoding="utf-8") as f:
        payload = json.dumps(json.load(f), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    key = jwk.JWK(kty="OKP", crv="Ed25519", d=RFC_D, x=RFC_X)
    theirs = jws.JWS(payload)
    theirs.add_signature(key, None, json.dumps({"alg": "EdDSA", "cty": "meldwijzer.report/1", "kid": RFC_KID},
                                               sort_keys=True, separators=(",", ":")))
    ok(theirs.serialize(compact=True) == token, "jwcrypto makes the same JWS from the same key and report",
       "%s\n%s" % (theirs.serialize(compact=True)[:120], token[:120]))
    sha256 = hashlib.sha256(token.encode()).hexdigest()
    ok(sha256 == KNOWN_SHA256, "the JWS's SHA-256 is the known answer %s" % KNOWN_SHA256, sha256)

    # What export records of it: the same PDF bytes every run, naming exactly that JWS.
    jws_path = os.path.join(work, "report.jws")
    with open(jws_path, "wb") as f:
        f.write(printed[0])  # as `sign > REPORT.jws` writes it, newline included
    pdfs = []
    for n in range(3):
        out = os.path.join(work, "signed-%d.pdf" % n)
        r = cli(n, "export", "--format", "pdf", REPORT, "-o", out, "--jws", jws_path, "--language", "en")
        ok(r.returncode == 0, "export --jws, run %d: exit 0" % n, r.stderr.decode())
        with open(out, "rb") as f:
            pdfs.append(f.read())
    ok(len(set(pdfs)) == 1, "export --format pdf --jws writes the same bytes in 3 runs (%d bytes)" % len(pdfs[0]),
       [hashlib.sha256(p).hexdigest() for p in pdfs])
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", os.path.join(work, "signed-0.pdf"), "-"],
                          capture_output=True, timeout=60).stdout.decode()
    flat = "".join(text.split())
    ok(sha256 in flat and RFC_KID in flat, "the PDF names the SHA-256 of the printed JWS and the kid",
       text[:400])

    subprocess.run(["rm", "-rf", work])
    print("1..%d" % len(results))
    for i, (passed, name, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if passed else "not ok", i, name))
        if not passed and detail:
            for line in str(detail).splitlines()[:10]:
                print("# " + line)
    return 0 if all(r[0] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

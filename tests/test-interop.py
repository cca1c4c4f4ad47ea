#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""meldwijzer-cli key/sign/verify against the session's real Secret Service (gnome-keyring,
as .ci/run starts it), with signatures checked both ways by python3-jwcrypto.

Prints TAP. Needs $MELDWIJZER_CLI and a session bus that provides org.freedesktop.secrets;
without one it skips (run it under the wrapper in TESTING.md)."""

import base64
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

from jwcrypto import jwk, jws
from jwcrypto.common import json_encode

CLI = os.environ.get("MELDWIJZER_CLI", "meldwijzer-cli")
SRCDIR = os.environ.get("G_TEST_SRCDIR", os.path.dirname(os.path.abspath(__file__)))
PROFILE = "test-interop-%d" % os.getpid()
SCHEMA_NAME = "io.github.meldwijzer.Meldwijzer.SigningKey"

results = []


def ok(condition, name, detail=""):
    results.append((bool(condition), name, detail))
    status = "ok" if condition else "not ok"
    print("%s %d - %s" % (status, len(results), name), flush=True)
    if not condition and detail:
        for line in str(detail).splitlines():
            print("#   " + line, flush=True)
    return condition


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def secret_schema():
    import gi
    gi.require_version("Secret", "1")
    from gi.repository import Secret
    schema = Secret.Schema.new(SCHEMA_NAME, Secret.SchemaFlags.NONE, {
        "purpose": Secret.SchemaAttributeType.STRING,
        "profile": Secret.SchemaAttributeType.STRING,
        "kid": Secret.SchemaAttributeType.STRING,
    })
    return Secret, schema


def secret_service_available():
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False
    r = subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
                        "--object-path", "/org/freedesktop/DBus",
                        "--method", "org.freedesktop.DBus.NameHasOwner", "org.freedesktop.secrets"],
                       capture_output=True, text=True, timeout=10)
    return r.returncode == 0 and "true" in r.stdout


def locked_child(report_path):
    """Runs inside its own dbus-run-session: a private gnome-keyring, locked after the key
    is generated, so the session's keyring (shared with other tests) is never locked."""
    result = {}
    env = dict(os.environ)
    r = subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets"],
                       input=b"test", capture_output=True, timeout=30)
    for line in r.stdout.decode().splitlines():
        name, _, value = line.partition("=")
        if name and value:
            env[name] = value
            os.environ[name] = value
    subprocess.run(["gdbus", "wait", "--session", "--timeout", "10", "org.freedesktop.secrets"],
                   timeout=30)
    pid = None
    r = subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
                        "--object-path", "/org/freedesktop/DBus",
                        "--method", "org.freedesktop.DBus.GetConnectionUnixProcessID",
                        "org.freedesktop.secrets"], capture_output=True, text=True, timeout=10)
    digits = "".join(c if c.isdigit() else " " for c in r.stdout).split()
    if r.returncode == 0 and digits:
        pid = int(digits[-1])

    def cli(*args):
        rr = subprocess.run([CLI] + list(args), env=env, capture_output=True, timeout=30)
        return [rr.returncode, rr.stdout.decode("utf-8", "replace"), rr.stderr.decode("utf-8", "replace")]

    try:
        result["generate"] = cli("key", "generate")
        Secret, _ = secret_schema()
        service = Secret.Service.get_sync(Secret.ServiceFlags.LOAD_COLLECTIONS, None)
        collection = Secret.Collection.for_alias_sync(service, "default", Secret.CollectionFlags.NONE, None)
        service.lock_sync([collection], None)
        result["locked"] = bool(collection.get_locked())
        result["show"] = cli("key", "show")
        result["force"] = cli("key", "generate", "--force")
        result["sign"] = cli("sign", report_path)
    finally:
        if pid:
            os.kill(pid, 15)
    print(json.dumps(result))
    return 0


def locked_case(report_path, ok):
    work = tempfile.mkdtemp(prefix="mw-interop-locked-")
    home = os.path.join(work, "home")
    runtime = os.path.join(work, "run")
    os.makedirs(home)
    os.makedirs(runtime, mode=0o700)
    env = dict(os.environ)
    for name in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "GNOME_KEYRING_CONTROL",
                 "SECRET_BACKEND"):
        env.pop(name, None)  # no display: the unlock prompt must fail, not wait on Xvfb
    env.update({"HOME": home, "XDG_RUNTIME_DIR": runtime, "MELDWIJZER_KEYRING_PROFILE": "locked",
                "LC_ALL": "C.UTF-8"})
    try:
        r = subprocess.run(["dbus-run-session", "--", sys.executable, os.path.abspath(__file__),
                            "--locked-child", report_path],
                           env=env, capture_output=True, timeout=120)
        lines = [l for l in r.stdout.decode().splitlines() if l.startswith("{")]
        result = json.loads(lines[-1]) if lines else {}
        ok(result.get("generate", [1])[0] == 0 and result.get("locked"),
           "private gnome-keyring: key generated, then the keyring locked",
           r.stdout.decode() + r.stderr.decode())
        for case in ("show", "force", "sign"):
            rc, _, err = result.get(case, [None, "", ""])
            ok(rc == 1 and "unlock your keyring" in err and "org.freedesktop" not in err,
               "locked keyring: %s says \"unlock your keyring\", exit 1" % case, err)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    if not secret_service_available():
        print("1..0 # SKIP no Secret Service on the session bus (run under .ci/run or the TESTING.md wrapper)")
        return 0

    work = tempfile.mkdtemp(prefix="mw-interop-")
    home = os.path.join(work, "home")
    xdg = {name: os.path.join(work, name) for name in
           ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")}
    for d in [home] + list(xdg.values()):
        os.makedirs(d)
    out = os.path.join(work, "out")
    os.makedirs(out)

    env = dict(os.environ)
    env.update(xdg)
    env["HOME"] = home
    env["MELDWIJZER_KEYRING_PROFILE"] = PROFILE
    env.pop("SECRET_BACKEND", None)
    env["LC_ALL"] = "C.UTF-8"

    def cli(*args, stdin=None):
        return subprocess.run([CLI] + list(args), env=env, capture_output=True,
                              input=stdin, timeout=30)

    def text(b):
        return b.decode("utf-8", "replace")

    Secret, schema = secret_schema()

    try:
        # --- key generate / show / export-public in the real keyring ------------------
        r = cli("key", "show")
        lines = text(r.stderr).splitlines()
        ok(r.returncode == 1 and len(lines) == 2 and "no signing key" in lines[0]
           and lines[1] == "Create one with: meldwijzer-cli key generate",
           "key show without a key: exit 1, the fact, then the command that creates one", text(r.stderr))

        r = cli("key", "generate")
        ok(r.returncode == 0, "key generate: exit 0", text(r.stdout + r.stderr))

        r = cli("key", "generate")
        lines = text(r.stderr).splitlines()
        ok(r.returncode == 1 and len(lines) == 2 and "already exists" in lines[0]
           and lines[1] == "To replace it anyway: meldwijzer-cli key generate --force",
           "key generate again: refused (exit 1) with a hint to --force on its own line", text(r.stderr))

        # A stored key that cannot sign: the library says so, the CLI says how to replace it.
        damaged = dict(env, MELDWIJZER_KEYRING_PROFILE=PROFILE + "-damaged")
        damaged_attributes = {"purpose": "signing", "profile": damaged["MELDWIJZER_KEYRING_PROFILE"]}
        Secret.password_store_sync(schema, damaged_attributes, Secret.COLLECTION_DEFAULT,
                                   "damaged", "not a key", None)
        try:
            r = subprocess.run([CLI, "key", "show"], env=damaged, capture_output=True, timeout=30)
        finally:
            Secret.password_clear_sync(schema, damaged_attributes, None)
        lines = text(r.stderr).splitlines()
        ok(r.returncode == 1 and len(lines) == 2 and "damaged" in lines[0] and "meldwijzer-cli key" not in lines[0]
           and lines[1] == "Replace it with: meldwijzer-cli key generate --force",
           "key show of a damaged key: exit 1, the fact, then the command that replaces it", text(r.stderr))

        r = cli("key", "show")
        lines = text(r.stdout).splitlines()
        kid = lines[0].split()[-1] if lines else ""
        grouped = lines[1].split(":", 1)[1].strip() if len(lines) > 1 else ""
        ok(r.returncode == 0 and len(kid) == 43, "key show: exit 0 and prints the kid", text(r.stdout + r.stderr))
        digest = base64.urlsafe_b64decode(kid + "=").hex().upper() if len(kid) == 43 else ""
        ok(grouped == " ".join(digest[i:i + 4] for i in range(0, len(digest), 4)) and len(digest) == 64,
           "key show: the kid's digest in upper-case hex, in groups of 4, to read aloud", grouped)

        pub_path = os.path.join(out, "public.jwk")
        r = cli("key", "export-public", pub_path)
        ok(r.returncode == 0 and os.path.exists(pub_path), "key export-public: exit 0, file written", text(r.stderr))
        with open(pub_path) as f:
            pub_json = json.load(f)
        ok(set(pub_json) == {"kty", "crv", "x"} and pub_json["kty"] == "OKP" and pub_json["crv"] == "Ed25519",
           "exported JWK is a public OKP Ed25519 key with no private member", pub_json)
        our_pub = jwk.JWK(**pub_json)
        ok(our_pub.thumbprint() == kid, "jwcrypto's RFC 7638 thumbprint of the exported key equals the kid",
           "%s != %s" % (our_pub.thumbprint(), kid))

        # The private key as the keyring holds it (to look for it on disk below).
        secret = Secret.password_lookup_sync(schema, {"purpose": "signing", "profile": PROFILE}, None)
        ok(secret is not None, "the keyring holds a secret under our schema and profile")
        private = json.loads(secret) if secret else {}
        d = private.get("d", "")
        ok(len(d) == 43 and private.get("x") == pub_json["x"], "the stored secret is the private JWK of the exported key")

        # --- our signature, checked by jwcrypto ----------------------------------------
        report_path = None
        candidates = sorted(glob.glob(os.path.join(SRCDIR, "reports", "*.json")))
        candidates += sorted(glob.glob(os.path.join(SRCDIR, "data", "*.json")))
        for candidate in candidates:
            if cli("validate", candidate).returncode == 0:
                report_path = candidate
                break
        if not ok(report_path is not None, "a complete example report to sign exists",
                  "none of %s validates" % candidates):
            return finish(work)

        r = cli("sign", report_path)
        ok(r.returncode == 0, "sign %s: exit 0" % os.path.basename(report_path), text(r.stderr))
        token = text(r.stdout).strip()
        jws_path = os.path.join(out, "report.jws")
        with open(jws_path, "w") as f:
            f.write(token + "\n")

        r2 = cli("sign", report_path)
        ok(r2.returncode == 0 and text(r2.stdout).strip() == token, "signing is deterministic: same bytes twice")

        header64, payload64, sig64 = (token.split(".") + ["", "", ""])[:3]
        header_raw = b64url_decode(header64)
        ok(header_raw == json.dumps({"alg": "EdDSA", "cty": "meldwijzer.report/1", "kid": kid},
                                    separators=(",", ":"), sort_keys=True).encode(),
           "protected header is exactly the canonical {alg, cty, kid}", header_raw)

        try:
            checked = jws.JWS()
            checked.deserialize(token)
            checked.verify(our_pub, alg="EdDSA")
            verified = True
        except Exception as e:  # noqa: BLE001
            verified = False
            checked = None
            detail = repr(e)
        ok(verified, "jwcrypto verifies the JWS made by meldwijzer-cli sign", "" if verified else detail)
        with open(report_path, "rb") as f:
            report_obj = json.load(f)
        payload = checked.payload if checked else b""
        ok(verified and json.loads(payload) == report_obj, "the signed payload is the report")
        ok(verified and payload == json.dumps(json.loads(payload), sort_keys=True, separators=(",", ":"),
                                              ensure_ascii=False).encode("utf-8"),
           "the payload is canonical JSON (sorted keys, no white space)")

        r = cli("verify", "--key", pub_path, jws_path)
        ok(r.returncode == 0 and r.stdout.rstrip(b"\n") == payload,
           "meldwijzer-cli verify: exit 0 and prints the payload", text(r.stderr))

        # --- their signature (jwcrypto), checked by meldwijzer-cli --------------------
        theirs = jwk.JWK.generate(kty="OKP", crv="Ed25519")
        theirs_pub_path = os.path.join(out, "theirs.jwk")
        with open(theirs_pub_path, "w") as f:
            f.write(theirs.export_public())
        their_payload = json.dumps({"hello": "wereld", "n": 3}).encode()
        signer = jws.JWS(their_payload)
        signer.add_signature(theirs, alg="EdDSA",
                             protected=json_encode({"alg": "EdDSA", "kid": theirs.thumbprint(),
                                                    "cty": "meldwijzer.report/1"}))
        their_token = signer.serialize(compact=True)
        their_path = os.path.join(out, "theirs.jws")
        with open(their_path, "w") as f:
            f.write(their_token)
        r = cli("verify", "--key", theirs_pub_path, their_path)
        ok(r.returncode == 0 and r.stdout.rstrip(b"\n") == their_payload,
           "meldwijzer-cli verify accepts a JWS made by jwcrypto", text(r.stderr))

        # Also without kid or cty in the header.
        bare = jws.JWS(b"plain payload")
        bare.add_signature(theirs, alg="EdDSA", protected=json_encode({"alg": "EdDSA"}))
        bare_path = os.path.join(out, "bare.jws")
        with open(bare_path, "w") as f:
            f.write(bare.serialize(compact=True))
        r = cli("verify", "--key", theirs_pub_path, bare_path)
        ok(r.returncode == 0 and r.stdout == b"plain payload\n",
           "meldwijzer-cli verify accepts a jwcrypto JWS with only alg in the header", text(r.stderr))

        # --- refusals: tampered, wrong key, alg none --------------------------------------
        def refused(token_text, key_path, name, expect=None):
            path = os.path.join(out, "case.jws")
            with open(path, "w") as f:
                f.write(token_text)
            rr = cli("verify", "--key", key_path, path)
            good = rr.returncode == 1 and rr.stdout == b"" and path.encode() in rr.stderr
            if expect is not None:
                good = good and expect in rr.stderr
            ok(good, name, "exit %d, stderr %s" % (rr.returncode, text(rr.stderr)))

        changed = dict(report_obj)
        changed["training"] = not report_obj.get("training", False)
        tampered_payload = b64url(json.dumps(changed, sort_keys=True, separators=(",", ":")).encode())
        refused(".".join([header64, tampered_payload, sig64]), pub_path,
                "tampered payload: exit 1, nothing printed, file named")
        other_header = b64url(json.dumps({"alg": "EdDSA", "cty": "meldwijzer.receipt/1", "kid": kid},
                                         separators=(",", ":"), sort_keys=True).encode())
        refused(".".join([other_header, payload64, sig64]), pub_path, "tampered header: exit 1")
        flipped = sig64[:10] + ("A" if sig64[10] != "A" else "B") + sig64[11:]
        refused(".".join([header64, payload64, flipped]), pub_path, "tampered signature: exit 1")
        refused(token, theirs_pub_path, "our JWS with their key: exit 1 (wrong key)")
        refused(their_token, pub_path, "their JWS with our key: exit 1 (wrong key)")
        none_header = b64url(b'{"alg":"none"}')
        refused(none_header + "." + payload64 + ".", pub_path, "alg none: exit 1", b"none")
        refused(header64 + "." + payload64, pub_path, "two parts: exit 1", b"three parts")

        # jwcrypto agrees that the tampered one is bad (the test data is really tampered).
        try:
            t = jws.JWS()
            t.deserialize(".".join([header64, tampered_payload, sig64]))
            t.verify(our_pub, alg="EdDSA")
            jw_rejects = False
        except Exception:  # noqa: BLE001
            jw_rejects = True
        ok(jw_rejects, "jwcrypto also rejects the tampered payload")

        # --- usage and invalid input ---------------------------------------------------------
        ok(cli("verify", jws_path).returncode == 2, "verify without --key: exit 2")
        ok(cli("sign").returncode == 2, "sign without a file: exit 2")
        ok(cli("key", "frobnicate").returncode == 2, "key with an unknown subcommand: exit 2")
        r = cli("verify", "--key", os.path.join(out, "missing.jwk"), jws_path)
        ok(r.returncode == 1 and b"missing.jwk" in r.stderr, "verify with a missing key file: exit 1, file named",
           text(r.stderr))
        bad_key = os.path.join(out, "rsa.jwk")
        with open(bad_key, "w") as f:
            f.write('{"kty":"RSA","n":"AQAB","e":"AQAB"}')
        r = cli("verify", "--key", bad_key, jws_path)
        ok(r.returncode == 1 and b"rsa.jwk" in r.stderr and b"kty" in r.stderr,
           "verify with an RSA JWK: exit 1, names the file and the field", text(r.stderr))

        invalid = dict(report_obj)
        invalid["report_id"] = "not-a-uuid"
        invalid_path = os.path.join(out, "invalid.json")
        with open(invalid_path, "w") as f:
            json.dump(invalid, f)
        r = cli("sign", invalid_path)
        ok(r.returncode == 1 and r.stdout == b"" and (invalid_path + ": report_id").encode() in r.stderr,
           "sign refuses an invalid report: exit 1, \"FILE: path: message\"", text(r.stderr))

        # --- the private key is in no file the CLI (or the keyring daemon) wrote --------------
        needles = [d.encode()]
        if d:
            raw = b64url_decode(d)
            needles += [raw, base64.b64encode(raw).rstrip(b"="), raw.hex().encode()]
        roots = [work]
        session_keyrings = os.path.join(os.environ.get("HOME", "/nonexistent"), ".local", "share", "keyrings")
        if os.path.isdir(session_keyrings):
            roots.append(session_keyrings)
        scanned = 0
        found = []
        for root in roots:
            for dirpath, _, files in os.walk(root):
                for name in files:
                    path = os.path.join(dirpath, name)
                    try:
                        with open(path, "rb") as f:
                            data = f.read()
                    except OSError:
                        continue
                    scanned += 1
                    if any(n and n in data for n in needles):
                        found.append(path)
        ok(d and scanned >= 4 and not found,
           "the private key (d) is in none of the %d files under HOME, XDG dirs, outputs and keyrings" % scanned,
           "found in %s" % found)

        # --- no Secret Service, and a locked one --------------------------------------
        no_bus = dict(env)
        no_bus["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + os.path.join(work, "no-such-bus")
        r = subprocess.run([CLI, "key", "show"], env=no_bus, capture_output=True, timeout=30)
        ok(r.returncode == 1 and b"No keyring service is running: start GNOME Keyring" in r.stderr,
           "no session bus: key show says no keyring service is running, exit 1", text(r.stderr))
        locked_case(report_path, ok)

        # --- replacing the key ----------------------------------------------------------
        r = cli("key", "generate", "--force")
        ok(r.returncode == 0, "key generate --force: exit 0", text(r.stderr))
        r = cli("key", "show")
        new_kid = text(r.stdout).splitlines()[0].split()[-1] if r.stdout else ""
        ok(new_kid and new_kid != kid, "after --force the kid is new")
        new_pub = os.path.join(out, "new.jwk")
        cli("key", "export-public", new_pub)
        r = cli("verify", "--key", new_pub, jws_path)
        ok(r.returncode == 1, "a report signed with the old key does not verify with the new one")
        items = Secret.password_search_sync(schema, {"purpose": "signing", "profile": PROFILE},
                                            Secret.SearchFlags.ALL, None)
        ok(len(items) == 1, "exactly one key is stored after --force", len(items))
    finally:
        try:
            Secret.password_clear_sync(schema, {"purpose": "signing", "profile": PROFILE}, None)
        except Exception as e:  # noqa: BLE001
            print("# cleanup failed: %r" % e)

    return finish(work)


def finish(work):
    shutil.rmtree(work, ignore_errors=True)
    print("1..%d" % len(results))
    return 0 if all(r[0] for r in results) else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--locked-child":
        sys.exit(locked_child(sys.argv[2]))
    sys.exit(main())

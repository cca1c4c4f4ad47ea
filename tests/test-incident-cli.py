#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Incidents over time through the real meldwijzer-cli: an early warning submitted to a real
training meldwijzer-intake on loopback, the notification and the final report written with
`incident follow-up` and submitted; `incident list|show --json` in DESIGN.md's exact shapes,
deadlines against fixed clocks ($MELDWIJZER_NOW), `receipt export` (file 0600, the exact
receipt, verified independently with jwcrypto), `decide` and its record in `incident show`,
and the errors. Prints TAP.

Uses the session's Secret Service when there is one (.ci/run), and otherwise libsecret's file
backend in a temporary directory."""

import hashlib
import json
import os
import re
import select
import stat
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from datetime import datetime, timedelta, timezone

from jwcrypto import jwk, jws

INTAKE = os.environ.get("MELDWIJZER_INTAKE")
CLI = os.environ.get("MELDWIJZER_CLI")
SRCDIR = os.environ.get("G_TEST_SRCDIR", os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(SRCDIR, "reports", "cbw-dns-outage.json")
PROFILE = "test-incident-cli-%d" % os.getpid()
ENV = dict(os.environ)
ENV["LANGUAGE"] = "en"
ENV["LC_ALL"] = "C.UTF-8"

results = []


def check(name, condition, detail=""):
    results.append(bool(condition))
    print(f"{'ok' if condition else 'not ok'} {len(results)} - {name}", flush=True)
    if not condition and detail:
        for line in str(detail).splitlines():
            print(f"# {line}", flush=True)
    return bool(condition)


def run(*args, now=None):
    env = dict(ENV)
    if now:
        env["MELDWIJZER_NOW"] = now
    return subprocess.run([CLI] + list(args), capture_output=True, text=True, timeout=60, env=env)


def start_intake(db, mailboxes):
    args = [INTAKE, "--training", "--db", db, "--listen", "127.0.0.1:0"]
    for mailbox in mailboxes:
        args += ["--mailbox", mailbox]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    data = b""
    deadline = time.monotonic() + 15
    while not data.endswith(b"\n") and time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 1)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 1)
            if not chunk:
                break
            data += chunk
    m = re.fullmatch(r"listening on (http://127\.0\.0\.1:\d+/)\n", data.decode())
    if not m:
        proc.kill()
        raise RuntimeError(f"intake did not start: {data!r}")
    return proc, m.group(1)


def iso(moment):
    return moment.astimezone().isoformat(timespec="seconds")


def submit(path):
    result = run("submit", path)
    check(f"submit {os.path.basename(path)} → exit 0", result.returncode == 0, result.stdout + result.stderr)


def show(incident_id, now=None):
    result = run("incident", "show", incident_id, "--json", now=now)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def deadlines(history):
    return {d["stage"]: d for d in history["deadlines"]}


def scenario(tmp):
    proc, url = start_intake(os.path.join(tmp, "intake.db"), ["ncsc", "rdi"])
    try:
        for recipient in ("ncsc", "rdi"):
            result = run("endpoint", "set", recipient, url + recipient, "--training")
            assert result.returncode == 0, result.stderr

        aware = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=2)
        with open(EXAMPLE) as f:
            report = json.load(f)
        incident_id = str(uuid.uuid4())
        report.update(report_id=str(uuid.uuid4()), incident_id=incident_id, stage="early-warning",
                      supersedes=None, training=True, created_at=iso(aware + timedelta(hours=1)))
        report["timeline"].update(started_at=iso(aware), detected_at=iso(aware), aware_at=iso(aware),
                                  resolved_at=None)
        report["recovery"]["forecast_at"] = None
        warning = os.path.join(tmp, "warning.json")
        with open(warning, "w") as f:
            json.dump(report, f)

        empty = run("incident", "list", "--json")
        check("incident list --json before anything was filed: []",
              empty.returncode == 0 and json.loads(empty.stdout) == [], empty.stdout + empty.stderr)

        submit(warning)
        listing = run("incident", "list", "--json")
        items = json.loads(listing.stdout) if listing.returncode == 0 else []
        check("incident list --json: one incident, exactly the documented keys",
              len(items) == 1 and set(items[0]) == {"incident_id", "summary", "regime", "stage",
                                                     "next_deadline", "training"}, listing.stdout)
        item = items[0] if items else {}
        due_72 = (aware + timedelta(hours=72))
        check("the list names the stage filed and the notification due 72 elapsed hours after awareness",
              item.get("stage") == "early-warning" and item.get("regime") == "nl-cbw"
              and item.get("training") is True and item.get("next_deadline", {}).get("stage") == "notification"
              and datetime.fromisoformat(item["next_deadline"]["due"]) == due_72, item)
        text = run("incident", "list")
        check("incident list (text) shows the summary, the stage and the time left",
              text.returncode == 0 and report["nature"]["summary"] in text.stdout
              and "early-warning" in text.stdout and "left" in text.stdout, text.stdout)

        history = show(incident_id)
        check("incident show --json: exactly the documented keys",
              set(history) == {"incident_id", "regime", "reports", "decisions", "deadlines"}
              and all(set(d) <= {"stage", "due", "status", "late"} and ("late" in d) == (d["status"] == "done")
                      for d in history["deadlines"])
              and set(history["reports"][0]) == {"report_id", "stage", "created_at", "supersedes", "sha256",
                                                 "deliveries"}
              and all(set(d) == {"recipient", "state", "receipt_id", "received_at", "receipt_kid", "reference",
                                 "filed_at", "forwarded_by"} for d in history["reports"][0]["deliveries"]),
              json.dumps(history, indent=1))
        first = history["reports"][0]
        check("the report's sha256 is the lower-case hex SHA-256 of its JWS",
              re.fullmatch(r"[0-9a-f]{64}", first["sha256"] or "") is not None)
        check("each recipient delivered with a receipt and the receipt key's thumbprint",
              sorted(d["recipient"] for d in first["deliveries"]) == ["ncsc", "rdi"]
              and all(d["state"] == "delivered" and d["receipt_id"] and d["receipt_kid"] for d in first["deliveries"]),
              first["deliveries"])
        d = deadlines(history)
        check("early warning done (not late), notification open, every due in Amsterdam time",
              d["early-warning"]["status"] == "done" and d["early-warning"]["late"] is False
              and d["notification"]["status"] == "open"
              and all(x["due"] is None or re.search(r"\+0[12]:00$", x["due"]) for x in history["deadlines"]),
              history["deadlines"])

        # The same history at a fixed clock four days on: the notification is overdue.
        late = show(incident_id, now=iso(aware + timedelta(days=4)))
        check("with $MELDWIJZER_NOW four days later the notification is overdue",
              deadlines(late)["notification"]["status"] == "overdue", late["deadlines"])

        # receipt export
        out = os.path.join(tmp, "ncsc.jws")
        result = run("receipt", "export", first["report_id"], "ncsc", "-o", out)
        check("receipt export → exit 0", result.returncode == 0, result.stdout + result.stderr)
        if result.returncode == 0:
            mode = stat.S_IMODE(os.stat(out).st_mode)
            check("the receipt file is 0600", mode == 0o600, oct(mode))
            with open(out) as f:
                token_text = f.read().strip()
            keys = subprocess.run(["python3", "-c", "import urllib.request,sys;"
                                   f"sys.stdout.write(urllib.request.urlopen('{url}ncsc/v1/keys').read().decode())"],
                                  capture_output=True, text=True, timeout=20).stdout
            key = jwk.JWK(**json.loads(keys)["keys"][0])
            token = jws.JWS()
            token.deserialize(token_text)
            token.verify(key)
            receipt = json.loads(token.payload)
            ncsc = next(x for x in first["deliveries"] if x["recipient"] == "ncsc")
            check("the exported receipt verifies with the mailbox key (jwcrypto) and names this report",
                  receipt["report_id"] == first["report_id"] and receipt["report_sha256"] == first["sha256"]
                  and receipt["receipt_id"] == ncsc["receipt_id"], receipt)
            check("receipt_kid is the thumbprint of the mailbox key", ncsc["receipt_kid"] == key.thumbprint(),
                  (ncsc["receipt_kid"], key.thumbprint()))
        missing = run("receipt", "export", first["report_id"], "nobody", "-o", os.path.join(tmp, "x.jws"))
        check("receipt export of an unknown delivery → exit 1, names it",
              missing.returncode == 1 and "nobody" in missing.stderr
              and not os.path.exists(os.path.join(tmp, "x.jws")), missing.stderr)
        usage = run("receipt", "export", first["report_id"])
        check("receipt export without -o → exit 2", usage.returncode == 2, usage.stderr)

        # The notification, then the final report, on follow-ups.
        notification = os.path.join(tmp, "notification.json")
        result = run("incident", "follow-up", incident_id, "-o", notification)
        check("incident follow-up → exit 0", result.returncode == 0, result.stdout + result.stderr)
        with open(notification) as f:
            n = json.load(f)
        check("the follow-up is the notification, same incident, superseding the early warning, pre-filled",
              n["stage"] == "notification" and n["incident_id"] == incident_id
              and n["supersedes"] == first["report_id"] and n["report_id"] != first["report_id"]
              and n["service"] == report["service"] and n["facts"] == report["facts"], n)
        submit(notification)
        final = os.path.join(tmp, "final.json")
        run("incident", "follow-up", incident_id, "-o", final)
        with open(final) as f:
            fdata = json.load(f)
        check("the next follow-up is the final report", fdata["stage"] == "final"
              and fdata["supersedes"] == n["report_id"], fdata.get("stage"))
        history = show(incident_id)
        d = deadlines(history)
        notified = min(datetime.fromisoformat(x["received_at"])
                       for x in history["reports"][1]["deliveries"])
        check("the final report is due a month after the notification was filed, at the end of a day (Amsterdam)",
              d["final"]["status"] == "open" and d["final"]["due"].endswith(("T00:00:00+01:00", "T00:00:00+02:00"))
              and datetime.fromisoformat(d["final"]["due"]) > notified + timedelta(days=27),
              (d["final"], notified))
        interim = os.path.join(tmp, "intermediate.json")
        result = run("incident", "follow-up", incident_id, "--stage", "intermediate", "-o", interim)
        check("--stage intermediate when asked", result.returncode == 0
              and json.load(open(interim))["stage"] == "intermediate", result.stderr)
        bad = run("incident", "follow-up", incident_id, "--stage", "withdrawal", "-o", interim)
        check("--stage that the regime does not have → exit 1 naming the option and the stages",
              bad.returncode == 1 and "--stage" in bad.stderr and "withdrawal" in bad.stderr
              and "notification" in bad.stderr, bad.stderr)
        # Without what art. 29 Cbw asks, the final report is refused and nothing is stored.
        bare = dict(fdata, nature=dict(fdata["nature"], description=None, cause="unknown", category=None),
                    recovery=dict(fdata["recovery"], measures=None),
                    facts=dict(fdata["facts"], cross_border=None))
        bare_path = os.path.join(tmp, "final-bare.json")
        with open(bare_path, "w") as f:
            json.dump(bare, f)
        refused = run("submit", bare_path)
        check("submit of a final report without what art. 29 asks → exit 1, naming each item and the article",
              refused.returncode == 1 and "not submitted" in refused.stderr
              and all(f"{path}: Final report (art. 29 Cbw) asks for" in refused.stderr
                      for path in ("nature.description", "nature.cause", "recovery.measures", "facts.cross_border"))
              and "root cause" in refused.stderr and "mitigation" in refused.stderr
              and "cross-border" in refused.stderr, refused.stderr)
        check("the refused final report stored nothing", len(show(incident_id)["reports"]) == 2)
        submit(final)
        history = show(incident_id)
        check("three versions in one chain, six delivered receipts",
              len(history["reports"]) == 3
              and history["reports"][2]["supersedes"] == history["reports"][1]["report_id"]
              and sum(1 for r in history["reports"] for x in r["deliveries"]
                      if x["state"] == "delivered" and x["receipt_kid"]) == 6, json.dumps(history, indent=1))
        check("every deadline done", all(x["status"] == "done" for x in history["deadlines"]), history["deadlines"])
        listing = json.loads(run("incident", "list", "--json").stdout)
        check("the list shows the final stage and no next deadline",
              listing[0]["stage"] == "final" and listing[0]["next_deadline"] is None, listing)

        # A decision not to report.
        decision = dict(report, report_id=str(uuid.uuid4()), incident_id=str(uuid.uuid4()), facts={})
        decision_path = os.path.join(tmp, "decision.json")
        with open(decision_path, "w") as f:
            json.dump(decision, f)
        result = run("decide", decision_path, "--reason", "Resolved before any customer noticed.")
        check("decide on an undetermined verdict → exit 0", result.returncode == 0, result.stdout + result.stderr)
        recorded = show(decision["incident_id"])
        check("incident show lists the decision with its reason, verdict and who decided",
              len(recorded["decisions"]) == 1
              and recorded["decisions"][0]["reason"] == "Resolved before any customer noticed."
              and recorded["decisions"][0]["verdict"] == "undetermined"
              and recorded["decisions"][0]["decided_by"] == report["provider"]["contact"]["name"]
              and recorded["reports"] == [], recorded)
        refused = run("decide", warning, "--reason", "no")
        check("decide on a mandatory verdict → exit 1, says it must be reported",
              refused.returncode == 1 and "mandatory" in refused.stderr, refused.stderr)

        unknown = run("incident", "show", str(uuid.uuid4()))
        check("incident show of an unknown id → exit 1 with a hint", unknown.returncode == 1
              and "incident list" in unknown.stderr, unknown.stderr)
        check("incident with an unknown subcommand → exit 2", run("incident", "frobnicate").returncode == 2)
    finally:
        proc.terminate()
        proc.wait()


def main():
    for name, value in (("MELDWIJZER_INTAKE", INTAKE), ("MELDWIJZER_CLI", CLI)):
        if not value or not os.path.exists(value):
            print(f"1..0 # SKIP {name} is not set")
            return 0
    with tempfile.TemporaryDirectory(prefix="mw-incident-cli-") as tmp:
        if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
            ENV.update({"SECRET_BACKEND": "file", "SECRET_FILE_TEST_PATH": os.path.join(tmp, "keyring"),
                        "SECRET_FILE_TEST_PASSWORD": "test"})
        ENV["MELDWIJZER_KEYRING_PROFILE"] = PROFILE
        ENV["MELDWIJZER_DB"] = os.path.join(tmp, "store.db")
        ENV.pop("MELDWIJZER_NOW", None)
        try:
            result = run("key", "generate", "--force")
            assert result.returncode == 0, result.stderr
            scenario(tmp)
        except Exception:  # noqa: BLE001
            check("the scenario ran to the end", False, traceback.format_exc())
        finally:
            if os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
                try:
                    import gi
                    gi.require_version("Secret", "1")
                    from gi.repository import Secret
                    schema = Secret.Schema.new("io.github.meldwijzer.Meldwijzer.SigningKey", Secret.SchemaFlags.NONE,
                                               {"purpose": Secret.SchemaAttributeType.STRING,
                                                "profile": Secret.SchemaAttributeType.STRING})
                    Secret.password_clear_sync(schema, {"purpose": "signing", "profile": PROFILE}, None)
                except Exception:  # noqa: BLE001
                    pass
    print(f"1..{len(results)}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())

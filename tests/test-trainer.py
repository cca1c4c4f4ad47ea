#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The trainer's view of a training session: a real meldwijzer-intake --training --scenario
over HTTPS with an overview token, 30 simulated trainees (threads, loopback only) enrolling
and filing at once, every receipt verified with jwcrypto, and every trainee in /trainer and
/trainer.csv with the score MwExercise gives. Prints TAP."""
import csv
import importlib.util
import io
import json
import os
import ssl
import sys
import subprocess
import tempfile
import uuid
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("intake_test", os.path.join(HERE, "test-intake.py"))
t = importlib.util.module_from_spec(spec)
spec.loader.exec_module(t)

TRAINEES = 30
TOKEN = "trainer-token-0123456789abcdef"
SCENARIO = "dns-slow-resolution"
# The first inject of the scenario (minute 0): what a trainee knows when filing at once.
FACTS = {"dns_avg_response_s": 12, "dns_slow_minutes": 10, "unavailable_minutes": 0}


def trainee_report(i):
    facts = dict(FACTS)
    if i % 3 == 2:
        facts["dns_slow_minutes"] = 75   # a fact the trainee got wrong: verdict and criteria follow
    data = t.report(training=True, stage="early-warning",
                    provider={"name": f"Trainee {i:02d} DNS B.V.", "registration": f"KvK {10000000 + i}"})
    facts["cross_border"] = None   # Cbw art. 26 asks it; "not known yet" is an answer
    data["facts"] = facts   # only what the first inject tells
    return data


def file_as_trainee(i, intake, context, barrier, outcome):
    try:
        key = t.new_key()
        mailboxes = ["ncsc"] if i % 3 == 1 else ["ncsc", "rdi"]   # one recipient forgotten
        for mailbox in ("ncsc", "rdi"):
            status, _, body = intake.request("POST", f"/{mailbox}/v1/enrol", t.public_jwk_text(key).encode(),
                                             {"Content-Type": "application/jwk+json"}, context=context)
            if status not in (200, 201):
                raise RuntimeError(f"enrol {mailbox}: {status} {body!r}")
        token = t.sign(key, trainee_report(i))
        barrier.wait(30)   # everyone files at once
        receipts = []
        for mailbox in mailboxes:
            status, _, body = intake.request("POST", f"/{mailbox}/v1/reports", token.encode(),
                                             {"Content-Type": "application/jose"}, context=context)
            if status != 201:
                raise RuntimeError(f"report to {mailbox}: {status} {body!r}")
            receipts.append((mailbox, body.decode()))
        outcome[i] = (key.thumbprint(), receipts)
    except Exception:  # noqa: BLE001
        outcome[i] = traceback.format_exc()


def test_session(tmp):
    key_pem = os.path.join(tmp, "tls-key.pem")
    cert_pem = os.path.join(tmp, "tls-cert.pem")
    template = os.path.join(tmp, "cert.cfg")
    with open(template, "w") as f:
        f.write('cn = "127.0.0.1"\nip_address = "127.0.0.1"\nexpiration_days = 2\nca\n'
                'tls_www_server\nsigning_key\nencryption_key\n')
    a = t.run(["certtool", "--generate-privkey", "--key-type=ecdsa", "--outfile", key_pem])
    b = t.run(["certtool", "--generate-self-signed", "--load-privkey", key_pem, "--template", template,
               "--outfile", cert_pem])
    if not t.check("certtool makes a self-signed certificate", a.returncode == 0 and b.returncode == 0,
                   a.stderr + b.stderr):
        return

    intake = t.Intake(os.path.join(tmp, "session.db"), ["ncsc", "rdi"], training=True,
                      tls=(cert_pem, key_pem),
                      extra=["--scenario", SCENARIO, "--overview-token", TOKEN, "--listen", "127.0.0.1:0"])
    context = ssl.create_default_context(cafile=cert_pem)
    t.check("session: HTTPS intake with a scenario starts", intake.scheme == "https", intake.url)

    barrier = threading.Barrier(TRAINEES)
    outcome = {}
    threads = [threading.Thread(target=file_as_trainee, args=(i, intake, context, barrier, outcome))
               for i in range(TRAINEES)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    print(f"# {TRAINEES} trainees enrolled at 2 mailboxes and filed {TRAINEES * 5 // 3} reports "
          f"over HTTPS in {time.monotonic() - started:.2f} s", flush=True)
    failures = {i: v for i, v in outcome.items() if isinstance(v, str)}
    t.check(f"session: {TRAINEES} trainees filing at once all get receipts",
            len(outcome) == TRAINEES and not failures, "\n".join(list(failures.values())[:3]))

    keys_json = intake.request("GET", "/ncsc/v1/keys", context=context)[2].decode()
    verified = 0
    for i, value in outcome.items():
        if isinstance(value, str):
            continue
        for mailbox, receipt in value[1]:
            try:
                _, claims = t.verify_receipt(keys_json, receipt)
                verified += claims.get("recipient") == mailbox
            except Exception:  # noqa: BLE001
                pass
    expected_receipts = sum(1 if i % 3 == 1 else 2 for i in range(TRAINEES))
    t.check("session: every receipt verifies with jwcrypto", verified == expected_receipts,
            f"{verified} of {expected_receipts}")

    status, ctype, body = intake.request("GET", f"/trainer.csv?token={TOKEN}", context=context)
    t.check("session: GET /trainer.csv → 200 text/csv", status == 200 and ctype.startswith("text/csv"),
            f"{status} {ctype}")
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    keys = {row["trainee_key"] for row in rows}
    t.check(f"session: the CSV has one row per report and {TRAINEES} trainees",
            len(rows) == TRAINEES and len(keys) == TRAINEES, f"{len(rows)} rows, {len(keys)} keys")
    by_registration = {row["registration"]: row for row in rows}
    expected = {0: "8", 1: "7", 2: "5"}   # right; a recipient missing; a fact wrong (verdict, criteria)
    wrong = [(reg, row["score"], row["max_score"]) for reg, row in by_registration.items()
             if row["max_score"] != "8" or row["score"] != expected[(int(reg.split()[1]) - 10000000) % 3]]
    t.check("session: every trainee is scored against the scenario (8/8, 7/8, 5/8)",
            len(by_registration) == TRAINEES and not wrong, repr(wrong[:5]))
    t.check("session: the CSV names the scenario, stage, recipients and scenario minute",
            all(row["scenario"] == SCENARIO and row["stage"] == "early-warning" and
                row["recipients"] in ("ncsc", "ncsc rdi") and row["scenario_minute"].isdigit()
                for row in rows), repr(rows[:1]))

    asked = time.monotonic()
    status, ctype, body = intake.request("GET", "/trainer", headers={"Authorization": f"Bearer {TOKEN}"},
                                         context=context)
    print(f"# GET /trainer with {TRAINEES} trainees: {time.monotonic() - asked:.3f} s, {len(body)} bytes", flush=True)
    html = body.decode()
    t.check("session: GET /trainer → 200 HTML with every trainee",
            status == 200 and ctype.startswith("text/html") and
            all(f"KvK {10000000 + i}" in html for i in range(TRAINEES)), f"{status} {html[:300]!r}")
    t.check("session: the trainer's view explains the mistakes with the law",
            "Recipients wrong: sent to ncsc; the law names ncsc, rdi." in html and
            "Verdict wrong: the facts filed make it mandatory; expected undetermined." in html and
            "Art. 5(b)" in html, html[-2000:])
    t.check("session: the trainer's view says how reports are matched to the scenario",
            "Reports do not name their scenario" in html)
    t.check("session: SIGTERM → exit 0", intake.stop() == 0)


def test_usage(tmp):
    db = os.path.join(tmp, "usage.db")
    r = t.run([t.INTAKE, "--db", db, "--scenario", SCENARIO, "--mailbox", "ncsc"])
    t.check("usage: --scenario without --training → exit 2 and says why",
            r.returncode == 2 and "--training" in r.stderr, r.stderr)
    r = t.run([t.INTAKE, "--db", db, "--training", "--scenario", "no-such", "--mailbox", "ncsc"])
    t.check("usage: an unknown scenario → exit 1 naming it", r.returncode == 1 and "no-such" in r.stderr, r.stderr)
    r = t.run([t.INTAKE, "--db", db, "--training", "--scenario", SCENARIO, "--speed", "0", "--mailbox", "ncsc"])
    t.check("usage: --speed 0 → exit 2", r.returncode == 2, r.stderr)

    intake = t.Intake(os.path.join(tmp, "plain.db"), ["ncsc"], training=True)
    status, _, body = intake.request("GET", "/trainer")
    t.check("usage: /trainer without a session → 404 saying how to start one",
            status == 404 and "--scenario" in body.decode(), f"{status} {body!r}")
    intake.stop()


def dutch_locale_installed():
    out = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
    return "nl_nl.utf8" in out or "nl_nl.utf-8" in out


def test_overview(tmp):
    """The overview groups by incident with the chain, in the reader's language."""
    localedir = os.path.join(tmp, "locale")
    os.makedirs(os.path.join(localedir, "nl", "LC_MESSAGES"))
    po = os.path.join(HERE, "..", "po", "nl.po")
    made = t.run(["msgfmt", "-o", os.path.join(localedir, "nl", "LC_MESSAGES", "meldwijzer.mo"), po])
    t.check("overview: the Dutch catalogue builds", made.returncode == 0, made.stderr)
    os.environ["MELDWIJZER_LOCALEDIR"] = localedir
    intake = t.Intake(os.path.join(tmp, "overview.db"), ["ncsc"], training=True,
                      extra=["--scenario", SCENARIO])
    key = t.new_key()
    intake.request("POST", "/ncsc/v1/enrol", t.public_jwk_text(key).encode(),
                   {"Content-Type": "application/jwk+json"})
    incident = str(uuid.uuid4())
    previous = None
    ids = []
    # Filed out of order: the chain follows "supersedes", not the order of arrival.
    chain = []
    for stage in ("early-warning", "notification", "final"):
        data = t.report(training=True, stage=stage, incident_id=incident)
        data["supersedes"] = previous
        if stage == "final":
            data["timeline"]["resolved_at"] = "2026-11-22T09:00:00+01:00"
        previous = data["report_id"]
        chain.append(data)
    other = t.report(training=True, summary="Another incident")
    statuses = [intake.post_report("ncsc", t.sign(key, data))[0] for data in (chain[1], chain[0], other, chain[2])]
    t.check("overview: four reports of two incidents → 201", statuses == [201] * 4, repr(statuses))

    html = intake.request("GET", "/ncsc/")[2].decode()
    heading = f"Incident {incident}: Early warning (art. 26 Cbw) → Incident notification (art. 27 Cbw) → Final report (art. 29 Cbw)"
    t.check("overview: reports grouped by incident, headed by the chain in supersedes order", heading in html, html[:3000])
    t.check("overview: the other incident is a group of its own",
            f"Incident {other['incident_id']}: Early warning (art. 26 Cbw)" in html)
    rows = html.split(heading)[1].split("<tr class=")[0] if heading in html else ""
    t.check("overview: the incident's reports follow its heading in chain order",
            rows.find(chain[0]["report_id"]) < rows.find(chain[1]["report_id"]) < rows.find(chain[2]["report_id"])
            and rows.find(chain[0]["report_id"]) >= 0, rows[:1500])
    t.check("overview: the mailbox is headed by the recipient's name",
            "<h2>National Cyber Security Centre (NCSC)</h2>" in html)

    if not dutch_locale_installed():
        t.skip("overview: in Dutch", "the nl_NL.UTF-8 locale is not installed")
        intake.stop()
        return
    for how, path, headers in (("Accept-Language", "/ncsc/", {"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"}),
                               ("?lang=nl", "/ncsc/?lang=nl", {})):
        nl = intake.request("GET", path, headers=headers)[2].decode()
        t.check(f"overview: in Dutch with {how}",
                '<html lang="nl">' in nl and "Vroegtijdige waarschuwing (art. 26 Cbw) → Incidentmelding (art. 27 Cbw)" in nl
                and "<th>Ontvangen</th>" in nl and "<h2>Nationaal Cyber Security Centrum (NCSC)</h2>" in nl
                and ">verplicht<" in nl, nl[:3000])
        t.check(f"overview: no raw ids in Dutch ({how})",
                "early-warning" not in nl and "mandatory" not in nl and ">ncsc<" not in nl, nl[:3000])
    for _ in range(2):   # more than the front page shows: it links to the mailbox's pages
        intake.post_report("ncsc", t.sign(key, t.report(training=True)))
    front = intake.request("GET", "/?lang=nl")[2].decode()
    t.check("overview: links to further pages keep ?lang=nl", 'href="/ncsc/?page=1&amp;lang=nl"' in front, front[-1500:])
    en = intake.request("GET", "/ncsc/", headers={"Accept-Language": "en-GB, nl;q=0.5"})[2].decode()
    t.check("overview: English when the reader prefers it", "<th>Received</th>" in en and '<html lang="en">' in en)
    trainer = intake.request("GET", "/trainer?lang=nl")[2].decode()
    t.check("trainer's view in Dutch, recipients by name", "Oefensessie" in trainer and "Te bespreken" in trainer and
            "Oordeel onjuist" in trainer and "aan Nationaal Cyber Security Centrum (NCSC)</li>" in trainer,
            trainer[:3000])
    intake.stop()


def main():
    return t.run_suite((test_session, test_overview, test_usage), "mw-trainer-")


if __name__ == "__main__":
    sys.exit(main())

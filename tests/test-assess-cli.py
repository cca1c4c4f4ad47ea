#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs `meldwijzer-cli assess --json` (the command-line contract of DESIGN.md) as a real
process on every decision case of tests/assess-cases.json and on the example reports in
tests/reports/, and checks verdict, criteria, missing facts, exclusions, recipients and
deadlines against what the regulations' text says. Prints TAP."""

import datetime
import json
import os
import subprocess
import sys
import tempfile

CLI = os.environ.get("MELDWIJZER_CLI")
SRCDIR = os.environ.get("G_TEST_SRCDIR", os.path.dirname(os.path.abspath(__file__)))

results = []


def ok(passed, name, detail=""):
    results.append((passed, name, detail))


def assess(path):
    proc = subprocess.run([CLI, "assess", "--json", path], capture_output=True, text=True,
                          timeout=30)
    if proc.returncode != 0:
        raise RuntimeError(f"exit {proc.returncode}: {proc.stderr.strip()}")
    return json.loads(proc.stdout)


def exclusion_ids(doc):
    out = []
    for e in doc.get("exclusions", []):
        out.append(e if isinstance(e, str) else e.get("id"))
    return sorted(out)


def check_case(case, doc):
    errors = []
    if doc.get("verdict") != case["verdict"]:
        errors.append(f"verdict {doc.get('verdict')}, expected {case['verdict']}")
    criteria = {c["id"]: c for c in doc.get("criteria", [])}
    for cid, status in case.get("criteria", {}).items():
        got = criteria.get(cid)
        if got is None:
            errors.append(f"{cid} not assessed")
        elif got["status"] != status:
            errors.append(f"{cid} {got['status']}, expected {status}")
    for cid, facts in case.get("missing", {}).items():
        got = criteria.get(cid)
        if got is not None and sorted(got.get("missing", [])) != sorted(facts):
            errors.append(f"{cid} missing {sorted(got.get('missing', []))}, expected {sorted(facts)}")
    if "exclusions_met" in case and exclusion_ids(doc) != sorted(case["exclusions_met"]):
        errors.append(f"exclusions {exclusion_ids(doc)}, expected {sorted(case['exclusions_met'])}")
    if "recipients" in case and sorted(doc.get("recipients", [])) != sorted(case["recipients"]):
        errors.append(f"recipients {doc.get('recipients')}, expected {case['recipients']}")
    # The regime the assessment was made under (chosen from timeline.aware_at when given).
    if doc.get("regime") != case["regime"]:
        errors.append(f"regime {doc.get('regime')}, expected {case['regime']}")
    if "advisories" in case:
        got = sorted(a.get("id") for a in doc.get("advisories", []))
        if got != sorted(case["advisories"]):
            errors.append(f"advisories {got}, expected {sorted(case['advisories'])}")
    # Deadlines as printed: RFC 3339 with the Europe/Amsterdam offset of that instant, so
    # the exact text is compared, not only the instant. {} means no deadlines at all.
    if "deadlines" in case:
        due = {d["stage"]: d.get("due") for d in doc.get("deadlines", [])}
        if not case["deadlines"] and due:
            errors.append(f"deadlines {due}, expected none")
        for stage, expected in case["deadlines"].items():
            if stage not in due:
                errors.append(f"no {stage} deadline")
            elif due[stage] != expected:
                errors.append(f"{stage} due {due[stage]}, expected {expected}")
    return errors


def draft_of(case):
    """The draft a case describes: regime (or "draft_regime", null to leave it out),
    entity type and facts, with the optional kind, stage, created_at and timeline."""
    draft = {"format": "meldwijzer.report/1", "provider": {"entity_type": case["entity_type"]},
             "facts": case["facts"]}
    regime = case.get("draft_regime", case["regime"])
    if regime is not None:
        draft["regime"] = regime
    for key in ("kind", "stage", "created_at", "timeline"):
        if key in case:
            draft[key] = case[key]
    return draft


def run_cases(tmp):
    with open(os.path.join(SRCDIR, "assess-cases.json"), encoding="utf-8") as f:
        cases = json.load(f)
    ok(len(cases) >= 150, "at least 150 decision cases", f"{len(cases)} cases")
    for i, case in enumerate(cases):
        draft = draft_of(case)
        path = os.path.join(tmp, f"case-{i}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(draft, f)
        try:
            errors = check_case(case, assess(path))
        except Exception as e:  # a crash or bad JSON is a failure of this case
            errors = [str(e)]
        ok(not errors, case["name"], "; ".join(errors))


def parse_time(text):
    return datetime.datetime.fromisoformat(text)


def run_reports():
    expected = {
        "cbw-dns-outage.json": ("mandatory", ["ncsc", "rdi"], ["ir2024-2690.art5.a"]),
        "cbw-draft-3am.json": ("undetermined", ["ncsc", "rdi"], []),
        "wbni-drinking-water.json": ("mandatory", ["ncsc", "ilt"], ["wbni.art10.1", "wbni.art11.1"]),
        "wbni-cloud-dsp.json": ("mandatory", ["csirt-dsp", "rdi"], ["ir2018-151.art4.1.a"]),
        "telecom-outage.json": ("mandatory", ["rdi"], ["tw.art11a-2.1"]),
    }
    for name, (verdict, recipients, met) in expected.items():
        path = os.path.join(SRCDIR, "reports", name)
        proc = subprocess.run([CLI, "validate", path], capture_output=True, text=True, timeout=30)
        ok(proc.returncode == 0, f"example {name} is a valid report", proc.stdout + proc.stderr)
        try:
            doc = assess(path)
        except Exception as e:
            ok(False, f"example {name} assesses", str(e))
            continue
        got_met = sorted(c["id"] for c in doc["criteria"] if c["status"] == "met")
        errors = []
        if doc["verdict"] != verdict:
            errors.append(f"verdict {doc['verdict']}")
        if sorted(doc["recipients"]) != sorted(recipients):
            errors.append(f"recipients {doc['recipients']}")
        if got_met != sorted(met):
            errors.append(f"met {got_met}")
        ok(not errors, f"example {name}: {verdict}, {', '.join(recipients)}", "; ".join(errors))

    # The staged deadlines of the Cbw count from the moment of awareness (NIS2 Art. 23(4)).
    with open(os.path.join(SRCDIR, "reports", "cbw-dns-outage.json"), encoding="utf-8") as f:
        aware = parse_time(json.load(f)["timeline"]["aware_at"])
    doc = assess(os.path.join(SRCDIR, "reports", "cbw-dns-outage.json"))
    due = {d["stage"]: d.get("due") for d in doc["deadlines"]}
    ok(due.get("early-warning") is not None
       and parse_time(due["early-warning"]) == aware + datetime.timedelta(hours=24),
       "early warning due 24 hours after awareness", str(due))
    ok(due.get("notification") is not None
       and parse_time(due["notification"]) == aware + datetime.timedelta(hours=72),
       "incident notification due 72 hours after awareness", str(due))

    # Trust service providers notify within 24 hours (NIS2 Art. 23(4)(b)).
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"format": "meldwijzer.report/1", "regime": "nl-cbw",
                   "provider": {"entity_type": "trust-service"},
                   "timeline": {"aware_at": "2026-11-21T03:10:00+01:00"},
                   "facts": {"unavailable_minutes": 25}}, f)
        trust = f.name
    try:
        doc = assess(trust)
        due = {d["stage"]: d.get("due") for d in doc["deadlines"]}
        ok(due.get("notification") is not None
           and parse_time(due["notification"]) == parse_time("2026-11-22T03:10:00+01:00"),
           "trust service notification due 24 hours after awareness", str(due))
    finally:
        os.unlink(trust)

    # Which law applies, and why: a draft without a regime or a moment of awareness is
    # assessed under the law in force now; the text says why; a report whose regime did
    # not apply then is assessed under the one that did, with a note on stderr.
    with tempfile.TemporaryDirectory() as tmp:
        bare = os.path.join(tmp, "bare.json")
        with open(bare, "w", encoding="utf-8") as f:
            json.dump({"format": "meldwijzer.report/1", "provider": {"entity_type": "cloud"},
                       "facts": {"unavailable_minutes": 45}}, f)
        doc = assess(bare)
        ok(doc.get("regime") == "nl-cbw" and doc.get("verdict") == "mandatory"
           and doc.get("effective_uncertain") is False,
           "a draft without regime or aware_at is assessed under the Cbw, in force now", str(doc.get("regime")))
        text = subprocess.run([CLI, "assess", bare], capture_output=True, text=True, timeout=30)
        ok(text.returncode == 0 and "nl-cbw" in text.stdout and "2026-08-15" in text.stdout
           and "art. 30" in text.stdout and "uncertain" not in text.stdout,
           "assess says which law applies and why, and reminds of art. 30", text.stdout[:400])
        late = os.path.join(tmp, "late.json")
        with open(late, "w", encoding="utf-8") as f:
            json.dump({"format": "meldwijzer.report/1", "regime": "nl-wbni",
                       "provider": {"entity_type": "cloud"},
                       "timeline": {"aware_at": "2026-11-21T03:10:00+01:00"},
                       "facts": {"unavailable_minutes": 45}}, f)
        proc = subprocess.run([CLI, "assess", "--json", late], capture_output=True, text=True, timeout=30)
        ok(proc.returncode == 0 and json.loads(proc.stdout).get("regime") == "nl-cbw"
           and "nl-wbni" in proc.stderr and "nl-cbw" in proc.stderr,
           "a Wbni report of an incident known in November 2026 is assessed under the Cbw, and says so",
           proc.stderr)

    # A personal data breach brings the GDPR Art. 33 advisory (72 hours, AP) with it.
    doc = assess(os.path.join(SRCDIR, "reports", "wbni-cloud-dsp.json"))
    adv = [a for a in doc.get("advisories", []) if a.get("id") == "gdpr.art33"]
    ok(len(adv) == 1 and adv[0].get("recipient") == "ap" and adv[0].get("status") == "met"
       and parse_time(adv[0]["due"]) == parse_time("2026-06-21T10:05:00+02:00") + datetime.timedelta(hours=72),
       "GDPR Art. 33 advisory to the AP, due 72 hours after awareness", str(adv))


def main():
    if not CLI or not os.access(CLI, os.X_OK):
        print("1..0 # SKIP MELDWIJZER_CLI is not set to the built meldwijzer-cli")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        try:
            run_cases(tmp)
            run_reports()
        except Exception as e:
            ok(False, "test script ran to the end", repr(e))
    print(f"1..{len(results)}")
    failed = 0
    for i, (passed, name, detail) in enumerate(results, 1):
        print(f"{'ok' if passed else 'not ok'} {i} - {name}")
        if not passed:
            failed += 1
            for line in detail.splitlines() or [""]:
                print(f"# {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

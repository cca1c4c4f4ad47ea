#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs `meldwijzer-cli export` (DESIGN.md's command line) as a real process on every example
report in tests/reports/ and on a hostile report, and checks the files independently:
STIX 2.1 against the OASIS JSON schemas (jsonschema, Draft 2020-12, every $id mapped to the
local file), MISP against MISP's event schema and attribute type table plus the rsit
taxonomy, IODEF with xml.etree (required elements, element order of RFC 7970's schema,
values) and against RFC 7970's XSD with xmllint, the PDF with pdftotext (summary, verdict, the
recipients' phone numbers). The reporter's sharing limit (consent.csirt_may_share_identifiable)
must appear as the same TLP 2.0 label in STIX, MISP and IODEF; STIX custom properties only in
the one extension-definition, checked against its schema; MISP's incident object against
MISP's template. Also determinism, the UUIDv5 ids (recomputed with Python's uuid), exit codes
and messages. Prints TAP."""

import base64
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
import xml.etree.ElementTree as ET

import jsonschema
from jwcrypto import jwk, jws

CLI = os.environ.get("MELDWIJZER_CLI")
SRCDIR = os.environ.get("G_TEST_SRCDIR", os.path.dirname(os.path.abspath(__file__)))
SCHEMAS = os.environ.get("MELDWIJZER_SHARED_SCHEMAS",
                         os.path.join(SRCDIR, "schemas"))
REGIMES = os.environ.get("MELDWIJZER_REGIMES_DIR", os.path.join(SRCDIR, "..", "data", "regimes"))
EXTENSION_SCHEMA = os.path.join(SRCDIR, "..", "data", "stix", "meldwijzer-report-1.json")
IODEF = "{urn:ietf:params:xml:ns:iodef-2.0}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"
EXPORT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/meldwijzer/meldwijzer#export")

results = []

# TLP 2.0: the standard STIX marking definitions (oasis-open/cti-stix-common-objects,
# extension-definition-specifications/tlp-2.0), MISP's tlp taxonomy and the RFC 7970
# restriction for each label the export may use, and what the consent maps to.
TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP = {
    "green": {"stix": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "name": "TLP:GREEN",
              "misp_tag": "tlp:green", "distribution": "1", "iodef": "green"},
    "amber+strict": {"stix": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "name": "TLP:AMBER+STRICT",
                     "misp_tag": "tlp:amber+strict", "distribution": "0", "iodef": "need-to-know"},
}
TLP_TAGS = {"tlp:clear", "tlp:white", "tlp:green", "tlp:amber", "tlp:amber+strict", "tlp:red"}


def expected_tlp(report):
    may_share = (report.get("consent") or {}).get("csirt_may_share_identifiable")
    return TLP["green"] if may_share is True else TLP["amber+strict"]


def ok(passed, name, detail=""):
    results.append((bool(passed), name, detail))


def run(*args, check=True):
    proc = subprocess.run([CLI, *args], capture_output=True, timeout=60)
    if check and proc.returncode != 0:
        raise RuntimeError(f"meldwijzer-cli {' '.join(args)}: exit {proc.returncode}: "
                           f"{proc.stderr.decode(errors='replace').strip()}")
    return proc


def export(fmt, report, out, *extra):
    # An older file that others could read is replaced by a private one.
    os.close(os.open(out, os.O_WRONLY | os.O_CREAT, 0o644))
    run("export", "--format", fmt, report, "-o", out, *extra)
    # An export holds the report: only its owner may read it, whatever the umask.
    mode = os.stat(out).st_mode & 0o777
    if mode != 0o600:
        raise RuntimeError(f"{out}: export -o wrote mode {oct(mode)}, not 0o600")
    with open(out, "rb") as f:
        return f.read()


# ------------------------------------------------------------------------------------------
# STIX 2.1

def stix_validators():
    store = {}
    by_name = {}
    for path in glob.glob(os.path.join(SCHEMAS, "stix2.1", "schemas", "**", "*.json"), recursive=True):
        with open(path) as f:
            schema = json.load(f)
        store[schema["$id"]] = schema
        by_name[(os.path.basename(os.path.dirname(path)), os.path.basename(path)[:-5])] = schema

    def validator(schema):
        resolver = jsonschema.RefResolver(base_uri=schema["$id"], referrer=schema, store=store)
        return jsonschema.Draft202012Validator(schema, resolver=resolver)

    return by_name, validator


STIX_ID = re.compile(r"^([a-z][a-z0-9-]+[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def stix_pattern(indicator):
    t, v = indicator["type"], indicator["value"].replace("\\", "\\\\").replace("'", "\\'")
    if t.startswith("file:hashes."):
        algo = t[len("file:hashes."):]
        prop = f"'{algo}'" if "-" in algo else algo
        return f"[file:hashes.{prop} = '{v}']"
    if t in ("ipv4-addr", "ipv6-addr") and "/" in v:
        return f"[{t}:value ISSUBSET '{v}']"
    return f"[{t}:value = '{v}']"


def check_stix(name, data, report, by_name, validator):
    errors = []
    bundle = json.loads(data)
    # The bundle wrapper, checked by hand (common/bundle.json rejects "incident").
    if bundle.get("type") != "bundle":
        errors.append("type is not bundle")
    if not STIX_ID.match(bundle.get("id", "")) or not bundle["id"].startswith("bundle--"):
        errors.append(f"bad bundle id {bundle.get('id')}")
    if set(bundle) - {"type", "id", "objects"}:
        errors.append(f"unexpected bundle members {set(bundle) - {'type', 'id', 'objects'}}")
    objects = bundle.get("objects", [])
    if not objects:
        errors.append("no objects")
    ids = [o.get("id") for o in objects]
    if len(ids) != len(set(ids)):
        errors.append("duplicate ids")
    validated = 0
    tlp = expected_tlp(report)
    for obj in objects:
        kind = obj.get("type")
        schema = by_name.get(("sdos", kind)) or by_name.get(("sros", kind)) or \
            (by_name.get(("common", kind)) if kind in ("marking-definition", "extension-definition") else None)
        if schema is None:
            errors.append(f"no schema for {kind}")
            continue
        problems = sorted(validator(schema).iter_errors(obj), key=lambda e: list(e.path))
        for p in problems[:3]:
            errors.append(f"{kind}: {'/'.join(map(str, p.path))}: {p.message[:200]}")
        validated += 1
        if kind == "marking-definition":
            continue  # the standard TLP 2.0 ids are UUIDv4, checked below
        if not STIX_ID.match(obj.get("id", "")) or not obj["id"].startswith(kind + "--"):
            errors.append(f"{kind}: id {obj.get('id')} is not {kind}--<UUIDv5>")
        custom = [k for k in obj if k.startswith("x_")]
        if custom:
            errors.append(f"{kind}: custom top-level properties {custom}; they belong in the extension")
    by_type = {}
    for obj in objects:
        by_type.setdefault(obj["type"], []).append(obj)
    incidents = by_type.get("incident", [])
    if len(incidents) != 1:
        errors.append(f"{len(incidents)} incidents")
    else:
        incident = incidents[0]
        expected = f"incident--{uuid.uuid5(EXPORT_NAMESPACE, report['report_id'] + '/incident')}"
        if incident["id"] != expected:
            errors.append(f"incident id {incident['id']}, expected UUIDv5 {expected}")
        if incident.get("name") != report["nature"]["summary"]:
            errors.append("incident name is not the summary")
        if report["nature"].get("description") and incident.get("description") != report["nature"]["description"]:
            errors.append("incident description differs")
        refs = {(r["source_name"], r.get("external_id")) for r in incident.get("external_references", [])}
        if ("meldwijzer", report["report_id"]) not in refs:
            errors.append("report_id is not an external reference")
        if report["nature"].get("category") and report["nature"]["category"] not in incident.get("labels", []):
            errors.append("ENISA category is not a label")
        extension = next(iter(incident.get("extensions", {}).values()), {})
        if extension.get("training") is not report.get("training", False):
            errors.append("training flag lost")
        if report["timeline"].get("started_at") and "started_at" not in extension.get("timeline", {}):
            errors.append("timeline lost")
        for field, path in (("cause", ("nature", "cause")), ("service", ("service", "name")),
                            ("recovery_status", ("recovery", "status")), ("affected", ("nature", "affected"))):
            value = (report.get(path[0]) or {}).get(path[1])
            if value and extension.get(field) != value:
                errors.append(f"{field} lost from the extension")
    # One extension definition holds every custom property, as a property extension.
    definitions = by_type.get("extension-definition", [])
    if len(definitions) != 1 or definitions[0].get("extension_types") != ["property-extension"]:
        errors.append(f"{len(definitions)} extension definitions, expected one property-extension")
    else:
        with open(EXTENSION_SCHEMA) as f:
            extension_schema = json.load(f)
        if definitions[0].get("schema", "").rsplit("/", 2)[-2:] != ["stix", "meldwijzer-report-1.json"]:
            errors.append(f"extension schema {definitions[0].get('schema')} is not data/stix/meldwijzer-report-1.json")
        for obj in objects:
            for ext_id, ext in obj.get("extensions", {}).items():
                if obj["type"] == "marking-definition":
                    continue
                if ext_id != definitions[0]["id"]:
                    errors.append(f"{obj['id']}: extension {ext_id} is not the bundle's definition")
                for p in list(jsonschema.Draft202012Validator(extension_schema).iter_errors(ext))[:3]:
                    errors.append(f"{obj['type']} extension: {'/'.join(map(str, p.path))}: {p.message[:200]}")
        if not all(o.get("extensions") for o in objects if o["type"] == "incident"):
            errors.append("the incident does not use the extension")
    # The reporter's sharing limit: every object from the report carries the TLP 2.0 marking,
    # and the bundle holds that marking definition as published.
    markings = by_type.get("marking-definition", [])
    if [m.get("id") for m in markings] != [tlp["stix"]] or markings[0].get("name") != tlp["name"] or \
       markings[0].get("extensions", {}).get(TLP_EXTENSION, {}).get("tlp_2_0") != tlp["name"][4:].lower() or \
       markings[0].get("created") != "2022-10-01T00:00:00.000Z":
        errors.append(f"marking definitions {markings}, expected the standard {tlp['name']}")
    public = {d.get("created_by_ref") for d in definitions}  # the project that defines the extension
    for obj in objects:
        if obj["type"] not in ("marking-definition", "extension-definition") and obj["id"] not in public:
            if obj.get("object_marking_refs") != [tlp["stix"]]:
                errors.append(f"{obj['id']}: object_marking_refs {obj.get('object_marking_refs')}, expected {tlp['name']}")
    indicators = report.get("indicators") or []
    got = [o["pattern"] for o in by_type.get("indicator", [])]
    want = [stix_pattern(i) for i in indicators]
    if got != want:
        errors.append(f"patterns {got}, expected {want}")
    bundle_ids = set(ids)
    rels = by_type.get("relationship", [])
    if len(rels) != len(indicators):
        errors.append(f"{len(rels)} relationships for {len(indicators)} indicators")
    for rel in rels:
        if rel["relationship_type"] != "indicates" or rel["source_ref"] not in bundle_ids or \
           rel["target_ref"] != (incidents[0]["id"] if incidents else None):
            errors.append(f"bad relationship {rel['id']}")
    for obj in objects:
        if "created_by_ref" in obj and obj["created_by_ref"] not in bundle_ids:
            errors.append(f"{obj['id']} created_by_ref dangles")
    ok(not errors, f"stix {name}: bundle + {validated} objects valid against the OASIS schemas",
       "; ".join(errors))


# ------------------------------------------------------------------------------------------
# MISP

def check_misp_incident(event, report, template, describe):
    """The incident object against MISP's template: name, uuid, version, required relations,
    only the template's relations with its attribute types, single ones once."""
    errors = []
    objects = [o for o in event.get("Object", []) if o.get("name") == "incident"]
    if len(objects) != 1:
        return [f"{len(objects)} incident objects"]
    obj = objects[0]
    if obj.get("template_uuid") != template["uuid"] or obj.get("template_version") != str(template["version"]) \
       or obj.get("meta-category") != template["meta-category"]:
        errors.append("incident object: template uuid/version/meta-category differ from MISP's template")
    relations = [a.get("object_relation") for a in obj.get("Attribute", [])]
    for required in template["required"]:
        if required not in relations:
            errors.append(f"incident object: required relation {required} missing")
    mappings = describe["result"]["category_type_mappings"]
    for a in obj.get("Attribute", []):
        spec = template["attributes"].get(a.get("object_relation"))
        if spec is None:
            errors.append(f"incident object: relation {a.get('object_relation')} is not in the template")
            continue
        if a["type"] != spec["misp-attribute"] or a["type"] not in mappings.get(a["category"], []):
            errors.append(f"incident object: {a['object_relation']} has type {a['type']}/{a['category']}")
        if not spec.get("multiple") and relations.count(a["object_relation"]) > 1:
            errors.append(f"incident object: {a['object_relation']} more than once")
        if "sane_default" in spec and a["value"] not in spec["sane_default"]:
            errors.append(f"incident object: {a['object_relation']}={a['value']} is not one of the template's values")
    values = {a["object_relation"]: a["value"] for a in obj.get("Attribute", [])}
    if values.get("name") != report["nature"]["summary"]:
        errors.append("incident object: name is not the summary")
    status = (report.get("recovery") or {}).get("status")
    if status and values.get("investigation_status") != ("closed" if status == "resolved" else "open"):
        errors.append("incident object: investigation_status does not follow recovery.status")
    started = report["timeline"].get("started_at")
    if started and obj.get("first_seen") != started:
        errors.append(f"incident object: first_seen {obj.get('first_seen')}, expected {started}")
    # What the template has no relation for: event attributes the object references.
    by_uuid = {a["uuid"]: a for a in event.get("Attribute", [])}
    referenced = {}
    for ref in obj.get("ObjectReference", []):
        if ref.get("object_uuid") != obj["uuid"] or ref.get("referenced_uuid") not in by_uuid:
            errors.append(f"incident object: reference {ref.get('uuid')} dangles")
        else:
            referenced[ref.get("comment")] = by_uuid[ref["referenced_uuid"]]["value"]
    want = {"timeline.started_at": started, "timeline.detected_at": report["timeline"].get("detected_at"),
            "timeline.aware_at": report["timeline"].get("aware_at"), "recovery.status": status,
            "service.name": (report.get("service") or {}).get("name"), "nature.cause": report["nature"].get("cause"),
            "nature.affected": ", ".join(report["nature"].get("affected") or []) or None}
    for field, value in want.items():
        if value and referenced.get(field) != value:
            errors.append(f"incident object: {field} {referenced.get(field)!r}, expected {value!r}")
    return errors


def check_misp(name, data, report, misp_schema, describe, rsit, template):
    errors = []
    doc = json.loads(data)
    problems = list(jsonschema.Draft4Validator(misp_schema).iter_errors(doc))
    for p in problems[:3]:
        errors.append(f"schema: {'/'.join(map(str, p.path))}: {p.message[:200]}")
    event = doc.get("Event", {})
    if event.get("info") != report["nature"]["summary"]:
        errors.append("info is not the summary")
    tlp = expected_tlp(report)
    if event.get("distribution") != tlp["distribution"]:
        errors.append(f"distribution {event.get('distribution')}, expected {tlp['distribution']} for {tlp['name']}")
    if event.get("threat_level_id") not in ("1", "2", "3", "4") or event.get("analysis") not in ("0", "1", "2"):
        errors.append("threat level or analysis out of range")
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", event.get("date", "")):
        errors.append(f"date {event.get('date')}")
    mappings = describe["result"]["category_type_mappings"]
    types = describe["result"]["types"]
    attributes = event.get("Attribute", [])
    for a in attributes:
        if a["type"] not in types:
            errors.append(f"unknown type {a['type']}")
        if a["type"] not in mappings.get(a["category"], []):
            errors.append(f"type {a['type']} not allowed in category {a['category']}")
    values = [a["value"] for a in attributes if a.get("to_ids")]
    want = [i["value"] for i in report.get("indicators") or []]
    if values != want:
        errors.append(f"indicator attributes {values}, expected {want}")
    tags = [t["name"] for t in event.get("Tag", [])]
    category = report["nature"].get("category")
    tlp_tags = [t for t in tags if t.startswith("tlp:")]
    if tlp_tags != [tlp["misp_tag"]] or not set(tlp_tags) <= TLP_TAGS:
        errors.append(f"tlp tags {tlp_tags}, expected [{tlp['misp_tag']}]")
    for tag in tags:
        if tag.startswith("tlp:"):
            continue
        m = re.match(r'^rsit:([a-z-]+)="([a-z0-9-]+)"$', tag)
        if not m or m.group(2) not in rsit.get(m.group(1), set()):
            errors.append(f"tag {tag} is not in the rsit taxonomy")
    if category:
        predicate, value = category.split("/", 1)
        if f'rsit:{predicate}="{value}"' not in tags:
            errors.append(f"no rsit tag for {category}")
    if report.get("training") and 'rsit:test="test"' not in tags:
        errors.append("training report without rsit:test")
    errors += check_misp_incident(event, report, template, describe)
    ok(not errors, f"misp {name}: event valid, {len(attributes)} attributes with allowed type/category, "
       f"incident object per MISP's template, {tlp['misp_tag']}",
       "; ".join(errors))


# ------------------------------------------------------------------------------------------
# IODEF

INCIDENT_ORDER = ["IncidentID", "AlternativeID", "RelatedActivity", "DetectTime", "StartTime", "EndTime",
                  "RecoveryTime", "ReportTime", "GenerationTime", "Description", "Discovery", "Assessment",
                  "Method", "Contact", "EventData", "IndicatorData", "History", "AdditionalData"]
CONTACT_ORDER = ["ContactName", "ContactTitle", "Description", "RegistryHandle", "PostalAddress", "Email",
                 "Telephone", "Timezone", "Contact", "AdditionalData"]
ASSESSMENT_ORDER = ["IncidentCategory", "SystemImpact|BusinessImpact|TimeImpact|MonetaryImpact|IntendedImpact",
                    "Counter", "MitigatingFactor", "Cause", "Confidence", "AdditionalData"]
EVENTDATA_ORDER = ["Description", "DetectTime", "StartTime", "EndTime", "RecoveryTime", "ReportTime", "Contact",
                   "Discovery", "Assessment", "Method", "Flow", "Expectation", "Record", "EventData", "AdditionalData"]
SYSTEM_ORDER = ["Node", "NodeRole", "Service", "OperatingSystem", "Counter", "AssetID", "Description",
                "AdditionalData"]
# Attribute values RFC 7970 allows (section 3 enumerations) for the attributes the export writes.
ENUMS = {
    ("Incident", "purpose"): {"traceback", "mitigation", "reporting", "watch", "other", "ext-value"},
    ("Incident", "status"): {"new", "in-progress", "forwarded", "resolved", "future", "ext-value"},
    ("Incident", "restriction"): {"public", "partner", "need-to-know", "private", "default", "white", "green",
                                  "amber", "red", "ext-value"},
    ("Contact", "role"): {"creator", "reporter", "admin", "tech", "provider", "user", "billing", "legal", "abuse",
                          "irt", "cc", "cc-irt", "leo", "vendor", "vendor-support", "victim", "victim-notified",
                          "ext-value"},
    ("Contact", "type"): {"person", "organization", "ext-value"},
    ("Assessment", "occurrence"): {"actual", "potential"},
    ("SystemImpact", "completion"): {"failed", "succeeded"},
    ("SystemImpact", "type"): {"takeover-account", "takeover-service", "takeover-system", "cps-manipulation",
                               "cps-damage", "availability-data", "availability-account", "availability-service",
                               "availability-system", "damaged-system", "damaged-data", "breach-proprietary",
                               "breach-privacy", "breach-credential", "breach-configuration", "integrity-data",
                               "integrity-configuration", "integrity-hardware", "traffic-redirection",
                               "monitoring-traffic", "monitoring-host", "policy", "unknown", "ext-value"},
    ("TimeImpact", "metric"): {"labor", "elapsed", "downtime", "ext-value"},
    ("TimeImpact", "duration"): {"second", "minute", "hour", "day", "month", "quarter", "year", "ext-value"},
    ("System", "category"): {"source", "target", "intermediate", "sensor", "infrastructure", "ext-value"},
    ("Address", "category"): {"asn", "atm", "e-mail", "mac", "ipv4-addr", "ipv4-net", "ipv4-net-masked",
                              "ipv4-net-mask", "ipv6-addr", "ipv6-net", "ipv6-net-masked", "site-uri", "ext-value"},
    ("HashData", "scope"): {"file-contents", "file-pe-section", "file-pe-iat", "file-pe-resource", "file-pdf-object",
                            "email-hash", "email-headers-hash", "email-body-hash", "ext-value"},
    ("AdditionalData", "dtype"): {"boolean", "byte", "bytes", "character", "date-time", "ntpstamp", "integer",
                                  "portlist", "real", "string", "file", "path", "frame", "packet", "ipv4-packet",
                                  "ipv6-packet", "url", "csv", "winreg", "xml", "ext-value"},
}
REQUIRED_ATTRIBUTES = {"Incident": ["purpose"], "IncidentID": ["name"], "Contact": ["role", "type"],
                       "TimeImpact": ["metric"], "HashData": ["scope"], "AdditionalData": ["dtype"]}
XS_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def in_order(element, order):
    def position(child):
        if not child.tag.startswith(IODEF):
            return -1
        name = child.tag[len(IODEF):]
        return next((i for i, names in enumerate(order) if name in names.split("|")), -1)
    positions = [position(child) for child in element]
    return -1 not in positions and positions == sorted(positions)


def check_iodef_attributes(root):
    errors = []
    for node in root.iter():
        name = node.tag[len(IODEF):] if node.tag.startswith(IODEF) else node.tag
        for attribute in REQUIRED_ATTRIBUTES.get(name, []):
            if node.get(attribute) is None:
                errors.append(f"{name} without {attribute}")
        for attribute, value in node.attrib.items():
            allowed = ENUMS.get((name, attribute))
            if allowed is not None and value not in allowed:
                errors.append(f"{name}/@{attribute}={value} is not an RFC 7970 value")
    for node in root.iter(IODEF + "Hash"):
        children = [c.tag for c in node]
        if children[:2] != [DS + "DigestMethod", DS + "DigestValue"] or not node[0].get("Algorithm"):
            errors.append("Hash is not ds:DigestMethod + ds:DigestValue")
    for node in root.iter(IODEF + "Node"):
        if not any(c.tag in (IODEF + "Address", IODEF + "DomainData") for c in node):
            errors.append("Node without Address or DomainData")
    return errors


def issuer_domain(report):
    """The provider's domain (its contact's, else its technical contact's e-mail), else "invalid"."""
    for who in ("contact", "technical_contact"):
        email = (report["provider"].get(who) or {}).get("email") or ""
        if "@" in email:
            domain = email.rsplit("@", 1)[1].lower().rstrip(".")
            if re.fullmatch(r"(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+", domain):
                return domain
    return "invalid"


XSD = os.path.join(SCHEMAS, "iodef", "iodef-2.0.xsd")


def xsd_errors(data):
    """xmllint against RFC 7970's schema, offline."""
    with tempfile.NamedTemporaryFile(suffix=".xml") as f:
        f.write(data)
        f.flush()
        proc = subprocess.run(["xmllint", "--nonet", "--noout", "--schema", XSD, f.name],
                              capture_output=True, text=True, timeout=60)
    if proc.returncode == 0:
        return []
    return ["XSD: " + line for line in proc.stderr.splitlines() if "validates" not in line][:3] or \
        [f"xmllint exit {proc.returncode}"]


def check_iodef(name, data, report):
    errors = []
    root = ET.fromstring(data)
    if root.tag != IODEF + "IODEF-Document" or root.get("version") != "2.00":
        errors.append(f"root {root.tag} version {root.get('version')}")
    incidents = root.findall(IODEF + "Incident")
    if len(incidents) != 1:
        errors.append(f"{len(incidents)} incidents")
        incident = root
    else:
        incident = incidents[0]
    if incident.get("purpose") != "reporting":
        errors.append(f"purpose {incident.get('purpose')}")
    if not in_order(incident, INCIDENT_ORDER):
        errors.append("Incident children out of RFC 7970 order: " + ",".join(c.tag[len(IODEF):] for c in incident))
    iid = incident.find(IODEF + "IncidentID")
    if iid is None or iid.text != report["report_id"] or iid.get("name") != issuer_domain(report):
        errors.append(f"IncidentID is {iid.get('name') if iid is not None else None}/"
                      f"{iid.text if iid is not None else None}, expected {issuer_domain(report)}/report_id")
    if incident.find(IODEF + "AlternativeID") is not None:
        errors.append("AlternativeID holds the sender's own id; it is for other CSIRTs' ids")
    related = [r.text for r in incident.findall(IODEF + "RelatedActivity/" + IODEF + "IncidentID")]
    if report.get("incident_id") and report["incident_id"] not in related:
        errors.append("incident_id is not a RelatedActivity")
    tlp = expected_tlp(report)
    if incident.get("restriction") != tlp["iodef"]:
        errors.append(f"restriction {incident.get('restriction')}, expected {tlp['iodef']} for {tlp['name']}")
    errors += xsd_errors(data)
    for required in ("GenerationTime", "Contact"):
        if incident.find(IODEF + required) is None:
            errors.append(f"no {required}")
    for element in ("GenerationTime", "ReportTime", "StartTime", "DetectTime", "EndTime"):
        node = incident.find(IODEF + element)
        if node is not None and not XS_DATETIME.match(node.text or ""):
            errors.append(f"{element} {node.text} is not an xs:dateTime")
    if report["timeline"].get("started_at") and incident.find(IODEF + "StartTime") is None:
        errors.append("no StartTime")
    descriptions = [d.text for d in incident.findall(IODEF + "Description")]
    if report["nature"]["summary"] not in descriptions:
        errors.append("summary is not a Description")
    assessment = incident.find(IODEF + "Assessment")
    impacts = [c for c in assessment or [] if c.tag[len(IODEF):] in
               ("SystemImpact", "BusinessImpact", "TimeImpact", "MonetaryImpact", "IntendedImpact")]
    if assessment is None or not impacts:
        errors.append("no Assessment with an impact")
    elif not in_order(assessment, ASSESSMENT_ORDER):
        errors.append("Assessment children out of order")
    for event_data in incident.iter(IODEF + "EventData"):
        if not in_order(event_data, EVENTDATA_ORDER):
            errors.append("EventData children out of order")
    for system in incident.iter(IODEF + "System"):
        if not in_order(system, SYSTEM_ORDER):
            errors.append("System children out of order")
    errors += check_iodef_attributes(root)
    creator = incident.find(IODEF + "Contact")
    if creator is None or creator.get("role") != "creator" or creator.get("type") not in ("organization", "person"):
        errors.append("first Contact is not the creator")
    else:
        for contact in [creator] + creator.findall(IODEF + "Contact"):
            if not in_order(contact, CONTACT_ORDER):
                errors.append("Contact children out of order")
        emails = [e.text for e in creator.iter(IODEF + "EmailTo")]
        phones = [t.text for t in creator.iter(IODEF + "TelephoneNumber")]
        contact = report["provider"].get("contact", {})
        if contact.get("email") and contact["email"] not in emails:
            errors.append("contact e-mail missing")
        if contact.get("phone") and contact["phone"] not in phones:
            errors.append("contact phone missing")
    found = set()
    for node in incident.iter():
        if node.tag in (IODEF + "Address", IODEF + "Name"):
            found.add(node.text)
    for indicator in report.get("indicators") or []:
        if not indicator["type"].startswith("file:") and indicator["value"] not in found:
            errors.append(f"indicator {indicator['value']} not in EventData")
    ok(not errors, f"iodef {name}: valid against RFC 7970's XSD; required elements, order, attribute values, "
       f"restriction {tlp['iodef']}", "; ".join(errors))


# ------------------------------------------------------------------------------------------
# PDF

def pdf_text(path):
    proc = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(f"pdftotext: {proc.stderr.decode(errors='replace')}")
    return " ".join(proc.stdout.decode("utf-8").replace("\u00a0", " ").split())


def pdf_pages(path):
    proc = subprocess.run(["pdfinfo", path], capture_output=True, text=True, timeout=60)
    m = re.search(r"^Pages:\s+(\d+)", proc.stdout, re.M)
    return int(m.group(1)) if m else -1


VERDICT_TEXT = {
    "mandatory": "Mandatory: this incident must be reported",
    "undetermined": "Undetermined: the answers so far do not decide it",
    "voluntary": "Voluntary: no reporting duty applies",
}


def check_pdf(name, path, report, regimes):
    errors = []
    with open(path, "rb") as f:
        head = f.read(8)
    if not head.startswith(b"%PDF-"):
        errors.append("does not start with %PDF-")
    text = pdf_text(path)
    summary = " ".join(report["nature"]["summary"].split())
    if summary not in text:
        errors.append("summary not found")
    assessment = json.loads(run("assess", "--json", os.path.join(SRCDIR, "reports", name)).stdout)
    if VERDICT_TEXT[assessment["verdict"]] not in text:
        errors.append(f"verdict {assessment['verdict']} not found")
    regime = regimes[assessment["regime"]]
    phones = 0
    for rid in assessment["recipients"]:
        recipient = next(r for r in regime["recipients"] if r["id"] == rid)
        if recipient["name"]["en"] not in text:
            errors.append(f"recipient {rid} not named")
        for channel in recipient["channels"]:
            if channel["kind"] == "phone":
                phones += 1
                if channel["value"] not in text:
                    errors.append(f"phone {channel['value']} of {rid} not found")
    if report["report_id"] not in text:
        errors.append("report id not found")
    if report.get("training") and "TRAINING" not in text:
        errors.append("no training banner")
    pages = pdf_pages(path)
    if not 1 <= pages <= 4:
        errors.append(f"{pages} pages")
    ok(not errors, f"pdf {name}: {pages} A4 pages; summary, verdict, {len(assessment['recipients'])} recipients "
       f"and {phones} phone numbers found by pdftotext", "; ".join(errors))


# ------------------------------------------------------------------------------------------

def main():
    if not CLI or not os.access(CLI, os.X_OK):
        print("1..0 # SKIP MELDWIJZER_CLI not set")
        return 0
    os.umask(0o022)   # the common default, under which a plain write would give 0644
    for tool, package in (("pdftotext", "poppler-utils"), ("pdfinfo", "poppler-utils"), ("xmllint", "libxml2-utils")):
        if shutil.which(tool) is None:
            print(f"Bail out! {tool} not found: install {package} (.ci/deps)")
            return 1
    if not os.path.isdir(os.path.join(SCHEMAS, "stix2.1")):
        print(f"Bail out! no schemas in {SCHEMAS}: set MELDWIJZER_SHARED_SCHEMAS")
        return 1

    by_name, validator = stix_validators()
    with open(os.path.join(SCHEMAS, "misp", "misp-event-schema.json")) as f:
        misp_schema = json.load(f)
    with open(os.path.join(SCHEMAS, "misp", "misp-describe-types.json")) as f:
        describe = json.load(f)
    with open(os.path.join(SCHEMAS, "misp", "objects", "incident", "definition.json")) as f:
        template = json.load(f)
    with open(os.path.join(SCHEMAS, "misp", "rsit-machinetag.json")) as f:
        rsit = {v["predicate"]: {e["value"] for e in v["entry"]} for v in json.load(f)["values"]}
    regimes = {}
    for path in glob.glob(os.path.join(REGIMES, "*.json")):
        with open(path) as f:
            doc = json.load(f)
        regimes[doc["id"]] = doc

    reports = sorted(glob.glob(os.path.join(SRCDIR, "reports", "*.json")))
    ok(len(reports) >= 5, f"{len(reports)} example reports")

    # The checks themselves can fail: broken objects are rejected.
    good = {"type": "incident", "spec_version": "2.1", "id": "incident--" + str(uuid.uuid5(EXPORT_NAMESPACE, "x")),
            "created": "2026-11-21T05:40:00.000Z", "modified": "2026-11-21T05:40:00.000Z", "name": "n"}
    incident_schema = by_name[("sdos", "incident")]
    broken = [dict(good, created="2026-11-21T06:40:00+01:00"), {k: v for k, v in good.items() if k != "name"},
              dict(good, labels=[]), dict(good, **{"X-Bad": 1})]
    ok(not list(validator(incident_schema).iter_errors(good)) and
       all(list(validator(incident_schema).iter_errors(b)) for b in broken),
       "stix schema check accepts a valid incident and rejects 4 broken ones")
    bad_event = {"Event": {"info": "x", "distribution": 0}}
    mappings = describe["result"]["category_type_mappings"]
    ok(list(jsonschema.Draft4Validator(misp_schema).iter_errors(bad_event)) and
       "ip-src" not in mappings["Payload type"] and "sha256" in mappings["Payload delivery"],
       "misp schema check rejects a numeric distribution; type table knows the pairs")

    good_iodef = export("iodef", reports[0], os.path.join(tempfile.gettempdir(), f"mw-xsd-{os.getpid()}.xml"))
    os.unlink(os.path.join(tempfile.gettempdir(), f"mw-xsd-{os.getpid()}.xml"))
    broken_iodef = [good_iodef.replace(b'restriction="', b'restriction="amber+strict" x="', 1),
                    re.sub(rb"<GenerationTime>[^<]*</GenerationTime>", b"", good_iodef),
                    good_iodef.replace(b"<IncidentID ", b"<IncidentID x=\"1\" ", 1).replace(b' name="', b' nme="', 1)]
    ok(not xsd_errors(good_iodef) and all(xsd_errors(b) for b in broken_iodef),
       "iodef XSD check accepts an export and rejects 3 broken ones (bad restriction, no GenerationTime, no name)")
    bad_object = {"Object": [{"name": "incident", "template_uuid": template["uuid"], "template_version": "1",
                              "meta-category": "misc", "uuid": "x",
                              "Attribute": [{"object_relation": "cause", "type": "text", "category": "Other",
                                             "value": "x", "uuid": "y"}]}]}
    ok(len(check_misp_incident(bad_object, {"nature": {"summary": "s"}, "timeline": {}}, template, describe)) >= 2,
       "misp template check rejects a relation outside the template and a missing name")

    with tempfile.TemporaryDirectory() as tmp:
        for path in reports:
            name = os.path.basename(path)
            with open(path) as f:
                report = json.load(f)
            outputs = {}
            for fmt in ("stix", "misp", "iodef", "pdf"):
                out = os.path.join(tmp, f"{name}.{fmt}")
                try:
                    outputs[fmt] = export(fmt, path, out)
                    again = export(fmt, path, out + ".again")
                    ok(outputs[fmt] == again, f"{fmt} {name}: deterministic ({len(again)} bytes twice)")
                except Exception as e:  # noqa: BLE001
                    ok(False, f"{fmt} {name}: export", str(e))
            for fmt, check in (("stix", lambda d: check_stix(name, d, report, by_name, validator)),
                               ("misp", lambda d: check_misp(name, d, report, misp_schema, describe, rsit, template)),
                               ("iodef", lambda d: check_iodef(name, d, report))):
                if fmt in outputs:
                    try:
                        check(outputs[fmt])
                    except Exception as e:  # noqa: BLE001
                        ok(False, f"{fmt} {name}: check", repr(e))
            if "pdf" in outputs:
                try:
                    check_pdf(name, os.path.join(tmp, f"{name}.pdf"), report, regimes)
                except Exception as e:  # noqa: BLE001
                    ok(False, f"pdf {name}: check", repr(e))

        # A hostile report: markup, quotes and an indicator with a quote in every format.
        with open(os.path.join(SRCDIR, "reports", "cbw-dns-outage.json")) as f:
            hostile = json.load(f)
        evil = "</Description><script>alert(\"x\")</script> & 'quoted' <b>bold</b>"
        hostile["nature"]["summary"] = evil
        hostile["nature"]["description"] = "]]> <![CDATA[ <span foreground=\"red\">not markup</span> &amp;"
        hostile["provider"]["name"] = "Evil \"Corp\" <i>B.V.</i>"
        # ... with every indicator type of the report format.
        hostile["indicators"] = [{"type": "url", "value": "http://evil.example/a'b?c=1&d=2"},
                                 {"type": "email-addr", "value": "x'y@evil.example"},
                                 {"type": "ipv4-addr", "value": "203.0.113.0/24"},
                                 {"type": "ipv6-addr", "value": "2001:db8::7"},
                                 {"type": "domain-name", "value": "c2.evil.example"},
                                 {"type": "file:hashes.MD5", "value": "900150983cd24fb0d6963f7d28e17f72"},
                                 {"type": "file:hashes.SHA-1", "value": "a9993e364706816aba3e25717850c26c9cd0d89d"},
                                 {"type": "file:hashes.SHA-256",
                                  "value": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}]
        hostile_path = os.path.join(tmp, "hostile.json")
        with open(hostile_path, "w") as f:
            json.dump(hostile, f)
        try:
            stix = export("stix", hostile_path, os.path.join(tmp, "hostile.stix"))
            check_stix("hostile", stix, hostile, by_name, validator)
            misp = export("misp", hostile_path, os.path.join(tmp, "hostile.misp"))
            check_misp("hostile", misp, hostile, misp_schema, describe, rsit, template)
            iodef = export("iodef", hostile_path, os.path.join(tmp, "hostile.xml"))
            check_iodef("hostile", iodef, hostile)
            root = ET.fromstring(iodef)
            texts = [d.text for d in root.iter(IODEF + "Description")]
            ok(evil in texts and hostile["nature"]["description"] in texts and b"<script>" not in iodef,
               "iodef hostile: markup stays text and round-trips")
            digests = sorted(d.text for d in root.iter(DS + "DigestValue"))
            ok(digests == sorted(base64.b64encode(bytes.fromhex(i["value"])).decode()
                                 for i in hostile["indicators"] if i["type"].startswith("file:")),
               "iodef: file hashes as base64 ds:DigestValue", digests)
            export("pdf", hostile_path, os.path.join(tmp, "hostile.pdf"))
            text = pdf_text(os.path.join(tmp, "hostile.pdf"))
            ok(" ".join(evil.split()) in text and "<span foreground=\"red\">not markup</span>" in text,
               "pdf hostile: markup printed as text, not interpreted", text[:300])
        except Exception as e:  # noqa: BLE001
            ok(False, "hostile report", repr(e))

        # Consent to share: TLP:GREEN in every format.
        try:
            sharing = dict(hostile, consent={"csirt_may_share_identifiable": True, "csirt_may_consult_regulator": True})
            sharing_path = os.path.join(tmp, "sharing.json")
            with open(sharing_path, "w") as f:
                json.dump(sharing, f)
            check_stix("consent to share", export("stix", sharing_path, os.path.join(tmp, "sharing.stix")),
                       sharing, by_name, validator)
            check_misp("consent to share", export("misp", sharing_path, os.path.join(tmp, "sharing.misp")),
                       sharing, misp_schema, describe, rsit, template)
            check_iodef("consent to share", export("iodef", sharing_path, os.path.join(tmp, "sharing.xml")), sharing)
            stix_green = json.loads(export("stix", sharing_path, os.path.join(tmp, "sharing.stix")))
            ok(any(o["id"] == TLP["green"]["stix"] for o in stix_green["objects"]),
               "consent to share identifiable data: TLP:GREEN in STIX")
        except Exception as e:  # noqa: BLE001
            ok(False, "consent to share", repr(e))

        # Dutch: the regime's labels in the user's language.
        try:
            dutch = os.path.join(tmp, "nl.pdf")
            export("pdf", os.path.join(SRCDIR, "reports", "wbni-drinking-water.json"), dutch, "--language", "nl")
            text = pdf_text(dutch)
            ncsc_nl = next(r for r in regimes["nl-wbni"]["recipients"] if r["id"] == "ncsc")["name"]["nl"]
            ok(ncsc_nl in text, "pdf --language nl: Dutch recipient names", ncsc_nl)
        except Exception as e:  # noqa: BLE001
            ok(False, "pdf --language nl", repr(e))

        # The signed form: a JWS made independently with jwcrypto over the canonical report;
        # its SHA-256 and kid appear in the PDF, a JWS of another report is refused.
        try:
            signed_report = os.path.join(SRCDIR, "reports", "telecom-outage.json")
            with open(signed_report) as f:
                payload = json.dumps(json.load(f), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            key = jwk.JWK.generate(kty="OKP", crv="Ed25519")
            kid = key.thumbprint()
            token = jws.JWS(payload.encode())
            token.add_signature(key, None, json.dumps({"alg": "EdDSA", "cty": "meldwijzer.report/1", "kid": kid},
                                                      sort_keys=True, separators=(",", ":")))
            compact = token.serialize(compact=True)
            jws_path = os.path.join(tmp, "report.jws")
            with open(jws_path, "w") as f:
                f.write(compact + "\n")
            signed_pdf = os.path.join(tmp, "signed.pdf")
            export("pdf", signed_report, signed_pdf, "--jws", jws_path)
            text = pdf_text(signed_pdf)
            sha256 = hashlib.sha256(compact.encode()).hexdigest()
            ok(sha256 in text and kid in text, "pdf --jws: SHA-256 and kid of the signed report printed",
               f"{sha256} {kid}")
            p = run("export", "--format", "pdf", os.path.join(SRCDIR, "reports", "cbw-dns-outage.json"),
                    "-o", os.path.join(tmp, "mismatch.pdf"), "--jws", jws_path, check=False)
            ok(p.returncode == 1 and b"report.jws" in p.stderr and b"does not hold this report" in p.stderr
               and not os.path.exists(os.path.join(tmp, "mismatch.pdf")),
               "pdf --jws of another report: exit 1, names the file", p.stderr)
            garbage = os.path.join(tmp, "garbage.jws")
            with open(garbage, "w") as f:
                f.write("not a signed report\n")
            p = run("export", "--format", "pdf", signed_report, "-o", os.path.join(tmp, "garbage.pdf"),
                    "--jws", garbage, check=False)
            lines = p.stderr.decode(errors="replace").splitlines()
            ok(p.returncode == 1 and len(lines) == 2 and garbage in lines[0] and "compact JWS" in lines[0]
               and lines[1] == f"Write it with: meldwijzer-cli sign {signed_report} > {garbage}"
               and not os.path.exists(os.path.join(tmp, "garbage.pdf")),
               "pdf --jws that is no JWS: exit 1, then the command that writes one on its own line", p.stderr)
        except Exception as e:  # noqa: BLE001
            ok(False, "pdf --jws", repr(e))

        # Exit codes and messages.
        report = os.path.join(SRCDIR, "reports", "telecom-outage.json")
        out = os.path.join(tmp, "x.out")
        p = run("export", "--format", "csv", report, "-o", out, check=False)
        ok(p.returncode == 2 and b"--format" in p.stderr, "unknown format: exit 2, names --format", p.stderr)
        p = run("export", "--format", "stix", report, check=False)
        ok(p.returncode == 2 and b"-o" in p.stderr, "missing -o: exit 2", p.stderr)
        p = run("export", "--format", "stix", os.path.join(tmp, "absent.json"), "-o", out, check=False)
        ok(p.returncode == 2 and b"absent.json" in p.stderr, "missing report: exit 2, names the file", p.stderr)
        bad = dict(hostile)
        bad["indicators"] = [{"type": "ipv4-addr", "value": "300.1.2.3"}]
        bad_path = os.path.join(tmp, "bad.json")
        with open(bad_path, "w") as f:
            json.dump(bad, f)
        p = run("export", "--format", "iodef", bad_path, "-o", out, check=False)
        ok(p.returncode == 1 and b"bad.json" in p.stderr and b"indicators[0].value" in p.stderr
           and not os.path.exists(out), "invalid indicator: exit 1, names file and field, writes nothing", p.stderr)
        lines = p.stderr.decode(errors="replace").splitlines()
        ok(any(line.startswith(bad_path + ": indicators[0].value: ") for line in lines)
           and lines[-1] == f"meldwijzer-cli: {bad_path}: not exported: fix the problem above first",
           "invalid report: every problem on its own line as FILE: field: message, as validate prints them",
           p.stderr)
        p = run("export", "--format", "misp", report, "-o", os.path.join(tmp, "no", "such", "dir.json"), check=False)
        ok(p.returncode == 1 and b"dir.json" in p.stderr, "unwritable output: exit 1, names OUT", p.stderr)
        with open(out, "w") as f:
            f.write("old content")
        p = run("export", "--format", "misp", report, "-o", out, check=False)
        with open(out, "rb") as f:
            replaced = f.read()
        ok(p.returncode == 0 and replaced.startswith(b"{") and b"old content" not in replaced,
           "existing OUT is replaced", p.stderr)
        p = run("export", "--format", "stix", report, "-o", "-", check=False)
        ok(p.returncode == 0 and json.loads(p.stdout)["type"] == "bundle", "-o - writes to standard output")

    print(f"1..{len(results)}")
    for i, (passed, name, detail) in enumerate(results, 1):
        print(f"{'ok' if passed else 'not ok'} {i} - {name}")
        if not passed and detail:
            for line in str(detail).splitlines()[:20]:
                print(f"# {line}")
    return 0 if all(r[0] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

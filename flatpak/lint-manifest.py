#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Offline lint of the Flatpak manifests against Flathub's rules.

  lint-manifest.py [--flatpak-builder PATH] [--version VERSION] [--metainfo FILE] MANIFEST...
  lint-manifest.py --self-test

No runtime can be downloaded here, so nothing is built. What can be checked without network:

1. `flatpak-builder --show-manifest` (when given) must exit 0 and print nothing on stderr:
   it only warns on unknown keys, which Flathub's linter turns into errors.
2. The rules of Flathub's linter (flathub-infra/flatpak-builder-lint, checks appid, toplevel,
   finish_args, modules, eolruntime) that need no network, with its error names: the id
   matches the file name and the code-hosting rules, a command that is not a path, no
   branch, finish-args without home/host/bus access or wrong bus names, git sources with a
   URL and no branch, no sha1/md5 archives.
3. Flathub's policies the linter checks online, as far as they are known offline: the
   runtime is org.gnome.Platform/Sdk on a supported branch (SUPPORTED_GNOME, December 2026);
   the release manifest uses the newest one and builds from a git source pinned to a tag
   (v + the project version, which the metainfo must list as a release) and a full commit,
   never a "dir" source; no module rebuilds what the runtime already has.
4. Least privilege beyond the linter: no file system access at all (files go through the
   portal), exactly the permissions the app needs, and the app module runs its tests.

--self-test checks that every rule fires on a manifest that breaks it."""
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

# GNOME runtimes Flathub supports in December 2026: a branch is supported about a year and
# ends when the next-but-one is released (GNOME 50: March 2026, 51: September 2026). The
# newest is what a release builds on; the previous one is the floor the code must keep
# building on. Update both when GNOME 52 is released (March 2027).
SUPPORTED_GNOME = ("50", "51")
NEWEST_GNOME = "51"

# Libraries org.gnome.Platform (and the freedesktop base under it) ships: a module for one
# of them is a second copy Flathub reviewers reject.
RUNTIME_PROVIDES = {
    "glib", "glib2", "gtk", "gtk4", "libadwaita", "libsoup", "libsoup3", "json-glib", "libsecret",
    "gnutls", "nettle", "sqlite", "sqlite3", "libxml2", "cairo", "pango", "gdk-pixbuf",
    "harfbuzz", "fontconfig", "freetype", "glib-networking", "gettext", "zlib", "openssl",
}

# What the app needs, and why (flatpak/README.md); anything else is more than it needs.
REQUIRED = {
    "--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11", "--device=dri",
}
ALLOWED = REQUIRED | {"--talk-name=org.freedesktop.secrets"}

HEX40 = re.compile(r"^[0-9a-f]{40}$")


def split_finish_args(args):
    """finish-args as Flathub's linter reads them: {key: {values}}."""
    fa = {}
    for arg in args:
        key, _, value = arg.partition("=")
        key = key.removeprefix("--")
        if key in ("nodevice", "nosocket", "unshare"):
            key, value = {"nodevice": "device", "nosocket": "socket", "unshare": "share"}[key], "!" + value
        fa.setdefault(key, set()).add(value)
    return fa


def check_appid(path, manifest):
    errors = []
    appid = manifest.get("id", manifest.get("app-id"))
    if not appid:
        return ["appid-not-defined"]
    if appid != os.path.basename(path)[:-len(".json")]:
        errors.append("appid-filename-mismatch")
    parts = appid.split(".")
    if parts[-1] == "desktop":
        errors.append("appid-ends-with-lowercase-desktop")
    if len(parts) > 1 and parts[1].lower() in ("github", "gitlab"):
        if parts[0].lower() != "io":
            errors.append("appid-uses-code-hosting-domain")
        if len(parts) < 4:
            errors.append("appid-code-hosting-too-few-components")
    return errors


def check_toplevel(manifest):
    errors = []
    command = manifest.get("command")
    if not command:
        errors.append("toplevel-no-command")
    elif command.startswith("/"):
        errors.append("toplevel-command-is-path")
    if manifest.get("branch") not in ("stable", "beta", None) or \
       manifest.get("default-branch") not in ("stable", "beta", None):
        errors.append("toplevel-unnecessary-branch")
    if "/lib/debug" in manifest.get("cleanup", []):
        errors.append("toplevel-cleanup-debug")
    if not manifest.get("modules"):
        errors.append("toplevel-no-modules")
    if "--share=network" in manifest.get("build-options", {}).get("build-args", []):
        errors.append("manifest-toplevel-build-network-access")
    return errors


def check_runtime(manifest, release):
    errors = []
    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        errors.append("runtime-not-gnome: runtime/sdk must be org.gnome.Platform/org.gnome.Sdk")
    version = str(manifest.get("runtime-version"))
    if version not in SUPPORTED_GNOME:
        errors.append(f"runtime-is-eol-org.gnome.Platform-{version}: supported are {', '.join(SUPPORTED_GNOME)}")
    elif release and version != NEWEST_GNOME:
        errors.append(f"runtime-update-available-to-org.gnome.Platform-{NEWEST_GNOME}: a release builds "
                      f"on the newest runtime")
    return errors


def check_finish_args(manifest):
    """Flathub's finish-args errors that apply to a desktop app, then least privilege."""
    errors = []
    args = manifest.get("finish-args")
    if args is None:
        return ["finish-args-not-defined"]
    fa = split_finish_args(args)
    socket, share = fa.get("socket", set()), fa.get("share", set())
    if "x11" in socket and "fallback-x11" in socket:
        errors.append("finish-args-contains-both-x11-and-fallback")
    if "x11" in socket and "wayland" in socket:
        errors.append("finish-args-contains-both-x11-and-wayland")
    if ("x11" in socket or "fallback-x11" in socket) and "ipc" not in share:
        errors.append("finish-args-x11-without-ipc")
    if "fallback-x11" in socket and "wayland" not in socket:
        errors.append("finish-args-fallback-x11-without-wayland")
    if "wayland" in socket and not socket & {"x11", "fallback-x11"}:
        errors.append("finish-args-only-wayland")
    if socket & {"session-bus", "system-bus"}:
        errors.append("finish-args-arbitrary-dbus-access")
    for name in ("gpg-agent", "ssh-auth"):
        if name in socket:
            errors.append(f"finish-args-has-socket-{name}")
    for key, negation in (("socket", "nosocket"), ("share", "unshare"), ("device", "nodevice")):
        for value in fa.get(key, set()):
            if value.startswith("!"):
                errors.append(f"finish-args-has-{negation}-{value[1:]}")
    for fs in fa.get("filesystem", set()):
        if re.fullmatch(r"(home|host|~/?)(:rw|:create|:ro)?", fs):
            kind = "host" if fs.startswith("host") else "home"
            errors.append(f"finish-args-{kind}{'-ro' if fs.endswith(':ro') else ''}-filesystem-access")
        elif re.match(r"^(/home|/var/home)(/|:|$)", fs):
            errors.append("finish-args-absolute-home-path")
        elif re.match(r"^xdg-(data|config|cache)(:(create|rw|ro))?$", fs):
            errors.append(f"finish-args-arbitrary-{fs.split(':')[0]}-access")
        # Least privilege: no file system at all, files go through the portal.
        errors.append(f"filesystem-not-needed: --filesystem={fs}: open and save through the file chooser portal")
    for talk in fa.get("talk-name", set()):
        if talk.startswith("org.freedesktop.portal."):
            errors.append("finish-args-portal-talk-name")
        if talk in ("org.freedesktop.Flatpak", "org.freedesktop.Flatpak.*"):
            errors.append("finish-args-flatpak-spawn-access")
        if talk == "org.freedesktop.Secrets":
            errors.append("finish-args-incorrect-secret-service-talk-name")
        if talk == "org.freedesktop.DBus" or talk.startswith("org.freedesktop.DBus."):
            errors.append("finish-args-freedesktop-dbus-talk-name")
        if talk in ("org.freedesktop.*", "org.gnome.*"):
            errors.append("finish-args-wildcard-talk-name")
        if talk == "ca.desrt.dconf" or talk.startswith("ca.desrt.dconf."):
            errors.append("finish-args-dconf-talk-name")
    if fa.get("own-name") or fa.get("system-talk-name") or fa.get("system-own-name"):
        errors.append("finish-args-bus-names-not-needed")
    for arg in sorted(set(args) - ALLOWED):
        if not arg.startswith("--filesystem="):
            errors.append(f"finish-args-not-needed: {arg}")
    for arg in sorted(REQUIRED - set(args)):
        errors.append(f"finish-args-missing: {arg}")
    return errors


def check_source(module, source, release):
    errors = []
    kind = source.get("type")
    prefix = f"module-{module}-source"
    if kind in ("archive", "file"):
        if source.get("sha1"):
            errors.append(f"{prefix}-sha1-deprecated")
        if source.get("md5"):
            errors.append(f"{prefix}-md5-deprecated")
        if not source.get("sha256") and not source.get("sha512"):
            errors.append(f"{prefix}-no-checksum")
    if kind == "git":
        if source.get("branch"):
            errors.append(f"{prefix}-git-branch")
        if not source.get("tag") and not source.get("commit"):
            errors.append(f"{prefix}-git-no-commit-or-tag")
        if source.get("path"):
            errors.append(f"{prefix}-git-local-path")
        url = source.get("url", "")
        if not url:
            errors.append(f"{prefix}-git-no-url")
        elif not url.startswith("https:"):
            errors.append(f"{prefix}-git-url-not-https")
    if release:
        if kind == "dir":
            errors.append(f"{prefix}-dir-in-release: Flathub builds from published sources, not a local directory")
        elif kind == "git" and not (source.get("tag") and HEX40.match(source.get("commit", ""))):
            errors.append(f"{prefix}-git-not-pinned: a release pins both a tag and its full commit")
    return errors


def check_modules(manifest, release, version, metainfo_releases):
    errors = []
    for module in manifest.get("modules", []):
        if not isinstance(module, dict):
            errors.append("module-is-not-inline: keep every module in this file")
            continue
        name = module.get("name", "")
        if name.lower().removeprefix("lib") in {m.removeprefix("lib") for m in RUNTIME_PROVIDES}:
            errors.append(f"module-{name}-provided-by-runtime: org.gnome.Platform//{NEWEST_GNOME} ships it")
        for source in module.get("sources", []):
            errors += check_source(name, source, release)
            if release and name == "meldwijzer" and source.get("type") == "git":
                if version and source.get("tag") != f"v{version}":
                    errors.append(f"module-meldwijzer-tag-not-version: tag {source.get('tag')}, "
                                  f"the project version is {version} (v{version})")
                if metainfo_releases is not None and source.get("tag", "").removeprefix("v") not in metainfo_releases:
                    errors.append(f"module-meldwijzer-tag-not-released: the metainfo lists no release "
                                  f"{source.get('tag', '').removeprefix('v')}")
    app = [m for m in manifest.get("modules", []) if isinstance(m, dict) and m.get("name") == "meldwijzer"]
    if len(app) != 1:
        errors.append('modules: exactly one module must be named "meldwijzer"')
    else:
        if app[0].get("run-tests") is not True:
            errors.append('module-meldwijzer: "run-tests" must be true')
        if not any(o.startswith("-Dprofile=") for o in app[0].get("config-opts", [])):
            errors.append("module-meldwijzer: config-opts must set -Dprofile=")
        if app[0].get("buildsystem") != "meson":
            errors.append('module-meldwijzer: "buildsystem" must be "meson"')
    return errors


def is_release(path):
    return not os.path.basename(path).endswith(".Devel.json")


def lint(path, manifest, version=None, metainfo_releases=None):
    release = is_release(path)
    return (check_appid(path, manifest) + check_toplevel(manifest) + check_runtime(manifest, release)
            + check_finish_args(manifest) + check_modules(manifest, release, version, metainfo_releases))


def show_manifest(builder, path):
    """What flatpak-builder itself understood, or an error."""
    with tempfile.TemporaryDirectory() as tmp:
        # flatpak-builder creates .flatpak-builder/ in the working directory.
        proc = subprocess.run([builder, "--show-manifest", os.path.abspath(path)], cwd=tmp,
                              capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, HOME=tmp, LC_ALL="C"))
    if proc.returncode != 0:
        return None, [f"flatpak-builder --show-manifest exited with {proc.returncode}: {proc.stderr.strip()}"]
    if proc.stderr.strip():
        return None, [f"manifest-unknown-properties: flatpak-builder --show-manifest warned: {proc.stderr.strip()}"]
    try:
        return json.loads(proc.stdout), []
    except ValueError as e:
        return None, [f"flatpak-builder printed no JSON: {e}"]


def metainfo_release_versions(path):
    root = ET.parse(path).getroot()
    return {r.get("version") for r in root.iter("release")}


def self_test():
    """Every rule fires on a manifest that breaks it; the real manifests pass."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "io.github.meldwijzer.Meldwijzer.json")
    with open(path) as f:
        good = json.load(f)
    results = []

    def expect(name, change, code, manifest_path=path):
        manifest = copy.deepcopy(good)
        change(manifest)
        errors = lint(manifest_path, manifest, "0.1.0", {"0.1.0"})
        results.append((any(e.startswith(code) for e in errors), f"{name}: {code}", errors))

    def source(m):
        return m["modules"][-1]["sources"][0]

    clean = lint(path, good, "0.1.0", {"0.1.0"})
    results.append((not clean, "the release manifest passes", clean))
    expect("GNOME 43", lambda m: m.update({"runtime-version": "43"}), "runtime-is-eol-org.gnome.Platform-43")
    expect("GNOME 50 in a release", lambda m: m.update({"runtime-version": "50"}), "runtime-update-available")
    expect("freedesktop runtime", lambda m: m.update({"runtime": "org.freedesktop.Platform"}), "runtime-not-gnome")
    expect("dir source", lambda m: m["modules"][-1].update({"sources": [{"type": "dir", "path": ".."}]}),
           "module-meldwijzer-source-dir-in-release")
    expect("tag without commit", lambda m: source(m).pop("commit"), "module-meldwijzer-source-git-not-pinned")
    expect("short commit", lambda m: source(m).update({"commit": "afb4dec"}), "module-meldwijzer-source-git-not-pinned")
    expect("branch", lambda m: source(m).update({"branch": "main"}), "module-meldwijzer-source-git-branch")
    expect("plain http", lambda m: source(m).update({"url": "http://github.com/meldwijzer/meldwijzer.git"}),
           "module-meldwijzer-source-git-url-not-https")
    expect("other tag", lambda m: source(m).update({"tag": "v9.9.9"}), "module-meldwijzer-tag-not-version")
    expect("SQLite module", lambda m: m["modules"].insert(0, {"name": "sqlite", "sources": [
        {"type": "archive", "url": "https://sqlite.org/x.tar.gz", "sha256": "0" * 64}]}),
        "module-sqlite-provided-by-runtime")
    expect("md5 archive", lambda m: m["modules"].insert(0, {"name": "extra", "sources": [
        {"type": "archive", "url": "https://example.org/x.tar.gz", "md5": "0" * 32}]}), "module-extra-source-md5")
    expect("home", lambda m: m["finish-args"].append("--filesystem=home"), "finish-args-home-filesystem-access")
    expect("host:ro", lambda m: m["finish-args"].append("--filesystem=host:ro"), "finish-args-host-ro-filesystem")
    expect("xdg-documents", lambda m: m["finish-args"].append("--filesystem=xdg-documents"), "filesystem-not-needed")
    expect("x11 and wayland", lambda m: m["finish-args"].append("--socket=x11"),
           "finish-args-contains-both-x11-and-wayland")
    expect("no ipc", lambda m: m["finish-args"].remove("--share=ipc"), "finish-args-x11-without-ipc")
    expect("no wayland", lambda m: m["finish-args"].remove("--socket=wayland"),
           "finish-args-fallback-x11-without-wayland")
    expect("session bus", lambda m: m["finish-args"].append("--socket=session-bus"),
           "finish-args-arbitrary-dbus-access")
    expect("Secrets", lambda m: m["finish-args"].append("--talk-name=org.freedesktop.Secrets"),
           "finish-args-incorrect-secret-service-talk-name")
    expect("portal name", lambda m: m["finish-args"].append("--talk-name=org.freedesktop.portal.Secret"),
           "finish-args-portal-talk-name")
    expect("flatpak-spawn", lambda m: m["finish-args"].append("--talk-name=org.freedesktop.Flatpak"),
           "finish-args-flatpak-spawn-access")
    expect("device=all", lambda m: m["finish-args"].append("--device=all"), "finish-args-not-needed")
    expect("id", lambda m: m.update({"id": "io.github.meldwijzer.Other"}), "appid-filename-mismatch")
    expect("command path", lambda m: m.update({"command": "/app/bin/meldwijzer"}), "toplevel-command-is-path")
    expect("branch", lambda m: m.update({"branch": "master"}), "toplevel-unnecessary-branch")
    expect("no tests", lambda m: m["modules"][-1].update({"run-tests": False}), "module-meldwijzer")
    print(f"1..{len(results)}")
    for i, (passed, name, detail) in enumerate(results, 1):
        print(f"{'ok' if passed else 'not ok'} {i} - {name}")
        if not passed:
            print(f"# {detail}")
    return 0 if all(r[0] for r in results) else 1


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    builder = version = metainfo = None
    paths = []
    args = iter(argv[1:])
    for arg in args:
        if arg == "--flatpak-builder":
            builder = next(args)
        elif arg == "--version":
            version = next(args)
        elif arg == "--metainfo":
            metainfo = next(args)
        else:
            paths.append(arg)
    releases = metainfo_release_versions(metainfo) if metainfo else None
    failed = False
    print(f"1..{len(paths)}")
    for i, path in enumerate(paths, 1):
        with open(path) as f:
            manifest = json.load(f)
        errors = []
        if builder:
            understood, errors = show_manifest(builder, path)
            manifest = understood or manifest
        errors += lint(path, manifest, version, releases)
        kind = "release" if is_release(path) else "development"
        print(f"{'not ok' if errors else 'ok'} {i} - {os.path.basename(path)} ({kind}, "
              f"org.gnome.Platform//{manifest.get('runtime-version')}"
              f"{', parsed by flatpak-builder' if builder else ''})")
        for e in errors:
            print(f"# {e}")
        failed |= bool(errors)
    return 1 if failed else 0


sys.exit(main(sys.argv))

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Offline lint of the Flatpak manifests.

  lint-manifest.py FLATPAK_BUILDER MANIFEST...

1. `flatpak-builder --show-manifest` must exit 0 and print nothing on stderr:
   it only warns (exit 0) on unknown keys, so any stderr output is a failure.
2. Least privilege: no home or host file system (files go through the portal),
   no raw session/system bus, no device=all, no X11 without the Wayland socket,
   and the app module must run its tests with the profile set."""
import json
import os
import subprocess
import sys
import tempfile

FORBIDDEN_FS = ('home', 'host', 'host-os', 'host-etc', '~', '/')
FORBIDDEN = {
    '--socket=session-bus', '--socket=system-bus', '--socket=x11',
    '--device=all', '--talk-name=org.freedesktop.Flatpak',
    '--filesystem=xdg-run/keyring',
}
REQUIRED = {
    '--share=network', '--share=ipc', '--socket=wayland', '--socket=fallback-x11',
    '--device=dri',
}


def check_finish_args(path, manifest):
    errors = []
    args = manifest.get('finish-args', [])
    for arg in args:
        if arg.startswith('--filesystem='):
            target = arg.split('=', 1)[1].split(':', 1)[0].rstrip('/')
            if target in FORBIDDEN_FS or target == '' or target.startswith('~') \
                    or target.startswith('/home') or target.startswith('home/') \
                    or target.startswith('host'):
                errors.append(f'{path}: finish-args: "{arg}" grants the home or host file '
                              f'system; open files through the portal (GtkFileChooserNative)')
            else:
                errors.append(f'{path}: finish-args: "{arg}": the app needs no file system '
                              f'access outside the portal')
        if arg in FORBIDDEN:
            errors.append(f'{path}: finish-args: "{arg}" is more than the app needs')
    for arg in sorted(REQUIRED - set(args)):
        errors.append(f'{path}: finish-args: "{arg}" is missing')
    app = [m for m in manifest.get('modules', [])
           if isinstance(m, dict) and m.get('name') == 'meldwijzer']
    if len(app) != 1:
        errors.append(f'{path}: modules: exactly one module must be named "meldwijzer"')
    else:
        if app[0].get('run-tests') is not True:
            errors.append(f'{path}: modules[meldwijzer]: "run-tests" must be true')
        if not any(o.startswith('-Dprofile=') for o in app[0].get('config-opts', [])):
            errors.append(f'{path}: modules[meldwijzer]: config-opts must set -Dprofile=')
        if app[0].get('buildsystem') != 'meson':
            errors.append(f'{path}: modules[meldwijzer]: "buildsystem" must be "meson"')
    return errors


def main():
    builder, manifests = sys.argv[1], sys.argv[2:]
    errors = []
    for path in manifests:
        with tempfile.TemporaryDirectory() as tmp:
            # flatpak-builder creates .flatpak-builder/ in the working directory.
            proc = subprocess.run([builder, '--show-manifest', os.path.abspath(path)],
                                  cwd=tmp, capture_output=True, text=True,
                                  env=dict(os.environ, HOME=tmp, LC_ALL='C'))
        if proc.returncode != 0:
            errors.append(f'{path}: flatpak-builder --show-manifest exited with {proc.returncode}')
        if proc.stderr.strip():
            errors.append(f'{path}: flatpak-builder --show-manifest warned:\n{proc.stderr.strip()}')
        if proc.returncode != 0:
            continue
        try:
            # What flatpak-builder understood, not just what the file says.
            manifest = json.loads(proc.stdout)
        except ValueError as e:
            errors.append(f'{path}: flatpak-builder printed no JSON: {e}')
            continue
        app_id = os.path.basename(path)[:-len('.json')]
        if manifest.get('id', manifest.get('app-id')) != app_id:
            errors.append(f'{path}: "id" must be {app_id}, as the file name says')
        errors += check_finish_args(path, manifest)
        if not errors:
            print(f'ok: {path}: {" ".join(manifest.get("finish-args", []))}')
    for e in errors:
        print('FAIL: ' + e)
    return 1 if errors else 0


sys.exit(main())

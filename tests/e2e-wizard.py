#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end test of the wizard through AT-SPI.

Starts the real meldwijzer app with a fresh HOME in training mode and drives it with AT-SPI
actions (doAction, EditableText) from the first run to two signed receipts from the practice
intake, saving a screenshot of every page. Needs an X display, a session bus with AT-SPI and an
unlocked Secret Service (run it under .ci/run or the wrapper in TESTING.md).

usage: e2e-wizard.py APP INTAKE OUTDIR [WIDTH]
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import pyatspi

APP, INTAKE, OUTDIR = sys.argv[1], sys.argv[2], sys.argv[3]
TIMEOUT = 30
CURRENT_APP = [None]


def log(*args):
    print("#", *args, flush=True)


def fail(message):
    print("FAIL:", message, flush=True)
    if CURRENT_APP[0] is not None:
        try:
            for acc in pyatspi.findAllDescendants(CURRENT_APP[0], lambda a: a is not None and a.name):
                print("#   ", acc.getRoleName(), repr(acc.name),
                      [pyatspi.stateToString(s) for s in acc.getState().getStates()], flush=True)
        except Exception as error:
            print("# could not dump the tree:", error)
    screenshot("failure")
    raise SystemExit(1)


def screenshot(name):
    os.makedirs(OUTDIR, exist_ok=True)
    path = os.path.join(OUTDIR, f"{name}.png")
    subprocess.run(["import", "-window", "root", path], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log("screenshot", path)
    shots_dir = os.environ.get("MELDWIJZER_SCREENSHOTS_DIR")
    if shots_dir and name in METAINFO_SHOTS:
        window_screenshot(name, os.path.join(shots_dir, METAINFO_SHOTS[name] + ".png"))


# The metainfo's screenshots (data/screenshots/), cropped to the window, written when
# $MELDWIJZER_SCREENSHOTS_DIR names a folder: regenerate them with
#   MELDWIJZER_SCREENSHOTS_DIR=$PWD/data/screenshots meson test -C build wizard-e2e
METAINFO_SHOTS = {"05-nature": "nature-and-scope", "08-assessment": "assessment", "10-delivery": "delivery"}


def window_screenshot(name, target):
    app = CURRENT_APP[0]
    frame = find(app, "frame", "Meldwijzer") if app else None
    if frame is None:
        return
    extents = frame.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    subprocess.run(["import", "-window", "root", "-crop",
                    f"{extents.width}x{extents.height}+{max(extents.x, 0)}+{max(extents.y, 0)}",
                    "+repage", target], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log("window screenshot", target, f"{extents.width}x{extents.height}")


def wait_for(what, predicate, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = predicate()
        except Exception:  # the tree changes under us; try again
            result = None
        if result:
            return result
        time.sleep(0.2)
    fail(f"timed out waiting for {what}")


APP_PID = [None]


def find_app():
    """Our app on the accessibility bus (by process id, if another one runs too)."""
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is None or app.name != "meldwijzer":
            continue
        if APP_PID[0] is None or app.get_process_id() == APP_PID[0]:
            return app
    return None


def showing(acc):
    # GTK 4.8 sets no SHOWING state; the stack exposes only its visible page.
    return acc.getState().contains(pyatspi.STATE_VISIBLE)


def find(app, role, name, prefix=False, visible=True):
    def match(acc):
        if acc is None or acc.getRoleName() != role:
            return False
        if visible and not showing(acc):
            return False
        return acc.name.startswith(name) if prefix else acc.name == name
    return pyatspi.findDescendant(app, match)


def find_all(app, role, prefix):
    return pyatspi.findAllDescendants(
        app, lambda a: a is not None and a.getRoleName() == role and a.name.startswith(prefix) and showing(a))


def do_action(acc, name=None):
    action = acc.queryAction()
    names = [action.getName(i) for i in range(action.nActions)]
    index = names.index(name) if name else 0
    if not action.doAction(index):
        fail(f"action {names[index]} on {acc.name!r} failed")


def set_text(app, name, text):
    entry = wait_for(f"text field {name!r}", lambda: find(app, "text", name))
    if not entry.queryEditableText().setTextContents(text):
        fail(f"could not set the text of {name!r}")
    time.sleep(0.1)


def click(app, name, prefix=False):
    button = wait_for(f"button {name!r}", lambda: find(app, "push button", name, prefix))
    wait_for(f"button {name!r} enabled",
             lambda: button.getState().contains(pyatspi.STATE_SENSITIVE))
    do_action(button, "click")


def choose(app, name):
    check = wait_for(f"choice {name!r}", lambda: find(app, "check box", name, prefix=True)
                     or find(app, "radio button", name, prefix=True))
    if not check.getState().contains(pyatspi.STATE_CHECKED):
        do_action(check, "choice.toggle")
    wait_for(f"{name!r} chosen", lambda: check.getState().contains(pyatspi.STATE_CHECKED))


def page_title(app):
    title = pyatspi.findDescendant(app, lambda a: a is not None and a.name == "AdwWindowTitle")
    labels = pyatspi.findAllDescendants(
        title, lambda a: a is not None and a.getRoleName() == "label") if title else []
    return labels[0].name if labels else ""


def expect_page(app, title):
    wait_for(f"page {title!r}", lambda: page_title(app) == title)
    time.sleep(0.6)  # let the slide transition end before the screenshot
    log("page", title)


CONTROL_ROLES = {"push button", "check box", "radio button", "text", "toggle button", "combo box",
                 "switch", "menu button", "spin button", "slider"}


def check_names(app, page):
    """Every control on the current page has an accessible name."""
    root = pyatspi.findDescendant(app, lambda a: a is not None and a.name == page)
    if root is None:
        fail(f"no {page} in the accessibility tree")
    controls = pyatspi.findAllDescendants(
        root, lambda a: a is not None and a.getRoleName() in CONTROL_ROLES and a.getState().contains(pyatspi.STATE_VISIBLE))
    if not controls and page not in ("MwKeyPage", "MwAssessmentPage"):  # pages of text only
        fail(f"no controls found on {page}")
    log(page, len(controls), "controls, roles", sorted({a.getRoleName() for a in controls}))
    unnamed = [a for a in controls if not (a.name or "").strip()]
    if unnamed:
        fail(f"{len(unnamed)} controls without an accessible name on {page}: "
             + ", ".join(f"{a.getRoleName()} in {a.parent.getRoleName()} {a.parent.name!r}" for a in unnamed))


PAGE_TYPES = {"profile": "MwProfilePage", "key": "MwKeyPage", "mode": "MwModePage", "when": "MwWhenPage",
              "nature": "MwNaturePage", "service": "MwServicePage", "recovery": "MwRecoveryPage",
              "assessment": "MwAssessmentPage"}


def next_page(app, step, title):
    check_names(app, PAGE_TYPES[title])
    screenshot(f"{step:02d}-{title.lower().replace(' ', '-')}")
    click(app, "Next")


def wait_for_display():
    """xvfb-run starts the command after a fixed wait even when Xvfb is slow to start."""
    display = os.environ.get("DISPLAY", "")
    match = re.fullmatch(r":(\d+)(\.\d+)?", display)
    if not match:
        return
    path = f"/tmp/.X11-unix/X{match.group(1)}"

    def connect():
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(path)
        return True
    wait_for(f"the X server on {display}", connect)


def main():
    wait_for_display()
    home = tempfile.mkdtemp(prefix="mw-e2e-")
    env = dict(os.environ)
    env.update({
        "HOME": home,
        "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "XDG_CACHE_HOME": os.path.join(home, ".cache"),
        "MELDWIJZER_INTAKE": INTAKE,
        "GSETTINGS_BACKEND": "memory",
        "LANGUAGE": "en",
        "LC_ALL": "C.UTF-8",
        "NO_AT_BRIDGE": "0",
        # Any critical warning in the app fails the test.
        "G_DEBUG": "fatal-criticals",
    })
    env.pop("MELDWIJZER_DB", None)
    log("HOME", home)
    processes = []
    try:
        process = start_app(env)
        processes.append(process)
        run(process)
        process = never_lose_work(process, env, home)
        processes.append(process)
        print("ok - an unsent draft survives closing the app and reopens where it was", flush=True)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        if os.environ.get("MW_E2E_KEEP_HOME"):
            log("kept HOME", home)
        else:
            shutil.rmtree(home, ignore_errors=True)


def start_app(env):
    # Under load the X server can refuse the very first clients: start again if the app
    # could not open the display.
    for attempt in range(3):
        process = subprocess.Popen([APP], env=env)
        APP_PID[0] = process.pid
        deadline = time.monotonic() + 10
        while process.poll() is None and find_app() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        if process.poll() is None:
            return process
        log("the app exited with", process.returncode, "- starting it again")
        time.sleep(1)
    fail("the app does not start")


def intake_running(home):
    result = subprocess.run(["pgrep", "-f", os.path.join(home, ".local", "share", "meldwijzer", "training-intake.db")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return result.returncode == 0


def never_lose_work(process, env, home):
    app = CURRENT_APP[0]
    if not intake_running(home):
        fail("the practice intake is not running while the app runs")

    # A new incident, typed but not sent.
    click(app, "New incident")
    expect_page(app, "When")
    click(app, "Now: Start time", prefix=True)
    click(app, "Now: Awareness time", prefix=True)
    click(app, "Next")
    expect_page(app, "Nature and scope")
    set_text(app, "Summary in one line", "Second incident, still a draft")
    time.sleep(1)  # the autosave runs a moment after the last change

    # Closing asks, because the report has not been sent.
    frame = find(app, "frame", "Meldwijzer")
    do_action(frame, "window.close")
    # (AdwMessageDialog's response buttons are named after their raw mnemonic label too.)
    keep = wait_for("the close dialog", lambda: pyatspi.findDescendant(
        app, lambda a: a is not None and a.getRoleName() == "push button" and
        a.name.replace("_", "").startswith("Close and Keep Draft")))
    screenshot("11-close-dialog")
    do_action(keep, "click")
    try:
        code = process.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        fail("the app did not quit after Close and Keep Draft")
    if code != 0:
        fail(f"the app exited with {code}")
    wait_for("the practice intake to stop", lambda: not intake_running(home), timeout=10)

    # Started again, the draft is back, on the page where it was.
    process = start_app(env)
    app = wait_for("the app on the accessibility bus", find_app)
    CURRENT_APP[0] = app
    expect_page(app, "Nature and scope")
    wait_for("the restored notice", lambda: pyatspi.findDescendant(
        app, lambda a: a is not None and a.name == "Your draft report was restored."))
    summary = wait_for("the summary field", lambda: find(app, "text", "Summary in one line"))
    text = summary.queryText()
    content = text.getText(0, text.characterCount)
    log("restored summary", repr(content))
    if content != "Second incident, still a draft":
        fail(f"the restored summary is {content!r}")
    screenshot("12-restored")

    # The profile stays editable from the main menu, with what was saved on the first run.
    do_action(find(app, "frame", "Meldwijzer"), "win.edit-profile")
    expect_page(app, "Your organisation")
    name = wait_for("the organisation name", lambda: find(app, "text", "Organisation name"))
    text = name.queryText()
    if text.getText(0, text.characterCount) != "Wolkendienst B.V.":
        fail("the saved profile was not shown")
    screenshot("13-edit-profile")
    return process


def run(process):
    app = wait_for("the app on the accessibility bus", find_app)
    CURRENT_APP[0] = app

    # First run: the organisation profile.
    expect_page(app, "Your organisation")
    set_text(app, "Organisation name", "Wolkendienst B.V.")
    set_text(app, "Registration (KvK number)", "12345678")
    choose(app, "Cloud computing service provider")
    set_text(app, "New service, e.g. “Cloud storage EU-West”", "Object storage EU-West")
    click(app, "Add service", prefix=True)
    wait_for("the service in the list", lambda: find(app, "push button", "Remove service Object storage EU-West", prefix=True))
    set_text(app, "Contact name", "A. de Vries")
    set_text(app, "Contact email", "soc@wolkendienst.example")
    set_text(app, "Contact phone (24/7)", "+31 70 000 0000")
    next_page(app, 1, "profile")

    # The signing key: generated in the keyring, its thumbprint shown in groups.
    expect_page(app, "Signing key")
    fingerprint = wait_for("the key fingerprint", lambda: pyatspi.findDescendant(
        app, lambda a: a is not None and a.getRoleName() == "label" and
        re.fullmatch(r"[A-Za-z0-9_-]{1,4}( [A-Za-z0-9_-]{1,4}){9,}", a.name or "")))
    log("fingerprint", fingerprint.name)
    next_page(app, 2, "key")

    expect_page(app, "Training or live")
    choose(app, "Training (recommended)")
    next_page(app, 3, "mode")

    # Filing: when.
    expect_page(app, "When")
    click(app, "Now: Start time", prefix=True)
    click(app, "Now: Detection time", prefix=True)
    click(app, "Now: Awareness time", prefix=True)
    next_page(app, 4, "when")

    expect_page(app, "Nature and scope")
    set_text(app, "Summary in one line", "Object storage unreachable after a DDoS attack")
    set_text(app, "Minutes completely unavailable", "45")
    next_page(app, 5, "nature")

    expect_page(app, "Affected service")
    choose(app, "Object storage EU-West")
    next_page(app, 6, "service")

    expect_page(app, "Recovery")
    next_page(app, 7, "recovery")

    expect_page(app, "Assessment")
    wait_for("the verdict", lambda: pyatspi.findDescendant(
        app, lambda a: a is not None and a.name == "You must report this incident"))
    next_page(app, 8, "assessment")

    expect_page(app, "Review and send")
    screenshot("09-review")
    check_names(app, "MwReviewPage")
    click(app, "Sign and send to NCSC and RDI")

    expect_page(app, "Delivery")
    wait_for("two receipts", lambda: len(find_all(app, "label", "Received ")) >= 2, timeout=60)
    wait_for("the delivered headline", lambda: pyatspi.findDescendant(
        app, lambda a: a is not None and a.name == "Delivered: every recipient sent a receipt"))
    screenshot("10-delivery")
    check_names(app, "MwDeliveryPage")
    receipts = [label.name for label in find_all(app, "label", "Received ")]
    log("receipts", receipts)
    if len(receipts) != 2 or not all("receipt " in r for r in receipts):
        fail(f"expected two receipts, got {receipts}")
    if process.poll() is not None:
        fail("the app exited")
    print("ok - filed a training report from first run to two receipts", flush=True)


if __name__ == "__main__":
    main()

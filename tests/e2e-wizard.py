#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end test of the wizard through AT-SPI.

Starts the real meldwijzer app with a fresh HOME in training mode and files a report from the
first run to two signed receipts from the practice intake, then checks that an unsent draft
survives closing the app, saving a screenshot of every page. Needs an X display, a session bus
with AT-SPI and an unlocked Secret Service (run it under .ci/run or the wrapper in TESTING.md).

usage: e2e-wizard.py APP INTAKE OUTDIR [--lang nl --localedir DIR | --mo FILE] [--size WIDTHxHEIGHT]
                    [--keyboard]

Without --keyboard every field is filled and every button pressed through AT-SPI actions
(EditableText, doAction), as an assistive technology does. With --keyboard the whole flow is
done with key presses alone, as a person without a mouse does: each field is reached by the
mnemonic of its label (so every mnemonic used is checked to land in its own field) and typed
into; choices in lists are made with the arrow keys and Space, switches with their mnemonic;
time rows' Now buttons are reached with Tab; Next and Sign are reached with Tab and pressed with
Return; Alt+Left/Alt+Right go back and forth; Ctrl+Q and Return on the dialog close the app;
F10 opens the main menu. GTK 4.8 reports focus on buttons only, so AT-SPI is used to read what
the keys did (the text of a field, a check's state), never to act. It also checks that the
focus starts inside each new page.

--lang nl runs the app in Dutch (nl_NL.UTF-8, translations from --localedir, a directory with
nl/LC_MESSAGES/meldwijzer.mo) and finds every control and mnemonic by its Dutch label, taken
from po/nl.po and the regime files; on every page it fails when a visible text is an English
source string that has a Dutch translation. --size starts the window at that size (through the
app's $MELDWIJZER_WINDOW_SIZE), fails when a page makes it wider, and crops the screenshots to
the window. On every page the training bar must be visible.
"""

import argparse
import base64
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time

import pyatspi
from gi.repository import GLib

from ui_texts import no_mnemonic, parse_po, regime_labels


def _retrying(find):
    """A page may rebuild rows (deadlines, criteria) while the tree is walked; an object
    that vanished mid-walk is not a failure of the app: walk again."""
    def wrapper(*args, **kwargs):
        for attempt in range(8):
            try:
                return find(*args, **kwargs)
            except GLib.GError as error:
                if "no longer exists" not in str(error) or attempt == 7:
                    raise
                time.sleep(0.25)
    return wrapper


pyatspi.findDescendant = _retrying(pyatspi.findDescendant)
pyatspi.findAllDescendants = _retrying(pyatspi.findAllDescendants)

PARSER = argparse.ArgumentParser()
PARSER.add_argument("app")
PARSER.add_argument("intake")
PARSER.add_argument("outdir")
PARSER.add_argument("--lang", default="en", choices=["en", "nl"])
PARSER.add_argument("--localedir")
PARSER.add_argument("--mo", help="the compiled nl.po, copied into a locale directory of the test's own")
PARSER.add_argument("--size", help="WIDTHxHEIGHT of the window")
PARSER.add_argument("--keyboard", action="store_true")
PARSER.add_argument("--live", action="store_true", help="also file a live report at the NCSC's desk")
PARSER.add_argument("--live-only", action="store_true", help="only file the live report (to debug that path)")
ARGS = PARSER.parse_args()
APP, INTAKE, OUTDIR = ARGS.app, ARGS.intake, ARGS.outdir
TIMEOUT = 30
CURRENT_APP = [None]
SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# Translations ---------------------------------------------------------------------------

DUTCH = {}     # English as shown (mnemonics removed) -> Dutch as shown
LEAKS = set()  # English texts that must not appear in the Dutch interface
RAW = {}       # English as shown -> the label with its mnemonic, in the language of this run
_po = parse_po(os.path.join(SOURCE_ROOT, "po", "nl.po"))
for _english, _dutch in _po.items():
    if "_" in _english or "_" in _dutch:
        RAW.setdefault(no_mnemonic(_english), _dutch if ARGS.lang == "nl" else _english)
if ARGS.lang == "nl":
    _regimes = regime_labels()
    for english, dutch in list(_po.items()) + list(_regimes.items()):
        DUTCH.setdefault(no_mnemonic(english), no_mnemonic(dutch))
    _dutch_texts = set(DUTCH.values())
    LEAKS = {english for english, dutch in DUTCH.items()
             if english != dutch and english not in _dutch_texts and "%" not in english and len(english) > 1}


def T(english):
    """The text the interface shows for an English source string, in the language of this run."""
    if ARGS.lang == "en":
        return no_mnemonic(english)
    english = no_mnemonic(english)
    if english not in DUTCH:
        fail(f"no Dutch translation of {english!r} in po/nl.po or the regime files")
    return DUTCH[english]


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


SHOT_PREFIX = [""]  # "live-" while filing live: the training run's pages stay as they were


def screenshot(name):
    os.makedirs(OUTDIR, exist_ok=True)
    prefix = SHOT_PREFIX[0] if name != "failure" else ""
    path = os.path.join(OUTDIR, f"{prefix}{name}.png")
    if ARGS.size and CURRENT_APP[0] is not None and name != "failure":
        # Without a window manager the window sits at 0,0 with the size asked for (and
        # check_width fails if a page made it wider). AT-SPI's positions are window-relative
        # on X11 with GTK 4 ("Screen coordinates not supported"), so they cannot place a crop.
        subprocess.run(["import", "-window", "root", "-crop", f"{ARGS.size}+0+0", "+repage", path],
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        subprocess.run(["import", "-window", "root", path], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log("screenshot", path)
    shots_dir = os.environ.get("MELDWIJZER_SCREENSHOTS_DIR")
    if shots_dir and name in METAINFO_SHOTS and not prefix:
        window_screenshot(name, os.path.join(shots_dir, METAINFO_SHOTS[name] + ".png"))


# The metainfo's screenshots (data/screenshots/), cropped to the window, written when
# $MELDWIJZER_SCREENSHOTS_DIR names a folder: regenerate them with
#   MELDWIJZER_SCREENSHOTS_DIR=$PWD/data/screenshots meson test -C build wizard-e2e-en-1280
METAINFO_SHOTS = {"05-nature": "nature-and-scope", "08-assessment": "assessment", "10-delivery": "delivery"}


def window_screenshot(name, target):
    app = CURRENT_APP[0]
    frame = find(app, "frame", T("Meldwijzer")) if app else None
    if frame is None:
        return
    extents = frame.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
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


PAGE_BY_TITLE = {}


def expect_page(app, title):
    page_type = {"Your organisation": "MwProfilePage", "Signing key": "MwKeyPage",
                 "Training or live": "MwModePage", "Warn now": "MwEarlyWarningPage", "When": "MwWhenPage", "Nature and scope": "MwNaturePage",
                 "Affected service": "MwServicePage", "Recovery": "MwRecoveryPage",
                 "Assessment": "MwAssessmentPage", "Review and send": "MwReviewPage",
                 "Delivery": "MwDeliveryPage"}[title]
    title = T(title)
    PAGE_BY_TITLE[title] = page_type
    wait_for(f"page {title!r}", lambda: page_title(app) == title)
    time.sleep(0.6)  # let the slide transition end before the screenshot
    log("page", title)
    if LIVE[0]:
        check_no_training_bar(app)
    else:
        check_training_bar(app)
    check_language(app, title)
    check_width(app, title)
    if ARGS.keyboard:
        check_initial_focus(app, title)


@_retrying
def visible_texts(root):
    """The names of everything visible under root (labels, buttons, headings, rows…)."""
    texts = []
    for acc in pyatspi.findAllDescendants(root, lambda a: a is not None and a.name and showing(a)):
        if acc.getRoleName() == "text":  # what the user typed, not the interface
            continue
        texts.append((acc.getRoleName(), acc.name))
    return texts


# Identifiers of the data formats that must never be shown as text (the verdicts).
IDENTIFIERS = {"mandatory", "undetermined", "voluntary"}


def check_language(app, where):
    """In the Dutch run, no visible text is an English source string that has a translation."""
    if ARGS.lang == "en":
        return
    leaks = []
    texts = visible_texts(app)
    for role, name in texts:
        candidates = {name, no_mnemonic(name)}
        for line in name.splitlines():
            line = line.strip().lstrip("•").strip()
            candidates.update({line, no_mnemonic(line)})
        for candidate in sorted(candidates & LEAKS):
            leaks.append(f"{role} {candidate!r}")
        if re.fullmatch(r"[a-z]+(-[a-z]+)+", name) or name in IDENTIFIERS:  # not words for people
            leaks.append(f"{role} {name!r} (an identifier)")
    log(f"{where}: {len(texts)} visible texts checked for English")
    if leaks:
        fail(f"English text in the Dutch interface on {where!r}: " + "; ".join(sorted(set(leaks))))


def check_width(app, title):
    """At a narrow size, no page may make the window wider than asked (it would not fit a phone)."""
    if not ARGS.size:
        return
    wanted = int(ARGS.size.split("x")[0])
    frame = find(app, "frame", T("Meldwijzer"))
    width = frame.queryComponent().getExtents(pyatspi.WINDOW_COORDS).width
    if width > wanted:
        fail(f"the page {title!r} makes the window {width} px wide instead of {wanted} px")


def check_training_bar(app):
    """Training mode is shown on every page: the bar is there, visible, and has a size."""
    bar = wait_for("the training bar", lambda: find(app, "label", T(
        "Training mode: reports go to a local practice intake, never to a real authority.")))
    extents = bar.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    frame = find(app, "frame", T("Meldwijzer"))
    window = frame.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    if extents.width <= 0 or extents.height <= 0 or extents.x + extents.width > window.x + window.width + 1:
        fail(f"the training bar is not fully inside the window: {extents.x},{extents.y} "
             f"{extents.width}x{extents.height} in {window.width}x{window.height}")


# Keyboard -------------------------------------------------------------------------------

KEY_TAB, KEY_RETURN, KEY_LEFT, KEY_RIGHT = 0xff09, 0xff0d, 0xff51, 0xff53
KEY_SHIFT_TAB, KEY_SPACE, KEY_ESCAPE, KEY_UP, KEY_DOWN, KEY_F10 = 0xfe20, 0x20, 0xff1b, 0xff52, 0xff54, 0xffc7
CTRL_MASK, ALT_MASK = 1 << 2, 1 << 3  # Control, Mod1


def press(keysym):
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
    time.sleep(0.08)


def press_with(mask, keysym):
    pyatspi.Registry.generateKeyboardEvent(mask, None, pyatspi.KEY_LOCKMODIFIERS)
    try:
        press(keysym)
    finally:
        pyatspi.Registry.generateKeyboardEvent(mask, None, pyatspi.KEY_UNLOCKMODIFIERS)
    time.sleep(0.1)


def press_alt(keysym):
    press_with(ALT_MASK, keysym)


def type_text(text):
    pyatspi.Registry.generateKeyboardEvent(0, text, pyatspi.KEY_STRING)
    time.sleep(0.2)


def text_of(acc):
    text = acc.queryText()
    return text.getText(0, text.characterCount)


def is_on(acc):
    states = acc.getState()
    return states.contains(pyatspi.STATE_CHECKED) or states.contains(pyatspi.STATE_PRESSED)


def mnemonic(english):
    """The mnemonic letter of a label in the language of this run, from po/nl.po."""
    raw = RAW.get(no_mnemonic(english))
    match = re.search(r"_([^_])", (raw or "").replace("__", ""))
    if match is None:
        fail(f"{T(english)!r} has no mnemonic: the keyboard cannot reach it directly")
    return match.group(1).lower()


def press_mnemonic(english):
    """Alt and the underlined letter of a label, as a person would press it."""
    pointer_into_window(CURRENT_APP[0])
    letter = mnemonic(english)
    press_alt(ord(letter))
    time.sleep(0.3)
    return letter


def kb_fill(label, text, field=None):
    """The label's mnemonic puts the focus in its field; Ctrl+A and typing replace the text.
    Fails unless exactly this field then holds the text."""
    app = CURRENT_APP[0]
    name = field or T(label)
    letter = press_mnemonic(label)
    press_with(CTRL_MASK, ord("a"))
    type_text(text)
    wait_for(f"{text!r} typed after Alt+{letter} in {name!r}",
             lambda: text_of(find(app, "text", name)) == text, timeout=10)
    log(f"Alt+{letter} and typing fill {name!r}")
    KEYBOARD_LOG.append(f"Alt+{letter} {name}")


def row_of(acc):
    """The list row (AdwActionRow) holding acc, and its position in its list."""
    while acc is not None and acc.parent is not None:
        if acc.parent.getRoleName() == "list" and acc.getRoleName() == "list item":
            return acc, acc.getIndexInParent()
        acc = acc.parent
    fail("the control is not in a list")


def kb_to_row(acc, start):
    """With the focus in the first ("first") or last ("last") row of the list holding acc, the
    arrow keys go to acc's row. Returns how many presses it took."""
    row, index = row_of(acc)
    rows = [row.parent.getChildAtIndex(i) for i in range(row.parent.childCount)]
    shown = [i for i, r in enumerate(rows) if r is not None and showing(r)]
    if start == "first":
        steps = len([i for i in shown if i < index])
        key = KEY_DOWN
    else:
        steps = len([i for i in shown if i > index])
        key = KEY_UP
    for _ in range(steps):
        press(key)
    return steps, "Down" if key == KEY_DOWN else "Up"


def kb_choose_in_list(name, start):
    """With the focus at the start or end of a list, the arrows go to the choice and Space
    chooses it. Fails unless that choice is then chosen."""
    app = CURRENT_APP[0]
    check = wait_for(f"choice {name!r}", lambda: find(app, "check box", name, prefix=True)
                     or find(app, "radio button", name, prefix=True))
    steps, key = kb_to_row(check, start)
    press(KEY_SPACE)
    wait_for(f"{name!r} chosen with {key} x{steps} and Space", lambda: is_on(check), timeout=10)
    log(f"{key} x{steps} and Space choose {name!r}")
    KEYBOARD_LOG.append(f"{key} x{steps} to {name}")


def kb_toggle(label, control_role=("switch", "toggle button", "check box", "radio button")):
    """The mnemonic of a row with a switch or check flips it (or focuses it; then Space does)."""
    app = CURRENT_APP[0]
    row = wait_for(f"row {T(label)!r}", lambda: pyatspi.findDescendant(
        app, lambda a: a is not None and a.getRoleName() == "list item" and showing(a) and
        a.name.startswith(T(label))))
    control = pyatspi.findDescendant(row, lambda a: a is not None and a.getRoleName() in control_role)
    if control is None:
        fail(f"no switch or check in the row {T(label)!r}")
    before = is_on(control)
    letter = press_mnemonic(label)
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline and is_on(control) == before:
        time.sleep(0.1)
    how = f"Alt+{letter}"
    if is_on(control) == before:
        press(KEY_SPACE)
        how += " and Space"
    wait_for(f"{T(label)!r} switched with {how}", lambda: is_on(control) != before, timeout=5)
    log(f"{how} switches {T(label)!r} {'on' if is_on(control) else 'off'}")
    KEYBOARD_LOG.append(f"{how} {T(label)}")
    return is_on(control)


def dutch_time(seconds):
    """The time of a moment in Dutch time, as the app reads and shows it."""
    import datetime
    import zoneinfo
    return datetime.datetime.fromtimestamp(seconds, zoneinfo.ZoneInfo("Europe/Amsterdam"))


def kb_now(label, name):
    """A time row's mnemonic focuses its field, Tab its Now button, Space presses it."""
    app = CURRENT_APP[0]
    press_mnemonic(label)
    now_button = find(app, "push button", T("Now: %s") % T(name), prefix=True)
    press(KEY_TAB)
    wait_for(f"Tab from {T(label)!r} to its Now button",
             lambda: now_button.getState().contains(pyatspi.STATE_FOCUSED), timeout=5)
    press(KEY_SPACE)
    wait_for(f"{T(label)!r} set by Now", lambda: re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d", text_of(find(app, "text", T(label)))), timeout=5)
    log(f"Alt+{mnemonic(label)}, Tab and Space on Now fill {T(label)!r}")
    KEYBOARD_LOG.append(f"Tab and Space on Now of {T(label)}")


def tab_to(button):
    """Tab until button has the focus (GTK 4.8 reports focus on buttons, not on fields)."""
    pointer_into_window(CURRENT_APP[0])
    for tabs in range(1, 121):
        press(KEY_TAB)
        if button.getState().contains(pyatspi.STATE_FOCUSED):
            return tabs
    fail(f"120 presses of Tab did not reach {button.name!r}")


def kb_into_last_list():
    """Into the last list of the page from the bottom: Tab to Next, Shift+Tab past Back."""
    app = CURRENT_APP[0]
    tab_to(find(app, "push button", T("Next")))
    back = find(app, "push button", T("Back"))
    press(KEY_SHIFT_TAB)
    wait_for("Shift+Tab from Next to Back", lambda: back.getState().contains(pyatspi.STATE_FOCUSED), timeout=5)
    press(KEY_SHIFT_TAB)


KEYBOARD_LOG = []


def focused(app):
    return pyatspi.findDescendant(app, lambda a: a is not None and a.getState().contains(pyatspi.STATE_FOCUSED))


def inside(acc, ancestor_name):
    while acc is not None:
        if acc.name == ancestor_name:
            return True
        acc = acc.parent
    return False


def pointer_into_window(app):
    """Without a window manager, X sends the keys to the window under the pointer."""
    frame = find(app, "frame", T("Meldwijzer"))
    extents = frame.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    pyatspi.Registry.generateMouseEvent(extents.x + extents.width // 2, extents.y + 12, "abs")
    time.sleep(0.1)


FOCUS_LOG = []


def check_initial_focus(app, title):
    """The focus starts on a control of the new page (or its Next button on a page of text)."""
    pointer_into_window(app)
    deadline = time.monotonic() + 3
    acc = None
    while acc is None and time.monotonic() < deadline:
        acc = focused(app)
        time.sleep(0.2)
    if acc is None:  # GTK 4.8 reports no focus state on a GtkText
        FOCUS_LOG.append(f"{title}: (no object reports the focus)")
        log("no object reports the focus on", repr(title))
        return
    page_name = PAGE_BY_TITLE.get(title)
    ok = inside(acc, page_name) or (acc.getRoleName() == "push button" and acc.name == T("Next"))
    FOCUS_LOG.append(f"{title}: {acc.getRoleName()} {acc.name!r}")
    log("focus starts on", acc.getRoleName(), repr(acc.name), "in", page_name)
    if not ok:
        fail(f"the focus on page {title!r} starts on {acc.getRoleName()} {acc.name!r}, outside the page")


def keyboard_next(app, name, prefix=False):
    """Tab until the Next button has the focus, then press Return."""
    button = wait_for(f"button {name!r}", lambda: find(app, "push button", name, prefix))
    wait_for(f"button {name!r} enabled", lambda: button.getState().contains(pyatspi.STATE_SENSITIVE))
    tabs = tab_to(button)
    log(f"Tab x{tabs} reaches {button.name!r}; pressing Return")
    press(KEY_RETURN)


def keyboard_back_and_forth(app, title, previous):
    """Alt+Left goes back a page, Alt+Right forward again."""
    pointer_into_window(app)
    press_alt(KEY_LEFT)
    wait_for(f"Alt+Left to {previous!r}", lambda: page_title(app) == T(previous), timeout=10)
    time.sleep(0.6)
    press_alt(KEY_RIGHT)
    wait_for(f"Alt+Right back to {title!r}", lambda: page_title(app) == T(title), timeout=10)
    time.sleep(0.6)
    log(f"Alt+Left to {T(previous)!r} and Alt+Right back to {T(title)!r}")


CONTROL_ROLES = {"push button", "check box", "radio button", "text", "toggle button", "combo box",
                 "switch", "menu button", "spin button", "slider"}


@_retrying
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
    # (A name like "GtkToggleButton" is GTK's fallback, not a name.)
    unnamed = [a for a in controls if not (a.name or "").strip() or re.fullmatch(r"(Gtk|Adw|Mw)[A-Z]\w*", a.name)]
    if unnamed:
        fail(f"{len(unnamed)} controls without an accessible name on {page}: "
             + ", ".join(f"{a.getRoleName()} {a.name!r} in {a.parent.getRoleName()} {a.parent.name!r}" for a in unnamed))


PAGE_TYPES = {"profile": "MwProfilePage", "key": "MwKeyPage", "mode": "MwModePage",
              "early-warning": "MwEarlyWarningPage", "when": "MwWhenPage",
              "nature": "MwNaturePage", "service": "MwServicePage", "recovery": "MwRecoveryPage",
              "assessment": "MwAssessmentPage", "review": "MwReviewPage", "delivery": "MwDeliveryPage"}


def next_page(app, step, title):
    check_names(app, PAGE_TYPES[title])
    screenshot(f"{step:02d}-{title.lower().replace(' ', '-')}")
    if ARGS.keyboard:
        keyboard_next(app, T("Next"))
    else:
        click(app, T("Next"))


# Filing live at a desk (issue 14) -------------------------------------------------------

LIVE = [False]

# The NCSC form's questions in its order (data/regimes/nl-cbw.json, channel ncsc-form, and
# src/lib/model/mw-desk-form.c): those this report answers must come in this order, and
# those the test filled in must be there.
NCSC_FORM_ORDER = ["Company name", "Chamber of Commerce number", "Sector", "Kind of entity",
                   "Name of the notifier", "Job title", "Email address", "Telephone number", "Technical contact",
                   "Technical contact’s email address", "Technical contact’s telephone number", "Kind of report",
                   "Stage", "Status of the incident", "Measures taken", "Started at", "Detected at", "Aware since",
                   "Resolved at", "Expected recovery", "Summary", "Description", "Category", "Cause",
                   "Suspected unlawful or malicious", "Service affected", "Network or system", "Facts",
                   "Possible cross-border effects", "Indicators of compromise"]
NCSC_FORM_FILLED = ["Company name", "Chamber of Commerce number", "Kind of entity", "Name of the notifier",
                    "Email address", "Telephone number", "Started at", "Detected at", "Aware since", "Summary",
                    "Service affected"]
NCSC_FORM_SECTIONS = ["Organisation", "Sector and kind of entity", "Who notifies the incident",
                      "Voluntary or significant", "Status of the incident", "Times", "Description", "Impact"]


def check_no_training_bar(app):
    """A live report never looks like practice: no training bar on any page."""
    if find(app, "label", T("Training mode: reports go to a local practice intake, never to a real authority.")):
        fail("the training bar is shown while filing live")


def choose_live(app):
    """Live on a machine with no endpoint: allowed, and the row names the desks."""
    choose(app, T("Live"))
    # From here on a live report: the training bar goes and never comes back.
    LIVE[0] = True
    wait_for("the training bar to go", lambda: not find(app, "label", T(
        "Training mode: reports go to a local practice intake, never to a real authority.")), timeout=10)
    desk = T("Files with the real authorities. Filed at their desks, with every answer ready to copy: %s.").split("%s")[0]
    label = wait_for("the live row naming the desks", lambda: find(app, "label", desk, prefix=True))
    log("Live chosen with no endpoint configured:", repr(label.name))


def in_list_item(acc):
    parent = acc.parent
    while parent is not None:
        if parent.getRoleName() == "list item":
            return True
        parent = parent.parent
    return False


def row_texts(acc):
    """The texts of the list row holding acc (its title, subtitle and labels)."""
    row = acc
    while row is not None and row.getRoleName() != "list item":
        row = row.parent
    if row is None:
        return []
    return [row.name] + [a.name for a in pyatspi.findAllDescendants(
        row, lambda a: a is not None and a.getRoleName() == "label" and a.name)]


def check_desk_answers(app):
    """The desk step shows the answers in the NCSC form's order, each with a copy button and
    the answer the report holds."""
    wait_for("the NCSC's desk step", lambda: find(app, "push button", T("_Open the %s Form") % "NCSC"))
    # "Copy %s", in Dutch "%s kopiëren"
    copy_prefix, copy_suffix = T("Copy %s").split("%s")
    buttons = wait_for("the copy buttons", lambda: [
        b for b in find_all(app, "push button", copy_prefix) if b.name.endswith(copy_suffix)
        and len(b.name) > len(copy_prefix) + len(copy_suffix)])
    shown = [b.name[len(copy_prefix):len(b.name) - len(copy_suffix)] for b in buttons]
    missing = [T(label) for label in NCSC_FORM_FILLED if T(label) not in shown]
    if missing:
        fail(f"the desk step has no answer for {missing}; it shows {shown}")
    order = [T(label) for label in NCSC_FORM_ORDER]
    known = [label for label in shown if label in order]
    if [order.index(label) for label in known] != sorted(order.index(label) for label in known):
        fail(f"the desk step's answers are not in the NCSC form's order: {shown}")
    # The groups' titles, not the rows' (a row "Description" sits in the group "Description").
    page = pyatspi.findDescendant(app, lambda a: a is not None and a.name == "MwDeliveryPage")
    titles = [a.name for a in pyatspi.findAllDescendants(
        page, lambda a: a is not None and a.getRoleName() == "label" and showing(a)
        and a.name in {T(t) for t in NCSC_FORM_SECTIONS} and not in_list_item(a))]
    order = [t for t in (T(t) for t in NCSC_FORM_SECTIONS) if t in titles]
    if [t for t in titles if t in order] and sorted(set(titles), key=titles.index) != order:
        fail(f"the desk step's sections are not in the NCSC form's order: {titles}")
    for label, value in (("Company name", "Wolkendienst B.V."), ("Chamber of Commerce number", "12345678"),
                         ("Email address", "soc@wolkendienst.example"),
                         ("Summary", "Object storage unreachable after a DDoS attack")):
        button = buttons[shown.index(T(label))]
        if value not in row_texts(button):
            fail(f"the desk step's {T(label)!r} does not show {value!r}: {row_texts(button)}")
    log(f"the desk step shows {len(shown)} answers in the NCSC form's order, each with a copy button")
    print("ok - the desk step shows every answer ready to copy in the NCSC form's order", flush=True)


def has_https_handler():
    result = subprocess.run(["gio", "mime", "x-scheme-handler/https"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    return result.returncode == 0 and "No default" not in result.stdout and result.stdout.strip() != ""


def check_open_form(app):
    """"Open the NCSC Form" with no browser here: no hang, no GLib warning, and a toast with
    the address, which is on the clipboard."""
    click(app, T("_Open the %s Form") % "NCSC")
    if has_https_handler():
        log("a browser is registered here: the form was opened in it, no toast to check")
        return
    toast = T("No browser could be opened. The address is copied: paste it into a browser. %s").split("%s")[0]
    label = wait_for("the toast saying no browser could be opened", lambda: find(app, "label", toast, prefix=True))
    if "https://www.ncsc.nl/" not in label.name:
        fail(f"the toast does not give the form's address: {label.name!r}")
    log("no browser: the toast says", repr(label.name))
    screenshot("21-no-browser")
    print("ok - Open the NCSC Form without a browser shows the address to paste", flush=True)


def save_through_chooser(app, button, path):
    """Presses button, types path into the file chooser that opens, and saves."""
    do_action(button, "click")
    field = wait_for("the file chooser's name field", lambda: pyatspi.findDescendant(
        app, lambda a: a is not None and a.getRoleName() == "text" and showing(a)
        and text_of(a).startswith("meldwijzer-")))
    if not field.queryEditableText().setTextContents(path):
        fail("could not type into the file chooser")
    time.sleep(0.3)
    do_action(wait_for("the file chooser's Save button", lambda: pyatspi.findDescendant(
        app, lambda a: a is not None and a.getRoleName() == "push button" and showing(a)
        and no_mnemonic(a.name).startswith(T("_Save")) and a.name != button.name)), "click")
    wait_for(f"{path} saved", lambda: os.path.exists(path) and os.path.getsize(path) > 0)


def check_live_incident(app, reference):
    """The incident's detail (the window's incident list) shows the desk's reference and the
    forwarded regulator; its PDF record says how each recipient was reached."""
    do_action(find(app, "frame", T("Meldwijzer")), "win.show-incidents")
    summary = "Object storage unreachable after a DDoS attack"
    # In the incidents' list (the wizard's review, hidden behind it, names the summary too).
    incidents = wait_for("the list of incidents", lambda: find(app, "list", T("Incidents")))
    entry = wait_for("the incident in the list", lambda: pyatspi.findDescendant(
        incidents, lambda a: a is not None and a.getRoleName() == "label" and showing(a) and a.name == summary))
    extents = entry.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    log("clicking the incident at", extents.x, extents.y, extents.width, extents.height)
    # GtkListView rows offer no action in GTK 4.8: a click, as a person does (no window
    # manager: the window is at 0,0).
    pyatspi.Registry.generateMouseEvent(extents.x + extents.width // 2, extents.y + extents.height // 2, "b1c")
    filed = T("%s, %s, reference %s")
    head = filed.split("%s")[1]  # ", "
    filed_row = wait_for("the NCSC delivery with its reference in the incident", lambda: pyatspi.findDescendant(
        app, lambda a: a is not None and a.getRoleName() == "label" and showing(a)
        and a.name.startswith(T("filed by hand") + head) and a.name.endswith(reference)))
    forwarded = wait_for("the RDI delivery forwarded by the NCSC in the incident", lambda: pyatspi.findDescendant(
        app, lambda a: a is not None and a.getRoleName() == "label" and showing(a)
        and a.name == T("%s by %s") % (T("forwarded"), "NCSC")))
    if not any("(RDI)" in text for text in row_texts(forwarded)):
        fail(f"the forwarded delivery is not named as the RDI's: {row_texts(forwarded)}")
    log("the incident shows", repr(filed_row.name), "and", repr(forwarded.name))
    screenshot("23-incident")
    print("ok - the incident shows the NCSC filed with its reference and the RDI forwarded", flush=True)

    path = os.path.join(HOME_DIR[0], "live-record.pdf")
    button = wait_for("Save PDF Record", lambda: find(app, "push button", T("Save _PDF Record")))
    save_through_chooser(app, button, path)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], stdout=subprocess.PIPE, check=True,
                          text=True).stdout
    flat = " ".join(text.split())
    for what in (T("Filed at its desk"), T("Reference"), reference,
                 T("forwarded by %s, filed there at %s").split("%s")[0].strip()):
        if what not in flat:
            fail(f"the PDF record does not say {what!r}:\n{text}")
    log("the PDF record says how each recipient was reached, with the reference", reference)
    print("ok - the PDF record shows the NCSC filed at its desk with the reference and the RDI forwarded",
          flush=True)


def file_live(previous, env):
    """Issue 14, tried as a new user: on a machine with no endpoint configured, Live on the
    mode page, a report filed at the NCSC's desk with every answer ready to copy, the
    reference recorded, the RDI forwarded; the delivery page, the incident and its PDF record
    say so. A fresh HOME (the app is single-instance: the earlier one is closed first)."""
    if previous is not None:
        previous.terminate()
        previous.wait(timeout=TIMEOUT)
    log_start = os.path.getsize(app_log()) if os.path.exists(app_log()) else 0
    home = tempfile.mkdtemp(prefix="mw-e2e-live-")
    HOME_DIR[0] = home
    env = dict(env)
    env.update({"HOME": home, "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
                "XDG_CONFIG_HOME": os.path.join(home, ".config"), "XDG_CACHE_HOME": os.path.join(home, ".cache")})
    process = start_app(env)
    app = wait_for("the app on the accessibility bus", find_app)
    CURRENT_APP[0] = app
    SHOT_PREFIX[0] = "live-"
    try:
        expect_page(app, "Your organisation")
        file_by_actions(app, live=True)
        expect_page(app, "Delivery")
        # The headline is a status (its accessible role), not a plain label.
        wait_for("the headline asking to file at the desk", lambda: pyatspi.findDescendant(
            app, lambda a: a is not None and a.name == T("File the report at the desk: every answer is ready below")))
        screenshot("20-desk")
        check_desk_answers(app)
        check_names(app, "MwDeliveryPage")
        check_open_form(app)

        reference = "NCSC-2026-4711"
        set_text(app, T("Reference the desk gave"), reference)
        filed_at = text_of(find(app, "text", T("Filed at (Dutch time)")))
        if not re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", filed_at):
            fail(f"the time of filing does not start at now: {filed_at!r}")
        click(app, T("Recor_d Filing"))
        wait_for("the done headline", lambda: pyatspi.findDescendant(
            app, lambda a: a is not None and a.name == T("Done: delivered, and filed by hand where needed")))
        filed = T("Filed at the desk %s — reference %s").split("%s")[0]
        ncsc = wait_for("the NCSC filed with its reference", lambda: find(app, "label", filed, prefix=True))
        if not ncsc.name.endswith(reference):
            fail(f"the NCSC row does not give the reference: {ncsc.name!r}")
        forwarded = wait_for("the RDI forwarded", lambda: find(
            app, "label", T("Forwarded by %s (%s)").split("%s")[0], prefix=True))
        rdi = row_texts(forwarded)
        if not any("RDI" in text for text in rdi):
            fail(f"the forwarded row is not the RDI's: {rdi}")
        wait_for("the desk step gone once the filing is recorded",
                 lambda: not find(app, "push button", T("Recor_d Filing")), timeout=10)
        log("delivery:", repr(ncsc.name), "and", repr(forwarded.name), "in", rdi[0])
        screenshot("22-filed")
        print("ok - a live report is filed at the NCSC with its reference and the RDI forwarded", flush=True)

        check_live_incident(app, reference)
    except BaseException:
        process.terminate()  # main() knows only the earlier ones
        raise
    finally:
        LIVE[0] = False
        SHOT_PREFIX[0] = ""
    with open(app_log(), encoding="utf-8", errors="replace") as f:
        f.seek(log_start)
        warnings = [line for line in f.read().splitlines() if "WARNING" in line or "CRITICAL" in line]
    if warnings:
        fail(f"the app logged {len(warnings)} GLib warning(s) while filing live, the first: {warnings[0]}")
    print("ok - filing live logged no GLib warning or critical", flush=True)
    return process


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
    if os.path.exists(os.path.join(OUTDIR, "failure.png")):
        os.remove(os.path.join(OUTDIR, "failure.png"))  # from an earlier run
    if os.path.exists(app_log()):
        os.remove(app_log())  # from an earlier run
    home = tempfile.mkdtemp(prefix="mw-e2e-")
    HOME_DIR[0] = home
    env = dict(os.environ)
    env.update({
        "HOME": home,
        "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "XDG_CACHE_HOME": os.path.join(home, ".cache"),
        "MELDWIJZER_INTAKE": INTAKE,
        # Settings in a file under XDG_CONFIG_HOME, so that they survive the restart.
        "GSETTINGS_BACKEND": "keyfile",
        "LANGUAGE": "en",
        "LC_ALL": "C.UTF-8",
        "NO_AT_BRIDGE": "0",
        # Any critical warning in the app fails the test.
        "G_DEBUG": "fatal-criticals",
    })
    env.pop("MELDWIJZER_DB", None)
    if ARGS.lang == "nl":
        if ARGS.mo:
            ARGS.localedir = os.path.join(home, "locale")
            os.makedirs(os.path.join(ARGS.localedir, "nl", "LC_MESSAGES"))
            shutil.copy(ARGS.mo, os.path.join(ARGS.localedir, "nl", "LC_MESSAGES", "meldwijzer.mo"))
        if not ARGS.localedir or not os.path.exists(
                os.path.join(ARGS.localedir, "nl", "LC_MESSAGES", "meldwijzer.mo")):
            fail(f"no nl/LC_MESSAGES/meldwijzer.mo under --localedir {ARGS.localedir}")
        env.update({"LANG": "nl_NL.UTF-8", "LC_ALL": "nl_NL.UTF-8", "LANGUAGE": "nl",
                    "MELDWIJZER_LOCALEDIR": ARGS.localedir})
    if ARGS.size:
        env["MELDWIJZER_WINDOW_SIZE"] = ARGS.size
    log("language", ARGS.lang, "size", ARGS.size or "default", "keyboard", ARGS.keyboard)
    log("HOME", home)
    processes = []
    try:
        if ARGS.live_only:
            processes.append(file_live(None, env))
            return
        process = start_app(env)
        processes.append(process)
        run(process)
        file_early_warning(CURRENT_APP[0])
        process = never_lose_work(process, env, home)
        processes.append(process)
        print("ok - an unsent draft survives closing the app and reopens where it was", flush=True)
        check_no_criticals()
        if ARGS.live:
            processes.append(file_live(process, env))
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        homes = [home] + ([HOME_DIR[0]] if HOME_DIR[0] != home else [])  # and the live run's
        if os.environ.get("MW_E2E_KEEP_HOME"):
            log("kept HOME", *homes)
        else:
            for folder in homes:
                shutil.rmtree(folder, ignore_errors=True)


EARLY_WARNING_MAX_INPUTS = 8


def file_early_warning(app):
    """Issue 13: at 3 a.m. an early warning for a new incident, once the profile exists, takes
    at most 8 inputs: what Cbw art. 26 asks and nothing more. Counts every input through
    AT-SPI actions (a field typed, a choice, Next, Sign; what the page fills in itself is not
    an input) and checks that the intake got an early warning answering exactly art. 26."""
    if ARGS.keyboard:
        return  # counted once, through AT-SPI actions (the en-1280 run)
    inputs = []

    def act(what, acc, name=None):
        do_action(acc, name)
        inputs.append(what)

    earlier = {report_id for _, report_id, _ in intake_reports()}
    act("New incident", wait_for("New incident", lambda: find(app, "push button", T("New _incident"))), "click")
    expect_page(app, "Warn now")
    wait_for("the awareness time filled in", lambda: text_of(find(app, "text", T("Became aware"))))
    service = wait_for("the one service chosen", lambda: find(app, "radio button", "Object storage EU-West", prefix=True))
    if not is_on(service):
        fail("the profile's one service is not chosen on the early warning")
    contact = text_of(find(app, "text", T("Contact _official")))
    if contact != "A. de Vries":
        fail(f"the contact official is {contact!r}, not the profile's")
    if find(app, "push button", T("Next")).getState().contains(pyatspi.STATE_SENSITIVE):
        fail("Next is enabled before the two questions of art. 26 are answered")
    for question, choice in (("Looks unlawful or malicious", "Yes"), ("May have cross-border impact", "Not known yet")):
        name = T("%s: %s") % (T(choice), T(question))
        button = wait_for(f"the answer {name!r}", lambda: answer_button(app, name))
        act(f"answer {choice}", button)
        wait_for(f"{name!r} chosen", lambda: is_on(button), timeout=10)
    screenshot("16-early-warning")
    check_names(app, "MwEarlyWarningPage")
    next_button = find(app, "push button", T("Next"))
    wait_for("Next enabled", lambda: next_button.getState().contains(pyatspi.STATE_SENSITIVE))
    act("Next", next_button, "click")
    expect_page(app, "Review and send")
    sign = wait_for("the Sign button", lambda: find(app, "push button", T("_Sign and send to %s") % (
        "NCSC and RDI" if ARGS.lang == "en" else ""), prefix=ARGS.lang != "en"))
    wait_for("Sign enabled", lambda: sign.getState().contains(pyatspi.STATE_SENSITIVE))
    act("Sign", sign, "click")
    expect_page(app, "Delivery")
    screenshot("17-early-warning-delivery")

    new = wait_for("the early warning at the intake", lambda: [
        jws for _, report_id, jws in intake_reports() if report_id not in earlier] or None, timeout=60)
    payload = new[0].split(".")[1]
    report = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    if report.get("stage") != "early-warning":
        fail(f"filed as {report.get('stage')!r}, not as an early warning")
    answers = {
        "aware_at": report.get("timeline", {}).get("aware_at"),
        "service": report.get("service", {}).get("name"),
        "suspected_unlawful": report.get("nature", {}).get("suspected_unlawful"),
        "cross_border": report.get("facts", {}).get("cross_border", "absent"),
        "contact": report.get("provider", {}).get("contact", {}).get("name"),
    }
    if (not answers["aware_at"] or answers["service"] != "Object storage EU-West" or
            answers["suspected_unlawful"] is not True or answers["cross_border"] is not None or
            answers["contact"] != "A. de Vries"):
        fail(f"the early warning does not answer art. 26 as given: {answers}")
    log("early warning filed with", answers)
    print(f"# early warning after the profile: {len(inputs)} inputs ({', '.join(inputs)})", flush=True)
    if len(inputs) > EARLY_WARNING_MAX_INPUTS:
        fail(f"an early warning took {len(inputs)} inputs, more than {EARLY_WARNING_MAX_INPUTS}")
    print(f"ok - an early warning for a new incident takes {len(inputs)} inputs after the profile "
          f"(at most {EARLY_WARNING_MAX_INPUTS}), and answers exactly art. 26 Cbw", flush=True)


def start_app(env):
    # Under load the X server can refuse the very first clients: start again if the app
    # could not open the display.
    for attempt in range(3):
        # The app's messages go to a log that check_no_criticals() reads at the end.
        with open(app_log(), "ab") as stderr:
            start = stderr.tell()
            process = subprocess.Popen([APP], env=env, stderr=stderr)
        APP_PID[0] = process.pid
        deadline = time.monotonic() + 10
        while process.poll() is None and find_app() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        if process.poll() is None:
            return process
        # What a start that never reached the display said ("cannot open display") is not
        # the app's behaviour: shown here, and out of the log the checks read.
        with open(app_log(), "r+b") as f:
            f.seek(start)
            said = f.read().decode("utf-8", "replace").strip()
            f.truncate(start)
        log("the app exited with", process.returncode, "- starting it again;", repr(said[-300:]))
        time.sleep(1)
    fail("the app does not start")


def app_log():
    os.makedirs(OUTDIR, exist_ok=True)
    return os.path.join(OUTDIR, "app-stderr.log")


def check_no_criticals():
    """Any GLib CRITICAL or WARNING the app logged fails the run (fatal-criticals aborts the
    app too, but a critical in a thread or at exit would only show here). The test reads
    positions in window coordinates: GTK warns about screen coordinates it cannot give."""
    try:
        with open(app_log(), encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return
    for line in lines:
        if "WARNING" in line or "CRITICAL" in line:
            log("app:", line)
    criticals = [line for line in lines if "CRITICAL" in line or "WARNING" in line]
    if criticals:
        fail(f"the app logged {len(criticals)} GLib critical(s) or warning(s), the first: {criticals[0]}")
    print("ok - the app logged no GLib critical or warning", flush=True)


def intake_db(home):
    """The practice intake's database in the app's data folder."""
    return os.path.join(home, ".local", "share", "meldwijzer", "training-intake.db")


def stage_label(regime, stage):
    """A stage's name as the regime file gives it in the run's language."""
    path = os.path.join(os.environ["MELDWIJZER_REGIMES_DIR"], regime + ".json")
    with open(path, encoding="utf-8") as f:
        stages = json.load(f)["stages"]
    label = next(s["label"] for s in stages if s["id"] == stage)
    return label.get(ARGS.lang) or label["en"]


def intake_reports():
    """(mailbox, report id, JWS text) of every report the practice intake holds, in order."""
    with sqlite3.connect(f"file:{intake_db(HOME_DIR[0])}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT mailbox, report_id, jws FROM reports ORDER BY id").fetchall()
    return [(mailbox, report_id, jws.decode() if isinstance(jws, bytes) else jws)
            for mailbox, report_id, jws in rows]


def intake_running(home):
    result = subprocess.run(["pgrep", "-f", intake_db(home)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return result.returncode == 0


def check_settings(home):
    """What the app left in GSettings (the keyfile backend's file) when it closed."""
    path = os.path.join(home, ".config", "glib-2.0", "settings", "keyfile")
    keyfile = GLib.KeyFile()
    try:
        keyfile.load_from_file(path, GLib.KeyFileFlags.NONE)
    except GLib.Error as error:
        fail(f"no settings were written to {path}: {error.message}")
    group = "io/github/meldwijzer/Meldwijzer"
    values = {}
    for key in ("last-draft-id", "last-draft-page", "window-width", "window-height"):
        try:
            values[key] = keyfile.get_value(group, key)
        except GLib.Error:
            fail(f"the setting {key} was not written to {path}")
    log("settings", values)
    if values["last-draft-page"] != "'nature'":
        fail(f"the draft's page in the settings is {values['last-draft-page']}, not 'nature'")


def never_lose_work(process, env, home):
    app = CURRENT_APP[0]
    keyboard = ARGS.keyboard
    if not intake_running(home):
        fail("the practice intake is not running while the app runs")

    # A new incident, typed but not sent.
    if keyboard:
        press_mnemonic("New _incident")
    else:
        click(app, T("New _incident"))
    expect_page(app, "Warn now")
    answer(app, "Looks unlawful or malicious", "Not known yet")
    answer(app, "May have cross-border impact", "Not known yet")
    ask_full_report(app)
    if keyboard:
        keyboard_next(app, T("Next"))
    else:
        click(app, T("Next"))
    expect_page(app, "When")
    if keyboard:
        kb_fill("_Started at", time.strftime("%Y-%m-%d %H:%M", time.localtime(time.time() - 600)))
        kb_now("_Aware since", "Awareness time")
        keyboard_next(app, T("Next"))
    else:
        click(app, T("Now: %s") % T("Start time"), prefix=True)
        click(app, T("Now: %s") % T("Awareness time"), prefix=True)
        click(app, T("Next"))
    expect_page(app, "Nature and scope")
    if keyboard:
        kb_fill("_Summary in one line", "Second incident, still a draft")
    else:
        set_text(app, T("Summary in one line"), "Second incident, still a draft")
    time.sleep(1)  # the autosave runs a moment after the last change

    # Closing asks, because the report has not been sent.
    frame = find(app, "frame", T("Meldwijzer"))
    if keyboard:
        pointer_into_window(app)
        press_with(CTRL_MASK, ord("q"))
    else:
        do_action(frame, "window.close")
    # (AdwMessageDialog's response buttons are named after their raw mnemonic label too.)
    keep = wait_for("the close dialog", lambda: pyatspi.findDescendant(
        app, lambda a: a is not None and a.getRoleName() == "push button" and
        a.name.replace("_", "").startswith(T("_Close and Keep Draft"))))
    check_language(app, "the close dialog")
    screenshot("11-close-dialog")
    if keyboard:
        # Without a window manager the dialog opens at the top left corner, over the window,
        # and X gives the keys to the window under the pointer.
        pyatspi.Registry.generateMouseEvent(20, 20, "abs")
        time.sleep(0.2)
        press(KEY_RETURN)  # the dialog starts on its default answer
        log(f"Ctrl+Q asks, Return answers {T('_Close and Keep Draft')!r}")
    else:
        do_action(keep, "click")
    try:
        code = process.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        fail("the app did not quit after Close and Keep Draft")
    if code != 0:
        fail(f"the app exited with {code}")
    wait_for("the practice intake to stop", lambda: not intake_running(home), timeout=10)
    check_settings(home)

    # Started again, the draft is back, on the page where it was.
    process = start_app(env)
    app = wait_for("the app on the accessibility bus", find_app)
    CURRENT_APP[0] = app
    # The notice is a toast that goes after a few seconds: look for it before the page's
    # slower checks.
    wait_for("the restored notice", lambda: pyatspi.findDescendant(
        app, lambda a: a is not None and a.name == T("Your draft report was restored.")))
    expect_page(app, "Nature and scope")
    summary = wait_for("the summary field", lambda: find(app, "text", T("Summary in one line")))
    text = summary.queryText()
    content = text.getText(0, text.characterCount)
    log("restored summary", repr(content))
    if content != "Second incident, still a draft":
        fail(f"the restored summary is {content!r}")
    screenshot("12-restored")

    # The profile stays editable from the main menu, with what was saved on the first run.
    if keyboard:
        pointer_into_window(app)
        press(KEY_F10)  # the main menu; its first item is the profile
        time.sleep(0.5)
        press(KEY_RETURN)
    else:
        do_action(find(app, "frame", T("Meldwijzer")), "win.edit-profile")
    # In a window of its own, not the first run again: the report stays where it was.
    profile = wait_for("the profile window", lambda: find(app, "frame", T("Organisation profile")))
    name = wait_for("the organisation name", lambda: find(profile, "text", T("Organisation name")))
    text = name.queryText()
    if text.getText(0, text.characterCount) != "Wolkendienst B.V.":
        fail("the saved profile was not shown")
    screenshot("13-edit-profile")
    if keyboard:
        press(KEY_ESCAPE)
        wait_for("Escape closes the profile window", lambda: find(app, "frame", T("Organisation profile")) is None,
                 timeout=10)
        log("Escape closes the profile window")
    else:
        do_action(find(profile, "push button", T("Cancel")), "click")
        wait_for("Cancel closes the profile window", lambda: find(app, "frame", T("Organisation profile")) is None,
                 timeout=10)
    if page_title(app) != T("Nature and scope"):
        fail(f"after the profile window the wizard shows {page_title(app)!r}, not the report's page")
    return process


def answer_button(app, name):
    # GTK 4.8 gives a toggle button the role of a push button, with the pressed state.
    return find(app, "toggle button", name) or find(app, "push button", name)


def answer(app, question, choice):
    """Answers a question of the early warning: a click on its button, or with the keyboard
    Tab to the button and Space."""
    name = T("%s: %s") % (T(choice), T(question))
    button = wait_for(f"the answer {name!r}", lambda: answer_button(app, name))
    if ARGS.keyboard:
        tabs = tab_to(button)
        press(KEY_SPACE)
        KEYBOARD_LOG.append(f"Tab x{tabs} and Space on {name}")
    else:
        do_action(button)
    wait_for(f"{name!r} chosen", lambda: is_on(button), timeout=10)
    log("answered", repr(name))


def ask_full_report(app):
    """On the early warning, "Describe the incident in full now" brings the full report's pages."""
    if ARGS.keyboard:
        kb_toggle("Describe the incident in _full now")
    else:
        choose(app, T("Describe the incident in full now"))


def file_by_actions(app, live=False):
    """First run and filing through AT-SPI actions (what an assistive technology does); with
    live, Live is chosen on the mode page."""

    set_text(app, T("Organisation name"), "Wolkendienst B.V.")
    set_text(app, T("Registration (KvK number)"), "12345678")
    choose(app, T("Cloud computing service provider"))
    set_text(app, T("New service"), "Object storage EU-West")
    click(app, T("Add service"), prefix=True)
    wait_for("the service in the list", lambda: find(app, "push button", T("Remove service %s") % "Object storage EU-West", prefix=True))
    set_text(app, T("Contact name"), "A. de Vries")
    set_text(app, T("Contact email"), "soc@wolkendienst.example")
    set_text(app, T("Contact phone (24/7)"), "+31 70 000 0000")
    next_page(app, 1, "profile")

    # The signing key: generated in the keyring, its thumbprint shown in groups.
    expect_page(app, "Signing key")
    check_fingerprint(app)
    next_page(app, 2, "key")

    expect_page(app, "Training or live")
    if live:
        choose_live(app)
    else:
        choose(app, T("Training (recommended)"))
    next_page(app, 3, "mode")

    # The early warning's own questions, and the full report now (see file_early_warning()
    # for an early warning alone).
    expect_page(app, "Warn now")
    answer(app, "Looks unlawful or malicious", "Yes")
    answer(app, "May have cross-border impact", "No")
    ask_full_report(app)
    next_page(app, 4, "early-warning")

    expect_page(app, "When")
    click(app, T("Now: %s") % T("Start time"), prefix=True)
    click(app, T("Now: %s") % T("Detection time"), prefix=True)
    click(app, T("Now: %s") % T("Awareness time"), prefix=True)
    next_page(app, 4, "when")

    expect_page(app, "Nature and scope")
    set_text(app, T("Summary in one line"), "Object storage unreachable after a DDoS attack")
    set_text(app, T("Minutes completely unavailable"), "45")
    next_page(app, 5, "nature")

    expect_page(app, "Affected service")
    choose(app, "Object storage EU-West")
    next_page(app, 6, "service")

    expect_page(app, "Recovery")
    next_page(app, 7, "recovery")

    expect_page(app, "Assessment")
    check_verdict(app)
    next_page(app, 8, "assessment")

    expect_page(app, "Review and send")
    screenshot("09-review")
    check_names(app, "MwReviewPage")
    click(app, T("_Sign and send to %s") % ("NCSC and RDI" if ARGS.lang == "en" else ""), prefix=ARGS.lang != "en")


def file_by_keyboard(app):
    """First run and filing with the keyboard alone: mnemonics, typing, Tab, arrows, Space
    and Return. AT-SPI only reads what happened."""
    # The focus starts in the first field: typing fills in the organisation name.
    pointer_into_window(app)
    type_text("Wolkendienst B.V.")
    wait_for("the organisation name typed where the focus starts",
             lambda: text_of(find(app, "text", T("Organisation name"))) == "Wolkendienst B.V.", timeout=10)
    log("typed the organisation name into the field that has the focus at the start")
    kb_fill("_Registration (KvK number)", "12345678")
    # The law's mnemonic opens its list; Escape keeps the law and leaves the focus on it, in
    # the list of entity types below.
    press_mnemonic("_Law you report under")
    press(KEY_ESCAPE)
    time.sleep(0.3)
    kb_choose_in_list(T("Cloud computing service provider"), "first")
    for service in ("Compute EU-West", "Object storage EU-West"):
        kb_fill("New _service", service)
        press(KEY_RETURN)  # Return in the field adds the service
        wait_for(f"{service!r} added with Return", lambda: find(
            app, "push button", T("Remove service %s") % service, prefix=True))
    kb_fill("Contact n_ame", "A. de Vries")
    kb_fill("Contact _email", "soc@wolkendienst.example")
    kb_fill("Contact _phone (24/7)", "+31 70 000 0000")
    next_page(app, 1, "profile")

    expect_page(app, "Signing key")
    check_fingerprint(app)
    next_page(app, 2, "key")

    expect_page(app, "Training or live")
    kb_toggle("_Live")
    # Live filing without endpoints is allowed: the row says which recipients are filed at
    # their desks, by name, and Next stays enabled.
    desk = T("Files with the real authorities. Filed at their desks, with every answer ready to copy: %s.").split("%s")[0]
    label = wait_for("the live row naming the desks", lambda: find(app, "label", desk, prefix=True))
    if not any(name in label.name for name in ("National Cyber Security Centre (NCSC)",
                                               "Nationaal Cyber Security Centrum (NCSC)")):
        fail(f"the live row does not name the recipients: {label.name!r}")
    wait_for("Next enabled with Live chosen and no endpoint configured", lambda: find(
        app, "push button", T("Next")).getState().contains(pyatspi.STATE_SENSITIVE), timeout=5)
    log("Live without endpoints files at the desks:", repr(label.name))
    kb_toggle("_Training (recommended)")
    next_page(app, 3, "mode")

    expect_page(app, "Warn now")
    answer(app, "Looks unlawful or malicious", "Yes")
    answer(app, "May have cross-border impact", "Not known yet")
    ask_full_report(app)
    next_page(app, 4, "early-warning")

    # When: the times as people type them, in Dutch time. The cursor starts in the start
    # time: typed at once, a date with its space must land there whole and flip nothing.
    expect_page(app, "When")
    now = time.time()
    started, detected = dutch_time(now - 1800), dutch_time(now - 1200)
    started_typed = f"{started.day}-{started.month}-{started.year} {started.hour}:{started.minute:02d}"
    type_text(started_typed)
    wait_for(f"{started_typed!r} typed where the focus starts on When", lambda: text_of(
        find(app, "text", T("Started at"))) == started_typed, timeout=10)
    resolved = find(app, "switch", T("Resolved"), prefix=True) or pyatspi.findDescendant(
        app, lambda a: a is not None and a.getRoleName() == "switch" and showing(a))
    if resolved is not None and is_on(resolved):
        fail("typing a date on When switched Resolved on")
    log("typed", repr(started_typed), "into the start time where the focus starts; Resolved stays off")
    # A time of day alone means today; "nu"/"now" this minute; the Now button still works.
    today = dutch_time(now)
    if (detected.year, detected.month, detected.day) == (today.year, today.month, today.day):
        detected_typed = f"{detected.hour:02d}:{detected.minute:02d}"
    else:
        detected_typed = f"{detected.day}-{detected.month} {detected.hour:02d}:{detected.minute:02d}"
    kb_fill("_Detected at", detected_typed)
    kb_fill("_Aware since", "nu" if ARGS.lang == "nl" else "now")
    kb_now("_Aware since", "Awareness time")
    # Shown back as understood once the cursor has left each field.
    for label, when in (("Started at", started), ("Detected at", detected)):
        shown = f"{when.year}-{when.month:02d}-{when.day:02d} {when.hour:02d}:{when.minute:02d}"
        wait_for(f"{T(label)!r} shown back as {shown!r}",
                 lambda: text_of(find(app, "text", T(label))) == shown, timeout=10)
    log("free-form times read in Dutch time and shown back:", started_typed, "and", detected_typed)
    next_page(app, 4, "when")

    expect_page(app, "Nature and scope")
    keyboard_back_and_forth(app, "Nature and scope", "When")
    kb_fill("_Summary in one line", "Object storage unreachable after a DDoS attack")
    kb_fill("_Description", "Volumetric attack on the storage front ends since the start time.")
    # The facts that decide the verdict come right after the description: Tab reaches the
    # first, the arrows the row of the question, and typing on the row fills its field.
    field = find(app, "text", T("Minutes completely unavailable"))
    press(KEY_TAB)
    time.sleep(0.2)
    steps, key = kb_to_row(field, "first")
    type_text("45")
    wait_for("45 typed on the fact's row into its field", lambda: text_of(field) == "45", timeout=10)
    log(f"Tab into the facts, {key} x{steps} and typing on the row fill {field.name!r}")
    KEYBOARD_LOG.append(f"{key} x{steps} to {field.name}")
    # Numbers as the language writes them: the other language's way is refused on the spot
    # (Next disabled), never read as something else; the user's way is shown back grouped.
    users = find(app, "text", T("Users affected by limited availability"))
    wrong, right = ("250,000", "250.000") if ARGS.lang == "nl" else ("250.000", "250,000")
    # From the field: Tab to its Unknown check, Tab to the next question's row.
    press(KEY_TAB)
    press(KEY_TAB)
    time.sleep(0.2)
    type_text(wrong)
    wait_for(f"{wrong!r} typed into {users.name!r}", lambda: text_of(users) == wrong, timeout=10)
    wait_for(f"Next disabled while {wrong!r} cannot be read in this language", lambda: not find(
        app, "push button", T("Next")).getState().contains(pyatspi.STATE_SENSITIVE), timeout=5)
    press_with(CTRL_MASK, ord("a"))
    type_text(right.replace(".", "").replace(",", ""))
    press(KEY_TAB)
    wait_for(f"250000 shown back as {right!r}", lambda: text_of(users) == right, timeout=10)
    log(f"{wrong!r} refused, 250000 shown back as {right!r} in {users.name!r}")
    next_page(app, 5, "nature")

    expect_page(app, "Affected service")
    kb_fill("_Network or location (optional)", "eu-west-1")
    # Shift+Tab goes from the field to its row, and again into the last row of the services.
    press(KEY_SHIFT_TAB)
    press(KEY_SHIFT_TAB)
    kb_choose_in_list("Compute EU-West", "last")
    next_page(app, 6, "service")

    expect_page(app, "Recovery")
    keyboard_back_and_forth(app, "Recovery", "Affected service")
    kb_fill("_Measures", "Traffic scrubbing at the upstream provider.")
    if not kb_toggle("Ask the CSIRT for _help"):
        fail("Ask the CSIRT for help is off after its mnemonic")
    next_page(app, 7, "recovery")

    expect_page(app, "Assessment")
    check_verdict(app)
    next_page(app, 8, "assessment")

    expect_page(app, "Review and send")
    keyboard_back_and_forth(app, "Review and send", "Assessment")
    kb_toggle("The NCSC may share information that _identifies us")
    kb_toggle("The NCSC may _consult our regulator")
    screenshot("09-review")
    check_names(app, "MwReviewPage")
    keyboard_next(app, T("_Sign and send to %s") % ("NCSC and RDI" if ARGS.lang == "en" else ""), prefix=True)


def save_copies(app):
    """The delivery page's copies: the signed report and the PDF for filing by hand, saved
    through the file chooser under a name typed into it."""
    folder = os.path.join(HOME_DIR[0], "copies")
    os.makedirs(folder)
    for row_title, name in ((T("Signed report (JWS)"), "report.jws"), (T("PDF for filing by hand"), "report.pdf")):
        row = wait_for(f"the row {row_title!r}", lambda: pyatspi.findDescendant(
            app, lambda a: a is not None and a.getRoleName() == "list item" and showing(a)
            and a.name.startswith(row_title)))
        button = pyatspi.findDescendant(row, lambda a: a is not None and a.getRoleName() == "push button")
        log("saving with", repr(button.name))
        do_action(button, "click")
        dialog_app = app
        field = wait_for("the file chooser's name field", lambda: pyatspi.findDescendant(
            dialog_app, lambda a: a is not None and a.getRoleName() == "text" and showing(a)
            and text_of(a).startswith("meldwijzer-")))
        if not field.queryEditableText().setTextContents(os.path.join(folder, name)):
            fail("could not type into the file chooser")
        time.sleep(0.3)
        do_action(wait_for("the file chooser's Save button", lambda: pyatspi.findDescendant(
            dialog_app, lambda a: a is not None and a.getRoleName() == "push button" and showing(a)
            and no_mnemonic(a.name).startswith(T("_Save")) and a.name != button.name)), "click")
        wait_for(f"{name} saved", lambda: os.path.exists(os.path.join(folder, name)) and
                 os.path.getsize(os.path.join(folder, name)) > 0)
    with open(os.path.join(folder, "report.jws"), encoding="ascii") as f:
        jws = f.read()
    if {stored for _, _, stored in intake_reports()} != {jws}:
        fail("the saved signed report is not what the intake received")
    with open(os.path.join(folder, "report.pdf"), "rb") as f:
        if not f.read(5) == b"%PDF-":
            fail("the saved PDF is not a PDF")
    log("saved the signed report (the bytes the intake has) and the PDF through the file chooser")
    print("ok - the signed report and the PDF are saved through the file chooser", flush=True)


def follow_up(app, earlier_receipts):
    """A follow-up report carries everything over, says it updates the earlier report, and is
    signed and delivered with receipts of its own."""
    click(app, T("_Follow-up report"))
    expect_page(app, "When")
    started = wait_for("the start time carried over", lambda: text_of(find(app, "text", T("Started at"))))
    log("follow-up starts with the start time", repr(started))
    for title in ("When", "Nature and scope", "Affected service", "Recovery", "Assessment"):
        expect_page(app, title)
        if title == "Nature and scope":
            summary = text_of(find(app, "text", T("Summary in one line")))
            if summary != "Object storage unreachable after a DDoS attack":
                fail(f"the follow-up lost the summary: {summary!r}")
        click(app, T("Next"))
    expect_page(app, "Review and send")
    kind = T("%s, updating the report sent earlier") % stage_label("nl-cbw", "notification")
    wait_for(f"the review saying {kind!r}", lambda: find(app, "label", kind))
    screenshot("14-follow-up-review")
    click(app, T("_Sign and send to %s") % ("NCSC and RDI" if ARGS.lang == "en" else ""), prefix=ARGS.lang != "en")
    expect_page(app, "Delivery")

    def new_receipts():
        labels = [label.name for label in find_all(app, "label", RECEIVED)]
        return len(labels) == 2 and not set(labels) & set(earlier_receipts) and labels
    receipts = wait_for("two receipts for the follow-up", new_receipts, timeout=60)
    log("follow-up receipts", receipts)
    screenshot("15-follow-up-delivery")
    check_intake_follow_up()
    print("ok - a follow-up report carries the first over, says so, and gets receipts of its own", flush=True)


def check_intake_follow_up():
    """What the practice intake stored: per mailbox the first report and the follow-up, the
    follow-up naming the first as the report it supersedes, identical in both mailboxes."""
    by_mailbox = {}
    for mailbox, report_id, jws in intake_reports():
        payload = jws.split(".")[1]
        report = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        if report["report_id"] != report_id:
            fail(f"the intake filed {report_id} for a report that says {report['report_id']}")
        by_mailbox.setdefault(mailbox, []).append((jws, report))
    if len(by_mailbox) != 2 or any(len(reports) != 2 for reports in by_mailbox.values()):
        fail(f"expected two reports in each of two mailboxes, got {[(m, len(r)) for m, r in by_mailbox.items()]}")
    for mailbox, ((_, first), (_, second)) in by_mailbox.items():
        if second.get("supersedes") != first["report_id"] or second.get("stage") != "notification":
            fail(f"{mailbox}: the follow-up has supersedes {second.get('supersedes')!r} and stage "
                 f"{second.get('stage')!r}, expected {first['report_id']!r} and 'notification'")
    if len({reports[1][0] for reports in by_mailbox.values()}) != 1:
        fail("the mailboxes got different bytes for the follow-up")
    log("the intake holds the follow-up, superseding", first["report_id"], "in", sorted(by_mailbox))


HOME_DIR = [None]


def check_fingerprint(app):
    fingerprint = wait_for("the key fingerprint", lambda: pyatspi.findDescendant(
        app, lambda a: a is not None and a.getRoleName() == "label" and
        re.fullmatch(r"[0-9A-F]{4}( [0-9A-F]{4}){15}", a.name or "")))
    log("fingerprint", fingerprint.name)


def check_verdict(app):
    wait_for("the verdict", lambda: pyatspi.findDescendant(
        app, lambda a: a is not None and a.name == T("You must report this incident")))


def run(process):
    global RECEIVED, RECEIPT
    RECEIVED, RECEIPT = T("Received %s — receipt %s").split("%s")[:2]
    RECEIPT = RECEIPT.replace("—", "").strip() + " "
    app = wait_for("the app on the accessibility bus", find_app)
    CURRENT_APP[0] = app

    # First run: the organisation profile.
    expect_page(app, "Your organisation")
    if ARGS.keyboard:
        file_by_keyboard(app)
    else:
        file_by_actions(app)

    expect_page(app, "Delivery")
    wait_for("two receipts", lambda: len(find_all(app, "label", RECEIVED)) >= 2, timeout=60)
    wait_for("the delivered headline", lambda: pyatspi.findDescendant(
        app, lambda a: a is not None and a.name == T("Delivered: every recipient sent a receipt")))
    screenshot("10-delivery")
    check_names(app, "MwDeliveryPage")
    receipts = [label.name for label in find_all(app, "label", RECEIVED)]
    log("receipts", receipts)
    if len(receipts) != 2 or not all(RECEIPT in r for r in receipts):
        fail(f"expected two receipts, got {receipts}")
    if process.poll() is not None:
        fail("the app exited")
    if not ARGS.keyboard:
        save_copies(app)
        follow_up(app, receipts)
    if ARGS.keyboard:
        log("initial focus per page:", "; ".join(FOCUS_LOG))
        log("keyboard:", "; ".join(KEYBOARD_LOG))
        print("ok - filled every field, chose every option and moved on with the keyboard alone", flush=True)
        print("ok - Tab reaches Next and Return moves on, on every page; Alt+Left/Alt+Right navigate", flush=True)
    print("ok - filed a training report from first run to two receipts", flush=True)


if __name__ == "__main__":
    main()

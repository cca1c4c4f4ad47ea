#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A mock of the Email portal (org.freedesktop.portal.Email) for tests/test-email-portal.c.

A mock, because no real part can run here: xdg-desktop-portal needs a desktop backend and a
mail program to hand the e-mail to, neither of which exists on a headless test machine. It
owns org.freedesktop.portal.Desktop on the test's private session bus, answers ComposeEmail
as the portal documents (the request handle, then Response on that request object), and
writes what it received to RECORD as JSON: the options, and for every attachment fd its
name (from /proc/self/fd) and its bytes read through the fd (hex), whether it was readable.

usage: mock-email-portal.py RECORD [RESPONSE]   (RESPONSE: the code Response sends, 0 by default)
"""

import json
import os
import sys

from gi.repository import Gio, GLib

RECORD = sys.argv[1]
RESPONSE = int(sys.argv[2]) if len(sys.argv) > 2 else 0

XML = """
<node>
  <interface name="org.freedesktop.portal.Email">
    <method name="ComposeEmail">
      <arg type="s" name="parent_window" direction="in"/>
      <arg type="a{sv}" name="options" direction="in"/>
      <arg type="o" name="handle" direction="out"/>
    </method>
    <property name="version" type="u" access="read"/>
  </interface>
</node>
"""


def read_fd(fd):
    name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        chunks = []
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        return {"name": name, "readable": True, "hex": b"".join(chunks).hex()}
    except OSError as error:
        return {"name": name, "readable": False, "error": str(error)}
    finally:
        os.close(fd)


def method_call(connection, sender, path, interface, method, parameters, invocation):
    parent, options = parameters.unpack()
    fd_list = invocation.get_message().get_unix_fd_list()
    fds = fd_list.steal_fds() if fd_list is not None else []
    attachments = [read_fd(fds[index]) for index in options.get("attachment_fds", [])]
    record = {"parent_window": parent, "sender": sender,
              "options": {k: v for k, v in options.items() if k != "attachment_fds"},
              "attachments": attachments}
    handle = "/org/freedesktop/portal/desktop/request/%s/%s" % (
        sender[1:].replace(".", "_"), options.get("handle_token", "t"))
    with open(RECORD + ".tmp", "w", encoding="utf-8") as f:
        json.dump(record, f)
    os.rename(RECORD + ".tmp", RECORD)
    invocation.return_value(GLib.Variant("(o)", (handle,)))
    connection.emit_signal(sender, handle, "org.freedesktop.portal.Request", "Response",
                           GLib.Variant("(ua{sv})", (RESPONSE, {})))


def get_property(connection, sender, path, interface, name):
    return GLib.Variant("u", 4)


def main():
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    info = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]
    bus.register_object("/org/freedesktop/portal/desktop", info, method_call, get_property, None)
    loop = GLib.MainLoop()
    Gio.bus_own_name_on_connection(bus, "org.freedesktop.portal.Desktop", Gio.BusNameOwnerFlags.NONE,
                                   None, lambda *args: loop.quit())
    loop.run()


if __name__ == "__main__":
    main()

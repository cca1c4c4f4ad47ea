/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The intake's own accept loop in front of a SoupServer, for a server that faces the
 * internet (DESIGN.md, "The intake protocol"):
 * - a listen backlog of MW_INTAKE_LISTEN_BACKLOG;
 * - at most a number of connections well below the fd limit; when full, the oldest
 *   connection still waiting for its request headers makes room, or the newcomer gets 503;
 * - a time limit per phase of a connection: the TLS handshake and the request headers, the
 *   body, and the answer; a connection past its limit is closed;
 * - one request per connection: every answer says "Connection: close" and the socket is
 *   closed after it (libsoup 3.2 keeps a kept-alive socket in CLOSE-WAIT when its client
 *   hangs up, one fd lost each time);
 * - an accept that fails (e.g. at the fd limit) pauses the accept loop briefly instead of
 *   stopping it for good as libsoup 3.2's own listener does. */

#define MW_INTAKE_LISTEN_BACKLOG       1024
#define MW_INTAKE_MAX_CONNECTIONS      512
#define MW_INTAKE_HEADER_TIMEOUT_S     10
#define MW_INTAKE_BODY_TIMEOUT_S       30
#define MW_INTAKE_ANSWER_TIMEOUT_S     30

#define MW_TYPE_INTAKE_LISTENER (mw_intake_listener_get_type ())
G_DECLARE_FINAL_TYPE (MwIntakeListener, mw_intake_listener, MW, INTAKE_LISTENER, GObject)

/* Binds and listens on address; connections are handed to server, which must not listen
 * itself. With a certificate every connection speaks TLS. */
MwIntakeListener *mw_intake_listener_new               (SoupServer        *server,
                                                        GSocketAddress    *address,
                                                        GTlsCertificate   *certificate,
                                                        GError           **error);
/* The address actually bound (with the port chosen for port 0). */
GSocketAddress   *mw_intake_listener_dup_local_address (MwIntakeListener  *self);
gboolean          mw_intake_listener_get_https         (MwIntakeListener  *self);
/* How many connections may be open at once: derived from RLIMIT_NOFILE at creation. */
guint             mw_intake_listener_get_max_connections (MwIntakeListener *self);
guint             mw_intake_listener_get_n_connections (MwIntakeListener  *self);
/* Stops accepting and closes every connection. */
void              mw_intake_listener_close             (MwIntakeListener  *self);

/* Raises the soft limit of open files to the hard limit; returns the soft limit now. */
guint64           mw_intake_raise_fd_limit             (void);

G_END_DECLS

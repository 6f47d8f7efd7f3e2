/* SPDX-License-Identifier: MIT */
/* deliver.h: hand a finished message to a mail server (SMTP via libcurl).
 *
 * The message is the bytes report_email() produced (RFC 5322, CRLF line
 * ends); this module does not look inside it. Supported: smtp:// (plain,
 * optionally upgraded with STARTTLS), smtps:// (TLS from the start), and
 * AUTH (libcurl picks PLAIN, LOGIN or CRAM-MD5 as the server offers) when a
 * user is given. The server's certificate is checked against the system's
 * CAs, or ca_file, and its host name, on smtps:// and after STARTTLS alike.
 * Nothing here prints or reads the environment: the caller passes the
 * password in. */
#ifndef ACHIM_DELIVER_H
#define ACHIM_DELIVER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

enum deliver_tls {
    DELIVER_TLS_AUTO = 0, /* smtps:// is TLS; smtp:// tries STARTTLS, goes on in clear if refused */
    DELIVER_TLS_STARTTLS, /* smtp:// must upgrade with STARTTLS, else fail */
    DELIVER_TLS_NONE,     /* never TLS on smtp:// (a local relay) */
};

struct deliver_smtp {
    const char *url;       /* "smtp://host:port" or "smtps://host:port"; required */
    const char *from;      /* envelope sender, a bare address "a@b"; required */
    const char *const *to; /* envelope recipients, bare addresses; at least one */
    size_t nto;
    const char *user;     /* AUTH user, or NULL for no AUTH */
    const char *password; /* AUTH password (NULL: empty) */
    enum deliver_tls tls;
    const char *ca_file;  /* PEM bundle of the CAs to trust (NULL: the system's) */
    bool insecure;        /* skip certificate checks (a test server, never for real mail) */
    long timeout_seconds; /* whole transfer; 0: 60 */
};

/* Send message (len bytes) to every recipient. Returns ACHIM_OK, ACHIM_EINVAL
 * for bad options, or ACHIM_EIO with the server's or libcurl's reason in err. */
enum achim_code deliver_smtp_send(const struct deliver_smtp *o, const char *message, size_t len,
                                  struct err *err);

/* The bare address of "Name <a@b>" or "a@b" into out (size cap); false when
 * there is none or it does not fit. */
bool deliver_bare_address(const char *addr, char *out, size_t cap);

#endif

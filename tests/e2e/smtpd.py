#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A real SMTP server on 127.0.0.1 for the delivery tests (Debian's
aiosmtpd): saves each message's envelope and bytes to OUTDIR, optionally
requires AUTH (LOGIN/PLAIN) with USER:PASS, and writes its port to
OUTDIR/port once listening.

    /usr/bin/python3 tests/e2e/smtpd.py OUTDIR [USER:PASS] [TLS CERT KEY]

TLS is "starttls" (offers STARTTLS and refuses mail before it; AUTH only
after it) or "implicit" (TLS from the first byte, as smtps:// on port 465),
with the PEM certificate and key given. Each message's .env file says
whether it came over TLS ("tls TLSv1.3") or not ("tls no").
"""
import os
import socket
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Saver:
    def __init__(self, out):
        self.out = out
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        base = os.path.join(self.out, "msg%d" % self.n)
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".env", "w") as f:
            f.write("from %s\n" % envelope.mail_from)
            for r in envelope.rcpt_tos:
                f.write("to %s\n" % r)
            f.write("auth %s\n" % (session.authenticated and "yes" or "no"))
            tls = server.transport.get_extra_info("ssl_object")
            f.write("tls %s\n" % (tls.version() if tls else "no"))
        return "250 OK saved"


def main():
    out = sys.argv[1]
    args = sys.argv[2:]
    creds = None
    if args and ":" in args[0]:
        creds = args.pop(0).split(":", 1)
    tls_mode = args[0] if args else None
    tls_ctx = None
    if tls_mode:
        tls_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_ctx.load_cert_chain(args[1], args[2])

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and creds and
              auth_data.login.decode() == creds[0] and auth_data.password.decode() == creds[1])
        return AuthResult(success=bool(ok))

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    kw = {}
    if creds:
        # over STARTTLS, AUTH is refused until the session is encrypted
        kw = dict(authenticator=authenticator, auth_required=True,
                  auth_require_tls=tls_mode == "starttls")
    if tls_mode == "starttls":
        kw.update(tls_context=tls_ctx, require_starttls=True)
    elif tls_mode == "implicit":
        kw.update(ssl_context=tls_ctx)
    elif tls_mode:
        sys.exit("smtpd.py: TLS mode is starttls or implicit, not %r" % tls_mode)
    c = Controller(Saver(out), hostname="127.0.0.1", port=port, **kw)
    c.start()
    with open(os.path.join(out, "port.tmp"), "w") as f:
        f.write(str(port))
    os.rename(os.path.join(out, "port.tmp"), os.path.join(out, "port"))
    try:
        while True:
            time.sleep(0.2)
            # stop when asked, or when the test's folder is gone (an aborted test)
            if os.path.exists(os.path.join(out, "stop")) or not os.path.isdir(out):
                break
    finally:
        c.stop()


if __name__ == "__main__":
    main()

#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A real SMTP server on 127.0.0.1 for the delivery tests (Debian's
aiosmtpd): saves each message's envelope and bytes to OUTDIR, optionally
requires AUTH (LOGIN/PLAIN) with USER:PASS, and writes its port to
OUTDIR/port once listening.

    /usr/bin/python3 tests/e2e/smtpd.py OUTDIR [USER:PASS]
"""
import os
import socket
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
        return "250 OK saved"


def main():
    out = sys.argv[1]
    creds = sys.argv[2].split(":", 1) if len(sys.argv) > 2 else None

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
        kw = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)
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

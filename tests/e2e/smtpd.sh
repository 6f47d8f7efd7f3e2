# tests/e2e/smtpd.sh: start and stop tests/e2e/smtpd.py (a real SMTP server
# on 127.0.0.1, Debian's python3-aiosmtpd) from the delivery tests. Source
# it after lib.sh; it skips the test when aiosmtpd is missing.
PY=/usr/bin/python3
if ! $PY -c 'import aiosmtpd' 2>/dev/null; then
    echo "skip - python3-aiosmtpd is not installed (scripts/install-deps.sh)"
    exit 0
fi

# start_smtpd DIR [USER:PASS] [starttls|implicit CERT KEY]: prints the port
start_smtpd() {
    mkdir -p "$1"
    $PY tests/e2e/smtpd.py "$@" >"$1/log" 2>&1 &
    i=0
    while [ ! -f "$1/port" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
    cat "$1/port"
}
# stop_smtpd DIR: the server exits within 0.2 s (or when DIR is removed)
stop_smtpd() { touch "$1/stop"; }

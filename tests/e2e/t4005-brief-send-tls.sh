# SPDX-License-Identifier: MIT
# Delivery over TLS: achim brief --send to a real SMTP server on 127.0.0.1
# (Debian's python3-aiosmtpd, tests/e2e/smtpd.py) that speaks STARTTLS or
# implicit TLS (smtps://) with a throwaway self-signed certificate made here
# with the openssl command. The message must arrive over TLS (the server
# records the TLS version), parse with Python's email package with two
# valid UTF-8 parts and intact footnote links; an untrusted certificate and
# a server without STARTTLS when it is required must fail with a clear
# error and a non-zero exit.
. tests/e2e/lib.sh
. tests/e2e/smtpd.sh
if ! command -v openssl >/dev/null 2>&1; then
    echo "skip - the openssl command is not installed (scripts/install-deps.sh)"
    exit 0
fi

# a certificate for 127.0.0.1 (its own CA), and an unrelated one
make_cert() { # NAME
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
        -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
        -keyout "$TMP/$1.key" -out "$TMP/$1.pem" >/dev/null 2>&1
}
check "openssl makes a self-signed certificate" make_cert server
check "and a second, unrelated one" make_cert other

config() { # LINES...: the preferences file for the next command
    mkdir -p "$TMP/xdg/achim"
    printf '%s\n' "$@" >"$TMP/xdg/achim/config"
}
send() { # STATUS DESC [brief options]
    want=$1
    desc=$2
    shift 2
    check_status "$desc" "$want" env XDG_CONFIG_HOME="$TMP/xdg" ACHIM_SMTP_PASSWORD=s3cret \
        ACHIM_NOW=2026-02-01T07:00:00Z "$ACHIM" --db "$DB" brief --date 2026-02-01 --send \
        --to reader@example.org "$@"
}

check_status "demo --dir builds the store" 0 "$ACHIM" demo --dir "$TMP/store"
DB="$TMP/store/achim.db"

# 1. STARTTLS required by the server (no mail before it, AUTH only after it)
port=$(start_smtpd "$TMP/s1" "brief:s3cret" starttls "$TMP/server.pem" "$TMP/server.key")
config "smtp_url = smtp://127.0.0.1:$port" "smtp_tls = starttls" "smtp_user = brief" \
    "smtp_ca_file = $TMP/server.pem"
send 0 "STARTTLS with AUTH, the server's CA from smtp_ca_file"
config "smtp_url = smtp://127.0.0.1:$port" "smtp_user = brief" "smtp_ca_file = $TMP/server.pem"
send 0 "smtp_tls = auto upgrades with STARTTLS when offered"
config "smtp_url = smtp://127.0.0.1:$port" "smtp_tls = starttls" "smtp_user = brief" \
    "smtp_ca_file = $TMP/other.pem"
send 1 "STARTTLS: a certificate from another CA is refused"
check_grep "the error says the certificate is not trusted" \
    "TLS certificate is not trusted (SSL certificate problem" "$TMP/status.err"
config "smtp_url = smtp://127.0.0.1:$port" "smtp_user = brief"
send 1 "STARTTLS: a self-signed certificate is refused without smtp_ca_file"
check_grep "and says where to give the CA" "give its CA in smtp_ca_file" "$TMP/status.err"
config "smtp_url = smtp://127.0.0.1:$port" "smtp_tls = none" "smtp_user = brief"
send 1 "the server refuses mail in clear when it requires STARTTLS"
stop_smtpd "$TMP/s1"
for m in 1 2; do
    check_grep "message $m came over TLS" "^tls TLSv1\.[23]$" "$TMP/s1/msg$m.env"
    check_grep "message $m was authenticated" "^auth yes$" "$TMP/s1/msg$m.env"
    check "message $m parses: two UTF-8 parts, valid brief, footnote links intact" \
        $PY tests/e2e/check_brief.py --eml "$TMP/s1/msg$m.eml" 2026-02-01 en
done
if [ -f "$TMP/s1/msg3.eml" ]; then not_ok "a refused send delivered a message"; else ok "refused sends delivered nothing"; fi

# 2. implicit TLS (smtps://), Korean
port=$(start_smtpd "$TMP/s2" "brief:s3cret" implicit "$TMP/server.pem" "$TMP/server.key")
config "lang = ko" "smtp_url = smtps://127.0.0.1:$port" "smtp_user = brief" \
    "smtp_ca_file = $TMP/server.pem"
send 0 "smtps:// with AUTH"
config "smtp_url = smtps://127.0.0.1:$port" "smtp_user = brief" "smtp_ca_file = $TMP/other.pem"
send 1 "smtps://: a certificate from another CA is refused"
check_grep "the error says the certificate is not trusted" "TLS certificate is not trusted" \
    "$TMP/status.err"
config "smtp_url = smtps://127.0.0.1:$port" "smtp_user = brief" "smtp_verify = no"
send 0 "smtp_verify = no accepts a test server's certificate"
stop_smtpd "$TMP/s2"
check_grep "smtps message came over TLS" "^tls TLSv1\.[23]$" "$TMP/s2/msg1.env"
check "smtps Korean message parses" $PY tests/e2e/check_brief.py --eml "$TMP/s2/msg1.eml" 2026-02-01 ko
check "Korean text part decodes as UTF-8" $PY -c '
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
assert "이론·모델" in m.get_body(("plain",)).get_content()
assert "이론·모델" in m.get_body(("html",)).get_content()' "$TMP/s2/msg1.eml"

# 3. a server without STARTTLS
port=$(start_smtpd "$TMP/s3")
config "smtp_url = smtp://127.0.0.1:$port" "smtp_tls = starttls"
send 1 "smtp_tls = starttls fails when the server does not offer STARTTLS"
check_grep "the error names the missing STARTTLS" "does not offer STARTTLS" "$TMP/status.err"
config "smtp_url = smtps://127.0.0.1:$port"
send 1 "smtps:// to a server in clear fails"
check_grep "the error says there is no TLS session" "no TLS session" "$TMP/status.err"
config "smtp_url = smtp://127.0.0.1:$port"
send 0 "smtp_tls = auto goes on in clear when STARTTLS is not offered"
stop_smtpd "$TMP/s3"
check_grep "that message came in clear" "^tls no$" "$TMP/s3/msg1.env"
if [ -f "$TMP/s3/msg2.eml" ]; then not_ok "a failed send delivered a message"; else ok "failed sends delivered nothing"; fi

# 4. the settings are checked and shown
config "smtp_verify = maybe"
check_status "smtp_verify wants yes or no" 2 env XDG_CONFIG_HOME="$TMP/xdg" "$ACHIM" config
check_grep "the error names the line" "config:1: bad value 'maybe' for 'smtp_verify'" "$TMP/status.err"
config "smtp_ca_file = $TMP/server.pem"
check_status "achim config shows the TLS settings" 0 env XDG_CONFIG_HOME="$TMP/xdg" "$ACHIM" config
check_grep "smtp_ca_file from the file" "^smtp_ca_file *= $TMP/server.pem *# config" "$TMP/status.out"
check_grep "smtp_verify defaults to yes" "^smtp_verify *= yes *# default" "$TMP/status.out"

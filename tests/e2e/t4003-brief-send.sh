# SPDX-License-Identifier: MIT
# Delivery: achim brief --send to a real SMTP server on 127.0.0.1 (Debian's
# python3-aiosmtpd, tests/e2e/smtpd.py), without and with AUTH; the message
# received parses with Python's email package, both parts are valid UTF-8,
# the footnote links are intact and the envelope is right. Settings come
# from the preferences file, which `achim config` shows. achim run --send
# holds the e-mail until deliver_at, and `achim config --systemd-timer`
# schedules the run before it. TLS: t4005-brief-send-tls.sh.
. tests/e2e/lib.sh
. tests/e2e/smtpd.sh

# a store for the sample day
check_status "demo --dir builds the store" 0 "$ACHIM" demo --dir "$TMP/store"
DB="$TMP/store/achim.db"

# 1. plain SMTP, recipient and server on the command line
port=$(start_smtpd "$TMP/s1")
check_status "brief --send (no AUTH)" 0 env ACHIM_NOW=2026-02-01T07:00:00Z "$ACHIM" --db "$DB" brief \
    --date 2026-02-01 --send --to "Reader <reader@example.org>" --smtp "smtp://127.0.0.1:$port"
stop_smtpd "$TMP/s1"
if [ -f "$TMP/s1/msg1.eml" ]; then ok "the server received one message"; else not_ok "no message received"; fi
check "received message parses: two UTF-8 parts, valid brief, links intact" \
    $PY tests/e2e/check_brief.py --eml "$TMP/s1/msg1.eml" 2026-02-01 en
check_grep "envelope recipient" "^to reader@example.org$" "$TMP/s1/msg1.env"
check_grep "envelope sender" "^from achim@localhost$" "$TMP/s1/msg1.env"
check_grep "Date is the send time" "^Date: Sun, 01 Feb 2026 07:00:00 +0000" "$TMP/s1/msg1.eml"

# 2. AUTH with settings from the preferences file (Korean)
port=$(start_smtpd "$TMP/s2" "brief:s3cret")
mkdir -p "$TMP/xdg/achim"
cat >"$TMP/xdg/achim/config" <<CFG
# achim preferences for the test
lang = ko
mail_to = 연구자 <quant@example.org>, second@example.org
mail_from = achim <brief@news.example>
smtp_url = smtp://127.0.0.1:$port
smtp_user = brief
smtp_tls = none
list_unsubscribe = mailto:unsubscribe@news.example
CFG
check_status "config shows the file's settings" 0 env XDG_CONFIG_HOME="$TMP/xdg" ACHIM_SMTP_PASSWORD=s3cret "$ACHIM" config
check_grep "config: lang from the file" "^lang *= ko *# config" "$TMP/status.out"
check_grep "config: password is not shown" "^smtp_password *= (set) *# ACHIM_SMTP_PASSWORD" "$TMP/status.out"
check_status "a user without a password is an error" 1 env XDG_CONFIG_HOME="$TMP/xdg" \
    "$ACHIM" --db "$DB" brief --date 2026-02-01 --send
check_grep "the error says what is missing" "smtp_user is set but there is no password" "$TMP/status.err"
check_status "without AUTH the server refuses" 1 env XDG_CONFIG_HOME="$TMP/nowhere" \
    "$ACHIM" --db "$DB" brief --date 2026-02-01 --send --to r@example.org --smtp "smtp://127.0.0.1:$port"
check_grep "the server's refusal is reported" "server said 530" "$TMP/status.err"
check_status "brief --send with AUTH from the config" 0 env XDG_CONFIG_HOME="$TMP/xdg" ACHIM_SMTP_PASSWORD=s3cret \
    ACHIM_NOW=2026-02-01T07:00:00Z "$ACHIM" --db "$DB" brief --date 2026-02-01 --send
stop_smtpd "$TMP/s2"
check "received Korean message parses" $PY tests/e2e/check_brief.py --eml "$TMP/s2/msg1.eml" 2026-02-01 ko
check_grep "authenticated" "^auth yes$" "$TMP/s2/msg1.env"
check_grep "both recipients" "^to second@example.org$" "$TMP/s2/msg1.env"
check_grep "List-Unsubscribe" "^List-Unsubscribe: <mailto:unsubscribe@news.example>" "$TMP/s2/msg1.eml"
check "Korean subject decodes" $PY -c '
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
assert str(m["Subject"]).startswith("[achim] 2026-02-01 — "), m["Subject"]
assert m["Content-Language"] == "ko"
assert "이론·모델" in m.get_body(("plain",)).get_content()' "$TMP/s2/msg1.eml"

# 3. failures are reported, not hidden
check_status "no server configured" 1 "$ACHIM" --db "$DB" brief --date 2026-02-01 --send --to r@example.org
check_status "server not listening" 1 "$ACHIM" --db "$DB" brief --date 2026-02-01 --send --to r@example.org \
    --smtp "smtp://127.0.0.1:$port"
printf 'colour = blue\n' >"$TMP/xdg/achim/config"
check_status "unknown setting is an error" 2 env XDG_CONFIG_HOME="$TMP/xdg" "$ACHIM" config
check_grep "error names the line" "config:1: unknown setting 'colour'" "$TMP/status.err"

# 4. achim run --send: the cron job delivers the brief it wrote
port=$(start_smtpd "$TMP/s3")
mkdir -p "$TMP/xdg3/achim"
cat >"$TMP/xdg3/achim/config" <<CFG
mail_to = reader@example.org
smtp_url = smtp://127.0.0.1:$port
smtp_tls = none
CFG
check_status "run --no-fetch --send delivers" 0 env XDG_CONFIG_HOME="$TMP/xdg3" ACHIM_NOW=2026-02-01T07:00:00Z \
    "$ACHIM" --db "$DB" run --no-fetch --send --date 2026-02-01 --out-dir "$TMP/briefs"
stop_smtpd "$TMP/s3"
check_grep "run reports the delivery" "deliver: ok" "$TMP/status.out"
if [ -f "$TMP/s3/msg1.eml" ]; then ok "run's message reached the server"; else not_ok "run sent no message"; fi
check "run's message is a valid brief" $PY tests/e2e/check_brief.py --eml "$TMP/s3/msg1.eml" 2026-02-01 en
check "run also wrote the brief file" test -s "$TMP/briefs/brief-2026-02-01.en.md"
check_status "run --send without mail_to is a usage error" 2 env XDG_CONFIG_HOME="$TMP/nowhere" \
    "$ACHIM" --db "$DB" run --no-fetch --send --date 2026-02-01 --out-dir "$TMP/briefs"

# 5. deliver_at: a run before it holds the e-mail until then (ACHIM_NOW fixes
# the clock, so the wait is exact; TZ=UTC makes local time UTC here)
port=$(start_smtpd "$TMP/s4")
cat >"$TMP/xdg3/achim/config" <<CFG
mail_to = reader@example.org
smtp_url = smtp://127.0.0.1:$port
smtp_tls = none
deliver_at = 07:00
CFG
check_status "run --send two seconds before deliver_at" 0 env XDG_CONFIG_HOME="$TMP/xdg3" \
    ACHIM_NOW=2026-02-01T06:59:58Z "$ACHIM" --db "$DB" run --no-fetch --send --date 2026-02-01 \
    --out-dir "$TMP/briefs"
check_grep "the e-mail was held until deliver_at" "^deliver: held until 07:00 (2 s)$" "$TMP/status.out"
check_grep "and then delivered" "^deliver: ok$" "$TMP/status.out"
check_grep "the hold is said on stderr" "holding the e-mail until 07:00 (deliver_at), 2 s" "$TMP/status.err"
check_status "run --send after deliver_at sends at once" 0 env XDG_CONFIG_HOME="$TMP/xdg3" \
    ACHIM_NOW=2026-02-01T07:30:00Z "$ACHIM" --db "$DB" run --no-fetch --send --json --date 2026-02-01 \
    --out-dir "$TMP/briefs"
check "no hold after deliver_at" $PY -c '
import json, sys
j = json.loads(open(sys.argv[1]).read())
assert j["delivered"] is True and "held_seconds" not in j, j' "$TMP/status.out"
check_status "run --send --no-hold before deliver_at sends at once" 0 env XDG_CONFIG_HOME="$TMP/xdg3" \
    ACHIM_NOW=2026-02-01T05:00:00Z "$ACHIM" --db "$DB" run --no-fetch --send --no-hold --date 2026-02-01 \
    --out-dir "$TMP/briefs"
if grep -q "held" "$TMP/status.out"; then not_ok "--no-hold held the e-mail"; else ok "--no-hold did not hold"; fi
stop_smtpd "$TMP/s4"
for m in 1 2 3; do
    check "held run's message $m is a valid brief" $PY tests/e2e/check_brief.py --eml "$TMP/s4/msg$m.eml" 2026-02-01 en
done

# ... and achim config --systemd-timer schedules the run before deliver_at
check_status "config --systemd-timer" 0 env XDG_CONFIG_HOME="$TMP/xdg3" "$ACHIM" config --systemd-timer
check_grep "the timer starts 15 minutes before deliver_at" "^OnCalendar=\*-\*-\* 06:45:00$" "$TMP/status.out"
check_grep "and catches up a missed run" "^Persistent=true$" "$TMP/status.out"
check_grep "it names deliver_at" "^Description=achim morning briefing, delivered at 07:00$" "$TMP/status.out"
if command -v systemd-analyze >/dev/null 2>&1; then
    cal=$(sed -n 's/^OnCalendar=//p' "$TMP/status.out")
    check "systemd accepts the calendar expression" systemd-analyze calendar "$cal"
fi
printf 'deliver_at = 00:05\n' >"$TMP/xdg3/achim/config"
check_status "a deliver_at just after midnight" 0 env XDG_CONFIG_HOME="$TMP/xdg3" "$ACHIM" config --systemd-timer
check_grep "starts at midnight, the same day" "^OnCalendar=\*-\*-\* 00:00:00$" "$TMP/status.out"
check_status "config --systemd-timer without deliver_at fails" 1 env XDG_CONFIG_HOME="$TMP/nowhere" \
    "$ACHIM" config --systemd-timer
check_grep "and says deliver_at is missing" "deliver_at is not set" "$TMP/status.err"

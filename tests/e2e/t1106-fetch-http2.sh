# HTTP/2 where offered: nginx on 127.0.0.1 with TLS (a throw-away
# self-signed certificate, trusted through --ca-file) and http2. achim
# negotiates HTTP/2 and multiplexes a host's feeds over one connection;
# nginx's access log shows the protocol and the connection serial number.
. tests/e2e/lib.sh
. tests/nginx.sh
DB="$TMP/h.db"
export ACHIM_NOW=2026-01-31T12:00:00Z
command -v nginx >/dev/null 2>&1 || { echo "skip - nginx not installed"; exit 0; }
command -v openssl >/dev/null 2>&1 || { echo "skip - openssl not installed"; exit 0; }

mkdir -p "$TMP/www" "$TMP/ngx/tmp"
i=0
while [ $i -lt 12 ]; do
    sed "s/<title>/<title>H2 $i /; s/<guid>/<guid>h2-$i-/g" "$TOP/tests/fixtures/feeds/rss20.xml" >"$TMP/www/f$i.xml"
    i=$((i + 1))
done
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$TMP/ngx/key.pem" -out "$TMP/ngx/cert.pem" \
    >/dev/null 2>&1 || { not_ok "self-signed certificate"; exit 1; }
ngx_start "$TMP" "log_format t '\$status \$server_protocol \$connection \$request_uri'; access_log $TMP/ngx/access.log t; types { application/rss+xml xml; }" "ssl_certificate $TMP/ngx/cert.pem; ssl_certificate_key $TMP/ngx/key.pem;" "ssl http2" 1 64 || { not_ok "nginx starts"; sed 's/^/#   /' "$TMP/ngx/start.err"; exit 1; }
PORT=$NGX_PORT

i=0
while [ $i -lt 12 ]; do
    "$ACHIM" --db "$DB" sources add --no-check "https://127.0.0.1:$PORT/f$i.xml" >/dev/null
    i=$((i + 1))
done
check_status "untrusted certificate: every source fails" 1 "$ACHIM" --db "$DB" fetch --host-delay 0
check_grep "the certificate problem is named" "certificate" "$TMP/status.out"
check_status "with --ca-file: all fetched" 0 "$ACHIM" --db "$DB" fetch --force --host-delay 0 --per-host 6 --ca-file "$TMP/ngx/cert.pem"
check_eq "twelve 200s over HTTP/2" "$(grep -c '^200 HTTP/2.0 ' "$TMP/ngx/access.log")" "12"
nconn=$(grep '^200 ' "$TMP/ngx/access.log" | cut -d' ' -f3 | sort -u | wc -l)
[ "$nconn" -le 2 ] && ok "multiplexed: 12 feeds over $nconn connection(s)" || not_ok "12 feeds took $nconn connections"
check_eq "articles stored" "$(sql "$DB" "select count(distinct source_id) from articles")" "12"

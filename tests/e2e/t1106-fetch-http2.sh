# HTTP/2 where offered: nginx on 127.0.0.1 with TLS (a throw-away
# self-signed certificate, trusted through --ca-file) and http2. achim
# negotiates HTTP/2 and multiplexes a host's feeds over one connection;
# nginx's access log shows the protocol and the connection serial number.
. tests/e2e/lib.sh
DB="$TMP/h.db"
export ACHIM_NOW=2026-01-31T12:00:00Z
command -v nginx >/dev/null 2>&1 || { echo "skip - nginx not installed"; exit 0; }
command -v openssl >/dev/null 2>&1 || { echo "skip - openssl not installed"; exit 0; }

chmod 755 "$TMP"
mkdir -p "$TMP/www" "$TMP/ngx/tmp"
i=0
while [ $i -lt 12 ]; do
    sed "s/<title>/<title>H2 $i /; s/<guid>/<guid>h2-$i-/g" "$TOP/tests/fixtures/feeds/rss20.xml" >"$TMP/www/f$i.xml"
    i=$((i + 1))
done
chmod -R a+rX "$TMP/www"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$TMP/ngx/key.pem" -out "$TMP/ngx/cert.pem" \
    >/dev/null 2>&1 || { not_ok "self-signed certificate"; exit 1; }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$TMP/ngx/nginx.conf" <<CONF
worker_processes 1;
pid $TMP/ngx/nginx.pid;
error_log $TMP/ngx/error.log;
events { worker_connections 64; }
http {
    log_format t '\$status \$server_protocol \$connection \$request_uri';
    access_log $TMP/ngx/access.log t;
    client_body_temp_path $TMP/ngx/tmp/body;
    proxy_temp_path $TMP/ngx/tmp/proxy;
    fastcgi_temp_path $TMP/ngx/tmp/fastcgi;
    uwsgi_temp_path $TMP/ngx/tmp/uwsgi;
    scgi_temp_path $TMP/ngx/tmp/scgi;
    types { application/rss+xml xml; }
    server {
        listen 127.0.0.1:$PORT ssl http2;
        ssl_certificate $TMP/ngx/cert.pem;
        ssl_certificate_key $TMP/ngx/key.pem;
        root $TMP/www;
    }
}
CONF
nginx -p "$TMP/ngx" -c "$TMP/ngx/nginx.conf" || { not_ok "nginx starts"; exit 1; }
trap 'kill $(cat "$TMP/ngx/nginx.pid" 2>/dev/null) 2>/dev/null; rm -rf "$TMP"' EXIT INT TERM
i=0; while [ $i -lt 50 ] && ! [ -s "$TMP/ngx/nginx.pid" ]; do sleep 0.1; i=$((i + 1)); done

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

# tests/nginx.sh: start Debian's nginx on 127.0.0.1 for a test or benchmark.
#
#   . tests/nginx.sh
#   ngx_start "$TMP" "<http directives>" "<server directives>" [listen-flags] [workers] [connections]
#
# Serves "$TMP/www" on a free loopback port (NGX_PORT), with its config, pid,
# logs and temp files under "$TMP/ngx" (the access log is $TMP/ngx/access.log),
# and extends the EXIT trap to stop nginx and remove "$TMP". nginx runs its
# workers as nobody, so the served tree is made world-readable.

ngx_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

ngx_start() {
    ngx_tmp=$1
    ngx_http=$2
    ngx_server=$3
    ngx_listen=${4:-}
    mkdir -p "$ngx_tmp/ngx/tmp" "$ngx_tmp/www"
    chmod 755 "$ngx_tmp"
    chmod -R a+rX "$ngx_tmp/www"
    NGX_PORT=$(ngx_free_port)
    cat >"$ngx_tmp/ngx/nginx.conf" <<CONF
worker_processes ${5:-1};
pid $ngx_tmp/ngx/nginx.pid;
error_log $ngx_tmp/ngx/error.log;
events { worker_connections ${6:-256}; }
http {
    client_body_temp_path $ngx_tmp/ngx/tmp/body;
    proxy_temp_path $ngx_tmp/ngx/tmp/proxy;
    fastcgi_temp_path $ngx_tmp/ngx/tmp/fastcgi;
    uwsgi_temp_path $ngx_tmp/ngx/tmp/uwsgi;
    scgi_temp_path $ngx_tmp/ngx/tmp/scgi;
    $ngx_http
    server {
        listen 127.0.0.1:$NGX_PORT $ngx_listen;
        root $ngx_tmp/www;
        $ngx_server
    }
}
CONF
    nginx -p "$ngx_tmp/ngx" -c "$ngx_tmp/ngx/nginx.conf" 2>"$ngx_tmp/ngx/start.err" || return 1
    trap 'kill $(cat "'"$ngx_tmp"'/ngx/nginx.pid" 2>/dev/null) 2>/dev/null; rm -rf "'"$ngx_tmp"'"' EXIT INT TERM
    ngx_i=0
    while [ $ngx_i -lt 50 ] && ! [ -s "$ngx_tmp/ngx/nginx.pid" ]; do
        sleep 0.1
        ngx_i=$((ngx_i + 1))
    done
    [ -s "$ngx_tmp/ngx/nginx.pid" ]
}

ngx_stop() {
    kill "$(cat "$1/ngx/nginx.pid" 2>/dev/null)" 2>/dev/null
}

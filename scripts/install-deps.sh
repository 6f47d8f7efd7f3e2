#!/bin/sh
# Install every Debian package achim needs to build, test and run.
# Idempotent: packages already present are left as they are.
set -eu

PACKAGES="
build-essential pkg-config make gcc clang libclang-rt-14-dev
libcurl4-openssl-dev libxml2-dev libsqlite3-dev sqlite3 libmicrohttpd-dev
libcjson-dev libstemmer-dev libutf8proc-dev libcmark-gfm-dev libcmark-gfm-extensions-dev
libcmocka-dev
python3 python3-feedparser nginx-light python3-aiosmtpd ots curl ca-certificates openssl
python3-sklearn
"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing

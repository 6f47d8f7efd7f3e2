# tests/e2e/lib.sh: helpers for end-to-end tests that drive the real binary.
# Each check prints "ok - what" or "not ok - what" (counted by tests/run.sh).
set -u
ACHIM=${ACHIM_BIN:-$(pwd)/achim}
TOP=$(pwd)
export LC_ALL=C.UTF-8 TZ=UTC
unset ACHIM_DB XDG_DATA_HOME ACHIM_DATA_DIR
TMP=$(mktemp -d /tmp/achim-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
export HOME="$TMP/home"
mkdir -p "$HOME"

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }

# check DESC CMD...: the command must succeed
check() {
    desc=$1
    shift
    if "$@" >"$TMP/check.out" 2>&1; then ok "$desc"; else
        not_ok "$desc"
        sed 's/^/#   /' "$TMP/check.out" | head -20
    fi
}

# check_status DESC WANT CMD...: the command must exit with status WANT
check_status() {
    desc=$1
    want=$2
    shift 2
    "$@" >"$TMP/status.out" 2>"$TMP/status.err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok "$desc"; else
        not_ok "$desc (exit $got, want $want)"
        sed 's/^/#   /' "$TMP/status.err" | head -10
    fi
}

# check_eq DESC GOT WANT
check_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (got '$2', want '$3')"; fi
}

# check_grep DESC PATTERN FILE
check_grep() {
    if grep -q -- "$2" "$3"; then ok "$1"; else
        not_ok "$1 (no '$2' in $3)"
        head -20 "$3" | sed 's/^/#   /'
    fi
}

# check_diff DESC WANT_FILE GOT_FILE: golden comparison
check_diff() {
    if diff -u "$2" "$3" >"$TMP/diff.out" 2>&1; then ok "$1"; else
        not_ok "$1"
        head -40 "$TMP/diff.out" | sed 's/^/#   /'
    fi
}

sql() { sqlite3 -batch -noheader "$@"; }

# CLI: help, version and bad input give clear messages and the documented exit codes.
. tests/e2e/lib.sh
DB="$TMP/u.db"

check_status "no command is a usage error" 2 "$ACHIM"
check_status "unknown command exits 2" 2 "$ACHIM" frobnicate
check_grep "unknown command is named" "'frobnicate' is not an achim command" "$TMP/status.err"
check_status "--version exits 0" 0 "$ACHIM" --version
check_grep "--version prints the version" "^achim [0-9]" "$TMP/status.out"
check_status "help lists commands" 0 "$ACHIM" help
check_grep "help mentions ingest" "ingest" "$TMP/status.out"
check_grep "help documents exit codes" "exit status" "$TMP/status.out"
check_status "help CMD shows usage" 0 "$ACHIM" help brief
check_grep "help brief shows --lang" "\-\-lang" "$TMP/status.out"
check_status "help of unknown command exits 2" 2 "$ACHIM" help nope
check_status "CMD --help shows usage" 0 "$ACHIM" search --help
check_status "bad option exits 2" 2 "$ACHIM" --db "$DB" ingest --frob x
check_status "ingest without paths exits 2" 2 "$ACHIM" --db "$DB" ingest
check_status "search without query exits 2" 2 "$ACHIM" --db "$DB" search
check_status "search --limit 0 exits 2" 2 "$ACHIM" --db "$DB" search --limit 0 ai
check_status "search --limit junk exits 2" 2 "$ACHIM" --db "$DB" search --limit 5x ai
check_grep "bad limit message names the value" "not '5x'" "$TMP/status.err"
check_status "brief with a bad date exits 2" 2 "$ACHIM" --db "$DB" brief --date 2026-02-30
check_grep "bad date message" "YYYY-MM-DD" "$TMP/status.err"
check_status "brief with a bad language exits 2" 2 "$ACHIM" --db "$DB" brief --lang fr
check_status "brief with a bad format exits 2" 2 "$ACHIM" --db "$DB" brief --format pdf
check_status "brief with a stray argument exits 2" 2 "$ACHIM" --db "$DB" brief tomorrow
check_status "bad ACHIM_NOW exits 2" 2 env ACHIM_NOW=yesterday "$ACHIM" --db "$DB" brief
check_status "missing file exits 1" 1 "$ACHIM" --db "$DB" ingest "$TMP/does-not-exist.xml"
check_grep "missing file is named" "does-not-exist.xml" "$TMP/status.out"
check_status "parse of a missing file exits 1" 1 "$ACHIM" parse "$TMP/nope.xml"
check_status "unwritable database path fails cleanly" 1 "$ACHIM" --db /proc/achim/x.db stats
check_grep "database error names the path" "/proc/achim/x.db" "$TMP/status.err"

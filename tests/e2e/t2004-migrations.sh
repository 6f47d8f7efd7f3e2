# Store: created with the latest schema, refuses a newer database, default path.
. tests/e2e/lib.sh
DB="$TMP/m.db"
check_status "stats on a new store" 0 "$ACHIM" --db "$DB" stats --json
v=$(sql "$DB" "pragma user_version")
[ "$v" -ge 1 ] && ok "schema version set ($v)" || not_ok "schema version not set"
check_eq "articles reference sources" "$(sql "$DB" "select count(*) from pragma_foreign_key_list('articles') where \"table\" = 'sources'")" "1"

sql "$DB" "pragma user_version = 999"
check_status "a newer database is refused" 1 "$ACHIM" --db "$DB" stats
check_grep "refusal says why" "newer than this achim" "$TMP/status.err"
check_eq "refused database is left as it was" "$(sql "$DB" "pragma user_version")" "999"

# an empty file and an old empty database are migrated
: >"$TMP/empty.db"
check_status "empty database file is migrated" 0 "$ACHIM" --db "$TMP/empty.db" stats
check_eq "migrated to the current version" "$(sql "$TMP/empty.db" "pragma user_version")" "$v"

# not a database
echo "hello, not sqlite" >"$TMP/junk.db"
check_status "a non-database file is refused" 1 "$ACHIM" --db "$TMP/junk.db" stats
check_eq "non-database file is untouched" "$(cat "$TMP/junk.db")" "hello, not sqlite"

# ACHIM_DB and XDG_DATA_HOME
check_status "ACHIM_DB is used" 0 env ACHIM_DB="$TMP/env.db" "$ACHIM" stats
check "ACHIM_DB file created" test -f "$TMP/env.db"
check_status "XDG_DATA_HOME is used" 0 env XDG_DATA_HOME="$TMP/xdg" "$ACHIM" stats
check "XDG store created with its folder" test -f "$TMP/xdg/achim/achim.db"

#!/bin/sh
# seatmate-admin --db on good, corrupt, newer and locked databases.
# Usage: test-cli-db.sh SEATMATE_ADMIN
set -u
admin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A new database is created with mode 0600 and seeded
"$admin" --db "$tmp/new.db" db seed-demo > "$tmp/out" || fail "seed-demo"
grep -q '"customers":10' "$tmp/out" || fail "seed-demo counts: $(cat "$tmp/out")"
[ "$(stat -c %a "$tmp/new.db")" = 600 ] || fail "mode $(stat -c %a "$tmp/new.db")"

# A corrupt file: clear message, non-zero exit, file untouched
head -c 8192 /dev/urandom > "$tmp/bad.db"
sum=$(sha256sum < "$tmp/bad.db")
if "$admin" --db "$tmp/bad.db" db info 2> "$tmp/err"; then fail "corrupt db accepted"; fi
grep -q "damaged" "$tmp/err" || fail "corrupt message: $(cat "$tmp/err")"
[ "$sum" = "$(sha256sum < "$tmp/bad.db")" ] || fail "corrupt db was modified"

# A database from a newer version
"$admin" --db "$tmp/newer.db" db info > /dev/null || fail "db info"
/usr/bin/python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version=999'); c.commit()" "$tmp/newer.db"
sum=$(sha256sum < "$tmp/newer.db")
if "$admin" --db "$tmp/newer.db" db info 2> "$tmp/err"; then fail "newer db accepted"; fi
grep -q "newer version" "$tmp/err" || fail "newer message: $(cat "$tmp/err")"
[ "$sum" = "$(sha256sum < "$tmp/newer.db")" ] || fail "newer db was modified"

# A bad import line: line number, non-zero exit, nothing imported
printf '%s\n%s\n' '{"type":"agent","id":"zz","name":"Z"}' '{"type":"agent"' > "$tmp/bad.jsonl"
if "$admin" --db "$tmp/new.db" db import "$tmp/bad.jsonl" 2> "$tmp/err"; then fail "bad import accepted"; fi
grep -q "bad.jsonl:2:" "$tmp/err" || fail "import message: $(cat "$tmp/err")"
"$admin" --db "$tmp/new.db" db info | grep -q '"agents":10' || fail "bad import left rows"

# Usage errors exit 2
"$admin" > /dev/null 2>&1; [ $? -eq 2 ] || fail "no command should exit 2"
"$admin" --db "$tmp/new.db" nosuchcommand > /dev/null 2>&1; [ $? -eq 2 ] || fail "unknown command should exit 2"
echo "ok: seatmate-admin db"

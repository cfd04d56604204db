#!/bin/sh
# seatmate-admin wo export / import: formats, masking, validation, all or nothing.
# Usage: test-cli-wo.sh SEATMATE_ADMIN
set -u
admin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
count() { /usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM work_orders').fetchone()[0])" "$1"; }

"$admin" --db "$tmp/a.db" db seed-demo > /dev/null || fail "seed-demo"
n=$(count "$tmp/a.db")
[ "$n" -ge 5 ] || fail "demo work orders: $n"

# JSON Lines export: one object a line with the documented values
"$admin" --db "$tmp/a.db" wo export --jsonl > "$tmp/all.jsonl" 2> "$tmp/err" || fail "export jsonl: $(cat "$tmp/err")"
[ "$(wc -l < "$tmp/all.jsonl")" -eq "$n" ] || fail "export lines"
/usr/bin/python3 - "$tmp/all.jsonl" <<'PY' || fail "jsonl fields"
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    for k in ("id", "customer", "channel", "category", "subcategory", "priority", "complaint_level",
              "summary", "description", "dispositions", "department", "status", "created"):
        assert k in o, (k, o)
    assert o["channel"] in ("inbound_call", "outbound_call", "hotline_12345", "online", "social_media", "letter")
    assert o["complaint_level"] in ("none", "general", "serious", "regulatory")
    assert o["status"] in ("received", "dispatched", "in_progress", "resolved", "informed", "closed")
    assert isinstance(o["dispositions"], list)
PY

# CSV export with a header; --from/--to select by creation time
"$admin" --db "$tmp/a.db" wo export --csv > "$tmp/all.csv" 2> /dev/null || fail "export csv"
head -1 "$tmp/all.csv" | grep -q '^id,customer,channel,category,subcategory,priority,complaint_level,summary' || fail "csv header"
"$admin" --db "$tmp/a.db" wo export --jsonl --from 2000-01-01T00:00:00Z --to 2000-01-02T00:00:00Z > "$tmp/none.jsonl" 2> /dev/null || fail "export range"
[ ! -s "$tmp/none.jsonl" ] || fail "range not applied"
if "$admin" --db "$tmp/a.db" wo export --jsonl --from yesterday 2> /dev/null; then fail "bad --from accepted"; fi
if "$admin" --db "$tmp/a.db" wo export 2> /dev/null; then fail "no format accepted"; fi

# Round trip into an empty database
"$admin" --db "$tmp/b.db" wo import "$tmp/all.jsonl" > "$tmp/out" || fail "import: $(cat "$tmp/out")"
[ "$(count "$tmp/b.db")" -eq "$n" ] || fail "round trip count"

# Import masks card and ID numbers
cat > "$tmp/pan.jsonl" <<'J'
{"id":"WO-T-1","customer":"cust-42","channel":"inbound_call","category":"Lost or stolen","subcategory":"Lost or stolen card","priority":"urgent","complaint_level":"none","summary":"Card 4111 1111 1111 1111 lost","description":"ID 11010519491231002X verified","dispositions":["card_blocked"],"department":"Card operations","status":"received","created":"2026-01-05T08:00:00Z"}
J
"$admin" --db "$tmp/b.db" wo import "$tmp/pan.jsonl" > /dev/null || fail "import pan"
"$admin" --db "$tmp/b.db" wo export --jsonl > "$tmp/pan-out.jsonl" 2> /dev/null || fail "export pan"
grep -q "4111 1111" "$tmp/pan-out.jsonl" && fail "PAN not masked"
grep -q "1101051949" "$tmp/pan-out.jsonl" && fail "ID not masked"
/usr/bin/python3 -c "import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(\"SELECT summary FROM work_orders WHERE id='WO-T-1'\").fetchone()[0]; assert '4111' not in r, r" "$tmp/b.db" || fail "stored PAN"

# A bad line (line 3: a complaint without a department) reports its number, imports nothing
before=$(count "$tmp/b.db")
{
  echo '{"id":"WO-T-2","customer":"cust-42","channel":"inbound_call","category":"Card services","subcategory":"Card renewal","summary":"Renewal","dispositions":["card_service_info"],"created":"2026-01-05T08:00:00Z"}'
  echo ''
  echo '{"id":"WO-T-3","customer":"cust-42","channel":"inbound_call","category":"Complaint","subcategory":"General complaint","complaint_level":"general","summary":"Fees","description":"Unhappy","dispositions":["complaint_registered"],"created":"2026-01-05T08:00:00Z"}'
} > "$tmp/bad.jsonl"
if "$admin" --db "$tmp/b.db" wo import "$tmp/bad.jsonl" 2> "$tmp/err"; then fail "bad file accepted"; fi
grep -q "bad.jsonl:3:" "$tmp/err" || fail "line number: $(cat "$tmp/err")"
grep -q "department" "$tmp/err" || fail "reason: $(cat "$tmp/err")"
[ "$(count "$tmp/b.db")" -eq "$before" ] || fail "partial import"

# Unknown enumeration values and broken JSON are refused too
echo '{"id":"WO-T-4","customer":"c","channel":"fax","category":"Card services","subcategory":"x","summary":"s","dispositions":["d"],"created":"2026-01-05T08:00:00Z"}' > "$tmp/fax.jsonl"
if "$admin" --db "$tmp/b.db" wo import "$tmp/fax.jsonl" 2> "$tmp/err"; then fail "bad channel accepted"; fi
grep -q "fax.jsonl:1:" "$tmp/err" || fail "channel line: $(cat "$tmp/err")"
echo '{"id":' > "$tmp/broken.jsonl"
if "$admin" --db "$tmp/b.db" wo import "$tmp/broken.jsonl" 2> /dev/null; then fail "broken JSON accepted"; fi

# Lists, lifecycle and history from the command line
"$admin" --db "$tmp/a.db" wo list all > "$tmp/list" || fail "wo list"
[ "$(wc -l < "$tmp/list")" -eq "$n" ] || fail "wo list all: $(wc -l < "$tmp/list")"
"$admin" --db "$tmp/a.db" wo list complaints | grep -q "regulatory" || fail "wo list complaints"
"$admin" --db "$tmp/a.db" wo list all --search 年费 | grep -q "年费" || fail "wo list --search"
id=$("$admin" --db "$tmp/a.db" wo list all | awk -F '\t' '$2 == "received" {print $1; exit}')
[ -n "$id" ] || fail "no received work order in the demo"
if "$admin" --db "$tmp/a.db" wo status "$id" closed 2> "$tmp/err"; then fail "received -> closed accepted"; fi
grep -q "cannot go from" "$tmp/err" || fail "illegal transition message: $(cat "$tmp/err")"
"$admin" --db "$tmp/a.db" wo status "$id" dispatched --agent a3 || fail "dispatch"
"$admin" --db "$tmp/a.db" wo status "$id" in_progress --agent a3 || fail "start handling"
"$admin" --db "$tmp/a.db" wo history "$id" > "$tmp/history" || fail "history"
grep -q "a3	dispatched	received	dispatched" "$tmp/history" || fail "history: $(cat "$tmp/history")"
grep -q "a3	in_progress	dispatched	in_progress" "$tmp/history" || fail "history: $(cat "$tmp/history")"
if "$admin" --db "$tmp/a.db" wo status "$id" finished 2> /dev/null; then fail "unknown status accepted"; fi
if "$admin" --db "$tmp/a.db" wo history WO-NONE 2> /dev/null; then fail "unknown id accepted"; fi

echo "ok"

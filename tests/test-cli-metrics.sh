#!/bin/sh
# seatmate-admin events, metrics, schedule and demo, end to end.
# Usage: test-cli-metrics.sh SEATMATE_ADMIN
set -u
admin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# KPI.md's worked example, from a file into a temporary store
cat > "$tmp/example.jsonl" <<'JSONL'
{"type":"contact","id":"c1","queue":"cards","agent":"a7","offered":"2026-01-05T09:00:00Z","answered":"2026-01-05T09:00:10Z","ended":"2026-01-05T09:03:30Z","acw_end":"2026-01-05T09:04:00Z"}
{"type":"contact","id":"c2","queue":"cards","agent":"a7","offered":"2026-01-05T09:01:00Z","answered":"2026-01-05T09:01:30Z","ended":"2026-01-05T09:03:10Z","acw_end":"2026-01-05T09:03:30Z"}
{"type":"contact","id":"c3","queue":"cards","offered":"2026-01-05T09:02:00Z","ended":"2026-01-05T09:02:03Z"}
{"type":"contact","id":"c4","queue":"cards","offered":"2026-01-05T09:03:00Z","ended":"2026-01-05T09:03:40Z"}
JSONL
"$admin" metrics --events "$tmp/example.jsonl" --from 2026-01-05T09:00:00Z --to 2026-01-05T10:00:00Z \
  --interval 30m > "$tmp/out" || fail "metrics --events"
[ "$(wc -l < "$tmp/out")" -eq 2 ] || fail "two intervals expected: $(cat "$tmp/out")"
first=$(head -1 "$tmp/out")
for want in '"offered":4' '"answered":2' '"abandoned":2' '"handled":2' '"service_level":33.33' \
            '"asa":20,' '"abandonment_rate":33.33' '"aht":175' '"average_acw":25' '"fcr":null' \
            '"csat":null' '"nps":null' '"occupancy":null' '"adherence":null' '"conformance":null' \
            '"hold_ratio":0' '"transfer_rate":0'; do
  echo "$first" | grep -q "$want" || fail "missing $want in $first"
done
tail -1 "$tmp/out" | grep -q '"offered":0,.*"service_level":null' || fail "empty interval: $(tail -1 "$tmp/out")"

# A malformed line: its number, nothing imported
"$admin" --db "$tmp/s.db" events import "$tmp/example.jsonl" > "$tmp/out" || fail "events import"
grep -q '"contacts":4' "$tmp/out" || fail "import counts: $(cat "$tmp/out")"
printf '%s\n%s\n%s\n' '{"type":"contact","id":"x1","offered":"2026-01-05T10:00:00Z"}' \
  '{"type":"state","agent":"a7","state":"dozing","start":"2026-01-05T10:00:00Z"}' \
  '{"type":"contact","id":"x2","offered":"2026-01-05T10:01:00Z"}' > "$tmp/bad.jsonl"
if "$admin" --db "$tmp/s.db" events import "$tmp/bad.jsonl" 2> "$tmp/err"; then fail "bad events accepted"; fi
grep -q "bad.jsonl:2:" "$tmp/err" || fail "events message: $(cat "$tmp/err")"
"$admin" --db "$tmp/s.db" db info | grep -q '"contacts":4' || fail "bad events left rows"

# Filters: one agent's contacts
"$admin" --db "$tmp/s.db" metrics --agent a7 --from 2026-01-05 --to 2026-01-06 > "$tmp/out" || fail "metrics --agent"
grep -q '"offered":2,' "$tmp/out" || fail "agent filter: $(cat "$tmp/out")"
"$admin" --db "$tmp/s.db" metrics --queue nosuch --from 2026-01-05 --to 2026-01-06 | grep -q '"offered":0,' \
  || fail "queue filter"
if "$admin" --db "$tmp/s.db" metrics --interval soon 2> /dev/null; then fail "bad interval accepted"; fi

# Schedules: CSV in, JSON Lines out; a bad row names its line and imports nothing
printf 'agent,activity,start,end\na7,work,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z\na7,break,2026-01-05T10:00:00Z,2026-01-05T10:15:00Z\n' > "$tmp/day.csv"
"$admin" --db "$tmp/s.db" schedule import "$tmp/day.csv" | grep -q '"shifts":2' || fail "schedule import"
"$admin" --db "$tmp/s.db" schedule show --agent a7 > "$tmp/out" || fail "schedule show"
grep -q '"activity":"break","start":"2026-01-05T10:00:00Z"' "$tmp/out" || fail "schedule show: $(cat "$tmp/out")"
printf 'a9,work,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z\na9,nap,2026-01-05T10:00:00Z,2026-01-05T10:15:00Z\n' > "$tmp/bad.csv"
if "$admin" --db "$tmp/s.db" schedule import "$tmp/bad.csv" 2> "$tmp/err"; then fail "bad csv accepted"; fi
grep -q "bad.csv:2:" "$tmp/err" || fail "csv message: $(cat "$tmp/err")"
"$admin" --db "$tmp/s.db" db info | grep -q '"shifts":2' || fail "bad csv left rows"

# The demo day: valid input, the same for the same seed
"$admin" demo generate --agents 12 --date 2026-01-05 > "$tmp/a.jsonl" 2> /dev/null || fail "demo generate"
"$admin" demo generate --agents 12 --date 2026-01-05 > "$tmp/b.jsonl" 2> /dev/null
cmp -s "$tmp/a.jsonl" "$tmp/b.jsonl" || fail "demo generate is not deterministic"
"$admin" --db "$tmp/d.db" events import "$tmp/a.jsonl" | grep -q '"agents":12' || fail "demo import"
if "$admin" demo generate --agents 0 --date 2026-01-05 > /dev/null 2>&1; then fail "0 agents accepted"; fi
if "$admin" demo generate --agents 5 --date 2026-02-31 > /dev/null 2>&1; then fail "bad date accepted"; fi
echo "ok: seatmate-admin events, metrics, schedule, demo"

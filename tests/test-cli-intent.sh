#!/bin/sh
# seatmate-admin intent: train, eval, predict, cv, bad CSVs, corrections, bad models.
# Usage: test-cli-intent.sh SEATMATE_ADMIN DATADIR
set -u
admin=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A small real training set: three BANKING77 intents (the file has CRLF line ends)
head -n 1 "$data/banking77/train.csv" > "$tmp/small.csv"
grep -E ',(card_arrival|lost_or_stolen_card|change_pin).?$' "$data/banking77/train.csv" | grep -v '"' >> "$tmp/small.csv"

"$admin" intent train "$tmp/small.csv" -o "$tmp/m.model" 2> "$tmp/err" || fail "train: $(cat "$tmp/err")"
grep -q "Trained on" "$tmp/err" || fail "train message: $(cat "$tmp/err")"

"$admin" intent predict "$tmp/m.model" "I still haven't received my new card" > "$tmp/out" || fail "predict"
[ "$(wc -l < "$tmp/out")" -eq 3 ] || fail "predict prints 3 lines: $(cat "$tmp/out")"
head -n 1 "$tmp/out" | grep -q "card_arrival" || fail "predict top: $(cat "$tmp/out")"

"$admin" intent eval "$tmp/m.model" "$tmp/small.csv" > "$tmp/out" || fail "eval"
for key in n top1 top3 top5 p50_us p99_us; do
  grep -q "\"$key\":" "$tmp/out" || fail "eval JSON lacks $key: $(cat "$tmp/out")"
done

"$admin" intent cv "$tmp/small.csv" --folds 3 --fast > "$tmp/out" || fail "cv"
grep -q '"set":"all"' "$tmp/out" || fail "cv output: $(cat "$tmp/out")"

# Bad rows: each line is named, nothing is trained, non-zero exit
cp "$tmp/small.csv" "$tmp/bad.csv"
printf '%s\n' 'a stray " quote,change_pin' 'no label,' 'fine text,change_pin' >> "$tmp/bad.csv"
n=$(wc -l < "$tmp/small.csv")
if "$admin" intent train "$tmp/bad.csv" -o "$tmp/bad.model" 2> "$tmp/err"; then fail "bad CSV accepted"; fi
grep -q "Line $((n + 1)):" "$tmp/err" || fail "bad row line: $(cat "$tmp/err")"
grep -q "Line $((n + 2)):" "$tmp/err" || fail "bad row line: $(cat "$tmp/err")"
[ ! -e "$tmp/bad.model" ] || fail "a model was written from a bad CSV"
"$admin" intent train "$tmp/bad.csv" -o "$tmp/bad.model" --skip-bad 2> "$tmp/err" || fail "--skip-bad: $(cat "$tmp/err")"
[ -s "$tmp/bad.model" ] || fail "--skip-bad wrote no model"

# Corrections from the database are added
"$admin" --db "$tmp/s.db" db info > /dev/null || fail "db info"
/usr/bin/python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"INSERT INTO intent_corrections (text, intent, agent, created_ms) VALUES ('I would like to close my account', 'terminate_account', 'a7', 0), ('please terminate my account now', 'terminate_account', 'a7', 0)\"); c.commit()" "$tmp/s.db"
"$admin" --db "$tmp/s.db" intent train "$tmp/small.csv" -o "$tmp/c.model" --with-corrections 2> "$tmp/err" || fail "corrections: $(cat "$tmp/err")"
grep -q "Added 2 corrections" "$tmp/err" || fail "corrections message: $(cat "$tmp/err")"
"$admin" intent predict "$tmp/c.model" "please terminate my account" | head -n 1 | grep -q terminate_account || fail "correction not learnt"

# Damaged and foreign model files are refused with a clear message
head -c 100 "$tmp/m.model" > "$tmp/cut.model"
if "$admin" intent predict "$tmp/cut.model" "card" 2> "$tmp/err"; then fail "truncated model accepted"; fi
grep -q "truncated" "$tmp/err" || fail "truncated message: $(cat "$tmp/err")"
if "$admin" intent predict "$tmp/small.csv" "card" 2> "$tmp/err"; then fail "CSV accepted as a model"; fi
grep -q "not a Seatmate intent model" "$tmp/err" || fail "magic message: $(cat "$tmp/err")"

# Usage errors exit 2
"$admin" intent > /dev/null 2>&1; [ $? -eq 2 ] || fail "intent without a command should exit 2"
"$admin" intent train "$tmp/small.csv" > /dev/null 2>&1; [ $? -eq 2 ] || fail "train without -o should exit 2"
echo "ok: seatmate-admin intent"

#!/bin/bash
# The dashboard lands fullscreen on the second monitor, and the choice is remembered.
# Usage: test-two-monitors.sh SEATMATE
set -u
seatmate=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v Xorg > /dev/null || { echo "Xorg is not installed (.ci/setup installs it)"; exit 1; }

export XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config GSETTINGS_BACKEND=keyfile
"$here/two-monitors/two-monitors" bash -c '
  "$0" --demo > "$1/app.log" 2>&1 &
  pid=$!
  for i in $(seq 60); do
    geo=$(xwininfo -root -tree 2>/dev/null | grep "\"Seatmate Dashboard\"" | head -1)
    case "$geo" in *"1920x1080+"*"+1920+0"*) break ;; esac
    sleep 0.5
  done
  xwininfo -root -tree | grep -E "\"Seatmate( Dashboard)?\"" > "$1/windows"
  kill $pid; wait $pid 2>/dev/null
  true' "$seatmate" "$tmp"
rc=$?
cat "$tmp/windows" 2>/dev/null
[ $rc -eq 0 ] || { echo "FAIL: the two-monitor display could not be set up ($rc)"; exit 1; }

grep -qE '"Seatmate Dashboard".*1920x1080\+[-0-9]+\+[-0-9]+ +\+1920\+0' "$tmp/windows" ||
  { echo "FAIL: the dashboard is not fullscreen on the second monitor"; cat "$tmp/app.log"; exit 1; }
grep -q '"Seatmate"' "$tmp/windows" || { echo "FAIL: the desk window is missing"; exit 1; }
grep -qs "dashboard-monitor='DUMMY1'" "$tmp/config/glib-2.0/settings/keyfile" ||
  { echo "FAIL: the chosen monitor was not remembered"; cat "$tmp/config/glib-2.0/settings/keyfile"; exit 1; }
echo "ok: dashboard fullscreen on monitor 2 (DUMMY1), remembered"

#!/bin/sh
# Runs test-cti-notify under a private session bus with python3-dbusmock's
# notification server (see shared TESTING.md). Skips (77) without dbusmock.
#   test-cti-notify.sh BUILD_TEST_BINARY [ARGS…]
set -u
TEST=$1
shift

if ! /usr/bin/python3 -c 'import dbusmock' 2>/dev/null || ! command -v dbus-run-session >/dev/null; then
  echo "1..0 # SKIP python3-dbusmock or dbus-run-session is not installed"
  exit 0
fi

exec dbus-run-session -- sh -c '
  /usr/bin/python3 -m dbusmock --session --template notification_daemon >/dev/null 2>&1 &
  MOCK=$!
  gdbus wait --session --timeout 10 org.freedesktop.Notifications || { kill $MOCK; exit 1; }
  "$0" "$@"
  RC=$?
  kill $MOCK
  exit $RC
' "$TEST" "$@"

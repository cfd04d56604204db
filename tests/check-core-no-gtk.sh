#!/bin/sh
# app/core must not be able to use GTK: no source includes it, and a file
# that does cannot compile with core's own dependency flags.
# Usage: check-core-no-gtk.sh SOURCE_ROOT CC [CC ARGS…]
set -u
root=$1; shift
if grep -rnE '#[[:space:]]*include[[:space:]]*[<"](gtk|gdk)/' "$root/app/core"; then
  echo "FAIL: app/core includes GTK"
  exit 1
fi
flags=$(pkg-config --cflags glib-2.0 gio-2.0 gio-unix-2.0 libsoup-3.0 json-glib-1.0 sqlite3 libnotify)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include <gtk/gtk.h>\nint main (void) { return GTK_MAJOR_VERSION; }\n' > "$tmp/probe.c"
if "$@" $flags -fsyntax-only "$tmp/probe.c" 2>"$tmp/err"; then
  echo "FAIL: <gtk/gtk.h> compiles with core's flags"
  exit 1
fi
# It must fail for the right reason: the header is not found
if ! grep -q 'gtk/gtk.h' "$tmp/err"; then
  cat "$tmp/err"
  echo "FAIL: the probe failed for another reason"
  exit 1
fi
# And the same probe without GTK compiles, so the check can tell the difference
printf '#include <glib.h>\nint main (void) { return GLIB_MAJOR_VERSION; }\n' > "$tmp/ok.c"
"$@" $flags -fsyntax-only "$tmp/ok.c" || { echo "FAIL: core flags do not compile GLib"; exit 1; }
echo "ok: app/core cannot include GTK"

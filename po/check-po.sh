#!/bin/sh
# Fails when a translation has an untranslated or fuzzy message, or does not compile.
# Usage: check-po.sh MSGFMT FILE.po
set -eu
msgfmt=$1
po=$2
stats=$("$msgfmt" --check --statistics -o /dev/null "$po" 2>&1)
echo "$po: $stats"
case "$stats" in
  *untranslated*|*fuzzy*) exit 1 ;;
esac

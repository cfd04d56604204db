#!/bin/sh
# Fails when po/zh_CN.po leaves any message of the sources untranslated or
# fuzzy: the messages are extracted afresh (as `ninja seatmate-pot` does),
# merged into a copy of the translation, and counted.
# Usage: check-po.sh SOURCE_ROOT LANG
set -eu
root=$1
lang=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$root"

# Every source with a marked string is listed in POTFILES.in
missing=$( { grep -lE '\b(N?_|C_|NC_|g_dngettext) ?\(' app/*.c app/*/*.c 2>/dev/null;
             grep -l 'translatable="yes"' ui/*.ui ui/*/*.ui 2>/dev/null; } |
           sort -u | while read -r f; do grep -qxF "$f" po/POTFILES.in || echo "$f"; done)
if [ -n "$missing" ]; then
  echo "Not in po/POTFILES.in:"; echo "$missing"; exit 1
fi

xgettext --package-name=seatmate --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dcgettext:2 \
  --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 --flag=N_:1:pass-c-format \
  --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format --flag=g_dngettext:2:pass-c-format \
  --flag=g_strdup_printf:1:c-format --flag=g_string_printf:2:c-format \
  --flag=g_string_append_printf:2:c-format --flag=g_error_new:3:c-format \
  --flag=g_set_error:4:c-format --flag=g_printerr:1:c-format --flag=g_print:1:c-format \
  --files-from=po/POTFILES.in -o "$tmp/seatmate.pot"
msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$tmp/seatmate.pot" -o "$tmp/$lang.po"
stats=$(msgfmt --check --statistics -o /dev/null "$tmp/$lang.po" 2>&1 | grep -v 'header field')
echo "po/$lang.po against the sources: $stats"
case "$stats" in
  *untranslated*|*fuzzy*)
    msgattrib --untranslated --only-fuzzy "$tmp/$lang.po" 2>/dev/null | head -40
    msgattrib --untranslated "$tmp/$lang.po" | grep -A1 '^msgid' | head -40
    exit 1 ;;
esac

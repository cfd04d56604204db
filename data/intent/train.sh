#!/bin/sh
# Retrains the shipped intent model, data/intent/seatmate-intent.model, from the
# training data in the tree (BANKING77's training split and the Chinese starter
# set) with the settings chosen by cross-validation (the defaults of
# sm_intent_train_options_init()). Training is deterministic.
#
# Usage: data/intent/train.sh [BUILDDIR]     (BUILDDIR defaults to ./build)
# or:    ninja -C BUILDDIR intent-model
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
builddir=${1:-$top/build}
admin=$builddir/app/cli/seatmate-admin

if [ ! -x "$admin" ]; then
  echo "train.sh: $admin not found; build it first: meson compile -C $builddir" >&2
  exit 1
fi

exec "$admin" intent train \
  "$top/data/banking77/train.csv" \
  "$top/data/intent/zh-train.csv" \
  -o "$top/data/intent/seatmate-intent.model"

#!/usr/bin/env bash
# Runs the real scorer (python3 -m trainer score) and keeps a copy of its pairs file and its
# stdout in $SCORER_COPY_DIR, so the end-to-end test can compare the report with what it printed.
set -euo pipefail
pairs="${*: -1}"
name="$(basename "$pairs" .jsonl)"
cp "$pairs" "$SCORER_COPY_DIR/$name.jsonl"
python3 -m trainer score "$@" | tee "$SCORER_COPY_DIR/$name.out"

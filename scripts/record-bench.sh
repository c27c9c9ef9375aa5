#!/usr/bin/env bash
# Runs a benchmark command and keeps its output where the docs can link it: docs/benchmarks/
# <name>-<UTC date>.txt, headed by the command, the date, the commit and the machine (cores, CPU
# model, memory, load average at the start, since a busy machine moves every timing).
#   bash scripts/record-bench.sh webhook-latency npm run bench:webhook
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
  echo "usage: bash scripts/record-bench.sh <name> <command…>  (writes docs/benchmarks/<name>-<date>.txt)" >&2
  exit 2
fi
name="$1"
shift
mkdir -p docs/benchmarks
out="docs/benchmarks/${name}-$(date -u +%Y-%m-%d).txt"
{
  echo "command: $*"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(free -g | awk '/^Mem:/ {print $2}') GB memory; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "node: $(node --version 2>/dev/null || echo none), python: $(python3 --version 2>&1 | cut -d' ' -f2)"
  echo "---"
} >"$out"
started=$(date +%s)
set +e
"$@" 2>&1 | tee -a "$out"
status=${PIPESTATUS[0]}
set -e
echo "--- exit $status after $(($(date +%s) - started)) s; load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out"
echo "wrote $out" >&2
exit "$status"

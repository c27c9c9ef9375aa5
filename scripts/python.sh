#!/usr/bin/env sh
# The project's Python: the virtual environment scripts/quickstart.sh makes (.venv), else the
# system's python3 (CI machines have the trainer stack installed system-wide).
#   sh scripts/python.sh -m pytest trainer -q
here="$(dirname "$0")/.."
if [ -x "$here/.venv/bin/python3" ]; then exec "$here/.venv/bin/python3" "$@"; fi
exec python3 "$@"
